"""`new` writes a file every required field of which is present, and that passes `check` once
the placeholders are filled; it never overwrites."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from townsite.scaffold import ScaffoldError, new_entry

FILLED = {
    "town": {"summary": "一句话。", "province": "云南", "industries": "[玫瑰种植]", "status": "建设中"},
    "park": {"summary": "一句话。", "province": "宁夏", "park_type": "农业基地", "industries": "[油用牡丹]"},
    "event": {"summary": "一句话。", "event_type": "论坛"},
    "page": {},
}


def fill(path, values):
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
        assert n == 1, key
    path.write_text(text.replace("待填写：", ""), encoding="utf-8")


@pytest.mark.parametrize("kind", ["town", "park", "event", "page"])
def test_new_entry_is_rejected_until_filled_then_passes_check(project, kind):
    path = new_entry(project.root, kind, "丽江九色玫瑰测试", dt.date(2026, 11, 22))
    assert path == project.root / "content" / f"{kind}s" / "li-jiang-jiu-se-mei-gui-ce-shi.md"
    text = path.read_text(encoding="utf-8")
    assert "slug: li-jiang-jiu-se-mei-gui-ce-shi" in text
    if kind == "event":
        assert "date: 2026-11-22" in text
    if kind != "page":
        problems = project.problems()
        assert any("仍是占位符 `待填写`（请填写" in p for p in problems)
        assert all(p.startswith(f"content/{kind}s/li-jiang-jiu-se-mei-gui-ce-shi.md:") for p in problems)
    fill(path, FILLED[kind])
    result = project.build(write=False)
    assert (kind, "li-jiang-jiu-se-mei-gui-ce-shi") in result.site.by_key


def test_new_never_overwrites(project):
    path = new_entry(project.root, "town", "新镇", dt.date(2026, 1, 1))
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="已经存在（请直接修改它，或换一个名称）"):
        new_entry(project.root, "town", "新镇", dt.date(2026, 1, 1))
    assert path.read_text(encoding="utf-8") == "mine"


def test_new_refuses_a_name_without_a_slug(project):
    with pytest.raises(ScaffoldError, match="无法根据 `！！！` 生成网址名"):
        new_entry(project.root, "town", "！！！", dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    "name",
    ["小镇 #2号", "比例: 3:1 小镇", "[试点] 小镇", "*星号小镇", '"引号"小镇', "'单引号'小镇", "yes", "2016-06-26 峰会",
     "{花括号}小镇", "& 小镇", "! 小镇", "% 小镇", "@ 小镇", "- 小镇", "小镇 \\ 反斜杠"],
)  # fmt: skip
def test_any_name_is_written_so_that_it_reads_back_exactly(project, name):
    path = new_entry(project.root, "event", name, dt.date(2026, 11, 22))
    fill(path, FILLED["event"])
    result = project.build(write=False)
    (event,) = [e for e in result.site.entries["event"] if e.source == path.relative_to(project.root).as_posix()]
    assert event.title == name


@pytest.mark.parametrize("name", ["两行\n名字", "控制\x07字符", "方向\u202e覆盖", "半个\ud800代理"])
def test_a_name_that_cannot_be_published_is_refused(project, name):
    before = sorted((project.root / "content/towns").iterdir())
    with pytest.raises(ScaffoldError, match="无法发布的字符（请重新输入）"):
        new_entry(project.root, "town", name, dt.date(2026, 1, 1))
    assert sorted((project.root / "content/towns").iterdir()) == before
