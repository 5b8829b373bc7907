"""``notebook-app recover OUT``: copy what can still be read of a damaged notebook.

SQLite reports damage per page, so the tables are read by key ranges: a range that fails is
halved until the failing keys are single rows. One bad page then loses only the rows on it
(plus, for a damaged interior page, the rows below it), and the report names them. The rows
read are written, keys unchanged, into a new notebook at OUT (made like any new notebook, in
one transaction), and the full-text indexes are rebuilt from the entries there. The damaged
notebook is only read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notebook_app.core.errors import NotANotebookError, NotebookError
from notebook_app.core.search.index_text import cjk_index_text
from notebook_app.core.storage import database, migrations
from notebook_app.core.storage.links import LinkStore
from notebook_app.core.storage.rows import TITLE_CJK

# Keys read per query when nothing fails.
CHUNK = 1000
# (table, key column): read in this order; entry_tags and entry_history follow their entries.
TABLES = (
    ("tags", "id"), ("entries", "seq"), ("entry_tags", "entry"), ("entry_history", "id"),
    ("review_cards", "entry"), ("review_log", "id"), ("vault_files", "entry"),
    ("blobs", "id"), ("attachments", "id"), ("attachment_refs", "entry"),
    ("attachment_sync", "attachment"),
)  # fmt: skip
# What a table's rows are called: (one, several).
_WHAT = {
    "tags": ("tag", "tags"),
    "entries": ("entry", "entries"),
    "entry_tags": ("tag link", "tag links"),
    "entry_history": ("revision", "revisions"),
    "review_cards": ("review card", "review cards"),
    "review_log": ("rating", "ratings"),
    "vault_files": ("vault file record", "vault file records"),
    "blobs": ("stored file", "stored files"),
    "attachments": ("attachment", "attachments"),
    "attachment_refs": ("attachment reference", "attachment references"),
    "attachment_sync": ("synced file record", "synced file records"),
}


def _count(n: int, table: str) -> str:
    one, several = _WHAT[table]
    return f"{n} {one if n == 1 else several}"


@dataclass
class RecoveryReport:
    source: Path
    target: Path
    copied: dict[str, int] = field(default_factory=dict)
    # Per table, the key ranges (first, last) that could not be read.
    unread: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Per table, rows read but refused by the new notebook (a damaged value).
    refused: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not any(self.unread.values()) and not any(self.refused.values())

    def lines(self) -> list[str]:
        copied = ", ".join(_count(n, table) for table, n in self.copied.items())
        lines = [f"recovered {copied} into {self.target}"]
        for table, ranges in self.unread.items():
            if ranges:
                shown = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:10])
                more = f" and {len(ranges) - 10} more ranges" if len(ranges) > 10 else ""
                lines.append(f"could not read {_WHAT[table][1]} with keys {shown}{more}")
        for table, n in self.refused.items():
            if n:
                lines.append(f"left out {_count(n, table)}, damaged")
        return lines


def _open_source(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise NotebookError(f"no notebook at {path}")
    # Immutable when no WAL: a damaged notebook is written by nobody (writes are refused).
    wal = path.with_name(path.name + "-wal").exists()
    conn = sqlite3.connect(
        database.read_only_uri(path) if wal else path.resolve().as_uri() + "?mode=ro&immutable=1",
        uri=True,
    )
    # A damaged page can turn text into bytes that are not UTF-8: keep what is readable.
    conn.text_factory = lambda data: data.decode("utf-8", "replace")
    return conn


def _first_that_works(conn: sqlite3.Connection, queries: list[str]) -> int | None:
    for sql in queries:
        try:
            value = conn.execute(sql).fetchone()[0]
        except sqlite3.DatabaseError:
            continue
        if value is not None:
            return int(value)
    return None


def _key_bounds(conn: sqlite3.Connection, table: str, key: str) -> tuple[int, int] | None:
    """The smallest and largest key, asked of the table and then of what else knows them."""
    others = {
        "entries": [
            "SELECT max(seq) FROM entries INDEXED BY entries_by_created",
            "SELECT max(entry) FROM entry_history",
            "SELECT max(entry) FROM entry_tags",
        ],
        "tags": ["SELECT max(tag) FROM entry_tags INDEXED BY entry_tags_by_tag"],
    }.get(table, [])
    high = _first_that_works(conn, [f"SELECT max({key}) FROM {table}", *others])
    if high is None:
        # Nothing knows: every page could hold rows; a generous bound on keys per page.
        pages = _first_that_works(conn, ["PRAGMA page_count"]) or 0
        if pages == 0:
            return None
        high = pages * 50
    low = _first_that_works(conn, [f"SELECT min({key}) FROM {table}"]) or 1
    return (min(low, high), high)


def _read_table(
    conn: sqlite3.Connection, table: str, key: str, columns: list[str]
) -> tuple[list[tuple[object, ...]], list[tuple[int, int]]]:
    """Every row of ``table`` that can be read, and the key ranges that could not be."""
    bounds = _key_bounds(conn, table, key)
    if bounds is None:
        return [], []
    sql = f"SELECT {', '.join(columns)} FROM {table} NOT INDEXED WHERE {key} BETWEEN ? AND ?"
    rows: list[tuple[object, ...]] = []
    lost: list[int] = []

    def read(low: int, high: int) -> None:
        try:
            rows.extend(conn.execute(sql, [low, high]).fetchall())
        except sqlite3.DatabaseError:
            if low == high:
                lost.append(low)
                return
            middle = (low + high) // 2
            read(low, middle)
            read(middle + 1, high)

    low, high = bounds
    for start in range(low, high + 1, CHUNK):
        read(start, min(start + CHUNK - 1, high))
    return rows, _ranges(lost)


def _ranges(keys: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for k in sorted(keys):
        if ranges and ranges[-1][1] == k - 1:
            ranges[-1] = (ranges[-1][0], k)
        else:
            ranges.append((k, k))
    return ranges


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    # table_info leaves out generated columns (entries.day), which are never written.
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def recover_notebook(
    source: Path, target: Path, *, progress: Callable[[str], None] | None = None
) -> RecoveryReport:
    """Copy every readable entry, tag, tag link, revision, review, vault record and attachment
    (each file's bytes only if they still match their hash) of ``source`` into new ``target``."""
    database.existing_file(source)  # never a folder, a device or a pipe
    if target.exists():
        raise NotebookError(f"{target} exists; recover writes a new notebook: give a new name")
    if not target.parent.is_dir():  # said of OUT as of a file to write, not a notebook to read
        raise NotebookError(f"cannot write {target}: no folder {target.parent}")
    report = RecoveryReport(source, target)
    src = _open_source(source)
    try:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        src.close()
        raise NotebookError(
            f"{source} cannot be read as a database at all ({error}); nothing to recover: "
            f"restore a backup (notebook-app --db {source} backups lists them)"
        ) from None
    try:
        foreign = database.is_foreign(src)
    except sqlite3.DatabaseError:
        foreign = False  # damaged: read what can be read
    if foreign:
        src.close()
        raise NotANotebookError(f"{source} is an SQLite database, but not a notebook")
    # Written under a hidden name and put in place whole at the end: an interrupted or failed
    # recovery leaves nothing at OUT that looks like a notebook recovered (empty, or half).
    partial = target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(3).hex()}.recovering")
    try:
        _fill(src, partial, report, progress)
        try:
            os.link(partial, target)  # fails if OUT appeared meanwhile: never overwritten
        except FileExistsError:
            raise NotebookError(
                f"{target} exists; recover writes a new notebook: give a new name"
            ) from None
        except OSError:  # a file system without hard links (as database._create does)
            if target.exists():
                raise NotebookError(f"{target} exists; recover writes a new notebook") from None
            os.replace(partial, target)
    finally:
        src.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    return report


