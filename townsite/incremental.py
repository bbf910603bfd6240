"""Incremental rebuilds for `serve`: the same stages as `build`, with what each stage made kept
between rebuilds (parsed files by content hash, validated entries, Markdown, pages by
fingerprint), and only changed outputs written. Two phases: pages first, so the browser can
reload at once, then the search export, whose BM25 statistics make every shard depend on
every entry."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .load import load_one, relpath
from .model import Entry
from .pipeline import BuildOptions, Caches, Stages, prepare, render_outputs
from .problems import ContentError
from .render import Memo, output_path
from .search.documents import SearchDoc, search_docs
from .search.page import SearchFeature
from .search.stage import SearchIndex, index_docs
from .validate import validate
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
        self.config = None
        self.generation = 0  # counts phase-1 rebuilds, so a late search export is not applied

    def rebuild(self, changed: Iterable[Path] = ()) -> Rebuild:
        """Phase 1: everything but the search export (which keeps its last version). `changed`
        (from the file watcher) allows the fast path for edits that touch only bodies."""
        try:
            return self._rebuild(changed)
        except ContentError:
            self.caches.last = None  # after any problem, the next rebuild is a full one
            raise

    def _rebuild(self, changed: Iterable[Path]) -> Rebuild:
        start = time.perf_counter()
        fast = self._bodies_only(list(changed)) if changed else None
        if fast is not None:
            return Rebuild(time.perf_counter() - start, *fast, [("bodies", time.perf_counter() - start)])
        stages = Stages()
        config, site = prepare(self.options, stages, self.caches)
        self.config = config
        version = self.search.version if self.search else ""
        outputs, _, rendered = render_outputs(self.options, config, site, version, stages, self.caches)
        if self.search:
            outputs.update(self.search.outputs)
        self.site = site
        self.generation += 1
        written, removed = stages.run("write", self._publish, outputs)
        return Rebuild(time.perf_counter() - start, rendered, written, removed, stages.timings)

    def _bodies_only(self, paths: list[Path]) -> tuple[int, int, int] | None:
        """When every changed file is a published entry whose typed front matter is unchanged,
        only the pages that showed those bodies (recorded while rendering) are rendered again;
        anything else returns None for a full rebuild."""
        last = self.caches.last
        if self.site is None or last is None or last.fingerprints is None or self.current is None:
            return None
        root = self.options.root.absolute()
        by_source = {e.source: e for e in self.site.all_entries()}
        updates: list[tuple[Entry, Entry]] = []
        for path in paths:
            entry = by_source.get(relpath(Path(path), root))
            if entry is None or Path(path).is_symlink() or not Path(path).is_file():
                return None
            docs, problems = load_one(Path(path), entry.kind, root, self.caches.load)
            if problems or not docs:
                return None
            fresh, problems = validate(docs, self.config, self.caches.validate)
            if problems or len(fresh) != 1:
                return None
            new = fresh[0]
            if (new.kind, new.slug, new.front_digest) != (entry.kind, entry.slug, entry.front_digest):
                return None
            updates.append((entry, new))
        renderer, fingerprints = last.renderer, last.fingerprints
        self.generation += 1
        for entry, new in updates:  # the linked entry takes the new body in place
            entry.body, entry.digest, entry.body_line, entry.lines = new.body, new.digest, new.body_line, new.lines
            fingerprints.full[entry.source] = new.digest
        problems = renderer.body_link_problems(last.existing, [entry for entry, _ in updates])
        if problems:
            raise ContentError(problems)
        sources = {entry.source for entry, _ in updates}
        specs = {spec.url: spec for spec in last.pages}
        rendered = written = 0
        for url, memo in list(self.caches.memo.items()):
            if memo.bodies & sources:
                spec = specs[url]
                data = renderer.render(spec)
                bodies = frozenset(renderer.bodies_shown)
                self.caches.memo[url] = Memo(fingerprints.of(spec, bodies), data, bodies)
                rendered += 1
                path = output_path(url)
                if self.current.get(path) != data:
                    _replace_file(self.options.output_dir / path, data)
                    self.current[path] = data
                    written += 1
        return rendered, written, 0

    def update_search(self) -> Rebuild | None:
        """Phase 2: bring the Whoosh index and the export up to date; None when unchanged."""
        snapshot = self.search_snapshot()
        if snapshot is None:
            raise RuntimeError("rebuild() first")
        generation, docs = snapshot
        return self.apply_search(generation, index_docs(docs, self.options.cache_dir))

    def search_snapshot(self) -> tuple[int, list[SearchDoc]] | None:
        """What phase 2 needs, as plain data (so `serve` can index in another process)."""
        if self.site is None:
            return None
        return self.generation, search_docs(self.site)

    def apply_search(self, generation: int, search: SearchIndex) -> Rebuild | None:
        """Publish a finished search export, unless the site changed meanwhile (a newer one
        is then on its way): only the search page and search/ files are written."""
        last = self.caches.last
        if generation != self.generation or last is None or last.fingerprints is None or self.current is None:
            return None
        if self.search and search.version == self.search.version:
            return None
        start = time.perf_counter()
        self.search = search
        renderer = last.renderer
        spec = next(iter(SearchFeature(search.version).pages(renderer)))
        data = renderer.render(spec)
        bodies = frozenset(renderer.bodies_shown)
        self.caches.memo[spec.url] = Memo(last.fingerprints.of(spec, bodies), data, bodies)
        last.pages[:] = [spec if p.url == spec.url else p for p in last.pages]
        outputs = {path: value for path, value in self.current.items() if not path.startswith("search/")}
        outputs.update(search.outputs)
        outputs[output_path(spec.url)] = data
        written, removed = self._publish(outputs)
        return Rebuild(time.perf_counter() - start, 1, written, removed, [("search", time.perf_counter() - start)])

    def build_all(self) -> Rebuild:
        """Both phases, as a full build would."""
        first = self.rebuild()
        second = self.update_search()
        if second is None:
            return first
        return Rebuild(first.seconds + second.seconds, first.rendered + second.rendered,
                       first.written + second.written, first.removed + second.removed,
                       first.timings + second.timings)  # fmt: skip

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
