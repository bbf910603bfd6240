"""Shared test helpers: a throwaway copy of a fixture project, and ways to build it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest

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


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled code of each template file, kept in memory for the session. A bucket is
    keyed by the template's path and checked against its source's checksum, so an edited template
    is compiled again: the output is what compiling every time gives."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def pytest_configure(config: pytest.Config) -> None:
    """Each build makes its own Jinja environment and so compiles every template again: most of
    the time of a small site's build, and of each step of the tests that build one project many
    times. In-process builds of this session share the compiled code (CompiledTemplates)."""
    import townsite.templating

    make = townsite.templating.environment
    shared = CompiledTemplates()

    def environment(templates_dir: Path) -> jinja2.Environment:
        env = make(templates_dir)
        env.bytecode_cache = shared
        return env

    patch = pytest.MonkeyPatch()
    patch.setattr(townsite.templating, "environment", environment)
    config.add_cleanup(patch.undo)


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
    xdist, run on one worker (`pytest_collection_modifyitems`)."""
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


# --- on two cores (pytest-xdist, `-n auto --dist loadgroup` in scripts/test.sh) -----------------------


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share a fixture of wider than function scope defined here (a site built once,
    a browser, a clone) form one xdist group, run on one worker: the fixture is made once, not
    once per worker, and builds of one project folder never wait on each other's lock. A test
    with its own `xdist_group` mark keeps it."""
    owner: dict[str, str] = {}  # union-find over test ids and shared fixtures

    def find(key: str) -> str:
        while owner.setdefault(key, key) != key:
            owner[key] = owner[owner[key]]
            key = owner[key]
        return key

    free = [item for item in items if item.get_closest_marker("xdist_group") is None]
    for item in free:
        for fixture in shared_fixtures(item):
            owner[find(fixture)] = find(item.nodeid)
    members: dict[str, list[pytest.Item]] = {}
    for item in free:
        members.setdefault(find(item.nodeid), []).append(item)
    for group in members.values():
        if len(group) > 1:
            name = group[0].nodeid.split("::", 1)[0]  # the first test's file names the group
            for item in group:
                item.add_marker(pytest.mark.xdist_group(name))


def shared_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures of module, package or session scope, defined under tests/, that `item` uses."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:  # not a function (a doctest, say)
        return []
    found = []
    for name, definitions in info.name2fixturedefs.items():
        definition = definitions[-1]  # the one that applies here (the innermost override)
        code = getattr(definition.func, "__code__", None)
        if definition.scope != "function" and code is not None and Path(code.co_filename).is_relative_to(TESTS):
            found.append(f"fixture {definition.baseid}::{name}")
    return found


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
    deadline = time.monotonic() + 5
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
    lines += session.config.stash.get(left_by_workers, [])
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
