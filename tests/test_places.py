"""places.py: places written from large to small."""

from __future__ import annotations

from townsite.places import join_large_to_small, province_name


def test_large_to_small_without_repeats():
    assert join_large_to_small(["四川省", "宜宾", "宜宾市翠屏区"]) == "四川省宜宾市翠屏区"
    assert join_large_to_small(["宁夏回族自治区", "固原市", "西吉县", None]) == "宁夏回族自治区固原市西吉县"
    assert join_large_to_small(["北京市", "北京", "北京钓鱼台国宾馆芳华苑"]) == "北京钓鱼台国宾馆芳华苑"
    assert join_large_to_small(["北京市", "北京", "京西宾馆"]) == "北京市京西宾馆"
    assert join_large_to_small([None, None]) == ""


def test_official_province_names():
    assert [province_name(p) for p in ("北京", "宁夏", "内蒙古", "江苏", "香港", "台湾")] == [
        "北京市", "宁夏回族自治区", "内蒙古自治区", "江苏省", "香港特别行政区", "台湾省",
    ]  # fmt: skip


def test_cards_and_facts_read_large_to_small(project):
    project.build()
    assert "宁夏回族自治区固原市西吉县 · 建设中" in (project.site / "towns/index.html").read_text()
    forum = (project.site / "events/forum/index.html").read_text()
    assert "<dt>地点</dt><dd>四川省宜宾市</dd>" in forum
