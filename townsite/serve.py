"""`townsite serve`: build with drafts, serve the output on 127.0.0.1 with livereload, watch
content/, templates/, static/ and the configuration, rebuild incrementally on every save and
reload the open browsers. A content or template error does not stop the server: every page
shows the problems until the next good save."""

from __future__ import annotations

import html
import logging
import mimetypes
import multiprocessing
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from .incremental import LiveSite
from .load import is_ignored
from .pipeline import BuildOptions
from .problems import ContentError, Problem
from .search.stage import index_docs

log = logging.getLogger("townsite.serve")


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class _PushWatcher(Watcher):
    """livereload polls every 0.8 s; we push reloads ourselves as soon as a rebuild ends."""

    def start(self, callback: Callable[[], None]) -> bool:
        return True


class Preview:
    def __init__(self, options: BuildOptions):
        self.live = LiveSite(options)
        self.out_dir = options.output_dir
        self.problems: list[Problem] = []
        self.lock = threading.Lock()

    # --- building -----------------------------------------------------------------------------
    def build(self, changed: Iterable[Path] = ()) -> None:
        start = time.perf_counter()
        with self.lock:
            try:
                report = self.live.rebuild(changed)
            except ContentError as exc:
                self.problems = exc.problems
                log.warning("%d problem(s); the browser shows them until the next good save", len(exc.problems))
                for problem in exc.problems:
                    log.warning("  %s", problem)
                return
            self.problems = []
        log.info("rebuilt in %.0f ms: %d page(s) rendered, %d file(s) written, %d removed%s",
                 (time.perf_counter() - start) * 1000, report.rendered, report.written, report.removed,
                 f" ({', '.join(sorted(p.name for p in changed))[:200]})" if changed else "")  # fmt: skip

    def update_search(self, pool: Executor | None = None) -> bool:
        """Phase 2, outside the lock (in `pool`, another process, when given): saves that
        arrive meanwhile are rebuilt at once. False when the site changed under it."""
        start = time.perf_counter()
        with self.lock:
            snapshot = None if self.problems else self.live.search_snapshot()
        if snapshot is None:
            return True
        generation, docs = snapshot
        folder = self.live.options.cache_dir
        search = pool.submit(index_docs, docs, folder).result() if pool else index_docs(docs, folder)
        with self.lock:
            if generation != self.live.generation:
                return False
            try:
                report = self.live.apply_search(generation, search)
            except ContentError as exc:  # a template error on the search page
                self.problems = exc.problems
                return True
        if report:
            log.info("search index updated in %.0f ms", (time.perf_counter() - start) * 1000)
        return True

    # --- serving ------------------------------------------------------------------------------
    def wsgi(self, environ: dict, start_response: Callable) -> list[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        is_page = path.endswith(("/", ".html"))
        if self.problems and is_page:
            return self._respond(start_response, "500 Content Error", "text/html; charset=utf-8", self._error_page())
        target = (self.out_dir / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.out_dir.resolve()):
            target = self.out_dir / "404.html"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            page = self.out_dir / "404.html"
            body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404</h1>"
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        return self._respond(start_response, "200 OK", kind, target.read_bytes())

    @staticmethod
    def _respond(start_response: Callable, status: str, kind: str, body: bytes) -> list[bytes]:
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])  # fmt: skip
        return [body]

    def _error_page(self) -> bytes:
        items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in self.problems)
        count = len(self.problems)
        return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>构建出错 · {count} 个问题</title>
<style>body{{font:16px/1.6 system-ui,sans-serif;margin:2rem;max-width:60rem}}h1{{color:#9f1239}}
code{{white-space:pre-wrap}}li{{margin:.5rem 0}}</style></head>
<body><main><h1>构建出错：{count} 个问题</h1>
<p>修正下列问题并保存，页面会自动刷新。The build found {count} problem(s):</p>
<ol class="problems">{items}</ol></main></body></html>""".encode()


def _watched(options: BuildOptions) -> list[Path]:
    root = options.root.absolute()
    return [p for p in (root / "content", root / "templates", root / "static") if p.is_dir()]


def _relevant(change: tuple[watchfiles.Change, str]) -> bool:
    name = Path(change[1]).name
    return not is_ignored(name) and not name.endswith((".tmp", ".swx", ".swp"))


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 0) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    port = port or free_port(host)
    options = BuildOptions(**{**options.__dict__, "base_url": f"http://{host}:{port}/", "include_drafts": True})
    preview = Preview(options)
    preview.build()
    preview.update_search()
    loop = IOLoop.current()
    stop = threading.Event()
    search_wanted = threading.Event()
    # The search export reads every entry: it runs in its own process, off the edit path.
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))

    def watch() -> None:
        for changes in watchfiles.watch(*_watched(options), stop_event=stop, debounce=30, step=10,
                                        watch_filter=lambda c, p: _relevant((c, p)), rust_timeout=500):  # fmt: skip
            preview.build(sorted({Path(p) for _, p in changes}))
            loop.add_callback(LiveReloadHandler.reload_waiters, "*")
            search_wanted.set()

    def index() -> None:
        while not stop.is_set():
            if search_wanted.wait(timeout=0.5):
                search_wanted.clear()
                if not preview.update_search(pool):
                    search_wanted.set()  # the site moved on while indexing: again

    for target, name in ((watch, "townsite-watch"), (index, "townsite-index")):
        threading.Thread(target=target, name=name, daemon=True).start()
    print(f"serving {options.output_dir} at http://{host}:{port}/ (drafts shown; Ctrl-C stops)", flush=True)
    server = Server(app=preview.wsgi, watcher=_PushWatcher())
    try:
        server.serve(port=port, host=host, restart_delay=0, debug=False)
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
    return 0