def _fill(
    src: sqlite3.Connection,
    partial: Path,
    report: RecoveryReport,
    progress: Callable[[str], None] | None,
) -> None:
    """Copy what can be read of ``src`` into a new notebook at ``partial``."""
    out = database.connect(partial, create_folders=False)
    try:
        try:
            source_columns = {table: set(_columns(src, table)) for table, _key in TABLES}
        except sqlite3.DatabaseError:
            source_columns = {}
        copied_keys: dict[str, set[object]] = {}
        with database.write_transaction(out):
            for table, key in TABLES:
                if progress is not None:
                    progress(table)
                if source_columns and not source_columns.get(table):
                    continue  # a table the source's (older) schema does not have
                wanted = _columns(out, table)
                columns = [c for c in wanted if c in source_columns.get(table, wanted)]
                rows, unread = _read_table(src, table, key, columns)
                report.unread[table] = unread
                if table == "entries" and TITLE_CJK not in columns:
                    columns, rows = _with_title_cjk(columns, rows)
                linked = _keep_linked(table, columns, rows, copied_keys)
                if table == "blobs" and len(linked) < len(rows):  # bytes not matching their hash
                    report.refused["blobs"] = len(rows) - len(linked)
                kept = _insert(out, table, columns, linked, report)
                copied_keys[table] = {row[columns.index(key)] for row in kept}
                if table == "tags":
                    copied_keys["tag ids"] = {row[columns.index("id")] for row in kept}
            for statement in migrations.index_new_entries_sql():
                out.execute(statement, {"first_seq": 0})
            LinkStore(out).rebuild()  # the link table is derived: read again from the bodies
        out.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file that is linked
    finally:
        out.close()


