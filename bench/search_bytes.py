"""Bytes a visitor downloads for one cold search query (nothing cached): the client script,
the manifest, the shards of the query's terms and the metadata chunks of the ten hits shown.

    python bench/search_bytes.py [--entries 5000] [--queries 300] [--project DIR] [--browser 20]

Builds the benchmark corpus (bench/corpus.py) unless --project names a built project, draws a
query set from it, and prints the median and p90 against the budget (median <= 40 KB,
p90 <= 80 KB). The fetch plan mirrors static/search.js; --browser N also loads N of the
queries in headless Chromium and counts the bytes actually transferred, as a cross-check."""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import generate, write_townsite  # noqa: E402

from townsite.engine import build  # noqa: E402
from townsite.options import BuildOptions  # noqa: E402
from townsite.search.analysis import query_terms  # noqa: E402
from townsite.search.export import META_CHUNK, fnv1a  # noqa: E402
from townsite.search.whoosh_index import IndexOfRecord  # noqa: E402

BUDGET_MEDIAN, BUDGET_P90 = 40_000, 80_000


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


def plan(query: str, index: IndexOfRecord, shard_count: int) -> tuple[set[str], list[int]]:
    terms = query_terms(query)
    shards = {f"search/t/{fnv1a(t) % shard_count}.bin" for t in terms}
    hits, _ = index.search(query)
    chunks = sorted({h.doc_id // META_CHUNK for h in hits[:10]})
    return shards, chunks


def percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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
        result = build(BuildOptions(root=root, today=dt.date(2026, 11, 22)))
        site = root / "site"
        index = IndexOfRecord(result.search.folder, result.search.docs)
        manifest = json.loads(gzip.decompress((site / "search/manifest.bin").read_bytes()))
        client = next((site / "static").glob("search.*.js"))
        fixed = client.stat().st_size + (site / "search/manifest.bin").stat().st_size
        queries = make_queries(result.search.docs, args.queries)
        totals, shard_bytes, meta_bytes = [], [], []
        for query in queries:
            shards, chunks = plan(query, index, manifest["shards"])
            s = sum((site / name).stat().st_size for name in shards)
            m = sum((site / f"search/d/{c}.bin").stat().st_size for c in chunks)
            shard_bytes.append(s)
            meta_bytes.append(m)
            totals.append(fixed + s + m)
        files = sum(1 for p in (site / "search").rglob("*") if p.is_file())
        print(f"corpus: {len(result.search.docs)} entries; search export: {files} files, {manifest['shards']} shards")
        print(f"fixed per session: client {client.stat().st_size} B + manifest {fixed - client.stat().st_size} B")
        print(
            f"per query (median): shards {statistics.median(shard_bytes):.0f} B, metadata {statistics.median(meta_bytes):.0f} B"
        )
        median, p90 = statistics.median(totals), percentile(totals, 0.9)
        print(
            f"cold query bytes over {len(queries)} queries: median {median / 1000:.1f} KB, p90 {p90 / 1000:.1f} KB, max {max(totals) / 1000:.1f} KB"
        )
        print(f"budget: median <= {BUDGET_MEDIAN / 1000:.0f} KB {'OK' if median <= BUDGET_MEDIAN else 'OVER'}; "
              f"p90 <= {BUDGET_P90 / 1000:.0f} KB {'OK' if p90 <= BUDGET_P90 else 'OVER'}")  # fmt: skip
        if args.browser:
            measured = browser_bytes(site, queries[: args.browser])
            simulated = totals[: args.browser]
            print(f"browser cross-check on {args.browser} queries: measured median {statistics.median(measured) / 1000:.1f} KB, "
                  f"simulated median {statistics.median(simulated) / 1000:.1f} KB")  # fmt: skip
        return 0 if median <= BUDGET_MEDIAN and p90 <= BUDGET_P90 else 1


def browser_bytes(site: Path, queries: list[str]) -> list[int]:
    """Bytes of search.js and search/ responses for each query in a fresh (cold) context."""
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
            results.append(sum(sizes))
            context.close()
        browser.close()
    return results


if __name__ == "__main__":
    sys.exit(main())
