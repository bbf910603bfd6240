"""Typed front-matter fields. Each type turns one YAML node into a Python value, or raises
FieldError with a message that says what was expected, pointing at the node's own line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from . import slips
from .i18n import _, kind_name
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
        return _("a mapping (key: value lines)")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    return f"`{node.value}`"


def expected_got(expected: str, node: yaml.Node) -> FieldError:
    return FieldError(_("expected {expected}, got {shape}").format(expected=expected, shape=_shape(node)), node)


# What `townsite new` writes where an editor must fill something in; never valid content.
PLACEHOLDER = "待填写"


def scalar_text(node: yaml.Node, expected: str) -> str:
    """The scalar's text exactly as written: `name: yes` stays "yes", `code: 010` stays "010"."""
    if not isinstance(node, yaml.ScalarNode):
        raise expected_got(expected, node)
    text = node.value.strip()
    if text == PLACEHOLDER:
        message = _("is still the placeholder `{placeholder}`: fill in {expected}")
        raise FieldError(message.format(placeholder=PLACEHOLDER, expected=expected), node)
    return text


# C0/C1 controls (but newline and tab), and the bidirectional overrides that can make a title
# display as something other than what it says ("Trojan Source").
CONTROLS = frozenset(
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
    _expected = ""  # English, marked N_() (set by a subclass or its __init__): shown translated

    @property
    def expected(self) -> str:
        """What a value must be, in the current language (a property: the language is chosen
        after the schemas are made)."""
        return _(self._expected) if self._expected else _("a value")

    def parse(self, node: yaml.Node) -> Any:
        raise NotImplementedError


class Text(FieldType):
    @property
    def expected(self) -> str:
        return _("text")

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
            raise FieldError(_("must not be empty"), node)
        if len(text) > self.max_length:
            raise too_long(len(text), self.max_length, node)
        if any(c in CONTROLS for c in text):
            raise FieldError(_("contains control characters; delete them"), node)
        return text


def too_long(length: int, limit: int, node: yaml.Node | None) -> FieldError:
    return FieldError(_("is {length} characters long; keep it under {limit}").format(length=length, limit=limit), node)


class Choice(FieldType):
    def __init__(self, options: list[str], aliases: dict[str, str] | None = None):
        self.options = options
        self.aliases = aliases or {}

    @property
    def expected(self) -> str:
        return _("one of {options}").format(options="、".join(self.options))

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        text = self.aliases.get(text, text)
        if text not in self.options:
            hint = did_you_mean(text, self.options) or _(" (expected {expected})").format(expected=self.expected)
            raise FieldError(_("unknown value `{value}`").format(value=text) + hint, node)
        return text


class Date(FieldType):
    @property
    def expected(self) -> str:
        return _("a date written YYYY-MM-DD, e.g. 2016-06-26")

    def parse(self, node: yaml.Node) -> dt.date:
        text = scalar_text(node, self.expected)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        if not match:
            raise FieldError(slips.date_hint(text) or _("`{text}` is not a date: expected {expected}").format(
                text=text, expected=self.expected), node)  # fmt: skip
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            message = _("`{text}` is not a real date ({reason}); expected YYYY-MM-DD")
            raise FieldError(message.format(text=text, reason=_date_reason(match.groups())), node) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise FieldError(
                _("`{date}` is outside the years {first} to {last}; check the year").format(
                    date=text, first=FIRST_YEAR, last=LAST_YEAR
                ),
                node,
            )
        return day


def _date_reason(parts: tuple[str, ...]) -> str:
    year, month, day = (int(part) for part in parts)
    if year < 1:
        return _("there is no year 0")
    if not 1 <= month <= 12:
        return _("month must be in 1..12")
    return _("month {month} has no day {day}").format(month=month, day=day)


class Boolean(FieldType):
    @property
    def expected(self) -> str:
        return _("true or false")

    def parse(self, node: yaml.Node) -> bool:
        text = scalar_text(node, self.expected).lower()
        if text in ("true", "yes", "on"):
            return True
        if text in ("false", "no", "off"):
            return False
        raise expected_got(self.expected, node)


class Integer(FieldType):
    def __init__(self, minimum: int = 0, maximum: int = 10**9):
        self.minimum, self.maximum = minimum, maximum

    @property
    def expected(self) -> str:
        return _("a whole number from {minimum} to {maximum}").format(minimum=self.minimum, maximum=self.maximum)

    def parse(self, node: yaml.Node) -> int:
        text = scalar_text(node, self.expected)
        if not re.fullmatch(rf"-?[0-9]{{1,{MAX_DIGITS}}}", text) or not self.minimum <= int(text) <= self.maximum:
            raise FieldError(slips.ascii_hint(shorten(text)) or expected_text(self.expected, shorten(text)), node)
        return int(text)


def expected_text(expected: str, text: str) -> str:
    return _("expected {expected}, got {shape}").format(expected=expected, shape=f"`{text}`")


class Slug(FieldType):
    @property
    def expected(self) -> str:
        return _("a slug of lowercase letters, digits and single hyphens, e.g. xi-ji")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        check_slug(text, node)
        return text


def check_slug(text: str, node: yaml.Node | None = None) -> None:
    if not SLUG_RE.fullmatch(text) and slips.looks_like_name(text):
        from .slugs import slugify  # slugs imports this module

        message = _("`{text}` is a name, not a slug; write it in pinyin, e.g. `{slug}`")
        raise FieldError(message.format(text=text, slug=slugify(text) or "xi-ji"), node)
    if not SLUG_RE.fullmatch(text):
        message = _(
            "`{text}` is not a safe slug: use only lowercase a-z, 0-9 and single hyphens "
            "(no spaces, slashes, dots or upper case), e.g. `xi-ji-rose-town`"
        )
        raise FieldError(slips.ascii_hint(text) or message.format(text=text), node)
    if len(text) > SLUG_MAX:
        raise too_long(len(text), SLUG_MAX, node)


@dataclass(frozen=True)
class Reference:
    """A slug pointing at another entry; resolved and checked by the link stage. `slug` holds an
    entry's name instead when the editor wrote one (`by_name`): the link stage, which knows every
    entry, reports it with the slug to write."""

    kind: str
    slug: str
    line: int | None
    by_name: bool = False


class Ref(FieldType):
    def __init__(self, kind: str):
        self.kind = kind

    @property
    def expected(self) -> str:
        return _("the slug of a {kind}").format(kind=kind_name(self.kind))

    def parse(self, node: yaml.Node) -> Reference:
        text = scalar_text(node, self.expected)
        if slips.looks_like_name(text):
            return Reference(self.kind, text, node.start_mark.line + 1, by_name=True)
        check_slug(text, node)
        return Reference(self.kind, text, node.start_mark.line + 1)


class ListOf(FieldType):
    """A YAML list; a single scalar is accepted as a one-item list, as editors often write."""

    def __init__(self, item: FieldType, unique: bool = True):
        self.item = item
        self.unique = unique

    @property
    def expected(self) -> str:
        return _("a list of {item}").format(item=self.item.expected)

    def parse(self, node: yaml.Node) -> list[Any]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        slip = slips.list_hint(node)
        if slip:
            raise FieldError(slip, node)
        values: list[Any] = []
        for item in items:
            if is_null(item):
                raise FieldError(_("has an empty list item; delete the lone `-`"), item)
            value = self.item.parse(item)
            if self.unique and value in values:
                raise FieldError(_("lists `{item}` twice").format(item=scalar_text(item, "")), item)
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

    @property
    def expected(self) -> str:
        return _("a number with a unit, e.g. `20万亩` (units: {units})").format(units="、".join(self.units))

    def parse(self, node: yaml.Node) -> Quantity:
        text = scalar_text(node, self.expected).replace(",", "").replace(" ", "")
        match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([^0-9]+)", text)
        if not match:
            raise FieldError(slips.ascii_hint(shorten(text)) or is_not(shorten(text), self.expected), node)
        number, unit = match.groups()
        if len(number.replace(".", "")) > MAX_DIGITS:
            raise FieldError(
                _("`{number}` has more than {limit} digits; numbers are limited to {limit} digits").format(
                    number=shorten(number), limit=MAX_DIGITS
                ),
                node,
            )
        if unit not in self.units:
            hint = did_you_mean(unit, self.units) or _(" (units: {units})").format(units="、".join(self.units))
            raise FieldError(_("unknown unit `{unit}`").format(unit=unit) + hint, node)
        try:
            return Quantity(Decimal(number), unit)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            raise FieldError(is_not(text, self.expected), node) from None


def is_not(text: str, expected: str) -> str:
    return _("`{text}` is not {expected}").format(text=text, expected=expected)
