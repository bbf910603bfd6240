"""A small static host for a built site, as the e2e tests and bench/lighthouse.py need it:
threaded, bound to 127.0.0.1 on a free port, and answering missing paths with the site's own
`404.html` and status 404, as static hosts (GitHub Pages, Netlify, nginx `error_page`) do."""

from __future__ import annotations

import functools
import http.server
import threading
from http import HTTPStatus
from pathlib import Path
from types import TracebackType


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    not_found_page = "404.html"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.not_found_page
        if code != HTTPStatus.NOT_FOUND or self.command not in ("GET", "HEAD") or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests print their own failures
        pass


class StaticServer:
    """`with StaticServer(site_dir) as server: server.url("/towns/")` serves until the block ends."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0):
        handler = functools.partial(SiteHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="static-site", daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base + "/" + path.lstrip("/")

    def start(self) -> StaticServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
