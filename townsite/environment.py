"""Whether this Python has townsite's dependencies, and what to tell an editor whose has not.

Standard library only: build.py asks before importing anything that needs a dependency, and runs
itself again with the project's .venv (made by `bash scripts/build.sh`) when the answer is no."""

from __future__ import annotations

import os
import re
from importlib import metadata

from .i18n import LANGUAGES, _, choose_language, set_language


def has_dependencies() -> bool:
    """townsite is installed in this Python with every dependency it declares (the extras aside)."""
    try:
        for requirement in metadata.requires("townsite") or []:
            if "extra ==" not in requirement:
                metadata.distribution(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    except metadata.PackageNotFoundError:
        return False
    return True


def not_installed(module: str, argv: list[str]) -> str:
    """The one line for a missing dependency (no .venv yet, or a damaged one), in the language of
    `--lang` or the locale: the CLI may have stopped before it chose one."""
    given = argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else None
    set_language(choose_language(given if given in LANGUAGES else None, os.environ))
    message = _(
        "error: townsite's dependencies are not installed (no module `{module}`): run `bash scripts/build.sh` first"
    )
    return message.format(module=module)
