"""Which files an import reads, and reading each one without trusting it.

The rules (the README states them to users):

* In a folder, only regular files inside it are read. A link to a file elsewhere in the folder
  is read (the file it names is in the folder); a link that leaves the folder, a link to a
  folder, a broken link or a loop of links is not followed: it is reported as skipped, with
  where it leads. Folders are never entered through links, so a loop of folders cannot make
  the walk go round forever. Hidden files and folders (``.obsidian``) are passed over, and so
  is a Logseq graph's own ``logseq/`` folder (the one holding ``config.edn``), reported as
  skipped.
* Named pipes, devices and sockets are never opened: :func:`os.lstat` (the walk's own
  ``DirEntry``) tells them apart before anything is opened, and the file that is opened is
  checked again with :func:`os.fstat` on the open descriptor, so a file swapped for a pipe or
  a link between the two is caught too. Files are opened ``O_NONBLOCK`` (a pipe swapped in
  cannot block the import) and ``O_NOFOLLOW`` (a file swapped for a link is not followed).
* A file named on its own (``notebook-app import ~/notes/x.md``) is the user's explicit
  choice: a link to a regular file is followed, wherever it leads; a pipe, device or socket
  is refused all the same.
* Every read is bounded: at most :data:`MAX_FILE_BYTES` + 1 bytes are read, whatever ``stat``
  said (``/proc`` files say 0 bytes, a file can grow while it is read).
* Any file name is handled: names that are not UTF-8 (POSIX allows any bytes) are shown with
  their odd bytes as ``\\xNN`` (:func:`readable`), never passed to anything that would have to
  encode them.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from notebook_app.core.errors import ImportProblem

MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any note (the largest sample is 93 KB)
_MB = 1024 * 1024
_FIRST_READ = 64 * 1024

# O_NOFOLLOW and O_NONBLOCK are POSIX; Windows has no pipes or links of that kind in a folder
# walk, and wants O_BINARY so that nothing translates line ends.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def readable(name: str | os.PathLike[str]) -> str:
    """A file name as text that can be shown and stored: bytes that are not UTF-8 (which Python
    keeps as lone surrogates) are written as ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def size_text(size: int) -> str:
    """A size in the units the limit is stated in (MB of 1,048,576 bytes: "the limit is 20 MB")."""
    return f"{size / _MB:.1f} MB" if size < 100 * _MB else f"{size // _MB} MB"


LIMIT_TEXT = f"{MAX_FILE_BYTES // _MB} MB"


