"""The one place a notebook database is opened.

Opening does, in order:

1. Look at the path. Only a path that does not exist becomes a new notebook, and only when the
   caller writes and allows it (``create``; ``create_folders`` for a missing folder). Reading
   commands on a missing path get "no notebook at PATH" and nothing is created. A folder, a
   device, a pipe or a socket is refused without being opened; so is an empty (0-byte) file:
   this app never leaves one (see step 2), so it is more likely a mistake than a notebook. An
   SQLite file with no tables is what earlier versions left when stopped while making a new
   notebook: it is completed.
2. A new notebook is built under a temporary name in the same folder (WAL switched on, every
   migration applied) and then hard-linked into place, which fails if the name appeared
   meanwhile. So nobody ever sees a half-made notebook, and several processes opening one new
   path at once never race to switch the journal mode (switching a shared file to WAL needs an
   exclusive lock that SQLite does not wait for: that was "database is locked" 1 run in 5).
3. An existing file is first looked at read-only: a file that is not SQLite, some other
   program's database, or a notebook written by a newer version is refused before anything is
   written to it.
4. Connect with the settings several processes need to share one file safely: WAL (readers
   never block the writer), a busy timeout, foreign keys on. A notebook that cannot be written
   (read-only file or folder) opens for reading when the caller only reads, and is refused with
   :class:`ReadOnlyNotebookError` when it writes. A reading connection is ``query_only``: the
   reading commands cannot change the file, whatever they run.
5. Apply pending migrations inside one ``BEGIN IMMEDIATE`` transaction, after a backup of the
   notebook as it was (see backups.py). A notebook that is up to date is only read.

SQLite errors that mean damage, a read-only file or a lock held too long are turned into the
core's one-line errors by ``problems.explain_sqlite_error``; damage that was seen is remembered
beside the file (``NAME-damaged``) so that later writes are refused until ``check`` finds the
notebook sound.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from notebook_app.core.errors import (
    NewerSchemaError,
    NoNotebookError,
    NotANotebookError,
    ReadOnlyNotebookError,
)
from notebook_app.core.storage import migrations, problems

# How long a writer waits for another process's transaction before giving up. Quick-capture
# processes and the window write small transactions; ten seconds is far more than any takes.
BUSY_TIMEOUT_SECONDS = 10.0


def _check_existing_file(path: Path) -> None:
    """Refuse, without writing anything, a file that is not a notebook this code can open."""
    # With no WAL file beside it, nobody has the file open: read it as immutable, which makes
    # SQLite create no -shm file either, so a refused file is left exactly as it was.
    wal_present = path.with_name(path.name + "-wal").exists()
    uri = path.resolve().as_uri() + ("?mode=ro" if wal_present else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise NotANotebookError(f"cannot open {path}: {error}") from None
    try:
        if is_foreign(conn):
            raise NotANotebookError(f"{path} is an SQLite database, but not a notebook")
        # No tables at all: a notebook an earlier version began to make and did not finish
        # (it made them in place); the migrations complete it.
        applied = migrations.applied_names(conn)
    except sqlite3.DatabaseError as error:
        if "file is not a database" in str(error):
            from notebook_app.core.storage import backups

            if backups.list_backups(path):  # it was a notebook: its first page is damaged
                raise NotANotebookError(
                    f"{path} cannot be read as a notebook any more ({error}); its backups: "
                    f"notebook-app --db {path} backups, then restore-backup latest"
                ) from None
            raise NotANotebookError(f"{path} is not a notebook ({error})") from None
        # A notebook whose first pages are damaged: say so, with what to do.
        raise problems.explain_sqlite_error(error, path) from None
    finally:
        conn.close()
    _refuse_newer_schema(path, applied)


def is_foreign(conn: sqlite3.Connection) -> bool:
    """Whether the database ``conn`` reads is some other program's: it has tables, but no record
    of the notebook's migrations (an SQLite file with no tables at all is a notebook begun)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return False
    if migrations.MIGRATIONS_TABLE not in tables:
        return True
    return not migrations.applied_names(conn) and bool(tables - {migrations.MIGRATIONS_TABLE})


def _refuse_newer_schema(path: Path | str, applied: list[str]) -> None:
    unknown = sorted(set(applied) - set(migrations.migration_names()))
    if unknown:
        raise NewerSchemaError(
            f"{path} was written by a newer version of notebook-app "
            f"(schema {', '.join(unknown)}); update the app to open it"
        )


