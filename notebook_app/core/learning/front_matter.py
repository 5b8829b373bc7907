"""A term's review card and log in its exported file's front matter, and back on import.

Flat keys beside the entry's own (lists of text only, which Obsidian's properties and our fast
front matter reader both take)::

    review_state: review
    review_due: '2026-12-01T10:00:00.000000Z'
    review_last: '2026-11-20T10:00:00.000000Z'
    review_stability: 11.4
    review_difficulty: 5.2
    review_reps: 3
    review_lapses: 0
    review_flags:
    - suspended
    - status-by-hand
    review_log:
    - 2026-11-20T10:00:00.000000Z good learning>review 950400s 2026-12-01T10:00:00.000000Z

A log line is the time the rating was given, the rating, the card's state before and after, the
interval in seconds and the due time it set. On import the newer card wins (by last review) and
the logs are merged, each rating once; a file without these keys leaves the review state alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import ImportProblem, NotebookError
from notebook_app.core.learning.cards import (
    CardState,
    LogEntry,
    Rating,
    ReviewCard,
    append_log,
    read_card,
    read_cards,
    read_log,
    read_logs,
    write_card,
)
from notebook_app.core.model.entry import Entry, Kind, format_timestamp, parse_timestamp

if TYPE_CHECKING:
    from notebook_app.core.storage.notebook import Notebook

PREFIX = "review_"
_FLAGS = {"suspended", "status-by-hand", "status-follows-review"}


@dataclasses.dataclass(slots=True)
class ImportedReview:
    card: ReviewCard | None
    log: list[LogEntry]


def _log_line(item: LogEntry) -> str:
    return (
        f"{format_timestamp(item.reviewed)} {item.rating.name.lower()} "
        f"{item.state_before.value}>{item.state_after.value} "
        f"{round(item.interval_seconds)}s {format_timestamp(item.due)}"
    )


def review_keys(card: ReviewCard | None, log: list[LogEntry]) -> dict[str, Any]:
    """The front matter keys for a term's card and log (none for a term never touched)."""
    data: dict[str, Any] = {}
    if card is not None:
        data["review_state"] = card.state.value
        if card.step is not None:
            data["review_step"] = card.step
        for key, value in (("review_stability", card.stability),
                           ("review_difficulty", card.difficulty)):  # fmt: skip
            if value is not None:
                data[key] = float(value)
        if card.due is not None:
            data["review_due"] = format_timestamp(card.due)
        if card.last_review is not None:
            data["review_last"] = format_timestamp(card.last_review)
        data["review_reps"] = card.reps
        data["review_lapses"] = card.lapses
        flags = ["suspended"] if card.suspended else []
        if card.status_manual is not None:
            flags.append("status-by-hand" if card.status_manual else "status-follows-review")
        if flags:
            data["review_flags"] = flags
        if card.auto_status is not None:
            data["review_status_given"] = card.auto_status
    if log:
        data["review_log"] = [_log_line(item) for item in log]
    return data


def review_front_matter(notebook: Notebook) -> Callable[[Entry], Mapping[str, Any]]:
    """For an export: each term's review keys (read from the notebook once, on first use)."""
    loaded: dict[str, Any] = {}

    def keys(entry: Entry) -> Mapping[str, Any]:
        if entry.kind is not Kind.TERM:
            return {}
        if not loaded:
            loaded["cards"] = read_cards(notebook.conn)
            loaded["logs"] = read_logs(notebook.conn)
        card = loaded["cards"].get(entry.id)
        log = loaded["logs"].get(entry.id, [])
        return review_keys(card, log) if card is not None or log else {}

    return keys


# --- reading ----------------------------------------------------------------------------------


def _moment(data: Mapping[str, Any], key: str) -> dt.datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        return parse_timestamp(str(value))
    except ValueError:
        raise ImportProblem(f"front matter {key!r} is not a date and time: {value!r}") from None


