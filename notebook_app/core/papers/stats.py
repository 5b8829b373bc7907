"""Reading statistics: what the reading activity chart and ``notebook-app stats`` show.

A *read* is a live note (not trashed) whose reading status is not "to-read", counted on its day
(the day read, else the day it was written). The window is the last ``weeks`` ISO weeks up to
``until`` (today by default): reads per week stacked by source type, reads per day for the
calendar heatmap. One ``GROUP BY`` over the partial index ``entries_reads_by_day`` (migration
0004) gives both without reading a row; the weeks are summed in Python from the (day, type)
rows, a few thousand at most.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import NotebookError
from notebook_app.core.model.entry import SourceType

if TYPE_CHECKING:
    from notebook_app.core.model.listing import EntrySummary
    from notebook_app.core.storage.notebook import Notebook

UNTYPED = "none"  # the stack of notes without a source type
TYPE_ORDER: tuple[str, ...] = (*(t.value for t in SourceType), UNTYPED)
"""The order of the stacks (bottom up) and of the legend."""

# A read: a live note not waiting to be read, on its day (see the module's docstring). The
# first three terms are the partial index's WHERE, word for word (SQLite uses a partial index
# only for a query that repeats its terms).
_READS = (
    "kind = 'note' AND trashed IS NULL AND coalesce(reading_status, '') <> 'to-read' "
    "AND day >= :first AND day <= :last"
)
_COUNT_SQL = (
    f"SELECT day, coalesce(source_type, '{UNTYPED}'), count(*) "
    # Named: without statistics the planner would take the kind index and read every row.
    "FROM entries INDEXED BY entries_reads_by_day "
    f"WHERE {_READS} GROUP BY day, source_type"
)
_DAY_SQL = (
    f"SELECT seq FROM entries INDEXED BY entries_reads_by_day WHERE {_READS} ORDER BY created, seq"
)


@dataclasses.dataclass(frozen=True, slots=True)
class WeekReads:
    """One ISO week: the Monday it starts on and its reads by source type (only types > 0)."""

    start: dt.date
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())

    @property
    def label(self) -> str:
        """ISO week as ``2024-W37``."""
        year, week, _day = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclasses.dataclass(frozen=True, slots=True)
class ReadingStats:
    """The reads of a window of weeks: per week by type, per day, and the totals."""

    first: dt.date  # the Monday the window starts on
    last: dt.date  # its last day (``until``)
    weeks: tuple[WeekReads, ...]  # every week of the window, oldest first, empty ones included
    days: dict[dt.date, int]  # the days with reads (a day missing had none)
    by_type: dict[str, int]  # the window's reads per source type (types with reads, in TYPE_ORDER)

    @property
    def total(self) -> int:
        return sum(self.days.values())

    @property
    def types(self) -> tuple[str, ...]:
        """The source types with reads in the window, in the stacks' order."""
        return tuple(self.by_type)

    @property
    def busiest_week(self) -> int:
        """The most reads in one week (the chart's scale)."""
        return max((week.total for week in self.weeks), default=0)

    def to_json(self) -> dict[str, Any]:
        """What ``stats --json`` prints: the keys of :data:`STATS_JSON_KEYS`."""
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "total": self.total,
            "types": list(self.types),
            "by_type": dict(self.by_type),
            "weeks": [
                {
                    "week": w.label,
                    "start": w.start.isoformat(),
                    "total": w.total,
                    "by_type": dict(w.by_type),
                }
                for w in self.weeks
            ],  # fmt: skip
            "days": {day.isoformat(): count for day, count in sorted(self.days.items())},
        }


STATS_JSON_KEYS = ("first", "last", "total", "types", "by_type", "weeks", "days")
WEEK_JSON_KEYS = ("week", "start", "total", "by_type")


def _ordered(counts: Counter[str]) -> dict[str, int]:
    return {name: counts[name] for name in TYPE_ORDER if counts[name]}


