"""Display formats for Chinese readers: dates, date ranges, JSON-LD that is safe inside HTML."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from markupsafe import Markup


def date_zh(day: dt.date | None) -> str:
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def date_range_zh(start: dt.date, end: dt.date | None) -> str:
    """2016年7月28日—29日; 2016年7月30日—8月2日; 2016年12月31日—2017年1月1日."""
    if end is None or end == start:
        return date_zh(start)
    if end.year != start.year:
        tail = date_zh(end)
    elif end.month != start.month:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = f"{end.day}日"
    return f"{date_zh(start)}—{tail}"


def json_for_script(value: Any) -> Markup:
    """JSON that cannot close its <script> element or open a comment: <, >, & and the JS
    line separators are escaped as \\u sequences, which JSON parsers read back unchanged."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return Markup(text)
