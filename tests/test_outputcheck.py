"""What is published is valid: every XML output parses, every JSON output parses, every calendar
passes icalendar's strict parser, on the fixture site and on the hostile one; an output that would
be invalid stops the build with the content file and line that caused it; SVG from static/ is
rebuilt from drawing elements only."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from conftest import Project, copy_project
from test_hostile import HOSTILE_FILES, HOSTILE_SVG, document

from townsite.outputcheck import calendar_error, json_error, xml_error
from townsite.svg import SvgError, sanitize_svg


def strict_calendar(data: bytes) -> icalendar.Calendar:
    """icalendar's parser, with every error it tolerates treated as fatal."""
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, component.errors
    assert calendar_error(data) is None
    return calendar


def assert_every_output_valid(site: Path) -> int:
    checked = 0
    for path in sorted(site.rglob("*")):
        if path.suffix == ".xml":
            ET.fromstring(path.read_bytes())
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
        elif path.suffix == ".ics":
            strict_calendar(path.read_bytes())
        elif path.suffix == ".svg":
            ET.fromstring(path.read_bytes())
        else:
            continue
        checked += 1
    return checked


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Project:
    project = copy_project("mini", tmp_path_factory.mktemp("valid") / "proj")
    for rel, front in HOSTILE_FILES.items():
        project.write(f"content/{rel}", document(front, rel))
    project.build()
    return project


def test_every_xml_json_and_calendar_of_the_hostile_site_is_valid(hostile_site):
    assert assert_every_output_valid(hostile_site.site) > 10
    assert list(hostile_site.site.rglob("*.ics")) and (hostile_site.site / "feed.xml").is_file()


@pytest.mark.parametrize(
    "bad",
    [b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", b"BEGIN:VCALENDAR\r\nSUMMARY:a\x07b\r\nEND:VCALENDAR\r\n",
     b"BEGIN:VCALENDAR\r\nSUMMARY:" + b"x" * 80 + b"\r\nEND:VCALENDAR\r\n", b"BEGIN:VCALENDAR\r\nEND:VEVENT\r\n",
     b"BEGIN:VCALENDAR\r\nnot a line\r\nEND:VCALENDAR\r\n", b"BEGIN:VCALENDAR\r\nX:\xff\r\nEND:VCALENDAR\r\n"],
)  # fmt: skip
def test_the_calendar_check_refuses_what_rfc_5545_forbids(bad):
    assert calendar_error(bad) is not None


def test_a_calendar_line_of_76_octets_is_refused_at_its_start_and_one_of_75_passes():
    head = b"BEGIN:VCALENDAR\r\nSUMMARY:a\r\n"
    ok = b"X:" + "长".encode() * 24 + b"z"  # 75 octets
    assert len(ok) == 75 and calendar_error(head + ok + b"\r\nEND:VCALENDAR\r\n") is None
    assert calendar_error(head + ok + b"z\r\nEND:VCALENDAR\r\n") == (len(head), "a line is longer than 75 octets")


def test_the_xml_and_json_checks_find_the_offending_place():
    assert xml_error("<a>\ufffe</a>".encode()) is not None and xml_error(b"<a>ok</a>") is None
    assert json_error(b'{"a": }') == (6, "Expecting value") and json_error(b"[1]") is None


def test_an_output_that_would_be_invalid_stops_the_build_at_its_content_line(project, monkeypatch, english):
    """Were a character XML cannot carry to get past the input checks, the feed that would hold
    it is refused before it is written, and the content line that holds it is named."""
    monkeypatch.setattr("townsite.frontmatter.unpublishable", lambda text, direction_too=False: None)
    project.edit("content/events/summit.md", "title: ", 'title: "\\ufffe')
    project.edit("content/events/summit.md", "\nslug:", '"\nslug:')
    problems = project.problems()
    assert any(p.startswith("content/events/summit.md:2: title: U+FFFE would make ") and "invalid" in p for p in problems)


# --- SVG ---------------------------------------------------------------------------------------------

def test_a_hostile_svg_keeps_only_its_drawing():
    clean = sanitize_svg(HOSTILE_SVG.encode()).decode()
    for word in ("script", "onload", "onclick", "foreignObject", "javascript", "evil.example", "<set", "<animate",
                 "iframe", "@import", "xml-stylesheet"):  # fmt: skip
        assert word not in clean, word
    assert "<circle" in clean and 'fill="#9f1239"' in clean
    ET.fromstring(clean)


def test_a_clean_svg_keeps_its_bytes_and_a_broken_one_is_refused():
    favicon = (Path(__file__).parents[1] / "static/favicon.svg").read_bytes()
    assert sanitize_svg(favicon) is favicon
    for bad in (b"<svg", b"<html/>", b'<!DOCTYPE x [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>'):
        with pytest.raises(SvgError):
            sanitize_svg(bad)


def test_an_svg_in_static_is_published_sanitized(tmp_path):
    project = copy_project("mini", tmp_path / "proj")
    project.write("static/images/evil.svg", HOSTILE_SVG)
    project.build()
    published = (project.site / "static/images/evil.svg").read_text(encoding="utf-8")
    assert "__pwned" not in published and "<circle" in published
