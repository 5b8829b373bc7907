"""The link table and the names it resolves against, kept in step with the entries.

Two tables (migration 0004, see migrations.py):

* ``entry_names``: each entry's title and aliases as :func:`name_key` keys (``alias`` 0 for the
  title, 1 for an alias). A name is what a ``[[link]]`` resolves by. An entry imported from a
  file also bears its vault path as a :func:`path_key` (``alias`` 0), which a Markdown link to
  the file (``[x](Other.md)``, ``core/links/file_links.py``) resolves by, by the same rules.
* ``links``: one row per wiki link in a body: the source entry, where the link is in the body
  (character offset and length), what it names (``target_text`` as written, ``target_key``),
  the heading, the shown text, whether it is an embed, the entry it resolves to (``target``,
  NULL when none does) and how many live entries bear that name (``candidates``: more than
  one is an ambiguous link, which the preview says).

Resolution is a function of the live entries alone, so the table is the same whether it was
built at once (the migration, an import) or save by save: a link resolves to the live entry
whose title bears its name, else the one with it as an alias; among several, the oldest
(created first, then the first stored). A new entry with a title already taken therefore never
takes the links of the entry that had it; only a title beats an alias. Trashed entries are not
link targets (their links go to another bearer of the name, or resolve to nothing until the
entry is restored); a trashed entry's own links stay in the table, hidden from backlinks, and
come back with it. Purging deletes an entry's rows (``ON DELETE CASCADE`` from the source);
by then nothing resolves to it, since it was in the trash (so ``target`` needs no foreign key,
which would cost an import a look-up per link).

Maintenance runs inside the writer's transaction: :meth:`LinkStore.entries_added` for an
``add_many`` batch (its names and links read by :func:`read_batch`, for a large batch on a
second thread while SQLite indexes the entries' text; resolved in Python, inserted at once),
:meth:`entry_written` on every save, :meth:`liveness_changed` on trash and restore.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import NamedTuple

from notebook_app.core.links.file_links import (
    PATH_KEY_MARK,
    FileLink,
    entry_path,
    file_links_in,
    path_key,
)
from notebook_app.core.links.wikilinks import LinkRow, links_in, name_key, simple_link_rows
from notebook_app.core.model.entry import Entry, format_timestamp

_INSERT_LINK_SQL = (
    "INSERT INTO links (source, position, length, embed, target_text, target_key, heading, "
    "shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_RESOLVED_LINK_SQL = (
    "INSERT INTO links (source, position, length, embed, target_text, target_key, heading, "
    "shown, target, candidates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_NAME_SQL = "INSERT OR IGNORE INTO entry_names (key, entry, alias) VALUES (?, ?, ?)"
_INSERT_NAMES_SQL = "INSERT OR IGNORE INTO entry_names (key, entry, alias) VALUES {values}"
_NAMES_PER_STATEMENT = 300  # 900 bound values: within every SQLite's limit

# The order in which a name's live bearers take its links (see the module's doc): a title
# before an alias, then the oldest, then the first stored. For ``entry_names AS n`` joined with
# ``entries AS e``; ``LinkStore._resolve_batch`` orders the same (alias, created, seq) in Python.
BEARER_ORDER = "n.alias, e.created, e.seq"

# The live bearers of a link's name, best first; {where} chooses the links to resolve.
_RESOLVE_SQL = f"""
UPDATE links SET
    target = (
        SELECT n.entry FROM entry_names AS n JOIN entries AS e ON e.seq = n.entry
        WHERE n.key = links.target_key AND e.trashed IS NULL
        ORDER BY {BEARER_ORDER} LIMIT 1
    ),
    candidates = (
        SELECT count(*) FROM entry_names AS n JOIN entries AS e ON e.seq = n.entry
        WHERE n.key = links.target_key AND e.trashed IS NULL
    )
