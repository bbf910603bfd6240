"""Chinese-keyboard slips (townsite/slips.py): one fixture per slip, each asserting the Chinese
message and the line of the mistake, on a copy of tests/fixtures/mini."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

EVENT = """---
title: 坏活动
slug: bad-event
summary: 测试。
date: 2016-06-26
event_type: 峰会
city: 北京
---

正文。
"""
PARK = """---
name: 坏园区
slug: bad-park
summary: 测试。
province: 宁夏
park_type: 农业基地
industries: [玫瑰种植]
---

正文。
"""


def event(old: str, new: str) -> str:
    assert old in EVENT
    return EVENT.replace(old, new, 1)


def park(old: str, new: str) -> str:
    assert old in PARK
    return PARK.replace(old, new, 1)


SLIPS = [
    # (id, file, text, the one problem reported)
    ("full-width-colon", "events/bad.md", event("city: 北京", "venue：国家会议中心\ncity: 北京"),
     "content/events/bad.md:7: `venue` 后面用了中文冒号 `：`（改成英文冒号加空格：`venue: 国家会议中心`）"),
    ("full-width-colon-last-line", "events/bad.md", event("city: 北京", "city：北京"),
     "content/events/bad.md:7: `city` 后面用了中文冒号 `：`（改成英文冒号加空格：`city: 北京`）"),
    ("full-width-colon-in-a-list-item", "towns/lake-town.md", None,
     "content/towns/lake-town.md:9: `title` 后面用了中文冒号 `：`（改成英文冒号加空格：`- title: 报道`）"),
    ("no-space-after-colon", "events/bad.md", event("city: 北京", "city:北京\nvenue: 国家会议中心"),
     "content/events/bad.md:7: `city` 的冒号后面缺少空格（写成 `city: 北京`）"),
    ("full-width-quotes", "events/bad.md", event("summary: 测试。", "summary: “比例: 3:1”"),
     "content/events/bad.md:4: 中文引号 `“”` 在 YAML 里不起引号作用（改用英文引号：`summary: \"比例: 3:1\"`）"),
    ("full-width-comma-in-list", "parks/bad.md", park("[玫瑰种植]", "[玫瑰种植，文化旅游]"),
     "content/parks/bad.md:7: industries: `玫瑰种植，文化旅游` 用中文逗号或顿号分隔了几项"
     "（列表各项要用英文逗号分隔：`玫瑰种植, 文化旅游`）"),
    ("full-width-brackets", "parks/bad.md", park("[玫瑰种植]", "【玫瑰种植，文化旅游】"),
     "content/parks/bad.md:7: industries: `【玫瑰种植，文化旅游】` 不是列表（列表要用英文方括号，写成 `[玫瑰种植, 文化旅游]`）"),
    ("should-be-a-list", "parks/bad.md", park("[玫瑰种植]", "玫瑰种植、文化旅游"),
     "content/parks/bad.md:7: industries: `玫瑰种植、文化旅游` 看起来是好几项（请写成列表：`[玫瑰种植, 文化旅游]`）"),

    ("chinese-date", "events/bad.md", event("2016-06-26", "2016年6月26日"),
     "content/events/bad.md:5: date: `2016年6月26日` 不是 YYYY-MM-DD 格式（写成 `2016-06-26`）"),
    ("full-width-digits-in-a-date", "events/bad.md", event("2016-06-26", "２０１６-０６-２６"),
     "content/events/bad.md:5: date: `２０１６-０６-２６` 里有全角字符（改成半角：`2016-06-26`）"),
    ("full-width-digits-in-a-quantity", "parks/bad.md", park("industries:", "area: ２０万亩\nindustries:"),
     "content/parks/bad.md:7: area: `２０万亩` 里有全角字符（改成半角：`20万亩`）"),
    ("name-instead-of-slug", "parks/bad.md", park("industries:", "town: 湖畔小镇\nindustries:"),
     "content/parks/bad.md:7: town: `湖畔小镇` 是名称，这里要写小镇的网址名（写成 `lake-town`）"),
    ("unknown-name-instead-of-slug", "events/bad.md", event("city: 北京", "towns: [西吉县城]"),
     "content/events/bad.md:7: towns: `西吉县城` 是名称，而且没有叫这个名称的小镇（这里要写小镇的网址名，见对应文件里的 `slug:`）"),
    ("nearly-the-name-instead-of-slug", "events/bad.md", event("city: 北京", "towns: [湖边小镇]"),
     "content/events/bad.md:7: towns: `湖边小镇` 是名称，这里要写小镇的网址名（写成 `lake-town`）"),
    ("chinese-own-slug", "events/bad.md", event("slug: bad-event", "slug: 坏活动"),
     "content/events/bad.md:3: slug: `坏活动` 是名称，不是网址名（请写成拼音，例如 `huai-huo-dong`）"),
]  # fmt: skip
LINKS = "links:\n  - title：报道\n    url: https://example.org/\n"


@pytest.mark.parametrize("case", SLIPS, ids=[c[0] for c in SLIPS])
def test_each_slip_is_reported_in_chinese_on_its_line(project, case):
    _id, rel, text, expected = case
    if text is None:  # the slip inside a list of mappings
        text = project.read(f"content/{rel}").replace("status: 已开园\n", "status: 已开园\n" + LINKS, 1)
    project.write(f"content/{rel}", text)
    assert project.problems() == [expected]


def test_a_note_in_brackets_after_a_field_name(project):
    project.write("content/parks/bad.md", park("province: 宁夏", "province（省份）: 宁夏"))
    assert project.problems() == [
        "content/parks/bad.md:1: 缺少必填字段 省份 `province`（请补上，例如 `province: 宁夏`）",
        "content/parks/bad.md:5: 未知字段 `province（省份）`（字段名应写成 `province`，不要带全角字符或括号注释）",
    ]


def test_slips_are_reported_with_every_other_problem_of_the_file(project):
    """Mending a slip lets the rest of the file be checked in the same run."""
    text = event(
        "city: 北京", "venue：国家会议中心\ncity:北京\norganizers: 国务院扶贫办，全国工商联\ntowns: [湖畔小镇]"
    )
    project.write("content/events/bad.md", text.replace("2016-06-26", "2016年6月26日"))
    assert [p.split(": ", 1)[0] for p in project.problems()] == [
        "content/events/bad.md:5",
        "content/events/bad.md:7",
        "content/events/bad.md:8",
        "content/events/bad.md:9",
        "content/events/bad.md:10",
    ]


def test_a_slip_is_reported_in_english_on_request(project, english):
    project.write("content/events/bad.md", event("city: 北京", "city:北京"))
    assert project.problems() == ["content/events/bad.md:7: no space after the colon of `city`; write `city: 北京`"]


def test_a_yaml_error_that_is_no_slip_keeps_its_own_message(project):
    project.write("content/events/bad.md", event("city: 北京", "city: [北京"))
    (problem,) = project.problems()
    assert problem.startswith("content/events/bad.md:") and "YAML 语法错误" in problem


def test_full_width_punctuation_inside_a_value_is_fine(project):
    project.write("content/events/bad.md", event("summary: 测试。", "summary: “一带一路”倡议：合作，共赢（2016）"))
    project.build()


# --- a slug used twice: the new file is blamed -------------------------------------------------------
DUPLICATE = (
    "---\nname: 新小镇\nslug: lake-town\nsummary: 新的。\nprovince: 云南\nindustries: [x]\nstatus: 建设中\n---\n"
)


def git(project, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_duplicate_slug_blames_the_file_git_has_not_committed(project):
    git(project, "init", "-q")
    git(project, "add", "content")
    git(project, "commit", "-q", "-m", "content")
    project.write("content/towns/a-new-town.md", DUPLICATE)  # sorts before lake-town.md
    os.utime(project.root / "content/towns/lake-town.md")  # the committed file is even the newer one
    assert project.problems() == [
        "content/towns/a-new-town.md:3: 网址名 `lake-town` 已被已提交的 content/towns/lake-town.md 使用"
        "（请给这个新文件另起一个 `slug:`，并相应修改文件名）"
    ]


def test_without_git_a_duplicate_slug_blames_the_newer_file(project, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no git
    new = project.write("content/towns/a-new-town.md", DUPLICATE)
    old = project.root / "content/towns/lake-town.md"
    os.utime(old, (1_000_000_000, 1_000_000_000))
    os.utime(new, (1_500_000_000, 1_500_000_000))
    assert project.problems() == [
        "content/towns/a-new-town.md:3: 网址名 `lake-town` 已被较早的 content/towns/lake-town.md 使用"
        "（请给这个较新的文件另起一个 `slug:`，并相应修改文件名）"
    ]
    os.utime(new, (500_000_000, 500_000_000))  # now the other one is newer
    (problem,) = project.problems()
    assert problem.startswith("content/towns/lake-town.md:3: 网址名 `lake-town` 已被较早的 content/towns/a-new-town.md")
