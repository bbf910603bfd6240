"""scripts/setup.sh with a stand-in Python (no network, no real virtualenv): a half-made .venv is
made again, a failed `venv` leaves none behind, a second run installs nothing, and without
ensurepip and apt-get it names the package to install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

# Stands in for python3: answers what setup.sh asks. `-m venv` makes a .venv whose python records
# each pip call in pip.log; FAIL_VENV=1 stops it half-way, NO_ENSUREPIP=1 fails `import ensurepip`.
FAKE_PYTHON = r"""#!/bin/bash
case "$*" in
  "--version") echo "Python 3.11.2" ;;
  "-c import ensurepip") [ -z "$NO_ENSUREPIP" ] ;;
  "-m venv .venv")
    mkdir -p .venv/bin
    [ -n "$FAIL_VENV" ] && exit 1
    printf '#!/bin/bash\n[ "$1" = -m ] && echo "$*" >> pip.log\nexit 0\n' > .venv/bin/python
    chmod +x .venv/bin/python ;;
  *) exit 2 ;;
esac
"""
TOOLS = ("bash", "dirname", "sha256sum", "cut", "touch", "rm", "mkdir", "head", "id", "chmod", "printf")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    tools = tmp_path / "bin"  # the commands setup.sh uses, and no apt-get
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    return root


def setup(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {"PATH": str(root.parent / "bin"), "PYTHON": str(root.parent / "python3"), "HOME": os.environ["HOME"]}
    return subprocess.run(
        ["bash", "-c", "source scripts/setup.sh"], cwd=root, env={**environ, **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_half_made_venv_is_made_again_and_a_second_run_installs_nothing(project: Path) -> None:
    (project / ".venv" / "bin").mkdir(parents=True)  # what a failed `python3 -m venv` leaves
    first = setup(project)
    assert first.returncode == 0, first.stderr
    assert "incomplete" in first.stdout and "creating .venv" in first.stdout, first.stdout
    installs = (project / "pip.log").read_text().splitlines()
    assert installs[-1].endswith("pip install --quiet --disable-pip-version-check -e ."), installs
    assert list((project / ".venv").glob(".installed-*-base"))
    second = setup(project)
    assert second.returncode == 0 and second.stdout == "", second.stdout + second.stderr


def test_a_failed_venv_leaves_no_venv(project: Path) -> None:
    done = setup(project, FAIL_VENV="1")
    assert done.returncode != 0
    assert "python3-venv" in done.stderr
    assert not (project / ".venv").exists()


def test_without_ensurepip_or_apt_get_it_names_the_package(project: Path) -> None:
    done = setup(project, NO_ENSUREPIP="1")
    assert done.returncode != 0
    assert "python3-venv" in done.stderr and "ensurepip is missing" in done.stdout
    assert not (project / ".venv").exists()
