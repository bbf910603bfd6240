"""The broken-input corpus: every way an editor's file can be wrong, each applied to a copy of
tests/fixtures/mini (whose site/ is already built), each with an explicit expectation.

Rejected: the build reports `path:line: message (hint)`, exits 1 without a traceback and leaves
site/ byte for byte as it was; one test runs a batch of them through the real CLI in a
subprocess. Accepted (a BOM, CRLF, editor backups, …): the site builds and shows the entry.
docs/content-guide.md must document every message (tests/test_i18n.py checks it).
The corpus asserts the English msgids (so it runs in English); tests/test_i18n.py checks that
each has its Chinese translation, and tests/test_slips.py asserts Chinese messages."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, TODAY, Project, copy_project
from sitecheck import run_cli

from townsite.cli import main
from townsite.schema import RESERVED_PAGE_SLUGS

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


def with_cover(src: str, alt: str | None) -> str:
    """TOWN with a `cover:` on line 8, its `src:` on line 9."""
    cover = f"cover:\n  src: {src}\n" + (f"  alt: {alt}\n" if alt else "")
    return TOWN.replace("status: 建设中\n", "status: 建设中\n" + cover)


EVENT = """---
title: 坏活动
slug: bad-event
summary: 测试。
date: 2016-06-26
event_type: 峰会
---

