"""Where the outside tools of the e2e suite live, and what happens when one is missing.

`scripts/test.sh` installs them all (apt: chromium, fonts-wqy-zenhei, a JRE; npm ci: axe-core,
vnu-jar, lighthouse) and sets TOWNSITE_E2E_STRICT=1, so that in CI a missing tool fails the
suite instead of skipping part of it. A bare `pytest` on a machine without them skips, saying
what to install."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
STRICT_ENV = "TOWNSITE_E2E_STRICT"


def missing(what: str, fix: str) -> NoReturn:
    """Skip (or, under scripts/test.sh, fail) because a tool the test needs is not installed."""
    message = f"{what} is missing: {fix}"
    if os.environ.get(STRICT_ENV) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def need_file(path: Path, fix: str) -> Path:
    if not path.is_file():
        missing(str(path.relative_to(REPO) if path.is_relative_to(REPO) else path), fix)
    return path
