"""frontmatter.decode: text an editor saved, or a typed refusal that says where and what to do."""

from __future__ import annotations

import pytest

from townsite.frontmatter import Undecodable, decode


def test_utf8_with_a_bom_and_windows_line_ends_reads_as_plain_text():
    assert decode("\ufeff---\r\nname: 玫瑰\r---\n".encode()) == "---\nname: 玫瑰\n---\n"


@pytest.mark.parametrize(
    ("raw", "line", "says"),
    [
        ("---\nname: 玫瑰\n".encode("utf-16"), None, "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "NUL"),
        ("---\nname: ok\nsummary: 玫瑰小镇\n".encode("gb18030"), 3, "GBK"),
        (b"---\n\xff\xfe\xfd\xfc\n", 2, "UTF-8"),
    ],
    ids=["utf-16", "binary", "gbk", "not-utf8"],
)
def test_what_is_not_utf8_is_refused_with_its_line_and_advice(raw, line, says):
    with pytest.raises(Undecodable) as info:
        decode(raw)
    assert info.value.line == line
    assert says in info.value.advice


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("title: a\nstatus:\n\t建设中\n", "tabs"),  # a tab where a value starts
        ("title: a\n\tstatus: 建设中\n", "tabs"),  # a tab before a key
        ("title: a\nlist:\n  - \tx\n", "tabs"),  # a tab inside a list item's indent
        ("summary: 简介: 未加引号\n", "quoted"),
        ("programs:\n  - name: 千企千镇: 工程\n", "quoted"),  # the same inside a list
        ("province: [宁夏\n", ""),  # neither: no advice is better than wrong advice
    ],
)
def test_yaml_advice_comes_from_the_text_where_the_parser_stopped(text, hint):
    import yaml

    from townsite.frontmatter import parse_front_matter, yaml_error
    from townsite.i18n import _

    with pytest.raises(yaml.YAMLError) as caught:
        parse_front_matter(text, 1)
    message = yaml_error(caught.value, "x.md").message
    assert message.endswith(_("; indent with spaces, not tabs")) == (hint == "tabs"), message
    assert message.endswith(_("; a value containing `: ` must be quoted")) == (hint == "quoted"), message
