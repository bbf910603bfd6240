"""/data/: every export parsed back (JSON and CSV) and compared with the content and each other."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from test_duijie import site  # noqa: F401 - the module fixture: a small site with orgs, needs and offers

from townsite.opendata import (
    DATASETS,
    LIST_SEPARATOR,
    csv_cell,
    csv_of_rows,
    csv_row,
    json_of_rows,
    json_row,
    to_csv,
    to_json,
)


def _csv(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads UTF-8 only with a BOM
    assert b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_json_and_csv_hold_the_same_rows_with_the_documented_columns(site):  # noqa: F811
    for name, (_label, columns) in DATASETS.items():
        rows = json.loads(site.read(f"site/data/{name}.json"))
        table = _csv((site.site / f"data/{name}.csv").read_bytes())
        assert [list(r) for r in rows] == [[c.name for c in columns]] * len(rows)
        assert len(table) == len(rows)
        for row, line in zip(rows, table, strict=True):
            assert list(line) == [c.name for c in columns]
            for key, value in row.items():
                expected = (
                    LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value)
                )
                expected = "'" + expected if expected[:1] in ("=", "+", "-", "@") else expected
                assert line[key] == expected, (name, key)


def test_exports_match_the_content(site):  # noqa: F811
    orgs = {row["slug"]: row for row in json.loads(site.read("site/data/orgs.json"))}
    bank = orgs["test-bank"]
    assert bank["type"] == "金融机构" and bank["industries"] == ["文化旅游"]  # the alias, stored as its category
    assert bank["contact_phone"] == ["010-12345678", "13912345678", "+86 951 1234567 转 88"]
    assert bank["url"] == "https://example.org/orgs/test-bank/"
    assert orgs["gui-zhou-qi-ye"]["programs"] == [] and orgs["gui-zhou-qi-ye"]["website"] is None
    needs = json.loads(site.read("site/data/needs.json"))
    assert [(n["title"], n["status"]) for n in needs] == [("文旅运营招商", "open"), ("已签约项目", "closed")]
    assert needs[0]["industries"] == ["文化旅游", "玫瑰种植"] and needs[0]["updated"] == "2016-11-18"
    offers = json.loads(site.read("site/data/offers.json"))
    assert {o["key"]: o["regions"] for o in offers} == {
        "org/gui-zhou-qi-ye#1": ["贵州"], "org/test-bank#1": ["宁夏", "云南"], "org/test-bank#2": ["全国"]}  # fmt: skip
    assert offers[1]["scale"] == "5000万元—2亿元"
    events = {e["slug"]: e for e in json.loads(site.read("site/data/events.json"))}
    assert events["summit"]["organizers"] == ["测试银行", "测试联盟"] and events["summit"]["towns"] == [
        "mei-gui-xiao-zhen"
    ]


def test_the_data_page_links_every_download_and_describes_them_as_a_catalog(site):  # noqa: F811
    html = site.read("site/data/index.html")
    ld = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    catalog = next(item for item in ld if item["@type"] == "DataCatalog")
    assert [d["@type"] for d in catalog["dataset"]] == ["Dataset"] * len(DATASETS)
    for name in DATASETS:
        assert f'href="/data/{name}.json"' in html and f'href="/data/{name}.csv"' in html
    urls = [d["contentUrl"] for ds in catalog["dataset"] for d in ds["distribution"]]
    assert "https://example.org/data/needs.csv" in urls


def test_a_cell_excel_would_run_as_a_formula_is_kept_as_text():
    assert csv_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert csv_cell(["+86 10 1234 5678", "x"]) == "'+86 10 1234 5678|x"
    assert csv_cell("西吉") == "西吉" and csv_cell(None) == ""


TRICKY_ROWS = [
    {"slug": "a", "url": "https://example.org/a/", "towns": [], "contact": {}, "name": '行一\n行二 "引号", 逗号'},
    {"slug": "b", "url": "https://example.org/b/", "towns": ["x", "y"], "contact": {"k": [1, None]}, "name": None},
    {"slug": "c", "url": "https://example.org/c/", "towns": ["=1+1"], "contact": {"k": {}}, "name": "\r\t\\"},
]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_rows_made_one_by_one_join_into_the_bytes_of_the_whole_export(count):
    """serve keeps each row's text (opendata.Exports): joined, they are the export made at once."""
    rows = TRICKY_ROWS[:count]
    assert json_of_rows([json_row(row) for row in rows]) == to_json(rows)
    assert csv_of_rows("events", [csv_row(row) for row in rows]) == to_csv("events", rows)
