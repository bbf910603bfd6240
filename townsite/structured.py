"""schema.org JSON-LD for a page: Place for towns and parks, Event for events, Organization and
WebSite for the home page and the organization's own page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .config import SiteConfig
from .contact import contact_point
from .model import Entry


def _address(entry: Entry) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressCountry": "CN"}
    if entry.province:
        address["addressRegion"] = entry.province
    if entry.city or entry.county:
        address["addressLocality"] = "".join(x for x in (entry.city, entry.county) if x)
    return address


def _place(entry: Entry, abs_url: Callable[[str], str]) -> dict[str, Any]:
    place: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": entry.title,
        "description": entry.summary,
        "url": abs_url(entry.url),
        "address": _address(entry),
    }
    if entry.contact and entry.contact.get("phone"):
        place["telephone"] = entry.contact["phone"][0].tel.split(";")[0]
    if entry.coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            **{"latitude": entry.coordinates["lat"], "longitude": entry.coordinates["lon"]},
        }
    return place


def _event(entry: Entry, abs_url: Callable[[str], str]) -> dict[str, Any]:
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": entry.title,
        "description": entry.summary,
        "url": abs_url(entry.url),
        "startDate": entry.date.isoformat(),
        "endDate": (entry.end or entry.date).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    if entry.venue or entry.city or entry.province:
        event["location"] = {
            "@type": "Place",
            "name": entry.venue or entry.city or entry.province,
            "address": _address(entry),
        }
    if entry.organizers:
        orgs = {o.title: abs_url(o.url) for o in entry.data.get("orgs") or []}  # organizers with a page
        event["organizer"] = [
            {"@type": "Organization", "name": name, **({"url": orgs[name]} if name in orgs else {})}
            for name in entry.organizers
        ]
    return event


def _organization(config: SiteConfig, abs_url: Callable[[str], str]) -> dict[str, Any] | None:
    org = config.organization
    if not org:
        return None
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": org["name"]}
    data["url"] = abs_url(f"/{org['page']}/") if org.get("page") else config.base_url
    return data


def _org(entry: Entry, abs_url: Callable[[str], str]) -> dict[str, Any]:
    """An org page: schema.org Organization, with its ContactPoint when it gives a contact."""
    org: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": entry.title,
        "description": entry.summary,
        "url": abs_url(entry.url),
    }
    if entry.website:
        org["sameAs"] = [entry.website]
    if entry.province or entry.country:
        org["address"] = {"@type": "PostalAddress", "addressRegion": entry.province or entry.country}
    if entry.contact:
        org["contactPoint"] = [contact_point(entry.contact, entry.title)]
    return org


def structured_data(page: dict[str, Any], config: SiteConfig, abs_url: Callable[[str], str]) -> list[dict[str, Any]]:
    if page.get("jsonld"):  # a page that states its own (the open-data catalog)
        return list(page["jsonld"])
    entry: Entry | None = page.get("entry")
    if page["kind"] == "home":
        website = {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": config.title,
            "url": config.base_url,
            "inLanguage": config.language,
        }
        org = _organization(config, abs_url)
        return [website, org] if org else [website]
    if entry is None:
        return []
    if entry.kind in ("town", "park"):
        return [_place(entry, abs_url)]
    if entry.kind == "event":
        return [_event(entry, abs_url)]
    if entry.kind == "org":
        return [_org(entry, abs_url)]
    if entry.kind == "page" and config.organization.get("page") == entry.slug:
        org = _organization(config, abs_url)
        return [{**org, "description": entry.summary or config.description}] if org else []
    return []
