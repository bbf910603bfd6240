#!/usr/bin/env python3
"""Build the site: `python build.py` (= `python build.py build`), `python build.py check`, `--help`.

When the interpreter that runs it lacks townsite's dependencies, it runs itself again with the
project's `.venv` (made by `bash scripts/build.sh`), so the README's commands work in any shell."""

import os
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT))


def _has_dependencies() -> bool:
    """townsite is installed here with every dependency it declares (the extras aside)."""
    try:
        requirements = metadata.requires("townsite") or []
        for requirement in requirements:
            if "extra ==" not in requirement:
                metadata.distribution(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    except metadata.PackageNotFoundError:
        return False
    return True


def _not_installed(module: str) -> int:
    from townsite.i18n import _  # the standard library only

    message = _(
        "error: townsite's dependencies are not installed (no module `{module}`): run `bash scripts/build.sh` first"
    )
    print(message.format(module=module), file=sys.stderr)
    return 1


if __name__ == "__main__":
    in_venv = Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve()
    if not in_venv and VENV_PYTHON.is_file() and not _has_dependencies():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    from townsite.cli import main

    try:
        status = main()
    except ModuleNotFoundError as error:  # no .venv yet, or a damaged one: no traceback, the fix
        if error.name is None or error.name.partition(".")[0] == "townsite":
            raise
        status = _not_installed(error.name)
    sys.exit(status)
