"""Shared test helpers: a throwaway copy of a fixture project, and ways to build it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from townsite.engine import BuildResult, build
from townsite.i18n import DEFAULT, set_language
from townsite.options import BuildOptions
from townsite.problems import ContentError

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
TODAY = dt.date(2026, 1, 1)
# Messages in the default language (Simplified Chinese) whatever the shell's locale, in this
# process and in the CLIs it starts; a test about English asks for it (the `english` fixture).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _default_language():
    """A test that ran the CLI with --lang en leaves no English behind."""
    yield
    set_language(DEFAULT)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English: here (set_language) and in CLIs run in-process or as subprocesses."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    set_language("en")


@dataclass
class Project:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def options(self, **kwargs) -> BuildOptions:
        kwargs.setdefault("today", TODAY)
        return BuildOptions(root=self.root, **kwargs)

    def build(self, **kwargs) -> BuildResult:
        return build(self.options(**kwargs))

    def problems(self, **kwargs) -> list[str]:
        """The problems a build reports, as the lines the CLI prints; fails if it succeeds."""
        with pytest.raises(ContentError) as info:
            build(self.options(write=False, **kwargs))
        return [str(p) for p in info.value.problems]

    @property
    def site(self) -> Path:
        return self.root / "site"


def copy_project(fixture: str, dest: Path) -> Project:
    shutil.copytree(FIXTURES / fixture / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "static", dest / "static")
    return Project(dest)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The small fixture site (tests/fixtures/mini) with the real templates."""
    return copy_project("mini", tmp_path / "proj")


@pytest.fixture
def tree_of() -> Callable[[Path], dict[str, bytes]]:
    def read_tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    return read_tree


def force_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `build` take its two-worker path even on the small fixture site. The test session
    may have idle server threads (e2e fixtures) that would otherwise keep it in one process."""
    import multiprocessing

    monkeypatch.setattr("townsite.pipeline.PARALLEL_FROM", 0)
    monkeypatch.setattr("townsite.workers.available", lambda: "fork" in multiprocessing.get_all_start_methods())


# --- no process left behind ------------------------------------------------------------------------


def living_descendants(pid: int) -> dict[int, str]:
    """pid -> command line of every live (not zombie) process below `pid`, from /proc."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] == "Z":
                continue
            parents[int(entry.name)] = int(fields[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = commands[child].strip()
                frontier.append(child)
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite may leave no process behind (a preview server, a worker, a browser): one still
    running a few seconds after the last test fails the run, and is then stopped."""
    import contextlib
    import os
    import signal
    import time

    if not Path("/proc/self/stat").exists():
        return
    deadline = time.monotonic() + 5
    while (left := living_descendants(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  {pid}: {command[:200]}" for pid, command in sorted(left.items())]
    message = "\n".join(["tests left processes running (now stopped):", *lines])
    if reporter is not None:
        reporter.write_line(message, red=True)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
