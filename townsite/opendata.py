"""Open data (/data/): towns, parks, orgs, events, needs and offers as JSON and as CSV, with
stable, documented columns, and a /data/ page that describes them with schema.org DataCatalog
and Dataset JSON-LD. CSVs are UTF-8 with a BOM and CRLF rows, so Excel on Windows opens them
with the Chinese intact. In JSON a list is an array and a missing value is null; in CSV a list
is joined with LIST_SEPARATOR and a missing value is empty."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from .duijie import Row, duijie_of
from .link import REFERENCE_FIELDS
from .model import Entry, Site
from .pages import PageSpec, digest
from .templating import Renderer

DATA_URL = "/data/"
LIST_SEPARATOR = "|"


def _text(value: Any) -> Any:
    """A field as JSON keeps it: dates as YYYY-MM-DD, references as slugs, quantities as text."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, Entry):
        return value.slug
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _contact(entry: Entry, key: str) -> Any:
    contact = entry.contact or {}
    return _text(contact.get(key))


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # 中文说明, on the /data/ page
    get: Callable[[Any], Any]


def _field(name: str, label: str) -> Column:
    return Column(name, label, lambda item: _text(item.data.get(name)))


COMMON = [_field("slug", "网址名"), Column("url", "页面地址", lambda e: e.url)]
PLACE = [_field("province", "省份"), _field("city", "城市"), _field("county", "区县")]
PROGRAMS = _field("programs", "参与工程")
SUMMARY = _field("summary", "简介")


def _row_column(name: str, label: str, get: Callable[[Row], Any]) -> Column:
    return Column(name, label, lambda row: _text(get(row)))


NEED_OWNER = [
    _row_column("key", "编号（所属条目/序号）", lambda r: r.key),
    _row_column("owner_kind", "所属种类（town / park / org）", lambda r: r.owner.kind),
    _row_column("owner_slug", "所属条目网址名", lambda r: r.owner.slug),
    _row_column("owner_name", "所属条目名称", lambda r: r.owner.title),
    _row_column("url", "页面地址", lambda r: r.url),
    _row_column("title", "标题", lambda r: r.title),
    _row_column("industries", "产业", lambda r: r.item["industries"]),
    _row_column("partners", "合作方式", lambda r: r.item["partners"]),
]

DATASETS: dict[str, tuple[str, list[Column]]] = {
    "towns": ("特色小镇", [
        *COMMON, _field("name", "名称"), *PLACE, _field("status", "状态"), _field("opened", "开园日期"),
        _field("industries", "主题产业"), PROGRAMS, SUMMARY,
    ]),
    "parks": ("产业园区与项目", [
        *COMMON, _field("name", "名称"), *PLACE, _field("park_type", "类型"), _field("industries", "主导产业"),
        _field("anchors", "龙头项目与企业"), _field("town", "所属小镇网址名"), PROGRAMS, _field("area", "面积"),
        _field("investment", "投资额"), SUMMARY,
    ]),
    "orgs": ("企业与机构", [
        *COMMON, _field("name", "名称"), _field("type", "类型"), _field("province", "省份"), _field("city", "城市"),
        _field("country", "国家或地区"), _field("industries", "产业领域"), PROGRAMS, _field("website", "网站"),
        *(Column(f"contact_{k}", f"联系方式：{label}", partial(_contact, key=k)) for k, label in (
            ("organization", "单位"), ("person", "联系人"), ("phone", "电话"), ("email", "电子邮件"),
            ("website", "网站"), ("address", "地址"))),
        SUMMARY,
    ]),
    "events": ("活动", [
        *COMMON, _field("title", "标题"), _field("date", "日期"), _field("end", "结束日期"),
        _field("event_type", "类型"),
        _field("venue", "场馆"), _field("city", "城市"), _field("province", "省份"), _field("organizers", "主办与承办"),
        _field("towns", "相关小镇网址名"), _field("parks", "相关园区网址名"), PROGRAMS, SUMMARY,
    ]),
    "needs": ("招商需求", [
        *NEED_OWNER,
        _row_column("province", "省份", lambda r: r.owner.province),
        _row_column("description", "说明", lambda r: r.item.get("description")),
        _row_column("scale", "规模", lambda r: r.item.get("scale")),
        _row_column("status", "状态（open / closed）", lambda r: r.item["status"]),
        _row_column("updated", "更新日期", lambda r: r.item["updated"]),
        _row_column("start", "开始日期", lambda r: r.item.get("start")),
        _row_column("end", "结束日期", lambda r: r.item.get("end")),
    ]),
    "offers": ("合作意向", [
        *NEED_OWNER,
        _row_column("regions", "意向地区", lambda r: r.item["regions"]),
        _row_column("description", "说明", lambda r: r.item.get("description")),
        _row_column("scale", "规模", lambda r: r.item.get("scale")),
    ]),
}  # fmt: skip


# Columns that hold lists: an empty one is [] in JSON, never null.
LIST_COLUMNS = frozenset(
    ["industries", "programs", "anchors", "organizers", "towns", "parks", "partners", "regions", "contact_phone"]
)


def _items(site: Site, name: str) -> list[Any]:
    """What a dataset has a row for: entries of a kind, or needs or offers."""
    if name in ("needs", "offers"):
        duijie = duijie_of(site)
        return duijie.needs if name == "needs" else duijie.offers
    return site.entries[name.removesuffix("s")]


