"""Contact fields: Chinese phone numbers and their tel: targets, emails, web addresses."""

from __future__ import annotations

import pytest
import yaml

from townsite.contact import EmailType, WebUrl, parse_phone
from townsite.fields import FieldError


@pytest.mark.parametrize(
    ("text", "tel"),
    [
        ("13912345678", "+8613912345678"),
        ("139 1234 5678", "+8613912345678"),
        ("+86 139-1234-5678", "+8613912345678"),
        ("010-12345678", "+861012345678"),
        ("(0954) 1234567", "+869541234567"),
        ("0086 21 1234 5678", "+862112345678"),
        ("+86 10 1234 5678", "+861012345678"),
        ("400-123-4567", "4001234567"),
        ("800 123 4567", "8001234567"),
        ("010-12345678 转 123", "+861012345678;ext=123"),
    ],
)
def test_chinese_phone_forms(text, tel):
    phone = parse_phone(text)
    assert phone is not None and phone.tel == tel and phone.text == text


@pytest.mark.parametrize(
    "text", ["12345", "1234567890123", "+1 415 555 0100", "+86 400 123 4567", "电话", "12912345678"]
)
def test_not_a_chinese_phone_number(text):
    assert parse_phone(text) is None


def _node(text: str) -> yaml.Node:
    return yaml.compose(f"v: {text}").value[0][1]


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "/about/", "ftp://x.example.org/", "https://", "data:text/html,x"]
)
def test_websites_are_http_or_https_only(text):
    with pytest.raises(FieldError):
        WebUrl().parse(_node(f'"{text}"'))


def test_email():
    assert EmailType().parse(_node("info@example.org")) == "info@example.org"
    for bad in ("info@@example.org", "info@example", "a b@example.org", "info@example..org"):
        with pytest.raises(FieldError):
            EmailType().parse(_node(f'"{bad}"'))
