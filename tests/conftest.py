"""Shared test helpers: a throwaway copy of a fixture project, and ways to build it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from shared_templates import shared_templates  # noqa: F401  (a session fixture: cold builds share compiled templates)

from townsite.engine import BuildResult, build
from townsite.i18n import DEFAULT, set_language
from townsite.options import BuildOptions
from townsite.problems import ContentError

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
TODAY = dt.date(2026, 1, 1)
REAL_TODAY = dt.date(2026, 11, 22)  # the date the tests of the real content build it as of
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


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The real content (content/) built once per session as of REAL_TODAY, for the tests that
    only read it: (result, site folder). Every build of the repository's own content shares its
    .townsite-cache and build lock, so the tests that make one all use this fixture and, under
    xdist, run on one worker (REAL_CONTENT_TESTS)."""
    out = tmp_path_factory.mktemp("real") / "site"
    return build(BuildOptions(root=REPO, out_dir=out, today=REAL_TODAY)), out


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


# --- on two cores (pytest-xdist, `-n auto --dist loadfile` in scripts/test.sh) ------------------------

# The tests that build the repository's own content (the session's `real_site`): they share its
# .townsite-cache and build lock, so they run on one worker, which builds it once.
REAL_CONTENT_TESTS = ("tests/e2e/", "tests/test_content.py", "tests/test_timeline.py")


def xdist_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its file (whose module fixtures are then made once),
    or, for the tests of the real content, all of them together."""
    path = nodeid.split("::", 1)[0]
    return "the real content" if path.startswith(REAL_CONTENT_TESTS) else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile`, with the tests of the real content as one unit (xdist's own
    `loadgroup` marks do nothing under pytest 9.2: xdist 3.8 renames a node by an attribute
    pytest no longer reads)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_unit(nodeid)

        def _assign_work_unit(self, node: object) -> None:
            """The longest unit first (a long one left for last would keep one core busy alone)."""
            queue = self.workqueue
            longest = max(queue, key=lambda unit: UNIT_SECONDS.get(unit, 0.1 * len(queue[unit])))
            queue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return ByUnit(config, log)


# What the longest units took (seconds, both workers busy and the machine shared, 2026-11-29 after
# cold builds shared their compiled templates); any other counts 0.1 s a test.
UNIT_SECONDS = {
    "the real content": 144, "tests/test_readme_commands.py": 80, "tests/test_search_ranking.py": 45,
    "tests/test_incremental.py": 43, "tests/test_hostile.py": 26, "tests/test_broken_input.py": 25,
    "tests/test_serve.py": 24, "tests/test_faults.py": 22, "tests/test_matching.py": 20, "tests/test_packaging.py": 19,
    "tests/test_i18n.py": 17, "tests/test_pipeline.py": 15, "tests/test_bench.py": 12, "tests/test_kept.py": 11,
    "tests/test_containment.py": 11, "tests/test_feeds.py": 10, "tests/test_environment.py": 10,
    "tests/test_linkcheck.py": 10, "tests/test_fingerprints.py": 10, "tests/test_suite_guard.py": 15,
}  # fmt: skip


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
    running a few seconds after the last test fails the run, and is then stopped. Under xdist each
    worker checks its own processes and hands what it found to the controller, which reports it
    (an orphan of a worker would no longer be the controller's descendant)."""
    import contextlib
    import signal
    import time

    if not Path("/proc/self/stat").exists():
        return
    deadline = time.monotonic() + float(os.environ.get("TOWNSITE_TEST_PROCESS_WAIT", 5))
    while (left := living_descendants(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    lines = [f"  {pid}: {command[:200]}" for pid, command in sorted(left.items())]
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports it
        workeroutput[LEFT_BEHIND] = lines
        return
    lines = lines + session.config.stash.get(left_by_workers, [])
    if not lines:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "\n".join(["tests left processes running (now stopped):", *lines])
    if reporter is not None:
        reporter.write_line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


LEFT_BEHIND = "townsite_processes_left"
left_by_workers = pytest.StashKey[list[str]]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """xdist, in the controller: a worker finished; keep the processes it found left behind."""
    config: pytest.Config = node.config  # type: ignore[attr-defined]
    found = getattr(node, "workeroutput", {}).get(LEFT_BEHIND, [])
    config.stash[left_by_workers] = config.stash.get(left_by_workers, []) + list(found)
