"""What `serve` keeps between updates so that an edit of one event makes only that event's
parts again: timeline items (templating.KeptFragments), data rows (opendata.Exports), made once
in idle time after the first run (Engine.warm). Each test changes something a kept item or row
shows without touching the event's own file, and checks the update shows it as a fresh build
does: a cache keyed on too little would serve the old bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from townsite.engine import Engine, build
from townsite.opendata import OpenData
from townsite.serve import Preview

SUMMIT = ("timeline-item", "content/events/summit.md")
FORUM = ("timeline-item", "content/events/forum.md")


@pytest.fixture
def live(project):
    engine = Engine(project.options(), live=True)
    engine.run()
    return engine


def item(html: str, slug: str) -> str:
    """The timeline item of the event `slug` on a timeline page."""
    match = re.search(rf'<li class="timeline-item[^"]*" id="e-{slug}".*?</li>', html, flags=re.S)
    assert match, slug
    return match.group(0)


def timeline(project) -> str:
    return project.read("site/timeline/index.html")


def as_fresh(project, tmp_path, live, *paths: str) -> None:
    """The live folder's `paths` are a fresh build's."""
    build(dataclasses.replace(live.options, out_dir=tmp_path / "fresh"))
    for path in paths:
        assert (project.site / path).read_bytes() == (tmp_path / "fresh" / path).read_bytes(), path


def test_an_edit_of_an_event_makes_only_its_item_again(project, live):
    before = dict(live.kept.slots)
    assert SUMMIT in before and FORUM in before
    project.edit("content/events/summit.md", "title: 扶贫峰会", "title: 扶贫大会")
    live.run([project.root / "content/events/summit.md"])
    assert "扶贫大会" in item(timeline(project), "summit")
    assert live.kept.slots[FORUM][1] is before[FORUM][1]  # kept, not made again
    assert live.kept.slots[SUMMIT][1] is not before[SUMMIT][1]


def test_renaming_a_park_an_event_links_changes_the_events_item(project, live, tmp_path):
    project.edit("content/parks/peony-base.md", "name: 牡丹种植基地", "name: 牡丹产业园")
    live.run([project.root / "content/parks/peony-base.md"])
    assert "牡丹产业园" in item(timeline(project), "summit")
    as_fresh(project, tmp_path, live, "timeline/index.html", "timeline/newest/index.html")


def test_moving_a_linked_park_to_another_province_changes_the_items_filters(project, live, tmp_path):
    assert "yunnan" not in item(timeline(project), "summit")
    project.edit("content/parks/peony-base.md", "province: 宁夏", "province: 云南")
    live.run([project.root / "content/parks/peony-base.md"])
    assert re.search(r'data-province="[^"]*yunnan', item(timeline(project), "summit"))
    as_fresh(project, tmp_path, live, "timeline/index.html")


def test_another_base_url_changes_every_item(project, live, tmp_path):
    project.edit("content/site.yaml", "base_url: https://example.org/", "base_url: https://example.org/town/")
    live.run([project.root / "content/site.yaml"])
    assert 'href="/town/events/forum/"' in item(timeline(project), "forum")
    as_fresh(project, tmp_path, live, "timeline/index.html", "data/events.json", "data/events.csv")


def test_the_build_date_moves_an_event_into_progress(project, live, tmp_path):
    assert "进行中" not in item(timeline(project), "forum")
    live.options = dataclasses.replace(live.options, today=dt.date(2016, 7, 29))  # the forum's second day
    live.run([])
    assert "进行中" in item(timeline(project), "forum")
    as_fresh(project, tmp_path, live, "timeline/index.html")


def test_an_edit_of_the_item_template_changes_every_item(project, live):
    project.edit("templates/partials/timeline_list.html", '<li class="timeline-item h-event"',
                 '<li class="timeline-item h-event edited"')  # fmt: skip
    live.run([project.root / "templates/partials/timeline_list.html"])
    assert 'class="timeline-item h-event edited"' in item(timeline(project), "forum")


def test_data_rows_follow_their_entry_and_keep_the_others(project, live, tmp_path):
    exports = next(f for f in live.features if isinstance(f, OpenData)).exports
    forum = exports.made[("events", "json")]["content/events/forum.md"]
    project.edit("content/events/summit.md", "summary: 在西吉", "summary: 在宁夏西吉")
    live.run([project.root / "content/events/summit.md"])
    summit = next(r for r in json.loads(project.read("site/data/events.json")) if r["slug"] == "summit")
    assert summit["summary"].startswith("在宁夏西吉")
    assert exports.made[("events", "json")]["content/events/forum.md"] is forum  # kept, not made again
    as_fresh(project, tmp_path, live, "data/events.json", "data/events.csv", "data/parks.json")


SEEKING = """seeking:
  - title: 湖畔民宿招商
    industries: [文化旅游]
    partners: [投资方]
    status: open
    updated: 2016-11-18
"""


def test_a_need_row_follows_its_owner(project, tmp_path):
    project.edit("content/towns/lake-town.md", "status: 已开园\n", "status: 已开园\n" + SEEKING)
    live = Engine(project.options(), live=True)
    live.run()
    assert "湖畔小镇" in project.read("site/data/needs.csv")
    project.edit("content/towns/lake-town.md", "name: 湖畔小镇", "name: 湖边小镇")
    live.run([project.root / "content/towns/lake-town.md"])
    assert "湖边小镇" in project.read("site/data/needs.csv")
    as_fresh(project, tmp_path, live, "data/towns.json", "data/towns.csv", "data/needs.json", "data/needs.csv")


def test_warming_makes_what_updates_keep_once(project):
    engine = Engine(project.options(), live=True)
    assert not engine.warm()  # nothing run yet
    engine.run()
    engine.kept.slots.clear()  # as after a first run on the workers, whose renders die with them
    assert engine.warm()
    assert {SUMMIT, FORUM} <= set(engine.kept.slots)
    assert not engine.warm()


def test_serve_warms_only_when_no_save_came(project):
    preview = Preview(project.options())
    assert preview.build()
    assert not preview.warm(idle=False)
    assert preview.warm(idle=True)
    assert not preview.warm(idle=True)
