"""Output-folder helpers for the engine: bring an unchanged file over from the previous site,
remove emptied folders, a scratch folder for `check --links`, and a folder read as a mapping
of output path -> bytes (the link check reads only the files it needs)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .options import BuildOptions
from .write import safe_relative


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links there
        shutil.copy2(source, target)


def link_all(old: Path, new: Path, paths: Iterable[str]) -> None:
    for path in paths:
        link_or_copy(old / path, new / path)


def write_all(folder: Path, outputs: Mapping[str, bytes]) -> None:
    for path, data in outputs.items():
        target = folder.joinpath(*safe_relative(path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def prune_empty(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


@contextmanager
def scratch_folder(options: BuildOptions) -> Iterator[Path | None]:
    """`check` writes nothing; with --links the pages go to a temporary folder to be checked."""
    if not options.check_links:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="townsite-check-") as folder:
        yield Path(folder)


class FolderOutputs(Mapping[str, bytes]):
    """Output path -> bytes, read from the folder only when the link check asks for them."""

    def __init__(self, folder: Path, paths: Iterable[str]):
        self.folder = folder
        self.paths = frozenset(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.paths:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __contains__(self, path: object) -> bool:
        return path in self.paths

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)