def _with_title_cjk(
    columns: list[str], rows: list[tuple[object, ...]]
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Entries from a notebook before the title index had CJK bigrams, with them (written with
    the rows: once the index is built, an update would remove from it what it never held)."""
    title, aliases = columns.index("title"), columns.index("aliases")
    texts = [
        cjk_index_text(*(value if isinstance(value, str) else None for value in names))
        for names in ((row[title], row[aliases]) for row in rows)
    ]
    return [*columns, TITLE_CJK], [(*row, text) for row, text in zip(rows, texts, strict=True)]


def _keep_linked(
    table: str,
    columns: list[str],
    rows: list[tuple[object, ...]],
    copied: dict[str, set[object]],
) -> list[tuple[object, ...]]:
    """Links, revisions, records and references only for entries (tags, files) that made it."""
    if table == "entry_tags":
        entry, tag = columns.index("entry"), columns.index("tag")
        return [r for r in rows if r[entry] in copied["entries"] and r[tag] in copied["tag ids"]]
    if table in ("entry_history", "review_cards", "review_log", "vault_files"):
        entry = columns.index("entry")
        return [r for r in rows if r[entry] in copied["entries"]]
    if table == "blobs":  # a file's bytes are kept only if they still have their hash
        data, digest = columns.index("data"), columns.index("sha256")
        return [r for r in rows if _intact(r[data], r[digest])]
    if table == "attachments":
        blob = columns.index("blob")
        return [r for r in rows if r[blob] in copied["blobs"]]
    if table == "attachment_sync":
        attachment = columns.index("attachment")
        return [r for r in rows if r[attachment] in copied["attachments"]]
    if table == "attachment_refs":
        entry, attachment = columns.index("entry"), columns.index("attachment")
        return [
            r for r in rows
            if r[entry] in copied["entries"] and r[attachment] in copied["attachments"]
        ]  # fmt: skip
    if table == "entries" and "aliases" in columns:
        at = columns.index("aliases")
        return [r if _is_json_list(r[at]) else (*r[:at], "[]", *r[at + 1 :]) for r in rows]
    return rows


def _intact(data: object, digest: object) -> bool:
    return isinstance(data, bytes) and hashlib.sha256(data).hexdigest() == digest


def _is_json_list(text: object) -> bool:
    try:
        return isinstance(json.loads(str(text)), list)
    except ValueError:
        return False


def _insert(
    out: sqlite3.Connection,
    table: str,
    columns: list[str],
    rows: list[tuple[object, ...]],
    report: RecoveryReport,
) -> list[tuple[object, ...]]:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    kept = []
    for row in rows:
        try:
            out.execute(sql, row)
        except sqlite3.DatabaseError:  # a value the schema refuses: damaged
            report.refused[table] = report.refused.get(table, 0) + 1
            continue
        kept.append(row)
    report.copied[table] = len(kept)
    return kept
