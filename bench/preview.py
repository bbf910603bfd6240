"""The editor's loop at scale: `serve` on the benchmark corpus, a body edit saved, and the time
until the rebuilt page is served (end to end: file watcher, rebuild, HTTP); then a production
`build` with a warm cache and nothing changed.

    python bench/preview.py [--entries 5000] [--edits 15] [--project DIR]

Budgets (issue 5): save → rebuilt and reloadable ≤ 300 ms median; warm build ≤ 1 s."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import generate, write_townsite  # noqa: E402

from townsite.serve import free_port  # noqa: E402


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--project", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.project or Path(tmp)
        if not args.project:
            write_townsite(generate(args.entries), root)
        cli = [sys.executable, str(REPO / "build.py")]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000", "LC_ALL": "en_US.UTF-8"}  # English CLI output
        subprocess.run([*cli, "build", "--root", str(root)], check=True, capture_output=True, env=env)
        start = time.perf_counter()
        warm = subprocess.run([*cli, "build", "--root", str(root)], check=True, capture_output=True, text=True, env=env)
        warm_seconds = time.perf_counter() - start
        assert "up to date" in warm.stdout, warm.stdout

        port = free_port("127.0.0.1")
        server = subprocess.Popen([*cli, "serve", "--root", str(root), "--port", str(port), "--out", str(root / "preview")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            ready = time.perf_counter()
            while "<html" not in fetch(base + "/"):
                time.sleep(0.2)
            first = time.perf_counter() - ready
            time.sleep(2)  # let the first search export finish
            rng = random.Random(3)
            towns = sorted((root / "content/towns").glob("*.md"))
            latencies = []
            for n in range(args.edits):
                path = rng.choice(towns)
                marker = f"编辑标记{n}x{time.time_ns()}"  # never seen before, even across runs
                url = f"{base}/towns/{path.stem}/"
                text = path.read_text(encoding="utf-8") + f"\n\n{marker}\n"
                saved = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while marker not in fetch(url):
                    time.sleep(0.005)
                latencies.append(time.perf_counter() - saved)
                time.sleep(0.5)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        median = statistics.median(latencies)
        print(f"corpus: {len(list((root / 'content').rglob('*.md')))} entries")
        print(f"serve: first full build served after {first:.1f} s")
        print(f"save → rebuilt page served, over {len(latencies)} body edits: median {median * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms (budget 300 ms {'OK' if median <= 0.3 else 'OVER'}; hugo server 550 ms)")  # fmt: skip
        print(f"warm build, nothing changed: {warm_seconds:.2f} s (budget 1 s {'OK' if warm_seconds <= 1 else 'OVER'})")
        return 0 if median <= 0.3 and warm_seconds <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
