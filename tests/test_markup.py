"""Markdown features editors use, and the sanitizer that keeps content from injecting script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsite.markup import MarkdownRenderer


@pytest.fixture
def md() -> MarkdownRenderer:
    return MarkdownRenderer("/showcase/")


def test_tables_footnotes_and_heading_anchors(md):
    html = md.render("## 概况\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n注[^1]\n\n[^1]: 说明").html
    assert '<h2 id="概况">概况</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html


def test_h1_in_a_body_is_demoted_because_the_title_is_the_h1(md):
    html = md.render("# 一级\n\n## 二级").html
    assert "<h1" not in html
    assert '<h2 id="一级">' in html and '<h2 id="二级">' in html


def test_site_paths_are_rebased_and_recorded(md):
    rendered = md.render("[镇](/towns/x/#a) ![图](/static/a.png) [外](https://example.com/) [相对](x/)")
    assert 'href="/showcase/towns/x/#a"' in rendered.html
    assert 'src="/showcase/static/a.png"' in rendered.html
    assert 'href="https://example.com/"' in rendered.html
    assert rendered.site_links == ("/towns/x/#a", "/static/a.png")


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<object data=x></object><embed src=x>",
    "<form action=x><input autofocus onfocus=alert(1)></form>",
    '<a href="//evil.example/">x</a>',
    'text {: onclick="alert(1)" }',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


class ElementAudit(HTMLParser):
    """Collects what a browser would act on: elements, attributes and URL values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "svg", "style", "object", "embed", "form", "input", "math", "base", "meta"}:
            self.findings.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.findings.append(f"{tag}[{name}]")
            if name in {"href", "src"} and (value.startswith(("javascript:", "data:", "vbscript:", "//"))):
                self.findings.append(f"{tag}[{name}={value}]")


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_is_neutralised(md, payload):
    audit = ElementAudit()
    audit.feed(md.render(f"正文\n\n{payload}\n").html)
    assert audit.findings == []


def test_the_audit_itself_detects_script():
    audit = ElementAudit()
    audit.feed('<p><a href=" JavaScript:x">a</a><img src=x onerror=y><script></script></p>')
    assert audit.findings == ["a[href=javascript:x]", "img[onerror]", "<script>"]


def test_template_syntax_in_content_stays_literal(md):
    assert "{{ 7*7 }}" in md.render("{{ 7*7 }} {% raw %}").html


# --- the plain-text shortcut: same HTML as Python-Markdown's full inline pass ------------------

PLAIN = MarkdownRenderer("/", plain_text_shortcut=False)
MARKUP_PIECES = [
    "玫瑰小镇", "西吉县", "，", "。", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "\\", "[", "]", "(", ")",
    "!", "<", ">", "&", "&amp;", "#", "- ", "1. ", "| a | b |\n|---|---|\n| 1 | 2 |\n", "[^1]", "[^1]: 注\n",
    "<b>", "</b>", "http://x.example/", "<http://x.example/>", "a@b.example", "{: #id }", ": ", "~~", "==",
    "abc", "ＡＢＣ", "１２３", "\t", "    ", "```\n", "---\n",
]  # fmt: skip


def test_the_shortcut_is_on_and_gives_the_same_html_on_the_corpus():
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from corpus import generate

    fast = MarkdownRenderer("/")
    assert fast.shortcut and not PLAIN.shortcut
    bodies = [record.body for record in generate(300, seed=4)]
    bodies += [path.read_text().split("\n---\n", 1)[1] for path in (REPO / "content").glob("*/*.md")]
    assert sum("**" in b or "](" in b for b in bodies) > 10  # the corpus has inline markup
    for body in bodies:
        assert fast.render(body) == PLAIN.render(body)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKUP_PIECES), max_size=40))
def test_the_shortcut_gives_the_same_html_on_generated_text(pieces):
    text = "".join(pieces)
    assert MarkdownRenderer("/").render(text) == PLAIN.render(text)


# --- the lean pipeline: processors a text cannot set off left out, same HTML -------------------

STOCK = MarkdownRenderer("/", plain_text_shortcut=False, lean=False)
LEAN_PIECES = [
    *MARKUP_PIECES, "[TOC]", "\n[TOC]\n", "> ", "\n> 引用", "[a]: /x\n", "[a]", "# 标题\n", "## 标题\n", "### 小节 {#own}\n",
    "{: .c }", "{: data-toc-label='目录' }", "~~~\n", "```python\n", "***", "- - -", "_ _ _", "* * *", "\r", "\r\n",
    "\x02", "\x03", "术语\n: 解释\n", "    - 子项\n", "<div>块</div>\n", "&copy;", "[^a]", "[^a]: 注\n", "|",
]  # fmt: skip


def test_the_lean_pipeline_leaves_out_what_a_plain_body_cannot_use():
    lean = MarkdownRenderer("/")
    left_out = {name for _, name in lean._instances.left_out("## 标题\n\n一段[链接](/towns/x/)。\n\n- 一项\n")}
    assert {"toc", "table", "attr_list", "html_block", "quote", "code", "footnote"} <= left_out
    assert "table" not in {name for _, name in lean._instances.left_out("| a | b |\n|---|---|\n")}
    assert lean._instances.left_out("a\tb") == frozenset()  # tabs: Markdown's own spaces, keep everything


def test_the_lean_pipeline_gives_the_stock_html_on_the_corpus():
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from corpus import generate

    lean = MarkdownRenderer("/")
    bodies = [record.body for record in generate(300, seed=5)]
    bodies += [path.read_text().split("\n---\n", 1)[1] for path in (REPO / "content").glob("*/*.md")]
    for body in bodies:
        assert lean.render(body) == STOCK.render(body)
    assert len(lean._instances.instances) >= 2  # bodies with and without tables took lean instances


LEAN = MarkdownRenderer("/")  # one for all examples: its instances are reused from text to text


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LEAN_PIECES), max_size=40))
def test_the_lean_pipeline_gives_the_stock_html_on_generated_text(pieces):
    text = "".join(pieces)
    assert LEAN.render(text) == STOCK.render(text)
