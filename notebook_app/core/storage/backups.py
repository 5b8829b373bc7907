"""Rolling backups of a notebook, made with SQLite's online backup API.

A backup is a complete notebook file, copied page by page while other programs keep using the
notebook (``sqlite3.Connection.backup`` in steps: between steps the notebook is not locked, so
a backup on a worker thread never keeps the window or a capture waiting). Each copy is checked
(``PRAGMA quick_check``) before it counts: a damaged notebook is reported and marked damaged,
and its copy is kept under a ``-damaged`` name that never pushes a sound backup out.

Where: a ``backups`` folder beside the notebook file (for the default notebook, the user data
directory's ``backups``). Names: ``<notebook name>-<UTC time>-<reason>.db``, e.g.
``notebook-20261126T014000Z-daily.db``, the name without ``.db`` (:func:`backup_key`); several
notebooks in one folder keep apart by it.

When: once a day (:func:`backup_if_due`, which the window calls at start on a worker and the
writing commands call: it costs a directory listing when today's backup exists), before every
migration (database.py) and before every import (:func:`backup_before`).

What is kept (:func:`rotate`): the newest backup of each of the last 7 days that have one, the
newest of each of the last 4 weeks, and the newest 5 whatever their day (so the backups before
a day's imports survive that day); then the oldest go until the total is under ``max_bytes``,
never the newest.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from notebook_app.core.errors import DamagedNotebookError, NotebookError, ReadOnlyNotebookError
from notebook_app.core.model.entry import format_timestamp
from notebook_app.core.storage import database, problems

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_NEWEST = 5
# Pages copied per step (4 KB pages: 16 MB), then the notebook is free for others for a moment.
PAGES_PER_STEP = 4096
_NAME = re.compile(r"^(?P<stem>.+)-(?P<time>\d{8}T\d{6}Z)-(?P<reason>[a-z-]+)\.db$")
_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Backup:
    path: Path
    time: dt.datetime  # UTC
    reason: str  # daily, migration, import, before-restore...
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def damaged(self) -> bool:
        return self.reason.endswith("damaged")

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "time": format_timestamp(self.time),  # as every time the command line prints
            "reason": self.reason,
            "size": self.size,
            "path": str(self.path),
        }


def backup_key(notebook: Path) -> str:
    """What the notebook's backups are named after: its file name without ``.db``, or all of it
    for another suffix, so that ``work.db`` and ``work.sqlite`` in one folder never share (and
    restore, and rotate away) each other's backups."""
    return notebook.stem if notebook.suffix == ".db" else notebook.name


def _keys(notebook: Path) -> set[str]:
    """The names the notebook's backups may carry: before ``backup_key``, every notebook's were
    named after its stem; those of ``work.sqlite`` are still its own when no ``work.db`` is
    beside it to claim them."""
    keys = {backup_key(notebook)}
    if notebook.suffix != ".db" and not notebook.with_name(notebook.stem + ".db").exists():
        keys.add(notebook.stem)
    return keys


def backups_folder(notebook: Path) -> Path:
    return notebook.parent / "backups"


def list_backups(notebook: Path, folder: Path | None = None) -> list[Backup]:
    """The notebook's backups, newest first."""
    folder = folder or backups_folder(notebook)
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    keys = _keys(notebook)
    for name in names:
        match = _NAME.match(name)
        if match is None or match["stem"] not in keys:
            continue
        time = dt.datetime.strptime(match["time"], _TIME_FORMAT).replace(tzinfo=dt.UTC)
        try:
            size = (folder / name).stat().st_size
        except OSError:
            continue
        found.append(Backup(folder / name, time, match["reason"], size))
    return sorted(found, key=lambda b: (b.time, b.name), reverse=True)


