"""Static assets (CSS, JS, images) copied into the site under fingerprinted names, so browsers
may cache them forever and a changed file gets a new URL. SVG images are sanitized on the way
(svg.py): nothing in static/ may run script on the site's origin, so web pages and the file
kinds a browser would run are refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .i18n import _
from .jsbundle import BundleError, bundle, is_script_folder
from .outputcheck import CHECKS
from .problems import ContentError, Problem
from .svg import SvgError, sanitize_svg

FINGERPRINTED = (".css", ".js")
# Served from the site's origin these would run their own script (or fetch a page's worth).
ACTIVE = (".html", ".htm", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".swf", ".mht", ".mhtml")


def collect_assets(static_dir: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Returns (output path -> bytes, asset name -> site path); raises ContentError naming every
    file of static/ that cannot be published."""
    outputs: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    problems: list[Problem] = []
    if not static_dir.is_dir():
        return outputs, urls
    folders = [p for p in static_dir.rglob("*.js") if is_script_folder(p)]
    for path in sorted(static_dir.rglob("*")):
        if not (path.is_file() or path in folders) or path.is_symlink() or path.name.startswith("."):
            continue
        if any(folder in path.parents for folder in folders):
            continue  # a module of a script folder: published as part of its script
        name = path.relative_to(static_dir).as_posix()
        shown = f"static/{name}"
        problem = _name_problem(name)
        if problem:
            problems.append(Problem(_escape(shown), None, problem))
            continue
        try:
            data = bundle(path) if path in folders else path.read_bytes()
        except BundleError as exc:
            where = f"{shown}/{exc.module}" if exc.module else shown
            problems.append(Problem(_escape(where), exc.line, str(exc)))
            continue
        if path.suffix.lower() == ".svg":
            try:
                data = sanitize_svg(data)
            except SvgError as exc:
                problems.append(Problem(shown, None, _("is not a usable SVG image ({reason}); fix it or remove it")
                                        .format(reason=exc)))  # fmt: skip
                continue
        check = CHECKS.get(path.suffix.lower())
        if check is not None and (error := check(data)) is not None:
            problems.append(Problem(shown, None, _("is not valid {kind} ({reason}); fix it or remove it").format(
                kind=path.suffix[1:].upper(), reason=error[1])))  # fmt: skip
            continue
        target = name
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(data).hexdigest()[:10]
            target = f"{name[: -len(path.suffix)]}.{digest}{path.suffix}"
        outputs[f"static/{target}"] = data
        urls[name] = f"/static/{target}"
    if problems:
        raise ContentError(problems)
    return outputs, urls


def _name_problem(name: str) -> str | None:
    if any("\udc80" <= c <= "\udcff" for c in name):
        return _("file name is not valid UTF-8 (its bytes are shown as \\xNN); rename it")
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or "\\" in name:
        return _("file name contains control characters or a backslash; rename it")
    if name.lower().endswith(ACTIVE):
        return _("is a kind of file a browser runs as a page of this site; static/ holds images, styles and "
                 "scripts of the site only: remove it, or link to it on another site")  # fmt: skip
    return None


def _escape(text: str) -> str:
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in text)