正文。
"""
PAGE = "---\ntitle: 页面\nslug: {slug}\n---\n\n正文。\n"
SECRET = "SECRET-OUTSIDE-THE-PROJECT"


def town(old: str, new: str) -> str:
    assert old in TOWN
    return TOWN.replace(old, new, 1)


def event(old: str, new: str) -> str:
    assert old in EVENT
    return EVENT.replace(old, new, 1)


def outside(project: Project) -> Path:
    """A folder beside the project holding a valid town file that must never be read."""
    folder = project.root.parent / "outside"
    folder.mkdir(exist_ok=True)
    (folder / "secret.md").write_text(town("slug: bad", "slug: secret") + SECRET, encoding="utf-8")
    return folder


def symlink(rel: str, target: Callable[[Project], Path]) -> Callable[[Project], None]:
    def make(project: Project) -> None:
        link = project.root / "content" / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target(project))

    return make


def site_yaml(old: str, new: str) -> Callable[[Project], None]:
    return lambda project: project.edit("content/site.yaml", old, new)


def static(rel: str, text: str) -> Callable[[Project], None]:
    return lambda project: project.write(f"static/{rel}", text)


def sparse(rel: str, size: int) -> Callable[[Project], None]:
    def make(project: Project) -> None:
        with open(project.root / "content" / rel, "wb") as handle:
            handle.truncate(size)  # instant: no 60 MB written

    return make


def fifo(rel: str) -> Callable[[Project], None]:
    return lambda project: os.mkfifo(project.root / "content" / rel)


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes]  # content/-relative path -> bytes or UTF-8 text
    expect: str  # a reported line starts with this: "content/towns/bad.md:5: unknown field `provnce`"
    hint: str = ""  # ... and contains this (the advice)
    guide: str = ""  # fixed text of the message, quoted in docs/content-guide.md
    make: Callable[[Project], None] | None = None  # for what is not a file: symlinks, FIFOs

    def apply(self, project: Project) -> None:
        for rel, content in self.files.items():
            project.write(f"content/{rel}", content)
        if self.make:
            self.make(project)


ALIAS_BOMB = "---\nname: 炸弹\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{x}: &{x} [{', '.join([f'*{y}'] * 9)}]\n" for x, y in zip("bcdefghij", "abcdefghi", strict=True)
) + "---\n"  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))

REJECTED = [
    # --- the file as a whole -------------------------------------------------------------------
    Case("empty-file", {"towns/bad.md": ""}, "content/towns/bad.md: file is empty", "front matter", "file is empty"),
    Case("whitespace-only", {"towns/bad.md": "\n  \n\t\n"}, "content/towns/bad.md: file is empty"),
    Case("no-front-matter", {"towns/bad.md": "# 标题\n\n正文\n"}, "content/towns/bad.md:1: no front matter", "`---`",
         "no front matter"),
    Case("blank-line-before-front-matter", {"towns/bad.md": "\n" + TOWN}, "content/towns/bad.md:1: no front matter"),
    Case("unclosed-front-matter", {"towns/bad.md": TOWN.replace("---\n\n正文", "\n正文")},
         "content/towns/bad.md:1: front matter is not closed", "add a `---` line", "front matter is not closed"),
    Case("only-an-opening-fence", {"towns/bad.md": "---\n"}, "content/towns/bad.md:1: front matter is not closed"),
    Case("front-matter-empty", {"towns/bad.md": "---\n---\nbody\n"}, "content/towns/bad.md:1: front matter is empty",
         "add the required fields", "front matter is empty"),
    Case("front-matter-list", {"towns/bad.md": "---\n- a\n- b\n---\n"}, "content/towns/bad.md:2: front matter is a list",
         "`field: value` lines", "front matter is a list"),
    Case("front-matter-scalar", {"towns/bad.md": "---\njust text\n---\n"},
         "content/towns/bad.md:2: front matter is a single value", "", "front matter is a single value"),
    Case("gbk", {"towns/gbk.md": TOWN.encode("gbk")}, "content/towns/gbk.md:2: file is not UTF-8", "GBK",
         "file is not UTF-8"),
    Case("utf-16", {"towns/utf16.md": TOWN.encode("utf-16")}, "content/towns/utf16.md: file is UTF-16",
         "re-save it as UTF-8", "file is UTF-16"),
    Case("binary-md", {"towns/photo.md": PNG}, "content/towns/photo.md: file contains NUL bytes: it looks binary", "",
         "it looks binary"),
    Case("huge-file", {}, "content/towns/huge.md: file is 60.0 MB; content files are limited to 1 MB", "split it",
         "content files are limited to 1 MB", make=sparse("towns/huge.md", 60_000_000)),
    # --- files that would silently not be published ----------------------------------------
    Case("image-in-content", {"towns/photo.gif": PNG}, "content/towns/photo.gif: is an image", "/static/photo.gif",
         "images are published from static/"),
    Case("picture-no-entry-shows", {"towns/photo.jpg": PNG}, "content/towns/photo.jpg: is a picture that no entry shows",
         "`cover:`", "is a picture that no entry shows"),
    # --- pictures an entry names (cover, gallery) ----------------------------------------------
    Case("cover-missing-file", {"towns/bad.md": with_cover("bad/cover.png", "说明")},
         "content/towns/bad.md:9: cover: `bad/cover.png` (content/towns/bad/cover.png)", "there is no such file", "there is no such file"),
    Case("cover-not-a-picture", {"towns/bad.md": with_cover("bad/cover.png", "说明"),
                                 "towns/bad/cover.png": b"not a png"},
         "content/towns/bad.md:9: cover:", "cannot be read as a PNG, JPEG or WebP picture", "cannot be read as a PNG"),
    Case("cover-without-alt", {"towns/bad.md": with_cover("bad/cover.png", None)},
         "content/towns/bad.md:9: cover:", "is missing `alt`", "is missing {keys}: expected"),
    Case("cover-outside", {"towns/bad.md": with_cover("../../secret.png", "说明")},
         "content/towns/bad.md:9: cover:", "no leading `/`, `..`", "a picture file beside the entry"),
    Case("wrong-extension", {"towns/bad.md.txt": TOWN}, "content/towns/bad.md.txt: is not a content file",
         "ending in `.md`", "is not a content file"),
    Case("typo-folder", {"town/bad.md": TOWN}, "content/town: is not a content folder (did you mean `towns`?)",
         "content/towns/", "is not a content folder"),
    Case("md-beside-the-folders", {"bad.md": TOWN}, "content/bad.md: is outside the content folders", "towns/",
         "is outside the content folders"),
    Case("control-character-in-file-name", {"towns/bad\nname.md": TOWN},
         "content/towns/bad\\x0aname.md: file name contains control characters", "rename it",
         "file name contains control characters"),
    Case("fifo", {}, "content/towns/pipe.md: is not a regular file", "", "is not a regular file", make=fifo("towns/pipe.md")),
    Case("symlink-outside", {}, "content/towns/evil.md: is a symlink to a file outside content/", "copy the file in",
         "is a symlink to a file outside content/", make=symlink("towns/evil.md", lambda p: outside(p) / "secret.md")),
    Case("symlink-dangling", {}, "content/towns/gone.md: is a symlink to a file outside content/ (or to nothing)",
         make=symlink("towns/gone.md", lambda p: p.root / "nowhere.md")),
    Case("symlink-loop", {}, "content/towns/loop.md: is a symlink",
         make=symlink("towns/loop.md", lambda p: p.root / "content/towns/loop.md")),
    Case("symlinked-folder", {}, "content/towns/more: is a symlinked folder", "put the files themselves",
         "is a symlinked folder", make=symlink("towns/more", outside)),
    Case("symlinked-section", {}, "content/pages: is a symlinked folder",
         make=lambda p: (shutil.rmtree(p.root / "content/pages"), symlink("pages", outside)(p))),
    # --- YAML ----------------------------------------------------------------------------------
    Case("yaml-syntax", {"towns/bad.md": town("province: 宁夏", "province: [宁夏")}, "content/towns/bad.md:",
         "YAML syntax error", "YAML syntax error"),
    Case("yaml-tab", {"towns/tab.md": town("status: 建设中", "status:\n\t建设中")}, "content/towns/tab.md:8: YAML syntax error",
         "indent with spaces, not tabs", "indent with spaces, not tabs"),
    Case("yaml-tab-before-key", {"towns/bad.md": town("status: 建设中", "\tstatus: 建设中")},
         "content/towns/bad.md:7: YAML syntax error", "indent with spaces, not tabs"),
    Case("yaml-colon", {"towns/bad.md": town("summary: 测试。", "summary: 简介: 未加引号")},
         "content/towns/bad.md:4: YAML syntax error", "must be quoted", "a value containing `: ` must be quoted"),
    Case("duplicate-key", {"towns/bad.md": town("status: 建设中", "status: 建设中\nprovince: 云南")},
         "content/towns/bad.md:8: duplicate key `province` (first set on line 5)", "keep only one", "duplicate key"),
    Case("yaml-alias", {"towns/bad.md": town("industries: [玫瑰种植]", "industries: &i [玫瑰种植]\nprograms: *i")},
         "content/towns/bad.md:7: YAML aliases (`*name`) are not allowed", "write the value out", "YAML aliases"),
    Case("alias-bomb", {"towns/bomb.md": ALIAS_BOMB}, "content/towns/bomb.md:4: YAML aliases"),
    Case("deep-nesting", {"towns/deep.md": "---\nname: " + "[" * 5000 + "]" * 5000 + "\n---\n"},
         "content/towns/deep.md:2: values are nested more than 20 levels deep", "", "values are nested more than"),
    Case("python-tag", {"towns/bad.md": town("name: 坏小镇", "name: !!python/object/apply:os.system [id]")},
         "content/towns/bad.md:2: YAML tag `!!python/object/apply:os.system` is not allowed", "delete it",
         "is not allowed; delete it"),
    Case("control-character-in-yaml", {"towns/bad.md": town("测试。", "测\x07试。")},
         "content/towns/bad.md:4: contains the control character U+0007", "delete it",
         "contains the control character"),
    Case("field-name-not-text", {"towns/bad.md": town("status:", "? [a, b]\n: c\nstatus:")},
         "content/towns/bad.md:7: expected a field name, got a list", "", "expected {expected}, got {shape}"),
    # --- fields --------------------------------------------------------------------------------
    Case("unknown-field", {"towns/bad.md": town("province:", "provnce:")}, "content/towns/bad.md:5: unknown field `provnce`",
         "did you mean `province`?", "unknown field"),
    Case("missing-required", {"towns/bad.md": town("status: 建设中\n", "")}, "content/towns/bad.md:1: required field `status`",
         "add `status: ...`", "is missing"),
    Case("empty-required", {"towns/bad.md": town("status: 建设中", "status:")}, "content/towns/bad.md:7: required field `status`",
         "is empty", "is empty (line"),
    Case("wrong-type-list", {"towns/bad.md": town("industries: [玫瑰种植]", "industries:\n  a: b")},
         "content/towns/bad.md:7: industries: expected text", "got a mapping", "a mapping (key: value lines)"),
    Case("wrong-type-text", {"towns/bad.md": town("summary: 测试。", "summary: [a, b]")},
         "content/towns/bad.md:4: summary: expected text", "got a list", "expected {expected}, got {shape}"),
    Case("not-a-boolean", {"towns/bad.md": town("status:", "featured: 是\nstatus:")},
         "content/towns/bad.md:7: featured: expected true or false, got `是`", "", "true or false"),
    Case("menu-out-of-range", {"pages/bad.md": "---\ntitle: 页\nslug: bad-page\nmenu: 0\n---\n"},
         "content/pages/bad.md:4: menu: expected a whole number from 1 to 99, got `0`", "", "a whole number from {minimum} to {maximum}"),
    Case("text-too-long", {"towns/bad.md": town("summary: 测试。", "summary: " + "长" * 301)},
         "content/towns/bad.md:4: summary: is 301 characters long; keep it under 300", "", "characters long; keep it under"),
    Case("bidi-override-in-title", {"towns/bad.md": town("name: 坏小镇", 'name: "坏\\u202e镇"')},
         "content/towns/bad.md:2: name: contains control characters", "delete them", "contains control characters"),
    Case("empty-list-item", {"towns/bad.md": town("industries: [玫瑰种植]", "industries:\n  - 玫瑰种植\n  -")},
         "content/towns/bad.md:8: industries: has an empty list item", "delete the lone `-`", "has an empty list item"),
    Case("duplicate-list-item", {"towns/bad.md": town("industries: [玫瑰种植]", "industries: [玫瑰种植, 玫瑰种植]")},
         "content/towns/bad.md:6: industries: lists `玫瑰种植` twice", "", "twice"),
    Case("unknown-choice", {"towns/bad.md": town("status: 建设中", "status: 在建设中")},
         "content/towns/bad.md:7: status: unknown value `在建设中`", "did you mean `建设中`", "unknown value"),
    Case("unknown-province", {"towns/bad.md": town("province: 宁夏", "province: 宁厦")},
         "content/towns/bad.md:5: province: unknown value `宁厦`", "`宁夏`"),
    Case("unknown-program", {"towns/bad.md": town("status:", "programs: [千企千镇]\nstatus:")},
         "content/towns/bad.md:7: programs: unknown value `千企千镇`", "did you mean `千企千镇工程`"),
    Case("bad-unit", {"parks/bad.md": "---\nname: 园\nslug: bad-park\nsummary: s\nprovince: 宁夏\npark_type: 农业基地\n"
         "industries: [x]\narea: 20万平米\n---\n"}, "content/parks/bad.md:8: area: unknown unit `万平米`", "units",
         "unknown unit"),
    Case("bad-coordinates", {"towns/bad.md": town("status:", "coordinates:\n  lat: 135\n  lon: 100\nstatus:")},
         "content/towns/bad.md:8: coordinates: 135.0 is out of range", "latitude", "is out of range"),
    Case("unknown-nested-key", {"towns/bad.md": town("status:", "coordinates:\n  lat: 35\n  lng: 100\nstatus:")},
         "content/towns/bad.md:9: coordinates: unknown key `lng`", "did you mean `lon`?", "unknown key"),
    Case("javascript-link", {"towns/bad.md": town("status:", "links:\n  - title: 点我\n    url: javascript:alert(1)\nstatus:")},
         "content/towns/bad.md:9: links: `javascript:alert(1)` is not an address starting with https://", "",
         "an address starting with https://"),
    Case("backslash-link", {"towns/bad.md": town("status:", "links:\n  - title: 点我\n    url: /\\evil.example\nstatus:")},
         "content/towns/bad.md:9: links: `/\\evil.example` is not an address"),
    # --- dates -----------------------------------------------------------------------------------
    Case("impossible-date", {"events/bad.md": event("2016-06-26", "2016-02-30")},
         "content/events/bad.md:5: date: `2016-02-30` is not a real date", "YYYY-MM-DD", "is not a real date"),
    Case("impossible-month", {"events/bad.md": event("2016-06-26", "2016-13-01")},
         "content/events/bad.md:5: date: `2016-13-01` is not a real date"),
    Case("badly-written-date", {"events/bad.md": event("2016-06-26", "2016/06/26")},
         "content/events/bad.md:5: date: `2016/06/26` is not written YYYY-MM-DD", "write `2016-06-26`",
         "is not written YYYY-MM-DD"),
    Case("unreadable-date", {"events/bad.md": event("2016-06-26", "六月二十六日")},
         "content/events/bad.md:5: date: `六月二十六日` is not a date", "e.g. 2016-06-26", "is not a date: expected"),
    Case("date-with-time", {"events/bad.md": event("2016-06-26", "2016-06-26 10:00")},
         "content/events/bad.md:5: date: `2016-06-26 10:00` is not a date"),
    Case("end-before-start", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\nend: 2016-06-20")},
         "content/events/bad.md:7: end: 2016-06-20 is before the start date 2016-06-26", "", "is before the start date"),
    Case("end-equals-start", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\nend: 2016-06-26")},
         "content/events/bad.md:7: end: equals the start date", "delete `end`", "equals the start date"),
    # --- slugs -----------------------------------------------------------------------------------
    Case("slug-dot-dot", {"towns/bad.md": town("slug: bad", "slug: ../etc")},
         "content/towns/bad.md:3: slug: `../etc` is not a safe slug", "lowercase", "is not a safe slug"),
    Case("slug-slash", {"towns/bad.md": town("slug: bad", "slug: a/b")}, "content/towns/bad.md:3: slug: `a/b` is not a safe slug"),
    Case("slug-space", {"towns/bad.md": town("slug: bad", "slug: bad town")},
         "content/towns/bad.md:3: slug: `bad town` is not a safe slug"),
    Case("slug-upper-case", {"towns/bad.md": town("slug: bad", "slug: Bad")}, "content/towns/bad.md:3: slug: `Bad` is not a safe slug"),
    Case("slug-control-character", {"towns/bad.md": town("slug: bad", 'slug: "bad\\tslug"')},
         "content/towns/bad.md:3: slug: `bad\tslug` is not a safe slug"),
    Case("slug-chinese", {"towns/bad.md": town("slug: bad", "slug: 小镇")}, "content/towns/bad.md:3: slug: `小镇` is a name, not a slug; write it in pinyin, e.g. `xiao-zhen`"),
    Case("slug-too-long", {"towns/bad.md": town("slug: bad", "slug: " + "-".join(["abcd"] * 20))},
         "content/towns/bad.md:3: slug: is 99 characters long; keep it under 80"),
    Case("underivable-slug", {"towns/bad.md": town("name: 坏小镇\nslug: bad", "name: ！！！")},
         "content/towns/bad.md:2: cannot make a slug", "add a `slug:` line", "cannot make a slug"),
    Case("duplicate-slug", {"towns/zz-copy.md": town("slug: bad", "slug: lake-town")},
         "content/towns/zz-copy.md:3: slug `lake-town` is already used by content/towns/lake-town.md", "another `slug:`",
         "is already used by"),
    Case("duplicate-derived-slug", {"towns/zz-copy.md": town("name: 坏小镇\nslug: bad", "name: 玫瑰小镇")},
         "content/towns/zz-copy.md:2: slug `mei-gui-xiao-zhen` is already used by content/towns/rose.md"),
    Case("page-slug-is-a-section", {"pages/bad.md": PAGE.format(slug="towns")},
         "content/pages/bad.md:3: slug `towns` is reserved for /towns/ of the site itself", "choose another",
         "is reserved for"),
    Case("page-slug-is-a-feature", {"pages/bad.md": PAGE.format(slug="timeline")},
         "content/pages/bad.md:3: slug `timeline` is reserved"),
    Case("page-slug-is-the-sitemap", {"pages/bad.md": PAGE.format(slug="sitemap")},
         "content/pages/bad.md:3: slug `sitemap` is reserved"),
    # --- references ------------------------------------------------------------------------------
    Case("unknown-reference", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\ntowns: [mei-gui-xiao-zhe]")},
         "content/events/bad.md:7: towns: unknown town `mei-gui-xiao-zhe`", "did you mean `mei-gui-xiao-zhen`?",
         "unknown {kind} `{slug}`"),
    Case("reference-of-the-wrong-kind", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\ntowns: [peony-base]")},
         "content/events/bad.md:7: towns: unknown town `peony-base`", "no town has this slug; see content/towns/",
         "(no {kind} has this slug"),
    Case("draft-reference", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\ntowns:\n  - lake-town\n  - hidden")},
         "content/events/bad.md:9: towns: `hidden` is a draft", "publish it", "is a draft"),
    Case("self-reference", {"parks/self.md": "---\nname: 自指园区\nslug: self-park\nsummary: s\nprovince: 宁夏\n"
         "park_type: 农业基地\nindustries: [x]\ntown: self-park\n---\n"},
         "content/parks/self.md:8: town: `self-park` is this park's own slug, not a town's", "content/towns/",
         "own slug"),
    # --- bodies ------------------------------------------------------------------------------------
    Case("broken-body-link", {"towns/bad.md": TOWN + "\n见[湖畔](/towns/lake-twn/)。\n"},
         "content/towns/bad.md:12: link to `/towns/lake-twn/` leads to no page of this site",
         "did you mean `/towns/lake-town/`", "leads to no page of this site"),
    Case("missing-static-image", {"towns/bad.md": TOWN + "\n![照片](/static/missing.png)\n"},
         "content/towns/bad.md:12: `/static/missing.png` is not a file in static/", "add static/missing.png",
         "is not a file in static/"),
    Case("missing-image-elsewhere", {"towns/bad.md": TOWN + "\n\n\n![照片](/images/rose.png)\n"},
         "content/towns/bad.md:14: link to `/images/rose.png` leads to no page of this site"),
    # --- characters, ranges and sizes that would crash a later stage or publish a broken file --
    Case("surrogate-escape-in-title", {"towns/bad.md": town("name: 坏小镇", 'name: "坏\\ud800镇"')},
         "content/towns/bad.md:2: contains U+D800, half of a surrogate pair", "write the character itself",
         "half of a surrogate pair"),
    Case("noncharacter-in-title", {"towns/bad.md": town("name: 坏小镇", 'name: "坏\\ufdd0镇"')},
         "content/towns/bad.md:2: contains the noncharacter U+FDD0", "delete it", "contains the noncharacter"),
    Case("escaped-control-character", {"towns/bad.md": town("summary: 测试。", 'summary: "测\\x1b试"')},
         "content/towns/bad.md:4: contains the control character U+001B", "delete it"),
    Case("date-far-in-the-future", {"events/bad.md": event("2016-06-26", "9999-12-31")},
         "content/events/bad.md:5: date: `9999-12-31` is outside the years 1900 to 2100", "check the year",
         "is outside the years"),
    Case("number-with-thousands-of-digits", {"parks/bad.md": "---\nname: 园\nslug: bad-park\nsummary: s\nprovince: 宁夏\n"
         "park_type: 农业基地\nindustries: [x]\narea: " + "1" * 5000 + "亩\n---\n"},
         "content/parks/bad.md:8: area: `1111", "numbers are limited to 15 digits", "numbers are limited to"),
    Case("whole-number-with-thousands-of-digits", {"pages/bad.md": "---\ntitle: 页\nslug: bad-page\nmenu: " + "1" * 5000 + "\n---\n"},
         "content/pages/bad.md:4: menu: expected a whole number from 1 to 99, got `1111"),
    Case("file-name-not-utf-8", {"towns/r\udcffose.md": TOWN}, "content/towns/r\\xffose.md: file name is not valid UTF-8",
         "rename it", "file name is not valid UTF-8"),
    Case("newline-in-base-url", {}, "content/site.yaml:4: base_url: `https://example.org/a\\x0ab/` is not an absolute",
         "https://example.org/showcase/", "an absolute http(s) URL ending in /",
         make=site_yaml("base_url: https://example.org/", 'base_url: "https://example.org/a\\nb/"')),
    Case("surrogate-in-site-yaml", {}, "content/site.yaml:1: contains U+DC80, half of a surrogate pair",
         make=site_yaml("title: 测试展示平台", 'title: "测试\\udc80"')),
    Case("body-control-character", {"towns/bad.md": TOWN + "\n红\x1b[31m色\n"},
         "content/towns/bad.md:12: contains the control character U+001B"),
    Case("body-direction-override", {"towns/bad.md": TOWN + "\n正\u202e文\n"},
         "content/towns/bad.md:12: contains the invisible direction override U+202E", "delete it",
         "invisible direction override"),
    Case("body-long-line", {"towns/bad.md": TOWN + "\n" + "字" * 10_001 + "\n"},
         "content/towns/bad.md:12: line is 10001 characters long; lines are limited to 10000", "break it",
         "lines are limited to"),
    Case("body-list-nested-deep", {"towns/bad.md": TOWN + "\n" + "".join("  " * i + "- a\n" for i in range(30))},
         "content/towns/bad.md:33: line is indented 42 columns", "", "lists and code nest at most"),
    Case("body-quotes-nested-deep", {"towns/bad.md": TOWN + "\n" + ">" * 20 + " a\n"},
         "content/towns/bad.md:12: quotes (`>`) are nested more than 10 levels deep", "", "are nested more than"),
    Case("body-huge-paragraph", {"towns/bad.md": TOWN + "\n" + "\n".join(["字" * 2_000] * 6) + "\n"},
         "content/towns/bad.md:12: this paragraph (or list item) is 12005 characters long", "put blank lines",
         "paragraphs are limited to"),
    Case("body-unclosed-brackets", {"towns/bad.md": TOWN + "\n" + "\n".join(["[" * 1_000] * 6) + "\n"},
         "content/towns/bad.md:12: too many `[`, `(` or `<` that are not closed", "write `\\[`",
         "Markdown would look ahead"),
    Case("body-footnote-references", {"towns/bad.md": TOWN + "\n" + "[^a] " * 200 + "\n\n[^a]: x\n"},
         "content/towns/bad.md:14: has 201 footnote references", "", "footnote references (`[^`)"),
    Case("body-html-tags", {"towns/bad.md": TOWN + "\n" + "<b>" * 2_001 + "\n"},
         "content/towns/bad.md:12: has 2001 HTML tags", "write Markdown", "HTML tags; a body may have at most"),
    Case("body-headings-in-a-row", {"towns/bad.md": TOWN + "\n" + "## a\n" * 51},
         "content/towns/bad.md:62: more than 50 headings follow each other", "blank line",
         "headings follow each other without a blank line"),
    Case("body-definitions-in-a-row", {"towns/bad.md": TOWN + "\na\n" + ": b\n" * 51},
         "content/towns/bad.md:63: more than 50 definitions", "", "follow each other without a blank line; put blank lines"),
    # --- static files ------------------------------------------------------------------------------
    Case("svg-not-well-formed", {}, "static/images/bad.svg: is not a usable SVG image (not well-formed XML",
         "fix it or remove it", "is not a usable SVG image", make=static("images/bad.svg", "<svg")),
    Case("svg-with-entities", {}, "static/images/bomb.svg: is not a usable SVG image (it declares XML entities",
         make=static("images/bomb.svg", '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>')),
    Case("invalid-json-in-static", {}, "static/data.json: is not valid JSON (Expecting value)", "fix it or remove it",
         "is not valid {kind}", make=static("data.json", '{"a": }')),
    Case("page-in-static", {}, "static/page.html: is a kind of file a browser runs as a page of this site",
         "remove it", "a browser runs as a page of this site", make=static("page.html", "<script>alert(1)</script>")),
    Case("unfingerprinted-stylesheet", {"towns/bad.md": TOWN + "\n[样式](/static/style.css)\n"},
         "content/towns/bad.md:12: `/static/style.css` is not a file in static/", "did you mean `/static/style."),
]  # fmt: skip

# --- 镇企对接: orgs, industries, needs, offers, contacts (each case brings what it needs) -------------
MINI_CONFIG = (REPO / "tests/fixtures/mini/content/site.yaml").read_text(encoding="utf-8")
WITH_VOCABULARY = MINI_CONFIG + "industries:\n  - {name: 玫瑰种植, aliases: [玫瑰产业]}\n  - {name: 文化旅游}\n  - {name: 油用牡丹}\n"
ORG = "---\nname: 坏机构\nslug: bad-org\nsummary: 测试。\ntype: 企业\n---\n\n正文。\n"
NEED = ("seeking:\n  - title: 招商\n    industries: [玫瑰种植]\n    partners: [投资方]\n    status: open\n"
        "    updated: 2017-01-08\n")
OFFER = "offers:\n  - title: 投资\n    industries: [文化旅游]\n    partners: [投资方]\n    regions: [宁夏]\n"


def org(extra: str) -> str:
    return ORG.replace("type: 企业\n", "type: 企业\n" + extra, 1)


REJECTED += [
    Case("unknown-industry", {"site.yaml": WITH_VOCABULARY, "towns/bad.md": town("[玫瑰种植]", "[玫瑰种值]")},
         "content/towns/bad.md:6: industries: unknown industry `玫瑰种值`", "did you mean `玫瑰种植`", "unknown industry"),
    Case("industry-outside-the-vocabulary", {"site.yaml": WITH_VOCABULARY, "towns/bad.md": town("[玫瑰种植]", "[量子计算]")},
         "content/towns/bad.md:6: industries: unknown industry `量子计算`", "add it to `industries:` in content/site.yaml"),
    Case("industry-and-its-alias", {"site.yaml": WITH_VOCABULARY, "towns/bad.md": town("[玫瑰种植]", "[玫瑰种植, 玫瑰产业]")},
         "content/towns/bad.md:6: industries: lists `玫瑰产业` twice"),
    Case("vocabulary-alias-twice", {"site.yaml": WITH_VOCABULARY + "  - {name: 玫瑰产业}\n"},
         "content/site.yaml:", "is already used by `玫瑰种植`", "each name, alias and slug once"),
    Case("bad-phone", {"towns/bad.md": town("status: 建设中", "status: 建设中\ncontact:\n  phone: 12345")},
         "content/towns/bad.md:9: contact: phone: `12345` is not a phone number", "010-12345678", "is not a phone number"),
    Case("bad-email", {"orgs/bad.md": org("contact:\n  email: info@@example\n")},
         "content/orgs/bad.md:7: contact: email: `info@@example` is not an email address", "", "is not an email address"),
    Case("javascript-website", {"orgs/bad.md": org("website: javascript:alert(1)\n")},
         "content/orgs/bad.md:6: website: `javascript:alert(1)` is not a web address starting with https://", "",
         "is not a web address starting with https:// or http://"),
    Case("contact-site-path", {"orgs/bad.md": org("contact:\n  website: /about/\n")},
         "content/orgs/bad.md:7: contact: website: `/about/` is not a web address"),
    Case("unknown-org-type", {"orgs/bad.md": ORG.replace("type: 企业", "type: 公司")},
         "content/orgs/bad.md:5: type: unknown value `公司`", "企业"),
    Case("need-end-before-start", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED
         + "    start: 2017-01-08\n    end: 2016-01-08")},
         "content/towns/bad.md:15: seeking: item 1: end: 2016-01-08 is before the start date 2017-01-08", "",
         "is before the start date"),
    Case("need-without-status", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED.replace("    status: open\n", ""))},
         "content/towns/bad.md:9: seeking: item 1: is missing `status`", "each item needs", "each item needs"),
    Case("need-unknown-status", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED.replace("status: open", "status: opne"))},
         "content/towns/bad.md:12: seeking: item 1: status: unknown value `opne`", "did you mean `open`"),
    Case("need-unknown-partner", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED.replace("[投资方]", "[投资人]"))},
         "content/towns/bad.md:11: seeking: item 1: partners: unknown value `投资人`", "did you mean `投资方`"),
    Case("need-bad-scale", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED + "    scale: 2亿元-5000万元")},
         "content/towns/bad.md:14: seeking: item 1: scale: `2亿元-5000万元`: the first amount is larger than the second",
         "smaller one first", "the first amount is larger than the second"),
    Case("need-unknown-key", {"towns/bad.md": town("status: 建设中", "status: 建设中\n" + NEED + "    budget: 1亿元")},
         "content/towns/bad.md:14: seeking: item 1: unknown key `budget`", "keys:", "unknown key"),
    Case("offer-unknown-province", {"orgs/bad.md": org(OFFER.replace("[宁夏]", "[宁厦]"))},
         "content/orgs/bad.md:10: offers: item 1: regions: unknown region `宁厦`", "`宁夏`", "unknown region"),
    Case("offer-without-regions", {"orgs/bad.md": org(OFFER.replace("    regions: [宁夏]\n", ""))},
         "content/orgs/bad.md:7: offers: item 1: is missing `regions`"),
    Case("organizer-unknown-org", {"events/bad.md": event("event_type: 峰会", "event_type: 峰会\norganizers: [bad-orgg]"),
                                   "orgs/bad.md": ORG},
         "content/events/bad.md:7: organizers: unknown org `bad-orgg`", "did you mean `bad-org`", "unknown org"),
    Case("founder-unknown-org", {"pages/bad.md": PAGE.format(slug="bad-page").replace("slug: bad-page", "slug: bad-page\nfounders: [nobody]")},
         "content/pages/bad.md:4: founders: unknown org `nobody`", "content/orgs/"),
    Case("bad-icp", {"site.yaml": MINI_CONFIG + "icp: 备案中\n"}, "content/site.yaml:", "is not an ICP registration number",
         "is not an ICP registration number"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here asserts English message text."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture project with a good site/ built once; each case works on a copy of it."""
    project = copy_project("mini", tmp_path_factory.mktemp("built"))
    project.build()
    return project.root


