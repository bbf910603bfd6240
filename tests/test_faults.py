"""Faults of the machine and of the process, injected (tests/faults.py): whatever happens, the
output folder holds the old site or the new one, never none and never half of one; the next
build removes what a killed one left; a fault of the machine is one line naming the path and what
to do, exit 1, no traceback; an internal error is one line pointing at a saved report."""

from __future__ import annotations

import errno
import fcntl
import os
import pathlib
import shutil
import threading
import time

import pytest
from conftest import TODAY, Project, copy_project
from faults import POINTS, Launcher, build_killed_at, failing, leftovers, tree
from sitecheck import run_cli

from townsite import swap
from townsite.cli import main, out_dir_problem
from townsite.lock import LOCK_NAME
from townsite.write import Staging, write_site


@pytest.fixture(autouse=True)
def _english(english):
    """These tests assert English message text (test_i18n checks every msgid has its Chinese)."""


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory) -> tuple[Project, dict[str, bytes], dict[str, bytes]]:
    """A project with an old site/ built, its content since edited; both trees' bytes."""
    project = copy_project("mini", tmp_path_factory.mktemp("faults") / "proj")
    assert run_cli("build", "--root", str(project.root), "--today", TODAY.isoformat()).returncode == 0
    old = tree(project.site)
    project.edit("content/towns/lake-town.md", "summary:", "summary: 新的简介。")
    scratch = copy_project("mini", tmp_path_factory.mktemp("faults-new") / "proj")
    shutil.copy(project.root / "content/towns/lake-town.md", scratch.root / "content/towns/lake-town.md")
    assert run_cli("build", "--root", str(scratch.root), "--today", TODAY.isoformat()).returncode == 0
    new = tree(scratch.site)
    assert old != new
    return project, old, new


def build(project: Project, *args: str) -> int:
    return main(["build", "--root", str(project.root), "--today", TODAY.isoformat(), *args])


# --- killed ------------------------------------------------------------------------------------


def test_killed_at_every_point_the_site_is_old_or_new_and_the_next_build_cleans_up(old_and_new, tmp_path):
    project, old, new = old_and_new
    seen = []
    with Launcher(tmp_path) as launcher:  # each build forked from an interpreter that imported townsite
        for point in POINTS:  # one after the other: each killed build also meets the leftovers of the last
            build_killed_at(project.root, point, launcher)
            now = tree(project.site)
            assert now in (old, new), point
            seen.append("new" if now == new else "old")
    assert seen[0] == "old" and seen[-1] == "new"  # killed before the swap: old; after it: new
    assert seen.index("new") == POINTS.index("swap:exchanged")
    result = run_cli("build", "--root", str(project.root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert tree(project.site) == new
    assert leftovers(project.root) == []
    assert not list((project.root / ".townsite-cache").glob("crash-*"))


def test_killed_between_the_two_renames_the_next_build_puts_the_old_site_back(tmp_path, monkeypatch):
    """Where no atomic exchange exists the old folder is renamed aside first; a build killed
    right then leaves no site/, and the next one restores it before anything else."""
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)

    class Killed(BaseException):
        pass

    def kill(name: str) -> None:
        if name == "swap:between":
            raise Killed

    monkeypatch.setattr(swap.faults, "point", kill)
    with pytest.raises(Killed):
        write_site({"index.html": b"new"}, out)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [f".site.old-{os.getpid()}"]
    monkeypatch.setattr(swap.faults, "point", lambda name: None)
    with Staging(out):  # the next build, before it writes anything
        assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    write_site({"index.html": b"new"}, out)  # and the fallback swap itself works
    assert (out / "index.html").read_bytes() == b"new"


def test_leftovers_of_a_running_build_are_left_alone(tmp_path):
    out = tmp_path / "site"
    running = tmp_path / f".site.staging-{os.getppid()}"  # a live process (pytest's parent)
    dead = tmp_path / ".site.staging-999999999"
    for folder in (running, dead):
        (folder / "x").mkdir(parents=True)
    write_site({"index.html": b"x"}, out)
    assert running.exists() and not dead.exists()


# --- faults of the machine -----------------------------------------------------------------------


def run_with_fault(project: Project, capsys, monkeypatch, owner, name, code, when) -> tuple[int, list[str], list[str]]:
    before = tree(project.site)
    with failing(monkeypatch, owner, name, code, when) as failed:
        exit_code = build(project)
    err = capsys.readouterr().err
    assert failed, "the fault was never reached"
    lines = err.splitlines()
    assert "Traceback" not in err and len(lines) == 1, err
    assert tree(project.site) == before
    assert leftovers(project.root) == []
    return exit_code, lines, failed


@pytest.fixture
def built(project) -> Project:
    assert build(project) == 0
    project.edit("content/towns/lake-town.md", "summary:", "summary: 改动。")  # so there is work to do
    return project


@pytest.mark.parametrize(
    ("code", "advice"),
    [(errno.ENOSPC, "no space left on its device: free some space"), (errno.EROFS, "read-only file system"),
     (errno.EACCES, "permission denied"), (errno.EIO, "input/output error")],
)  # fmt: skip
def test_a_fault_while_writing_pages_is_one_line_and_the_site_is_kept(built, capsys, monkeypatch, code, advice):
    def in_staging(path: pathlib.Path, *args: object) -> bool:
        return ".site.staging-" in str(path)

    exit_code, (line,), _ = run_with_fault(built, capsys, monkeypatch, pathlib.Path, "write_bytes", code, in_staging)
    assert exit_code == 1
    assert line.startswith("error: ") and "site: " in line and advice in line
    assert line.endswith("site/ was not changed.")


def test_an_output_folder_that_cannot_be_swapped_is_named(built, capsys, monkeypatch):
    def busy(first: object, second: object) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(second))

    monkeypatch.setattr(swap, "exchange", busy)
    before = tree(built.site)
    assert build(built) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "site: is busy" in line and "--out" in line
    assert tree(built.site) == before and leftovers(built.root) == []


