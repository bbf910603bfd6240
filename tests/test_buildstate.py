"""The build cache: a build with nothing changed does nothing; a stale, partial or corrupted
cache, or a touched output folder, is detected and a full build runs instead."""

from __future__ import annotations

import datetime as dt

import pytest

from townsite.buildstate import state_table
from townsite.problems import ContentError


def stamps(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_a_build_with_nothing_changed_does_nothing(project):
    first = project.build()
    assert not first.unchanged
    before = stamps(project.site)
    again = project.build()
    assert again.unchanged
    assert stamps(project.site) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "新正文。"),
        lambda p: p.edit("templates/town.html", "{% block related %}", "{% block related %}<!-- x -->"),
        lambda p: p.write("static/extra.css", "body{}"),
        lambda p: p.edit("content/site.yaml", "per_page: 2", "per_page: 3"),
    ],
    ids=["content", "template", "static", "configuration"],
)
def test_any_input_change_means_a_full_build(project, change):
    project.build()
    change(project)
    assert not project.build().unchanged


@pytest.mark.parametrize("options", [{"include_drafts": True}, {"base_url": "https://example.org/sub/"},
                                     {"today": dt.date(2031, 1, 1)}])  # fmt: skip
def test_other_options_mean_a_full_build(project, options):
    project.build()
    assert not project.build(**options).unchanged


@pytest.mark.parametrize(
    "damage",
    [
        lambda site: (site / "index.html").unlink(),
        lambda site: (site / "index.html").write_text("tampered"),
        lambda site: (site / "stray.html").write_text("extra"),
    ],
    ids=["deleted-output", "edited-output", "extra-output"],
)
def test_a_touched_output_folder_is_rebuilt(project, tree_of, damage):
    project.build()
    expected = tree_of(project.site)
    damage(project.site)
    assert not project.build().unchanged
    assert tree_of(project.site) == expected


@pytest.mark.parametrize(
    "garbage",
    ["", "{", "[]", '{"key": 1}', '{"key": "x", "outputs": "y"}', "\x00\x01binary"],
    ids=["empty", "truncated", "list", "wrong-type", "wrong-shape", "binary"],
)
def test_a_corrupted_cache_is_not_trusted(project, tree_of, garbage):
    project.build()
    expected = tree_of(project.site)
    record = state_table(project.root / ".townsite-cache", project.site).path
    assert record is not None and record.is_file()
    record.write_text(garbage)
    result = project.build()
    assert not result.unchanged
    assert tree_of(project.site) == expected


def test_a_failed_build_then_a_revert_is_recognised(project, tree_of):
    project.build()
    expected = tree_of(project.site)
    project.edit("content/towns/lake-town.md", "status: 已开园", "status: 坏")
    with pytest.raises(ContentError):
        project.build()
    project.edit("content/towns/lake-town.md", "status: 坏", "status: 已开园")
    assert project.build().unchanged  # the same inputs as the site that is still there
    assert tree_of(project.site) == expected


def test_check_never_writes_the_cache(project):
    project.build(write=False)
    assert not (project.root / ".townsite-cache").exists()
