"""`townsite serve`: the build engine kept alive. It builds with drafts into its own preview
folder (never the production site/), serves it on 127.0.0.1 with livereload, watches content/,
templates/, static/ and the configuration, updates the folder on every save and reloads the
open browsers. No error stops it: a content or template problem, or any other failure of a
rebuild, is shown on every page and in the terminal until the next good save."""

from __future__ import annotations

import gc
import html
import logging
import mimetypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from .engine import Engine
from .gcpause import gc_paused
from .i18n import _, language, ngettext
from .load import is_ignored
from .lock import BuildLocked, build_lock
from .options import CACHE_DIR, BuildOptions
from .problems import ContentError, Problem
from .search.stage import index_docs
from .workers import die_with_parent, stop_now

PREVIEW_FOLDER = "preview"
# After the first build serve runs full garbage collections itself: one walks everything serve
# keeps (0.3-0.5 s at 5,000 entries) and, left automatic, fell inside most rebuilds. It runs once
# no save came for IDLE_COLLECT seconds, and after COLLECT_EVERY rebuilds in any case; the
# collections of young objects (what a request or a render leaves) stay automatic.
IDLE_COLLECT = 1.0
COLLECT_EVERY = 8
NEVER = 1 << 30  # collections of the middle generation before an automatic full one
SEARCH_AFTER = 1.0  # seconds without a rebuild before the search export is brought up to date


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def printable(text: str) -> str:
    """Text any terminal can take: what UTF-8 cannot encode (a lone surrogate from a file)
    is shown escaped, never raised while reporting a problem."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def say(line: str) -> None:
    """One line per event in the terminal, with the time."""
    print(printable(f"{time.strftime('%H:%M:%S')} {line}"), flush=True)


class _PushWatcher(Watcher):
    """livereload polls every 0.8 s; we push reloads ourselves as soon as a rebuild ends."""

    def start(self, callback: Callable[[], None]) -> bool:
        return True


class _ListeningServer(Server):  # type: ignore[misc]
    """livereload's server on a socket bound before the first build: the URL can be printed
    first, and a browser opened at once waits for the first page instead of being refused."""

    def __init__(self, sockets: list[socket.socket], **kwargs: Any):
        super().__init__(**kwargs)
        self.sockets = sockets

    def _setup_logging(self) -> None:
        """livereload would log every request again, in mojibake: serve says what matters."""

    def application(self, *args: Any, **kwargs: Any) -> None:
        sockets = self.sockets

        def listen(app: web.Application, *ignored: Any, **also_ignored: Any) -> HTTPServer:
            server = HTTPServer(app)
            server.add_sockets(sockets)
            return server

        original = web.Application.listen
        web.Application.listen = listen  # type: ignore[method-assign,assignment]
        try:
            super().application(*args, **kwargs)
        finally:
            web.Application.listen = original  # type: ignore[method-assign]


class Preview:
    def __init__(self, options: BuildOptions):
        self.engine = Engine(options, live=True)
        self.out_dir = options.output_dir
        self.problems: list[Problem] = []
        self.lock = threading.Lock()
        self.uncollected = 0  # rebuilds since the last garbage collection
        self.built_at = 0.0  # time.monotonic() at the end of the last rebuild

    # --- building -----------------------------------------------------------------------------
    def build(self, changed: Iterable[Path] = ()) -> bool:
        """One rebuild; whatever goes wrong is shown, never raised (the watcher must live on)."""
        start = time.perf_counter()
        changed = list(changed)
        with self.lock:
            self.uncollected += 1
            try:
                # A run without a last good one writes the build cache that `build` shares; the
                # very first is a build on the workers, and collects as one does (see gcpause).
                locked = self._index_lock() if self.engine.last is None else nullcontext()
                with locked, gc_paused() if not self.engine.state.outputs else nullcontext():
                    report = self.engine.run(changed)
            except ContentError as exc:
                self._failed(exc.problems)
                return False
            except BuildLocked as exc:
                self._failed([self._locked(exc)])
                return False
            except Exception as exc:  # a rebuild must never stop the preview
                self.engine.last = None
                self._failed([Problem("townsite", None, _("the rebuild failed: {error}").format(error=repr(exc)))])
                return False
            finally:
                self.built_at = time.monotonic()
            self.problems = []
        names = ", ".join(sorted(p.name for p in changed))[:200]
        line = _("rebuilt in {ms} ms: {rendered} page(s) rendered, {written} file(s) written, {removed} removed")
        ms = round((time.perf_counter() - start) * 1000)
        line = line.format(ms=ms, rendered=report.rendered, written=report.written, removed=report.removed)
        say(f"{line} ({names})" if names else line)
        return True

    def warm(self, idle: bool) -> bool:
        """When no save came: what the first run made on the workers and updates keep (see
        Engine.warm) made here, so the first edit of an event is not the one that pays for it."""
        if not idle or self.problems:
            return False
        with self.lock:
            try:
                return self.engine.warm()
            except Exception:  # the next update renders these pages itself, and reports what fails
                return False

    def collect_garbage(self, idle: bool) -> bool:
        """A full collection (see IDLE_COLLECT) when `idle` (no save) and the last rebuild ended
        long enough ago, or when rebuilds went uncollected too long."""
        quiet = idle and time.monotonic() - self.built_at >= IDLE_COLLECT
        if not self.uncollected or not (quiet or self.uncollected >= COLLECT_EVERY):
            return False
        gc.collect()
        self.uncollected = 0
        return True

    def _index_lock(self) -> AbstractContextManager[None]:
        """`build`, `search` and `serve` write the same build cache (records, term counts): one
        writer at a time."""
        return build_lock(self.engine.options.cache_dir)

    @staticmethod
    def _locked(exc: BuildLocked) -> Problem:
        message = _("another build of this project is running (it holds {lock}): the preview catches up at the "
                    "next save after it ends")  # fmt: skip
        return Problem("townsite", None, message.format(lock=printable(str(exc.path))))

    def _failed(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        one = ngettext(
            "{count} problem; the browser shows it until the next good save",
            "{count} problems; the browser shows them until the next good save",
            count,
        )
        say(one.format(count=count))
        for problem in problems:
            print(printable(f"  {problem}"), flush=True)

    def update_search(self, pool: Executor | None = None) -> bool:
        """Phase 2, outside the lock (in `pool`, another process, when given): saves that
        arrive meanwhile are rebuilt at once. False when the site changed under it."""
        start = time.perf_counter()
        with self.lock:
            snapshot = None if self.problems else self.engine.search_snapshot()
        if snapshot is None:
            return True
        generation, docs = snapshot
        folder = self.engine.options.cache_dir
        try:
            with self._index_lock():
                search = pool.submit(index_docs, docs, folder).result() if pool else index_docs(docs, folder)
            with self.lock:
                if generation != self.engine.generation:
                    return False
                report = self.engine.apply_search(generation, search)
        except ContentError as exc:  # a template error on the search page
            with self.lock:
                self._failed(exc.problems)
            return True
        except BuildLocked as exc:  # the next save tries again
            with self.lock:
                self._failed([self._locked(exc)])
            return True
        except Exception as exc:  # shown, and the next save tries again
            with self.lock:
                self._failed([Problem("townsite", None, _("the search index failed: {error}").format(error=repr(exc)))])
            return True
        if report:
            say(_("search index updated in {ms} ms").format(ms=round((time.perf_counter() - start) * 1000)))
        return True

    # --- serving ------------------------------------------------------------------------------
    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        # WSGI hands the path over as latin-1 text of the raw bytes: back to bytes, then UTF-8.
        raw = environ.get("PATH_INFO", "/").encode("latin-1", "replace")
        path = unquote(raw.decode("utf-8", "replace"))
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
            say(_("not found: {path}").format(path=path))
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        return self._respond(start_response, "200 OK", kind, target.read_bytes())

    @staticmethod
    def _respond(start_response: Callable[..., Any], status: str, kind: str, body: bytes) -> list[bytes]:
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])  # fmt: skip
        return [body]

    def _error_page(self) -> bytes:
        items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in self.problems)
        count = len(self.problems)
        heading = ngettext("The build failed: {count} problem", "The build failed: {count} problems", count)
        heading = html.escape(heading.format(count=count))
        advice = html.escape(_("Fix the problems below and save: this page reloads by itself."))
        lang = "en" if language() == "en" else "zh-CN"
        return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{heading}</title>
<style>body{{font:16px/1.6 system-ui,sans-serif;margin:2rem;max-width:60rem}}h1{{color:#9f1239}}
code{{white-space:pre-wrap}}li{{margin:.5rem 0}}</style></head>
<body><main><h1>{heading}</h1>
<p>{advice}</p>
<ol class="problems">{items}</ol></main></body></html>""".encode("utf-8", "backslashreplace")


