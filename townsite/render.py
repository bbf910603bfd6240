"""Rendering: a planned page through its Jinja template into bytes, written where the engine
asks; a template error as `templates/x.html:LINE: message`; links written in bodies checked
against the planned site."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import jinja2

from .i18n import _
from .model import Entry
from .outputcheck import invalid_output
from .pages import EVERYTHING, Feature, PageSpec, Plan, output_path, plan_site
from .problems import Problem, did_you_mean
from .templating import Renderer
from .write import safe_relative, write_bytes

__all__ = ["EVERYTHING", "Feature", "PageSpec", "Plan", "Renderer", "output_path", "plan_site"]


@dataclass(frozen=True)
class Made:
    """One output as written: where, a digest of its bytes, and the sources whose body it showed
    (what its next fingerprint must include)."""

    path: str
    digest: str
    shown: tuple[str, ...]


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def render(renderer: Renderer, spec: PageSpec) -> bytes:
    """The page's bytes; `renderer.bodies_shown` then names the bodies it showed."""
    renderer.bodies_shown = set()
    if spec.make is not None:
        return spec.make()
    if spec.body is not None:
        return spec.body
    template = renderer.env.get_template(spec.template)
    return template.render(spec.context).encode("utf-8")


def template_problem(exc: Exception, templates_dir: Path, root: Path) -> Problem:
    """A template error as `templates/x.html:LINE: message`."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(name)
    rel = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else f"templates/{name}"
    line = getattr(exc, "lineno", None)
    return Problem(rel, line, _("template error: {error}").format(error=exc))


def _template_problem(exc: jinja2.TemplateError, spec: PageSpec, templates_dir: Path) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return template_problem(exc, templates_dir, templates_dir.parent)
    message = _("template error: {error} (rendering {url})").format(error=exc, url=spec.url)
    return Problem(f"templates/{spec.template}", None, message)


def write_file(folder: Path, path: str, data: bytes, in_place: bool = False) -> None:
    """`in_place` (a folder being served): write beside, then rename over, so a browser never
    reads half a page and a file hard-linked from an older site is never changed under it."""
    target = os.path.join(folder, *safe_relative(path).parts)
    if not in_place:
        write_bytes(target, data)
        return
    head, name = os.path.split(target)
    temporary = os.path.join(head, f".{name}.tmp-{os.getpid()}")
    write_bytes(temporary, data)
    os.replace(temporary, target)


def render_into(
    renderer: Renderer, specs: Sequence[PageSpec], folder: Path | None, in_place: bool = False
) -> tuple[list[Made], list[Problem]]:
    """Each page through its template, written into `folder` (None: only rendered, for `check`);
    what was written comes back, not the bytes. A template error stops at the first page it breaks."""
    made: list[Made] = []
    for spec in specs:
        try:
            data = render(renderer, spec)
        except jinja2.TemplateError as exc:
            return made, [_template_problem(exc, spec, renderer.templates_dir)]
        path = output_path(spec.url)
        invalid = invalid_output(path, data, renderer.site)  # an invalid feed is never written
        if invalid is not None:
            return made, [invalid]
        if folder is not None:
            write_file(folder, path, data, in_place)
        made.append(Made(path, content_digest(data), tuple(sorted(renderer.bodies_shown))))
    return made, []


def body_link_problems(
    renderer: Renderer, existing_urls: set[str], entries: Iterable[Entry] | None = None
) -> list[Problem]:
    """Links and images written in Markdown bodies as site paths must lead to a page or a
    static file of this site; `existing_urls` holds both."""
    problems: list[Problem] = []
    for entry in renderer.site.all_entries() if entries is None else entries:
        for target in renderer.body(entry).site_links:
            path = unquote(target.split("#", 1)[0].split("?", 1)[0]) or "/"
            if path not in existing_urls:
                problems.append(_broken_body_link(entry, target, path, existing_urls))
    return problems


def _broken_body_link(entry: Entry, target: str, path: str, existing_urls: set[str]) -> Problem:
    lines = entry.body.split("\n")
    line = entry.body_line + next((i for i, text in enumerate(lines) if target in text), 0)
    if path.startswith("/static/"):
        hint = did_you_mean(path, [u for u in existing_urls if u.startswith("/static/")])
        message = _("`{target}` is not a file in static/{hint}; add static/{file} or fix the path").format(
            target=target, hint=hint, file=path[8:])  # fmt: skip
        return Problem(entry.source, line, message)
    section = path.split("/")[1] if path.count("/") > 2 else ""
    siblings = [u for u in existing_urls if section and u.startswith(f"/{section}/") and u != f"/{section}/"]
    hint = did_you_mean(path, siblings or existing_urls)
    message = _("link to `{target}` leads to no page of this site").format(target=target)
    return Problem(entry.source, line, message + hint)
