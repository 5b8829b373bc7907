"""Rating a term: FSRS moves its card on, and its learning status follows.

Each rating is one transaction: the card, the log line and any status change are stored
together or not at all, so a process killed after the commit keeps the rating and one killed
before keeps nothing. A rating may carry a ``token`` (any text unique to that answer, e.g. a
UUID the review window makes when it shows the card): sent again, it is not counted twice.
Or it may carry the card's ``expected_last_review``: a card rated since is refused.

The clock may go backwards (a laptop's clock corrected, a time zone mistaken): the rating is
logged at the time the clock gave, but scheduled from the later of that and the last review,
so a card's due date never moves back before its last review.

**Learning status follows review** unless set by hand: a term's first rating makes it
"learning"; once FSRS's stability (the days after which recall falls to 90 %) reaches
:data:`LEARNED_STABILITY_DAYS` it is "learned", and falls back to "learning" if a lapse drops it
below. A status the user set (any other than the one reviews last gave it, or "learning" or
"learned" set before any review) is manual and wins until :func:`follow_review` hands it back.
A status change made by a review is a saved change like any other: a new version, the old
state in the entry's history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import InvalidEntryError, NotebookError
from notebook_app.core.learning.cards import (
    CardState,
    LogEntry,
    Rating,
    ReviewCard,
    append_log,
    read_card,
    term_seq,
    write_card,
)
from notebook_app.core.model.entry import LearningStatus, utc_now

if TYPE_CHECKING:
    import fsrs

    from notebook_app.core.storage.notebook import Notebook

# Anki calls a card "mature" from a 21-day interval; a term whose memory lasts three weeks
# (stability, in days) is learned.
LEARNED_STABILITY_DAYS = 21.0


class StaleReviewError(NotebookError):
    """The card was rated since it was shown: this rating is not recorded (again)."""


@dataclasses.dataclass(frozen=True, slots=True)
class ReviewResult:
    card: ReviewCard
    log: LogEntry
    status: LearningStatus | None  # the term's learning status after the rating
    repeated: bool = False  # the token had been recorded already: nothing changed now


_TO_FSRS_STATE = {
    CardState.NEW: 1,
    CardState.LEARNING: 1,
    CardState.REVIEW: 2,
    CardState.RELEARNING: 3,
}
_FROM_FSRS_STATE = {1: CardState.LEARNING, 2: CardState.REVIEW, 3: CardState.RELEARNING}


def scheduler() -> fsrs.Scheduler:
    """FSRS with its default parameters. Fuzzing off: the same ratings give the same dates
    (tests, and two devices replaying a log, agree)."""
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False)


def status_for(card: ReviewCard) -> LearningStatus | None:
    """The status reviews give a card."""
    if card.reps == 0 or card.stability is None:
        return None
    if card.stability >= LEARNED_STABILITY_DAYS:
        return LearningStatus.LEARNED
    return LearningStatus.LEARNING


def status_is_manual(card: ReviewCard, current: LearningStatus | None) -> bool:
    """Whether the term's status ``current`` was set by hand (and so wins over reviews)."""
    if card.status_manual:
        return True
    if card.auto_status is not None:
        return (current.value if current else None) != card.auto_status
    if card.status_manual is False:  # handed back to reviews before any review
        return False
    return current not in (None, LearningStatus.WANT)