def special_kind(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@dataclasses.dataclass(slots=True, frozen=True)
class Candidate:
    """One file an import considered: where to read it, or why it is not read."""

    path: Path  # what to open (for a link inside the folder: the file it leads to)
    shown: str  # the name in reports: relative to the folder, readable
    problem: str = ""  # not empty: the file is not read, for this reason
    named: bool = False  # the file the user named on its own (not found in a folder)


def read_named_file(path: Path) -> bytes:
    """A file the user named on its own (dropped on the editor), read as an import reads one:
    a regular file, at most :data:`MAX_FILE_BYTES`, else ImportProblem."""
    return read_bounded(Candidate(path, readable(path.name), named=True))


# A Logseq graph keeps its own files beside the pages: settings, style, and copies of pages
# (bak/, version-files/) that would come in as duplicates of the pages themselves.
LOGSEQ_OWN = "Logseq's own folder (its settings and its backup copies of pages): not read"


# A sync conflict copy, Syncthing's or the app's (``NAME.sync-conflict-YYYYMMDD-HHMMSS.md``): a
# second version of a note waiting to be merged into it, never a note (or file) of its own.
_CONFLICT = re.compile(r"\.sync-conflict-\d{8}-\d{6}", re.IGNORECASE)
CONFLICT_COPY = "a sync conflict copy (merge it into its note, then delete it): not imported"


def is_conflict_copy(path: str) -> bool:
    return _CONFLICT.search(path.rpartition("/")[2]) is not None


def missing_source(source: Path) -> str | None:
    """The line for a ``source`` that is not there, else None: asked before a new notebook is
    made for an import (which would leave an empty one behind); ``candidate_files`` says it
    too."""
    try:
        os.stat(source)  # the user named it: a link to it is followed
    except FileNotFoundError:
        return f"{readable(source)}: no such file or folder"
    except OSError:
        return None  # there, but unreadable: candidate_files says why
    return None


def candidate_files(source: Path) -> list[Candidate]:
    """The files to consider for ``source`` (a file or a folder), in a stable order."""
    try:
        info = os.stat(source)  # the user named it: a link to it is followed
    except FileNotFoundError:
        raise ImportProblem(missing_source(source) or str(source)) from None
    except OSError as error:
        raise ImportProblem(f"{readable(source)}: cannot be read ({_reason(error)})") from None
    if stat.S_ISDIR(info.st_mode):
        return list(_walk(source))
    shown = readable(source.name)
    if not stat.S_ISREG(info.st_mode):
        problem = f"{special_kind(info.st_mode)}, not a file to import: not read"
        return [Candidate(source, shown, problem, named=True)]
    return [Candidate(source, shown, named=True)]


def _walk(source: Path) -> Iterator[Candidate]:
    """The folder's files, top-down and sorted (the report and duplicate resolution are the
    same on every run), without entering links or reading anything."""
    root = os.path.realpath(source)
    pending: list[tuple[str, str]] = [(os.fspath(source), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError as error:
            where = readable(prefix.rstrip("/") or source)
            raise ImportProblem(f"{where}: folder cannot be read ({_reason(error)})") from None
        subfolders: list[tuple[str, str]] = []
        for item in items:
            if item.name.startswith("."):
                continue
            shown = readable(prefix + item.name)
            try:
                if item.is_symlink():
                    yield _link(Path(item.path), shown, root)
                elif item.is_dir(follow_symlinks=False):
                    if item.name == "logseq" and os.path.isfile(f"{item.path}/config.edn"):
                        yield Candidate(Path(item.path), shown + "/", LOGSEQ_OWN)
                        continue
                    subfolders.append((item.path, prefix + item.name + "/"))
                elif item.is_file(follow_symlinks=False):
                    yield Candidate(Path(item.path), shown)
                else:
                    kind = special_kind(item.stat(follow_symlinks=False).st_mode)
                    yield Candidate(Path(item.path), shown, f"{kind}: not read")
            except OSError as error:  # gone or unreadable between the listing and now
                yield Candidate(Path(item.path), shown, f"cannot be read ({_reason(error)})")
        pending.extend(reversed(subfolders))


def _link(path: Path, shown: str, root: str) -> Candidate:
    """A link found in the folder: read what it leads to only if that is a file in the folder."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Candidate(path, shown, "a link in a loop of links: not followed")
        return Candidate(path, shown, "a link to nothing (broken): not followed")
    if not _inside(root, target):
        return Candidate(path, shown, f"a link to {readable(target)}, outside the folder: "
                                      "not followed")  # fmt: skip
    mode = os.lstat(target).st_mode
    if stat.S_ISDIR(mode):
        return Candidate(path, shown, "a link to a folder: not followed")
    if not stat.S_ISREG(mode):
        return Candidate(path, shown, f"a link to {special_kind(mode)}: not read")
    return Candidate(Path(target), shown)


def _inside(root: str, target: str) -> bool:
    try:
        return os.path.commonpath([root, target]) == root
    except ValueError:  # another drive (Windows)
        return False


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def read_bounded(candidate: Candidate) -> bytes:
    """The file's bytes: a regular file, at most :data:`MAX_FILE_BYTES`, or ImportProblem
    (without the file's name: the caller reports that)."""
    flags = _OPEN_FLAGS if candidate.named else _OPEN_FLAGS | _NOFOLLOW
    try:
        descriptor = os.open(candidate.path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not candidate.named:
            raise ImportProblem("became a link while the import ran: not followed") from None
        raise ImportProblem(f"cannot be read ({_reason(error)})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(f"{special_kind(info.st_mode)}, not a file to import: not read")
        if info.st_size > MAX_FILE_BYTES:
            raise ImportProblem(
                f"too large for a note ({size_text(info.st_size)}; the limit is {LIMIT_TEXT})"
            )
        chunks: list[bytes] = []
        total = 0
        # One read takes a file whose size stat told; the loop ends at the end of the file or
        # one byte past the limit, whatever the size said.
        want = max(info.st_size + 1, _FIRST_READ)
        while True:
            chunk = os.read(descriptor, min(want, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ImportProblem(f"too large for a note (more than {LIMIT_TEXT}, the limit)")
            want *= 2
    except OSError as error:
        raise ImportProblem(f"cannot be read ({_reason(error)})") from None
    finally:
        os.close(descriptor)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class NotebookFiles:
    """The notebook's own files (itself, its journal files, its ``backups`` folder), which a
    folder that holds the notebook must not take in as notes or attachments."""

    def __init__(self, notebook: Path) -> None:
        real = Path(os.path.realpath(notebook))
        self.path = os.fspath(real)
        self.journals = {self.path + suffix for suffix in ("-wal", "-shm", "-journal")}
        self.backups = os.fspath(real.parent / "backups") + os.sep
        self.stem = real.stem  # every one of its files' names starts with it (backups too)

    def what(self, path: Path | str) -> str:
        """What the file at ``path`` is to the notebook ("" if none of its own)."""
        if not os.path.basename(path).startswith(self.stem):
            return ""  # most files: told apart without a system call
        where = os.path.realpath(path)
        if where == self.path:
            return "the notebook itself"
        if where in self.journals:
            return "the notebook's journal"
        if where.startswith(self.backups):
            return "a backup of the notebook"
        return ""
