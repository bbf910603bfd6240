"""Incremental rebuilds are correct by construction: after any sequence of edits, the folder
`serve` keeps is byte-identical to a fresh full build of the same content."""

from __future__ import annotations

import random

import pytest

from townsite.engine import Engine, build
from townsite.problems import ContentError

WORDS = ["玫瑰", "小镇", "园区", "峰会", "西吉", "论坛", "产业", "合作", "企业", "扶贫", "牡丹", "电商"]


def new_town(slug: str, rng: random.Random) -> str:
    return f"""---
name: {rng.choice(WORDS)}{rng.choice(WORDS)}镇{slug[-2:]}
slug: {slug}
summary: {rng.choice(WORDS)}主题的小镇。
province: {rng.choice(["宁夏", "云南", "江苏"])}
industries: [{rng.choice(WORDS)}]
status: 建设中
---

{rng.choice(WORDS)}正文。
"""


def entries(project, pattern):
    return sorted(p for p in project.root.glob(pattern) if not p.name.startswith("."))


def edit_body(project, rng):
    path = rng.choice(entries(project, "content/*/*.md"))
    path.write_text(path.read_text() + f"\n\n新增一段：{rng.choice(WORDS)}{rng.choice(WORDS)}。\n")
    return [path]


def edit_title(project, rng):
    path = rng.choice([p for p in entries(project, "content/towns/*.md") if "\nslug:" in p.read_text()])
    lines = path.read_text().split("\n")
    lines[1] = f"name: {rng.choice(WORDS)}{rng.choice(WORDS)}小镇{rng.randint(1, 99)}"
    path.write_text("\n".join(lines))
    return [path]


def add_entry(project, rng):
    slug = f"new-town-{rng.randint(100, 999)}"
    project.write(f"content/towns/{slug}.md", new_town(slug, rng))
    return [project.root / f"content/towns/{slug}.md"]


def delete_entry(project, rng):
    deletable = sorted(project.root.glob("content/towns/new-town-*.md")) + [
        p for p in (project.root / "content/events/forum.md", project.root / "content/events/future.md") if p.exists()
    ]
    if deletable:
        path = rng.choice(deletable)
        path.unlink()
        return [path]
    return []


def change_reference(project, rng):
    summit = project.root / "content/events/summit.md"
    towns = sorted(p.stem for p in project.root.glob("content/towns/*.md") if p.stem.startswith(("new-town", "lake")))
    choice = rng.choice([*towns, None])
    slugs = ["mei-gui-xiao-zhen", *([choice] if choice else [])]
    text = summit.read_text().split("\n")
    text = [f"towns: [{', '.join(slugs)}]" if line.startswith("towns:") else line for line in text]
    summit.write_text("\n".join(text))
    return [summit]


def move_event(project, rng):
    forum = project.root / "content/events/forum.md"
    if forum.exists():
        day = rng.randint(1, 28)
        lines = forum.read_text().split("\n")
        lines = [f"date: 2016-07-{day:02d}" if line.startswith("date:") else line for line in lines]
        lines = [f"end: 2016-07-{day + 1:02d}" if line.startswith("end:") else line for line in lines]
        forum.write_text("\n".join(lines))
    return [forum]


def edit_template(project, rng):
    template = project.root / "templates" / rng.choice(["town.html", "partials/macros.html", "list.html"])
    template.write_text(template.read_text() + f"{{# edit {rng.randint(0, 10**6)} #}}\n")
    if template.name == "town.html":
        text = template.read_text().replace(
            "{% block related %}", "{% block related %}<!-- v" + str(rng.randint(0, 99)) + " -->", 1
        )
        template.write_text(text)
    return [template]


def toggle_draft(project, rng):
    hidden = project.root / "content/towns/hidden.md"
    text = hidden.read_text()
    hidden.write_text(
        text.replace("draft: true", "draft: false")
        if "draft: true" in text
        else text.replace("draft: false", "draft: true")
    )
    return [hidden]


def move_site(project, rng):
    """Another base URL: every link changes, and compiled templates hold some (Jinja folds
    `{{ '/data/' | url }}` at compile time)."""
    config = project.root / "content/site.yaml"
    lines = config.read_text().split("\n")
    path = rng.choice(["/", "/showcase/", "/a/b/"])
    lines = [f"base_url: https://example.org{path}" if line.startswith("base_url:") else line for line in lines]
    config.write_text("\n".join(lines))
    return [config]


def move_province(project, rng):
    """A town into another province: province pages, the province filters and calendars of
    the timeline (an event is found under its towns' provinces) change membership."""
    path = rng.choice([p for p in entries(project, "content/towns/*.md") if "\nprovince:" in p.read_text()])
    province = rng.choice(["宁夏", "云南", "江苏", "四川"])
    lines = [f"province: {province}" if line.startswith("province:") else line for line in path.read_text().split("\n")]
    path.write_text("\n".join(lines))
    return [path]


def move_event_year(project, rng):
    """An event into another year (past or upcoming): the timeline's years and order change."""
    summit = project.root / "content/events/summit.md"
    year = rng.choice([2012, 2016, 2024, 2031])
    lines = [f"date: {year}-05-18" if line.startswith("date:") else line for line in summit.read_text().split("\n")]
    lines = [line for line in lines if not line.startswith("end:")]
    summit.write_text("\n".join(lines))
    return [summit]


EDITS = [edit_body, edit_title, add_entry, delete_entry, change_reference, move_event, edit_template, toggle_draft,
         move_site, move_province, move_event_year]  # fmt: skip


