"""The feeds and structured data: iCalendar read back by a strict RFC 5545 reader written here
(independent of the icalendar library that writes it), Atom read as XML against RFC 4287, and
hostile text escaped in .ics, Atom and JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, Project, copy_project
from sitecheck import json_ld

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = dt.date(2026, 1, 1)

# --- a strict RFC 5545 reader ------------------------------------------------------------------


@dataclass
class Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Prop:
        found = [p for p in self.props if p.name == name]
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0]

    def has(self, name: str) -> bool:
        return any(p.name == name for p in self.props)

    def text(self, name: str) -> str:
        return unescape(self.get(name).value)


def content_lines(data: bytes) -> list[str]:
    """Checks line ends and folding (RFC 5545 3.1), then unfolds."""
    assert data.endswith(b"\r\n"), "the last line must end with CRLF"
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for line in physical:
        assert b"\r" not in line and b"\n" not in line, f"bare CR or LF in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold never splits a UTF-8 character
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation line before any content line"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def parse_line(line: str) -> Prop:
    """name *(";" param "=" value) ":" value; a quoted parameter value may hold ; : ,"""
    i = 0
    while i < len(line) and line[i] not in ";:":
        i += 1
    name = line[:i].upper()
    assert name and all(c.isalnum() or c == "-" for c in name), f"bad property name in {line!r}"
    params: dict[str, str] = {}
    while line[i] == ";":
        eq = line.index("=", i)
        key, i = line[i + 1 : eq].upper(), eq + 1
        if line[i] == '"':
            end = line.index('"', i + 1)
            params[key], i = line[i + 1 : end], end + 1
        else:
            start = i
            while line[i] not in ";:":
                i += 1
            params[key] = line[start:i]
    assert line[i] == ":", f"no value in {line!r}"
    return Prop(name, params, line[i + 1 :])


def parse_ics(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in content_lines(data):
        prop = parse_line(line)
        if prop.name == "BEGIN":
            component = Component(prop.value)
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "more than one top-level component"
                root = component
            stack.append(component)
        elif prop.name == "END":
            assert stack and stack.pop().name == prop.value, f"unbalanced END:{prop.value}"
        else:
            assert stack, f"{prop.name} outside any component"
            stack[-1].props.append(prop)
    assert root is not None and not stack
    return root


def unescape(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash escapes, and no bare , or ; (they separate values)."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            assert following in "\\;,nN", f"bad escape \\{following} in {value!r}"
            out.append("\n" if following in "nN" else following)
        else:
            assert char not in ",;", f"unescaped {char!r} in {value!r}"
            out.append(char)
    return "".join(out)


def read_ics(path: Path) -> Component:
    calendar = parse_ics(path.read_bytes())
    assert calendar.name == "VCALENDAR"
    assert calendar.get("VERSION").value == "2.0" and calendar.get("PRODID").value
    assert calendar.children, "RFC 5545: a calendar holds at least one component"
    for event in calendar.children:
        assert event.name == "VEVENT"
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert event.has(required), f"VEVENT without {required}"
    return calendar


def by_uid(calendar: Component) -> dict[str, Component]:
    return {e.get("UID").value: e for e in calendar.children}


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture site built once for the tests that only read it."""
    project = copy_project("mini", tmp_path_factory.mktemp("feeds") / "proj")
    project.build(today=TODAY)
    return project.site


def write_event(project: Project, slug: str, **fields: object) -> None:
    """An event whose fields are written as JSON strings (valid YAML), so any text survives."""
    values = {"title": "测试活动", "slug": slug, "summary": "测试。", "date": "2017-03-01", "event_type": "会议"}
    values.update(fields)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    project.write(f"content/events/{slug}.md", "---\n" + "\n".join(lines) + "\n---\n\n正文。\n")


# --- iCalendar ---------------------------------------------------------------------------------


