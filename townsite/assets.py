"""Static assets (CSS, JS, images) copied into the site under fingerprinted names, so browsers
may cache them forever and a changed file gets a new URL."""

from __future__ import annotations

import hashlib
from pathlib import Path

FINGERPRINTED = (".css", ".js")


def collect_assets(static_dir: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Returns (output path -> bytes, asset name -> site path)."""
    outputs: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    if not static_dir.is_dir():
        return outputs, urls
    for path in sorted(static_dir.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.name.startswith("."):
            continue
        name = path.relative_to(static_dir).as_posix()
        data = path.read_bytes()
        target = name
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(data).hexdigest()[:10]
            target = f"{name[: -len(path.suffix)]}.{digest}{path.suffix}"
        outputs[f"static/{target}"] = data
        urls[name] = f"/static/{target}"
    return outputs, urls
