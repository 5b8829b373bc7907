"""The folder side of a sync: which files are notes, reading them without trusting them, and
writing or removing them so that a crash at any point leaves every file whole.

* The walk is the import's (``formats/source_files``): only regular files inside the folder,
  links that leave it, pipes, devices and hidden files are never read; a file over the import's
  limit is reported, never read past it.
* A write goes to a hidden temporary file beside its target and takes the target's name in
  one rename (a new file by a hard link, which fails rather than replace a file that appeared
  meanwhile). A sync killed mid-write leaves the old file or the new one, never half of one;
  the temporary file is hidden (never read as a note) and removed by the next sync. The files
  reach the disk in one :func:`flush` at the end of the pass, before the notebook's transaction
  commits (one flush, not two per file: a 100-file sync spent 0.7 s in fsync); if the power
  fails before it, the notebook has not recorded them, and the next sync finds each file it
  wrote either whole or as an edit both sides disagree on, kept as a conflict.
* A file is replaced or removed only if it still holds what the sync read: one edited while
  the sync ran is left alone for the next sync.
* A conflict copy is named ``NAME.sync-conflict-YYYYMMDD-HHMMSS.md`` (Syncthing's pattern, so
  both tools' copies read alike); copies are never read back as notes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import os
from pathlib import Path

from notebook_app.core.attachments.export import _safe_path, _through_link
from notebook_app.core.errors import ImportProblem
from notebook_app.core.formats.path_keys import fold
from notebook_app.core.formats.source_files import (
    Candidate,
    NotebookFiles,
    candidate_files,
    is_conflict_copy,
    read_bounded,
)
from notebook_app.core.formats.vault_files import content_hash, is_note_file
from notebook_app.core.sync.report import SyncReport

TEMP_MARK = ".notebook-app-sync-"


@dataclasses.dataclass(slots=True)
class FolderFile:
    """A note file found in the folder (markdown or plain text: vault_files.NOTE_SUFFIXES):
    where, when last modified, and (once read) what."""

    path: str  # relative to the folder, "/" between folders
    candidate: Candidate
    mtime: float | None
    data: bytes | None = None
    hash: str | None = None
    problem: str = ""  # not empty: could not be read (kept as it is, reported)

    def read(self) -> bool:
        """Read and hash the file; False (with ``problem`` set) if it cannot be."""
        if self.data is not None or self.problem:
            return not self.problem
        try:
            self.data = read_bounded(self.candidate)
        except ImportProblem as error:
            self.problem = str(error)
            return False
        self.hash = content_hash(self.data)
        return True


@dataclasses.dataclass(slots=True)
class FolderScan:
    notes: dict[str, FolderFile]
    attachments: dict[str, FolderFile]  # images, PDFs... (core/attachments' rule)
    skipped: list[tuple[str, str]]  # (path, why) for files that are not read
    conflict_copies: list[str]
    names: set[str]  # every file and folder name seen, with its folder ("a/b.md"), ``fold``ed


def scan_folder(folder: Path) -> FolderScan:
    """Every note (a markdown or text file) and attachment of the folder, stat'ed but not
    read."""
    from notebook_app.core.attachments.vault import is_attachment

    scan = FolderScan({}, {}, [], [], set())
    for candidate in candidate_files(folder):
        path = candidate.shown
        scan.names.add(fold(path))
        note = is_note_file(path)
        if candidate.problem:
            if note or is_attachment(Candidate(candidate.path, path)):
                scan.skipped.append((path, candidate.problem))
            continue
        if is_conflict_copy(path):
            if note:
                scan.conflict_copies.append(path)
            continue
        if not note and not is_attachment(candidate):
            continue  # another text file (.bib, .org): an import may read it, a sync does not
        where = os.path.join(os.fspath(folder), path)
        if os.fspath(candidate.path) != where:
            # A link to another file of the folder (that file is synced under its own name),
            # or a name that is not UTF-8 (shown with \xNN, so no path to write back to).
            link = os.path.islink(where)
            why = "a link inside the folder" if link else "a name that is not UTF-8"
            scan.skipped.append((path, f"{why}: not synced"))
            continue
        try:
            mtime: float | None = os.stat(candidate.path, follow_symlinks=False).st_mtime
        except OSError:
            mtime = None
        (scan.notes if note else scan.attachments)[path] = FolderFile(path, candidate, mtime)
    return scan


def leave_out_notebook(scan: FolderScan, folder: Path, notebook: Path) -> None:
    """A notebook kept inside the folder it syncs with is not one of its files: the notebook,
    its journal files and its backups are passed over (never stored in itself)."""
    own = NotebookFiles(notebook)
    for found in (scan.notes, scan.attachments):
        for path in list(found):
            what = own.what(os.path.join(os.fspath(folder), path))
            if what:
                del found[path]
                if what == "the notebook itself":
                    scan.skipped.append((path, "the notebook itself: not synced"))


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed sync left behind (hidden, never read as notes)."""
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if name.startswith(".") and TEMP_MARK in name and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(directory, name))