def test_a_folder_that_cannot_be_made_names_the_output_folder_parent(built, capsys, monkeypatch):
    def staging(path: pathlib.Path, *args: object) -> bool:
        return path.name.startswith(".site.staging-")

    exit_code, (line,), _ = run_with_fault(built, capsys, monkeypatch, pathlib.Path, "mkdir", errno.EACCES, staging)
    assert exit_code == 1 and "proj: permission denied" in line


def test_an_unwritable_cache_is_named_before_anything_is_built(built, capsys, monkeypatch):
    real_open = os.open

    def lock_file(path: object, *args: object) -> bool:
        return str(path).endswith(LOCK_NAME)

    with failing(monkeypatch, os, "open", errno.EACCES, lock_file):
        assert build(built) == 1
    assert os.open is real_open
    (line,) = capsys.readouterr().err.splitlines()
    assert ".townsite-cache/build.lock: permission denied" in line


def test_an_unreadable_content_file_is_a_problem_of_that_file(built, capsys, monkeypatch):
    def lake(path: pathlib.Path, *args: object) -> bool:
        return path.name == "lake-town.md"

    with failing(monkeypatch, pathlib.Path, "read_bytes", errno.EACCES, lake):
        assert build(built) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "content/towns/lake-town.md: cannot be read: permission denied" in lines[0]
    assert lines[-1].startswith("error: ")


def test_an_internal_error_is_one_line_with_a_saved_report(built, capsys, monkeypatch):
    def explode(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("townsite.engine.plan_site", explode)
    before = tree(built.site)
    assert build(built) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "this is a bug in townsite" in line and line.endswith("site/ was not changed.")
    (report,) = (built.root / ".townsite-cache").glob("crash-*.txt")
    assert str(report.name) in line and "ZeroDivisionError: a bug" in report.read_text(encoding="utf-8")
    assert tree(built.site) == before and leftovers(built.root) == []


def test_a_real_crash_through_the_cli_shows_no_traceback(built):
    """Through a fresh interpreter: a template that loops forever on recursion crashes Jinja."""
    built.write("templates/partials/loop.html", "{% include 'partials/loop.html' %}")
    built.edit("templates/404.html", "{% block main %}", "{% block main %}{% include 'partials/loop.html' %}")
    result = run_cli("build", "--root", str(built.root), "--today", TODAY.isoformat())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr


# --- two builds, and where the output may go -------------------------------------------------------


def test_a_second_build_says_another_is_running(built, capsys, monkeypatch):
    lock = built.root / ".townsite-cache" / LOCK_NAME
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        monkeypatch.setenv("TOWNSITE_LOCK_WAIT", "0.3")
        before = tree(built.site)
        assert build(built) == 1
        err = capsys.readouterr().err
        assert "another build of this project is running (it holds " in err.splitlines()[-1]
        assert tree(built.site) == before
    finally:
        os.close(fd)


def test_a_second_build_waits_for_the_first(built, capsys, monkeypatch):
    lock = built.root / ".townsite-cache" / LOCK_NAME
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    timer = threading.Timer(0.5, os.close, [fd])
    timer.start()
    start = time.monotonic()
    try:
        assert build(built) == 0
    finally:
        timer.join()
    assert time.monotonic() - start >= 0.4
    assert "waiting for another build" in capsys.readouterr().err


@pytest.mark.parametrize("where", [".", "content", "content/towns", "templates", ".townsite-cache", ".."])
def test_an_output_folder_that_would_replace_the_project_is_a_usage_error(built, capsys, where):
    before = tree(built.root / "content")
    assert build(built, "--out", str(built.root / where)) == 2
    assert "--out" in capsys.readouterr().err
    assert tree(built.root / "content") == before


def test_an_output_that_is_a_file_or_a_mount_point_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    assert "is a file" in (out_dir_problem(tmp_path, tmp_path / "file") or "")
    assert "mount point" in (out_dir_problem(tmp_path, pathlib.Path("/proc")) or "")
    assert out_dir_problem(tmp_path, tmp_path / "public") is None
