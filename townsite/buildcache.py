"""The build's own record in the cache: what the last successful build was made from (a digest
of every input and option) and what it wrote (each output's size and mtime). When both still
hold, `build` has nothing to do. A missing, stale, partial or corrupted record, or an output
folder that was touched, simply means a full build: the record is never trusted blindly."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from . import __version__

STATE_NAME = "build-state.json"
INPUT_FOLDERS = ("content", "templates", "static")


def input_key(root: Path, options_text: str) -> str:
    """A digest of townsite's version, the options and every byte of every input file."""
    digest = hashlib.sha256(f"townsite {__version__}\n{options_text}\n".encode())
    for folder in INPUT_FOLDERS:
        base = root / folder
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                try:
                    info = path.lstat()
                    if stat.S_ISREG(info.st_mode):  # never open a FIFO or device: it could block
                        digest.update(hashlib.sha256(path.read_bytes()).digest())
                    else:
                        digest.update(f"special {info.st_mode} {info.st_mtime_ns}".encode())
                except OSError:
                    digest.update(b"unreadable")
    return digest.hexdigest()


def _listing(out_dir: Path) -> dict[str, list[int]]:
    """Every file under out_dir: [size, mtime in ns]. scandir, not Path objects: this runs
    on every build, also when there is nothing to do."""
    found: dict[str, list[int]] = {}
    folders = [(str(out_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    info = entry.stat()
                    found[prefix + entry.name] = [info.st_size, info.st_mtime_ns]
    return found


def up_to_date(cache_dir: Path, out_dir: Path, key: str) -> bool:
    try:
        state = json.loads((cache_dir / STATE_NAME).read_text(encoding="utf-8"))
        return (
            isinstance(state, dict)
            and state.get("key") == key
            and state.get("out") == str(out_dir.absolute())
            and out_dir.is_dir()
            and state.get("outputs") == _listing(out_dir)
        )
    except (OSError, ValueError):
        return False


def record(cache_dir: Path, out_dir: Path, key: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    state = {"key": key, "out": str(out_dir.absolute()), "outputs": _listing(out_dir)}
    temporary = cache_dir / f".{STATE_NAME}.tmp-{os.getpid()}"
    temporary.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(temporary, cache_dir / STATE_NAME)