def _sources(site: Site, name: str) -> frozenset[str]:
    """The entries whose front matter a dataset's rows show (a need's: its owner's)."""
    return frozenset(item.owner.source if isinstance(item, Row) else item.source for item in _items(site, name))


def records(site: Site, name: str, base_url: str = "/") -> list[dict[str, Any]]:
    """One dataset's rows, each a mapping of its columns in order; `url` is absolute."""
    columns = DATASETS[name][1]
    return [_record(columns, item, base_url) for item in _items(site, name)]


def _record(columns: list[Column], item: Any, base_url: str) -> dict[str, Any]:
    row = {c.name: c.get(item) for c in columns}
    for key in LIST_COLUMNS & row.keys():
        row[key] = row[key] or []
    row["url"] = base_url + row["url"].lstrip("/")
    return row


def to_json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def json_row(row: dict[str, Any]) -> str:
    """A row as `to_json` writes it inside the array: one level deeper than alone."""
    return " " + json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n ")


def json_of_rows(texts: list[str]) -> bytes:
    """`to_json` of the rows whose `json_row` texts these are, byte for byte (JSON escapes a
    line break within a string, so every line break of a row's text is between its tokens)."""
    return (("[\n" + ",\n".join(texts) + "\n]" if texts else "[]") + "\n").encode("utf-8")


# A cell starting with one of these is a formula to Excel: content must never run as one, so it
# gets a leading apostrophe, which Excel reads as "text" and does not show.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(name: str, rows: list[dict[str, Any]]) -> bytes:
    return csv_of_rows(name, [csv_row(row) for row in rows])


def csv_row(row: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_cell(v) for v in row.values()])
    return out.getvalue()


def csv_of_rows(name: str, lines: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([c.name for c in DATASETS[name][1]])
    return b"\xef\xbb\xbf" + (out.getvalue() + "".join(lines)).encode("utf-8")


def _slot_and_version(item: Any, base_url: str) -> tuple[str, tuple[Any, ...]]:
    """Where a row is kept (its entry, or its need's or offer's key) and what it shows: the
    front matter of its entry (a need's: its owner's), its address, the slugs its references
    resolved to."""
    if isinstance(item, Row):
        return item.key, (item.owner.front_digest, item.url, item.side, item.number, base_url)
    linked = tuple(_text(item.data.get(field)) for field in REFERENCE_FIELDS)
    return item.source, (item.front_digest, item.url, linked, base_url)


class Exports:
    """The exports of one engine: each row's JSON text and CSV line kept, between the runs of
    `serve`, by what it shows, so an edit serializes only its own rows (rebuilding all of
    data/events.json and .csv was a tenth of an event edit at 5,000 entries). Only the rows of
    the last export of each file are kept."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], dict[str, tuple[tuple[Any, ...], str]]] = {}

    def __call__(self, site: Site, base_url: str, name: str, ext: str) -> bytes:
        columns = DATASETS[name][1]
        known = self.made.get((name, ext), {})
        kept: dict[str, tuple[tuple[Any, ...], str]] = {}
        texts = []
        for item in _items(site, name):
            slot, version = _slot_and_version(item, base_url)
            found = known.get(slot)
            if found is None or found[0] != version:
                row = _record(columns, item, base_url)
                found = (version, json_row(row) if ext == "json" else csv_row(row))
            kept[slot] = found
            texts.append(found[1])
        self.made[(name, ext)] = kept
        return json_of_rows(texts) if ext == "json" else csv_of_rows(name, texts)


def _catalog(renderer: Renderer, counts: dict[str, int]) -> dict[str, Any]:
    config, abs_url = renderer.config, renderer.abs_url
    datasets = []
    for name, (label, _columns) in DATASETS.items():
        datasets.append({
            "@type": "Dataset",
            "name": f"{config.title}：{label}",
            "description": f"{config.title}收录的全部{label}（{counts[name]} 条），JSON 与 CSV 两种格式。",
            "url": abs_url(DATA_URL) + f"#{name}",
            "inLanguage": config.language,
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": fmt, "contentUrl": abs_url(f"{DATA_URL}{name}.{ext}")}
                for ext, fmt in (("json", "application/json"), ("csv", "text/csv"))
            ],
        })  # fmt: skip
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": f"{config.title} · 开放数据",
        "url": abs_url(DATA_URL),
        "inLanguage": config.language,
        "dataset": datasets,
    }


class OpenData:
    """The Feature: /data/ and its downloads."""

    name = "data"

    def __init__(self) -> None:
        self.exports = Exports()

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return []

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        site = renderer.site
        base = renderer.config.base_url
        counts = {name: len(_items(site, name)) for name in DATASETS}  # a row per item
        for name in DATASETS:
            for ext in ("json", "csv"):
                make = partial(self.exports, site, base, name, ext)
                yield PageSpec(f"{DATA_URL}{name}.{ext}", "", {}, _sources(site, name), make=make)
        page = {
            "title": "开放数据",
            "kind": "data",
            "url": DATA_URL,
            "summary": "本平台的特色小镇、产业园区、企业与机构、活动、招商需求与合作意向，以 JSON 和 CSV 格式下载。",
            "datasets": [(name, label, columns, counts[name]) for name, (label, columns) in DATASETS.items()],
            "separator": LIST_SEPARATOR,
            "jsonld": [_catalog(renderer, counts)],
        }
        yield PageSpec(DATA_URL, "data.html", {"page": page}, extra=digest(*counts.items()))  # shows counts only
