"""SQLite's errors in the user's words, and the memory of a notebook found damaged.

SQLite reports damage only when a statement touches a damaged page, so a notebook can answer
some commands and fail others. When any of them sees damage, a marker file is left beside the
notebook (``NAME-damaged``, like SQLite's own ``NAME-wal``): from then on every open for
writing is refused, so nothing more is written into a damaged file, until ``check`` finds the
notebook sound again (or a backup is restored). The notebook file itself is never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

from notebook_app.core.errors import (
    DamagedNotebookError,
    NotebookBusyError,
    NotebookError,
    ReadOnlyNotebookError,
)

# What reading or writing the notebook's file raises before explain_error has said it in the
# user's words (a client catches it by this name, and never imports sqlite3 itself).
StorageError = sqlite3.Error
# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
# Messages that mean damage when the error carries no code (or Python raised it while decoding
# a row: a damaged page can turn a text into bytes that are not UTF-8).
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "could not decode to utf-8")


def marker_path(path: Path) -> Path:
    return path.with_name(path.name + "-damaged")


def _short(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters (a decoding error quotes the damaged text)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def damage_message(path: Path | str, detail: str, consequence: str = "nothing was changed") -> str:
    return (
        f"the notebook {path} is damaged ({_short(detail)}); {consequence}. "
        f"See what is wrong: notebook-app --db {path} check; "
        f"copy out what can be read: notebook-app --db {path} recover NEW.db"
    )


def is_damage(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_CORRUPT, _NOTADB):
        return True
    return isinstance(error, sqlite3.DatabaseError) and any(
        word in str(error).lower() for word in _DAMAGE_WORDS
    )


def is_disk_full(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == _FULL


def explain_sqlite_error(error: sqlite3.Error, path: Path | str | None) -> NotebookError:
    """The core error a SQLite error stands for, with a message for the user (one line)."""
    where = path if path is not None else "the notebook"
    if is_damage(error):
        damaged = DamagedNotebookError(damage_message(where, str(error)))
        damaged.detail = _short(str(error))
        return damaged
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _READONLY or "readonly database" in str(error):
        return ReadOnlyNotebookError(read_only_message(where))
    if code in (_BUSY, _LOCKED):
        return NotebookBusyError(
            f"{where} is busy: another program kept it locked too long; try again"
        )
    if code == _FULL:
        return NotebookError(f"cannot write {where}: the disk is full; nothing was changed")
    if code in (_IOERR, _CANTOPEN):
        return NotebookError(f"cannot read or write {where}: {error}")
    return NotebookError(f"{where}: {error}")


def read_only_message(path: Path | str) -> str:
    return (
        f"{path} is read-only (the file or its folder cannot be written): "
        "it can be read (list, search, show, export), not changed"
    )


def mark_damaged(path: Path, detail: str, *, now: dt.datetime | None = None) -> None:
    """Remember that ``path`` was found damaged (best effort: a read-only folder keeps nothing)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    with contextlib.suppress(OSError):
        marker_path(path).write_text(f"{stamp}: {' '.join(detail.split())}\n", encoding="utf-8")


def known_damage(path: Path) -> str | None:
    """What was recorded when ``path`` was last found damaged, or None."""
    try:
        return marker_path(path).read_text(encoding="utf-8").strip() or "damaged"
    except OSError:
        return None


def clear_damage(path: Path) -> None:
    marker_path(path).unlink(missing_ok=True)


def explain_error(error: Exception, path: Path | None) -> Exception:
    """``error`` as the user should read it, wherever it was met (a command, the window's
    worker): a SQLite error becomes the core's error it stands for, and damage seen for the first
    time is remembered beside the notebook, so that no later start writes to it. Other errors
    are returned as they are."""
    if isinstance(error, sqlite3.Error):
        error = explain_sqlite_error(error, path)
    if path is not None and isinstance(error, DamagedNotebookError) and known_damage(path) is None:
        mark_damaged(path, error.detail or str(error))
    return error


def refuse_if_damaged(path: Path) -> None:
    found = known_damage(path)
    if found is not None:
        raise DamagedNotebookError(
            damage_message(path, f"found {found}", "writing to it is refused")
        )
