"""The front of the build, as named, timed stages: config → load+validate → link. Every content
problem up to linking is gathered and raised together, before anything is planned or rendered.
The engine (engine.py) runs these, then plans, renders and writes what changed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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


Key = tuple[str, str, tuple[str, ...]]
Signature = tuple[int, int, int, int]


@dataclass
class LiveCache:
    """What `serve` keeps of load+validate between runs. `changed` (a run's argument): the files
    the watcher saw change (None: unknown). Named files are always read again; any other is read
    again only when its stat signature moved (a save within one timestamp tick that keeps the
    size is caught by the watcher naming it); the discovery is reused while every named content
    file is one it found and still is a file."""

    checked: CheckedCache = field(default_factory=dict)
    seen: dict[Path, tuple[Signature, str]] = field(default_factory=dict)  # path -> (signature, sha256)
    relative: dict[Path, str] = field(default_factory=dict)  # path -> as shown in messages
    files: list[tuple[Path, str]] | None = None  # the last discovery; None: discover again
    found: list[Problem] = field(default_factory=list)  # its problems

    def discover(self, root: Path, changed: frozenset[Path] | None) -> tuple[list[tuple[Path, str]], list[Problem]]:
        if changed is None or self.files is None or not self._same_files(root / "content", changed):
            self.files = None  # kept again only once this discovery was used to the end
            return discover(root, root / "content")
        return self.files, list(self.found)

    def _same_files(self, content: Path, changed: frozenset[Path]) -> bool:
        listed = {path for path, _ in self.files or ()}
        inside = [p for p in changed if p.is_relative_to(content)]
        return all(p in listed and not p.is_symlink() and p.is_file() for p in inside)

    def key(self, path: Path, root: Path, programs: tuple[str, ...], changed: frozenset[Path] | None) -> Key | None:
        """The file's cache key; its bytes are read and hashed unless they cannot have changed.
        `programs`: the configuration's program names (validation checks against them)."""
        rel = self.relative.get(path) or self.relative.setdefault(path, relpath(path, root))
        try:
            signature = _signature(path)
            before = self.seen.get(path)
            if changed is not None and path not in changed and before is not None and before[0] == signature:
                return rel, before[1], programs
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None  # checking it again reports why
        self.seen[path] = (signature, digest)
        return rel, digest, programs


def _signature(path: Path) -> Signature:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino


def check_cached(
    job: workers.FileJob, live: LiveCache, changed: frozenset[Path] | None = None
) -> list[workers.Checked]:
    """Only parsing and validating are skipped for bytes seen before. A cached entry is handed
    out as a fresh copy: linking changes the entries it is given."""
    checked: list[workers.Checked] = []
    programs = tuple(job.config.program_names)
    for index, (path, _) in enumerate(job.files):
        key = live.key(path, job.root, programs, changed)
        found = live.checked.get(key) if key else None
        if found is None:
            found = workers.check_files(job, index, index + 1)[0]
            if key and found[0] is not None:
                live.checked[key] = found
        entry, load_problems, problems = found
        checked.append((entry.fresh() if entry else None, load_problems, problems))
    return checked


def _signatures(files: list[tuple[Path, str]]) -> dict[Path, Signature]:
    signatures: dict[Path, Signature] = {}
    for path, _ in files:
        with contextlib.suppress(OSError):
            signatures[path] = _signature(path)
    return signatures


def _keep(live: LiveCache, job: workers.FileJob, path: Path, signature: Signature | None, item: workers.Checked
          ) -> workers.Checked:  # fmt: skip
    """`serve`'s first build fills its cache from what the workers checked: an entry's digest is
    the sha256 of the bytes it was made from; the signature was taken before they were read."""
    entry, load_problems, problems = item
    if entry is None:
        return item
    live.checked[(entry.source, entry.digest, tuple(job.config.program_names))] = item
    if signature is not None:
        live.seen[path] = (signature, entry.digest)
    return entry.fresh(), load_problems, problems


def check_sources(
    root: Path, config: SiteConfig, live: LiveCache | None, changed: frozenset[Path] | None = None
) -> tuple[list[Entry], list[Problem], frozenset[tuple[str, str]]]:
    """load then validate, file by file (on both cores when there are many and nothing is kept):
    entries, problems, and (kind, file stem) of the files that could not be read."""
    files, problems = live.discover(root, changed) if live is not None else discover(root, root / "content")
    found = list(problems)
    job = workers.FileJob(files, root, config, parent=os.getpid())
    if live is not None and live.checked:
        checked = check_cached(job, live, changed)
    else:
        signatures = _signatures(files) if live is not None else {}
        checked = workers.check_all(job, len(files) >= PARALLEL_FROM and workers.available())
        if live is not None:
            pairs = zip(files, checked, strict=True)
            checked = [_keep(live, job, path, signatures.get(path), item) for (path, _), item in pairs]
    if live is not None:
        live.files, live.found = files, found
    unreadable = frozenset((kind, path.stem) for (path, kind), item in zip(files, checked, strict=True) if item[1])
    problems += [p for _, found, _ in checked for p in found]
    problems += [p for _, _, found in checked for p in found]
    return [entry for entry, _, _ in checked if entry is not None], problems, unreadable


def prepare(
    options: BuildOptions, stages: Stages, live: LiveCache | None = None, changed: frozenset[Path] | None = None
) -> tuple[SiteConfig, Site]:
    """config → load+validate → link; raises ContentError with every problem found."""
    root = options.root.absolute()
    config, problems = stages.run("config", load_config, root, root / "content")
    raise_if(problems)
    assert config is not None
    if options.base_url:
        config = config.with_base_url(options.base_url)
    entries, problems, unreadable = stages.run("load+validate", check_sources, root, config, live, changed)
    problems += stages.run("pictures", pictures.check, entries, root)  # drafts' too: not strays
    site, found = stages.run("link", link, entries, config, options.include_drafts, unreadable, root)
    raise_if(problems + found)
    return config, site
