"""Every command that README.md, docs/content-guide.md and docs/deploy.md show runs as written, in a new shell
(no `.venv` activated), in a scratch copy of the repository right after the setup command.

A command is a line of a ```bash block, or an inline `python build.py …` / `bash scripts/…` span
without placeholders (`COMMAND`, `QUERY`, `<slug>`, `…`). Each runs on the state the setup left:
files it adds under content/ are removed after it. `serve` runs until its page answers, then is
stopped with SIGTERM, and nothing of it may be left running."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

DOCS = ("README.md", "docs/content-guide.md", "docs/deploy.md")
SETUP = "bash scripts/build.sh"
NOT_RUN = {  # command (its first words) -> why this test leaves it out
    "bash scripts/test.sh": "the command this suite itself runs under (CI runs it)",
    "bash scripts/bare-debian.sh": "makes a Debian root filesystem: minutes and the package mirror",
}
RUNNABLE = re.compile(r"^(python3? build\.py|bash scripts/)")
PLACEHOLDER = re.compile(r"\b[A-Z]{2,}\b|<[a-z]|…|\.\.\.")
FENCE = re.compile(r"^[ \t]*```bash\n(.*?)^[ \t]*```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")
TIMEOUT = 120


@dataclass(frozen=True)
class Command:
    text: str
    where: str  # doc:line


def shown_commands() -> list[Command]:
    commands: dict[str, Command] = {}
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            for offset, line in enumerate(block.group(1).splitlines()):
                if words(line):
                    commands.setdefault(words(line), Command(line.strip(), f"{doc}:{first_line + offset}"))
        for span in INLINE.finditer(text):
            code = span.group(1).strip()
            if RUNNABLE.match(code) and not PLACEHOLDER.search(code):
                line = text.count("\n", 0, span.start()) + 1
                commands.setdefault(words(code), Command(code, f"{doc}:{line}"))
    return list(commands.values())


def words(command: str) -> str:
    """The command without its comment (the docs' commands have no `#` of their own)."""
    return command.split("#", 1)[0].strip()


def is_skipped(command: str) -> bool:
    return any(words(command) == name or words(command).startswith(name + " ") for name in NOT_RUN)


COMMANDS = [c for c in shown_commands() if words(c.text) != SETUP and not is_skipped(c.text)]


def test_the_docs_show_commands_and_the_setup_first() -> None:
    shown = [words(c.text) for c in shown_commands()]
    assert shown[0] == SETUP, f"README's first command is {shown[0]!r}, this test sets up with {SETUP!r}"
    assert any(" serve" in c for c in shown) and any(" new " in c for c in shown) and len(COMMANDS) >= 8, shown


def new_shell_env() -> dict[str, str]:
    """The environment of a new login shell: no virtualenv on PATH, none activated."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p + "/")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's files as a fresh clone has them, set up with the README's first
    command. Installing a .venv would take minutes: the copy gets one without pip that sees the
    repository's installed packages, marked as set up, so the setup must find it complete (and
    could not install anything into the repository's own)."""
    digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamps = list((REPO / ".venv").glob(f".installed-{digest}-*"))  # as scripts/setup.sh names them
    if not stamps:
        pytest.skip("no .venv set up for this pyproject.toml: run `source scripts/setup.sh test` first")
    root = tmp_path_factory.mktemp("readme") / "townsite"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    borrow_venv(root / ".venv", stamps)
    done = run(SETUP, root)
    assert done.returncode == 0, done.stdout
    assert "setup: installing" not in done.stdout, done.stdout
    assert (root / "site" / "index.html").is_file()
    return root


def borrow_venv(venv: Path, stamps: list[Path]) -> None:
    """A venv without pip whose site-packages include the repository .venv's (and its .pth files)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    (purelib,) = (REPO / ".venv").glob("lib/python3*/site-packages")
    (own,) = venv.glob("lib/python3*/site-packages")
    (own / "borrowed.pth").write_text(f"import site; site.addsitedir({str(purelib)!r})\n")
    for stamp in stamps:
        shutil.copy2(stamp, venv / stamp.name)


def as_typed(command: str) -> str:
    """The command as the README says to type it here: `python3` where there is no `python`."""
    if shutil.which("python", path=new_shell_env()["PATH"]):
        return command
    return re.sub(r"^python ", "python3 ", command)


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", as_typed(command)], cwd=cwd, env=new_shell_env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT,
    )  # fmt: skip


def content_files(root: Path) -> set[Path]:
    return {p for p in (root / "content").rglob("*") if p.is_file()}


def serve_answers(command: str, cwd: Path) -> str:
    """Runs `serve` until its page answers 200; stops it with SIGTERM; returns what it printed."""
    log = cwd.parent / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "-c", "exec " + as_typed(words(command))], cwd=cwd, env=new_shell_env(), stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        url = None
        while url is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            found = re.search(r"http://127\.0\.0\.1:\d+/", log.read_text(encoding="utf-8", errors="replace"))
            url = found and found.group(0)
        assert url, f"serve printed no URL: {log.read_text()}"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert "<html" in response.read().decode()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail("serve did not stop on SIGTERM")
    assert group_ends(process.pid, within=10.0), "serve left a process running after SIGTERM"
    return log.read_text()


def group_ends(group: int, within: float) -> bool:
    """Every process of the group has ended (a helper may outlive its parent for a moment)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)
    return False


@pytest.mark.parametrize("command", COMMANDS, ids=[words(c.text) for c in COMMANDS])
def test_command_runs_as_shown(clone: Path, command: Command) -> None:
    before = content_files(clone)
    try:
        if re.search(r"\bserve\b", words(command.text)):
            output = serve_answers(command.text, clone)
        else:
            done = run(command.text, clone)
            output = done.stdout
            assert done.returncode == 0, f"{command.where}: `{command.text}` exited {done.returncode}:\n{output}"
        assert "Traceback" not in output, f"{command.where}: {output}"
        promised = re.search(r"#\s*writes (\S+)", command.text)
        if promised:
            assert (clone / promised.group(1)).is_file(), f"{command.where}: no {promised.group(1)}:\n{output}"
    finally:
        for added in content_files(clone) - before:
            added.unlink()
