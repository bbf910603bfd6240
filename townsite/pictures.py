"""Pictures: the `cover` and `gallery` of towns, parks, events (and other kinds that declare
them). `check` finds every problem with the files they name (missing, outside content/, not a
picture, too large) and every picture in a content folder that no entry shows; `Pictures`, a
render Feature, publishes each picture's responsive variants (images.py) under /images/ and
gives templates what `<picture>` needs."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .compound import PICTURE_SUFFIXES, ImageRef
from .i18n import _
from .images import FORMATS, WIDTHS, PictureError, Variant, VariantCache, digest_of, inspect
from .model import Entry, Site
from .pages import PageSpec
from .problems import Problem
from .schema import SECTION_TO_KIND
from .templating import Renderer

IMAGES_URL = "/images/"
StructuredData = Callable[[dict[str, Any]], list[dict[str, Any]]]  # render's JSON-LD of a page
MAX_BYTES = 20 * 1024 * 1024  # a picture file larger than this is refused unread


def refs(entry: Entry) -> list[tuple[str, ImageRef]]:
    """(field, reference) of every picture an entry names, cover first."""
    found: list[tuple[str, ImageRef]] = []
    if isinstance(entry.data.get("cover"), ImageRef):
        found.append(("cover", entry.data["cover"]))
    found += [("gallery", ref) for ref in entry.data.get("gallery") or [] if isinstance(ref, ImageRef)]
    return found


def source_of(entry: Entry, ref: ImageRef) -> str:
    """The picture's project-relative path: `src` is relative to the entry file's folder."""
    return (Path(entry.source).parent / ref.src).as_posix()


def _file_problem(path: Path, content: Path) -> str | None:
    try:
        info = path.lstat()
        real = path.resolve()
    except (OSError, RuntimeError):
        return _("there is no such file; put the picture there or correct the path")
    if not real.is_relative_to(content.resolve()) or not real.is_file():
        return _("is not a file inside content/; copy the picture in beside the entry")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        return _("is {size} MB; keep pictures under 20 MB (export at most 2000 pixels wide)").format(
            size=info.st_size // (1024 * 1024)
        )
    try:
        inspect(real.read_bytes())
    except (OSError, PictureError) as exc:
        return _("cannot be read as a PNG, JPEG or WebP picture ({reason}); export it again").format(reason=exc)
    return None


def check(entries: Iterable[Entry], root: Path) -> list[Problem]:
    """Problems with the pictures `entries` name (drafts included, so their pictures are not
    strays), then pictures in content folders that no entry names."""
    problems: list[Problem] = []
    named: set[str] = set()
    content = root / "content"
    for entry in entries:
        for field, ref in refs(entry):
            source = source_of(entry, ref)
            named.add(source)
            problem = _file_problem(root / source, content)
            if problem:
                message = _("{field}: `{src}` ({source}) {problem}")
                problems.append(Problem(entry.source, ref.line, message.format(
                    field=field, src=ref.src, source=source, problem=problem)))  # fmt: skip
    for source in strays(root, named):
        message = _("is a picture that no entry shows: name it in an entry's `cover:` or `gallery:`, or delete it")
        problems.append(Problem(source, None, message))
    return problems


def strays(root: Path, named: set[str]) -> Iterator[str]:
    for section in sorted(SECTION_TO_KIND):
        folder = root / "content" / section
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if name.lower().endswith(PICTURE_SUFFIXES) and not name.startswith("."):
                    source = (Path(dirpath) / name).relative_to(root).as_posix()
                    if source not in named:
                        yield source


@dataclass(frozen=True)
class PictureView:
    """One picture as templates show it."""

    alt: str
    width: int  # of the largest variant: with height, the box the browser reserves
    height: int
    webp: str  # srcset, base path included (as every URL below but `large`)
    fallback: str  # srcset of the JPEG or PNG variants
    fallback_type: str
    src: str  # the JPEG/PNG variant for browsers without srcset: the middle width
    large: str  # site path of the largest JPEG/PNG variant: link previews (OpenGraph, JSON-LD)


def _url(digest: str, variant: Variant) -> str:
    return f"{IMAGES_URL}{digest[:20]}-{variant.width}.{variant.format}"


class PictureLookup:
    """The `pictures` template global: an entry's cover and gallery as PictureViews."""

    def __init__(self, views: dict[str, PictureView]):
        self.views = views

    def _view(self, entry: Entry, ref: ImageRef) -> PictureView:
        return self.views[source_of(entry, ref)]

    def cover(self, entry: Entry) -> PictureView | None:
        ref = entry.data.get("cover")
        return self._view(entry, ref) if isinstance(ref, ImageRef) else None

    def gallery(self, entry: Entry) -> list[PictureView]:
        return [self._view(entry, ref) for field, ref in refs(entry) if field == "gallery"]


class Pictures:
    """The Feature: variants as outputs under /images/, and the `pictures` template global."""

    name = "pictures"

    def __init__(self, root: Path, cache: VariantCache, widths: tuple[int, ...] = WIDTHS):
        self.root = root
        self.cache = cache
        self.widths = widths

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return []

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        views: dict[str, PictureView] = {}
        written: set[str] = set()
        for entry in renderer.site.all_entries():
            for _field, ref in refs(entry):
                source = source_of(entry, ref)
                data = (self.root / source).read_bytes()
                digest = digest_of(data)
                variants = self.cache.variants(data, digest, self.widths)
                views[source] = _view(ref.alt, digest, variants, renderer.url)
                for variant in variants:
                    url = _url(digest, variant)
                    if url not in written:
                        written.add(url)
                        # Named in the digest every page's fingerprint shares: pages show these URLs.
                        renderer.asset_urls[url.lstrip("/")] = url
                        yield PageSpec(url, "", {}, body=variant.data)
        lookup = PictureLookup(views)
        renderer.env.globals["pictures"] = lookup
        structured = cast(StructuredData, renderer.env.globals["structured_data"])
        renderer.env.globals["structured_data"] = _with_cover(structured, lookup, renderer)


def _view(alt: str, digest: str, variants: list[Variant], url: Callable[[str], str]) -> PictureView:
    webp = [v for v in variants if v.format == "webp"]
    fallback = [v for v in variants if v.format != "webp"]
    largest = fallback[-1]

    def srcset(items: list[Variant]) -> str:
        return ", ".join(f"{url(_url(digest, v))} {v.width}w" for v in items)

    middle = fallback[(len(fallback) - 1) // 2]
    return PictureView(
        alt, largest.width, largest.height, srcset(webp), srcset(fallback), FORMATS[largest.format],
        url(_url(digest, middle)), _url(digest, largest),
    )  # fmt: skip


def _with_cover(structured: StructuredData, lookup: PictureLookup, renderer: Renderer) -> StructuredData:
    """JSON-LD of a town, park, event or organisation with its cover as `image`."""

    def with_cover(page: dict[str, Any]) -> list[dict[str, Any]]:
        items = structured(page)
        entry = page.get("entry")
        cover = lookup.cover(entry) if isinstance(entry, Entry) else None
        if cover is None:
            return items
        image = renderer.abs_url(cover.large)
        described = ("Place", "Event", "Organization")
        return [{**item, "image": image} if item.get("@type") in described else item for item in items]

    return with_cover