@pytest.fixture
def fresh(built, tmp_path) -> Project:
    shutil.copytree(built, tmp_path / "proj", symlinks=True)
    return Project(tmp_path / "proj")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_corpus_is_big_and_has_unique_ids():
    ids = [case.id for case in REJECTED]
    assert len(ids) == len(set(ids)) and len(ids) >= 40


@pytest.mark.parametrize("case", REJECTED, ids=[c.id for c in REJECTED])
def test_rejected_with_path_line_message_exit_1_and_site_untouched(case, fresh, capsys):
    before = snapshot(fresh.site)
    case.apply(fresh)
    code = main(["build", "--root", str(fresh.root), "--today", TODAY.isoformat()])  # raising = a traceback
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    matching = [line for line in lines if line.startswith(case.expect)]
    assert matching, f"expected a line starting with {case.expect!r}, got:\n" + "\n".join(lines)
    assert case.hint in matching[0]
    assert lines[-1].startswith("error: ") and lines[-1].endswith("site/ was not changed.")
    assert snapshot(fresh.site) == before
    assert SECRET not in "\n".join(lines)


# Load-stage cases with distinct files: applied together, reported together by one real CLI run.
THROUGH_THE_CLI = ["gbk", "binary-md", "huge-file", "fifo", "symlink-outside", "symlinked-folder", "yaml-tab",
                   "alias-bomb", "deep-nesting", "python-tag"]  # fmt: skip


