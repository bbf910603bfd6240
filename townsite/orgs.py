"""Linking the enterprises and institutions (企业与机构) to the rest of the site: an event's
`organizers` may name an org by slug (or by its exact name) as well as in plain text; a program
page's `founders` and `supporters` make the program one of the org's programs."""

from __future__ import annotations

from .fields import SLUG_RE
from .i18n import _
from .model import Entry
from .problems import Problem, did_you_mean


def industries_of(entry: Entry) -> list[str]:
    """Every industry an entry is about: its own, and those of its needs and offers."""
    found = list(entry.data.get("industries") or [])
    for item in [*(entry.data.get("seeking") or []), *(entry.data.get("offers") or [])]:
        found.extend(i for i in item["industries"] if i not in found)
    return found


def link_orgs(everything: dict[tuple[str, str], Entry], published: dict[tuple[str, str], Entry]) -> list[Problem]:
    problems: list[Problem] = []
    by_name = {e.title: e for (kind, _slug), e in published.items() if kind == "org"}
    for entry in sorted(published.values(), key=lambda e: e.source):
        if entry.kind == "event" and entry.data.get("organizers"):
            problems += _organizers(entry, everything, published, by_name)
        if entry.kind == "page" and entry.data.get("program"):
            for org in [*(entry.data.get("founders") or []), *(entry.data.get("supporters") or [])]:
                if isinstance(org, Entry) and entry.program not in (org.data.get("programs") or []):
                    org.data["programs"] = [*(org.data.get("programs") or []), entry.program]
    return problems


def _organizers(
    event: Entry,
    everything: dict[tuple[str, str], Entry],
    published: dict[tuple[str, str], Entry],
    by_name: dict[str, Entry],
) -> list[Problem]:
    """Each organizer that is an org becomes its name and a link both ways; plain text stays."""
    problems: list[Problem] = []
    names: list[str] = []
    orgs: list[Entry] = []
    line = event.lines.get("organizers")
    for text in event.data["organizers"]:
        org = published.get(("org", text)) or by_name.get(text)
        if org is None and SLUG_RE.fullmatch(text):
            if ("org", text) in everything:
                message = _(
                    "organizers: `{slug}` is a draft; publish it (remove `draft: true`) or remove this reference"
                )
                problems.append(Problem(event.source, line, message.format(slug=text)))
            else:
                slugs = [slug for kind, slug in everything if kind == "org"]
                hint = did_you_mean(text, slugs) or _(
                    " (no org has this slug; see content/orgs/, or write the organizer's name in Chinese)"
                )
                problems.append(Problem(event.source, line, _("organizers: unknown org `{slug}`{hint}").format(
                    slug=text, hint=hint)))  # fmt: skip
            names.append(text)
            continue
        names.append(org.title if org else text)
        if org is not None and org not in orgs:
            orgs.append(org)
            org.backlinks.setdefault("event", []).append(event)
    event.data["organizers"] = names
    event.data["orgs"] = orgs
    return problems
