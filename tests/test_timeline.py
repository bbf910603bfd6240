"""The 大事记: order and grouping, ranges, the upcoming/past split, filter pages, per-entry
timelines, and the script that filters the complete timeline in a browser."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Project, copy_project

from townsite.engine import BuildResult

CHROMIUM = Path("/usr/bin/chromium")
SPLIT = dt.date(2020, 1, 1)  # forum and summit are past, future-forum upcoming


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, BuildResult]:
    """The fixture site built once for the tests that only read it: (site folder, result)."""
    project = copy_project("mini", tmp_path_factory.mktemp("timeline") / "proj")
    return project.site, project.build(today=SPLIT)


def add_event(project: Project, slug: str, date: str, title: str, **fields: str) -> None:
    lines = [f"title: {title}", f"slug: {slug}", "summary: 测试活动。", f"date: {date}", "event_type: 会议"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    project.write(f"content/events/{slug}.md", "---\n" + "\n".join(lines) + "\n---\n\n正文。\n")


class Outline(HTMLParser):
    """The timeline as a reader sees it: parts, years, months and event slugs in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline: list[tuple[str, str]] = []
        self.items: dict[str, dict[str, str | None]] = {}  # slug -> attributes of its <li>
        self.empty_notes: dict[str, bool] = {}  # part -> the "nothing here" note is shown
        self._heading: str | None = None
        self._part: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if "timeline-part" in classes:
            self._part = values["id"]
            self.outline.append(("part", values["id"] or ""))
        elif "timeline-year-title" in classes:
            self._heading = "year"
        elif "timeline-month-title" in classes:
            self._heading = "month"
        elif "timeline-item" in classes:
            slug = (values["id"] or "").removeprefix("e-")
            self.items[slug] = values
            self.outline.append(("event", slug))
        elif "timeline-empty" in classes and self._part:
            self.empty_notes[self._part] = "hidden" not in values

    def handle_data(self, data: str) -> None:
        if self._heading and data.strip():
            self.outline.append((self._heading, data.strip()))
            self._heading = None


def outline(path: Path) -> Outline:
    scan = Outline()
    scan.feed(path.read_text(encoding="utf-8"))
    return scan


def events_in(path: Path) -> list[str]:
    return [slug for kind, slug in outline(path).outline if kind == "event"]


def test_every_event_in_chronological_order_grouped_by_year_and_month(project):
    add_event(project, "early-july", "2016-07-02", "七月初的会议")
    add_event(project, "same-day-b", "2016-11-18", "同日活动乙")
    add_event(project, "new-year", "2017-01-05", "新年会议")
    project.build(today=SPLIT)
    assert outline(project.site / "timeline/index.html").outline == [
        ("part", "past"),
        ("year", "2016年"),
        ("month", "7月"), ("event", "early-july"), ("event", "forum"),
        ("month", "11月"), ("event", "same-day-b"), ("event", "summit"),  # one day: by slug
        ("year", "2017年"),
        ("month", "1月"), ("event", "new-year"),
        ("part", "upcoming"),
        ("year", "2030年"),
        ("month", "5月"), ("event", "future-forum"),
    ]  # fmt: skip


def test_the_other_direction_is_a_page_of_its_own(built):
    site, _ = built
    newest = site / "timeline/newest/index.html"
    assert events_in(newest) == ["future-forum", "summit", "forum"]
    assert [x for x in outline(newest).outline if x[0] == "part"] == [("part", "upcoming"), ("part", "past")]
    oldest = (site / "timeline/index.html").read_text()
    assert '<a href="/timeline/newest/" data-order="newest">最新在前</a>' in oldest
    assert '<a href="/timeline/" data-order="oldest" aria-current="page">时间顺序</a>' in oldest


def test_year_index_jumps_to_each_year(built):
    site, _ = built
    html = (site / "timeline/index.html").read_text()
    index = html.split('aria-label="按年份跳转"')[1].split("</nav>")[0]
    assert re.findall(r'href="#([^"]+)">([^<]+)<', index) == [
        ("y2016", "2016"),
        ("y2030", "2030"),
        ("upcoming", "即将举行"),
    ]
    assert 'id="y2016"' in html and 'id="y2030"' in html and 'id="upcoming"' in html


def test_a_year_in_both_parts_gets_two_anchors(project):
    add_event(project, "later-2016", "2016-12-20", "年底会议")
    project.build(today=dt.date(2016, 12, 1))
    html = (project.site / "timeline/index.html").read_text()
    assert 'id="y2016"' in html and 'id="y2016-upcoming"' in html