def test_a_batch_through_the_real_cli_in_one_run(fresh):
    before = snapshot(fresh.site)
    cases = [case for case in REJECTED if case.id in THROUGH_THE_CLI]
    assert len(cases) == len(THROUGH_THE_CLI)
    for case in cases:
        case.apply(fresh)
    result = run_cli("build", "--root", str(fresh.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for case in cases:
        assert any(line.startswith(case.expect) and case.hint in line for line in lines), (case.id, result.stderr)
    assert lines[-1] == f"error: {len(cases)} problems found. site/ was not changed."
    assert snapshot(fresh.site) == before
    check = run_cli("check", "--root", str(fresh.root))
    assert check.returncode == 1 and check.stderr.splitlines()[:-1] == lines[:-1]


def test_the_alias_bomb_and_deep_nesting_are_refused_fast(project):
    project.write("content/towns/bomb.md", ALIAS_BOMB)
    project.write("content/towns/deep.md", "---\nname: " + "{a: " * 100_000 + "\n---\n")
    start = time.perf_counter()
    problems = project.problems()
    assert time.perf_counter() - start < 5
    assert [p.split(": ", 1)[0] for p in problems] == ["content/towns/bomb.md:4", "content/towns/deep.md:2"]


def test_all_problems_of_a_run_are_reported_together(project):
    project.write("content/towns/a-bad.md", town("status: 建设中", "status: 不存在"))
    project.write("content/events/b-bad.md", event("2016-06-26", "2016-02-30"))
    project.write("content/parks/c-bad.md", "")
    project.write("content/towns/zz-bad.md", town("slug: bad", "slug: lake-town"))
    problems = project.problems()
    assert [p.split(":")[0] for p in problems] == [
        "content/events/b-bad.md",
        "content/parks/c-bad.md",
        "content/towns/a-bad.md",
        "content/towns/zz-bad.md",
    ]


def test_reference_to_a_file_that_failed_to_load_is_not_reported_twice(project):
    project.write("content/towns/mei-gui-xiao-zhen.md", "---\nname: [broken\n---\n")
    problems = project.problems()
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/towns/mei-gui-xiao-zhen.md:2: YAML syntax error")


# --- reserved page slugs ------------------------------------------------------------------------


def test_reserved_slugs_cover_every_top_level_name_the_site_writes(project):
    """A page lives at /<slug>/: it must not share a name with anything else at the top of the
    site, features included. A new feature writing /newthing/ fails here until it is reserved."""
    result = project.build(write=False, include_drafts=True)
    pages = {page.slug for page in result.site.entries["page"]}
    names = {path.split("/", 1)[0] for path in result.outputs}
    stems = {name.split(".", 1)[0] for name in names}
    assert {"towns", "static", "sitemap", "404"} <= stems  # the list is real
    assert stems - pages - {""} <= RESERVED_PAGE_SLUGS, sorted(stems - pages - RESERVED_PAGE_SLUGS)


@pytest.mark.parametrize("slug", sorted(RESERVED_PAGE_SLUGS))
def test_every_reserved_slug_is_refused_for_a_page(project, slug):
    project.write("content/pages/bad.md", PAGE.format(slug=slug))
    assert f"content/pages/bad.md:3: slug `{slug}` is reserved for /{slug}/ of the site itself; choose another" in (
        project.problems()
    )


# --- accepted ---------------------------------------------------------------------------------------


def html(project: Project, url: str) -> str:
    return project.read(f"site/{url.strip('/')}/index.html" if url != "/" else "site/index.html")


def test_bom_crlf_and_editor_backups_are_accepted(project):
    text = town("slug: bad", "slug: crlf-town").replace("\n", "\r\n").encode("utf-8-sig")
    project.write("content/towns/crlf-town.md", text)
    for junk in ("crlf-town.md~", ".#crlf-town.md", "#crlf-town.md#", "crlf-town.md.swp", "crlf-town.md.bak",
                 ".DS_Store", "Thumbs.db", "desktop.ini", ".git/HEAD", ".obsidian/x.md"):  # fmt: skip
        project.write(f"content/towns/{junk}", b"\x00garbage")
    result = project.build()
    entry = result.site.by_key[("town", "crlf-town")]
    assert (entry.title, entry.status) == ("坏小镇", "建设中")
    assert "\r" not in entry.body and "\ufeff" not in entry.title
    assert "<p>正文。</p>" in html(project, "/towns/crlf-town/")


def test_old_mac_line_ends_and_unicode_line_separators_are_accepted(project):
    """CR alone ends a line; U+2028/U+2029/NEL (pasted from Word) are no line ends to Markdown,
    and read as spaces in front matter, so every line number stays the file's."""
    text = town("summary: 测试。", "summary: 第一行\u2028第二行\x85第三行").replace("\n", "\r")
    project.write("content/towns/cr.md", text + "\r\u2029\r[湖畔](/towns/lake-twn/)\u2028\r")
    (problem,) = project.problems()
    assert problem.startswith("content/towns/cr.md:13: link to `/towns/lake-twn/` leads to no page of this site")
    project.write("content/towns/cr.md", text)
    result = project.build()
    assert result.site.by_key[("town", "bad")].summary == "第一行 第二行 第三行"


def test_front_matter_only_is_an_entry_without_body(project):
    project.write("content/towns/bad.md", TOWN.split("\n\n正文")[0].rstrip("\n"))  # no newline after ---
    project.build()
    page = html(project, "/towns/bad/")
    assert "<h1>坏小镇</h1>" in page and '<div class="prose">' in page


def test_a_horizontal_rule_in_the_body_is_not_front_matter(project):
    project.write("content/towns/bad.md", TOWN + "\n---\n\n下一节\n\n---\n")
    project.build()
    assert html(project, "/towns/bad/").count("<hr>") == 2


def test_same_slug_in_two_kinds_gives_two_addresses(project):
    """URLs carry the kind (/towns/x/, /parks/x/, /x/ for pages), so equal slugs of different kinds
    never collide, and references pick the entry of the field's kind."""
    project.write("content/parks/twin.md", "---\nname: 湖畔园区\nslug: lake-town\nsummary: s\nprovince: 云南\n"
                  "park_type: 农业基地\nindustries: [x]\ntown: lake-town\n---\n")  # fmt: skip
    project.write("content/pages/twin.md", PAGE.format(slug="lake-town"))
    result = project.build()
    park = result.site.by_key[("park", "lake-town")]
    assert park.town is result.site.by_key[("town", "lake-town")]
    assert "<h1>湖畔小镇</h1>" in html(project, "/towns/lake-town/")
    assert "<h1>湖畔园区</h1>" in html(project, "/parks/lake-town/")
    assert "<h1>页面</h1>" in html(project, "/lake-town/")


def test_a_town_called_page_does_not_collide_with_pagination(project):
    project.write("content/towns/page.md", town("slug: bad", "slug: page"))  # three towns, two per page
    project.build()
    assert "<h1>坏小镇</h1>" in html(project, "/towns/page/")
    assert "（第 2 页）" in html(project, "/towns/page/2/")


def test_draft_references_are_fine_in_a_drafts_build(project):
    project.write("content/events/bad.md", event("event_type: 峰会", "event_type: 峰会\ntowns: [hidden]"))
    assert any("`hidden` is a draft" in p for p in project.problems())
    project.build(include_drafts=True)
    assert 'href="/towns/hidden/"' in html(project, "/events/bad-event/")


def test_an_image_that_exists_in_static_is_accepted(project):
    project.write("static/images/rose.png", PNG)
    project.write("content/towns/bad.md", TOWN + "\n![玫瑰](/static/images/rose.png) ![图标](/static/favicon.svg)\n")
    project.build(base_url="https://example.org/showcase/")
    page = html(project, "/towns/bad/")
    assert '<img alt="玫瑰" src="/showcase/static/images/rose.png">' in page
    assert (project.site / "static/images/rose.png").read_bytes() == PNG


def test_a_symlink_inside_content_is_followed(project):
    project.write("content/drafts-elsewhere/bad.md", TOWN)  # not a section: never read by itself
    (project.root / "content/towns/bad.md").symlink_to(project.root / "content/drafts-elsewhere/bad.md")
    project.build()
    assert "<h1>坏小镇</h1>" in html(project, "/towns/bad/")


# The guide's check (every `guide` text above is quoted, in Chinese) is in tests/test_i18n.py.
