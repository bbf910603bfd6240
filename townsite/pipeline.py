"""The front of the build, as named, timed stages: config → load+validate → link. Every content
problem up to linking is gathered and raised together, before anything is planned or rendered.
The engine (engine.py) runs these, then plans, renders and writes what changed."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import faults, pictures, workers
from .config import SiteConfig, load_config
from .link import link
from .load import discover, relpath
from .model import Entry, Site
from .options import BuildOptions
from .problems import ContentError, Problem

T = TypeVar("T")
# From this many content files on, they are read and validated on both cores.
PARALLEL_FROM = 500
# (path, sha256 of the bytes, program names) -> what checking the file gave; kept by `serve`.
CheckedCache = dict[tuple[str, str, tuple[str, ...]], workers.Checked]


class Stages:
    """Runs named stages in order and keeps their wall times, for `build --timings`."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        faults.point(name)  # the fault-injection tests kill a build here (TOWNSITE_FAULT)
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            self.timings.append((name, time.perf_counter() - start))


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ContentError(problems)


def _cache_key(path: Path, root: Path, config: SiteConfig) -> tuple[str, str, tuple[str, ...]] | None:
    try:
        return relpath(path, root), hashlib.sha256(path.read_bytes()).hexdigest(), tuple(config.program_names)
    except OSError:
        return None  # checking it again reports why


def check_cached(job: workers.FileJob, cache: CheckedCache) -> list[workers.Checked]:
    """Files are always read and hashed (timestamps can repeat within a tick); only parsing and
    validating are skipped for bytes seen before. A cached entry is handed out as a fresh copy:
    linking changes the entries it is given."""
    checked: list[workers.Checked] = []
    for index, (path, _) in enumerate(job.files):
        key = _cache_key(path, job.root, job.config)
        found = cache.get(key) if key else None
        if found is None:
            found = workers.check_files(job, index, index + 1)[0]
            if key and found[0] is not None:
                cache[key] = found
        entry, load_problems, problems = found
        checked.append((entry.fresh() if entry else None, load_problems, problems))
    return checked


def _keep(cache: CheckedCache, key: tuple[str, str, tuple[str, ...]] | None, item: workers.Checked) -> workers.Checked:
    entry, load_problems, problems = item
    if key is None or entry is None:
        return item
    cache[key] = item
    return entry.fresh(), load_problems, problems


def check_sources(
    root: Path, config: SiteConfig, cache: CheckedCache | None
) -> tuple[list[Entry], list[Problem], frozenset[tuple[str, str]]]:
    """load then validate, file by file (on both cores when there are many and no cache):
    entries, problems, and (kind, file stem) of the files that could not be read."""
    files, problems = discover(root, root / "content")
    job = workers.FileJob(files, root, config, parent=os.getpid())
    if cache is not None and cache:
        checked = check_cached(job, cache)
    else:
        checked = workers.check_all(job, len(files) >= PARALLEL_FROM and workers.available())
        if cache is not None:  # `serve`'s first build fills its cache
            keys = [_cache_key(path, root, config) for path, _ in files]
            checked = [_keep(cache, key, item) for key, item in zip(keys, checked, strict=True)]
    unreadable = frozenset((kind, path.stem) for (path, kind), item in zip(files, checked, strict=True) if item[1])
    problems += [p for _, found, _ in checked for p in found]
    problems += [p for _, _, found in checked for p in found]
    return [entry for entry, _, _ in checked if entry is not None], problems, unreadable


def prepare(options: BuildOptions, stages: Stages, cache: CheckedCache | None = None) -> tuple[SiteConfig, Site]:
    """config → load+validate → link; raises ContentError with every problem found."""
    root = options.root.absolute()
    config, problems = stages.run("config", load_config, root, root / "content")
    raise_if(problems)
    assert config is not None
    if options.base_url:
        config = config.with_base_url(options.base_url)
    entries, problems, unreadable = stages.run("load+validate", check_sources, root, config, cache)
    problems += stages.run("pictures", pictures.check, entries, root)  # drafts' too: not strays
    site, found = stages.run("link", link, entries, config, options.include_drafts, unreadable, root)
    raise_if(problems + found)
    return config, site
