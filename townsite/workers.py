"""How the engine uses both cores. A pool of forked workers reads and validates the content
files in chunks; after planning, a second pool renders the pages that must be made, in chunks,
each worker writing its pages into the target folder itself and sending back only paths,
digests and the bodies it rendered, while one worker brings the search index up to date.

Each pool is given its job when it is made (forked workers inherit it: nothing big is pickled
on the way in); results come back in the order one process would have made them, and are the
same. Workers die with the process that started them (Linux: PR_SET_PDEATHSIG), so a killed
build leaves none behind."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .load import read_doc
from .markup import Rendered
from .model import Entry
from .pages import PageSpec, Plan
from .problems import Problem
from .render import Made, render_into
from .schema import kinds
from .search.documents import SearchDoc
from .search.stage import SearchIndex, index_docs
from .validate import validate_doc

WORKERS = 2
# Pages per task: small enough that the last tasks even out the two workers' finishing times,
# large enough that passing results costs little.
CHUNK = 48
FILE_CHUNK = 200
PR_SET_PDEATHSIG = 1


def available() -> bool:
    """Forking is safe only where the platform has it and no other thread is running (a
    thread holding a lock at the fork would leave it held forever in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when `parent` dies, even by SIGKILL (Linux); exit at once if it
    is already gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: just stop
    if os.getppid() != parent:
        os._exit(1)


_job: Any = None  # in a worker only: its pool's job, given by the pool's initializer


def _start_worker(job: Any) -> None:
    global _job
    die_with_parent(job.parent)
    gc.enable()  # forked while the parent had collections paused (gcpause): a worker collects
    _job = job


def stop_now(executor: ProcessPoolExecutor) -> None:
    """Stop a pool without waiting for the tasks it is running (Ctrl-C, SIGTERM, a failure)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)


@contextmanager
def pool(job: Any, workers: int = WORKERS) -> Iterator[ProcessPoolExecutor]:
    """Workers forked now share the parent's heap copy-on-write. The garbage collector walking
    that heap in a worker would write to every page it visits, copying the whole heap into each
    worker, and costs more the larger the heap: what exists at the fork is frozen (left out of
    collection) for the pool's lifetime."""
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(job,)
        ) as executor:
            yield executor
    finally:
        gc.unfreeze()


# --- read and validate ---------------------------------------------------------------------------
# One file checked: its entry (None when it failed), its load problems, its validate problems.
Checked = tuple["Entry | None", list[Problem], list[Problem]]


@dataclass(frozen=True)
class FileJob:
    files: list[tuple[Path, str]]  # (path, kind)
    root: Path
    config: SiteConfig
    parent: int


def check_files(job: FileJob, start: int, stop: int) -> list[Checked]:
    schemas = kinds(job.config.program_names, job.config.industries)
    checked: list[Checked] = []
    for path, kind in job.files[start:stop]:
        doc, load_problems = read_doc(path, kind, job.root)
        entry, problems = validate_doc(doc, schemas[kind]) if doc else (None, [])
        checked.append((entry, load_problems, problems))
    return checked


def _check_chunk(start: int, stop: int) -> list[Checked]:
    return check_files(_job, start, stop)


def check_all(job: FileJob, parallel: bool) -> list[Checked]:
    if not parallel:
        return check_files(job, 0, len(job.files))
    with pool(job) as workers:
        chunks = [workers.submit(_check_chunk, s, s + FILE_CHUNK) for s in range(0, len(job.files), FILE_CHUNK)]
        return [item for chunk in chunks for item in chunk.result()]


# --- render and index ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderJob:
    plan: Plan
    specs: Sequence[PageSpec]  # the pages to make
    folder: Path  # where workers write them
    in_place: bool  # the folder is being served: replace files atomically
    docs: list[SearchDoc] | None  # to index (None: the search export is not made this time)
    cache_dir: Path | None
    known: frozenset[str]  # sources whose rendered body the parent has already
    parent: int


@dataclass
class RenderOutcome:
    made: list[Made]
    problems: list[Problem]
    bodies_by_source: dict[str, Rendered]  # bodies the workers rendered that the parent lacked
    search: SearchIndex | None


def _render_chunk(start: int, stop: int) -> tuple[list[Made], list[Problem], dict[str, Rendered]]:
    job: RenderJob = _job
    renderer, specs = job.plan.renderer, job.specs[start:stop]
    made, problems = render_into(renderer, specs, job.folder, job.in_place)
    entries = _entries_by_source(job)
    new_bodies = {}
    for spec in specs:  # a page shows the body of its `main` entry: send back what was new
        source = spec.main
        if source and source not in job.known and source in entries:
            new_bodies[source] = renderer.body(entries[source])
    return made, problems, new_bodies


_entries: tuple[RenderJob | None, dict[str, Entry]] = (None, {})  # in a worker: made once, not once a chunk


def _entries_by_source(job: RenderJob) -> dict[str, Entry]:
    global _entries
    if _entries[0] is not job:
        _entries = (job, {e.source: e for e in job.plan.renderer.site.all_entries()})
    return _entries[1]


def _index() -> SearchIndex:
    job: RenderJob = _job
    assert job.docs is not None
    # The parent has the documents: do not send them (and their token lists) back.
    return replace(index_docs(job.docs, job.cache_dir), docs=[])


def render_and_index(job: RenderJob, received: Callable[[SearchIndex], None]) -> RenderOutcome:
    """Pages are written by the workers; `received` is called with the search export as soon as
    it arrives, for the parent to write."""
    with pool(job) as workers:
        search: Future[SearchIndex] | None = workers.submit(_index) if job.docs is not None else None
        chunks = [
            workers.submit(_render_chunk, start, min(start + CHUNK, len(job.specs)))
            for start in range(0, len(job.specs), CHUNK)
        ]
        try:
            pending: list[Future[Any]] = [*chunks, *([search] if search else [])]
            for done in as_completed(pending):
                if done is search:
                    received(search.result())
                else:
                    done.result()
        except BaseException:
            stop_now(workers)  # do not render the rest for nothing
            raise
    index = replace(search.result(), docs=job.docs) if search and job.docs is not None else None
    result = RenderOutcome([], [], {}, index)
    for chunk in chunks:  # plan order, whatever order they finished in
        made, problems, bodies = chunk.result()
        result.made += made
        result.problems += problems
        result.bodies_by_source.update(bodies)
    result.problems = result.problems[:1]  # like one process, which stops at the first broken page
    return result
