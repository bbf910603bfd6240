#!/usr/bin/env python3
"""Build the site: `python build.py` (= `python build.py build`), `python build.py check`, `--help`.

When the interpreter that runs it lacks townsite's dependencies, it runs itself again with the
project's `.venv` (made by `bash scripts/build.sh`), so the README's commands work in any shell."""

import gc
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT))

from townsite.environment import has_dependencies, missing_dependency, not_installed  # noqa: E402 (the standard library only)

if __name__ == "__main__":
    # `build` and `check` keep nearly all they make until the process ends: full collections would
    # walk it all and find next to nothing (see townsite/gcpause.py). `serve` lasts, and `search`
    # (Whoosh) leaves cycles behind: those collect.
    if not {"serve", "search"} & set(sys.argv[1:]):
        gc.disable()
    in_venv = Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve()
    if not in_venv and VENV_PYTHON.is_file() and not has_dependencies():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    missing = missing_dependency(ROOT)  # e.g. added by a pull since the setup: say to run it again
    if missing is not None:
        print(not_installed(missing, sys.argv[1:]), file=sys.stderr)
        sys.exit(1)
    try:
        from townsite.cli import main

        status = main()
    except ModuleNotFoundError as error:  # no .venv yet, or a damaged one: no traceback, the fix
        if error.name is None or error.name.partition(".")[0] == "townsite":
            raise
        print(not_installed(error.name, sys.argv[1:]), file=sys.stderr)
        status = 1
    # Everything is written and closed by now. The interpreter would free a build's heap object
    # by object (0.3 s at 5,000 entries, after the work is done); the system takes it back at once.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away, a full disk: the status Python would give
            status = status or 120
        except ValueError:  # already closed: nothing left to write
            pass
    os._exit(status if isinstance(status, int) else 1)
