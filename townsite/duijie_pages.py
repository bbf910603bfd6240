"""The directory 镇企对接 (/duijie/): every open need and every offer, with filters by kind of
row, industry, province, partner kind and program, and their counts. Each filter value has a
static page (/duijie/<dimension>/<slug>/) that works without JavaScript; on /duijie/ itself
static/duijie.js filters in place and keeps the filters in the URL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .duijie import Duijie, Row, duijie_of
from .model import Site
from .needs import NATIONWIDE, PARTNER_KINDS
from .pages import EVERYTHING, PageSpec
from .schema import PROVINCE_SLUGS
from .slugs import slugify
from .templating import Renderer

DIRECTORY_URL = "/duijie/"
# (key in URLs, query strings and data attributes, label)
DIMENSIONS = (
    ("side", "类别"),
    ("industry", "产业"),
    ("province", "地区"),
    ("partner", "合作方式"),
    ("program", "工程"),
)
SIDES = {"need": "招商需求", "offer": "合作意向"}
PARTNER_SLUGS = {name: slugify(name) for name in PARTNER_KINDS}
NATIONWIDE_SLUG = "quan-guo"


@dataclass(frozen=True)
class Value:
    dimension: str
    label: str  # of the dimension
    slug: str
    name: str
    rows: tuple[Row, ...]

    @property
    def url(self) -> str:
        return f"{DIRECTORY_URL}{self.dimension}/{self.slug}/"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    values: tuple[Value, ...]


class DirectoryView:
    """Filter keys of every listed row, and the values of each dimension with their rows."""

    def __init__(self, site: Site, duijie: Duijie):
        self.rows = duijie.listed
        self.terms = {(t.taxonomy, t.name): t.slug for tax in site.taxonomies.values() for t in tax.terms}
        self.keys = {row.key: self._keys(row) for row in self.rows}
        self.dimensions = [Dimension(key, label, tuple(self._values(key, label))) for key, label in DIMENSIONS]

    def _keys(self, row: Row) -> dict[str, list[tuple[str, str]]]:
        """(slug, name) of the values a row is found under, per dimension."""
        regions = row.item["regions"] if row.side == "offer" else [row.owner.province] if row.owner.province else []
        return {
            "side": [(row.side, SIDES[row.side])],
            "industry": [(self.terms[("industry", i)], i) for i in row.item["industries"]],
            "province": [(NATIONWIDE_SLUG if r == NATIONWIDE else PROVINCE_SLUGS[r], r) for r in regions],
            "partner": [(PARTNER_SLUGS[p], p) for p in row.item["partners"]],
            "program": [(self.terms[("program", p)], p) for p in row.owner.programs or []],
        }

    def _values(self, dimension: str, label: str) -> Iterator[Value]:
        carrying: dict[tuple[str, str], list[Row]] = {}
        for row in self.rows:
            for value in self.keys[row.key][dimension]:
                carrying.setdefault(value, []).append(row)
        for (slug, name), rows in sorted(carrying.items()):
            yield Value(dimension, label, slug, name, tuple(rows))

    def data(self, row: Row) -> list[tuple[str, str]]:
        """data-* attributes the script filters by: ("industry", "slug-a slug-b"), ..."""
        return [(key, " ".join(slug for slug, _name in values)) for key, values in self.keys[row.key].items()]


class DuijieFeature:
    """The Feature: /duijie/ and its filter pages."""

    name = "duijie"

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return [(DIRECTORY_URL, "镇企对接")]

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        site = renderer.site
        view = DirectoryView(site, duijie_of(site))
        renderer.env.globals["directory"] = view
        needs = sum(row.side == "need" for row in view.rows)
        offers = len(view.rows) - needs
        summary = f"{len(view.rows)} 条对接信息：{needs} 项征集中的招商需求，{offers} 项企业与机构的合作意向。"
        page = self._page(DIRECTORY_URL, "镇企对接", summary, view.rows, None)
        yield PageSpec(DIRECTORY_URL, "duijie.html", {"page": page}, EVERYTHING)
        for dimension in view.dimensions:
            for value in dimension.values:
                summary = f"{dimension.label}为“{value.name}”的 {len(value.rows)} 条招商需求与合作意向。"
                page = self._page(value.url, f"镇企对接：{value.name}", summary, value.rows, value)
                yield PageSpec(value.url, "duijie.html", {"page": page}, EVERYTHING)

    @staticmethod
    def _page(url: str, title: str, summary: str, rows: tuple[Row, ...] | list[Row], value: Value | None) -> dict:
        return {
            "title": title,
            "kind": "duijie",
            "url": url,
            "summary": summary,
            "rows": list(rows),
            "duijie_filter": value,
            "complete": value is None,
        }
