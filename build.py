#!/usr/bin/env python3
"""Build the site: `python build.py` (= `python build.py build`), `python build.py check`, `--help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from townsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
