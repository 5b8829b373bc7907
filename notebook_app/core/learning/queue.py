"""What to review now: due terms, the next card, the counts of the day, a review session.

A term is due when its card's due time has come (learning steps, reviews, relearning), and
never while it is suspended or in the trash. Terms never reviewed are *new*: up to
``new_per_day`` of them are brought in a day, in the user's glossary order (the learner's
"decreasing order of high-levelness"), after the cards already due. The day starts at 04:00
local time, as Anki's does, so a late evening's reviews count for that evening.

:class:`ReviewSession` is what a review window drives: ``current`` (the front: the term and its
aliases; the back: the definition's markdown), ``rate``, ``undo``, ``counts``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from notebook_app.core.learning.cards import (
    CardState,
    LogEntry,
    Rating,
    ReviewCard,
    read_card,
    read_log,
    term_seq,
)
from notebook_app.core.model.entry import format_timestamp, parse_timestamp, utc_now

if TYPE_CHECKING:
    from notebook_app.core.learning.scheduling import ReviewResult
    from notebook_app.core.storage.notebook import Notebook

NEW_PER_DAY = 20
DAY_STARTS_AT_HOUR = 4
# The glossary order (search.sql's Sort.GLOSSARY).
_GLOSSARY_ORDER = "e.glossary_position IS NULL, e.glossary_position, e.title COLLATE NOCASE, e.seq"


@dataclasses.dataclass(frozen=True, slots=True)
class DueTerm:
    id: str
    title: str
    aliases: tuple[str, ...]
    state: CardState
    due: dt.datetime | None  # None: a new term, due as soon as it is brought in
    empty_definition: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "aliases": list(self.aliases),
            "state": self.state.value,
            "due": None if self.due is None else format_timestamp(self.due),
            "empty_definition": self.empty_definition,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class CardView:
    """One card as the review window shows it."""

    entry_id: str
    title: str
    aliases: tuple[str, ...]
    definition: str  # markdown, for the one renderer (MarkdownRenderer)
    state: CardState
    due: dt.datetime | None
    last_review: dt.datetime | None
    # Sent with the rating: a rating sent twice is stored once.
    token: str = dataclasses.field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def front(self) -> str:
        """The term, and the other names it goes by."""
        return f"{self.title} ({', '.join(self.aliases)})" if self.aliases else self.title

    @property
    def empty_definition(self) -> bool:
        """No definition yet: the back says so, and the term can still be rated."""
        return not self.definition.strip()


@dataclasses.dataclass(frozen=True, slots=True)
class DueCounts:
    due: int  # cards already reviewed whose time has come
    new: int  # new terms still to bring in today (within the daily limit)
    later_today: int  # reviewed cards that come due before the day ends
    new_waiting: int  # new terms in all (not suspended)
    suspended: int

    @property
    def total(self) -> int:
        """What a session would show now."""
        return self.due + self.new

    def to_json(self) -> dict[str, int]:
        return {
            "due": self.due,
            "new": self.new,
            "later_today": self.later_today,
            "new_waiting": self.new_waiting,
            "suspended": self.suspended,
        }


def _review_date(now: dt.datetime) -> dt.date:
    """The local date of the review day ``now`` falls in (before 04:00: the day before)."""
    local = now.astimezone()
    return local.date() - dt.timedelta(days=local.hour < DAY_STARTS_AT_HOUR)


def _at_day_start(date: dt.date) -> dt.datetime:
    # A naive time is read in the local zone with that date's own offset: on a night the
    # clocks change, 04:00 is not 04:00 at the offset of the moment asked about, and the day
    # is 23 or 25 hours long.
    return dt.datetime.combine(date, dt.time(DAY_STARTS_AT_HOUR)).astimezone(dt.UTC)


def day_start(now: dt.datetime) -> dt.datetime:
    """When the review day that ``now`` falls in began (04:00 local time), in UTC."""
    return _at_day_start(_review_date(now))


def day_end(now: dt.datetime) -> dt.datetime:
    """When the review day that ``now`` falls in ends (the next 04:00 local time), in UTC."""
    return _at_day_start(_review_date(now) + dt.timedelta(days=1))


def _now(now: dt.datetime | None) -> dt.datetime:
    return utc_now() if now is None else now.astimezone(dt.UTC)


def new_brought_in_today(notebook: Notebook, now: dt.datetime | None = None) -> int:
    row = notebook.conn.execute(
        "SELECT count(DISTINCT entry) FROM review_log WHERE state_before = 'new' AND reviewed >= ?",
        [format_timestamp(day_start(_now(now)))],
    ).fetchone()
    return int(row[0])


# A definition of only spaces and line ends is empty (SQL's trim() alone trims spaces).
_EMPTY = "trim(e.body, char(32, 9, 10, 13)) = ''"
_DUE_SQL = (
    f"SELECT e.id, e.title, e.aliases, r.state, r.due, {_EMPTY} FROM review_cards r "
    "JOIN entries e ON e.seq = r.entry WHERE r.suspended = 0 AND r.state != 'new' "
    "AND r.due <= ? AND e.trashed IS NULL AND e.kind = 'term' {skip} ORDER BY r.due LIMIT ?"
)
_NEW_SQL = (
    f"SELECT e.id, e.title, e.aliases, 'new', NULL, {_EMPTY} FROM entries e "
    "LEFT JOIN review_cards r ON r.entry = e.seq WHERE e.kind = 'term' AND e.trashed IS NULL "
    "AND (r.entry IS NULL OR (r.state = 'new' AND r.suspended = 0)) {skip} "
    f"ORDER BY {_GLOSSARY_ORDER} LIMIT ?"
)


def _due_term(row: tuple[object, ...]) -> DueTerm:
    entry_id, title, aliases, state, due, empty = row
    return DueTerm(
        id=str(entry_id),
        title=str(title),
        aliases=tuple(json.loads(str(aliases))),
        state=CardState(str(state)),
        due=None if due is None else parse_timestamp(str(due)),
        empty_definition=bool(empty),
    )


def due_terms(
    notebook: Notebook,
    now: dt.datetime | None = None,
    limit: int = 50,
    *,
    new_per_day: int = NEW_PER_DAY,
    skip: tuple[str, ...] = (),
) -> list[DueTerm]:
    """The terms to review now, in the order to show them: due cards (earliest first), then
    today's new terms in glossary order. ``skip``: ids to leave out (the card on screen)."""
    moment = _now(now)
    skip_sql = f"AND e.id NOT IN ({', '.join('?' * len(skip))})" if skip else ""
    rows = notebook.conn.execute(
        _DUE_SQL.format(skip=skip_sql), [format_timestamp(moment), *skip, limit]
    ).fetchall()
    due = [_due_term(row) for row in rows]
    room = min(limit - len(due), max(0, new_per_day - new_brought_in_today(notebook, moment)))
    if room > 0:
        rows = notebook.conn.execute(_NEW_SQL.format(skip=skip_sql), [*skip, room]).fetchall()
        due += [_due_term(row) for row in rows]
    return due


