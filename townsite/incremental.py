"""Incremental rebuilds for `serve`: the same stages as `build`, with what each stage made kept
between rebuilds (parsed files by content hash, validated entries, Markdown, pages by
fingerprint), and only changed outputs written. Two phases: pages first, so the browser can
reload at once, then the search export, whose BM25 statistics make every shard depend on
every entry."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .pipeline import BuildOptions, Caches, Stages, prepare, render_outputs
from .problems import ContentError
from .search.stage import SearchIndex, index_site
from .write import safe_relative, write_site


@dataclass(frozen=True)
class Rebuild:
    seconds: float
    rendered: int  # pages that went through a template
    written: int  # files written (new or changed)
    removed: int  # files deleted (their entry was deleted or renamed)
    timings: list[tuple[str, float]]


class LiveSite:
    """The output folder kept equal, after every rebuild, to what a full `build` of the same
    content would write. Raises ContentError like `build`; the folder then stays as it was."""

    def __init__(self, options: BuildOptions):
        self.options = options
        self.caches = Caches()
        self.current: dict[str, bytes] | None = None  # what the output folder holds now
        self.search: SearchIndex | None = None
        self.site = None

    def rebuild(self) -> Rebuild:
        """Phase 1: everything but the search export (which keeps its last version)."""
        start = time.perf_counter()
        stages = Stages()
        config, site = prepare(self.options, stages, self.caches)
        version = self.search.version if self.search else ""
        outputs, _, rendered = render_outputs(self.options, config, site, version, stages, self.caches)
        if self.search:
            outputs.update(self.search.outputs)
        self.site = site
        written, removed = stages.run("write", self._publish, outputs)
        return Rebuild(time.perf_counter() - start, rendered, written, removed, stages.timings)

    def update_search(self) -> Rebuild | None:
        """Phase 2: bring the Whoosh index and the export up to date; None when unchanged."""
        if self.site is None:
            raise RuntimeError("rebuild() first")
        start = time.perf_counter()
        stages = Stages()
        search = stages.run("index", index_site, self.site, self.options.cache_dir)
        if self.search and search.version == self.search.version:
            return None
        self.search = search
        return self._merge(self.rebuild(), start, stages)

    def build_all(self) -> Rebuild:
        """Both phases, as a full build would."""
        first = self.rebuild()
        second = self.update_search()
        if second is None:
            return first
        return Rebuild(first.seconds + second.seconds, first.rendered + second.rendered,
                       first.written + second.written, first.removed + second.removed,
                       first.timings + second.timings)  # fmt: skip

    def _merge(self, inner: Rebuild, start: float, stages: Stages) -> Rebuild:
        return Rebuild(time.perf_counter() - start, inner.rendered, inner.written, inner.removed,
                       stages.timings + inner.timings)  # fmt: skip

    def _publish(self, outputs: dict[str, bytes]) -> tuple[int, int]:
        out_dir = self.options.output_dir
        if self.current is None or not out_dir.is_dir():
            write_site(outputs, out_dir)
            self.current = dict(outputs)
            return len(outputs), 0
        for path in outputs:
            safe_relative(path)
        written = 0
        for path, data in outputs.items():
            if self.current.get(path) != data:
                _replace_file(out_dir / path, data)
                written += 1
        gone = [path for path in self.current if path not in outputs]
        for path in gone:
            (out_dir / path).unlink(missing_ok=True)
            _prune_empty(out_dir / path, out_dir)
        self.current = dict(outputs)
        return written, len(gone)


def _replace_file(target: Path, data: bytes) -> None:
    """Write beside, then rename over: a browser never reads half a page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _prune_empty(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


__all__ = ["ContentError", "LiveSite", "Rebuild"]
