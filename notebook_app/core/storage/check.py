"""``notebook-app check``: is the notebook file sound?

The checks run on a copy made with the online backup API (in steps, as backups are): the
notebook itself is only read, never locked for long and never written, so the check works on
a read-only notebook and leaves a damaged one byte for byte as it was. (FTS5's own check is an
``INSERT`` command, which SQLite runs only on a connection that may write.)

What is checked: SQLite's ``PRAGMA integrity_check`` (every page, b-tree, index and constraint),
each full-text index's ``integrity-check`` command, that each index holds one row per entry, and
that every stored file (attachment) still has the SHA-256 it is stored under (a page can be
sound and its bytes still wrong).
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notebook_app.core.errors import NotANotebookError, NotebookError
from notebook_app.core.storage import backups, database, problems

FULL_TEXT_INDEXES = ("entries_fts", "titles_fts")
# integrity_check stops after this many problems: enough to judge, short enough to print.
MAX_PROBLEMS = 20


@dataclass
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    entries: int | None = None

    @property
    def sound(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "sound": self.sound,
            "checked": self.checked,
            "problems": self.problems,
            "entries": self.entries,
        }


def check_notebook(
    path: Path, *, progress: Callable[[int, int], None] | None = None
) -> CheckReport:
    """Check the notebook at ``path``; record the verdict (damage marker set or cleared). A
    folder, a device, a pipe or an empty file is refused before anything is opened."""
    database.existing_file(path)
    report = CheckReport(path)
    with tempfile.TemporaryDirectory(prefix="notebook-check-") as folder:
        copy = Path(folder) / "copy.db"
        try:
            source = database.reading_connection(path)
            try:
                backups.copy_database(source, copy, progress=progress)
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            if problems.is_disk_full(error):  # only the copy writes, into the temporary folder
                raise NotebookError(
                    f"cannot check {path}: no room for the copy it checks in the temporary "
                    f"folder {Path(folder).parent} (its disk is full); the notebook was not changed"
                ) from None
            if not problems.is_damage(error):
                raise problems.explain_sqlite_error(error, path) from None
            report.problems.append(f"the file cannot be read as a database: {error}")
        else:
            _refuse_foreign(copy, path)  # another program's database is not damaged: no marker
            _check_copy(copy, report)
    if report.sound:
        problems.clear_damage(path)
    else:
        problems.mark_damaged(path, f"by check: {report.problems[0]}")
    return report


def _refuse_foreign(copy: Path, path: Path) -> None:
    conn = sqlite3.connect(copy)
    try:
        foreign = database.is_foreign(conn)
    except sqlite3.DatabaseError:
        return  # the checks below say what is wrong
    finally:
        conn.close()
    if foreign:
        raise NotANotebookError(f"{path} is an SQLite database, but not a notebook")


def _check_copy(copy: Path, report: CheckReport) -> None:
    conn = sqlite3.connect(copy)
    try:
        try:
            rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
        except sqlite3.DatabaseError as error:
            rows = [(str(error),)]
        report.checked.append("integrity_check")
        # SQLite may give several problems in one row, one per line, under a header line.
        report.problems.extend(
            line
            for row in rows
            if row[0] != "ok"
            for line in str(row[0]).splitlines()
            if line.strip() and not line.startswith("*** in database")
        )
        try:
            report.entries = int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])
        except sqlite3.DatabaseError as error:
            report.problems.append(f"the entries cannot be counted: {error}")
        for index in FULL_TEXT_INDEXES:
            report.checked.append(index)
            try:
                conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
                rows_indexed = int(conn.execute(f"SELECT count(*) FROM {index}").fetchone()[0])
            except sqlite3.DatabaseError as error:
                report.problems.append(f"the full-text index {index} is damaged: {error}")
                continue
            if report.entries is not None and rows_indexed != report.entries:
                report.problems.append(
                    f"the full-text index {index} holds {rows_indexed} rows "
                    f"for {report.entries} entries"
                )
        _check_blobs(conn, report)
    finally:
        conn.rollback()
        conn.close()


def _check_blobs(conn: sqlite3.Connection, report: CheckReport) -> None:
    """Each stored file's bytes against their hash, one at a time (files can be large)."""
    try:
        ids = [row[0] for row in conn.execute("SELECT id FROM blobs ORDER BY id")]
    except sqlite3.OperationalError:
        return  # a notebook from before attachments
    except sqlite3.DatabaseError as error:
        report.problems.append(f"the stored files cannot be listed: {error}")
        return
    report.checked.append("attachments")
    bad: list[str] = []
    for blob in ids:
        try:
            digest, data = conn.execute(
                "SELECT sha256, data FROM blobs WHERE id = ?", [blob]
            ).fetchone()
        except sqlite3.DatabaseError as error:
            report.problems.append(f"stored file {blob} cannot be read: {error}")
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            names = [row[0] for row in conn.execute(
                "SELECT path FROM attachments WHERE blob = ? ORDER BY path", [blob]
            )]  # fmt: skip
            bad.append(", ".join(names) or f"stored file {blob}")
    for name in bad[:MAX_PROBLEMS]:
        report.problems.append(f"the attachment {name} does not match its hash (damaged)")
