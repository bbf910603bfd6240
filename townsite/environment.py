"""Whether this Python has townsite's dependencies, and what to tell an editor whose has not.

Standard library only: build.py asks before importing anything that needs a dependency, and runs
itself again with the project's .venv (made by `bash scripts/build.sh`) when the answer is no."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

from .i18n import LANGUAGES, _, choose_language, set_language


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]


def has_dependencies() -> bool:
    """townsite is installed in this Python with every dependency it declares (the extras aside)."""
    try:
        for requirement in metadata.requires("townsite") or []:
            if "extra ==" not in requirement:
                metadata.distribution(_name(requirement))
    except metadata.PackageNotFoundError:
        return False
    return True


def missing_dependency(root: Path) -> str | None:
    """The first dependency the project's pyproject.toml declares now that this Python lacks: a
    pull may have added one since the .venv was made (None when there is no pyproject.toml)."""
    try:
        with open(root / "pyproject.toml", "rb") as file:
            requirements = tomllib.load(file)["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None
    for requirement in requirements:
        try:
            metadata.distribution(_name(requirement))
        except metadata.PackageNotFoundError:
            return _name(requirement)
    return None


def not_installed(module: str, argv: list[str]) -> str:
    """The one line for a missing dependency (no .venv yet, or a damaged one), in the language of
    `--lang` or the locale: the CLI may have stopped before it chose one."""
    given = argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else None
    set_language(choose_language(given if given in LANGUAGES else None, os.environ))
    message = _(
        "error: townsite's dependencies are not installed (no module `{module}`): run `bash scripts/build.sh` first"
    )
    return message.format(module=module)
