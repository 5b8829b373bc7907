"""A glossary term's review card and review log, as the notebook stores them.

A term that was never rated has no row: it is a *new* card. The states after that are FSRS's
(learning, review, relearning). Times are stored as fixed-width ISO 8601 UTC text, so they
compare as text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sqlite3
from typing import Any

from notebook_app.core.errors import EntryNotFoundError, InvalidEntryError
from notebook_app.core.model.entry import format_timestamp, parse_timestamp


class CardState(enum.StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Rating(enum.IntEnum):
    """The four answers, numbered as the keys that give them (and as FSRS and Anki do)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @classmethod
    def parse(cls, value: int | str) -> Rating:
        text = str(value).strip().lower()
        for rating in cls:
            if text in (str(rating.value), rating.name.lower()):
                return rating
        raise InvalidEntryError(f"unknown rating {value!r} (1 again, 2 hard, 3 good, 4 easy)")


@dataclasses.dataclass(slots=True)
class ReviewCard:
    """The review state of one term."""

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: dt.datetime | None = None
    last_review: dt.datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    status_manual: bool | None = None
    auto_status: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": _text(self.due),
            "last_review": _text(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "status_manual": self.status_manual,
            "auto_status": self.auto_status,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReviewCard:
        return cls(
            state=CardState(data["state"]),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=_moment(data.get("due")),
            last_review=_moment(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            status_manual=data.get("status_manual"),
            auto_status=data.get("auto_status"),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class LogEntry:
    """One rating as the log keeps it."""

    reviewed: dt.datetime  # the clock's time when it was given (even if it went backwards)
    rating: Rating
    state_before: CardState
    state_after: CardState
    interval_seconds: float  # from the time the schedule used to the next due time
    due: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "reviewed": format_timestamp(self.reviewed),
            "rating": self.rating.name.lower(),
            "state_before": self.state_before.value,
            "state_after": self.state_after.value,
            "interval_days": round(self.interval_seconds / 86400, 4),
            "due": format_timestamp(self.due),
        }


def _text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def _moment(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_timestamp(text)


_CARD_COLUMNS = (
    "state, step, stability, difficulty, due, last_review, reps, lapses, suspended, "
    "status_manual, auto_status"
)


def term_seq(conn: sqlite3.Connection, entry_id: str) -> int:
    """The row key of the term ``entry_id``; refuses other kinds and missing entries."""
    row = conn.execute("SELECT seq, kind FROM entries WHERE id = ?", [entry_id]).fetchone()
    if row is None:
        raise EntryNotFoundError(f"no entry with id {entry_id}")
    if row[1] != "term":
        raise InvalidEntryError(f"entry {entry_id} is a {row[1]}; only glossary terms are reviewed")
    return int(row[0])


def _card_from_row(row: tuple[Any, ...]) -> ReviewCard:
    (state, step, stability, difficulty, due, last, reps, lapses, suspended, manual, auto) = row
    return ReviewCard(
        state=CardState(state),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=_moment(due),
        last_review=_moment(last),
        reps=reps,
        lapses=lapses,
        suspended=bool(suspended),
        status_manual=None if manual is None else bool(manual),
        auto_status=auto,
    )


def read_card(conn: sqlite3.Connection, seq: int) -> ReviewCard:
    row = conn.execute(
        f"SELECT {_CARD_COLUMNS} FROM review_cards WHERE entry = ?", [seq]
    ).fetchone()
    return ReviewCard() if row is None else _card_from_row(row)


def read_cards(conn: sqlite3.Connection) -> dict[str, ReviewCard]:
    """Every stored card, by entry id (for an export)."""
    rows = conn.execute(
        f"SELECT e.id, {', '.join('r.' + c.strip() for c in _CARD_COLUMNS.split(','))} "
        "FROM review_cards r JOIN entries e ON e.seq = r.entry"
    )
    return {row[0]: _card_from_row(row[1:]) for row in rows}


def write_card(conn: sqlite3.Connection, seq: int, card: ReviewCard) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO review_cards (entry, {_CARD_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            seq,
            card.state.value,
            card.step,
            card.stability,
            card.difficulty,
            _text(card.due),
            _text(card.last_review),
            card.reps,
            card.lapses,
            int(card.suspended),
            None if card.status_manual is None else int(card.status_manual),
            card.auto_status,
        ],
    )


def append_log(
    conn: sqlite3.Connection,
    seq: int,
    entry: LogEntry,
    *,
    card_before: dict[str, Any] | None = None,
    token: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO review_log (entry, reviewed, rating, state_before, state_after, "
        "interval_seconds, due, card_before, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            seq,
            format_timestamp(entry.reviewed),
            int(entry.rating),
            entry.state_before.value,
            entry.state_after.value,
            entry.interval_seconds,
            format_timestamp(entry.due),
            None if card_before is None else json.dumps(card_before),
            token,
        ],
    )


def read_log(conn: sqlite3.Connection, seq: int) -> list[LogEntry]:
    """A term's ratings, oldest first."""
    rows = conn.execute(
        "SELECT reviewed, rating, state_before, state_after, interval_seconds, due "
        "FROM review_log WHERE entry = ? ORDER BY id",
        [seq],
    )
    return [
        LogEntry(
            reviewed=parse_timestamp(reviewed),
            rating=Rating(rating),
            state_before=CardState(before),
            state_after=CardState(after),
            interval_seconds=interval,
            due=parse_timestamp(due),
        )
        for reviewed, rating, before, after, interval, due in rows
    ]


def read_logs(conn: sqlite3.Connection) -> dict[str, list[LogEntry]]:
    """Every term's log, by entry id (for an export)."""
    logs: dict[str, list[LogEntry]] = {}
    rows = conn.execute(
        "SELECT e.id, l.reviewed, l.rating, l.state_before, l.state_after, l.interval_seconds, "
        "l.due FROM review_log l JOIN entries e ON e.seq = l.entry ORDER BY l.id"
    )
    for entry_id, reviewed, rating, before, after, interval, due in rows:
        logs.setdefault(entry_id, []).append(
            LogEntry(
                parse_timestamp(reviewed),
                Rating(rating),
                CardState(before),
                CardState(after),
                interval,
                parse_timestamp(due),
            )  # fmt: skip
        )
    return logs
