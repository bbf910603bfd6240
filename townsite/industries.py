"""The industry vocabulary (产业分类) declared in content/site.yaml: categories with a name, a slug,
aliases and an optional group. Every `industries` value of every kind is checked against it, and
an alias is stored as its category, so one industry has one page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .compound import Mapping
from .fields import FieldError, FieldType, ListOf, Slug, Text, check_slug, is_null, scalar_text
from .i18n import N_, _
from .problems import Problem, did_you_mean
from .slugs import slugify


@dataclass(frozen=True)
class Industry:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    group: str = ""


CATEGORY = Mapping(
    {
        "name": (Text(40), True),
        "slug": (Slug(), False),
        "aliases": (ListOf(Text(40)), False),
        "group": (Text(40), False),
    },
    N_("`name:` and optionally `slug:`, `aliases:` and `group:`"),
)


class IndustryType(FieldType):
    """One industry: a category's name or one of its aliases, stored as the category's name."""

    def __init__(self, vocabulary: tuple[Industry, ...]):
        self.names = [i.name for i in vocabulary]
        self.aliases = {alias: i.name for i in vocabulary for alias in i.aliases}
        self._expected = N_("an industry of the vocabulary in content/site.yaml")

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        if text in self.aliases:
            return self.aliases[text]
        if text in self.names:
            return text
        hint = did_you_mean(text, [*self.names, *self.aliases]) or _(
            " (add it to `industries:` in content/site.yaml, or use one listed there)"
        )
        raise FieldError(_("unknown industry `{value}`{hint}").format(value=text, hint=hint), node)


def industry_field(vocabulary: tuple[Industry, ...]) -> FieldType:
    """Free text while a site declares no vocabulary (small test sites); checked once it does."""
    return ListOf(IndustryType(vocabulary)) if vocabulary else ListOf(Text(40))


def parse_vocabulary(node: yaml.Node | None, rel: str, problems: list[Problem]) -> tuple[Industry, ...]:
    """`industries:` of site.yaml: a list of categories; names, slugs and aliases are unique."""
    if node is None or is_null(node):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(rel, node.start_mark.line + 1, _("industries: expected a list of categories")))
        return ()
    found: list[Industry] = []
    taken: dict[str, str] = {}  # every name, alias and slug -> the category that has it
    for item in node.value:
        try:
            value = CATEGORY.parse(item)
            slug = value.get("slug") or slugify(value["name"])
            check_slug(slug, item)
        except FieldError as exc:
            problems.append(Problem(rel, exc.line, _("industries: {message}").format(message=exc.message)))
            continue
        industry = Industry(value["name"], slug, tuple(value.get("aliases") or ()), value.get("group", ""))
        clash = [w for w in (industry.name, *industry.aliases, "slug:" + slug) if w in taken]
        if clash:
            word = clash[0].removeprefix("slug:")
            message = _("industries: `{word}` is already used by `{other}`; each name, alias and slug once")
            problems.append(Problem(rel, item.start_mark.line + 1, message.format(word=word, other=taken[clash[0]])))
            continue
        for word in (industry.name, *industry.aliases, "slug:" + slug):
            taken[word] = industry.name
        found.append(industry)
    return tuple(found)


def group_terms(terms: Sequence[Any], vocabulary: tuple[Industry, ...]) -> list[tuple[str, list[Any]]]:
    """Industry terms (anything with a `name`) under the vocabulary's groups, in its order;
    terms of no group come last under 其他, or alone without a heading when nothing is grouped."""
    group_of = {i.name: i.group for i in vocabulary if i.group}
    found: dict[str, list[Any]] = {group: [] for group in dict.fromkeys(group_of.values())}
    ungrouped: list[Any] = []
    for term in terms:
        (found[group_of[term.name]] if term.name in group_of else ungrouped).append(term)
    groups = [(group, items) for group, items in found.items() if items]
    if not groups:
        return [("", ungrouped)]
    return groups + ([("其他", ungrouped)] if ungrouped else [])
