"""Stage 5, write: put the whole site in a staging folder beside the output folder, then swap it
in. A build that fails before this point, or while writing, leaves the old site untouched; one
killed at any moment leaves the old site or the new one, and the next build removes what it
left behind (see swap.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .swap import clean_leftovers, replace_folder


class UnsafeOutputPath(ValueError):
    pass


def safe_relative(path: str) -> PurePosixPath:
    """Output paths come from validated slugs; this is the last guard against leaving the site."""
    pure = PurePosixPath(path)
    odd_part = any(part in ("", ".", "..") for part in pure.parts)
    if pure.is_absolute() or not pure.parts or odd_part or "\\" in path or "//" in path:
        raise UnsafeOutputPath(f"refusing to write outside the site: {path!r}")
    return pure


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def write_bytes(target: str, data: bytes) -> None:
    """What `Path.write_bytes` does, with its folders made when missing: straight system calls
    (open, write, close), about half the time of a Path and a file object per page."""
    try:
        fd = os.open(target, _CREATE, 0o666)
    except FileNotFoundError:  # the page's folder is new: made on the first page written into it
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:  # a full disk or a failing one: the message names the file
        exc.filename = exc.filename or target
        raise
    finally:
        os.close(fd)


def write_tree(outputs: dict[str, bytes], folder: Path, made: set[Path] | None = None) -> None:
    """`made`: folders known to exist already (filled in as folders are made)."""
    made = set() if made is None else made
    for path in sorted(outputs):
        target = folder.joinpath(*safe_relative(path).parts)
        if target.parent not in made:  # one mkdir per folder, not one per file
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        write_bytes(str(target), outputs[path])


class Staging:
    """The new site, written into a folder beside the output folder (in one go, or chunk by
    chunk while pages are still being rendered) and swapped in by `commit`. Leaving the block
    without committing, by an error or on purpose, removes it and leaves the old site as it was."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.absolute()
        self.folder = self.out_dir.with_name(f".{self.out_dir.name}.staging-{os.getpid()}")
        self.retired = self.out_dir.with_name(f".{self.out_dir.name}.old-{os.getpid()}")
        self.committed = False
        self.made: set[Path] = set()

    def __enter__(self) -> Staging:
        with self._named(self.out_dir.parent):
            clean_leftovers(self.out_dir)  # of builds that were killed, and of this process's own
            self.folder.mkdir(parents=True)
        return self

    def add(self, outputs: dict[str, bytes]) -> None:
        for path in outputs:
            safe_relative(path)  # check everything before touching the disk
        with self._named(self.out_dir):
            write_tree(outputs, self.folder, self.made)

    def commit(self) -> None:
        with self._named(self.out_dir):
            replace_folder(self.folder, self.out_dir, self.retired)
        self.committed = True

    @staticmethod
    @contextmanager
    def _named(path: Path) -> Iterator[None]:
        """A fault of the disk names the folder the editor knows, not the hidden staging one."""
        try:
            yield
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            shutil.rmtree(self.folder, ignore_errors=True)


def write_site(outputs: dict[str, bytes], out_dir: Path) -> None:
    with Staging(out_dir) as staging:
        staging.add(outputs)
        staging.commit()
