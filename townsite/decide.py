"""What a run makes, as plain data in and out: its plan (`Planned`) and result, the planned
outputs whose fingerprint differs from the record's (the rest are kept as they are), and the
record of the outputs after it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .buildstate import Outputs
from .config import SiteConfig
from .fingerprints import Fingerprints
from .model import Site
from .pages import PageSpec, Plan, output_path
from .render import Made, content_digest
from .search.documents import SearchDoc
from .search.stage import SearchIndex
from .templating import Renderer

SEARCH = "search "  # how the record's fingerprint of a search export file starts


@dataclass
class BuildResult:
    config: SiteConfig | None  # None only when `unchanged`
    site: Site | None
    outputs: dict[str, str]  # output path -> digest of its bytes
    pages: list[PageSpec]
    timings: list[tuple[str, float]] = field(default_factory=list)
    search: SearchIndex | None = None
    unchanged: bool = False  # the folder was already up to date: nothing was built
    rendered: int = 0  # pages that went through a template
    written: int = 0  # files written (new or changed)
    removed: int = 0  # files deleted


@dataclass
class Planned:
    """One run's plan: the linked site, its pages and fingerprints, the static files."""

    config: SiteConfig
    site: Site
    plan: Plan
    fingerprints: Fingerprints
    assets: dict[str, bytes]
    docs: list[SearchDoc]
    search_version: str  # of the export this content makes

    @property
    def renderer(self) -> Renderer:
        return self.plan.renderer

    def record(self, made: list[Made], kept: Outputs, search: Outputs) -> Outputs:
        """The record of a folder with what was `made` this run, `kept` and `search` files."""
        return new_record(self.plan.specs, self.fingerprints, made, kept, self.assets, search)


def outdated(
    specs: Sequence[PageSpec], fingerprints: Fingerprints, previous: Outputs
) -> tuple[list[PageSpec], Outputs]:
    """The pages to render, and the record of those whose fingerprint is unchanged."""
    todo: list[PageSpec] = []
    kept: Outputs = {}
    for spec in specs:
        path = output_path(spec.url)
        before = previous.get(path)
        if before is not None and before[0] == fingerprints.of(spec, before[2]):
            kept[path] = before
        else:
            todo.append(spec)
    return todo, kept


def new_record(
    specs: Sequence[PageSpec], fingerprints: Fingerprints, made: list[Made], kept: Outputs,
    assets: Mapping[str, bytes], search: Outputs,
) -> Outputs:  # fmt: skip
    """Kept outputs as they were, made ones with their fingerprint as rendered (with the bodies
    they showed), the static files and the search export."""
    by_path = {output_path(spec.url): spec for spec in specs}
    outputs: Outputs = dict(kept)
    for item in made:
        outputs[item.path] = (fingerprints.of(by_path[item.path], item.shown), item.digest, item.shown)
    for path, data in assets.items():
        digest = content_digest(data)
        outputs[path] = (f"asset {digest}", digest, ())
    outputs.update(search)
    return outputs


def search_record(version: str, files: Mapping[str, bytes]) -> Outputs:
    return {path: (f"{SEARCH}{version}", content_digest(data), ()) for path, data in files.items()}


def search_part(outputs: Outputs) -> Outputs:
    """The search export's files of a record."""
    return {path: value for path, value in outputs.items() if value[0].startswith(SEARCH)}
