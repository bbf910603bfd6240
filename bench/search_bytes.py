"""Bytes and requests a visitor's browser needs for one cold search query (nothing cached): the
client script the site serves (the bundle of static/search.js/), the manifest, the shards of the
query's terms, the character data a query that found nothing whole needs (homophones) or a rare
traditional character the manifest does not convert, and the records of the ten hits shown
(with the text their excerpts come from).

    python bench/search_bytes.py [--entries 5000] [--queries 300] [--project DIR] [--browser 20]

Builds the benchmark corpus (bench/corpus.py) unless --project names a built project, draws four
query sets from it (ordinary: names, parts of names, places, two words; single characters;
the ordinary set in traditional characters; pinyin of names and places), runs each query through
the browser client's own code (tests/js/rank.js, under node) with a fresh cache, and prints the
median and p90 of bytes and requests per set against the budget (median <= 40 KB and <= 6
requests, p90 <= 80 KB). The client script is counted as a host that compresses text sends it
(gzip -9; the index files are gzip already), and once more uncompressed for the ordinary set. --browser N also loads N ordinary queries in headless Chromium and counts
what is actually transferred, as a cross-check."""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import generate, write_townsite  # noqa: E402

from townsite.engine import build  # noqa: E402
from townsite.options import BuildOptions  # noqa: E402

BUDGET_MEDIAN, BUDGET_P90, BUDGET_REQUESTS = 40_000, 80_000, 6


def make_queries(docs, count: int, seed: int = 1) -> list[str]:
    """What visitors type: a name or part of one, a place, a theme, two words."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        doc = rng.choice(docs)
        title = doc.texts["title"]
        roll = rng.random()
        if roll < 0.4:
            start = rng.randrange(max(1, len(title) - 3))
            queries.append(title[start : start + rng.randint(2, 6)])
        elif roll < 0.6:
            queries.append(doc.province or title[:2])
        elif roll < 0.8:
            other = rng.choice(docs).texts["title"]
            queries.append(f"{title[:2]} {other[-4:-2]}")
        else:
            words = doc.texts["meta"].split()
            queries.append(rng.choice(words) if words else title[:4])
    return queries


def single_characters(docs, count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    chars = [ch for doc in docs for ch in doc.texts["title"] if "\u4e00" <= ch <= "\u9fff"]
    return [rng.choice(chars) for _ in range(count)]


def traditional(queries: list[str]) -> list[str]:
    import opencc

    converter = opencc.OpenCC("s2t")
    return [converter.convert(q) for q in queries]


def pinyin_queries(docs, count: int, seed: int = 3) -> list[str]:
    """Full pinyin of a name's first two to four characters or of a place, sometimes spaced."""
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    out = []
    while len(out) < count:
        doc = rng.choice(docs)
        words = [doc.texts["title"][: rng.randint(2, 4)], doc.province or doc.texts["title"][:2]]
        sounds = lazy_pinyin(rng.choice(words))
        out.append((" " if rng.random() < 0.3 else "").join(sounds))
    return out


