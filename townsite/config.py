"""The site configuration (content/site.yaml), checked with the same typed fields as content,
so a bad value is reported as `content/site.yaml:LINE: base_url: ...`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import slips
from .compound import Mapping
from .contact import CONTACT
from .fields import FieldError, FieldType, Integer, Slug, Text, check_slug, is_null, scalar_text
from .frontmatter import Undecodable, check_nodes, decode, parse_front_matter, yaml_error
from .i18n import N_, _
from .industries import Industry, parse_vocabulary
from .problems import Problem, did_you_mean, printable
from .slugs import slugify

CONFIG_NAME = "site.yaml"


BASE_URL_EXPECTED = N_("an absolute http(s) URL ending in /, e.g. https://example.org/showcase/")
# What a URL written into every page, feed and calendar may not hold: spaces, line breaks and
# controls (a newline would start a new calendar line), quotes, angle brackets, backslashes.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'\\`{}|^]")


def base_url_problem(text: str) -> str | None:
    """Why `text` cannot be the site's base URL, or None (used for site.yaml and --base-url)."""
    parts = urlsplit(text) if not _URL_FORBIDDEN.search(text) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return _("`{text}` is not {expected}").format(text=printable(text), expected=_(BASE_URL_EXPECTED))
    return None


class AbsoluteUrl(FieldType):
    @property
    def expected(self) -> str:
        return _(BASE_URL_EXPECTED)

    def parse(self, node: yaml.Node) -> str:
        text = scalar_text(node, self.expected)
        problem = base_url_problem(text) or (None if len(text) <= 500 else _("is longer than 500 characters"))
        if problem:
            raise FieldError(problem, node)
        return text if text.endswith("/") else text + "/"


class IcpNumber(FieldType):
    @property
    def expected(self) -> str:
        return _("an ICP registration number such as 京ICP备12345678号 or 京ICP备12345678号-1")

    def parse(self, node: yaml.Node) -> str:
        text = Text(40).parse(node)
        if not re.fullmatch(r"[\u4e00-\u9fff]ICP备\d{6,10}号(?:-\d{1,3})?", text):
            message = _("`{value}` is not an ICP registration number such as 京ICP备12345678号-1")
            raise FieldError(message.format(value=text), node)
        return text


PROGRAM = Mapping({"name": (Text(60), True), "slug": (Slug(), False)}, N_("`name:` and optionally `slug:`"))
ORGANIZATION = Mapping({"name": (Text(120), True), "page": (Slug(), False)}, N_("`name:` and optionally `page:`"))
CONFIG_FIELDS: dict[str, tuple[FieldType, bool]] = {
    "title": (Text(80), True),
    "short_title": (Text(20), False),
    "description": (Text(300, multiline=True), True),
    "base_url": (AbsoluteUrl(), True),
    "language": (Text(20), False),
    "per_page": (Integer(1, 500), False),
    "organization": (ORGANIZATION, False),
    "programs": (FieldType(), False),  # checked item by item below
    "industries": (FieldType(), False),  # the vocabulary, checked in industries.py
    "operator": (Text(120), False),  # 主办单位, in every footer
    "contact": (CONTACT, False),  # how visitors reach the operators
    "icp": (IcpNumber(), False),  # ICP备案号
    "copyright": (Text(120), False),
}


@dataclass(frozen=True)
class Program:
    name: str
    slug: str


@dataclass(frozen=True)
class SiteConfig:
    title: str
    short_title: str
    description: str
    base_url: str  # absolute, ends with /
    language: str
    per_page: int
    organization: dict
    programs: tuple[Program, ...]
    industries: tuple[Industry, ...] = ()
    footer: dict = field(default_factory=dict)  # operator, contact, icp, copyright

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/showcase/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def program_names(self) -> list[str]:
        return [p.name for p in self.programs]

    def with_base_url(self, base_url: str) -> SiteConfig:
        fields = {**self.__dict__, "base_url": base_url if base_url.endswith("/") else base_url + "/"}
        return SiteConfig(**fields)


def load_config(root: Path, content_dir: Path) -> tuple[SiteConfig | None, list[Problem]]:
    path = content_dir / CONFIG_NAME
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    if not path.is_file():
        return None, [Problem(rel, None, _("site configuration is missing: create it (see docs/content-guide.md)"))]
    try:
        text = decode(path.read_bytes())
        node = parse_front_matter(text, first_line=0)
    except Undecodable as exc:
        return None, [Problem(rel, exc.line, exc.advice)]
    except yaml.YAMLError as exc:
        return None, slips.mend(text.split("\n"), 0, rel)[0] or [yaml_error(exc, rel)]
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(rel, 1, _("must be `key: value` lines"))]
    problems: list[Problem] = []
    check_nodes(node, rel, problems)
    if problems:
        return None, problems
    values: dict = {}
    failed: set[str] = set()  # settings whose value was reported
    program_node = industry_node = None
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in CONFIG_FIELDS:
            hint = did_you_mean(key, CONFIG_FIELDS)
            message = _("unknown setting `{key}`").format(key=key) + hint
            problems.append(Problem(rel, key_node.start_mark.line + 1, message))
            continue
        if key == "programs":
            program_node = value_node
            continue
        if key == "industries":
            industry_node = value_node
            continue
        if is_null(value_node):
            continue
        try:
            values[key] = CONFIG_FIELDS[key][0].parse(value_node)
        except FieldError as exc:
            failed.add(key)
            problems.append(Problem(rel, exc.line, f"{key}: {exc.message}"))
    for key, (_type, required) in CONFIG_FIELDS.items():
        if required and key not in values and key not in failed:
            problems.append(Problem(rel, 1, _("setting `{key}` is missing").format(key=key)))
    programs = _programs(program_node, rel, problems)
    industries = parse_vocabulary(industry_node, rel, problems)
    if problems:
        return None, problems
    return SiteConfig(
        title=values["title"],
        short_title=values.get("short_title", values["title"]),
        description=values["description"],
        base_url=values["base_url"],
        language=values.get("language", "zh-CN"),
        per_page=values.get("per_page", 12),
        organization=values.get("organization", {}),
        programs=programs,
        industries=industries,
        footer={key: values[key] for key in ("operator", "contact", "icp", "copyright") if key in values},
    ), []


def _programs(node: yaml.Node | None, rel: str, problems: list[Problem]) -> tuple[Program, ...]:
    if node is None or is_null(node):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(rel, node.start_mark.line + 1, _("programs: expected a list")))
        return ()
    programs: list[Program] = []
    for item in node.value:
        try:
            value = PROGRAM.parse(item)
            slug = value.get("slug") or slugify(value["name"])
            check_slug(slug, item)
        except FieldError as exc:
            problems.append(Problem(rel, exc.line, f"programs: {exc.message}"))
            continue
        if any(p.name == value["name"] or p.slug == slug for p in programs):
            message = _("programs: `{name}` ({slug}) is listed twice").format(name=value["name"], slug=slug)
            problems.append(Problem(rel, item.start_mark.line + 1, message))
            continue
        programs.append(Program(value["name"], slug))
    return tuple(programs)