def test_all_events_calendar_reads_back_as_all_day_events(built):
    events = by_uid(read_ics(built / "events.ics"))
    assert set(events) == {"forum@example.org", "summit@example.org", "future-forum@example.org"}
    forum, summit = events["forum@example.org"], events["summit@example.org"]
    assert forum.get("DTSTART").params == {"VALUE": "DATE"} and forum.get("DTSTART").value == "20160728"
    assert forum.get("DTEND").params == {"VALUE": "DATE"}
    assert forum.get("DTEND").value == "20160730"  # exclusive: the 28th and the 29th
    assert summit.get("DTEND").value == "20161119"  # a one-day event ends the next day
    assert summit.get("DTSTAMP").value == "20260101T000000Z"  # the build date, not the clock
    assert summit.text("SUMMARY") == "扶贫峰会"
    assert summit.text("LOCATION") == "宁夏回族自治区西吉县会议中心"  # large to small
    assert summit.text("CATEGORIES") == "峰会"
    assert summit.get("URL").value == "https://example.org/events/summit/"
    description = summit.text("DESCRIPTION")
    assert description.startswith("在西吉举行的峰会") and "测试联盟、中国企业报集团" in description
    assert description.endswith("https://example.org/events/summit/")
    assert not forum.has("ORGANIZER")  # would need a mailto: address; organizers are in DESCRIPTION


def test_uids_stay_and_dtstamp_follows_the_build_date(project):
    project.build(today=dt.date(2026, 1, 1))
    first = (project.site / "events.ics").read_bytes()
    project.build(today=dt.date(2027, 6, 30))
    second = (project.site / "events.ics").read_bytes()
    assert list(by_uid(parse_ics(first))) == list(by_uid(parse_ics(second)))
    assert {e.get("DTSTAMP").value for e in parse_ics(second).children} == {"20270630T000000Z"}
    assert first.replace(b"DTSTAMP:20260101T", b"DTSTAMP:20270630T") == second  # nothing else moved


def test_source_date_epoch_sets_dtstamp_in_a_cli_build(project):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14 22:13 UTC
    for out in ("a", "b"):
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--root", str(project.root), "--out", str(project.root / out)],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    a, b = (project.root / "a/events.ics").read_bytes(), (project.root / "b/events.ics").read_bytes()
    assert a == b
    assert {e.get("DTSTAMP").value for e in parse_ics(a).children} == {"20231114T000000Z"}


def test_program_and_town_calendars_hold_their_events_under_the_same_uids(built):
    everything = by_uid(read_ics(built / "events.ics"))
    program = read_ics(built / "timeline/program/bai-qi-bai-cun/events.ics")
    town = read_ics(built / "timeline/town/mei-gui-xiao-zhen/events.ics")
    assert list(by_uid(program)) == list(by_uid(town)) == ["summit@example.org"]
    assert program.text("NAME").startswith("百企百村互助行动")
    assert program.children[0].props == everything["summit@example.org"].props
    assert by_uid(read_ics(built / "timeline/program/qian-qi-qian-zhen/events.ics")).keys() == {
        "future-forum@example.org"
    }
    assert not (built / "timeline/town/lake-town").exists()  # no events, no calendar


def test_long_text_is_folded_at_75_octets_without_splitting_characters(project):
    title = "长" + "江大保护战略央地对接峰会" * 9 + "a"  # 3-octet characters, then an odd ASCII tail
    summary = "x" + "会" * 200 + "，一二三四五六七八九十" * 9
    write_event(project, "long", title=title, summary=summary)
    project.build()
    data = (project.site / "events.ics").read_bytes()
    assert data.count(b"\r\n ") > 10  # folded, and content_lines checked every fold
    event = by_uid(read_ics(project.site / "events.ics"))["long@example.org"]
    assert event.text("SUMMARY") == title
    assert event.text("DESCRIPTION").startswith(summary + "\n")


