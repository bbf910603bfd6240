"""Whether this Python has townsite's dependencies, and what to tell an editor whose has not.

Standard library only: build.py asks before importing anything that needs a dependency, and runs
itself again with the project's .venv (made by `bash scripts/build.sh`) when the answer is no."""

from __future__ import annotations

import re
from importlib import metadata

from .i18n import _


def has_dependencies() -> bool:
    """townsite is installed in this Python with every dependency it declares (the extras aside)."""
    try:
        for requirement in metadata.requires("townsite") or []:
            if "extra ==" not in requirement:
                metadata.distribution(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    except metadata.PackageNotFoundError:
        return False
    return True


def not_installed(module: str) -> str:
    """The one line for a missing dependency (no .venv yet, or a damaged one)."""
    message = _(
        "error: townsite's dependencies are not installed (no module `{module}`): run `bash scripts/build.sh` first"
    )
    return message.format(module=module)
