"""The editor's loop at scale: `serve` on the benchmark corpus, edits saved, and the time until
the changed page is served (end to end: file watcher, rebuild, HTTP); then a production `build`
with a warm cache and nothing changed.

    python bench/preview.py [--entries 5000] [--edits 15] [--edit body summary title date] [--project DIR]
    python bench/preview.py --in-process [--entries 5000] [--edits 3] [--edit ...]

Kinds of edit: `body` appends a line to a town's body, `summary` changes a town's summary,
`title` an event's title, `date` moves an event (one without an end date) to another day.
`--in-process` runs the live engine in this process instead and reports, per kind of edit,
the pages rendered again and the CPU seconds of each update (this process and its workers).
As `serve` does, the outputs updates keep fragments of are rendered once in idle time after the
first run (Engine.warm), automatic full garbage collections are off after the first run and
one runs between saves (their CPU seconds are reported apart: serve runs them when idle).

Budgets (issues 5 and 12): a body edit served ≤ 300 ms median, a front-matter edit ≤ 1 s;
warm build ≤ 1 s."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import generate, write_townsite  # noqa: E402

from townsite.formatting import date_zh  # noqa: E402
from townsite.serve import free_port  # noqa: E402

KINDS = ("body", "summary", "title", "date")
BUDGETS = {"body": 0.3, "summary": 1.0, "title": 1.0, "date": 1.0}  # seconds, median
ENV = {"SOURCE_DATE_EPOCH": "1795000000", "LC_ALL": "en_US.UTF-8"}  # fixed date, English CLI output


@dataclass(frozen=True)
class Edit:
    path: Path
    url: str  # the page that shows the change
    marker: str  # text that page has once the change is served
    text: str  # the file's new text


def _front_line(text: str, key: str) -> re.Match[str]:
    match = re.search(rf"^{key}: (.*)$", text, flags=re.MULTILINE)
    assert match, f"no {key}: line"
    return match


def _replace(text: str, match: re.Match[str], value: str) -> str:
    return text[: match.start(1)] + value + text[match.end(1) :]


def make_edit(root: Path, kind: str, n: int, rng: random.Random) -> Edit:
    """One edit of `kind`, never seen before (even across runs), not yet written."""
    unique = f"编辑标记{n}x{time.time_ns()}"
    if kind in ("body", "summary"):
        path = rng.choice(sorted((root / "content/towns").glob("*.md")))
        text = path.read_text(encoding="utf-8")
        url = f"/towns/{path.stem}/"
        if kind == "body":
            return Edit(path, url, unique, text + f"\n\n{unique}\n")
        match = _front_line(text, "summary")
        return Edit(path, url, unique, _replace(text, match, match.group(1) + unique))
    events = sorted((root / "content/events").glob("*.md"))
    path = rng.choice(events)
    text = path.read_text(encoding="utf-8")
    while kind == "date" and re.search("^end:", text, flags=re.MULTILINE):
        path = rng.choice(events)
        text = path.read_text(encoding="utf-8")
    url = f"/events/{path.stem}/"
    if kind == "title":
        match = _front_line(text, "title")
        return Edit(path, url, unique, _replace(text, match, match.group(1) + unique))
    assert kind == "date", kind
    match = _front_line(text, "date")
    old = dt.date.fromisoformat(match.group(1))
    new = old + dt.timedelta(days=rng.randint(1, 300) * rng.choice((-1, 1)))
    return Edit(path, url, date_zh(new), _replace(text, match, new.isoformat()))


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def served(base: str, root: Path, kinds: list[str], edits: int) -> dict[str, list[float]]:
    """Seconds from each save until the changed page is served, per kind of edit."""
    rng = random.Random(3)
    latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
    for kind in kinds:  # kind by kind: a front-matter edit starts a search export that runs for a while
        for n in range(edits):
            edit = make_edit(root, kind, n, rng)
            while edit.marker in fetch(base + edit.url):  # a date the page already shows
                edit = make_edit(root, kind, n, rng)
            saved = time.perf_counter()
            edit.path.write_text(edit.text, encoding="utf-8")
            while edit.marker not in fetch(base + edit.url):
                time.sleep(0.005)
            latencies[kind].append(time.perf_counter() - saved)
            time.sleep(0.5)
    return latencies


def end_to_end(root: Path, kinds: list[str], edits: int) -> int:
    cli = [sys.executable, str(REPO / "build.py")]
    env = {**os.environ, **ENV}
    subprocess.run([*cli, "build", "--root", str(root)], check=True, capture_output=True, env=env)
    start = time.perf_counter()
    warm = subprocess.run([*cli, "build", "--root", str(root)], check=True, capture_output=True, text=True, env=env)
    warm_seconds = time.perf_counter() - start
    assert "up to date" in warm.stdout, warm.stdout

    port = free_port("127.0.0.1")
    shutil.rmtree(root / "preview", ignore_errors=True)  # a first build, and no export until serve makes it
    server = subprocess.Popen([*cli, "serve", "--root", str(root), "--port", str(port), "--out", str(root / "preview")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        ready = time.perf_counter()
        while "<html" not in fetch(base + "/"):
            time.sleep(0.2)
        first = time.perf_counter() - ready
        # serve makes the search export after its first pages: edits are timed once it is written.
        while not (root / "preview/search/manifest.bin").exists():
            if server.poll() is not None or time.perf_counter() - ready > 600:
                raise SystemExit("serve stopped or wrote no search export")
            time.sleep(0.2)
        time.sleep(1)
        latencies = served(base, root, kinds, edits)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"corpus: {len(list((root / 'content').rglob('*.md')))} entries")
    print(f"serve: first build (pages) served after {first:.1f} s")
    ok = warm_seconds <= 1
    for kind, seconds in latencies.items():
        median, budget = statistics.median(seconds), BUDGETS[kind]
        ok = ok and median <= budget
        print(f"save → changed page served, {len(seconds)} {kind} edits: median {median * 1000:.0f} ms, "
              f"max {max(seconds) * 1000:.0f} ms (budget {budget * 1000:.0f} ms {'OK' if median <= budget else 'OVER'})")  # fmt: skip
    print(f"warm build, nothing changed: {warm_seconds:.2f} s (budget 1 s {'OK' if warm_seconds <= 1 else 'OVER'})")
    return 0 if ok else 1


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measured(run: Callable[[], object]) -> tuple[object, float, float]:
    start, wall = cpu(), time.perf_counter()
    result = run()
    return result, cpu() - start, time.perf_counter() - wall


def _by_section(paths: Iterable[str]) -> str:
    """ "timeline/town 12, events 3, ...": where the outputs rendered again are."""
    sections = Counter("/".join(p.split("/")[:2]) if p.startswith("timeline/") else p.split("/")[0] for p in paths)
    return ", ".join(f"{name} {count}" for name, count in sections.most_common())


def in_process(root: Path, kinds: list[str], edits: int) -> int:
    """The live engine in this process: pages rendered and CPU seconds per update."""
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    from townsite.engine import Engine
    from townsite.options import BuildOptions

    out = Path(tempfile.mkdtemp(prefix="preview-", dir=root))
    engine = Engine(BuildOptions(root, out, include_drafts=True, base_url="http://127.0.0.1:1/"), live=True)
    result, seconds, wall = measured(engine.run)
    print(f"first run: {result.rendered} pages rendered, {seconds:.1f} s CPU, {wall:.1f} s wall")  # type: ignore[attr-defined]
    _, seconds, wall = measured(engine.update_search)  # as serve does after it, in its second process
    print(f"search export after it: {seconds:.1f} s CPU, {wall:.1f} s wall")
    warmed, seconds, _ = measured(engine.warm)  # as serve does when idle after its first run
    print(f"idle warm-up after it: {seconds:.2f} s CPU" if warmed else "no warm-up after it")
    thresholds = gc.get_threshold()
    gc.set_threshold(*thresholds[:2], 1 << 30)  # as serve does (townsite/serve.py, IDLE_COLLECT)
    rng = random.Random(3)
    for kind in kinds:
        rows, collections = [], []
        for n in range(edits):
            collections.append(measured(gc.collect)[1])  # serve's idle collection, between saves
            edit = make_edit(root, kind, n, rng)
            edit.path.write_text(edit.text, encoding="utf-8")
            before = dict(engine.state.outputs)
            result, seconds, wall = measured(lambda: engine.run([edit.path]))  # noqa: B023
            assert edit.marker in (out / edit.url.lstrip("/") / "index.html").read_text(encoding="utf-8")
            stages = ", ".join(f"{name} {s:.2f}" for name, s in result.timings if s >= 0.05)  # type: ignore[attr-defined]
            rows.append((result.rendered, seconds, wall))  # type: ignore[attr-defined]
            print(f"  {kind} {edit.path.name}: {rows[-1][0]} pages, {seconds:.2f} s CPU, {wall:.2f} s wall ({stages})")
            print(f"    rendered: {_by_section(p for p, v in engine.state.outputs.items() if before.get(p) != v)}")
        pages = statistics.median(r[0] for r in rows)
        print(f"{kind}: median {pages:g} pages rendered, {statistics.median(r[1] for r in rows):.2f} s CPU "
              f"(max {max(r[1] for r in rows):.2f}), {statistics.median(r[2] for r in rows):.2f} s wall; "
              f"idle collection {statistics.median(collections):.2f} s CPU")  # fmt: skip
    gc.set_threshold(*thresholds)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=15, help="edits of each kind")
    parser.add_argument("--edit", nargs="+", choices=KINDS, default=["body"], help="kinds of edit (default: body)")
    parser.add_argument("--in-process", action="store_true", help="pages rendered and CPU per edit, no server")
    parser.add_argument("--project", type=Path, help="an existing project (edited in place)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.project or Path(tmp)
        if not args.project:
            write_townsite(generate(args.entries), root)
        if args.in_process:
            return in_process(root.absolute(), args.edit, args.edits)
        return end_to_end(root, args.edit, args.edits)


if __name__ == "__main__":
    sys.exit(main())