def _utc(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return utc_now()
    if moment.tzinfo is None:
        raise InvalidEntryError("review times must carry a time zone")
    return moment.astimezone(dt.UTC)


def _find_token(notebook: Notebook, token: str) -> ReviewResult | None:
    from notebook_app.core.learning.cards import read_log

    row = notebook.conn.execute(
        "SELECT l.entry, l.id, e.learning_status FROM review_log l "
        "JOIN entries e ON e.seq = l.entry WHERE l.token = ?",
        [token],
    ).fetchone()
    if row is None:
        return None
    seq, log_id, status = row
    position = notebook.conn.execute(
        "SELECT count(*) FROM review_log WHERE entry = ? AND id <= ?", [seq, log_id]
    ).fetchone()[0]
    log = read_log(notebook.conn, seq)[position - 1]
    card = read_card(notebook.conn, seq)
    return ReviewResult(card, log, LearningStatus(status) if status else None, repeated=True)


_ANY: Any = object()


def review_term(
    notebook: Notebook,
    entry_id: str,
    rating: Rating | int | str,
    now: dt.datetime | None = None,
    *,
    token: str | None = None,
    expected_last_review: dt.datetime | None = _ANY,
) -> ReviewResult:
    """Record ``rating`` for the term ``entry_id`` at ``now`` and schedule its next review."""
    import fsrs

    rating = Rating.parse(rating) if not isinstance(rating, Rating) else rating
    clock = _utc(now)
    with notebook.transaction():
        if token is not None:
            earlier = _find_token(notebook, token)
            if earlier is not None:
                return earlier
        seq = term_seq(notebook.conn, entry_id)
        entry = notebook.get(entry_id)
        if entry.trashed is not None:
            raise InvalidEntryError(f"{entry.title!r} is in the trash; restore it to review it")
        card = read_card(notebook.conn, seq)
        if expected_last_review is not _ANY and card.last_review != expected_last_review:
            raise StaleReviewError(
                f"term {entry.title!r} was rated since it was shown; this rating was not "
                "recorded again"
            )
        effective = clock if card.last_review is None else max(clock, card.last_review)
        before = fsrs.Card(
            card_id=seq,
            state=fsrs.State(_TO_FSRS_STATE[card.state]),
            step=0 if card.state is CardState.NEW else card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due or effective,
            last_review=card.last_review,
        )
        after, _log = scheduler().review_card(before, fsrs.Rating(int(rating)), effective)
        updated = dataclasses.replace(
            card,
            state=_FROM_FSRS_STATE[int(after.state)],
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=effective,
            reps=card.reps + 1,
            lapses=card.lapses + (rating is Rating.AGAIN and card.state is CardState.REVIEW),
        )
        status = entry.learning_status
        if status_is_manual(card, status):
            updated.status_manual = True
        else:
            wanted = status_for(updated)
            updated.status_manual = False
            updated.auto_status = wanted.value if wanted else None
            if wanted is not None and wanted != status:
                notebook.update(entry_id, entry.version, checkpoint=True, learning_status=wanted)
                status = wanted
        log = LogEntry(
            reviewed=clock,
            rating=rating,
            state_before=card.state,
            state_after=updated.state,
            interval_seconds=(after.due - effective).total_seconds(),
            due=after.due,
        )
        write_card(notebook.conn, seq, updated)
        before_json = card.to_json()
        before_json["entry_status"] = entry.learning_status.value if entry.learning_status else None
        append_log(notebook.conn, seq, log, card_before=before_json, token=token)
        return ReviewResult(updated, log, status)


def undo_last_review(notebook: Notebook, entry_id: str) -> bool:
    """Take back the term's last rating: its card as it was before, the log line gone, and the
    status as it was if that rating changed it (and nobody has since). False: nothing to undo."""
    with notebook.transaction():
        seq = term_seq(notebook.conn, entry_id)
        row = notebook.conn.execute(
            "SELECT id, card_before FROM review_log WHERE entry = ? ORDER BY id DESC LIMIT 1",
            [seq],
        ).fetchone()
        if row is None or row[1] is None:
            return False
        data = json.loads(row[1])
        previous = ReviewCard.from_json(data)
        current = read_card(notebook.conn, seq)
        entry = notebook.get(entry_id)
        status_now = entry.learning_status.value if entry.learning_status else None
        if status_now == current.auto_status and status_now != data.get("entry_status"):
            old = data.get("entry_status")
            notebook.update(
                entry_id, entry.version, checkpoint=True,
                learning_status=LearningStatus(old) if old else None,
            )  # fmt: skip
        previous.suspended = current.suspended
        if previous.state is CardState.NEW and previous.reps == 0 and not previous.suspended:
            notebook.conn.execute("DELETE FROM review_cards WHERE entry = ?", [seq])
        else:
            write_card(notebook.conn, seq, previous)
        notebook.conn.execute("DELETE FROM review_log WHERE id = ?", [row[0]])
        return True


def set_suspended(notebook: Notebook, entry_id: str, suspended: bool) -> None:
    """Suspend a term (never due until unsuspended; its schedule is kept) or take it back."""
    with notebook.transaction():
        seq = term_seq(notebook.conn, entry_id)
        card = read_card(notebook.conn, seq)
        card.suspended = suspended
        write_card(notebook.conn, seq, card)


def follow_review(notebook: Notebook, entry_id: str) -> LearningStatus | None:
    """Let the term's status follow review again (forgetting that it was set by hand)."""
    with notebook.transaction():
        seq = term_seq(notebook.conn, entry_id)
        card = read_card(notebook.conn, seq)
        entry = notebook.get(entry_id)
        wanted = status_for(card)
        card.status_manual = False
        status = entry.learning_status
        if wanted is not None:
            if wanted != status:
                notebook.update(entry_id, entry.version, checkpoint=True, learning_status=wanted)
            status = wanted
        card.auto_status = status.value if status else None
        write_card(notebook.conn, seq, card)
        return status
