"""Lighthouse scores of the built site: performance, accessibility, best practices and SEO of
the home page, a town, the timeline and search (each when the build has it), served from a
built site on 127.0.0.1 and measured in Debian's Chromium.

    python bench/lighthouse.py                 # build content/ into a temp folder, mobile preset
    python bench/lighthouse.py --preset desktop --runs 3 --reports test-artifacts/lighthouse
    python bench/lighthouse.py --site site     # an already built site

Needs `npm ci` (the `lighthouse` package) and /usr/bin/chromium. Not a CI gate: it prints the
figures (the median of --runs per category) and, for every score below 100, the audits that cost
points. Exit status 0 unless Lighthouse itself fails."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]
from e2e.server import StaticServer  # noqa: E402  (the e2e suite's static host, 404.html included)

from townsite.engine import build  # noqa: E402
from townsite.options import BuildOptions  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass
class Result:
    name: str
    path: str
    scores: dict[str, list[int]]  # category -> score (0-100) of each run
    losses: dict[str, set[str]]  # category -> audits below full marks that carry weight

    def median(self, category: str) -> int:
        return round(statistics.median(self.scores[category]))


def pages_of(site: Path) -> list[tuple[str, str]]:
    """(name, site path) of each page to measure that this build has."""
    pages = [("home", "/")]
    towns = sorted(p.parent.name for p in (site / "towns").glob("*/index.html") if p.parent.name != "page")
    # A town with a gallery when there is one: its pictures are part of what is measured.
    pictured = [t for t in towns if 'class="gallery"' in (site / "towns" / t / "index.html").read_text("utf-8")]
    if towns:
        pages.append(("town", f"/towns/{(pictured or towns)[0]}/"))
    if (site / "timeline" / "index.html").is_file():
        pages.append(("timeline", "/timeline/"))
    if (site / "duijie" / "index.html").is_file():
        pages.append(("duijie", "/duijie/"))
    if (site / "search" / "index.html").is_file():
        pages += [("search", "/search/"), ("search-q", "/search/?q=" + quote("西吉"))]
    return pages


def run_lighthouse(url: str, preset: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]  # fmt: skip
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})
    return json.loads(report.read_text(encoding="utf-8"))


def losses_of(lhr: dict[str, Any], category: str) -> set[str]:
    audits = lhr["audits"]
    lost = set()
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            lost.add(
                f"{ref['id']} ({audit['score']:.2f}{', ' + audit['displayValue'] if audit.get('displayValue') else ''})"
            )
    return lost


def measure(site: Path, runs: int, preset: str, reports: Path) -> list[Result]:
    results = []
    with StaticServer(site) as server:
        for name, path in pages_of(site):
            result = Result(name, path, {c: [] for c in CATEGORIES}, {c: set() for c in CATEGORIES})
            for run in range(1, runs + 1):
                lhr = run_lighthouse(server.url(path), preset, reports / f"{name}-{preset}-{run}.json")
                for category in CATEGORIES:
                    score = lhr["categories"][category]["score"]
                    result.scores[category].append(round(100 * (score or 0)))
                    result.losses[category] |= losses_of(lhr, category)
            results.append(result)
    return results


def print_table(results: list[Result], runs: int, preset: str) -> None:
    print(f"Lighthouse ({preset}, median of {runs} run{'s' if runs > 1 else ''})")
    print(f"{'page':<10} {'path':<50} " + " ".join(f"{c:>14}" for c in CATEGORIES))
    for r in results:
        print(f"{r.name:<10} {r.path:<50} " + " ".join(f"{r.median(c):>14}" for c in CATEGORIES))
    for r in results:
        for category in CATEGORIES:
            if r.median(category) < 100:
                print(f"  {r.name} {category}: " + "; ".join(sorted(r.losses[category])))


def build_site(out: Path, today: dt.date | None) -> Path:
    build(BuildOptions(root=REPO, out_dir=out, today=today))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build content/ afresh)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="build date YYYY-MM-DD (default: the build's)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed (default 1)")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile", help="default: mobile")
    parser.add_argument("--reports", type=Path, help="keep the Lighthouse JSON reports in this folder")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is missing: run `npm ci` at the top of the project", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="townsite-lighthouse-") as tmp:
        reports = args.reports or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        site = args.site or build_site(Path(tmp) / "site", args.today)
        try:
            results = measure(site.resolve(), args.runs, args.preset, reports.resolve())
        except subprocess.CalledProcessError as exc:
            print(f"lighthouse failed: {exc}", file=sys.stderr)
            return 1
    print_table(results, args.runs, args.preset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
