"""The Nu HTML Checker (vnu.jar, from npm `vnu-jar`) reports no errors on the whole built site."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import BuiltSite
from .tools import VNU_JAR, missing, need_file

# A page with a known error, checked in the same run: proves the checker ran and its report was read.
CANARY = '<!doctype html><html lang="zh-CN"><head><title>x</title></head><body><p><div></div></p></body></html>\n'


# One short run: the JVM's quick compiler alone (C2's optimizing work never pays off in a run this
# short; half the CPU), whose bigger frames need a bigger stack than the checker's 512k minimum.
QUICK_JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]


def where(message: dict[str, Any], root: Path) -> str:
    url = message.get("url", "")
    path = url.removeprefix("file:")
    rel = Path(path).relative_to(root).as_posix() if path.startswith(str(root)) else path
    return f"{rel}:{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"


def test_nu_checker_finds_no_errors_in_the_built_site(built: BuiltSite, tmp_path: Path) -> None:
    java = shutil.which("java") or missing("java", "apt-get install default-jre-headless (scripts/test.sh does it)")
    jar = need_file(VNU_JAR, "run `npm ci` (scripts/test.sh does it)")
    files = sorted(p for p in built.root.rglob("*") if p.suffix in {".html", ".css", ".svg"})
    assert sum(p.suffix == ".html" for p in files) >= 9
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")

    run = subprocess.run(
        [java, *QUICK_JVM, "-jar", str(jar), "--errors-only", "--also-check-css", "--also-check-svg", "--format", "json",
         str(canary), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(run.stderr)["messages"]
    canary_errors = [m for m in messages if m.get("url", "").endswith("/canary.html")]
    assert canary_errors, f"the checker did not report the canary's error: {run.stderr[:500]}"
    problems = [m for m in messages if m not in canary_errors]
    if problems:
        report = "\n".join(f"{where(m, built.root)}: {m.get('type')}: {m.get('message')}" for m in problems)
        pytest.fail(f"the Nu HTML Checker found {len(problems)} error(s):\n{report}", pytrace=False)
