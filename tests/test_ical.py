"""ical.py writes content lines byte for byte as the icalendar library does: text made to be
escaped and folded at every place a fold can fall (escapes, 1- to 4-octet characters)."""

from __future__ import annotations

import datetime as dt
import random

import icalendar
import pytest

from townsite import ical

# Characters of every UTF-8 length, and what TEXT escapes or a fold must keep together.
ALPHABET = ["a", "Z", "7", " ", "é", "中", "会", "𠀀", "\\", "^", ";", ",", "\n", "\r", "\r\n", "\\N", ":", '"',
            "\t", "\x85", "\u2028", "\ufeff"]  # fmt: skip


def icalendar_lines(name: str, value: object) -> bytes:
    event = icalendar.Event()
    event.add(name, value)
    return event.to_ical()


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 5, 30, 70, 74, 75, 76, 200])))


@pytest.mark.parametrize("seed", range(4))
def test_text_lines_are_icalendars_bytes(seed):
    rng = random.Random(seed)
    for _ in range(500):
        value = random_text(rng)
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "UID"):
            ours = ical.component("VEVENT", [ical.line(name, ical.text(value))])
            assert ours == icalendar_lines(name, value), (name, value)


def test_a_fold_falls_before_the_character_that_would_reach_75_octets():
    for prefix in range(60, 80):  # every alignment of a 3- and a 4-octet character at the limit
        for char in ("中", "𠀀", "é", "\\\\", ",", "^"):
            value = "x" * prefix + char * 5
            assert ical.component("VEVENT", [ical.line("SUMMARY", ical.text(value))]) == icalendar_lines(
                "SUMMARY", value
            )


def test_a_leading_byte_order_mark_is_dropped_as_icalendar_drops_it():
    for value in ("\ufeff会议", "\ufeff\ufeff会议", "会\ufeff议", "\ufeff" + "长" * 40):
        assert ical.component("VEVENT", [ical.line("SUMMARY", ical.text(value))]) == icalendar_lines("SUMMARY", value)


def test_years_before_1000_keep_four_digits():
    day, stamp = dt.date(999, 1, 2), dt.datetime(33, 4, 5, 6, 7, 8, tzinfo=dt.UTC)
    assert ical.component("VEVENT", [ical.line("DTSTART;VALUE=DATE", ical.date(day))]) == icalendar_lines(
        "DTSTART", day
    )
    assert ical.component("VEVENT", [ical.line("DTSTAMP", ical.utc(stamp))]) == icalendar_lines("DTSTAMP", stamp)


def test_a_line_break_outside_escaped_text_is_refused():
    with pytest.raises(ValueError):
        ical.line("URL", "https://example.org/a\r\nX-EVIL:1")


def test_dates_uris_and_categories_are_icalendars_bytes():
    day = dt.date(2026, 3, 9)
    stamp = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    url = "https://example.org/events/论坛;a,b/?q=1"
    assert ical.component("VEVENT", [ical.line("DTSTART;VALUE=DATE", ical.date(day))]) == icalendar_lines(
        "DTSTART", day
    )
    assert ical.component("VEVENT", [ical.line("DTSTAMP", ical.utc(stamp))]) == icalendar_lines("DTSTAMP", stamp)
    assert ical.component("VEVENT", [ical.line("URL", url)]) == icalendar_lines("URL", url)
    assert ical.component("VEVENT", [ical.line("CATEGORIES", ical.text("论坛,峰会"))]) == icalendar_lines(
        "CATEGORIES", ["论坛,峰会"]
    )
