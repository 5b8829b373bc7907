"""The one place a notebook database is opened.

Opening does, in order:

1. If the file exists, look at it read-only first. A file that is not SQLite, a SQLite file
   that is some other program's, or a notebook written by a newer version of the app is refused
   with a clear error before anything is written to it (switching to WAL alone would change it).
2. Connect with the settings several processes need to share one file safely: WAL (readers
   never block the writer), a busy timeout (a second writer waits instead of failing with
   "database is locked"), foreign keys on.
3. Apply pending migrations inside one ``BEGIN IMMEDIATE`` transaction, so two processes opening
   a new notebook at once cannot both migrate it. A notebook that is up to date (every start
   but the first after an update) is only read: no write lock, and sqlite-utils, which runs the
   migrations, is not even imported.

The notebook is a plain ``sqlite3.Connection``: the core writes its SQL itself (FTS5 and batch
inserts want exact statements), and uses sqlite-utils for the migrations.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from notebook_app.core.errors import NewerSchemaError, NotANotebookError
from notebook_app.core.storage import migrations

# How long a writer waits for another process's transaction before giving up. Quick-capture
# processes and the window write small transactions; ten seconds is far more than any takes.
BUSY_TIMEOUT_SECONDS = 10.0


def _check_existing_file(path: Path) -> None:
    """Refuse, without writing anything, a file that is not a notebook this code can open."""
    if path.is_dir():
        raise NotANotebookError(f"{path} is a folder, not a notebook file")
    if path.stat().st_size == 0:
        return
    # With no WAL file beside it, nobody has the file open: read it as immutable, which makes
    # SQLite create no -shm file either, so a refused file is left exactly as it was.
    wal_present = path.with_name(path.name + "-wal").exists()
    uri = path.resolve().as_uri() + ("?mode=ro" if wal_present else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise NotANotebookError(f"cannot open {path}: {error}") from None
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return
        if migrations.MIGRATIONS_TABLE not in tables:
            raise NotANotebookError(f"{path} is an SQLite database, but not a notebook")
        applied = migrations.applied_names(conn)
    except sqlite3.DatabaseError as error:
        raise NotANotebookError(f"{path} is not a notebook ({error})") from None
    finally:
        conn.close()
    if not applied and tables - {migrations.MIGRATIONS_TABLE}:
        raise NotANotebookError(f"{path} is an SQLite database, but not a notebook")
    _refuse_newer_schema(path, applied)


def _refuse_newer_schema(path: Path | str, applied: list[str]) -> None:
    unknown = sorted(set(applied) - set(migrations.migration_names()))
    if unknown:
        raise NewerSchemaError(
            f"{path} was written by a newer version of notebook-app "
            f"(schema {', '.join(unknown)}); update the app to open it"
        )


def connect(path: Path | str, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the notebook database at ``path``; ``":memory:"`` for tests."""
    in_memory = str(path) == ":memory:"
    if not in_memory:
        path = Path(path).expanduser()
        if path.exists():
            _check_existing_file(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_SECONDS,
            # The window hands a connection's results across threads only through its own
            # queues; each thread that queries opens its own connection.
            check_same_thread=True,
        )
    except sqlite3.Error as error:
        raise NotANotebookError(f"cannot open {path}: {error}") from None
    conn.execute("PRAGMA foreign_keys = ON")
    if not in_memory:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            # Network file systems may refuse WAL; the rollback journal still keeps the file safe.
            conn.execute("PRAGMA journal_mode = DELETE")
    # NORMAL is durable against application crashes in WAL mode; only a power cut can lose the
    # last transaction, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    # 32 MB of page cache (the default is 2 MB): the id and FTS indexes of a 100,000-entry
    # notebook then stay in memory, which halves bulk imports and steadies search times.
    conn.execute("PRAGMA cache_size = -32000")
    # sqlite-utils' connections run with recursive triggers, which the notebook's triggers were
    # written against (they make the FTS delete triggers fire for rows an INSERT OR REPLACE
    # removes); set here so it holds whether or not sqlite-utils ever wraps this connection.
    conn.execute("PRAGMA recursive_triggers = ON")
    if migrate:
        try:
            applied = migrations.applied_names(conn)
            _refuse_newer_schema(path, applied)
            if set(migrations.migration_names()) - set(applied):
                with write_transaction(conn):
                    # Again under the write lock: another process may have migrated meanwhile.
                    _refuse_newer_schema(path, migrations.applied_names(conn))
                    migrations.apply(conn)
        except BaseException:
            conn.close()
            raise
    return conn


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A transaction that takes the write lock up front (``BEGIN IMMEDIATE``).

    A deferred transaction that reads and then writes cannot wait for another writer: SQLite
    fails it at once with "database is locked". Taking the lock first lets the busy timeout work.
    Nested use becomes a savepoint: a failure inside undoes only the nested part.
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested_write")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO nested_write")
            conn.execute("RELEASE nested_write")
            raise
        conn.execute("RELEASE nested_write")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    else:
        conn.commit()


def default_database_path() -> Path:
    """Where the notebook lives: ``$NOTEBOOK_APP_DB``, else the user data directory."""
    override = os.environ.get("NOTEBOOK_APP_DB")
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only start-up without --db needs it

    return Path(platformdirs.user_data_dir("notebook-app", appauthor=False)) / "notebook.db"
