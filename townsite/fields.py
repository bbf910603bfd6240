"""Typed front-matter fields. Each type turns one YAML node into a Python value, or raises
FieldError with a message that says what was expected, pointing at the node's own line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .i18n import _
from .problems import did_you_mean

NULL_TAG = "tag:yaml.org,2002:null"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80


class FieldError(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None):
        super().__init__(message)
        self.message = message
        self.line = node.start_mark.line + 1 if node is not None else None


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and (node.tag == NULL_TAG or (node.value == "" and node.style is None))


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"`{node.value}`"


# What `townsite new` writes where an editor must fill something in; never valid content.
PLACEHOLDER = "待填写"


def scalar_text(node: yaml.Node, expected: str) -> str:
    """The scalar's text exactly as written: `name: yes` stays "yes", `code: 010` stays "010"."""
    if not isinstance(node, yaml.ScalarNode):
        raise FieldError(f"expected {expected}, got {_shape(node)}", node)
    text = node.value.strip()
    if text == PLACEHOLDER:
        raise FieldError(f"is still the placeholder `{PLACEHOLDER}`: fill in {expected}", node)
    return text


# C0/C1 controls (but newline and tab), and the bidirectional overrides that can make a title
# display as something other than what it says ("Trojan Source").
_CONTROLS = frozenset(
    [chr(c) for c in range(32) if chr(c) not in "\n\t"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


_LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*")
MAX_DIGITS = 15  # in any number: more is a typo, and would overflow what formats it
FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside are typos (2106 for 2016), and 9999-12-31 has no next day


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a message: a pasted megabyte is shown by its start."""
    return text if len(text) <= limit else text[:limit] + "…"


class FieldType:
    expected = "a value"

    def parse(self, node: yaml.Node) -> Any:
        raise NotImplementedError


class Text(FieldType):
    expected = "text"

    def __init__(self, max_length: int = 2000, multiline: bool = False):
        self.max_length = max_length
        self.multiline = multiline  # a summary may keep its line breaks; a name is one line

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        if not self.multiline:
            # A line break (from `|` or a quoted "\n") in a one-line text is a space, never a break
            # that could reach a one-line context (a calendar's name, a file name, a heading).
            text = _LINE_BREAKS.sub(" ", text)
        if not text:
            raise FieldError("must not be empty", node)
        if len(text) > self.max_length:
            raise FieldError(f"is {len(text)} characters long; keep it under {self.max_length}", node)
        if any(c in _CONTROLS for c in text):
            raise FieldError("contains control characters; delete them", node)
        return text


class Choice(FieldType):
    def __init__(self, options: list[str], aliases: dict[str, str] | None = None):
        self.options = options
        self.aliases = aliases or {}
        self.expected = "one of " + "、".join(options)

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        text = self.aliases.get(text, text)
        if text not in self.options:
            hint = did_you_mean(text, self.options) or f" (expected {self.expected})"
            raise FieldError(f"unknown value `{text}`{hint}", node)
        return text


class Date(FieldType):
    expected = "a date written YYYY-MM-DD, e.g. 2016-06-26"

    def parse(self, node: yaml.Node) -> dt.date:
        text = scalar_text(node, self.expected)
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not match:
            raise FieldError(f"`{text}` is not a date: expected {self.expected}", node)
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise FieldError(f"`{text}` is not a real date ({exc}); expected YYYY-MM-DD", node) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise FieldError(
                _("`{date}` is outside the years {first} to {last}; check the year").format(
                    date=text, first=FIRST_YEAR, last=LAST_YEAR
                ),
                node,
            )
        return day


class Boolean(FieldType):
    expected = "true or false"

    def parse(self, node: yaml.Node) -> bool:
        text = scalar_text(node, self.expected).lower()
        if text in ("true", "yes", "on"):
            return True
        if text in ("false", "no", "off"):
            return False
        raise FieldError(f"expected {self.expected}, got `{text}`", node)


class Integer(FieldType):
    def __init__(self, minimum: int = 0, maximum: int = 10**9):
        self.minimum, self.maximum = minimum, maximum
        self.expected = f"a whole number from {minimum} to {maximum}"

    def parse(self, node: yaml.Node) -> int:
        text = scalar_text(node, self.expected)
        if not re.fullmatch(rf"-?\d{{1,{MAX_DIGITS}}}", text) or not self.minimum <= int(text) <= self.maximum:
            raise FieldError(f"expected {self.expected}, got `{shorten(text)}`", node)
        return int(text)


class Slug(FieldType):
    expected = "a slug of lowercase letters, digits and single hyphens, e.g. xi-ji"

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        check_slug(text, node)
        return text


def check_slug(text: str, node: yaml.Node | None = None) -> None:
    if not SLUG_RE.fullmatch(text):
        raise FieldError(
            f"`{text}` is not a safe slug: use only lowercase a-z, 0-9 and single hyphens "
            "(no spaces, slashes, dots or upper case), e.g. `xi-ji-rose-town`",
            node,
        )
    if len(text) > SLUG_MAX:
        raise FieldError(f"is {len(text)} characters long; keep it under {SLUG_MAX}", node)


@dataclass(frozen=True)
class Reference:
    """A slug pointing at another entry; resolved and checked by the link stage."""

    kind: str
    slug: str
    line: int | None


class Ref(FieldType):
    def __init__(self, kind: str):
        self.kind = kind
        self.expected = f"the slug of a {kind}"

    def parse(self, node: yaml.Node) -> Reference:
        text = scalar_text(node, self.expected)
        check_slug(text, node)
        return Reference(self.kind, text, node.start_mark.line + 1)


class ListOf(FieldType):
    """A YAML list; a single scalar is accepted as a one-item list, as editors often write."""

    def __init__(self, item: FieldType, unique: bool = True):
        self.item = item
        self.unique = unique
        self.expected = f"a list of {item.expected}"

    def parse(self, node: yaml.Node) -> list[Any]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        values: list[Any] = []
        for item in items:
            if is_null(item):
                raise FieldError("has an empty list item; delete the lone `-`", item)
            value = self.item.parse(item)
            if self.unique and value in values:
                raise FieldError(f"lists `{scalar_text(item, '')}` twice", item)
            values.append(value)
        return values


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str

    def __str__(self) -> str:
        number = format(self.value.normalize(), "f")
        if "." not in number and len(number) > 4:
            number = f"{int(number):,}"
        return f"{number} {self.unit}"


class QuantityType(FieldType):
    def __init__(self, units: list[str]):
        self.units = units
        self.expected = "a number with a unit, e.g. `20万亩` (units: " + "、".join(units) + ")"

    def parse(self, node: yaml.Node) -> Quantity:
        text = scalar_text(node, self.expected).replace(",", "").replace(" ", "")
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(\D+)", text)
        if not match:
            raise FieldError(f"`{shorten(text)}` is not {self.expected}", node)
        number, unit = match.groups()
        if len(number.replace(".", "")) > MAX_DIGITS:
            raise FieldError(
                _("`{number}` has more than {limit} digits; numbers are limited to {limit} digits").format(
                    number=shorten(number), limit=MAX_DIGITS
                ),
                node,
            )
        if unit not in self.units:
            hint = did_you_mean(unit, self.units) or f" (units: {'、'.join(self.units)})"
            raise FieldError(f"unknown unit `{unit}`{hint}", node)
        try:
            return Quantity(Decimal(number), unit)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            raise FieldError(f"`{text}` is not {self.expected}", node) from None


class Mapping(FieldType):
    """A nested mapping with its own typed keys (coordinates, a link)."""

    def __init__(self, fields: dict[str, tuple[FieldType, bool]], expected: str):
        self.fields = fields  # key -> (type, required)
        self.expected = expected

    def parse(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise FieldError(f"expected {self.expected}, got {_shape(node)}", node)
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = scalar_text(key_node, "a key")
            if key not in self.fields:
                hint = did_you_mean(key, self.fields) or f" (keys: {', '.join(self.fields)})"
                raise FieldError(f"unknown key `{key}`{hint}", key_node)
            values[key] = self.fields[key][0].parse(value_node)
        missing = [k for k, (_, required) in self.fields.items() if required and k not in values]
        if missing:
            raise FieldError(f"is missing `{'`, `'.join(missing)}`: expected {self.expected}", node)
        return values


class Number(FieldType):
    def __init__(self, low: float, high: float, what: str):
        self.low, self.high = low, high
        self.expected = f"a {what} between {low} and {high}"

    def parse(self, node: yaml.Node) -> float:
        text = scalar_text(node, self.expected)
        try:
            value = float(text) if len(text) <= 2 * MAX_DIGITS else float("nan")
        except ValueError:
            raise FieldError(f"expected {self.expected}, got `{shorten(text)}`", node) from None
        if value != value:  # NaN, or too many digits to be a coordinate
            raise FieldError(f"expected {self.expected}, got `{shorten(text)}`", node)
        if not self.low <= value <= self.high:
            raise FieldError(f"{value} is out of range: expected {self.expected}", node)
        return value


class Url(FieldType):
    expected = "an address starting with https:// or http://, or a site path starting with /"

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        # A backslash is read as `/` by browsers: `/\evil.example` would be another host.
        if re.match(r"^https?://[^\s<>\"'\\]+$", text) or re.match(r"^/[^\s<>\"'/\\][^\s<>\"'\\]*$|^/$", text):
            return text
        raise FieldError(f"`{text}` is not {self.expected}", node)


COORDINATES = Mapping(
    {
        "lat": (Number(-90, 90, "latitude"), True),
        "lon": (Number(-180, 180, "longitude"), True),
    },
    "`lat:` and `lon:` on their own lines",
)
LINK = Mapping({"title": (Text(200), True), "url": (Url(), True)}, "`title:` and `url:`")


# Pictures an entry shows (cover, gallery): files under content/, named relative to the entry's
# own folder; townsite/pictures.py checks that they exist and publishes resized copies.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class ImageRef:
    src: str  # as written, relative to the folder of the entry's file
    alt: str
    line: int | None  # of `src:`, for messages from the pictures stage


class ImagePath(FieldType):
    expected = "a picture file beside the entry, e.g. `xi-ji/cover.png` (.png, .jpg, .jpeg or .webp)"

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        parts = text.split("/")
        if text.startswith("/") or "\\" in text or any(p in ("", ".", "..") for p in parts):
            raise FieldError(f"`{text}` is not {self.expected}: no leading `/`, `..` or `\\`", node)
        if any(c in _CONTROLS for c in text):
            raise FieldError("contains control characters; delete them", node)
        if not text.lower().endswith(PICTURE_SUFFIXES):
            raise FieldError(f"`{text}` is not {self.expected}; convert the picture to PNG or JPEG", node)
        return text


class Picture(Mapping):
    """`src:` and `alt:` (what the picture shows, for readers who cannot see it)."""

    def __init__(self) -> None:
        super().__init__({"src": (ImagePath(), True), "alt": (Text(200), True)}, "`src:` and `alt:` on their own lines")

    def parse(self, node: yaml.Node) -> ImageRef:  # type: ignore[override]
        values = super().parse(node)
        src_line = next((v.start_mark.line + 1 for k, v in node.value if k.value == "src"), None)
        return ImageRef(values["src"], values["alt"], src_line)
