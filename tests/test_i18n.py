"""Messages in two languages (townsite/i18n.py, townsite/locale/): every msgid in the code has its
Chinese and English translation with the same placeholders, the compiled catalogs are those of
the .po files, the language is chosen as documented, and the content guide quotes only messages
the catalog can produce."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys

import pytest
from conftest import REPO
from sitecheck import run_cli

from townsite import catalogs
from townsite.i18n import DEFAULT, LOCALE_DIR, _, choose_language, set_language

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def code_msgids() -> dict[object, object]:
    """msgid (a str, or a (singular, plural) tuple) → where it is, extracted from the code now."""
    return {message.id: message.locations for message in catalogs.extract() if message.id}


@pytest.fixture(scope="module")
def extracted() -> dict[object, object]:
    return code_msgids()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_msgid_in_the_code_has_a_translation(extracted, locale):
    catalog = catalogs.read(locale)
    missing = []
    for msgid, where in extracted.items():
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        strings = strings if isinstance(strings, (tuple, list)) else [strings]
        if message is None or message.fuzzy or not all(strings):
            missing.append((msgid, where))
    assert not missing, f"untranslated in {locale} (run `python -m townsite.catalogs`, then translate): {missing}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_catalogs_hold_no_msgid_the_code_no_longer_has(extracted, locale):
    stale = [m.id for m in catalogs.read(locale) if m.id and m.id not in extracted]
    assert not stale, f"run `python -m townsite.catalogs` to drop {stale}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_placeholders_match(locale):
    wrong = []
    for message in catalogs.read(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if any(sorted(PLACEHOLDER.findall(string)) != wanted for string in strings if string):
            wrong.append((message.id, message.string))
    assert not wrong, wrong


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_compiled_catalogs_are_those_of_the_po_files(locale):
    po = catalogs.read(locale)
    mo_path = catalogs.po_path(locale).with_suffix(".mo")
    with open(mo_path, "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):  # plural forms: n=1 takes the first, n=2 the last
            singular, plural = message.id
            if [mo.ngettext(singular, plural, 1), mo.ngettext(singular, plural, 2)] != [
                message.string[0],
                message.string[-1],
            ]:
                stale.append(message.id)
        elif mo.gettext(message.id) != message.string:
            stale.append(message.id)
    assert not stale, f"{mo_path} is older than its .po: run `python -m townsite.catalogs` ({stale[:5]})"
    forms = sum(len(m.string) if isinstance(m.id, (tuple, list)) else 1 for m in po if m.id)
    assert len(mo._catalog) == forms + 1  # type: ignore[attr-defined]  # + the header


def test_chinese_is_the_default_and_english_is_on_request():
    assert _("unknown field `{name}`") == "未知字段 `{name}`"
    set_language("en")
    assert _("unknown field `{name}`") == "unknown field `{name}`"
    set_language(DEFAULT)
    assert gettext.translation("townsite", LOCALE_DIR, languages=["zh_CN"]).gettext("town") == "小镇"


@pytest.mark.parametrize(
    ("requested", "environ", "chosen"),
    [
        (None, {}, "zh_CN"),
        (None, {"LANG": "C.UTF-8"}, "zh_CN"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        (None, {"LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ("zh", {"LC_ALL": "en_US.UTF-8"}, "zh_CN"),
        ("en", {}, "en"),
    ],
)
def test_the_language_is_chosen_by_lang_then_the_locale(requested, environ, chosen):
    assert choose_language(requested, environ) == chosen


def test_the_cli_speaks_chinese_by_default_and_english_with_lang_en_or_lang_variable(project):
    project.write("content/towns/bad.md", project.read("content/towns/lake-town.md").replace("province:", "provnce:"))
    root = str(project.root)
    chinese = run_cli("check", "--root", root)
    assert chinese.returncode == 1
    assert chinese.stderr.splitlines() == [
        "content/towns/bad.md:1: 缺少必填字段 省份 `province`（请补上，例如 `province: 宁夏`）",
        "content/towns/bad.md:3: 网址名 `lake-town` 已被较早的 content/towns/lake-town.md 使用"
        "（请给这个较新的文件另起一个 `slug:`，并相应修改文件名）",
        "content/towns/bad.md:5: 未知字段 `provnce`（是不是 `province`？）",
        "错误：共发现 3 个问题。",
    ]
    english = run_cli("check", "--lang", "en", "--root", root)
    assert (
        english.stderr.splitlines()[2] == "content/towns/bad.md:5: unknown field `provnce` (did you mean `province`?)"
    )
    assert english.stderr.splitlines()[-1] == "error: 3 problems found."
    by_locale = run_cli("check", "--root", root, env={"LANG": "en_US.UTF-8"})
    assert by_locale.stderr == english.stderr
    forced = run_cli("check", "--lang", "zh", "--root", root, env={"LC_ALL": "en_US.UTF-8"})
    assert forced.stderr == chinese.stderr


def test_help_is_translated():
    chinese = run_cli("check", "--help")
    assert "完整走一遍构建流程" in chinese.stdout and "包括标记为 `draft: true` 的草稿" in chinese.stdout
    assert "提示信息的语言" in run_cli("--help").stdout
    english = run_cli("check", "--help", "--lang", "en")
    assert "Run the whole build" in english.stdout and "提示信息" not in english.stdout


def test_new_speaks_chinese(tmp_path):
    (tmp_path / "content").mkdir()
    made = run_cli("new", "town", "丽江九色玫瑰小镇", "--root", str(tmp_path))
    assert made.stdout.startswith("已写出 ") and "把所有“待填写”换成真实内容" in made.stdout
    again = run_cli("new", "town", "丽江九色玫瑰小镇", "--root", str(tmp_path))
    assert again.returncode == 1
    assert again.stderr.strip() == (
        "错误：content/towns/li-jiang-jiu-se-mei-gui-xiao-zhen.md 已经存在（请直接修改它，或换一个名称）"
    )


def test_the_catalog_tool_and_pybabel_find_the_same_msgids(tmp_path, extracted):
    pot = tmp_path / "townsite.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "townsite/locale/babel.cfg",
         "-o", str(pot), "townsite", "build.py"],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    from babel.messages.pofile import read_po

    with open(pot, "rb") as handle:
        assert {m.id for m in read_po(handle) if m.id} == set(extracted)


# --- the content guide ----------------------------------------------------------------------------
EXAMPLE = re.compile(r"^(?:(?:content|static)/\S+?|\S+\.html)(?::\d+)?: (?P<message>.+)$|^(?P<error>错误：.+)$")


def message_pattern() -> re.Pattern[str]:
    """Any message the Chinese catalog can make: one to three translations in a row (a message
    and its hints), placeholders standing for any text, after `field: ` prefixes. Translations that
    are nothing but a prefix and placeholders (`industries: {message}`) would match anything: left out."""
    pieces = []
    for message in catalogs.read("zh_CN"):
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        for string in strings:
            fixed = PLACEHOLDER.sub("", string or "")
            if fixed.strip() and not re.fullmatch(r"[a-z_]+: ", fixed):
                parts = re.split(f"({PLACEHOLDER.pattern})", string)
                pieces.append("".join(".+?" if PLACEHOLDER.fullmatch(p) else re.escape(p) for p in parts))
    alternatives = "|".join(sorted(set(pieces), key=len, reverse=True))
    return re.compile(rf"(?:[a-z_]+: )*(?:{alternatives}){{1,3}}")


def guide_examples() -> list[str]:
    guide = (REPO / "docs/content-guide.md").read_text(encoding="utf-8")
    section = guide.split("## 常见错误信息", 1)[1].split("\n## 写作规范", 1)[0]  # and the sections on limits
    blocks = re.findall(r"```\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_every_message_the_content_guide_quotes_is_one_the_catalog_makes():
    examples = guide_examples()
    assert len(examples) >= 60
    pattern = message_pattern()
    unknown = []
    for line in examples:
        match = EXAMPLE.match(line)
        if not match or not pattern.fullmatch(match["message"] or match["error"]):
            unknown.append(line)
    assert not unknown, "docs/content-guide.md quotes messages the catalog does not make:\n" + "\n".join(unknown)


def chinese_of(fragment: str) -> list[str]:
    """The Chinese translations of the msgids containing an English fragment."""
    catalog = catalogs.read("zh_CN")
    return [str(m.string) for m in catalog if isinstance(m.id, str) and m.id and fragment in m.id]


def documented(translation: str, guide: str) -> bool:
    """The guide quotes the message: every fixed part of its Chinese text appears in the guide."""
    return all(part.strip() in guide for part in PLACEHOLDER.split(translation) if part.strip())


def test_the_content_guide_documents_the_messages_of_the_broken_input_corpus():
    from test_broken_input import REJECTED

    guide = "\n".join(guide_examples())
    fragments = [case.guide for case in REJECTED if case.guide]
    assert len(fragments) >= 40
    gone = [fragment for fragment in fragments if not chinese_of(fragment)]
    assert not gone, f"no msgid contains {gone}"
    missing = [f for f in fragments if not any(documented(t, guide) for t in chinese_of(f))]
    assert not missing, f"docs/content-guide.md does not quote the Chinese messages of {missing}"
