"""The pathological corpus: bodies built to hit every super-linear or recursive path of
Markdown (long runs of spaces, `[`, `*`, backticks, `<`; deep lists and quotes; headings and
definitions without blank lines; huge tables; very long lines and paragraphs). Each is either
rejected before Markdown with a message naming its limit, or built; the whole corpus, checked
and built, takes a bounded amount of CPU time (one generous bound, not per-case timings)."""

from __future__ import annotations

import time

import pytest
from conftest import Project, copy_project

from townsite import limits
from townsite.engine import build
from townsite.problems import ContentError

SIZE = 20_000  # characters per generated body: enough for a quadratic path to show


def wrapped(text: str, width: int = 2_000) -> str:
    """One paragraph of lines short enough for the line limit."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def paragraphs(unit: str, size: int = SIZE, each: int = 5_000) -> str:
    one = wrapped(unit * (each // len(unit)))
    return "\n\n".join([one] * max(1, size // each))


# (id, body, a fragment of the message naming the limit; None: the body must build)
CORPUS: list[tuple[str, str, str | None]] = [
    # --- built, fast ---------------------------------------------------------------------------
    ("spaces-in-a-line", "a" + " " * 9_000 + "b", None),
    ("spaces-many-lines", ("a" + " " * 5_000 + "b\n\n") * 4, None),
    ("stars", paragraphs("*"), None),
    ("star-words", paragraphs("*a* "), None),
    ("underscores", paragraphs("_a_ "), None),
    ("backticks", paragraphs("`"), None),
    ("code-spans", paragraphs("`a` "), None),
    ("entities", paragraphs("&amp; "), None),
    ("emphasis-tangle", paragraphs("*_"), None),
    ("links-in-paragraphs", paragraphs("[链接](/towns/lake-town/) "), None),
    ("list-of-links", "\n".join(["- [链接](/towns/lake-town/)"] * 800), None),
    ("long-table", "|a|b|\n|-|-|\n" + "|*x*|`y`|\n" * 2_000, None),
    ("wide-table", "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n|" + "x|" * 2_000 + "\n", None),
    ("fences", "```\n```\n\n" * 2_000, None),
    ("short-lines", paragraphs("a\n"), None),
    ("line-breaks", paragraphs("a  \n"), None),
    ("unclosed-link-title", '[a](b "' + "x" * 9_000, None),
    ("backslashes", paragraphs("\\"), None),
    ("brackets-within-budget", "\n\n".join([wrapped("[" + "字" * 9_000 + "]")] * 10), None),
    ("lists-ten-deep", "".join("    " * i + "- a\n" for i in range(10)) * 50, None),
    ("quotes-ten-deep", ("> " * 10 + "a\n\n") * 200, None),
    ("headings-fifty-in-a-row", ("## a\n" * 50 + "\n") * 20, None),
    ("definitions-fifty-in-a-row", ("a\n" + ": b\n" * 50 + "\n") * 20, None),
    # --- rejected before Markdown -----------------------------------------------------------------
    ("one-long-line", "字" * 50_000, f"lines are limited to {limits.MAX_LINE}"),
    ("brackets", wrapped("[" * SIZE), f"more than the limit of {limits.MAX_REACH}"),
    ("image-brackets", wrapped("![" * (SIZE // 2)), f"more than the limit of {limits.MAX_REACH}"),
    ("link-targets-unclosed", wrapped("[a](" * (SIZE // 4)), f"more than the limit of {limits.MAX_REACH}"),
    ("nested-brackets", wrapped("[" * 5_000 + "]" * 5_000), f"more than the limit of {limits.MAX_REACH}"),
    ("parens-in-a-target", wrapped("[a](" + "(" * SIZE), f"more than the limit of {limits.MAX_REACH}"),
    ("tags-unclosed", wrapped("<a" * 1_900), f"more than the limit of {limits.MAX_REACH}"),
    ("tags", paragraphs("<b>x</b>"), f"at most {limits.MAX_TAGS}"),
    ("footnote-references", paragraphs("[^a] ") + "\n\n[^a]: x\n", f"at most {limits.MAX_FOOTNOTE_REFS}"),
    ("huge-paragraph", wrapped("*a* " * 20_000), f"limited to {limits.MAX_RUN} characters"),
    ("huge-list-item", "- " + wrapped("字" * 30_000), f"limited to {limits.MAX_RUN} characters"),
    ("list-nested-deep", "".join("  " * i + "- a\n" for i in range(300)), f"at most {limits.MAX_INDENT} columns"),
    ("ordered-list-nested-deep", "".join("   " * i + "1. a\n" for i in range(100)),
     f"at most {limits.MAX_INDENT} columns"),
    ("quotes-nested-deep", ">" * 5_000 + " a\n", f"more than {limits.MAX_QUOTES} levels"),
    ("quote-lines-nested-deep", "".join(">" * i + " a\n" for i in range(100)), f"more than {limits.MAX_QUOTES} levels"),
    ("headings-in-a-row", "a\n=\n" * 2_000, f"more than {limits.MAX_HEADINGS} headings"),
    ("hash-headings-in-a-row", "## a\n" * 1_500, f"more than {limits.MAX_HEADINGS} headings"),
    ("definitions-in-a-row", "a\n" + ": b\n" * 1_500, f"more than {limits.MAX_DEFINITIONS} definitions"),
    ("control-character", "正文\x1b[31m红色\n", "control character U+001B"),
    ("direction-override", "正文\u202e反向\n", "direction override U+202E"),
    ("noncharacter", "正文\ufdd0\n", "noncharacter U+FDD0"),
]

TOWN = "---\nname: 病态{n}\nslug: case-{n}\nsummary: 测试。\nprovince: 宁夏\nindustries: [玫瑰种植]\nstatus: 建设中\n---\n\n"


def test_the_corpus_has_unique_ids_and_both_outcomes():
    ids = [case_id for case_id, _, _ in CORPUS]
    assert len(ids) == len(set(ids))
    assert sum(expect is None for _, _, expect in CORPUS) >= 20
    assert sum(expect is not None for _, _, expect in CORPUS) >= 20


def write_corpus(project: Project, cases: list[tuple[str, str, str | None]]) -> dict[str, str | None]:
    where = {}
    for n, (case_id, body, expect) in enumerate(cases):
        rel = f"content/towns/case-{n}.md"
        project.write(rel, TOWN.format(n=n) + body)
        where[rel] = expect
        assert case_id
    return where


@pytest.fixture
def two_projects(tmp_path) -> tuple[Project, Project]:
    return copy_project("mini", tmp_path / "rejected"), copy_project("mini", tmp_path / "accepted")


def test_every_pathological_body_is_rejected_with_its_limit_or_built_within_the_time_bound(two_projects, english):
    rejected, accepted = two_projects
    expected = write_corpus(rejected, [case for case in CORPUS if case[2] is not None])
    write_corpus(accepted, [case for case in CORPUS if case[2] is None])
    start = time.process_time()
    with pytest.raises(ContentError) as info:
        build(rejected.options(write=False))
    result = build(accepted.options(write=False))
    spent = time.process_time() - start
    print(f"corpus: {spent:.2f} s of CPU time")
    by_file: dict[str, list[str]] = {}
    for problem in info.value.problems:
        by_file.setdefault(problem.path, []).append(problem.message)
    for rel, fragment in expected.items():
        assert rel in by_file, f"{rel} was not rejected"
        assert any(fragment in message for message in by_file[rel]), (rel, fragment, by_file[rel])
    assert set(by_file) == set(expected)  # nothing else was refused
    built = {entry.source for entry in result.site.entries["town"]}
    assert {f"content/towns/case-{n}.md" for n in range(len(CORPUS) - len(expected))} <= built
    assert spent < 10, f"the corpus took {spent:.1f} s of CPU time"


def test_a_rejected_body_names_the_line_where_the_limit_is_broken(project, english):
    project.write("content/towns/deep.md", TOWN.format(n=1) + "正文。\n\n" + "".join("  " * i + "- a\n" for i in range(30)))
    (problem,) = project.problems()
    # front matter: 8 lines, then a blank line, the body's first paragraph and a blank line
    assert problem.startswith("content/towns/deep.md:33: line is indented 42 columns")


def test_limits_leave_ordinary_bodies_alone():
    body = "## 概况\n\n西吉县的[玫瑰小镇](/towns/x/)，*种植*面积 `20万亩`。<br>\n\n- 一\n  - 二\n\n> 引用\n\n|a|b|\n|-|-|\n|1|2|\n"
    assert limits.body_problems(body) == []
