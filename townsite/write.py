"""Stage 5, write: put the whole site in a staging folder beside the output folder, then swap it
in. A build that fails before this point, or while writing, leaves the old site untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath


class UnsafeOutputPath(ValueError):
    pass


def safe_relative(path: str) -> PurePosixPath:
    """Output paths come from validated slugs; this is the last guard against leaving the site."""
    pure = PurePosixPath(path)
    odd_part = any(part in ("", ".", "..") for part in pure.parts)
    if pure.is_absolute() or not pure.parts or odd_part or "\\" in path or "//" in path:
        raise UnsafeOutputPath(f"refusing to write outside the site: {path!r}")
    return pure


def write_tree(outputs: dict[str, bytes], folder: Path) -> None:
    for path in sorted(outputs):
        target = folder.joinpath(*safe_relative(path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(outputs[path])


def write_site(outputs: dict[str, bytes], out_dir: Path) -> None:
    out_dir = out_dir.absolute()
    for path in outputs:
        safe_relative(path)  # check everything before touching the disk
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        write_tree(outputs, staging)
        if out_dir.exists():
            out_dir.rename(retired)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
