"""Stage 2, validate: check every document against its kind's schema and build typed entries.
Every problem in every file is collected; nothing stops at the first one."""

from __future__ import annotations

import hashlib

from .config import SiteConfig
from .fields import PLACEHOLDER, FieldError, check_slug, is_null, scalar_text
from .i18n import _, kind_name
from .limits import body_problems
from .load import SourceDoc
from .model import Entry
from .problems import Problem, did_you_mean
from .schema import Kind, kinds
from .slips import key_hint
from .slugs import slugify

# (path, digest, programs) -> a validated entry, kept by `serve` between rebuilds
ValidateCache = dict[tuple[str, str, tuple[str, ...], tuple], tuple["Entry | None", list[Problem]]]


def validate(
    docs: list[SourceDoc], config: SiteConfig, cache: ValidateCache | None = None
) -> tuple[list[Entry], list[Problem]]:
    schemas = kinds(config.program_names, config.industries)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for doc in docs:
        if cache is None:
            entry, found = validate_doc(doc, schemas[doc.kind])
        else:
            key = (doc.path, doc.digest, tuple(config.program_names), config.industries)
            if key not in cache:
                cache[key] = validate_doc(doc, schemas[doc.kind])
            pristine, found = cache[key]
            entry = pristine.fresh() if pristine else None
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def validate_doc(doc: SourceDoc, kind: Kind) -> tuple[Entry | None, list[Problem]]:
    problems: list[Problem] = []
    data: dict = {}
    lines: dict[str, int] = {}
    failed: set[str] = set()  # fields whose value was reported
    for key_node, value_node in doc.front.value:
        line = key_node.start_mark.line + 1
        try:
            key = scalar_text(key_node, _("a field name"))
        except FieldError as exc:
            problems.append(Problem(doc.path, exc.line, exc.message))
            continue
        field = kind.fields.get(key)
        if field is None:
            hint = key_hint(key, kind.fields)
            hint = _(" ({hint})").format(hint=hint) if hint else did_you_mean(key, kind.fields)
            hint = hint or _(" (a {kind} has: {fields})").format(
                kind=kind_name(kind.name), fields=", ".join(kind.fields))  # fmt: skip
            problems.append(Problem(doc.path, line, _("unknown field `{name}`").format(name=key) + hint))
            continue
        lines[key] = line
        if is_null(value_node):
            continue  # an empty optional field is absent; a required one is reported below
        try:
            data[key] = field.type.parse(value_node)
        except FieldError as exc:
            failed.add(key)
            problems.append(Problem(doc.path, exc.line or line, f"{key}: {exc.message}"))
    for key, field in kind.fields.items():
        if field.required and key not in data and key not in failed:
            example = _example(kind, key)
            if key in lines:
                message = _("required field `{name}` ({label}) is empty (line {line}): add {example}")
            else:
                message = _("required field `{name}` ({label}) is missing: add {example}")
            message = message.format(name=key, label=field.label, line=lines.get(key), example=example)
            problems.append(Problem(doc.path, lines.get(key, 1), message))
    _check_dates(doc, data, lines, problems)
    if PLACEHOLDER in doc.body:
        offset = next(i for i, text in enumerate(doc.body.split("\n")) if PLACEHOLDER in text)
        message = _("the body still has the placeholder `{placeholder}`: write the text")
        problems.append(Problem(doc.path, doc.body_line + offset, message.format(placeholder=PLACEHOLDER)))
    # Checked before Markdown ever sees the body: what would make it hang or crash is refused.
    problems += [Problem(doc.path, doc.body_line + p.line, p.message) for p in body_problems(doc.body)]
    slug = _slug(doc, kind, data, lines, problems)
    if not slug:
        return None, problems
    # An entry with problems is still returned, so the link stage knows its slug and does not
    # report references to it as unknown; the pipeline stops before rendering anyway.
    front = hashlib.sha256(repr((kind.name, slug, sorted(data.items()))).encode()).hexdigest()
    entry = Entry(kind.name, slug, doc.path, doc.digest, data, lines, doc.body, doc.body_line, front_digest=front)
    return entry, problems


def _example(kind: Kind, key: str) -> str:
    examples = {
        "province": "`province: 宁夏`",
        "date": "`date: 2016-06-26`",
        "industries": "`industries: [玫瑰种植, 文化旅游]`",
        "summary": "`summary: 一句话介绍`",
    }
    expected = kind.fields[key].type.expected
    return examples.get(key) or _("`{name}: ...` ({expected})").format(name=key, expected=expected)


def _check_dates(doc: SourceDoc, data: dict, lines: dict[str, int], problems: list[Problem]) -> None:
    start, end = data.get("date"), data.get("end")
    if start and end and end < start:
        message = _("end: {end} is before the start date {start}").format(end=end.isoformat(), start=start.isoformat())
        problems.append(Problem(doc.path, lines["end"], message))
    if start and end and end == start:
        message = _("end: equals the start date; delete `end` for a one-day event")
        problems.append(Problem(doc.path, lines["end"], message))


def _slug(doc: SourceDoc, kind: Kind, data: dict, lines: dict[str, int], problems: list[Problem]) -> str:
    if "slug" in data:
        return data["slug"]
    title = data.get(kind.title_field)
    if not title:
        return ""
    slug = slugify(title)
    try:
        check_slug(slug)
    except FieldError:
        message = _("cannot make a slug from `{title}`; add a `slug:` line, e.g. `slug: my-town`")
        problems.append(Problem(doc.path, lines.get(kind.title_field, 1), message.format(title=title)))
    return slug