def _watched(options: BuildOptions) -> list[Path]:
    root = options.root.absolute()
    return [p for p in (root / "content", root / "templates", root / "static") if p.is_dir()]


def _relevant(change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    return not is_ignored(name) and not name.endswith((".tmp", ".swx", ".swp"))


def preview_options(options: BuildOptions, host: str, port: int) -> BuildOptions:
    """Drafts shown, links to this server, and its own folder in the build cache."""
    out_dir = options.out_dir or options.root.absolute() / CACHE_DIR / PREVIEW_FOLDER
    return BuildOptions(**{**options.__dict__, "out_dir": out_dir, "base_url": f"http://{host}:{port}/",
                           "include_drafts": True})  # fmt: skip


def _quiet_libraries() -> None:
    """livereload and tornado log every request, twice and in mojibake: we say what matters."""
    for name in ("livereload", "tornado", "tornado.access", "tornado.application", "tornado.general"):
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False
    logging.getLogger("livereload").setLevel(logging.ERROR)


def _search_pool() -> ProcessPoolExecutor:
    """The search export's process, forked now (before any thread starts: forking is safe) and
    dying with serve, whatever stops it."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))  # fmt: skip
    pool.submit(int).result()  # start the worker now
    return pool


def _stop_on_sigterm() -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 0) -> int:
    production = options.root.absolute() / "site"
    if options.out_dir is not None and options.out_dir.absolute().resolve() == production.resolve():
        print(_("serve never writes into the production site/: leave out --out, or name another folder"),
              file=sys.stderr)  # fmt: skip
        return 2
    sockets = bind_sockets(port, host)
    port = sockets[0].getsockname()[1]
    options = preview_options(options, host, port)
    url = f"http://{host}:{port}/"
    print(_("open {url} in your browser (drafts shown; Ctrl-C stops)").format(url=url), flush=True)
    _quiet_libraries()
    _stop_on_sigterm()
    preview = Preview(options)
    preview.build()  # on both cores: no other thread runs yet
    pool = _search_pool() if "fork" in multiprocessing.get_all_start_methods() else None
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)  # full collections by the watcher (see IDLE_COLLECT)
    stop = threading.Event()
    search_wanted = threading.Event()
    search_wanted.set()  # a folder brought up to date in place may still lack this content's export
    loop = IOLoop.current()
    threads = [threading.Thread(target=_watch, args=(preview, options, stop, search_wanted, loop),
                                name="townsite-watch", daemon=True),
               threading.Thread(target=_index, args=(preview, pool, stop, search_wanted),
                                name="townsite-index", daemon=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    say(_("serving {folder} at {url}").format(folder=options.output_dir, url=url))
    server = _ListeningServer(sockets, app=preview.wsgi, watcher=_PushWatcher())
    try:
        server.serve(port=port, host=host, restart_delay=0, debug=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2)
        if pool is not None:
            stop_now(pool)  # an export being made is not waited for
        with preview.lock:
            preview.engine.save()
        say(_("stopped"))
    return 0


def _watch(preview: Preview, options: BuildOptions, stop: threading.Event, search_wanted: threading.Event,
           loop: IOLoop) -> None:  # fmt: skip
    """Rebuild on every batch of saves; nothing that goes wrong ends the watching."""
    while not stop.is_set():
        try:
            for changes in watchfiles.watch(*_watched(options), stop_event=stop, debounce=30, step=10,
                                            watch_filter=_relevant, rust_timeout=500,
                                            yield_on_timeout=True):  # fmt: skip
                if changes:
                    preview.build(sorted({Path(p) for _, p in changes}))
                    loop.add_callback(LiveReloadHandler.reload_waiters, "*")
                    search_wanted.set()
                preview.warm(idle=not changes)
                preview.collect_garbage(idle=not changes)
        except Exception as exc:  # the watcher itself (a watched folder deleted, …): watch again
            say(_("watching stopped ({error}); watching again").format(error=repr(exc)))
            stop.wait(0.5)


def _index(preview: Preview, pool: Executor | None, stop: threading.Event, search_wanted: threading.Event) -> None:
    while not stop.is_set():
        if search_wanted.wait(timeout=0.5):
            # A burst of saves: an export (seconds of CPU) started after each would be outdated
            # by the next and take the core the next rebuild needs; it starts once saves pause.
            while not stop.is_set() and time.monotonic() - preview.built_at < SEARCH_AFTER:
                stop.wait(0.1)
            search_wanted.clear()
            try:
                if not preview.update_search(pool):
                    search_wanted.set()  # the site moved on while indexing: again
            except Exception as exc:  # the pool itself broke: index in this process from now on
                say(_("the search process failed ({error}); indexing here").format(error=repr(exc)))
                pool = None


__all__ = ["Preview", "free_port", "serve"]