def window(until: dt.date | None = None, weeks: int = 53) -> tuple[dt.date, dt.date]:
    """The first (a Monday) and last day of the ``weeks`` ISO weeks ending with ``until``."""
    last = until or dt.date.today()
    try:
        first = last - dt.timedelta(days=last.weekday()) - dt.timedelta(weeks=weeks - 1)
    except OverflowError:  # a bad pair of values (--until 0001-01-01), not a broken notebook
        raise NotebookError(
            f"{weeks} weeks up to {last} would begin before the calendar's first day"
        ) from None
    return first, last


def reading_stats(
    notebook: Notebook, *, until: dt.date | None = None, weeks: int = 53
) -> ReadingStats:
    """The reads of the ``weeks`` weeks ending with ``until`` (53: a year and the current week)."""
    if weeks < 1:
        raise ValueError("the window needs at least one week")
    first, last = window(until, weeks)
    rows = notebook.conn.execute(
        _COUNT_SQL, {"first": first.isoformat(), "last": last.isoformat()}
    ).fetchall()
    days: Counter[dt.date] = Counter()
    per_week: dict[dt.date, Counter[str]] = {
        first + dt.timedelta(weeks=i): Counter() for i in range(weeks)
    }
    totals: Counter[str] = Counter()
    for day_text, source_type, count in rows:
        day = dt.date.fromisoformat(day_text)
        days[day] += count
        per_week[day - dt.timedelta(days=day.weekday())][source_type] += count
        totals[source_type] += count
    return ReadingStats(
        first=first,
        last=last,
        weeks=tuple(WeekReads(start, _ordered(counts)) for start, counts in per_week.items()),
        days=dict(sorted(days.items())),
        by_type=_ordered(totals),
    )


def reads_on(notebook: Notebook, day: dt.date, last: dt.date | None = None) -> list[EntrySummary]:
    """The reads of ``day`` (through ``last``, for a week), in the order they were written:
    what hovering a day of the chart shows and what clicking it filters the list to."""
    seqs = [
        seq
        for (seq,) in notebook.conn.execute(
            _DAY_SQL, {"first": day.isoformat(), "last": (last or day).isoformat()}
        )
    ]
    return notebook.summaries(seqs)


def last_read_day(notebook: Notebook) -> dt.date | None:
    """The latest day with a read (the chart opens on the year that ends there when the last
    twelve months are empty), or None when nothing was read. The index's own order gives it."""
    row = notebook.conn.execute(
        f"SELECT max(day) FROM entries INDEXED BY entries_reads_by_day WHERE {_READS}",
        {"first": "0000-01-01", "last": "9999-12-31"},
    ).fetchone()
    return dt.date.fromisoformat(row[0]) if row and row[0] else None


def read_years(notebook: Notebook) -> list[int]:
    """The years with reads, latest first (the chart's choice of year)."""
    rows = notebook.conn.execute(
        f"SELECT DISTINCT substr(day, 1, 4) FROM entries INDEXED BY entries_reads_by_day "
        f"WHERE {_READS} ORDER BY 1 DESC",
        {"first": "0000-01-01", "last": "9999-12-31"},
    ).fetchall()
    return [int(year) for (year,) in rows if str(year).isdigit()]


_LATEST_SQL = (
    f"SELECT seq FROM entries INDEXED BY entries_reads_by_day WHERE {_READS} "
    "ORDER BY day DESC, created DESC, seq DESC LIMIT :limit"
)


def latest_reads(
    notebook: Notebook, first: dt.date, last: dt.date, limit: int = 1_000
) -> list[EntrySummary]:
    """The reads from ``first`` to ``last``, the latest day first, at most ``limit`` (the
    timeline: a year of a large notebook holds more reads than a list can show)."""
    seqs = [
        seq
        for (seq,) in notebook.conn.execute(
            _LATEST_SQL, {"first": first.isoformat(), "last": last.isoformat(), "limit": limit}
        )
    ]
    return notebook.summaries(seqs)
