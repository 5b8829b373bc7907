"""Periods of days for a list grouped by day read: the day, its ISO week or its month, and the
header a group shows (the Reading Activity timeline and the entry list sorted by day)."""

from __future__ import annotations

import datetime as dt

GROUPINGS = ("Day", "Week", "Month")


def group_start(day: dt.date, grouping: str) -> dt.date:
    """The first day of the group ``day`` falls in."""
    if grouping == "Week":
        return day - dt.timedelta(days=day.weekday())
    if grouping == "Month":
        return day.replace(day=1)
    return day


def group_header(start: dt.date, grouping: str) -> str:
    if grouping == "Week":
        year, week, _ = start.isocalendar()
        end = start + dt.timedelta(days=6)
        return f"Week {week}, {year} ({start:%d %b} – {end:%d %b})"
    if grouping == "Month":
        return f"{start:%B %Y}"
    return f"{start:%A %d %B %Y}"