def client_costs(search_dir: Path, queries: list[str]) -> list[dict]:
    """Per query, from the browser client's own code: stage, hits, and the files it fetched."""
    done = subprocess.run(["node", str(REPO / "tests/js/rank.js"), str(search_dir)], input=json.dumps(queries),
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(name: str, queries: list[str], site: Path, client: int) -> tuple[float, int, float]:
    costs = client_costs(site / "search", queries)
    sizes = [client + sum((site / "search" / f).stat().st_size for f in c["files"]) for c in costs]
    requests = [1 + len(c["files"]) for c in costs]
    stages: dict[str, int] = {}
    for c in costs:
        stages[c["stage"]] = stages.get(c["stage"], 0) + 1
    median, p90, req = statistics.median(sizes), percentile(sizes, 0.9), statistics.median(requests)
    print(f"{name:<17} {len(queries):>4} queries  bytes median {median / 1000:5.1f} KB  p90 {p90 / 1000:5.1f} KB  "
          f"max {max(sizes) / 1000:5.1f} KB  requests median {req:g}  p90 {percentile(requests, 0.9)}  "
          f"stages {json.dumps(stages, sort_keys=True)}")  # fmt: skip
    return median, p90, req


def verdict(figures: tuple[float, int, float]) -> str:
    median, p90, requests = figures
    ok = median <= BUDGET_MEDIAN and p90 <= BUDGET_P90 and requests <= BUDGET_REQUESTS
    return "OK" if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--project", type=Path, help="an already built project (skips the corpus build)")
    parser.add_argument("--browser", type=int, default=0, help="also measure this many queries in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.project or Path(tmp)
        if not args.project:
            write_townsite(generate(args.entries), root)
        else:  # this checkout's client and templates, and a build from scratch (no cached state)
            for folder in ("templates", "static"):
                shutil.rmtree(root / folder, ignore_errors=True)
                shutil.copytree(REPO / folder, root / folder)
            shutil.rmtree(root / ".townsite-cache", ignore_errors=True)
        result = build(BuildOptions(root=root, today=dt.date(2026, 11, 22)))
        site = root / "site"
        docs = result.search.docs
        script = next((site / "static").glob("search.*.js"))
        raw = script.stat().st_size
        packed = len(gzip.compress(script.read_bytes(), compresslevel=9))
        manifest = (site / "search/manifest.bin").stat().st_size
        files = sum(1 for p in (site / "search").rglob("*") if p.is_file())
        print(f"corpus: {len(docs)} entries; search export: {files} files")
        print(f"fixed per visit: client {packed} B as a host that compresses text sends it ({raw} B uncompressed), "
              f"manifest {manifest} B")  # fmt: skip
        ordinary = make_queries(docs, args.queries)
        sets = {
            "ordinary": ordinary,
            "single character": single_characters(docs, args.queries // 3),
            "traditional": traditional(ordinary[: args.queries // 3]),
            "pinyin": pinyin_queries(docs, args.queries // 3),
        }
        figures = {name: report(name, queries, site, packed) for name, queries in sets.items()}
        plain = report("ordinary, client uncompressed", ordinary, site, raw)
        print(f"budget (median <= {BUDGET_MEDIAN / 1000:.0f} KB and <= {BUDGET_REQUESTS} requests, p90 <= "
              f"{BUDGET_P90 / 1000:.0f} KB): " + ", ".join(f"{n} {verdict(f)}" for n, f in figures.items())
              + f"; ordinary with the client uncompressed {verdict(plain)}")  # fmt: skip
        ok = verdict(figures["ordinary"]) == "OK"
        if args.browser:
            measured = browser_bytes(site, ordinary[: args.browser])
            print(f"browser cross-check on {args.browser} ordinary queries: measured median "
                  f"{statistics.median(b for b, _ in measured) / 1000:.1f} KB, "
                  f"{statistics.median(r for _, r in measured):g} requests")  # fmt: skip
        return 0 if ok else 1


def browser_bytes(site: Path, queries: list[str]) -> list[tuple[int, int]]:
    """(bytes, requests) of search.js and search/ responses for each query in a fresh context."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "tests"))
    from e2e.server import StaticServer
    from e2e.tools import CHROMIUM, CHROMIUM_ARGS

    results = []
    with StaticServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on("response", lambda r, sizes=sizes: sizes.append(len(r.body()))
                    if ("/search/" in r.url and not r.url.endswith("/search/")) or "/search." in r.url else None)  # fmt: skip
            page.goto(server.url("/search/?q=" + quote(query)))
            page.wait_for_function("document.getElementById('search-status').textContent.indexOf('正在') < 0")
            page.wait_for_timeout(300)
            results.append((sum(sizes), len(sizes)))
            context.close()
        browser.close()
    return results


if __name__ == "__main__":
    sys.exit(main())