def test_multi_day_events_show_their_range_as_h_event(built):
    site, _ = built
    html = (site / "timeline/index.html").read_text()
    assert (
        '<time class="dt-start" datetime="2016-07-28">2016年7月28日</time>—'
        '<time class="dt-end" datetime="2016-07-29">29日</time>'
    ) in html
    assert re.sub(r"<[^>]+>", "", html).count("2016年7月28日—29日") == 1
    item = html.split('id="e-summit"')[1].split("</li>")[0]
    for cls in ("p-name u-url", "dt-start", "p-location", "p-summary", "p-category"):
        assert f'class="{cls}"' in item
    assert 'class="timeline-item h-event"' in html.split('id="e-summit"')[0].rsplit("<li", 1)[1]
    assert '<span class="p-location">宁夏回族自治区西吉县会议中心</span>' in item
    assert "测试联盟、中国企业报集团" in item  # organizers
    assert '<a href="/towns/mei-gui-xiao-zhen/">玫瑰小镇</a>' in item
    assert '<a href="/parks/peony-base/">牡丹种植基地</a>' in item
    assert '<a href="/programs/bai-qi-bai-cun/">百企百村互助行动</a>' in item
    assert '<a class="p-name u-url" href="/events/summit/">扶贫峰会</a>' in item


@pytest.mark.parametrize(
    ("today", "past", "upcoming"),
    [
        (dt.date(2016, 1, 1), [], ["forum", "summit", "future-forum"]),
        (dt.date(2016, 7, 29), [], ["forum", "summit", "future-forum"]),  # forum's last day
        (dt.date(2016, 7, 30), ["forum"], ["summit", "future-forum"]),
        (dt.date(2031, 1, 1), ["forum", "summit", "future-forum"], []),
    ],
)
def test_upcoming_and_past_are_split_at_the_build_date(project, today, past, upcoming):
    project.build(today=today)
    scan = outline(project.site / "timeline/index.html")
    split = scan.outline.index(("part", "upcoming"))
    assert [s for k, s in scan.outline[:split] if k == "event"] == past
    assert [s for k, s in scan.outline[split:] if k == "event"] == upcoming  # future events are never hidden
    assert scan.empty_notes == {"past": not past, "upcoming": not upcoming}


def test_an_event_in_progress_is_marked(project):
    project.build(today=dt.date(2016, 7, 29))
    html = (project.site / "timeline/index.html").read_text()
    assert '<span class="timeline-badge">进行中</span>' in html.split('id="e-forum"')[1].split("</li>")[0]
    assert html.count("进行中") == 1


def test_the_lede_counts_upcoming_events_as_of_the_build_date(built):
    site, _ = built
    html = (site / "timeline/index.html").read_text()
    assert '截至2020年1月1日，<a href="#upcoming">1 项即将举行</a>' in html


FILTERS = {
    "timeline/program/bai-qi-bai-cun/index.html": ["summit"],
    "timeline/program/qian-qi-qian-zhen/index.html": ["future-forum"],
    "timeline/province/sichuan/index.html": ["forum"],
    "timeline/province/ningxia/index.html": ["summit"],
    "timeline/town/mei-gui-xiao-zhen/index.html": ["summit"],
    "timeline/park/peony-base/index.html": ["summit"],
    "timeline/type/lun-tan/index.html": ["forum", "future-forum"],
    "timeline/type/feng-hui/index.html": ["summit"],
}


def test_filter_pages_hold_exactly_their_events(built):
    site, _ = built
    for path, expected in FILTERS.items():
        assert events_in(site / path) == expected, path
    # Only values that have events get a page: the town without events has none.
    assert not (site / "timeline/town/lake-town").exists()
    assert not (site / "timeline/province/yunnan").exists()


def test_every_filter_link_of_the_timeline_leads_to_its_page(built):
    site, _ = built
    html = (site / "timeline/index.html").read_text()
    links = re.findall(
        r'<a href="(/timeline/[a-z]+/[a-z0-9-]+/)" data-filter="([a-z]+)" data-value="([a-z0-9-]+)"', html
    )
    for url, key, value in links:
        assert url == f"/timeline/{key}/{value}/"
        assert (site / url.strip("/") / "index.html").is_file(), url
    assert {url for url, _, _ in links} >= {"/" + p.removesuffix("index.html") for p in FILTERS}


