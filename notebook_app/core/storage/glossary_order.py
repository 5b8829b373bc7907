"""The user's glossary order: moving a term before or after another, or to a rank.

Positions are whole numbers kept ``GAP`` apart, so a move writes one row: the moved term takes
a whole number between its new neighbours. Only when there is none left (or terms have no
position, share one, or hold fractions from an import) are all terms renumbered, in their
current order (the listing's: position, then title), in the same transaction. The rank a user
sees (1, 2, 3...) is a term's place in that order among the live terms, not the stored number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from notebook_app.core.errors import EntryNotFoundError, InvalidEntryError
from notebook_app.core.model.entry import Entry, Kind

GAP = 1024
# The listing's glossary order (search.sql's Sort.GLOSSARY), over terms only.
_ORDER = "glossary_position IS NULL, glossary_position, title COLLATE NOCASE, seq"


def _term(conn: sqlite3.Connection, entry_id: str) -> tuple[int, float | None, str | None]:
    row = conn.execute(
        "SELECT seq, glossary_position, kind, trashed FROM entries WHERE id = ?", [entry_id]
    ).fetchone()
    if row is None:
        raise EntryNotFoundError(f"no entry with id {entry_id}")
    if row[2] != "term":
        raise InvalidEntryError(f"entry {entry_id} is a {row[2]}, not a glossary term")
    return int(row[0]), row[1], row[3]


def renumber(conn: sqlite3.Connection) -> None:
    """Every term (trashed ones keep their place too) at ``GAP``, ``2 * GAP``... in order."""
    # One statement; rows already at their number are not rewritten.
    conn.execute(
        "UPDATE entries SET glossary_position = ranked.position FROM ("
        f"SELECT seq, CAST(row_number() OVER (ORDER BY {_ORDER}) * {GAP} AS REAL) AS position "
        "FROM entries WHERE kind = 'term') AS ranked "
        "WHERE entries.seq = ranked.seq AND entries.glossary_position IS NOT ranked.position"
    )


def _slot(conn: sqlite3.Connection, moving: int, anchor: int, after: bool) -> float | None:
    """A whole number strictly between the anchor and its neighbour on the chosen side, or None
    when there is none (or the order is not made of distinct whole numbers there)."""
    position = conn.execute(
        "SELECT glossary_position FROM entries WHERE seq = ?", [anchor]
    ).fetchone()[0]
    if position is None or position != int(position):
        return None
    comparison, order = (">", "ASC") if after else ("<", "DESC")
    row = conn.execute(
        f"SELECT glossary_position FROM entries WHERE kind = 'term' AND seq NOT IN (?, ?) "
        f"AND glossary_position {comparison}= ? ORDER BY glossary_position {order} LIMIT 1",
        [moving, anchor, position],
    ).fetchone()
    if row is None:  # the anchor is at that end: a GAP beyond it
        return float(position + GAP) if after else float(position - GAP)
    other = row[0]
    if other == position or other != int(other) or abs(other - position) < 2:
        return None
    return float((position + other) // 2)


def move_term(
    conn: sqlite3.Connection,
    entry_id: str,
    *,
    before: str | None = None,
    after: str | None = None,
    position: int | None = None,
) -> int:
    """Move the term ``entry_id`` (the caller holds a write transaction); returns its new rank."""
    if sum(value is not None for value in (before, after, position)) != 1:
        raise InvalidEntryError(
            "say where to move the term: before a term, after one, or a position"
        )
    seq, _old, _trashed = _term(conn, entry_id)
    anchor_id = before if before is not None else after
    if position is not None:
        if position < 1:
            raise InvalidEntryError(f"positions start at 1, not {position}")
        found = _nth_live(conn, position, exclude=seq)
        if found is None:
            found = _last_live(conn, exclude=seq)
            if found is None:
                return 1
            anchor, place_after = found, True
        else:
            anchor, place_after = found, False
    else:
        assert anchor_id is not None
        anchor, _position, trashed = _term(conn, anchor_id)
        if trashed is not None:
            raise InvalidEntryError(f"term {anchor_id} is in the trash")
        if anchor == seq:
            return rank(conn, seq)
        place_after = after is not None
    slot = _slot(conn, seq, anchor, place_after)
    if slot is None:
        renumber(conn)
        slot = _slot(conn, seq, anchor, place_after)
    assert slot is not None  # after renumbering every neighbour is GAP away
    conn.execute("UPDATE entries SET glossary_position = ? WHERE seq = ?", [slot, seq])
    return _rank_of_unique(conn, slot)


_LIVE = "kind = 'term' AND trashed IS NULL AND seq != ?"


def _nth_live(conn: sqlite3.Connection, n: int, *, exclude: int) -> int | None:
    row = conn.execute(
        f"SELECT seq FROM entries WHERE {_LIVE} ORDER BY {_ORDER} LIMIT 1 OFFSET ?",
        [exclude, n - 1],
    ).fetchone()
    return None if row is None else int(row[0])


def _last_live(conn: sqlite3.Connection, *, exclude: int) -> int | None:
    row = conn.execute(
        f"SELECT seq FROM entries WHERE {_LIVE} ORDER BY glossary_position IS NOT NULL, "
        "glossary_position DESC, title COLLATE NOCASE DESC, seq DESC LIMIT 1",
        [exclude],
    ).fetchone()
    return None if row is None else int(row[0])


def _rank_of_unique(conn: sqlite3.Connection, position: float) -> int:
    """The rank of the live term at ``position``, which no other term shares: the terms before
    it counted on the (kind, position) index, less the trashed ones among them."""
    before = conn.execute(
        "SELECT count(*) FROM entries WHERE kind = 'term' AND glossary_position < ?", [position]
    ).fetchone()[0]
    trashed = conn.execute(
        "SELECT count(*) FROM entries WHERE trashed IS NOT NULL AND kind = 'term' "
        "AND glossary_position < ?",
        [position],
    ).fetchone()[0]
    return int(before) - int(trashed) + 1


def live_order(conn: sqlite3.Connection, *, exclude: int | None = None) -> list[int]:
    """The seqs of the live terms in glossary order."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT seq FROM entries WHERE kind = 'term' AND trashed IS NULL AND seq != ? "
            f"ORDER BY {_ORDER}",
            [-1 if exclude is None else exclude],
        )
    ]


