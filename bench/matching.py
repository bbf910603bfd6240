"""The share of 镇企对接 in a build: matching all needs and offers of the benchmark corpus with
orgs, at two sizes, to show it grows linearly and stays small next to the build.

    python bench/matching.py [--entries 2500 5000] [--orgs-share 0.2]"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import add_duijie, generate, write_townsite  # noqa: E402
from townsite.duijie import Duijie  # noqa: E402
from townsite.options import BuildOptions  # noqa: E402
from townsite.pipeline import Stages, prepare  # noqa: E402


def measure(entries: int, share: float) -> dict[str, float]:
    orgs = int(entries * share)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_townsite(add_duijie(generate(entries - orgs), orgs), root)
        _config, site = prepare(BuildOptions(root=root, write=False), Stages())
        start = time.perf_counter()
        duijie = Duijie(site)
        seconds = time.perf_counter() - start
    return {
        "entries": entries,
        "needs": len(duijie.needs),
        "offers": len(duijie.offers),
        "matched": sum(bool(m) for m in duijie.matches.for_need.values()),
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[2500, 5000])
    parser.add_argument("--orgs-share", type=float, default=0.2)
    args = parser.parse_args()
    for entries in args.entries:
        row = measure(entries, args.orgs_share)
        print(f"{row['entries']} entries: {row['needs']} needs, {row['offers']} offers, "
              f"{row['matched']} open needs with a match; matching {row['seconds']:.2f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
