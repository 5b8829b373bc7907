"""The notebook: entries, tags, trash and history over one SQLite database (search and links
are mixed in from ``searching.py`` and ``linking.py``).

This is the API the command line and the window use. Every write is one transaction that takes
the write lock up front, so several processes (the window, quick-capture commands) can write to
the same file at once.

Updates are optimistic: a caller names the entry's id and the version it read, and the update
is refused with :class:`StaleEntryError` when the entry has moved on since (another window or
process saved it). That is what stops an editor from silently writing old text over new text,
or text meant for one entry landing on another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from notebook_app.core.errors import (
    EntryNotFoundError,
    InvalidEntryError,
    NotebookError,
    StaleEntryError,
)
from notebook_app.core.model.entry import (
    EDITABLE_FIELDS,
    FIELD,
    KIND_FIELDS,
    Entry,
    Kind,
    format_timestamp,
    normalize_tag,
    parse_timestamp,
    utc_now,
)
from notebook_app.core.model.listing import Revision
from notebook_app.core.storage import database, glossary_order, migrations
from notebook_app.core.storage.linking import LinkQueries
from notebook_app.core.storage.links import LinkStore, batch_of, read_batch
from notebook_app.core.storage.rows import (
    INSERT_SQL,
    SELECT_ENTRIES,
    SEQ,
    UPDATE_SQL,
    named_rows,
    row_values,
)
from notebook_app.core.storage.searching import SearchQueries
from notebook_app.core.storage.tags import TagCount, TagRename, TagStore

# Saves of one editing burst are folded into one revision: a save does not record the state it
# replaces when that state is itself less than this old...
HISTORY_BURST_SECONDS = 60
# ...unless the newest revision is older than this, so a long session still leaves checkpoints.
HISTORY_CHECKPOINT_SECONDS = 600


class Notebook(LinkQueries, SearchQueries):
    """A notebook database. Build one per thread (SQLite connections stay on their thread).

    Links, mentions and glossary terms: see ``linking.py``; search and listing: ``searching.py``."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.tags = TagStore(conn)
        self.links = LinkStore(conn)

    @classmethod
    def open(cls, path: Path | str, **options: bool) -> Notebook:
        """Open the notebook file at ``path`` (created if missing; ``":memory:"`` for tests).

        ``options`` are database.connect's: ``write=False`` opens for reading only (a read-only
        file or folder), ``create``/``create_folders`` say whether a missing path may be made.
        """
        conn = database.connect(path, **options)
        return cls(conn, None if str(path) == ":memory:" else Path(path).expanduser())

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.conn)

    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap "has anything changed?" poll."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def transaction(self) -> Any:
        """One write transaction (nested calls become savepoints): all of it or none."""
        return database.write_transaction(self.conn)

    # --- reading -------------------------------------------------------------------------------

    def _seq_of(self, entry_id: str) -> int:
        row = self.conn.execute("SELECT seq FROM entries WHERE id = ?", [entry_id]).fetchone()
        if row is None:
            raise EntryNotFoundError(f"no entry with id {entry_id}")
        return int(row[0])

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id of the entry whose id is, or starts with, ``id_or_prefix`` (4+ chars)."""
        text = id_or_prefix.strip().lower()
        if len(text) < 4:
            raise EntryNotFoundError(
                f"id {id_or_prefix!r} is too short (give 4 characters or more)"
            )
        shown = 5  # candidates named in the error; more would not fit on one line
        rows = self.conn.execute(
            "SELECT id, kind, title FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            [text, text + "\uffff", shown + 1],
        ).fetchall()
        if not rows:
            raise EntryNotFoundError(f"no entry with id {_short(id_or_prefix)}")
        if len(rows) > 1 and rows[0][0] != text:
            # Name the candidates, so the user can pick the longer prefix they meant.
            width = max(len(text) + 4, 8)
            listed = "; ".join(
                f"{row[0][:width]} {row[1]} {_short(row[2])!r}" for row in rows[:shown]
            )
            more = ", and more" if len(rows) > shown else ""
            raise EntryNotFoundError(
                f"id prefix {id_or_prefix} matches several entries: {listed}{more}"
            )
        return str(rows[0][0])

    def get(self, entry_id: str) -> Entry:
        rows = named_rows(self.conn, f"{SELECT_ENTRIES} WHERE id = ?", [entry_id])
        if not rows:
            raise EntryNotFoundError(f"no entry with id {entry_id}")
        return rows.entries(self.tags.of_entries(rows.column(SEQ)))[0]

    def exists(self, entry_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM entries WHERE id = ?", [entry_id]).fetchone()
        return row is not None

    def existing(self, entry_ids: Iterable[str]) -> set[str]:
        """Which of ``entry_ids`` are in the notebook (one query per 900, not one per id)."""
        ids = list(entry_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 900):  # SQLite's cap on bound parameters
            chunk = ids[start : start + 900]
            rows = self.conn.execute(
                f"SELECT id FROM entries WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def iter_entries(
        self, *, include_trashed: bool = False, batch_size: int = 500
    ) -> Iterator[Entry]:
        """Every entry with its body, in creation order, read in batches (for export)."""
        where = "" if include_trashed else "WHERE trashed IS NULL"
        last = 0
        while True:
            rows = named_rows(
                self.conn,
                f"{SELECT_ENTRIES} {where} {'AND' if where else 'WHERE'} seq > ? "
                "ORDER BY seq LIMIT ?",
                [last, batch_size],
            )
            if not rows:
                return
            seqs = rows.column(SEQ)
            yield from rows.entries(self.tags.of_entries(seqs))
            last = seqs[-1]

    def count_entries(self, *, include_trashed: bool = False) -> int:
        where = "" if include_trashed else " WHERE trashed IS NULL"
        return int(self.conn.execute(f"SELECT count(*) FROM entries{where}").fetchone()[0])

    # --- writing -------------------------------------------------------------------------------

    def add(self, entry: Entry, *, after: str | None = None) -> Entry:
        """Store a new entry; returns it as stored (version 1).

        A term goes to the end of the glossary, or just after the term ``after`` when given
        (the glossary view's "after the selected term").
        """
        if after is None:
            return self.add_many([entry])[0]
        with self.transaction():
            stored = self.add_many([entry])[0]
            if stored.kind is Kind.TERM:
                self.move_term(stored.id, after=after)
                stored.glossary_position = self.get(stored.id).glossary_position
            return stored

    def move_term(
        self,
        entry_id: str,
        *,
        before: str | None = None,
        after: str | None = None,
        position: int | None = None,
    ) -> int:
        """Move a term in the glossary order: before or after another term, or to a 1-based
        position among the live terms. Returns its new position. The order is bookkeeping, not
        content: no new version, no history (see ``glossary_order``)."""
        with self.transaction():
            return glossary_order.move_term(
                self.conn, entry_id, before=before, after=after, position=position
            )

    def glossary_ranks(self, entry_ids: Sequence[str]) -> dict[str, int]:
        """Each live term's 1-based position in the glossary (what the glossary view shows)."""
        return glossary_order.ranks(self.conn, entry_ids)

    def add_many(self, entries: Iterable[Entry]) -> list[Entry]:
        """Store new entries in one transaction: all of them or none.

        The entries given are the ones stored: they are normalised in place (tags, aliases) and
        come back with version 1. (Copying 100,000 entries would cost a tenth of an import.)
        """
        stored = list(entries)
        for entry in stored:
            entry.validate()
            entry.version = 1
        ids = [entry.id for entry in stored]
        if len(set(ids)) != len(ids):
            raise InvalidEntryError("the same entry id appears twice in what is being added")
        try:
            with self.transaction(), _collector_paused():
                self._insert_new(stored, ids)
        except BaseException:
            for entry in stored:
                entry.version = 0
            raise
        return stored

    def _insert_new(self, stored: list[Entry], ids: list[str]) -> None:
        self._refuse_existing_ids(ids)
        glossary_order.place_new_terms(self.conn, stored)
        first_seq = int(
            self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM entries").fetchone()[0]
        )
        self.conn.executemany(INSERT_SQL, [row_values(entry) for entry in stored])
        # The seqs the rows should have been given (checked below). A large batch's names and
        # links are read on a second thread while SQLite indexes its text: SQLite lets go of
        # Python's lock for that long statement, so the reading costs an import next to nothing.
        numbered = list(enumerate(stored, first_seq))
        batch = batch_of(numbered)  # read where the reading runs
        with _beside(read_batch, batch, len(stored) >= BATCH_READ_BESIDE) as reading:
            # One statement indexes the whole batch (see migrations: no insert trigger).
            for statement in migrations.index_new_entries_sql():
                self.conn.execute(statement, {"first_seq": first_seq})
            read = reading()
        seqs = dict(self.conn.execute("SELECT id, seq FROM entries WHERE seq >= ?", [first_seq]))
        self.tags.add_to_new_entries([(seqs[entry.id], entry.tags) for entry in stored])
        added = [(seqs[entry.id], entry) for entry in stored]
        if added != numbered:  # not the seqs expected: read again, as stored
            read = None
        self.links.entries_added(added, first_seq, read)

    def _refuse_existing_ids(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            row = self.conn.execute(
                f"SELECT id FROM entries WHERE id IN ({', '.join('?' * len(chunk))}) LIMIT 1",
                chunk,
            ).fetchone()
            if row is not None:
                raise InvalidEntryError(f"an entry with id {row[0]} exists already")

    def update(
        self, entry_id: str, base_version: int, *, checkpoint: bool = False, **changes: Any
    ) -> Entry:
        """Change fields of the entry ``entry_id`` that the caller read at ``base_version``.

        Raises StaleEntryError when the entry has been saved since (by anyone), and changes
        nothing. A change that leaves every field as it was saves nothing and returns the entry.
        ``checkpoint`` keeps the replaced state in history even inside an editing burst.
        """
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise InvalidEntryError(f"not editable: {', '.join(sorted(unknown))}")
        with self.transaction():
            current = self.get(entry_id)
            if current.version != base_version:
                raise StaleEntryError(
                    f"entry {entry_id} was changed elsewhere (now version {current.version}, "
                    f"this edit was based on version {base_version}); reload it first"
                )
            if "kind" in changes and changes["kind"] != current.kind:
                changes = self._changes_for_new_kind(current, Kind(changes["kind"]), changes)
            updated = current.replace(**changes)
            updated.validate()
            if _same_content(current, updated):
                return current
            now = utc_now()
            updated = updated.replace(version=current.version + 1, updated=now)
            self._record_history(current, now, always=checkpoint)
            self._write_row(updated)
            return updated

    def save(self, entry: Entry) -> Entry:
        """Save an edited copy of an entry; its ``version`` must be the one it was read at."""
        fields = {name: getattr(entry, name) for name in EDITABLE_FIELDS}
        return self.update(entry.id, entry.version, **fields)

    def _changes_for_new_kind(
        self, current: Entry, kind: Kind, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Changing kind clears the fields the old kind had and the new one does not."""
        cleared = dict(changes)
        for name in KIND_FIELDS[current.kind]:
            if name not in KIND_FIELDS[kind]:
                cleared[name] = FIELD[name].empty
        return cleared

    def _write_row(self, entry: Entry) -> None:
        self.conn.execute(UPDATE_SQL, row_values(entry))
        seq = self._seq_of(entry.id)
        self.tags.set_entry_tags(seq, entry.tags)
        self.links.entry_written(seq, entry)

    def _record_history(self, previous: Entry, now: dt.datetime, *, always: bool) -> None:
        seq = self._seq_of(previous.id)
        assert previous.updated is not None
        newest = self.conn.execute(
            "SELECT recorded FROM entry_history WHERE entry = ? ORDER BY id DESC LIMIT 1", [seq]
        ).fetchone()
        in_burst = (now - previous.updated).total_seconds() < HISTORY_BURST_SECONDS
        recent_checkpoint = (
            newest is not None
            and (now - parse_timestamp(newest[0])).total_seconds() < HISTORY_CHECKPOINT_SECONDS
        )
        if in_burst and recent_checkpoint and not always:
            return
        self.conn.execute(
            "INSERT INTO entry_history (entry, version, saved, recorded, snapshot) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                seq,
                previous.version,
                format_timestamp(previous.updated),
                format_timestamp(now),
                json.dumps(previous.to_dict(), ensure_ascii=False),
            ],
        )

    # --- trash ---------------------------------------------------------------------------------

    def trash(self, entry_id: str) -> None:
        """Move an entry to the trash (it keeps everything and can be restored).

        Refused (NotebookError) for an entry already in the trash: nothing would change.
        """
        self._set_trashed(entry_id, format_timestamp(utc_now()))

    def restore(self, entry_id: str) -> None:
        """Bring an entry back from the trash; refused for an entry that is not in it."""
        self._set_trashed(entry_id, None)

    def _set_trashed(self, entry_id: str, value: str | None) -> None:
        with self.transaction():
            # The version moves on: an editor still holding the entry must reload before saving.
            # Only an entry that changes state is touched, so a repeat does not claim success.
            state = "trashed IS NULL" if value is not None else "trashed IS NOT NULL"
            cursor = self.conn.execute(
                f"UPDATE entries SET trashed = ?, version = version + 1 WHERE id = ? AND {state}",
                [value, entry_id],
            )
            if cursor.rowcount == 0:
                if not self.exists(entry_id):
                    raise EntryNotFoundError(f"no entry with id {entry_id}")
                if value is not None:
                    raise NotebookError(f"entry {entry_id} is already in the trash")
                raise NotebookError(f"entry {entry_id} is not in the trash")
            self.links.liveness_changed(self._seq_of(entry_id))

    def purge(self, entry_id: str) -> None:
        """Delete a trashed entry for good, with its history."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT trashed FROM entries WHERE id = ?", [entry_id]
            ).fetchone()
            if row is None:
                raise EntryNotFoundError(f"no entry with id {entry_id}")
            if row[0] is None:
                raise NotebookError(f"entry {entry_id} is not in the trash; trash it first")
            self.conn.execute("DELETE FROM entries WHERE id = ?", [entry_id])
            self.tags.delete_unused()

    # --- history -------------------------------------------------------------------------------

    def history(self, entry_id: str) -> list[Revision]:
        """Earlier states of an entry, newest first."""
        seq = self._seq_of(entry_id)
        rows = self.conn.execute(
            "SELECT id, version, saved, recorded, snapshot FROM entry_history "
            "WHERE entry = ? ORDER BY id DESC",
            [seq],
        ).fetchall()
        revisions = []
        for revision_id, version, saved, recorded, snapshot in rows:
            entry = Entry.from_dict(json.loads(snapshot))
            revisions.append(
                Revision(
                    id=revision_id,
                    version=version,
                    saved=parse_timestamp(saved),
                    recorded=parse_timestamp(recorded),
                    title=entry.title,
                    entry=entry,
                )
            )
        return revisions

    def restore_revision(self, entry_id: str, revision_id: int) -> Entry:
        """Make an earlier revision the current state (the current one goes into history)."""
        with self.transaction():
            revision = next((r for r in self.history(entry_id) if r.id == revision_id), None)
            if revision is None:
                raise EntryNotFoundError(f"entry {entry_id} has no revision {revision_id}")
            current = self.get(entry_id)
            fields = {name: getattr(revision.entry, name) for name in EDITABLE_FIELDS}
            # Restoring is itself undoable: the state it replaces always goes into history.
            return self.update(entry_id, current.version, checkpoint=True, **fields)

    # --- tags ----------------------------------------------------------------------------------

    def tag_counts(self) -> list[TagCount]:
        return self.tags.counts()

    def rename_tag(self, old: str, new: str) -> TagRename:
        """Rename a tag and the tags nested under it; merges into ``new`` if it exists.

        Refuses a tag no entry carries; the result spells both tags as stored.
        """
        with self.transaction():
            return self.tags.rename(normalize_tag(old), normalize_tag(new))

    def merge_tags(self, sources: Iterable[str], target: str) -> int:
        """Replace each of ``sources`` by ``target`` on every entry; returns entries changed."""
        with self.transaction():
            changed = 0
            for source in sources:
                changed += self.tags.rename(normalize_tag(source), normalize_tag(target)).entries
            return changed


def _short(title: str, length: int = 40) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def _same_content(a: Entry, b: Entry) -> bool:
    return all(
        getattr(a, name) == getattr(b, name) for name in EDITABLE_FIELDS if name != "tags"
    ) and [t.casefold() for t in a.tags] == [t.casefold() for t in b.tags]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch is written. A 10,000-file import makes
    hundreds of thousands of rows and tuples, none of them cyclic garbage; each collection of
    the oldest generation walks every object the import holds (its entries too), which cost
    the batch about an eighth of its time. The switch is the whole process's (a window's other
    threads allocate meanwhile too); it is on again at the end, and cycles made meanwhile go at
    its next collection."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_T = TypeVar("_T")
BATCH_READ_BESIDE = 500  # entries: below this a thread costs more than it saves


@contextlib.contextmanager
def _beside(
    work: Callable[[Any], _T], argument: Any, wanted: bool
) -> Iterator[Callable[[], _T | None]]:
    """``work(argument)`` on a thread of its own while the block runs (if ``wanted``); the
    block gets a function that waits for its result (None when not wanted). An error in the
    work is raised there; leaving the block waits for the thread in any case."""
    if not wanted:
        yield lambda: None
        return
    from concurrent.futures import ThreadPoolExecutor  # only bulk imports use it

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-read") as pool:
        future = pool.submit(work, argument)
        yield future.result