@pytest.mark.parametrize(("seed", "told"), [(1, False), (2, False), (3, False), (4, True), (5, True)])
def test_random_edit_sequences_match_a_fresh_build(project, tree_of, tmp_path, seed, told):
    """`told`: every edit names the files it changed, as serve's watcher does (only those, and
    files whose stat signature moved, are read again; the discovery is reused when no content
    file came or went); else only body edits name theirs."""
    rng = random.Random(seed)
    live = Engine(project.options(), live=True)
    live.build_all()
    for step in range(12):
        edit = rng.choice(EDITS)
        changed = edit(project, rng) or []
        live.run(changed if told or edit is edit_body else [])
        live.update_search()
        fresh = build(project.options(out_dir=tmp_path / f"fresh-{seed}-{step}"))
        assert tree_of(project.site) == tree_of(tmp_path / f"fresh-{seed}-{step}"), (
            f"after {edit.__name__} (step {step})"
        )
        assert set(fresh.outputs) == set(live.current)


def test_the_live_first_run_makes_pages_then_phase_two_the_search_export(project, tree_of, tmp_path):
    """serve's first run is a build without the search export (pages come first); update_search
    then makes it, and the folder is a fresh build's."""
    live = Engine(project.options(), live=True)
    live.run()
    assert (project.site / "index.html").is_file()
    assert not (project.site / "search/manifest.bin").exists()
    assert not any(path.startswith("search/") and path.endswith(".bin") for path in live.current)
    assert live.update_search() is not None
    assert live.update_search() is None  # nothing left to do
    build(project.options(out_dir=tmp_path / "fresh"))
    assert tree_of(project.site) == tree_of(tmp_path / "fresh")


@pytest.mark.parametrize("told", [False, True], ids=["full-rebuild", "watcher-fast-path"])
def test_a_body_edit_rerenders_only_what_shows_that_entry(project, told):
    live = Engine(project.options(), live=True)
    live.build_all()
    project.edit("content/events/forum.md", "论坛正文。", "论坛正文，改过。")
    report = live.run([project.root / "content/events/forum.md"] if told else [])
    assert report.rendered == 1, report  # its page: nothing else shows its body
    assert report.written >= 1
    assert "论坛正文，改过。" in (project.site / "events/forum/index.html").read_text()


def test_a_front_matter_edit_rerenders_the_pages_that_show_it(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    total = len(live.state.outputs)
    project.edit("content/towns/lake-town.md", "name: 湖畔小镇", "name: 湖边小镇")
    report = live.run()
    assert 3 <= report.rendered < total
    assert "湖边小镇" in (project.site / "towns/index.html").read_text()
    assert (
        "湖边小镇" in (project.site / "index.html").read_text()
        or "湖边小镇" in (project.site / "provinces/yunnan/index.html").read_text()
    )


def test_deleted_entries_lose_their_outputs(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    assert (project.site / "events/forum/index.html").exists()
    (project.root / "content/events/forum.md").unlink()
    report = live.build_all()
    assert report.removed >= 1
    assert not (project.site / "events/forum").exists()


def test_a_content_error_keeps_the_folder_and_the_next_good_save_recovers(project, tree_of):
    live = Engine(project.options(), live=True)
    live.build_all()
    before = tree_of(project.site)
    project.edit("content/towns/lake-town.md", "status: 已开园", "status: 坏")
    with pytest.raises(ContentError) as info:
        live.run()
    assert "content/towns/lake-town.md:7" in str(info.value)
    assert tree_of(project.site) == before
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "见[不存在](/towns/nope/)。")
    with pytest.raises(ContentError) as info:  # a body-only save must not hide the earlier problem
        live.run([project.root / "content/towns/lake-town.md"])
    assert "lake-town.md:7: status" in str(info.value)
    project.edit("content/towns/lake-town.md", "见[不存在](/towns/nope/)。", "湖畔小镇的正文。")
    assert tree_of(project.site) == before
    project.edit("content/towns/lake-town.md", "status: 坏", "status: 运营中")
    live.build_all()
    assert "运营中" in (project.site / "towns/lake-town/index.html").read_text()


def test_a_file_the_watcher_did_not_name_is_read_again_when_its_signature_moved(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    project.edit("content/towns/lake-town.md", "name: 湖畔小镇", "name: 湖边小镇")
    project.edit("content/events/forum.md", "title: 长江论坛", "title: 黄河论坛")
    live.run([project.root / "content/events/forum.md"])  # the watcher named only the other file
    assert "黄河论坛" in (project.site / "events/forum/index.html").read_text()
    assert "湖边小镇" in (project.site / "towns/lake-town/index.html").read_text()


def test_a_new_file_named_by_the_watcher_is_discovered(project):
    live = Engine(project.options(), live=True)
    live.build_all()
    live.run([project.root / "content/events/forum.md"])  # the discovery is kept from here
    add_entry(project, random.Random(7))
    new = sorted(project.root.glob("content/towns/new-town-*.md"))[0]
    live.run([new])
    assert (project.site / f"towns/{new.stem}/index.html").is_file()
    new.unlink()
    live.run([new])
    assert not (project.site / f"towns/{new.stem}").exists()


def test_a_preview_saved_before_its_search_export_is_not_up_to_date(project):
    """serve stopped before phase 2: its folder lacks the export, so its record may not claim
    the inputs' key (a `build` into that folder would otherwise find nothing to do)."""
    options = project.options(out_dir=project.root / "preview")
    live = Engine(options, live=True)
    live.run()
    live.save()
    result = build(options)
    assert not result.unchanged
    assert (project.root / "preview/search/manifest.bin").is_file()