def test_a_filter_page_names_its_filter_and_links_its_calendar(built):
    site, _ = built
    html = (site / "timeline/program/bai-qi-bai-cun/index.html").read_text()
    assert "<h1>大事记：百企百村互助行动</h1>" in html
    assert 'data-value="bai-qi-bai-cun" data-name="百企百村互助行动" aria-current="page"' in html
    assert '<a href="/timeline/program/bai-qi-bai-cun/events.ics" type="text/calendar">' in html
    assert (
        '<link rel="alternate" type="text/calendar" title="百企百村互助行动：活动日历" href="/timeline/program/bai-qi-bai-cun/events.ics">'
        in html
    )
    assert '<a href="/programs/bai-qi-bai-cun/">百企百村互助行动的介绍</a>' in html
    assert "data-complete" not in html  # the script leaves filter pages alone


def test_past_the_limit_towns_are_not_listed_as_filters_but_keep_their_pages(project, monkeypatch):
    """Every timeline page lists the filters: listing thousands of towns on each would make the
    site grow with the square of its content."""
    from townsite import timeline

    add_event(project, "second-town-event", "2018-05-01", "另一项活动", towns="[lake-town]")
    monkeypatch.setattr(timeline, "LISTED_ENTRY_FILTERS", 1)  # the fixture's events name two towns
    project.build(today=SPLIT)
    for page in ("timeline/index.html", "timeline/program/bai-qi-bai-cun/index.html"):
        html = (project.site / page).read_text()
        assert 'data-filter="town"' not in html and 'data-filter="program"' in html, page
    town_page = (project.site / "timeline/town/lake-town/index.html").read_text()
    assert events_in(project.site / "timeline/town/lake-town/index.html") == ["second-town-event"]
    assert 'aria-current="page"' not in town_page.split('<nav class="timeline-filters"')[1].split("</nav>")[0]
    assert "/timeline/town/lake-town/" in (project.site / "towns/lake-town/index.html").read_text()


def test_filter_slugs_are_the_taxonomy_slugs(built):
    site, result = built
    for taxonomy in ("program", "province"):
        for term in result.site.taxonomies[taxonomy].terms:
            if term.of_kind("event"):
                assert (site / f"timeline/{taxonomy}/{term.slug}/index.html").is_file()


