"""The date a build treats as today."""

from __future__ import annotations

import datetime as dt
import os


def build_date(today: dt.date | None = None) -> dt.date:
    """The date the build treats as today: explicit, else SOURCE_DATE_EPOCH (reproducible
    builds), else the clock."""
    if today:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
