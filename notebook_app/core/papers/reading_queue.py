"""The reading queue: the notes waiting to be read (status "to-read"), in the user's order.

The order: the notes the user placed (``queue_position``, set by ``move_in_queue``) first, in
that order; then the rest, the oldest first, so a note queued since the last move waits at the
end. "Next" is the first. A note leaves the queue when its status changes (reading, done) or it
goes to the trash.

Positions are whole numbers kept ``GAP`` apart, as in the glossary order
(``storage/glossary_order``): a move writes one row, the moved note taking a whole number
between its new neighbours; only when there is none (or a neighbour has no position) is the
whole queue numbered again, in its current order, in the same transaction.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from notebook_app.core.errors import EntryNotFoundError, InvalidEntryError
from notebook_app.core.storage.glossary_order import GAP

if TYPE_CHECKING:
    from notebook_app.core.model.listing import EntrySummary
    from notebook_app.core.storage.notebook import Notebook

_QUEUED = "kind = 'note' AND trashed IS NULL AND reading_status = 'to-read'"
_ORDER = "queue_position IS NULL, queue_position, created, seq"
_QUEUE_SQL = f"SELECT seq FROM entries WHERE {_QUEUED} ORDER BY {_ORDER} LIMIT ?"


def reading_queue(notebook: Notebook, limit: int = 1_000) -> list[EntrySummary]:
    """The first ``limit`` notes of the queue, in the order to read them."""
    seqs = [seq for (seq,) in notebook.conn.execute(_QUEUE_SQL, [limit])]
    return notebook.summaries(seqs)


def queue_length(notebook: Notebook) -> int:
    row = notebook.conn.execute(f"SELECT count(*) FROM entries WHERE {_QUEUED}").fetchone()
    return int(row[0])


def move_in_queue(
    notebook: Notebook,
    entry_id: str,
    *,
    before: str | None = None,
    after: str | None = None,
    position: int | None = None,
) -> int:
    """Move the queued note ``entry_id`` before or after another queued note, or to a 1-based
    ``position`` (past the end: the last). Returns its new 1-based place in the queue. The order
    is bookkeeping, not content: no new version, no history."""
    if sum(value is not None for value in (before, after, position)) != 1:
        raise InvalidEntryError(
            "say where to move the note: before a queued note, after one, or a position"
        )
    if position is not None and position < 1:
        raise InvalidEntryError(f"positions start at 1, not {position}")
    with notebook.transaction():
        conn = notebook.conn
        seq = _queued(conn, entry_id)
        order = _order(conn)
        order.remove(seq)
        if position is not None:
            index = min(position - 1, len(order))
        else:
            anchor_id = before if before is not None else after
            assert anchor_id is not None
            anchor = _queued(conn, anchor_id)
            if anchor == seq:
                return _order(conn).index(seq) + 1
            index = order.index(anchor) + (1 if after is not None else 0)
        slot = _slot(conn, order, index)
        if slot is None:
            order.insert(index, seq)
            _number(conn, order)
        else:
            conn.execute("UPDATE entries SET queue_position = ? WHERE seq = ?", [slot, seq])
        return index + 1


def _queued(conn: sqlite3.Connection, entry_id: str) -> int:
    row = conn.execute(f"SELECT seq, {_QUEUED} FROM entries WHERE id = ?", [entry_id]).fetchone()
    if row is None:
        raise EntryNotFoundError(f"no entry with id {entry_id}")
    if not row[1]:
        raise InvalidEntryError(f"entry {entry_id} is not in the reading queue (a note to read)")
    return int(row[0])


def _order(conn: sqlite3.Connection) -> list[int]:
    return [
        seq for (seq,) in conn.execute(f"SELECT seq FROM entries WHERE {_QUEUED} ORDER BY {_ORDER}")
    ]


def _position(conn: sqlite3.Connection, seq: int) -> int | None:
    value = conn.execute("SELECT queue_position FROM entries WHERE seq = ?", [seq]).fetchone()[0]
    return None if value is None else int(value)


def _slot(conn: sqlite3.Connection, order: list[int], index: int) -> int | None:
    """A whole number for a note going at ``index`` of ``order`` (the queue without it) that
    keeps it between its neighbours there, or None when the queue must be numbered again."""
    previous = _position(conn, order[index - 1]) if index > 0 else None
    following = _position(conn, order[index]) if index < len(order) else None
    if index > 0 and previous is None:
        return None  # going among the unplaced notes: place them all
    if index < len(order) and following is None:
        # Only unplaced notes follow: a GAP after the previous one (or the first place).
        return GAP if previous is None else previous + GAP
    if previous is None:
        return GAP if following is None else following - GAP
    if following is None:
        return previous + GAP
    return (previous + following) // 2 if following - previous >= 2 else None


def _number(conn: sqlite3.Connection, order: list[int]) -> None:
    """Every queued note at ``GAP``, ``2 * GAP``... in ``order``."""
    conn.executemany(
        "UPDATE entries SET queue_position = ? WHERE seq = ? AND queue_position IS NOT ?",
        [(GAP * (n + 1), seq, GAP * (n + 1)) for n, seq in enumerate(order)],
    )
