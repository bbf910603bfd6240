"""Whole-site helpers: the real CLI in a subprocess, and reading a built site the way a browser
and a crawler would: links and anchors (through townsite.linkcheck, the same check as
`build --links`), and JSON-LD."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from townsite.linkcheck import PageLinks, check_folder


class PageScan(PageLinks):
    """A page's links and ids, plus the text of its JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """`page: broken link HREF (why)` for every broken internal link of a built folder."""
    return [str(problem) for problem in check_folder(site, base_path)]


def json_ld(path: Path) -> list[dict]:
    return [json.loads(block) for block in scan(path).json_ld]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a fresh interpreter: real exit code, real stderr."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
