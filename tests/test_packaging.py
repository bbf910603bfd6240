"""The package as users get it: a wheel built from this tree holds every subpackage and the
catalogs, and once installed in a fresh environment (not editable, away from this tree) its
`townsite` command checks and builds the real content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


def subpackages() -> set[str]:
    return {p.parent.relative_to(REPO).as_posix() for p in (REPO / "townsite").rglob("__init__.py")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "src"  # a clean copy: no build/ or egg-info of the working tree leaks in
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "node_modules", "site", ".townsite-cache", "build", "*.egg-info", "__pycache__", "tests"))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(folder), str(source)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = folder.glob("townsite-*.whl")
    return built


def test_the_wheel_holds_every_subpackage_and_the_catalogs(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.rsplit("/", 1)[0] for name in names if name.endswith("/__init__.py")}
    assert packages == subpackages()
    shipped = {p.relative_to(REPO).as_posix() for p in (REPO / "townsite").rglob("*.mo")}
    assert shipped <= set(names)


def test_an_installed_wheel_checks_and_builds_the_real_content(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # The dependencies come from this environment's site-packages (a plain path: its .pth
    # files, among them the editable install of this tree, are not run); townsite from the wheel.
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q"]
    done = subprocess.run([*install, str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    project = tmp_path / "project"
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, project / folder)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([python, "-c", "import townsite.search.stage, townsite; print(townsite.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)  # fmt: skip
    assert where.returncode == 0 and where.stdout.startswith(str(env_dir)), where.stdout + where.stderr
    townsite = env_dir / "bin" / "townsite"
    check = subprocess.run([townsite, "check"], capture_output=True, text=True, cwd=project, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    build = subprocess.run([townsite, "build"], capture_output=True, text=True, cwd=project, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (project / "site" / "index.html").is_file() and (project / "site" / "search" / "manifest.bin").is_file()
