"""What a page says it shows (PageSpec.sources and .names, fingerprints.py) is precise: a front-matter
edit re-renders only the pages that show what changed, and never fewer (after any sequence of
front-matter edits the folder `serve` keeps is byte-identical to a fresh build)."""

from __future__ import annotations

import random
import re

import pytest

from townsite.engine import Engine, build

ORG = """---
name: 测试联盟
slug: ce-shi-lian-meng
summary: 一个测试用的联盟。
type: 行业组织
---

联盟正文。
"""


def set_field(project, rel: str, key: str, value: str | None) -> None:
    """Replace (or add, or with None remove) a front-matter line."""
    path = project.root / rel
    text = path.read_text()
    head, sep, rest = text.partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + sep + rest)


def rendered_by(live: Engine, run) -> set[str]:
    """The outputs one update rendered again (their record changed)."""
    before = dict(live.state.outputs)
    run()
    return {path for path, value in live.state.outputs.items() if before.get(path) != value}


WORDS = ["玫瑰", "牡丹", "峰会", "论坛", "湖边", "产业"]
PLACES = ["宁夏", "云南省", "四川", "北京"]
TOWNS = ["mei-gui-xiao-zhen", "lake-town"]


def front_matter_edit(project, rng: random.Random) -> str:
    """One random front-matter edit of the kinds the timeline, cards and links show."""
    word = rng.choice(WORDS) + str(rng.randint(1, 99))
    choices = {
        "town summary": lambda: set_field(project, "content/towns/lake-town.md", "summary", f"{word}的小镇。"),
        "town name": lambda: set_field(project, "content/towns/rose.md", "name", f"{word}小镇"),  # slug kept
        "town province": lambda: set_field(project, "content/towns/lake-town.md", "province", rng.choice(PLACES)),
        "park summary": lambda: set_field(project, "content/parks/peony-base.md", "summary", f"{word}基地。"),
        "event title": lambda: set_field(project, "content/events/summit.md", "title", f"{word}峰会"),
        "event summary": lambda: set_field(project, "content/events/forum.md", "summary", f"{word}。"),
        "event date": lambda: set_field(project, "content/events/summit.md", "date", f"20{rng.randint(10, 35)}-11-18"),
        "event towns": lambda: set_field(
            project, "content/events/forum.md", "towns", "[" + ", ".join(rng.sample(TOWNS, rng.randint(0, 2))) + "]"
        ),
        "event organizers": lambda: set_field(
            project, "content/events/future.md", "organizers", rng.choice(["[测试联盟]", "[别的单位]", "[]"])
        ),
        "org name": lambda: set_field(
            project, "content/orgs/ce-shi-lian-meng.md", "name", rng.choice(["测试联盟", "另一联盟"])
        ),
        "event type": lambda: set_field(
            project, "content/events/future.md", "event_type", rng.choice(["论坛", "峰会"])
        ),
    }
    name = rng.choice(sorted(choices))
    choices[name]()
    return name


@pytest.mark.parametrize("seed", [1, 2])
def test_random_front_matter_edits_match_a_fresh_build(project, tree_of, tmp_path, seed):
    rng = random.Random(seed)
    project.write("content/orgs/ce-shi-lian-meng.md", ORG)
    set_field(project, "content/towns/rose.md", "slug", "mei-gui-xiao-zhen")  # its name can change
    live = Engine(project.options(), live=True)
    live.build_all()
    for step in range(10):
        edit = front_matter_edit(project, rng)
        live.run()
        live.update_search()
        fresh = tmp_path / f"fresh-{seed}-{step}"
        build(project.options(out_dir=fresh))
        assert tree_of(project.site) == tree_of(fresh), f"after {edit} (step {step})"


def test_a_town_summary_edit_rerenders_no_timeline_page(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    rose = "content/towns/rose.md"
    project.edit(rose, "一个以玫瑰为主题的小镇。", "一个以玫瑰为主题的新小镇。")
    rendered = rendered_by(live, live.run)
    assert "towns/mei-gui-xiao-zhen/index.html" in rendered  # its page
    assert "towns/index.html" in rendered  # its card
    assert "events/summit/index.html" in rendered  # the summit's card of the town
    assert not [p for p in rendered if p.startswith("timeline/") or p.endswith(".ics")], rendered
    assert {"data/towns.csv", "data/towns.json"} <= rendered  # the towns' dataset, not the others
    assert not rendered & {"data/events.json", "data/parks.csv", "data/index.html"}
    assert "新小镇" in (project.site / "events/summit/index.html").read_text()


def test_an_event_title_edit_rerenders_the_timeline_pages_that_list_it(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    project.edit("content/events/forum.md", "title: 长江论坛", "title: 黄河论坛")
    rendered = rendered_by(live, live.run)
    listing = {p for p in rendered if p.startswith("timeline/") and p.endswith(".html")}
    assert {"timeline/index.html", "timeline/newest/index.html", "timeline/province/sichuan/index.html"} <= listing
    assert "timeline/province/ningxia/index.html" not in rendered  # lists the summit only
    assert "timeline/province/ningxia/events.ics" not in rendered
    for path in listing:
        assert "黄河论坛" in (project.site / path).read_text()


def test_a_town_name_shows_on_the_timeline_pages_that_name_it(project, monkeypatch):
    monkeypatch.setattr("townsite.timeline.LISTED_ENTRY_FILTERS", 0)  # as on a large site: towns are no filters
    set_field(project, "content/towns/rose.md", "slug", "mei-gui-xiao-zhen")  # its name can change
    live = Engine(project.options(), live=True)
    live.build_all()
    project.edit("content/towns/rose.md", "name: 玫瑰小镇", "name: 月季小镇")
    rendered = rendered_by(live, live.run)
    assert "timeline/index.html" in rendered  # the summit's item links the town by name
    assert "timeline/province/sichuan/index.html" not in rendered  # the forum names no town
    assert "timeline/town/mei-gui-xiao-zhen/events.ics" in rendered  # the calendar's name
    timeline = (project.site / "timeline/index.html").read_text()
    assert re.search(r">月季小镇</a>", timeline)


def test_an_event_edit_serializes_only_that_events_vevent_again(project, monkeypatch):
    from townsite.feeds import Calendars

    made = []
    vevent = Calendars.vevent
    monkeypatch.setattr(Calendars, "vevent", lambda self, event: made.append(event.slug) or vevent(self, event))
    live = Engine(project.options(), live=True)
    live.build_all()
    made.clear()
    title = f"论坛{id(made)}"  # never seen before, so never in the last run's VEVENTs
    project.edit("content/events/forum.md", "title: 长江论坛", f"title: {title}")
    live.run()
    assert made == ["forum"]  # the other events' VEVENTs are the last run's
    assert f"SUMMARY:{title}" in (project.site / "events.ics").read_text()
