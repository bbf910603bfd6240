"""build.py in a Python without townsite's dependencies: it runs itself again with the project's
.venv when there is one, and otherwise says in one line to run the setup, without a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from townsite.environment import has_dependencies, not_installed

BARE_PYTHON = [getattr(sys, "_base_executable", sys.executable), "-S"]  # -S: no site-packages at all


def test_this_python_has_them() -> None:
    assert has_dependencies()


def test_the_message_names_the_module_and_the_setup_command() -> None:
    message = not_installed("pypinyin", ["check"])
    assert "`pypinyin`" in message and "`bash scripts/build.sh`" in message and "\n" not in message


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The project's files build.py needs, without a .venv."""
    root = tmp_path / "townsite"
    for name in ("townsite", "content", "templates", "static"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "build.py", root / "build.py")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """build.py in a C locale (Chinese messages, the default) unless `--lang` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {"LANG": "C.UTF-8"}
    return subprocess.run(
        [*BARE_PYTHON, str(root / "build.py"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def test_without_a_venv_one_line_says_to_run_the_setup(copy: Path) -> None:
    done = run(copy, "check")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "bash scripts/build.sh" in done.stderr


def test_the_message_follows_lang_and_the_locale(copy: Path) -> None:
    chinese = run(copy, "check").stderr
    english = run(copy, "check", "--lang", "en").stderr
    assert "请先运行" in chinese and "run `bash scripts/build.sh` first" in english, (chinese, english)


def test_with_the_venv_it_runs_itself_there(copy: Path) -> None:
    if not (REPO / ".venv" / "bin" / "python").is_file():
        pytest.skip("no .venv: run `source scripts/setup.sh test` first")
    (copy / ".venv").symlink_to(REPO / ".venv")
    done = run(copy, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_dependency_added_since_the_setup_is_named_not_a_crash(copy: Path) -> None:
    """After a pull that adds a dependency, the .venv made before it lacks it: one line, the fix."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    added = text.replace("dependencies = [\n", 'dependencies = [\n    "townsite-test-no-such-package>=1",\n', 1)
    assert added != text
    (copy / "pyproject.toml").write_text(added, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {"LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, str(copy / "build.py"), "check"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "townsite-test-no-such-package" in done.stderr, done.stderr
    assert "bash scripts/build.sh" in done.stderr