def test_town_park_and_program_pages_show_their_own_timeline(project):
    add_event(
        project,
        "rose-earlier",
        "2016-03-01",
        "玫瑰小镇奠基",
        towns="[mei-gui-xiao-zhen]",
        programs="[百企百村互助行动]",
    )
    project.build(today=dt.date(2016, 6, 1))
    for path, feed in (
        ("towns/mei-gui-xiao-zhen/index.html", "/timeline/town/mei-gui-xiao-zhen/events.ics"),
        ("bai-qi-bai-cun-xing-dong/index.html", "/timeline/program/bai-qi-bai-cun/events.ics"),
    ):
        scan = outline(project.site / path)
        assert [s for k, s in scan.outline if k == "event"] == ["rose-earlier", "summit"], path
        assert ("part", "past") in scan.outline and ("part", "upcoming") in scan.outline
        html = (project.site / path).read_text()
        assert f'<a href="{feed}" type="text/calendar">订阅日历（.ics）</a>' in html
        assert 'type="text/calendar" title=' in html and f'href="{feed}">' in html  # <link rel="alternate">
    assert events_in(project.site / "parks/peony-base/index.html") == ["summit"]
    assert events_in(project.site / "towns/lake-town/index.html") == []
    assert "timeline.js" not in (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()


def test_event_pages_link_to_their_place_on_the_timeline(built):
    site, _ = built
    html = (site / "events/forum/index.html").read_text()
    assert '<a href="/timeline/#e-forum">在大事记中查看</a>' in html
    assert 'id="e-forum"' in (site / "timeline/index.html").read_text()


def test_the_script_is_loaded_only_on_timeline_pages(built):
    site, _ = built
    script = re.compile(r'<script src="/static/timeline\.[0-9a-f]{10}\.js" defer></script>')
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        assert bool(script.search(page.read_text())) == rel.startswith("timeline/"), rel
    assert "<nav" in (site / "index.html").read_text()
    assert '<a href="/timeline/">大事记</a>' in (site / "index.html").read_text()


def test_items_carry_what_the_script_filters_by(built):
    site, _ = built
    items = outline(site / "timeline/index.html").items
    assert items["summit"]["data-program"] == "bai-qi-bai-cun"
    assert items["summit"]["data-province"] == "ningxia"
    assert items["summit"]["data-town"] == "mei-gui-xiao-zhen"
    assert items["summit"]["data-park"] == "peony-base"
    assert items["summit"]["data-type"] == "feng-hui"
    assert items["forum"]["data-program"] == "" and items["forum"]["data-town"] == ""


def test_the_real_seed_events_are_on_the_timeline(real_site):
    result, out = real_site  # built as of 2026-11-22
    slugs = events_in(out / "timeline/index.html")
    assert sorted(slugs) == sorted(e.slug for e in result.site.entries["event"])
    assert len(slugs) >= 12
    dates = [result.site.by_key[("event", s)].date for s in slugs]
    assert dates == sorted(dates)
    html = (out / "timeline/index.html").read_text()
    assert "2016年7月28日</time>—<time" in html and "2016年9月6日</time>—<time" in html
    for year in (2015, 2016, 2017):
        assert f'href="#y{year}"' in html
    # The 西吉 summit is on its town's and its program's timelines.
    assert "shou-jie-zhong-guo-qi-ye-fu-pin-xi-ji-feng-hui" in events_in(
        out / "timeline/town/xi-ji-he-ping-mei-gui-xiao-zhen/index.html"
    )
    assert (out / "timeline/program/bai-qi-bai-cun/events.ics").is_file()


# --- in a browser ------------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(built):
    """The shared fixture build served on 127.0.0.1, and a headless Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is missing: apt-get install chromium")
    handler = functools.partial(QuietHandler, directory=str(built[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
            yield browser, base
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def visible_events(page) -> list[str]:
    return page.eval_on_selector_all(
        ".timeline-item", "items => items.filter(i => i.offsetParent !== null).map(i => i.id.slice(2))"
    )


def test_the_script_filters_in_place_and_keeps_the_filter_in_the_url(served):
    browser, base = served
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "/timeline/")
    assert visible_events(page) == ["forum", "summit", "future-forum"]
    page.click('a[data-filter="type"][data-value="lun-tan"]')
    assert page.url == base + "/timeline/?type=lun-tan"  # no page load: the filter is in the query
    assert visible_events(page) == ["forum", "future-forum"]
    assert "论坛" in page.inner_text("[data-timeline-status]")
    page.click('a[data-filter="province"][data-value="sichuan"]')  # filters combine
    assert page.url == base + "/timeline/?province=sichuan&type=lun-tan"
    assert visible_events(page) == ["forum"]
    assert page.is_hidden("#y2030") and page.is_visible(".timeline-upcoming .timeline-empty")
    assert page.is_hidden('[data-index-for="y2030"]')
    page.go_back()
    assert page.url == base + "/timeline/?type=lun-tan"
    assert visible_events(page) == ["forum", "future-forum"]
    page.click("[data-timeline-status] a")  # 清除筛选
    assert page.url == base + "/timeline/"
    assert visible_events(page) == ["forum", "summit", "future-forum"]
    assert all(url.startswith(base) for url in requests), requests  # no third-party requests


def test_a_filtered_url_opens_filtered_and_the_order_toggles_in_place(served):
    browser, base = served
    page = browser.new_page()
    page.goto(base + "/timeline/?program=bai-qi-bai-cun")
    assert visible_events(page) == ["summit"]
    assert page.get_attribute('a[data-value="bai-qi-bai-cun"]', "aria-current") == "true"
    page.click('a[data-order="newest"]')
    assert page.url == base + "/timeline/newest/?program=bai-qi-bai-cun"
    page.click('a[data-filter=""]')  # 全部活动
    assert visible_events(page) == ["future-forum", "summit", "forum"]
    assert page.title().startswith("大事记（最新在前）")
    page.go_back()
    page.go_back()
    assert page.url == base + "/timeline/?program=bai-qi-bai-cun"
    page.click('a[data-filter=""]')
    assert visible_events(page) == ["forum", "summit", "future-forum"]


def test_without_the_script_filter_links_open_the_filter_pages(served):
    browser, base = served
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(base + "/timeline/")
    page.click('a[data-filter="type"][data-value="lun-tan"]')
    assert page.url == base + "/timeline/type/lun-tan/"
    assert page.locator(".timeline-item").count() == 2
