"""Golden build of the fixture site, plus the rendering rules that matter to readers."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil

from conftest import REPO

from townsite.formatting import date_range_zh, date_zh, json_for_script
from townsite.render import output_path

GOLDEN = REPO / "tests" / "golden" / "mini"


def test_golden_build_of_the_fixture_site(project, tree_of):
    """The whole output of tests/fixtures/mini. After an intended change to templates or
    rendering, regenerate with `UPDATE_GOLDEN=1 python -m pytest tests/test_render.py` and
    review the diff."""
    project.build()
    # static/ holds copies of the repository's own assets; their fingerprinted names are in
    # every page's HTML, so a changed asset still shows up here.
    actual = {k: v for k, v in tree_of(project.site).items() if not k.startswith("static/")}
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(project.site, GOLDEN, ignore=lambda folder, names: ["static"] if folder == str(project.site) else [])
    expected = tree_of(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for path in sorted(expected):
        if actual[path] != expected[path]:
            if path.endswith(".bin"):
                raise AssertionError(f"{path} (binary) differs from the golden copy")
            diff = difflib.unified_diff(
                expected[path].decode().splitlines(), actual[path].decode().splitlines(), "golden", "built", lineterm=""
            )
            raise AssertionError(f"{path} differs from the golden copy:\n" + "\n".join(list(diff)[:60]))


def test_detail_page_shows_formatted_facts_and_related_entries(project):
    project.build()
    town = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert "<dt>开园日期</dt><dd>2016年10月1日</dd>" in town
    assert '<a href="/provinces/ningxia/">宁夏</a>' in town
    assert 'href="/parks/peony-base/"' in town and "小镇里的园区与项目" in town
    assert 'href="/events/summit/"' in town
    park = (project.site / "parks/peony-base/index.html").read_text()
    assert "<dt>面积</dt><dd>20 万亩</dd>" in park and "<dt>投资额</dt><dd>1.5 亿元</dd>" in park
    event = (project.site / "events/forum/index.html").read_text()
    assert "2016年7月28日—29日" in event


def test_home_splits_upcoming_and_past_events_by_the_build_date(project):
    project.build(today=dt.date(2020, 1, 1))
    home = (project.site / "index.html").read_text()
    upcoming, latest = home.split('id="latest"')
    assert "未来的论坛" in upcoming and "扶贫峰会" not in upcoming
    assert "扶贫峰会" in latest and "未来的论坛" not in latest
    project.build(today=dt.date(2031, 1, 1))
    home = (project.site / "index.html").read_text()
    # Nothing upcoming: the block is left out, not shown as 暂无.
    assert "未来的论坛" in home.split('id="latest"')[1]
    assert 'id="upcoming"' not in home and "暂无" not in home


def test_lists_are_paginated_with_prev_and_next(project):
    project.build()  # per_page: 2 in the fixture, three published events
    first = (project.site / "events/index.html").read_text()
    second = (project.site / "events/page/2/index.html").read_text()
    assert '<link rel="next" href="/events/page/2/">' in first
    assert '<link rel="prev" href="/events/">' in second
    assert first.count('class="card card-event"') == 2 and second.count('class="card card-event"') == 1


def test_every_page_has_one_h1_lang_and_a_skip_link(project):
    project.build()
    for page in project.site.rglob("*.html"):
        html = page.read_text()
        assert html.count("<h1") == 1, page
        assert '<html lang="zh-CN">' in html
        assert 'href="#main"' in html and 'id="main"' in html


def test_no_third_party_requests(project):
    project.build()
    for page in project.site.rglob("*.html"):
        html = page.read_text()
        for attr in ('src="http', "src='http", 'href="//', '<link rel="stylesheet" href="http'):
            assert attr not in html, page


def test_output_paths_for_pretty_urls():
    assert output_path("/") == "index.html"
    assert output_path("/towns/x/") == "towns/x/index.html"
    assert output_path("/404.html") == "404.html"


def test_chinese_dates_and_ranges():
    d = dt.date
    assert date_zh(d(2016, 7, 28)) == "2016年7月28日"
    assert date_range_zh(d(2016, 7, 28), d(2016, 7, 29)) == "2016年7月28日—29日"
    assert date_range_zh(d(2016, 7, 30), d(2016, 8, 2)) == "2016年7月30日—8月2日"
    assert date_range_zh(d(2016, 12, 31), d(2017, 1, 1)) == "2016年12月31日—2017年1月1日"
    assert date_range_zh(d(2016, 7, 28), None) == "2016年7月28日"


def test_json_for_script_escapes_everything_that_could_end_the_element():
    text = str(json_for_script({"a": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
