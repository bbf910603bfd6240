"""Screenshot pages of a built site in headless Chromium: python scripts/screenshot.py SITE_DIR OUT_DIR PATH..."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main() -> int:
    site, out, paths = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or ["/"]
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for width in (1280, 375):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for path in paths:
                    page.goto(base + path)
                    name = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
