"""Property-based tests (hypothesis): whatever an editor types, townsite answers with an entry or
with problems, never a traceback; slugs are always safe and stable; field parsers fail only with
FieldError; the sanitizer lets nothing active through. Kept fast: modest example counts."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_markup import ElementAudit

from townsite.compound import Url
from townsite.engine import build
from townsite.fields import SLUG_RE, FieldError
from townsite.load import read_doc
from townsite.markup import MarkdownRenderer, browser_view
from townsite.options import BuildOptions
from townsite.problems import ContentError, Problem
from townsite.schema import kinds
from townsite.slugs import slugify
from townsite.validate import validate_doc

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMAS = kinds(["千企千镇工程", "百企百村互助行动"])
TOWN_KEYS = [*SCHEMAS["town"].fields, "provnce", "<<", "? x"]

# Text that looks like what editors (and attackers) write: YAML and Markdown punctuation, CJK,
# line ends of every kind, controls, tabs.
TOKENS = [*":-[]{}#&*!|>'\"%@`,?\\/.\t\n\r ", "\u2028", "\x85", "\ufeff", "\x00", "\x07", "---", "...", "\n---\n", ": "]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(TOKENS),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
).map("".join)
VALUES = st.one_of(
    TEXT, st.sampled_from(["宁夏", "建设中", "2016-02-30", "true", "[a, b]", "&a x", "*a", "!!binary x", "|"])
)
GOOD_TOWN = {"name": "玫瑰小镇", "summary": "简介", "province": "宁夏", "industries": "[玫瑰]", "status": "建设中"}


def front_matter(pairs: list[tuple[str, str]], body: str, fence: str) -> str:
    return fence + "".join(f"{k}: {v}\n" for k, v in pairs) + fence + body


FRONT_MATTER = st.one_of(
    # Anything shaped like front matter ...
    st.builds(
        front_matter,
        st.lists(st.tuples(st.sampled_from(TOWN_KEYS), VALUES), max_size=10),
        TEXT,
        st.sampled_from(["---\n", "--- \n", "...\n", "---\r\n", ""]),
    ),
    # ... and a good town with one field changed, so valid entries are generated too.
    st.builds(
        lambda key, value, body: front_matter(list({**GOOD_TOWN, key: value}.items()), body, "---\n"),
        st.sampled_from(TOWN_KEYS),
        VALUES,
        TEXT,
    ),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def assert_well_formed(problems: list[Problem], rel: str, lines: int) -> None:
    for problem in problems:
        assert problem.path == rel
        assert problem.line is None or 1 <= problem.line <= lines + 1, problem
        assert problem.message and "\n" not in str(problem) and "Traceback" not in problem.message


@FAST
@given(
    raw=st.one_of(
        FRONT_MATTER.map(lambda t: t.encode("utf-8", "surrogatepass")), TEXT.map(str.encode), st.binary(max_size=200)
    )
)
def test_any_file_gives_an_entry_or_problems_never_a_traceback(scratch, raw):
    path = scratch / "content/towns/fuzz.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    rel = "content/towns/fuzz.md"
    lines = raw.count(b"\n") + raw.count(b"\r") + 1
    doc, problems = read_doc(path, "town", scratch)
    assert (doc is None) == bool(problems)
    assert_well_formed(problems, rel, lines)
    if doc is not None:
        entry, problems = validate_doc(doc, SCHEMAS["town"])
        assert_well_formed(problems, rel, lines)
        assert entry is not None or problems
        if entry is not None:
            assert SLUG_RE.fullmatch(entry.slug) or problems


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory):
    return copy_project("mini", tmp_path_factory.mktemp("fuzz-build"))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=FRONT_MATTER)
def test_a_fuzzed_file_in_a_whole_check_is_a_result_or_a_content_error(fixture_project, text):
    fixture_project.write("content/events/fuzz.md", text.encode("utf-8", "surrogatepass"))
    try:
        build(BuildOptions(root=fixture_project.root, write=False, today=TODAY))
    except ContentError as exc:
        assert exc.problems and all("\n" not in str(p) for p in exc.problems)


# --- slugs ---------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(TEXT, TEXT.map(lambda t: t * 4), st.text(max_size=120)))
def test_slugs_are_always_safe_short_and_stable(name):
    slug = slugify(name)
    assert slug == "" or SLUG_RE.fullmatch(slug)
    assert len(slug) <= 80
    assert slugify(name) == slug
    assert slugify(slug) == slug  # a slug is its own slug: re-slugging changes no address


@settings(max_examples=200, deadline=None)
@given(slug=st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,6}\Z"))
def test_a_valid_slug_is_kept_as_written(slug):
    assert slugify(slug) == slug


# --- field parsers -----------------------------------------------------------------------------

MARK = yaml.Mark("fuzz", 0, 4, 0, None, None)


def scalar(value: str, tag: str) -> yaml.ScalarNode:
    return yaml.ScalarNode(tag, value, MARK, MARK)


NODES = st.recursive(
    st.builds(scalar, st.one_of(TEXT, st.sampled_from(["2016-06-26", "35.9", "-1", "20万亩", "1e999", "nan"])),
              st.sampled_from(["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"])),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: yaml.SequenceNode("tag:yaml.org,2002:seq", items, MARK, MARK)),
        st.lists(st.tuples(st.builds(scalar, st.sampled_from(["lat", "lon", "title", "url", "x"]),
                                     st.just("tag:yaml.org,2002:str")), children), max_size=4)
        .map(lambda pairs: yaml.MappingNode("tag:yaml.org,2002:map", pairs, MARK, MARK)),
    ),
    max_leaves=8,
)  # fmt: skip
FIELDS = [(f"{kind}.{name}", field.type) for kind, schema in SCHEMAS.items() for name, field in schema.fields.items()]


@FAST
@given(node=NODES, which=st.sampled_from(FIELDS))
def test_field_parsers_return_a_value_or_raise_field_error(node, which):
    name, field_type = which
    try:
        value = field_type.parse(node)
    except FieldError as exc:
        assert exc.message and exc.line == 5
        return
    if name.endswith(".slug"):
        assert SLUG_RE.fullmatch(value)
    if isinstance(value, str) and not name.endswith(".slug"):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in value), (name, value)
    if isinstance(value, dt.date):
        assert 1 <= value.year <= 9999


@FAST
@given(text=st.one_of(TEXT, st.from_regex(r"\A(https?:|/|//|javascript:|data:)[^\n]{0,20}\Z")))
def test_an_accepted_url_is_a_web_address_or_a_site_path(text):
    try:
        url = Url().parse(scalar(text, "tag:yaml.org,2002:str"))
    except FieldError:
        return
    assert re.match(r"\A(https?://[^\s\\]+|/(?![/\\])[^\s\\]*)\Z", url), url


# --- the sanitizer -----------------------------------------------------------------------------

PIECES = ["<script>", "</script>", "<img src=x onerror=__pwned(1)>", "<a href='javascript:__pwned(1)'>", "<svg onload=x>",
          "<iframe src=x>", "<style>", "&#106;avascript:", "[x](", ")", "![x](", "data:text/html,<script>", "{: onclick=x}",
          "<a href=' //evil.example/'>", "<img src='/\\evil.example/x.png'>", "<math>", "<!--", "-->", '"', "'", "<", ">",
          "\n", "\n\n", "`", "```\n", "<div ", "on", "error=", "<object data=x>", "<base href=//x>"]  # fmt: skip


@FAST
@given(parts=st.lists(st.one_of(st.sampled_from(PIECES), TEXT), max_size=25))
def test_the_sanitizer_never_lets_anything_active_through(parts):
    html = MarkdownRenderer("/").render("".join(parts)).html
    audit = ElementAudit()
    audit.feed(html)
    assert audit.findings == [], html
    assert not [url for url in OtherHosts.of(html) if browser_view(url).startswith("//")], html


class OtherHosts(HTMLParser):
    """Every href/src of a fragment, as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]

    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.urls
