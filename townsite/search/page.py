"""The search page, rendered with the rest of the site; its data comes from the index stage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Site
from ..render import PageSpec, Renderer
from .documents import KIND_LABELS


@dataclass
class SearchFeature:
    """The search page; every page's header carries a search box that leads to it."""

    version: str
    name: str = "search"

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return []

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        page = {
            "title": "搜索",
            "kind": "search",
            "url": "/search/",
            "summary": "在全站的特色小镇、产业园区、活动与页面中搜索。",
            "index_version": self.version,
            "kind_labels": KIND_LABELS,
        }
        yield PageSpec("/search/", "search.html", {"page": page}, extra=self.version)
