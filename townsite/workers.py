"""Both cores for a large build, twice. First a pool of forked workers reads and validates the
content files in chunks. Then, after planning, a second pool renders the pages in chunks while
one of its workers brings the search index up to date; each chunk is handed to the caller (who
writes it) as soon as it is done. Forked workers inherit what the parent has made so far (the
configuration; later the linked site, the renderer and the planned pages), so nothing big is
pickled on the way in; results come back in the order one process would have made them, and
are the same."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from .config import SiteConfig
from .load import discover, read_doc
from .markup import Rendered
from .model import Entry
from .problems import Problem
from .render import Plan, render_pages
from .schema import kinds
from .search.documents import SearchDoc
from .search.stage import SearchIndex, index_docs
from .validate import validate_doc

WORKERS = 2
# Pages (files) per task: small enough that the last tasks even out the two workers' finishing
# times, large enough that passing results costs little.
CHUNK = 48
FILE_CHUNK = 200


@dataclass
class _Job:
    plan: Plan
    docs: list[SearchDoc]
    cache_dir: Path | None
    entries: dict[str, Entry]  # by source
    known: set[str]  # sources whose rendered body the parent has (cached, or sent back)


_JOB: _Job | None = None  # set in the parent just before the workers are forked


@dataclass
class ParallelResult:
    outputs: dict[str, bytes]
    problems: list[Problem]
    bodies: dict[str, Rendered]  # source -> its body, for those the workers rendered
    search: SearchIndex


def available() -> bool:
    """Forking is safe only where the platform has it and no other thread is running (a
    thread holding a lock at the fork would leave it held forever in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))


# --- read and validate ---------------------------------------------------------------------------
_FILES: tuple[list[tuple[Path, str]], Path, SiteConfig] | None = None
Checked = tuple["Entry | None", list[Problem], list[Problem]]  # entry, load problems, validate problems


def _check_files(start: int, stop: int) -> list[Checked]:
    assert _FILES is not None
    files, root, config = _FILES
    schemas = kinds(config.program_names, config.industries)
    checked: list[Checked] = []
    for path, kind in files[start:stop]:
        doc, load_problems = read_doc(path, kind, root)
        entry, problems = validate_doc(doc, schemas[kind]) if doc else (None, [])
        checked.append((entry, load_problems, problems))
    return checked


def load_and_validate(
    root: Path, content_dir: Path, config: SiteConfig, parallel_from: int
) -> tuple[list[Entry], list[Problem], list[Problem]]:
    """load_sources then validate, file by file: entries, load problems, validate problems."""
    global _FILES
    files, load_problems = discover(root, content_dir)
    _FILES = (files, root, config)
    try:
        if len(files) < parallel_from or not available():
            checked = _check_files(0, len(files))
        else:
            with _pool() as pool:
                starts = range(0, len(files), FILE_CHUNK)
                chunks = [pool.submit(_check_files, start, start + FILE_CHUNK) for start in starts]
                checked = [item for chunk in chunks for item in chunk.result()]
    finally:
        _FILES = None
    entries = [entry for entry, _, _ in checked if entry is not None]
    load_problems += [p for _, found, _ in checked for p in found]
    return entries, load_problems, [p for _, _, found in checked for p in found]


# --- render and index ----------------------------------------------------------------------------


def _render_chunk(start: int, stop: int) -> tuple[dict[str, bytes], list[Problem], dict[str, Rendered]]:
    assert _JOB is not None
    renderer, specs = _JOB.plan.renderer, _JOB.plan.specs[start:stop]
    outputs, problems = render_pages(renderer, specs)
    bodies = {}
    for spec in specs:  # a page shows the body of its `main` entry: send back what was new
        source = spec.main
        if source and source not in _JOB.known and source in _JOB.entries:
            _JOB.known.add(source)
            bodies[source] = renderer.body(_JOB.entries[source])
    return outputs, problems, bodies


def _index() -> SearchIndex:
    assert _JOB is not None
    # The parent has the documents: do not send them (and their token lists) back.
    return replace(index_docs(_JOB.docs, _JOB.cache_dir), docs=[])


def render_and_index(
    plan: Plan, docs: list[SearchDoc], cache_dir: Path | None, received: Callable[[dict[str, bytes]], None]
) -> ParallelResult:
    """`received` is called with each chunk's pages, and with the search export, as they arrive
    (in any order)."""
    global _JOB
    if _JOB is not None:
        raise RuntimeError("render_and_index is not reentrant")
    entries = {e.source: e for e in plan.renderer.site.all_entries()}
    cached = {source for source, entry in entries.items() if plan.renderer.has_body(entry)}
    _JOB = _Job(plan, docs, cache_dir, entries, cached)
    try:
        with _pool() as pool:
            search = pool.submit(_index)  # first: the longest task starts at once
            chunks = [
                pool.submit(_render_chunk, start, min(start + CHUNK, len(plan.specs)))
                for start in range(0, len(plan.specs), CHUNK)
            ]
            try:
                for done in as_completed([search, *chunks]):
                    received(done.result().outputs if done is search else done.result()[0])
            except BaseException:
                pool.shutdown(cancel_futures=True)  # do not render the rest for nothing
                raise
            index = search.result()
    finally:
        _JOB = None
    outputs: dict[str, bytes] = {}
    problems: list[Problem] = []
    bodies: dict[str, Rendered] = {}
    for chunk in chunks:  # plan order, whatever order they finished in
        chunk_outputs, chunk_problems, chunk_bodies = chunk.result()
        outputs.update(chunk_outputs)
        problems.extend(chunk_problems)
        bodies.update(chunk_bodies)
    # Like one process, which stops at the first broken page: the first in plan order.
    return ParallelResult(outputs, problems[:1], bodies, replace(index, docs=docs))
