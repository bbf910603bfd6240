"""Every kind of content problem is reported as `path:line: message` with a hint to fix it."""

from __future__ import annotations

import pytest

from townsite.fields import FieldError
from townsite.problems import did_you_mean

TOWN = """---
name: 坏小镇
slug: bad
summary: 测试。
province: 宁夏
industries: [玫瑰种植]
status: 建设中
---

正文。
"""
EVENT = """---
title: 坏活动
slug: bad-event
summary: 测试。
date: 2016-06-26
event_type: 峰会
---

正文。
"""


def town(old: str, new: str) -> str:
    assert old in TOWN
    return TOWN.replace(old, new, 1)


def event(old: str, new: str) -> str:
    assert old in EVENT
    return EVENT.replace(old, new, 1)


CASES = [
    # (id, file, content, expected "path:line: start of message", expected hint fragment)
    ("unknown-field", "towns/bad.md", town("province:", "provnce:"), "towns/bad.md:5: unknown field `provnce`",
     "did you mean `province`?"),
    ("missing-required", "towns/bad.md", town("status: 建设中\n", ""), "towns/bad.md:1: required field `status`",
     "add `status: ...`"),
    ("empty-required", "towns/bad.md", town("status: 建设中", "status:"), "towns/bad.md:7: required field `status`",
     "is empty"),
    ("impossible-date", "events/bad.md", event("2016-06-26", "2016-13-01"), "events/bad.md:5: date: `2016-13-01` is not a real date",
     "YYYY-MM-DD"),
    ("badly-written-date", "events/bad.md", event("2016-06-26", "2016/06/26"), "events/bad.md:5: date: `2016/06/26` is not a date",
     "e.g. 2016-06-26"),
    ("end-before-start", "events/bad.md", event("event_type: 峰会", "event_type: 峰会\nend: 2016-06-20"),
     "events/bad.md:7: end: 2016-06-20 is before the start date 2016-06-26", ""),
    ("wrong-type-list", "towns/bad.md", town("industries: [玫瑰种植]", "industries:\n  a: b"), "towns/bad.md:7: industries: expected text",
     "got a mapping"),
    ("wrong-type-text", "towns/bad.md", town("summary: 测试。", "summary: [a, b]"), "towns/bad.md:4: summary: expected text",
     "got a list"),
    ("unknown-choice", "towns/bad.md", town("status: 建设中", "status: 在建设中"), "towns/bad.md:7: status: unknown value `在建设中`",
     "did you mean `建设中`"),
    ("unknown-province", "towns/bad.md", town("province: 宁夏", "province: 宁厦"), "towns/bad.md:5: province: unknown value `宁厦`",
     "`宁夏`"),
    ("unknown-program", "towns/bad.md", town("status:", "programs: [千企千镇]\nstatus:"), "towns/bad.md:7: programs: unknown value `千企千镇`",
     "did you mean `千企千镇工程`"),
    ("unknown-reference", "events/bad.md", event("event_type: 峰会", "event_type: 峰会\ntowns: [mei-gui-xiao-zhe]"),
     "events/bad.md:7: towns: unknown town `mei-gui-xiao-zhe`", "did you mean `mei-gui-xiao-zhen`?"),
    ("draft-reference", "events/bad.md", event("event_type: 峰会", "event_type: 峰会\ntowns:\n  - lake-town\n  - hidden"),
     "events/bad.md:9: towns: `hidden` is a draft", "publish it"),
    ("unsafe-slug", "towns/bad.md", town("slug: bad", "slug: ../etc"), "towns/bad.md:3: slug: `../etc` is not a safe slug",
     "lowercase"),
    ("uppercase-slug", "towns/bad.md", town("slug: bad", "slug: Bad Town"), "towns/bad.md:3: slug: `Bad Town` is not a safe slug", ""),
    ("underivable-slug", "towns/bad.md", town("name: 坏小镇\nslug: bad", "name: ！！！"), "towns/bad.md:2: cannot make a slug",
     "add a `slug:` line"),
    ("bad-unit", "parks/bad.md", "---\nname: 园\nslug: bad-park\nsummary: s\nprovince: 宁夏\npark_type: 农业基地\n"
     "industries: [x]\narea: 20万平米\n---\n", "parks/bad.md:8: area: unknown unit `万平米`", "units"),
    ("bad-coordinates", "towns/bad.md", town("status:", "coordinates:\n  lat: 135\n  lon: 100\nstatus:"),
     "towns/bad.md:8: coordinates: 135.0 is out of range", "latitude"),
    ("reserved-page-slug", "pages/bad.md", "---\ntitle: 小镇\nslug: towns\n---\n", "pages/bad.md:3: slug `towns` is reserved", ""),
    ("duplicate-slug", "towns/zz-copy.md", town("slug: bad", "slug: lake-town"),
     "towns/zz-copy.md:3: slug `lake-town` is already used by content/towns/lake-town.md", "another `slug:`"),
    ("yaml-syntax", "towns/bad.md", town("province: 宁夏", "province: [宁夏"), "towns/bad.md:", "YAML syntax error"),
    ("yaml-tab", "towns/bad.md", town("status: 建设中", "status:\n\t建设中"),
     "towns/bad.md:", "YAML syntax error"),
    ("yaml-colon", "towns/bad.md", town("summary: 测试。", "summary: 简介: 未加引号"), "towns/bad.md:4: YAML syntax error",
     "must be quoted"),
    ("duplicate-key", "towns/bad.md", town("status: 建设中", "status: 建设中\nprovince: 云南"),
     "towns/bad.md:8: duplicate key `province` (first set on line 5)", "keep only one"),
    ("yaml-alias", "towns/bad.md", town("industries: [玫瑰种植]", "industries: &i [玫瑰种植]\nprograms: *i"),
     "towns/bad.md:", "aliases"),
    ("empty-file", "towns/bad.md", "", "towns/bad.md: file is empty", "front matter"),
    ("whitespace-file", "towns/bad.md", "\n  \n", "towns/bad.md: file is empty", ""),
    ("no-front-matter", "towns/bad.md", "# 标题\n\n正文\n", "towns/bad.md:1: no front matter", "`---`"),
    ("unclosed-front-matter", "towns/bad.md", TOWN.replace("---\n\n正文", "\n正文"), "towns/bad.md:1: front matter is not closed",
     "add a `---` line"),
    ("front-matter-list", "towns/bad.md", "---\n- a\n- b\n---\n", "towns/bad.md:2: front matter is a list", ""),
    ("front-matter-scalar", "towns/bad.md", "---\njust text\n---\n", "towns/bad.md:2: front matter is a single value", ""),
    ("front-matter-empty", "towns/bad.md", "---\n---\nbody\n", "towns/bad.md:1: front matter is empty", ""),
    ("gbk", "towns/bad.md", TOWN.encode("gbk"), "towns/bad.md:2: file is not UTF-8", "GBK"),
    ("broken-body-link", "towns/bad.md", TOWN + "\n见[湖畔](/towns/lake-twn/)。\n", "towns/bad.md:12: link to `/towns/lake-twn/`",
     "did you mean `/towns/lake-town/`"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "content", "expected", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_is_reported_with_path_line_and_hint(project, rel, content, expected, hint):
    project.write(f"content/{rel}", content)
    problems = project.problems()
    matching = [p for p in problems if p.startswith(f"content/{expected}")]
    assert matching, f"expected a problem starting with content/{expected!r}, got:\n" + "\n".join(problems)
    assert hint in matching[0]


def test_all_problems_of_a_run_are_reported_together(project):
    project.write("content/towns/a-bad.md", town("status: 建设中", "status: 不存在"))
    project.write("content/events/b-bad.md", event("2016-06-26", "2016-02-30"))
    project.write("content/parks/c-bad.md", "")
    problems = project.problems()
    assert [p.split(":")[0] for p in problems] == [
        "content/events/b-bad.md",
        "content/parks/c-bad.md",
        "content/towns/a-bad.md",
    ]


def test_reference_to_a_file_that_failed_to_load_is_not_reported_twice(project):
    project.write("content/towns/mei-gui-xiao-zhen.md", "---\nname: [broken\n---\n")
    problems = project.problems()
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/towns/mei-gui-xiao-zhen.md:2: YAML syntax error")


def test_bom_crlf_and_editor_backups_are_accepted(project):
    text = town("slug: bad", "slug: crlf-town").replace("\n", "\r\n").encode("utf-8-sig")
    project.write("content/towns/crlf-town.md", text)
    project.write("content/towns/crlf-town.md~", "garbage")
    project.write("content/towns/.#crlf-town.md", "garbage")
    project.write("content/towns/.DS_Store", b"\x00\x01")
    result = project.build()
    entry = result.site.by_key[("town", "crlf-town")]
    assert entry.title == "坏小镇"
    assert entry.status == "建设中"
    assert "\r" not in entry.body


def test_full_province_names_are_stored_short(project):
    result = project.build(write=False)
    assert result.site.by_key[("town", "lake-town")].province == "云南"  # written 云南省


def test_did_you_mean_is_empty_when_nothing_is_close():
    assert did_you_mean("zzzz", ["province", "city"]) == ""
    assert "`province`" in did_you_mean("provnce", ["province", "city"])


def test_field_error_points_at_the_value_line():
    import yaml

    from townsite.fields import Date

    node = yaml.compose("\n\nx")
    with pytest.raises(FieldError) as info:
        Date().parse(node)
    assert info.value.line == 3