def _number(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ImportProblem(f"front matter {key!r} should be a number, not {value!r}")
    return kind(value)


def _parse_log_line(line: Any) -> LogEntry:
    try:
        reviewed, rating, states, interval, due = str(line).split()
        before, after = states.split(">")
        return LogEntry(
            reviewed=parse_timestamp(reviewed),
            rating=Rating.parse(rating),
            state_before=CardState(before),
            state_after=CardState(after),
            interval_seconds=float(interval.removesuffix("s")),
            due=parse_timestamp(due),
        )
    except (ValueError, NotebookError) as error:
        raise ImportProblem(f"front matter 'review_log' has a line it cannot read: {line!r} "
                            f"({error})") from None  # fmt: skip


def read_review_keys(data: Mapping[str, Any]) -> ImportedReview | None:
    """The review card and log in a file's front matter, or None when it has none."""
    if not any(key.startswith(PREFIX) for key in data):
        return None
    card = None
    if data.get("review_state") is not None:
        try:
            state = CardState(str(data["review_state"]))
        except ValueError:
            raise ImportProblem(
                f"front matter 'review_state' is unknown: {data['review_state']!r}"
            ) from None
        flags = data.get("review_flags") or []
        if not isinstance(flags, list) or not set(map(str, flags)) <= _FLAGS:
            raise ImportProblem(f"front matter 'review_flags' holds unknown flags: {flags!r}")
        manual = (
            True if "status-by-hand" in flags
            else False if "status-follows-review" in flags else None
        )  # fmt: skip
        given = data.get("review_status_given")
        card = ReviewCard(
            state=state,
            step=_number(data, "review_step", int),
            stability=_number(data, "review_stability", float),
            difficulty=_number(data, "review_difficulty", float),
            due=_moment(data, "review_due"),
            last_review=_moment(data, "review_last"),
            reps=_number(data, "review_reps", int) or 0,
            lapses=_number(data, "review_lapses", int) or 0,
            suspended="suspended" in flags,
            status_manual=manual,
            auto_status=None if given is None else str(given),
        )
        if card.state is not CardState.NEW and (card.due is None or card.stability is None):
            raise ImportProblem("front matter 'review_state' needs review_due and review_stability")
    lines = data.get("review_log") or []
    if not isinstance(lines, list):
        raise ImportProblem("front matter 'review_log' should be a list of lines")
    return ImportedReview(card, [_parse_log_line(line) for line in lines])


def review_in_file(text: str) -> ImportedReview | None:
    """The review card and log of a markdown file (ours), None if it has none. Cheap for the
    files without review keys: they are not parsed a second time."""
    from notebook_app.core.formats.front_matter_yaml import split_front_matter

    head_end = text.find("\n---", 4)
    if not text.startswith("---\n") or "\nreview_" not in text[: max(head_end, 0) + 1]:
        return None
    data, _body = split_front_matter(text)
    return None if data is None else read_review_keys(data)


def store_imported_reviews(notebook: Notebook, reviews: Mapping[str, ImportedReview]) -> int:
    """Merge imported review state into the notebook (inside the import's transaction): the
    card with the later last review wins; log lines not already there are added. Returns the
    number of terms whose review state changed."""
    changed = 0
    for entry_id, imported in reviews.items():
        row = notebook.conn.execute(
            "SELECT seq FROM entries WHERE id = ? AND kind = 'term'", [entry_id]
        ).fetchone()
        if row is None:
            continue
        seq = int(row[0])
        current = read_card(notebook.conn, seq)
        touched = False
        card = imported.card
        if card is not None and (
            current.last_review is None
            or (card.last_review is not None and card.last_review > current.last_review)
            or (card.last_review == current.last_review and card != current)
        ):
            write_card(notebook.conn, seq, card)
            touched = True
        known = {(item.reviewed, item.rating) for item in read_log(notebook.conn, seq)}
        for item in imported.log:
            if (item.reviewed, item.rating) not in known:
                append_log(notebook.conn, seq, item)
                known.add((item.reviewed, item.rating))
                touched = True
        changed += touched
    return changed
