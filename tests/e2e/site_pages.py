"""The page types of a built site, each with one real example page to test it on."""

from __future__ import annotations

from dataclasses import dataclass

from townsite.engine import BuildResult
from townsite.render import output_path

# The page types every build has, by the `kind` their render context gives them.
CORE_KINDS = ("home", "town", "park", "event", "page", "list", "taxonomy", "term", "404", "org")
# The 404 page is tested as visitors meet it: at a path that does not exist, two folders deep.
MISSING_PATH = "/towns/no-such-town/"
# Page types of features that are landing separately; each joins the suite once its page is built.
FEATURE_PAGES = {"timeline": "/timeline/", "search": "/search/", "duijie": "/duijie/", "data": "/data/", "sitemap": "/sitemap/"}
PAGE_TYPES = (*CORE_KINDS, *FEATURE_PAGES)


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # site path, "/towns/xi-ji/"
    title: str  # the page's own title, as its h1 shows it
    status: int = 200  # HTTP status the server answers with


def page_types(result: BuildResult) -> dict[str, PageType]:
    """The first page of each type in the build's plan (home first, then in site order)."""
    found: dict[str, PageType] = {}
    feature_by_url = {url: name for name, url in FEATURE_PAGES.items()}
    for spec in result.pages:
        if not output_path(spec.url).endswith(".html"):
            continue
        page = spec.context.get("page")
        page = page if isinstance(page, dict) else {}
        name = feature_by_url.get(spec.url) or page.get("kind")
        if name == "404":
            found[name] = PageType(name, MISSING_PATH, str(page.get("title", "")), status=404)
        elif name in PAGE_TYPES and name not in found:
            found[name] = PageType(name, spec.url, str(page.get("title", "")))
    return found