def writable(path: Path) -> bool:
    """Whether the notebook file and its folder (for the -wal and -shm files) can be written.

    A function of its own so that tests running as root, which may write anything, can stand
    in a read-only notebook for a real one.
    """
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _refuse_odd_file(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise NotANotebookError(f"{path} is a folder, not a notebook file")
    if not stat.S_ISREG(mode):
        raise NotANotebookError(
            f"{path} is not a regular file (a device, pipe or socket), so not a notebook"
        )


def existing_file(path: Path) -> Path:
    """``path`` if it is a notebook-shaped file (regular, not empty), else a one-line error.

    For the commands that work on the file itself (check, recover, backups) and must not open
    a device or a pipe, which could block or never end.
    """
    status = _stat_or_none(path)
    if status is None:
        raise NoNotebookError(f"no notebook at {path}")
    _refuse_odd_file(path, status.st_mode)
    if status.st_size == 0:
        raise NotANotebookError(_EMPTY.format(path=path))
    return path


_EMPTY = "{path} is an empty file, not a notebook (remove it to start a notebook there)"


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            # Not a new notebook: a link to one that is missing (moved, or on a drive that is not
            # there). Creating it would write through the link into a file nobody meant.
            raise NoNotebookError(
                f"no notebook at {path}: it is a link to {os.readlink(path)}, which does not exist"
            ) from None
        return None
    except NotADirectoryError:
        raise NoNotebookError(f"no notebook at {path} (a part of the path is a file)") from None
    except PermissionError:
        raise NotANotebookError(f"cannot open {path}: permission denied") from None


def _new_connection(target: str, *, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(
        target,
        uri=uri,
        timeout=BUSY_TIMEOUT_SECONDS,
        # The window hands a connection's results across threads only through its own
        # queues; each thread that queries opens its own connection.
        check_same_thread=True,
    )


def _create(path: Path, *, migrate: bool) -> None:
    """Build a new notebook at ``path`` in one step (see step 2 of the module's docstring)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.new")
    try:
        conn = _new_connection(str(temporary))
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            _set_pragmas(conn)
            if migrate:
                with write_transaction(conn):
                    migrations.apply(conn)
            else:
                conn.execute("PRAGMA user_version = 0")  # writes the header: a real SQLite file
        finally:
            conn.close()
        try:
            os.link(temporary, path)  # fails if the name exists: the first process wins
        except FileExistsError:
            pass  # another process made it meanwhile: open theirs
        except OSError:
            # A file system without hard links: rename, which a racing process could win too.
            if not path.exists():
                os.replace(temporary, path)
    except sqlite3.Error as error:
        raise problems.explain_sqlite_error(error, path) from None
    finally:
        temporary.unlink(missing_ok=True)


def _set_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
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


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch an existing rollback-journal notebook to WAL (new ones are made in WAL).

    The switch needs an exclusive lock, and SQLite does not wait for it through the busy
    timeout when the connection already reads: retry until the timeout instead.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    if mode.lower() != "wal":
        # Network file systems may refuse WAL; the rollback journal still keeps the file safe.
        conn.execute("PRAGMA journal_mode = DELETE")


def connect(
    path: Path | str,
    *,
    migrate: bool = True,
    write: bool = True,
    create: bool = True,
    create_folders: bool = True,
) -> sqlite3.Connection:
    """Open the notebook at ``path`` (``":memory:"`` for tests).

    ``write=False`` opens for reading: never creates, never writes (``query_only``), and works
    on a read-only file or folder. ``create`` lets a missing path become a new notebook, and
    ``create_folders`` lets its missing folders be made; the command line allows the first only
    to the commands that write, the second only with ``--create``.
    """
    if str(path) == ":memory:":
        conn = _new_connection(":memory:")
        _set_pragmas(conn)
        if migrate:
            with write_transaction(conn):
                migrations.apply(conn)
        return conn
    path = Path(path).expanduser()
    status = _stat_or_none(path)
    if status is None:
        if not (write and create):
            raise NoNotebookError(f"no notebook at {path}")
        if not path.parent.is_dir():
            if not create_folders:
                raise NoNotebookError(
                    f"no notebook at {path}, and its folder {path.parent} does not exist"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, migrate=migrate)
    else:
        _refuse_odd_file(path, status.st_mode)
        if status.st_size == 0:
            raise NotANotebookError(_EMPTY.format(path=path))
        _check_existing_file(path)
    can_write = writable(path)
    if write:
        if not can_write:
            raise ReadOnlyNotebookError(problems.read_only_message(path))
        problems.refuse_if_damaged(path)
    try:
        return _open(path, can_write=can_write, write=write, migrate=migrate)
    except sqlite3.Error as error:
        raise problems.explain_sqlite_error(error, path) from None


def _open(path: Path, *, can_write: bool, write: bool, migrate: bool) -> sqlite3.Connection:
    if can_write:
        conn = _new_connection(str(path))
    else:
        conn = _new_connection(read_only_uri(path), uri=True)
    try:
        _set_pragmas(conn)
        if can_write:
            _use_wal(conn)
        if migrate:
            _migrate(conn, path, can_write=can_write)
        if not write:
            conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: Path, *, can_write: bool) -> None:
    applied = migrations.applied_names(conn)
    _refuse_newer_schema(path, applied)
    if not set(migrations.migration_names()) - set(applied):
        return
    if not can_write:
        raise ReadOnlyNotebookError(
            f"{path} was written by an earlier version of notebook-app and must be updated, "
            "but it is read-only"
        )
    from notebook_app.core.storage import backups  # only when a migration is due

    backups.make_backup(path, "migration")
    with write_transaction(conn):
        # Again under the write lock: another process may have migrated meanwhile.
        _refuse_newer_schema(path, migrations.applied_names(conn))
        migrations.apply(conn)


def read_only_uri(path: Path) -> str:
    """The URI that reads ``path`` without writing, and without creating files where it can't.

    No -shm file can be made in a read-only folder: then, with no -wal file either, nobody is
    writing the file and it can be read as immutable.
    """
    no_wal = not path.with_name(path.name + "-wal").exists()
    immutable = no_wal and not os.access(path.parent, os.W_OK)
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def reading_connection(path: Path) -> sqlite3.Connection:
    """A plain connection that only reads ``path`` (for backups and checks, no migrating).

    Where the notebook can be written it is an ordinary connection made ``query_only``: a
    ``mode=ro`` connection would leave -wal and -shm files behind that it may not remove.
    """
    if writable(path):
        conn = _new_connection(str(path))
        conn.execute("PRAGMA query_only = ON")
        return conn
    return _new_connection(read_only_uri(path), uri=True)


def is_read_only(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` was opened for reading (``connect(..., write=False)``)."""
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


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
