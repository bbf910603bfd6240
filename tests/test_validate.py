"""Validation helpers. The bad-input cases themselves (every problem an editor can cause, with
its `path:line: message`) are the corpus in tests/test_broken_input.py."""

from __future__ import annotations

import pytest
import yaml

from townsite.compound import Url
from townsite.fields import Date, FieldError
from townsite.problems import did_you_mean


def test_full_province_names_are_stored_short(project):
    result = project.build(write=False)
    assert result.site.by_key[("town", "lake-town")].province == "云南"  # written 云南省


def test_did_you_mean_is_empty_when_nothing_is_close():
    assert did_you_mean("zzzz", ["province", "city"]) == ""
    assert "`province`" in did_you_mean("provnce", ["province", "city"])


def test_field_error_points_at_the_value_line():
    node = yaml.compose("\n\nx")
    with pytest.raises(FieldError) as info:
        Date().parse(node)
    assert info.value.line == 3


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://x.cn/", "/towns/x/", "/"])
def test_url_field_accepts_web_addresses_and_site_paths(url):
    assert Url().parse(yaml.compose(url)) == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "/\\evil.example", "https://a b/", "ftp://x/"]
)
def test_url_field_refuses_what_a_browser_would_take_elsewhere(url):
    with pytest.raises(FieldError):
        Url().parse(yaml.compose(f"'{url}'"))
