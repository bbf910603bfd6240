"""Needs and offers, typed: what a town or park is `seeking` (招商需求) and what an org `offers`
(合作意向). Each item is a small record whose keys are checked like fields, with messages that
name the item and the key (`seeking: item 2: end: ...`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from .fields import Choice, Date, FieldError, FieldType, ListOf, Quantity, Text, is_null, scalar_text
from .i18n import N_, _
from .problems import did_you_mean

PARTNER_KINDS = ["投资方", "运营方", "技术", "渠道", "金融服务", "对接服务", "品牌", "培训", "会展"]
NATIONWIDE = "全国"
STATUSES = ["open", "closed"]
STATUS_LABELS = {"open": "征集中", "closed": "已结束"}
AMOUNT_UNITS = ["万元", "亿元"]


@dataclass(frozen=True)
class Scale:
    """An amount range: 500万元-2亿元, 1亿元以上 (no upper bound), 5000万元 (one figure)."""

    low: Quantity | None
    high: Quantity | None

    def __str__(self) -> str:
        def text(q: Quantity) -> str:
            return f"{format(q.value.normalize(), 'f')}{q.unit}"

        if self.low and self.high:
            return text(self.low) if self.low == self.high else f"{text(self.low)}—{text(self.high)}"
        if self.low:
            return f"{text(self.low)}以上"
        assert self.high is not None
        return f"{text(self.high)}以下"


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万元|亿元)?")
_UNIT_VALUE = {"万元": Decimal(1), "亿元": Decimal(10000)}


class ScaleType(FieldType):
    _expected = N_("an amount or a range with units, e.g. `5000万元`, `500万元-2亿元`, `1亿元以上` (units: 万元、亿元)")

    def parse(self, node: yaml.Node) -> Scale:
        text = scalar_text(node, self.expected).replace(",", "").replace(" ", "")
        bound = ""
        for suffix, which in (("以上", "low"), ("以下", "high")):
            if text.endswith(suffix):
                text, bound = text.removesuffix(suffix), which
        parts = re.split(r"[-—~～至到]", text)
        if len(parts) > 2 or (bound and len(parts) > 1):
            raise FieldError(_("`{value}` is not {expected}").format(value=text, expected=self.expected), node)
        matches = [_AMOUNT.fullmatch(p) for p in parts]
        if not all(matches):
            raise FieldError(_("`{value}` is not {expected}").format(value=text, expected=self.expected), node)
        units = [m.group(2) for m in matches if m]
        unit = units[-1]
        if unit is None:
            raise FieldError(_("`{value}` has no unit (units: 万元、亿元)").format(value=text), node)
        amounts = [Quantity(Decimal(m.group(1)), m.group(2) or unit) for m in matches if m]
        low, high = amounts[0], amounts[-1]
        if self._wan(low) > self._wan(high):
            message = _("`{value}`: the first amount is larger than the second; write the smaller one first")
            raise FieldError(message.format(value=text), node)
        if bound == "low":
            return Scale(low, None)
        if bound == "high":
            return Scale(None, high)
        return Scale(low, high)

    @staticmethod
    def _wan(q: Quantity) -> Decimal:
        return q.value * _UNIT_VALUE[q.unit]


class Record(FieldType):
    """A mapping of typed keys whose problems name the key; `check` sees the parsed values and
    returns a (message, key) pair for a rule across keys, such as end before start."""

    def __init__(
        self,
        fields: dict[str, tuple[FieldType, bool]],
        expected: str,
        check: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
    ):
        self.fields = fields
        self._expected = expected  # marked N_()
        self.check = check

    def parse(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            got = _("a list") if isinstance(node, yaml.SequenceNode) else f"`{getattr(node, 'value', '')}`"
            message = _("expected {expected}, got {got}").format(expected=self.expected, got=got)
            raise FieldError(message, node)
        values: dict[str, Any] = {}
        key_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = scalar_text(key_node, _("a key"))
            if key not in self.fields:
                hint = did_you_mean(key, self.fields) or f" (keys: {', '.join(self.fields)})"
                raise FieldError(_("unknown key `{key}`{hint}").format(key=key, hint=hint), key_node)
            if is_null(value_node):
                continue
            try:
                values[key] = self.fields[key][0].parse(value_node)
            except FieldError as exc:
                raise _reline(exc, key, value_node) from None
            key_nodes[key] = key_node
        missing = [k for k, (_type, required) in self.fields.items() if required and k not in values]
        if missing:
            message = _("is missing `{keys}`: each item needs {expected}")
            raise FieldError(message.format(keys="`, `".join(missing), expected=self.expected), node)
        problem = self.check(values) if self.check else None
        if problem:
            raise FieldError(problem[0], key_nodes[problem[1]])
        return values


def _reline(exc: FieldError, key: str, node: yaml.Node) -> FieldError:
    """The same problem, its message prefixed with the key it is about, at its own line."""
    prefixed = FieldError(f"{key}: {exc.message}", node)
    prefixed.line = exc.line or prefixed.line
    return prefixed


class Items(ListOf):
    """A list of records whose problems say which item they are in."""

    def parse(self, node: yaml.Node) -> list[Any]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        values = []
        for number, item in enumerate(items, start=1):
            try:
                values.append(self.item.parse(item))
            except FieldError as exc:
                prefixed = FieldError(_("item {number}: {message}").format(number=number, message=exc.message))
                prefixed.line = exc.line or item.start_mark.line + 1
                raise prefixed from None
        return values


def _dates_in_order(values: dict[str, Any]) -> tuple[str, str] | None:
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        message = _("end: {end} is before the start date {start}").format(end=end.isoformat(), start=start.isoformat())
        return message, "end"
    return None


def need_type(industries: FieldType) -> FieldType:
    return Items(
        Record(
            {
                "title": (Text(60), True),
                "industries": (industries, True),
                "partners": (ListOf(Choice(PARTNER_KINDS)), True),
                "description": (Text(300), False),
                "scale": (ScaleType(), False),
                "status": (Choice(STATUSES, {"开放": "open", "征集中": "open", "已结束": "closed"}), True),
                "updated": (Date(), True),
                "start": (Date(), False),
                "end": (Date(), False),
            },
            N_("`title:`, `industries:`, `partners:`, `status:` and `updated:`"),
            _dates_in_order,
        ),
        unique=False,
    )


def offer_type(industries: FieldType, provinces: list[str], aliases: dict[str, str]) -> FieldType:
    return Items(
        Record(
            {
                "title": (Text(60), True),
                "industries": (industries, True),
                "partners": (ListOf(Choice(PARTNER_KINDS)), True),
                "regions": (ListOf(Region(provinces, aliases)), True),
                "description": (Text(300), False),
                "scale": (ScaleType(), False),
            },
            N_("`title:`, `industries:`, `partners:` and `regions:`"),
        ),
        unique=False,
    )


class Region(Choice):
    """A province (full names are accepted), or 全国 for anywhere in the country."""

    def __init__(self, provinces: list[str], aliases: dict[str, str]):
        super().__init__([*provinces, NATIONWIDE], aliases)

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        text = self.aliases.get(text, text)
        if text not in self.options:
            hint = did_you_mean(text, self.options) or _(" (a province such as 宁夏, or 全国)")
            raise FieldError(_("unknown region `{value}`{hint}").format(value=text, hint=hint), node)
        return text