def test_calendars_reuse_each_vevent_and_give_the_bytes_of_one_whole_calendar(project):
    """Each VEVENT is serialized once per build and joined; icalendar's own serialization of
    the whole calendar, made here independently, must give the same bytes."""
    import icalendar

    from townsite.config import load_config
    from townsite.feeds import Calendars
    from townsite.link import link
    from townsite.load import load_sources
    from townsite.validate import validate

    write_event(project, "long", title="长" + "江大保护战略央地对接峰会" * 9, summary="会" * 90)
    root = project.root
    config, _ = load_config(root, root / "content")
    entries, _ = validate(load_sources(root, root / "content")[0], config)
    site, _ = link(entries, config, False, frozenset())
    events = site.entries["event"]
    calendars = Calendars(config, TODAY, config.base_url.rstrip("/").__add__)
    for name in ("全部", "长江，大保护; \\ 峰会" * 6):  # a name to escape and fold, in the reused head
        joined = calendars(events, name)
        whole = icalendar.Calendar()
        for key, value in (
            ("prodid", "-//townsite//example.org//ZH"),
            ("version", "2.0"),
            ("calscale", "GREGORIAN"),
            ("method", "PUBLISH"),
            ("name", name),
            ("x-wr-calname", name),
            ("url", config.base_url),
        ):
            whole.add(key, value)
        for event in events:
            whole.add_component(icalendar_vevent(event, calendars))
        assert joined == whole.to_ical()
    assert len(parse_ics(joined).children) == len(events) >= 4
    assert calendars(events[:1], "一项").count(b"BEGIN:VEVENT") == 1


def icalendar_vevent(event, calendars):
    """The VEVENT as the icalendar library makes it: what townsite's own lines must equal."""
    import icalendar

    from townsite.feeds import _description, event_uid, place_text

    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, calendars.config))
    vevent.add("dtstamp", calendars.stamp)
    vevent.add("dtstart", event.date)
    vevent.add("dtend", (event.end or event.date) + dt.timedelta(days=1))
    vevent.add("summary", event.title)
    vevent.add("description", _description(event, calendars.abs_url))
    if place_text(event):
        vevent.add("location", place_text(event))
    vevent.add("categories", [event.event_type])
    vevent.add("url", calendars.abs_url(event.url))
    vevent.add("transp", "TRANSPARENT")
    return vevent


HOSTILE = 'A</script><!--<b>x</b>--> & ]]> ; "q", \\ 闭合'


def test_hostile_text_is_escaped_in_calendar_atom_json_ld_and_html(project):
    write_event(project, "hostile", title=HOSTILE, summary="第一行\n第二行; a,b \\ </script>", venue="<会场>;,")
    project.build()
    event = by_uid(read_ics(project.site / "events.ics"))["hostile@example.org"]
    assert event.text("SUMMARY") == HOSTILE
    assert event.text("LOCATION") == "<会场>;,"
    assert event.text("DESCRIPTION").startswith("第一行\n第二行; a,b \\ </script>\n")

    feed = ET.parse(project.site / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("/events/hostile/"))
    assert entry.findtext(f"{ATOM}title") == HOSTILE
    assert entry.findtext(f"{ATOM}summary").endswith("。第一行\n第二行; a,b \\ </script>")

    page = project.site / "events/hostile/index.html"
    (data,) = [d for d in json_ld(page) if d["@type"] == "Event"]
    assert data["name"] == HOSTILE and data["location"]["name"] == "<会场>;,"
    for path in (page, project.site / "timeline/index.html", project.site / "timeline/type/hui-yi/index.html"):
        html = path.read_text()
        assert "<!--<b>" not in html and "</script><!--" not in html, path
        assert html.count("</script>") == html.count("<script"), path  # nothing closes a script early


def test_no_calendar_when_there_are_no_events(project):
    for name in ("forum", "future", "summit"):
        (project.root / f"content/events/{name}.md").unlink()
    project.build()
    assert not (project.site / "events.ics").exists()  # RFC 5545 wants at least one component
    assert "events.ics" not in (project.site / "index.html").read_text()
    assert ET.parse(project.site / "feed.xml").getroot().find(f"{ATOM}entry") is not None  # the town


# --- Atom --------------------------------------------------------------------------------------


def rfc3339(text: str | None) -> dt.datetime:
    assert text and "T" in text
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text} has no time zone"
    return value


