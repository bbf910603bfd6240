"""Compound front-matter values: mappings with typed keys of their own (coordinates, a link, a
picture: its file and what it shows), and the scalar types only they use (a number in a
range, an address). Each turns one YAML node into a Python value, or raises FieldError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import slips
from .fields import (
    CONTROLS,
    MAX_DIGITS,
    FieldError,
    FieldType,
    Text,
    expected_got,
    expected_text,
    is_not,
    scalar_text,
    shorten,
)
from .i18n import N_, _
from .problems import did_you_mean


class Mapping(FieldType):
    """A nested mapping with its own typed keys (coordinates, a link)."""

    def __init__(self, fields: dict[str, tuple[FieldType, bool]], expected: str):
        """`expected` is English text marked with N_(); it is translated where shown."""
        self.fields = fields  # key -> (type, required)
        self._expected = expected

    @property
    def expected(self) -> str:
        return _(self._expected)

    def parse(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise expected_got(self.expected, node)
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = scalar_text(key_node, _("a key"))
            if key not in self.fields:
                hint = did_you_mean(key, self.fields) or _(" (keys: {keys})").format(keys=", ".join(self.fields))
                raise FieldError(_("unknown key `{key}`").format(key=key) + hint, key_node)
            values[key] = self.fields[key][0].parse(value_node)
        missing = [k for k, (_type, required) in self.fields.items() if required and k not in values]
        if missing:
            message = _("is missing {keys}: expected {expected}")
            raise FieldError(message.format(keys="、".join(f"`{k}`" for k in missing), expected=self.expected), node)
        return values


class Number(FieldType):
    def __init__(self, low: float, high: float, what: str):
        """`what` ("a latitude") is English text marked with N_(); it is translated where shown."""
        self.low, self.high = low, high
        self.what = what

    @property
    def expected(self) -> str:
        return _("{what} between {low} and {high}").format(what=_(self.what), low=self.low, high=self.high)

    def parse(self, node: yaml.Node) -> float:
        text = scalar_text(node, self.expected)
        number = r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        if len(text) > 2 * MAX_DIGITS or not re.fullmatch(number, text):  # too many digits to be a coordinate
            raise FieldError(slips.ascii_hint(shorten(text)) or expected_text(self.expected, shorten(text)), node)
        value = float(text)
        if not self.low <= value <= self.high:
            message = _("{value} is out of range: expected {expected}")
            raise FieldError(message.format(value=value, expected=self.expected), node)
        return value


class Url(FieldType):
    @property
    def expected(self) -> str:
        return _("an address starting with https:// or http://, or a site path starting with /")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        # A backslash is read as `/` by browsers: `/\evil.example` would be another host.
        if re.match(r"^https?://[^\s<>\"'\\]+$", text) or re.match(r"^/[^\s<>\"'/\\][^\s<>\"'\\]*$|^/$", text):
            return text
        raise FieldError(is_not(text, self.expected), node)


COORDINATES = Mapping(
    {
        "lat": (Number(-90, 90, N_("a latitude")), True),
        "lon": (Number(-180, 180, N_("a longitude")), True),
    },
    N_("`lat:` and `lon:` on their own lines"),
)
LINK = Mapping({"title": (Text(200), True), "url": (Url(), True)}, N_("`title:` and `url:`"))


# Pictures an entry shows (cover, gallery): files under content/, named relative to the entry's
# own folder; townsite/pictures.py checks that they exist and publishes resized copies.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class ImageRef:
    src: str  # as written, relative to the folder of the entry's file
    alt: str
    line: int | None  # of `src:`, for messages from the pictures stage


class ImagePath(FieldType):
    _expected = N_("a picture file beside the entry, e.g. `xi-ji/cover.png` (.png, .jpg, .jpeg or .webp)")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        parts = text.split("/")
        if text.startswith("/") or "\\" in text or any(p in ("", ".", "..") for p in parts):
            message = _("`{text}` is not {expected}: no leading `/`, `..` or `\\`")
            raise FieldError(message.format(text=text, expected=self.expected), node)
        if any(c in CONTROLS for c in text):
            raise FieldError(_("contains control characters; delete them"), node)
        if not text.lower().endswith(PICTURE_SUFFIXES):
            message = _("`{text}` is not {expected}; convert the picture to PNG or JPEG")
            raise FieldError(message.format(text=text, expected=self.expected), node)
        return text


class Picture(Mapping):
    """`src:` and `alt:` (what the picture shows, for readers who cannot see it)."""

    def __init__(self) -> None:
        super().__init__(
            {"src": (ImagePath(), True), "alt": (Text(200), True)}, N_("`src:` and `alt:` on their own lines")
        )

    def parse(self, node: yaml.Node) -> ImageRef:  # type: ignore[override]
        values = super().parse(node)
        src_line = next((v.start_mark.line + 1 for k, v in node.value if k.value == "src"), None)
        return ImageRef(values["src"], values["alt"], src_line)
