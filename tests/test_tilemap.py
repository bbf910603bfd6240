"""tilemap.py: every provincial-level division once, on its own square, linked and named."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import REPO

from townsite.schema import PROVINCES
from townsite.tilemap import GRID, legend, shade, svg, tiles

SVG = "{http://www.w3.org/2000/svg}"


def test_every_province_has_one_square_of_its_own():
    assert sorted(GRID) == sorted(PROVINCES)  # 台湾, 香港 and 澳门 included
    assert len(set(GRID.values())) == len(GRID)


def test_the_grid_keeps_rough_geography():
    col = {name: xy[0] for name, xy in GRID.items()}
    row = {name: xy[1] for name, xy in GRID.items()}
    assert col["新疆"] < col["甘肃"] < col["陕西"] < col["河南"] < col["山东"] < col["上海"]
    assert row["黑龙江"] < row["北京"] < row["河南"] < row["湖北"] < row["湖南"] < row["广东"] < row["海南"]
    assert col["福建"] < col["台湾"] and col["澳门"] < col["香港"] and row["广东"] < row["香港"]


def test_tiles_link_to_province_pages_with_their_count_in_the_accessible_name():
    markup = svg(tiles({"宁夏": 6, "云南": 1}, {"宁夏": "/provinces/ningxia/", "云南": "/provinces/yunnan/"}),
                 "小镇、园区与机构", lambda path: "/base" + path, "各省份数量")  # fmt: skip
    root = ET.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    links = root.findall(f"{SVG}a")
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("/base/provinces/yunnan/", "云南：1 个小镇、园区与机构"),
        ("/base/provinces/ningxia/", "宁夏：6 个小镇、园区与机构"),
    ]
    unlinked = root.findall(f"{SVG}g")
    assert len(unlinked) == len(PROVINCES) - 2
    assert all(g.get("role") == "img" and g.get("aria-label").endswith("：0 个小镇、园区与机构") for g in unlinked)
    assert {a.get("class") for a in links} == {"shade-1", "shade-3"}
    assert root.get("aria-label") == "各省份数量"


def test_names_are_escaped():
    markup = str(svg(tiles({}, {"北京": '/x/"><script>'}), "<b>", str, "<t>"))
    assert "<script>" not in markup and "<b>" not in markup and "<t>" not in markup


def test_shades_grow_darker_with_the_count_and_the_legend_names_each():
    assert [shade(n) for n in (0, 1, 2, 3, 4, 10, 11, 500)] == [0, 1, 2, 2, 3, 3, 4, 4]
    assert [label for _shade, label in legend()] == ["0", "1", "2–3", "4–10", "11 以上"]
    css = (REPO / "static/style.css").read_text()
    for index, _label in legend():
        assert f".shade-{index} rect" in css and f".shade-{index} text" in css


def test_the_map_is_in_the_home_and_provinces_pages(project):
    project.build()
    for page in ("index.html", "provinces/index.html"):
        html = (project.site / page).read_text()
        assert '<a href="/provinces/ningxia/" class="shade-2" aria-label="宁夏：2 个小镇、园区与机构">' in html, page