def due_counts(
    notebook: Notebook, now: dt.datetime | None = None, *, new_per_day: int = NEW_PER_DAY
) -> DueCounts:
    """How many terms are due now, new today, due later today, waiting, suspended."""
    moment = _now(now)
    conn = notebook.conn
    live = "JOIN entries e ON e.seq = r.entry AND e.trashed IS NULL AND e.kind = 'term'"
    due = conn.execute(
        f"SELECT count(*) FROM review_cards r {live} WHERE r.suspended = 0 "
        "AND r.state != 'new' AND r.due <= ?",
        [format_timestamp(moment)],
    ).fetchone()[0]
    end_of_day = day_end(moment)
    later = conn.execute(
        f"SELECT count(*) FROM review_cards r {live} WHERE r.suspended = 0 "
        "AND r.state != 'new' AND r.due > ? AND r.due < ?",
        [format_timestamp(moment), format_timestamp(end_of_day)],
    ).fetchone()[0]
    waiting = conn.execute(
        "SELECT count(*) FROM entries e LEFT JOIN review_cards r ON r.entry = e.seq "
        "WHERE e.kind = 'term' AND e.trashed IS NULL "
        "AND (r.entry IS NULL OR (r.state = 'new' AND r.suspended = 0))"
    ).fetchone()[0]
    suspended = conn.execute(
        f"SELECT count(*) FROM review_cards r {live} WHERE r.suspended = 1"
    ).fetchone()[0]
    room = max(0, new_per_day - new_brought_in_today(notebook, moment))
    return DueCounts(due, min(waiting, room), later, waiting, suspended)


def card_and_log(notebook: Notebook, entry_id: str) -> tuple[ReviewCard, list[LogEntry]]:
    """A term's card as stored, and its review log (``review-log`` and ``suspend`` show them)."""
    seq = term_seq(notebook.conn, entry_id)
    return read_card(notebook.conn, seq), read_log(notebook.conn, seq)


def card_view(notebook: Notebook, entry_id: str) -> CardView:
    """The card of one term (due or not: a window may show any term)."""
    seq = term_seq(notebook.conn, entry_id)
    entry = notebook.get(entry_id)
    card = read_card(notebook.conn, seq)
    return CardView(
        entry_id=entry.id,
        title=entry.title,
        aliases=tuple(entry.aliases),
        definition=entry.body,
        state=card.state,
        due=card.due,
        last_review=card.last_review,
    )


def next_card(
    notebook: Notebook,
    now: dt.datetime | None = None,
    *,
    new_per_day: int = NEW_PER_DAY,
    skip: tuple[str, ...] = (),
) -> CardView | None:
    """The next card to show, or None when nothing is due."""
    found = due_terms(notebook, now, 1, new_per_day=new_per_day, skip=skip)
    return card_view(notebook, found[0].id) if found else None


class ReviewSession:
    """One sitting of reviews, for a review window (no Qt here; run it on the write lane).

    ``clock`` gives the time (injectable for tests). ``current`` is the card on screen;
    ``rate`` records the answer to it (once, even if called again for it) and moves on.
    """

    def __init__(
        self,
        notebook: Notebook,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        new_per_day: int = NEW_PER_DAY,
    ) -> None:
        self.notebook = notebook
        self.clock = clock
        self.new_per_day = new_per_day
        self.reviewed: list[str] = []  # entry ids rated in this session, in order
        self.current: CardView | None = None
        self.advance()

    def advance(self) -> CardView | None:
        self.current = next_card(self.notebook, self.clock(), new_per_day=self.new_per_day)
        return self.current

    def rate(self, rating: Rating | int | str) -> ReviewResult:
        """Record the answer to the current card and show the next one."""
        from notebook_app.core.learning.scheduling import review_term

        card = self.current
        if card is None:
            raise LookupError("no card is being shown")
        result = review_term(self.notebook, card.entry_id, rating, self.clock(), token=card.token)
        self.reviewed.append(card.entry_id)
        self.advance()
        return result

    def undo(self) -> CardView | None:
        """Take back the session's last rating and show that card again."""
        from notebook_app.core.learning.scheduling import undo_last_review

        if not self.reviewed:
            return None
        entry_id = self.reviewed.pop()
        undo_last_review(self.notebook, entry_id)
        self.current = card_view(self.notebook, entry_id)
        return self.current

    def counts(self) -> DueCounts:
        return due_counts(self.notebook, self.clock(), new_per_day=self.new_per_day)