def copy_database(
    source: sqlite3.Connection,
    target: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Copy ``source`` into a new file ``target`` with the online backup API, in steps.

    A WAL notebook is copied from one snapshot, held in a read transaction across the steps:
    readers block no writer in WAL mode, and without it every commit by another connection
    between two steps (an autosave each second) would restart the copy from the beginning.
    A rollback-journal notebook is copied step by step without one, so writers get in between.
    """
    destination = sqlite3.connect(str(target))
    snapshot = source.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    try:

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        if snapshot:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        source.backup(destination, pages=PAGES_PER_STEP, progress=report)
        # A copy is one self-contained file: in the rollback journal, it is read (even
        # read-only) without -wal and -shm files appearing beside it. Opening it as a notebook
        # switches it back to WAL.
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        if snapshot and source.in_transaction:
            source.rollback()
        destination.close()


def _quick_check(path: Path) -> str:
    """ "ok", or what ``PRAGMA quick_check`` (or opening) found wrong in the file at ``path``."""
    try:
        conn = sqlite3.connect(database.read_only_uri(path), uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check(5)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "; ".join(str(row[0]) for row in rows)


def make_backup(
    notebook: Path,
    reason: str,
    *,
    folder: Path | None = None,
    now: Clock = _utc_now,
    max_bytes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    rotate_after: bool = True,
) -> Backup:
    """Copy the notebook into its backups folder now, check the copy, rotate; return it."""
    folder = folder or backups_folder(notebook)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now().astimezone(dt.UTC)
    final = folder / f"{backup_key(notebook)}-{stamp.strftime(_TIME_FORMAT)}-{reason}.db"
    # Two processes backing up in the same second write apart, and the last rename wins.
    partial = final.with_name(f".{final.name}.{os.getpid()}-{os.urandom(3).hex()}.partial")
    # Made here first, so that a folder that cannot be written is an OSError about the folder
    # (the caller may go on without a backup), not SQLite's "unable to open" about the notebook.
    partial.touch(exist_ok=False)
    try:
        source = database.reading_connection(notebook)
        try:
            copy_database(source, partial, progress=progress)
        finally:
            source.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        if problems.is_disk_full(error):
            # Only the copy writes: it is the backups folder's disk that is full.
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder)) from None
        raise problems.explain_sqlite_error(error, notebook) from None
    except BaseException:
        partial.unlink(missing_ok=True)  # interrupted (Ctrl+C): no hidden copy left behind
        raise
    try:
        verdict = _quick_check(partial)
        if verdict != "ok":
            problems.mark_damaged(notebook, f"by the {reason} backup: {verdict}", now=stamp)
            final = final.with_name(final.name.replace(".db", "-damaged.db"))
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)  # gone once renamed; else interrupted
    if rotate_after:
        rotate(notebook, folder=folder, max_bytes=max_bytes)
    return Backup(
        final, stamp.replace(microsecond=0), final.stem.rsplit("-", 1)[-1], final.stat().st_size
    )


def backup_before(
    notebook: Path, reason: str, *, folder: Path | None = None, now: Clock = _utc_now
) -> Backup:
    """A backup before an operation that changes much (``backup_before(path, "import")``)."""
    return make_backup(notebook, reason, folder=folder, now=now)


def backup_if_due(
    notebook: Path,
    *,
    folder: Path | None = None,
    now: Clock = _utc_now,
    max_bytes: int | None = None,
) -> Backup | None:
    """The daily backup, if none was made today (UTC); cheap when one was."""
    today = now().astimezone(dt.UTC).date()
    existing = list_backups(notebook, folder)
    if any(b.time.date() == today and not b.damaged for b in existing):
        return None
    return make_backup(notebook, "daily", folder=folder, now=now, max_bytes=max_bytes)


def rotate(
    notebook: Path, *, folder: Path | None = None, max_bytes: int | None = None
) -> list[Backup]:
    """Delete the backups the keeping rules (module docstring) do not keep; return them."""
    backups = list_backups(notebook, folder)
    sound = [b for b in backups if not b.damaged]
    keep: set[Path] = {b.path for b in sound[:KEEP_NEWEST]}
    days: list[dt.date] = []
    weeks: list[tuple[int, int]] = []
    for backup in sound:  # newest first: the first seen of a day or week is its newest
        day = backup.time.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(backup.path)
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.append(week)
            keep.add(backup.path)
    # Damaged copies: only the newest is kept, as evidence.
    damaged = [b for b in backups if b.damaged]
    keep.update(b.path for b in damaged[:1])
    if max_bytes is not None:
        kept = [b for b in backups if b.path in keep]
        total = sum(b.size for b in kept)
        for backup in reversed(kept[1:]):  # oldest first, never the newest
            if total <= max_bytes:
                break
            keep.discard(backup.path)
            total -= backup.size
    removed = [b for b in backups if b.path not in keep]
    for backup in removed:
        backup.path.unlink(missing_ok=True)
    return removed


def find_backup(notebook: Path, name: str, folder: Path | None = None) -> Backup:
    """A backup by file name (or a unique prefix of it), or ``latest`` for the newest sound one."""
    backups = list_backups(notebook, folder)
    if name == "latest":
        sound = [b for b in backups if not b.damaged]
        if not sound:
            raise NotebookError(
                f"{notebook} has no backups in {folder or backups_folder(notebook)}"
            )
        return sound[0]
    matches = [b for b in backups if b.name == name] or [
        b for b in backups if b.name.startswith(name)
    ]
    if len(matches) != 1:
        what = "no backup" if not matches else f"{len(matches)} backups"
        raise NotebookError(f"{what} named {name} (notebook-app backups lists them)")
    return matches[0]


def restore_backup(
    notebook: Path, backup: Backup, *, folder: Path | None = None, now: Clock = _utc_now
) -> Path | None:
    """Put ``backup`` in place of the notebook; return where the notebook as it was is kept.

    The current notebook is first copied aside into the backups folder (``before-restore``).
    The backup is then written into the notebook with the backup API, under SQLite's lock, so
    a window that has the notebook open sees the restored entries rather than keep writing
    into a file that was replaced. A notebook that cannot be opened as a database at all is
    moved aside whole (with its WAL) and the backup copied into its place. A folder, a device
    or a pipe in the notebook's place is refused, and so is a notebook that cannot be written.
    """
    if notebook.exists():
        if not notebook.is_file():
            database.existing_file(notebook)  # says which odd file it is
        if not database.writable(notebook):
            raise ReadOnlyNotebookError(problems.read_only_message(notebook))
    verdict = _quick_check(backup.path)
    if verdict != "ok":
        raise NotebookError(f"the backup {backup.name} is itself damaged ({verdict}); pick another")
    folder = folder or backups_folder(notebook)
    if not notebook.exists():
        _copy_to_new_file(backup.path, notebook)
        return None
    try:
        aside: Path | None = _copy_aside_with_no_writer(notebook, folder, now)
        _copy_into(backup.path, notebook)
    except OSError as error:  # the backups folder cannot be written, or its disk is full
        raise NotebookError(
            f"the notebook could not be copied aside into {folder} ({error.strerror or error}), "
            "so nothing was restored"
        ) from None
    except (NotebookError, sqlite3.DatabaseError) as error:
        # Only a notebook that cannot be read as a database is moved aside whole. A full disk,
        # a lock held too long or a folder that cannot be written changed nothing: say so, and
        # leave the notebook where it is.
        if not (isinstance(error, DamagedNotebookError) or problems.is_damage(error)):
            if isinstance(error, sqlite3.Error):
                raise problems.explain_sqlite_error(error, notebook) from None
            raise
        stamp = now().astimezone(dt.UTC).strftime(_TIME_FORMAT)
        aside = folder / f"{backup_key(notebook)}-{stamp}-before-restore-file.db"
        folder.mkdir(parents=True, exist_ok=True)
        moved = _move_with_journal(notebook, aside)
        try:
            _copy_to_new_file(backup.path, notebook)
        except BaseException:
            _move_with_journal(aside, notebook, moved)  # the notebook back where it was
            raise
    problems.clear_damage(notebook)
    return aside


def _copy_aside_with_no_writer(notebook: Path, folder: Path, now: Clock) -> Path:
    """The before-restore copy, made while this process holds the notebook's write lock.

    Otherwise a window's save committed while the copy is made (or waiting for the lock when
    it began) is in neither the copy nor the restored notebook: lost. Readers go on meanwhile
    (WAL); the lock is given back just before the restore takes it again.
    """
    guard = sqlite3.connect(str(notebook), timeout=database.BUSY_TIMEOUT_SECONDS)
    guard.isolation_level = None  # transactions as written here
    try:
        guard.execute("BEGIN IMMEDIATE")
        # No rotation now: it could delete the very backup being restored.
        return make_backup(
            notebook, "before-restore", folder=folder, now=now, rotate_after=False
        ).path
    finally:
        if guard.in_transaction:
            guard.rollback()
        guard.close()


def _move_with_journal(
    source: Path, target: Path, suffixes: tuple[str, ...] = ("", "-wal", "-shm")
) -> tuple[str, ...]:
    """Move a database file and whichever of its -wal and -shm files exist; return which moved."""
    moved = []
    for suffix in suffixes:
        extra = source.with_name(source.name + suffix)
        if suffix == "" or extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
            moved.append(suffix)
    return tuple(moved)


def _copy_to_new_file(backup: Path, notebook: Path) -> None:
    partial = notebook.with_name(f".{notebook.name}.restoring")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(database.read_only_uri(backup), uri=True)
        try:
            copy_database(source, partial)
        finally:
            source.close()
        os.replace(partial, notebook)
    finally:
        partial.unlink(missing_ok=True)  # gone once renamed; else the copy failed


def _copy_into(backup: Path, notebook: Path) -> None:
    source = sqlite3.connect(database.read_only_uri(backup), uri=True)
    try:
        target = sqlite3.connect(str(notebook), timeout=10.0)
        try:
            source.backup(target, pages=PAGES_PER_STEP)
        finally:
            target.close()
    finally:
        source.close()
