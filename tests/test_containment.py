"""Containment: whatever the content says, a build writes nothing but its output folder (site/,
or the --out folder it was given) and the build cache .townsite-cache/; `check` writes nothing at
all. Each test snapshots a whole sandbox (project, a folder beside it, HOME, TMPDIR and the
working directory) around a real CLI run and compares."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import Project, copy_project
from sitecheck import run_cli
from test_hostile import HOSTILE_FILES, document

ALLOWED = ("proj/site", "proj/.townsite-cache")
# Names and values that try to steer an output path out of site/.
TRAVERSAL = {
    "towns/traversal.md": "---\nname: ../../outside/pwned\nsummary: '/etc/passwd'\nprovince: 宁夏\n"
    "industries: ['../../../outside/pwned', '..\\\\..\\\\evil', '/tmp/evil', '%2e%2e%2fevil', '.', '..']\n"
    "status: 建设中\n---\n\n[上级](../../../outside/)\n",
    "pages/dots.md": "---\ntitle: ..\nslug: dot-dot\n---\n",
    "events/slash.md": "---\ntitle: /\\\\/\nslug: slash\nsummary: s\ndate: 2016-06-26\nevent_type: 论坛\n---\n",
}


def snapshot(root: Path) -> dict[str, str]:
    """Every file (content hash and mtime), symlink (target) and folder under root."""
    found: dict[str, str] = {}
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = f"link {os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {path.stat().st_mtime_ns}"
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


@pytest.fixture
def sandbox(tmp_path) -> tuple[Project, dict[str, str]]:
    """The fixture project with hostile content at tmp/proj, a canary folder beside it, and
    HOME, TMPDIR and the working directory inside the sandbox too."""
    project = copy_project("mini", tmp_path / "proj")
    for rel, front in HOSTILE_FILES.items():
        project.write(f"content/{rel}", document(front, rel))
    for rel, text in TRAVERSAL.items():
        project.write(f"content/{rel}", text)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/canary.txt").write_text("untouched", encoding="utf-8")
    env = {}
    for name, var in (("home", "HOME"), ("tmp", "TMPDIR"), ("cache", "XDG_CACHE_HOME"), ("cwd", "PWD")):
        (tmp_path / name).mkdir()
        env[var] = str(tmp_path / name)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return project, env


def test_a_hostile_build_writes_only_site_and_the_cache(sandbox):
    project, env = sandbox
    sand = project.root.parent
    before = snapshot(sand)
    result = run_cli("build", "--root", str(project.root), env=env, cwd=Path(env["PWD"]))
    assert result.returncode == 0, result.stderr
    changed = changes(before, snapshot(sand))
    assert "proj/site/towns/evil-town/index.html" in changed  # it did build
    assert "proj/site/parks/evil-park/index.html" in changed
    assert all(rel.startswith(ALLOWED) for rel in changed), sorted(r for r in changed if not r.startswith(ALLOWED))
    written = [p.relative_to(project.site).as_posix() for p in project.site.rglob("*")]
    assert all(".." not in part and "\\" not in part for rel in written for part in rel.split("/"))


def test_out_elsewhere_is_the_only_place_written(sandbox):
    project, env = sandbox
    sand = project.root.parent
    before = snapshot(sand)
    result = run_cli("build", "--root", str(project.root), "--out", str(sand / "public"), env=env, cwd=Path(env["PWD"]))
    assert result.returncode == 0, result.stderr
    changed = changes(before, snapshot(sand))
    assert "public/towns/evil-town/index.html" in changed
    assert all(rel.startswith(("public", "proj/.townsite-cache")) for rel in changed), sorted(changed)


def test_check_writes_nothing_anywhere(sandbox):
    project, env = sandbox
    sand = project.root.parent
    before = snapshot(sand)
    for args in (["check"], ["check", "--drafts"]):
        result = run_cli(*args, "--root", str(project.root), env=env, cwd=Path(env["PWD"]))
        assert result.returncode == 0, result.stderr
    links = run_cli("check", "--links", "--root", str(project.root), env=env, cwd=Path(env["PWD"]))
    assert links.returncode == 1  # the hostile bodies' <img src=x> and the ../../../ link lead nowhere
    assert "towns/outside-pwned/index.html: 失效链接 ../../../outside/（没有这个页面或文件）" in links.stderr
    assert changes(before, snapshot(sand)) == set()


def test_content_that_points_outside_is_refused_and_nothing_is_written(sandbox):
    project, env = sandbox
    sand = project.root.parent
    assert run_cli("build", "--root", str(project.root), env=env).returncode == 0
    shutil.copy(sand / "outside/canary.txt", sand / "outside/secret.md")
    (project.root / "content/towns/leak.md").symlink_to(sand / "outside/secret.md")
    (project.root / "content/parks/outside").symlink_to(sand / "outside")
    project.write("content/pages/escape.md", "---\ntitle: 逃逸\nslug: ../../outside/pwned\n---\n")
    project.write("content/events/escape.md", "---\ntitle: 逃逸\nslug: /tmp/pwned\nsummary: s\ndate: 2016-06-26\n"
                  "event_type: 论坛\n---\n")  # fmt: skip
    before = snapshot(sand)
    result = run_cli("build", "--root", str(project.root), env=env, cwd=Path(env["PWD"]))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()[:-1]] == [
        "content/events/escape.md:3",
        "content/pages/escape.md:3",
        "content/parks/outside",
        "content/towns/leak.md",
    ]
    assert changes(before, snapshot(sand)) == set()
    assert "untouched" not in "".join(p.read_text(encoding="utf-8") for p in project.site.rglob("*.html"))
