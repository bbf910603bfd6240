"""Peak memory and CPU of the search export alone, in-process, on a benchmark corpus.

    python bench/search_export.py /tmp/c20 [--out DIGESTS.json]

Plans the project's documents as a build does (no writing), then runs `export_search` and
prints its CPU seconds (process time), the peak resident size of the process (VmHWM, reset
before the export so it is the export's peak over the planned heap), the resident size before
it, and a digest of all the files it made (to show two versions make the same bytes)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from townsite.engine import Engine  # noqa: E402
from townsite.options import BuildOptions  # noqa: E402
from townsite.pipeline import Stages  # noqa: E402
from townsite.search.export import export_search  # noqa: E402


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--out", type=Path, help="write each file's sha256 here, as JSON")
    args = parser.parse_args()
    docs = Engine(BuildOptions(root=args.root, write=False))._plan(Stages(), None).docs
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    start = time.process_time()
    outputs, version = export_search(docs)
    cpu = time.process_time() - start
    peak = _status("VmHWM")
    digest = hashlib.sha256()
    for path in sorted(outputs):
        digest.update(path.encode() + b"\0" + outputs[path])
    print(f"{len(docs)} entries, {len(outputs)} files, version {version}: export CPU {cpu:.1f} s, "
          f"RSS before {before / 2**20:.0f} MiB, peak {peak / 2**20:.0f} MiB, "
          f"output digest {digest.hexdigest()[:16]}")  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps({p: hashlib.sha256(b).hexdigest() for p, b in sorted(outputs.items())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