def test_atom_feed_has_every_required_element(built):
    feed = ET.parse(built / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findtext(f"{ATOM}id") == "https://example.org/"
    assert feed.findtext(f"{ATOM}title") == "测试展示平台"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "测试联盟"  # entries have none of their own
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "https://example.org/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, (name, entry)
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        assert alternate is not None and alternate.get("href") == entry.findtext(f"{ATOM}id")
        path = alternate.get("href").removeprefix("https://example.org/")
        assert (built / path / "index.html").is_file(), path
    updated = [rfc3339(e.findtext(f"{ATOM}updated")) for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert rfc3339(feed.findtext(f"{ATOM}updated")) == updated[0]


def test_atom_feed_holds_events_upcoming_ones_too_and_opened_towns(built):
    feed = ET.parse(built / "feed.xml").getroot()
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [
        "https://example.org/events/future-forum/",  # 2030: future events are not hidden
        "https://example.org/events/summit/",
        "https://example.org/towns/mei-gui-xiao-zhen/",  # opened 2016-10-01
        "https://example.org/events/forum/",
    ]
    forum = feed.findall(f"{ATOM}entry")[-1]
    assert forum.findtext(f"{ATOM}updated") == "2016-07-28T00:00:00+08:00"
    assert forum.findtext(f"{ATOM}summary").startswith("2016年7月28日—29日 · 四川省宜宾市。两天的论坛。")
    assert forum.find(f"{ATOM}category").get("term") == "论坛"


def test_atom_feed_changes_only_with_the_content(project):
    project.build(today=dt.date(2026, 1, 1))
    first = (project.site / "feed.xml").read_bytes()
    project.build(today=dt.date(2027, 1, 1))
    assert (project.site / "feed.xml").read_bytes() == first


# --- discovery, base URL, JSON-LD --------------------------------------------------------------


def test_every_page_announces_the_feeds(built):
    atom = '<link rel="alternate" type="application/atom+xml" title="测试：最新动态" href="/feed.xml">'
    ics = '<link rel="alternate" type="text/calendar" title="测试：全部活动日历" href="/events.ics">'
    for page in built.rglob("*.html"):
        html = page.read_text()
        assert atom in html and ics in html, page
    town = (built / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert 'title="玫瑰小镇：活动日历" href="/timeline/town/mei-gui-xiao-zhen/events.ics">' in town
    program = (built / "bai-qi-bai-cun-xing-dong/index.html").read_text()
    assert 'href="/timeline/program/bai-qi-bai-cun/events.ics">' in program
    timeline = (built / "timeline/index.html").read_text()
    # Visitors are sent to a page that shows the feed's address, not to the raw XML.
    assert '<a href="/sitemap/#feeds">最新动态（Atom）</a>' in timeline
    assert "<code>https://" in (built / "sitemap/index.html").read_text() and "/feed.xml</code>" in (
        built / "sitemap/index.html"
    ).read_text()
    assert '<a href="/events.ics" type="text/calendar">' in timeline
    assert '<a href="/timeline/program/bai-qi-bai-cun/events.ics" type="text/calendar">' in timeline
    assert '<a href="/timeline/town/mei-gui-xiao-zhen/events.ics" type="text/calendar">' in timeline


def test_feeds_follow_a_base_url_with_a_subpath(project):
    project.build(base_url="https://example.org/showcase/")
    feed = ET.parse(project.site / "feed.xml").getroot()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/showcase/feed.xml"
    assert all(e.findtext(f"{ATOM}id").startswith("https://example.org/showcase/") for e in feed.iter(f"{ATOM}entry"))
    summit = by_uid(read_ics(project.site / "events.ics"))["summit@example.org"]
    assert summit.get("URL").value == "https://example.org/showcase/events/summit/"
    html = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert 'href="/showcase/feed.xml"' in html
    assert 'href="/showcase/timeline/town/mei-gui-xiao-zhen/events.ics"' in html


def test_event_pages_carry_schema_org_event_json_ld(built):
    (summit,) = [d for d in json_ld(built / "events/summit/index.html") if d["@type"] == "Event"]
    assert summit["startDate"] == summit["endDate"] == "2016-11-18"
    assert summit["location"] == {
        "@type": "Place",
        "name": "西吉县会议中心",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": "宁夏",
            "addressLocality": "西吉县",
        },
    }
    assert summit["organizer"] == [
        {"@type": "Organization", "name": "测试联盟"},
        {"@type": "Organization", "name": "中国企业报集团"},
    ]
    assert summit["url"] == "https://example.org/events/summit/"
    (forum,) = [d for d in json_ld(built / "events/forum/index.html") if d["@type"] == "Event"]
    assert (forum["startDate"], forum["endDate"]) == ("2016-07-28", "2016-07-29")
