"""The build-state record: what each output of the last build was made from (a fingerprint of
its template closure, the content it shows, the configuration and townsite's own code), kept in
the build cache per output folder. The engine compares it with the plan of the next build;
an empty, stale or damaged record only means more work, never a different result.

Also here: the digest of every input (when it and the output folder's listing both match the
record, there is nothing to do, decided before the pipeline is even imported)."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .store import Table

INPUT_FOLDERS = ("content", "templates", "static")
PACKAGE = Path(__file__).parent


def _code_version() -> str:
    """townsite's own code: a change to it is a change to every output."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def input_key(root: Path, options_text: str) -> str:
    """A digest of townsite's code, the options and every byte of every input file."""
    digest = hashlib.sha256(f"townsite {CODE_VERSION}\n{options_text}\n".encode())
    for folder in INPUT_FOLDERS:
        for dirpath, dirnames, filenames in os.walk(root / folder):
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


def listing(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under out_dir: (size, mtime in ns). scandir, not Path objects: this runs on
    every build, also when there is nothing to do."""
    found: dict[str, tuple[int, int]] = {}
    folders = [(str(out_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (info.st_size, info.st_mtime_ns)
            except OSError:  # gone meanwhile: the listing differs, as it should
                found[prefix + entry.name] = (-1, -1)
    return found


# path -> (fingerprint, digest of the bytes, sources whose body the page showed)
Outputs = dict[str, tuple[str, str, tuple[str, ...]]]


@dataclass
class BuildState:
    key: str = ""  # input_key of the build that made the folder
    outputs: Outputs = field(default_factory=dict)
    search_version: str = ""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # the folder's listing after it

    def intact(self, out_dir: Path) -> bool:
        """The folder is exactly as that build left it: its outputs can be reused."""
        return bool(self.files) and out_dir.is_dir() and listing(out_dir) == self.files


def state_table(cache_dir: Path, out_dir: Path) -> Table:
    """One record per output folder (`build` into site/, `serve` into its preview folder)."""
    name = hashlib.sha256(str(out_dir.absolute()).encode()).hexdigest()[:12]
    return Table(cache_dir / "state" / f"{name}.bin", f"code {CODE_VERSION}")


def load_state(cache_dir: Path, out_dir: Path) -> BuildState:
    rows = state_table(cache_dir, out_dir).load()
    try:
        state = BuildState(rows["key"], rows["outputs"], rows["search_version"], rows["files"])
    except (KeyError, TypeError):
        return BuildState()
    ok = all(isinstance(v, str) for v in (state.key, state.search_version))
    return state if ok and isinstance(state.outputs, dict) and isinstance(state.files, dict) else BuildState()


def save_state(cache_dir: Path, out_dir: Path, state: BuildState) -> None:
    rows = {"key": state.key, "outputs": state.outputs, "search_version": state.search_version, "files": state.files}
    state_table(cache_dir, out_dir).save(rows)


def up_to_date(cache_dir: Path, out_dir: Path, key: str) -> bool:
    state = load_state(cache_dir, out_dir)
    return state.key == key and state.intact(out_dir)