def mtime_of(path: Path) -> float | None:
    """A file's modification time as recorded, or None when it cannot be read (gone)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def current_hash(path: Path) -> str | None:
    """The hash of the regular file at ``path`` now, "" for anything else there, None if none."""
    try:
        if not path.is_file() or path.is_symlink():
            return "" if os.path.lexists(path) else None
        return content_hash(read_bounded(Candidate(path, path.name)))
    except (ImportProblem, OSError):
        return "" if os.path.lexists(path) else None


class Changed(Exception):
    """The file is not what the sync read: edited while the sync ran (left for the next)."""


def write_file(target: Path, data: bytes, expected: str | None) -> float | None:
    """Write ``data`` at ``target`` in one step, if the file there still has the hash
    ``expected`` (None: if there is none). Returns the new file's modification time."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name[:100]}{TEMP_MARK}{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    try:
        if current_hash(target) != expected:
            raise Changed(str(target))
        if expected is None:
            try:
                os.link(temporary, target)  # fails if a file appeared meanwhile
            except FileExistsError:
                raise Changed(str(target)) from None
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                os.replace(temporary, target)  # no hard links here (FAT, some shares)
        else:
            os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    return os.stat(target).st_mtime


def remove_file(target: Path, expected: str) -> None:
    """Remove ``target`` if it still has the hash ``expected`` (already gone is fine)."""
    found = current_hash(target)
    if found is None:
        return
    if found != expected:
        raise Changed(str(target))
    os.unlink(target)


class FolderWriter:
    """A sync's writes and removals in the folder, each one in the report: never through a
    link or out of the folder (as export never writes), never over a file edited meanwhile
    (left for the next sync), nothing at all in a dry run."""

    def __init__(self, folder: Path, report: SyncReport) -> None:
        self.folder = folder
        self.report = report

    def _unsafe(self, path: str) -> bool:
        """A path that leads out of the folder, or through a link or a file on the way:
        reported and left alone."""
        if _safe_path(path) and not _through_link(self.folder, path):
            return False
        self.report.skipped.append((path, "a link or a file on the way to it: not written"))
        return True

    def write(self, path: str, data: bytes, expected: str | None) -> bool:
        """Write ``data`` at ``path`` if the file there still has the hash ``expected``."""
        if self._unsafe(path):
            return False
        self.report.written.append(path)
        if self.report.dry_run:
            return True
        try:
            write_file(self.folder / path, data, expected)
        except Changed:
            self.report.written.pop()
            self.report.later.append(path)
            return False
        return True

    def remove(self, path: str, expected: str) -> bool:
        """Remove the file at ``path`` if it still has the hash ``expected``."""
        if self._unsafe(path):
            return False
        self.report.removed.append(path)
        if self.report.dry_run:
            return True
        try:
            remove_file(self.folder / path, expected)
        except Changed:
            self.report.removed.pop()
            self.report.later.append(path)
            return False
        return True


def flush() -> None:
    """Every file written and removed so far, to the disk (before the notebook records them)."""
    if hasattr(os, "sync"):
        os.sync()


def conflict_path(path: str, now: dt.datetime, taken: set[str]) -> str:
    """Where the folder's side of a conflict is kept: beside the file, marked and dated."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, "md"
    stamp = now.strftime("%Y%m%d-%H%M%S")
    number = 1
    while True:
        extra = "" if number == 1 else f"-{number}"
        candidate = f"{stem}.sync-conflict-{stamp}{extra}.{suffix}"
        full = f"{folder}/{candidate}" if folder else candidate
        if fold(full) not in taken:
            taken.add(fold(full))
            return full
        number += 1
