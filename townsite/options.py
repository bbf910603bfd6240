"""What a build is asked to do. Light to import: `build` checks its cache before loading the
rest of townsite."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .clock import build_date

CACHE_DIR = ".townsite-cache"


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out_dir: Path | None = None  # default: <root>/site
    include_drafts: bool = False
    base_url: str | None = None  # overrides the configuration, e.g. for a preview host
    today: dt.date | None = None  # default: SOURCE_DATE_EPOCH, else the real date
    write: bool = True  # False for `check`
    check_links: bool = False  # the "links" stage: refuse a site with a broken internal link

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    def settings_text(self) -> str:
        """The options that change the output, for the build cache's key."""
        return repr((self.include_drafts, self.base_url, build_date(self.today), self.check_links))

    @property
    def cache_dir(self) -> Path:
        """Reusable work between builds (records, rendered bodies, term counts, the Whoosh index
        of `townsite search`); safe to delete, never published."""
        return self.root.absolute() / CACHE_DIR

    @property
    def output_dir(self) -> Path:
        return self.out_dir or self.root / "site"
