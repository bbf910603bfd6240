"""Screenshot pages of a built site in headless Chromium, at 1280 and 375 px:
python scripts/screenshot.py SITE_DIR OUT_DIR PATH...
(The e2e suite saves every page type to test-artifacts/screenshots/; this is for any page.)"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from e2e.server import StaticServer
from e2e.tools import CHROMIUM, CHROMIUM_ARGS


def main() -> int:
    site, out, paths = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or ["/"]
    out.mkdir(parents=True, exist_ok=True)
    with StaticServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width in (1280, 375):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in paths:
                page.goto(server.url(path))
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
