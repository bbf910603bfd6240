"""Every field the content guide documents shows on the site when it is set: a field that is
validated and then shown nowhere would be a promise to editors that the site does not keep."""

from __future__ import annotations

import re

from conftest import REPO

from townsite.schema import kinds

TOWN = """---
name: 全字段小镇
slug: every-field
summary: 简介文字甲。
province: 云南
city: 城市文字乙
county: 区县文字丙
industries: [产业文字丁]
programs: [千企千镇工程]
status: 运营中
opened: 2016-10-01
featured: true
coordinates:
  lat: 35.97
  lon: 105.73
links:
  - title: 外部链接文字戊
    url: https://example.org/news/1
  - title: 站内链接文字己
    url: /towns/lake-town/
---

正文。
"""
SHOWN = ["简介文字甲", "云南", "城市文字乙", "区县文字丙", "产业文字丁", "千企千镇工程", "运营中", "2016年10月1日",
         "北纬 35.9700°", "外部链接文字戊", 'href="https://example.org/news/1"', "站内链接文字己",
         'href="/showcase/towns/lake-town/"']  # fmt: skip


def test_every_documented_town_field_is_shown_on_its_page(project):
    guide = (REPO / "docs/content-guide.md").read_text(encoding="utf-8")
    town_section = guide.split("### 小镇（town", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", town_section, re.MULTILINE))
    assert {"links", "coordinates", "county"} <= documented <= set(kinds([])["town"].fields)
    project.write("content/towns/every-field.md", TOWN)
    project.build(base_url="https://example.org/showcase/")
    html = project.read("site/towns/every-field/index.html")
    missing = [text for text in SHOWN if text not in html]
    assert not missing, missing
    assert 'rel="external noopener noreferrer"' in html