WHERE {{where}}
"""


def entry_names(
    title: str, aliases: Iterable[str], path: str | None = None
) -> list[tuple[str, int]]:
    """(key, is_alias) of an entry's names: the title first, an alias equal to it left out,
    then the key of its vault ``path`` if it came from a file."""
    names = [(name_key(title), 0)]
    seen = {names[0][0]}
    for alias in aliases:
        key = name_key(alias)
        if key and key not in seen:
            seen.add(key)
            names.append((key, 1))
    if path:
        names.append((path_key(path), 0))
    return names


def might_link(body: str) -> bool:
    """Whether ``body`` may hold a link at all (a wiki link, a Markdown link or definition)."""
    return "[[" in body or "](" in body or "]:" in body


def link_rows(
    seq: int, body: str, keys: dict[str, str] | None = None, folder: str | None = None
) -> list[LinkRow]:
    """The ``links`` rows of a body (links into the entry itself, ``[[#Heading]]``, have none);
    ``keys``: the batch's targets' keys so far (see simple_link_rows); ``folder``: the entry's,
    which a Markdown link to a note's file is relative to (``core/links/file_links.py``).

    A link naming a file (``[[paper.pdf]]``, ``![[x.png]]``) is an attachment's reference
    (``core/attachments``), not a link to an entry: it has no row, so it never counts as a link
    that resolves to nothing."""
    rows = simple_link_rows(seq, body, {} if keys is None else keys)
    if rows is None:
        rows = [
            (seq, link.start, link.end - link.start, link.embed, link.target, link.key,
             link.heading, link.shown)
            for link in links_in(body)
            if link.target
        ]  # fmt: skip
    if any("." in str(row[4]) for row in rows):
        rows = [row for row in rows if not _names_a_file(str(row[4]))]
    files = file_links_in(body, folder) if "](" in body or "]:" in body else []
    if files:
        rows = sorted(rows + _file_link_rows(seq, files, rows), key=lambda row: row[1])
    return rows


def _file_link_rows(seq: int, links: list[FileLink], wiki: list[LinkRow]) -> list[LinkRow]:
    """Rows of links to notes' files; ``target_text`` is the vault path the link names."""
    spans = [(row[1], row[1] + row[2]) for row in wiki]
    return [
        (seq, link.start, link.end - link.start, False, link.path, path_key(link.path),
         link.heading, link.shown or None)
        for link in links
        if not any(start <= link.start < end or link.start <= start < link.end
                   for start, end in spans)
    ]  # fmt: skip


def _insert_names(conn: sqlite3.Connection, names: list[tuple[str, int, int]]) -> None:
    """``entry_names`` rows, several to a statement: an import's 10,000 one-row statements cost
    twice as much (each row a statement's step; the links, with ten columns a row and an
    index of their own, gain nothing from it and stay one a row)."""
    rows = _NAMES_PER_STATEMENT
    full = len(names) - len(names) % rows
    if full:
        statement = _INSERT_NAMES_SQL.format(values=", ".join(["(?, ?, ?)"] * rows))
        for start in range(0, full, rows):
            conn.execute(statement, list(chain.from_iterable(names[start : start + rows])))
    if full < len(names):
        conn.executemany(_INSERT_NAME_SQL, names[full:])


def _names_a_file(target: str) -> bool:
    if "." not in target:
        return False
    from notebook_app.core.attachments.references import is_file_name  # first dotted target

    return is_file_name(target)


class BatchLinks(NamedTuple):
    names: list[tuple[str, int, int]]  # entry_names rows: (key, seq, is_alias)
    links: list[LinkRow]  # links rows without their resolution (see link_rows)


BatchEntry = tuple[int, str, Sequence[str], str, str | None, str | None]


def read_batch(entries: Iterable[BatchEntry]) -> BatchLinks:
    """The names and links of a batch of entries, each (seq, title, aliases, body, folder,
    file name): a batch about to be stored, or every stored entry (:meth:`LinkStore.rebuild`).
    No database, so it can run on another thread while the entries themselves are written."""
    names: list[tuple[str, int, int]] = []
    links: list[LinkRow] = []
    keys: dict[str, str] = {}  # target -> name_key(target), for the whole batch
    for seq, title, aliases, body, folder, file_name in entries:
        if aliases:
            names.extend((k, seq, a) for k, a in entry_names(title, aliases))
        else:
            names.append((name_key(title), seq, 0))
        path = entry_path(folder, file_name)
        if path:
            names.append((path_key(path), seq, 0))
        if might_link(body):
            links.extend(link_rows(seq, body, keys, folder))
    return BatchLinks(names, links)


def batch_of(added: Iterable[tuple[int, Entry]]) -> Iterator[BatchEntry]:
    """What :func:`read_batch` reads of entries about to be stored as ``seq``."""
    return (
        (seq, entry.title, entry.aliases, entry.body, entry.folder, entry.file_name)
        for seq, entry in added
    )


class LinkStore:
    """The link table of one connection; every method runs inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- maintenance ----------------------------------------------------------------------------

    def entries_added(
        self,
        added: Sequence[tuple[int, Entry]],
        first_seq: int,
        read: BatchLinks | None = None,
    ) -> None:
        """Names and links of entries just inserted (``seq`` from ``first_seq`` on); ``read``:
        :func:`read_batch` of ``added`` if it was read already (beside the insert, see
        ``Notebook.add_many``).

        The batch's links are resolved here, in Python, and inserted once with their targets:
        an UPDATE pass over a 10,000-file import's links would rewrite every row and its index
        entries a second time."""
        names, links = read if read is not None else read_batch(batch_of(added))
        _insert_names(self.conn, names)
        if links:
            resolved = self._resolve_batch({row[5] for row in links}, added, names, first_seq)
            self.conn.executemany(
                _INSERT_RESOLVED_LINK_SQL, [row + resolved[row[5]] for row in links]
            )
        # Links stored before that the new names may take (or make ambiguous).
        if self.conn.execute(
            "SELECT 1 FROM links WHERE source < ? LIMIT 1", [first_seq]
        ).fetchone():
            self._resolve(
                "source < ? AND target_key IN (SELECT key FROM entry_names WHERE entry >= ?)",
                [first_seq, first_seq],
            )

    def _resolve_batch(
        self,
        targets: set[str],
        added: Sequence[tuple[int, Entry]],
        names: list[tuple[str, int, int]],
        first_seq: int,
    ) -> dict[str, tuple[int | None, int]]:
        """(target, candidates) of each name in ``targets``, as _RESOLVE_SQL would find them
        once the batch is stored: the batch's own names are at hand, so only the names of
        entries stored before it are looked up (none, on an import into a new notebook)."""
        # name -> its live bearers as (alias, created, seq); "created" as the column holds it
        bearers: dict[str, list[tuple[int, str | None, int]]] = {}
        trashed = {seq for seq, entry in added if entry.trashed is not None}
        for key, seq, alias in names:
            if key in targets and seq not in trashed:
                bearers.setdefault(key, []).append((alias, None, seq))
        stored_before = self.conn.execute(
            "SELECT 1 FROM entry_names WHERE entry < ? LIMIT 1", [first_seq]
        ).fetchone()
        if stored_before:
            wanted = sorted(targets)
            for start in range(0, len(wanted), 900):  # SQLite's cap on bound parameters
                chunk = wanted[start : start + 900]
                for name, seq, alias, created in self.conn.execute(
                    "SELECT n.key, n.entry, n.alias, e.created FROM entry_names AS n "
                    "JOIN entries AS e ON e.seq = n.entry WHERE e.trashed IS NULL "
                    f"AND n.entry < ? AND n.key IN ({', '.join('?' * len(chunk))})",
                    [first_seq, *chunk],
                ):
                    bearers.setdefault(name, []).append((alias, created, seq))
        entries = dict(added)
        resolved: dict[str, tuple[int | None, int]] = {}
        for target in targets:
            found = bearers.get(target)
            if not found:
                resolved[target] = (None, 0)
            elif len(found) == 1:
                resolved[target] = (found[0][2], 1)
            else:  # the best bearer: a title before an alias, then the oldest, then first stored
                found = [
                    (
                        alias,
                        format_timestamp(entries[seq].created) if created is None else created,
                        seq,
                    )
                    for alias, created, seq in found
                ]
                resolved[target] = (min(found)[2], len(found))
        return resolved

    def entry_written(self, seq: int, entry: Entry) -> None:
        """An existing entry was saved: its links read again; its names, if changed, re-resolved."""
        self.conn.execute("DELETE FROM links WHERE source = ?", [seq])
        rows = link_rows(seq, entry.body, folder=entry.folder) if might_link(entry.body) else []
        if rows:
            self.conn.executemany(_INSERT_LINK_SQL, rows)
            self._resolve("source = ?", [seq])
        new_names = entry_names(
            entry.title, entry.aliases, entry_path(entry.folder, entry.file_name)
        )
        old_names = self.conn.execute(
            "SELECT key, alias FROM entry_names WHERE entry = ?", [seq]
        ).fetchall()
        if sorted(old_names) == sorted(new_names):
            return
        self.conn.execute("DELETE FROM entry_names WHERE entry = ?", [seq])
        self.conn.executemany(_INSERT_NAME_SQL, [(k, seq, a) for k, a in new_names])
        self.resolve_keys({key for key, _ in old_names} | {key for key, _ in new_names})

    def liveness_changed(self, seq: int) -> None:
        """An entry went to the trash or came back: the links naming it resolve again."""
        keys = [row[0] for row in self.conn.execute(
            "SELECT key FROM entry_names WHERE entry = ?", [seq]
        )]  # fmt: skip
        self.resolve_keys(keys)

    def resolve_keys(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for start in range(0, len(keys), 900):  # SQLite's cap on bound parameters
            chunk = keys[start : start + 900]
            self._resolve(f"target_key IN ({', '.join('?' * len(chunk))})", chunk)

    def _resolve(self, where: str, params: Sequence[object]) -> None:
        self.conn.execute(_RESOLVE_SQL.format(where=where), params)

    def add_file_links(self) -> None:
        """The vault paths and the links to notes' files of the stored entries, beside the rows
        already there (migration 0013, when these joined the table)."""
        names: list[tuple[str, int, int]] = []
        links: list[LinkRow] = []
        for seq, body, folder, file_name in self.conn.execute(
            "SELECT seq, body, folder, file_name FROM entries"
        ).fetchall():
            path = entry_path(folder, file_name)
            if path:
                names.append((path_key(path), seq, 0))
            if might_link(body):
                links += [
                    row
                    for row in link_rows(seq, body, folder=folder)
                    if row[5].startswith(PATH_KEY_MARK)
                ]
        _insert_names(self.conn, names)
        self.conn.executemany(_INSERT_LINK_SQL.replace("INSERT", "INSERT OR IGNORE", 1), links)
        self._resolve("substr(target_key, 1, 1) = char(31)", [])

    def rebuild(self) -> None:
        """Both tables from the entries (the migration; a recovered notebook)."""
        self.conn.execute("DELETE FROM links")
        self.conn.execute("DELETE FROM entry_names")
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(entries)")}
        # (Before the vault step, migration 0007, entries have no folder or file name.)
        where = "folder, file_name" if "file_name" in columns else "NULL, NULL"
        rows = self.conn.execute(f"SELECT seq, title, aliases, body, {where} FROM entries")
        names, links = read_batch(
            (seq, title, aliases_from_json(aliases), body, folder, file_name)
            for seq, title, aliases, body, folder, file_name in rows
        )
        _insert_names(self.conn, names)
        self.conn.executemany(_INSERT_LINK_SQL, links)
        self._resolve("1", [])


def aliases_from_json(text: str | None) -> list[str]:
    """The aliases column's JSON list (anything else, as a damaged row might hold: none)."""
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(item) for item in value if isinstance(item, str)] if isinstance(value, list) else []
