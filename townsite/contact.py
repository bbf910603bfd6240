"""A way to act: `contact` blocks of towns, parks and orgs (and the site's own contact in
site.yaml). Phone numbers are checked in the forms Chinese organizations publish them (+86,
area codes, 400/800 numbers, mobiles) and kept with their `tel:` target; emails and web
addresses are checked too, and only http(s) addresses are accepted, never `javascript:`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .fields import FieldError, FieldType, ListOf, Text, scalar_text
from .i18n import N_, _
from .needs import Record

_SEPARATORS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes without their leading 0: 10 and 2x have two digits, the others three.
_LANDLINE = re.compile(r"(10|2\d|[3-9]\d{2})(\d{7,8})")
_SERVICE = re.compile(r"([48]00)(\d{7})")
_EXTENSION = re.compile(r"(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})", re.IGNORECASE)


@dataclass(frozen=True)
class Phone:
    text: str  # as the editor wrote it, shown to visitors
    tel: str  # the tel: target, e.g. +861012345678

    def __str__(self) -> str:
        return self.text


def parse_phone(text: str) -> Phone | None:
    """The number's tel: target, or None when it is not a Chinese phone number."""
    extension = ""
    match = _EXTENSION.fullmatch(text.strip())
    digits = text
    if match:
        digits, extension = match.group(1), match.group(2)
    digits = _SEPARATORS.sub("", digits)
    international = digits.startswith(("+86", "0086"))
    digits = digits.removeprefix("+86").removeprefix("0086")
    suffix = f";ext={extension}" if extension else ""
    if _MOBILE.fullmatch(digits):
        return Phone(text, f"+86{digits}{suffix}")
    if _SERVICE.fullmatch(digits):  # 400/800 numbers are dialled as they are, and only within China
        return None if international else Phone(text, digits + suffix)
    national = digits if international else digits[1:] if digits.startswith("0") else ""
    if national and _LANDLINE.fullmatch(national):
        return Phone(text, f"+86{national}{suffix}")
    return None


class PhoneType(FieldType):
    _expected = N_("a phone number such as 010-12345678, +86 10 1234 5678, 400-123-4567 or 13912345678")

    def parse(self, node: yaml.Node) -> Phone:
        text = scalar_text(node, self.expected)
        phone = parse_phone(text)
        if phone is None:
            message = _(
                "`{value}` is not a phone number: write a mobile (13912345678), a number with its area code "
                "(010-12345678, 0954-1234567), +86 and the number, or a 400/800 number (400-123-4567)"
            )
            raise FieldError(message.format(value=text), node)
        return phone


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


class EmailType(FieldType):
    _expected = N_("an email address such as info@example.org")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        if not _EMAIL.fullmatch(text) or ".." in text:
            raise FieldError(_("`{value}` is not an email address, e.g. info@example.org").format(value=text), node)
        return text


class WebUrl(FieldType):
    """A web address of another site: http or https only."""

    _expected = N_("an address starting with https:// or http://")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        if not re.fullmatch(r"https?://[A-Za-z0-9\-.]+\.[A-Za-z0-9\-]+(?::\d+)?(?:[/?#][^\s<>\"'\\]*)?", text):
            raise FieldError(_("`{value}` is not a web address starting with https:// or http://").format(value=text),
                             node)  # fmt: skip
        return text


CONTACT = Record(
    {
        "organization": (Text(120), False),
        "person": (Text(60), False),
        "phone": (ListOf(PhoneType()), False),
        "email": (EmailType(), False),
        "website": (WebUrl(), False),
        "address": (Text(200), False),
    },
    N_("`organization:`, `person:`, `phone:`, `email:`, `website:` and `address:` lines (any of them)"),
)


def contact_point(contact: dict[str, Any], name: str) -> dict[str, Any]:
    """schema.org ContactPoint of a contact block."""
    point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "合作洽谈", "name": contact.get("person") or name}
    if contact.get("phone"):
        point["telephone"] = contact["phone"][0].tel.split(";")[0]
    if contact.get("email"):
        point["email"] = contact["email"]
    if contact.get("website"):
        point["url"] = contact["website"]
    point["availableLanguage"] = "zh-CN"
    return point