def rank(conn: sqlite3.Connection, seq: int) -> int:
    """The 1-based place of the term ``seq`` among the live terms (as the glossary lists them)."""
    order = live_order(conn)
    return order.index(seq) + 1 if seq in order else 0


def ranks(conn: sqlite3.Connection, entry_ids: Sequence[str]) -> dict[str, int]:
    """The rank of each of ``entry_ids`` that is a live term (for a view showing positions)."""
    wanted = set(entry_ids)
    found: dict[str, int] = {}
    rows = conn.execute(
        f"SELECT id FROM entries WHERE kind = 'term' AND trashed IS NULL ORDER BY {_ORDER}"
    )
    for index, (entry_id,) in enumerate(rows, start=1):
        if entry_id in wanted:
            found[entry_id] = index
    return found


def end_position(conn: sqlite3.Connection) -> float:
    """A whole number after every term (where a new term goes)."""
    row = conn.execute("SELECT max(glossary_position) FROM entries WHERE kind = 'term'").fetchone()
    last = row[0] or 0
    return float((int(last) // GAP + 1) * GAP)


def place_new_terms(conn: sqlite3.Connection, entries: Sequence[Entry]) -> None:
    """New terms without a position go to the end of the glossary, in the order given."""
    unplaced = [e for e in entries if e.kind is Kind.TERM and e.glossary_position is None]
    if not unplaced:
        return
    start = end_position(conn)
    given = [e.glossary_position for e in entries if e.glossary_position is not None]
    if given:  # terms added in the same batch with their own positions stay before these
        start = max(start, float((int(max(given)) // GAP + 1) * GAP))
    for index, entry in enumerate(unplaced):
        entry.glossary_position = start + index * GAP
