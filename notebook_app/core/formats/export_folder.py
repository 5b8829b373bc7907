"""Writing an export into a folder without harming what is already there.

The rules (the README states them to users):

* **A manifest.** Every export writes ``.notebook-app-export`` into the folder: a line saying
  what the folder is, then one ``<sha256>  <path>`` line per file it wrote (the format of
  ``sha256sum``). The next export into the folder knows from it which files are its own: a file
  listed and unchanged may be replaced or removed; a file not listed (added by the user) is
  never touched, and new names step around it; a listed file whose content changed since (the
  user edited it) is never overwritten or removed: the export refuses if it would have to
  write that file, unless ``force``, and otherwise keeps it and says so.
* **No links followed.** ``notes/``, ``glossary/`` or ``meetings/`` being a link (or a file)
  makes the export refuse before anything is written; links and folders inside them are the
  user's and are kept. Files are only ever created new (``O_EXCL``) in a folder of our own and
  moved into place with ``rename``, which replaces a name and never writes through it.
* **All or nothing.** Every file is written to a staging folder first (a new folder beside the
  target when the target does not exist yet, moved into place in one rename; otherwise a
  hidden folder inside it, on the same file system). Then the files it replaces or removes are
  moved aside into the staging folder, the new ones moved in, the manifest last. An error at
  any step (or a cancel before it) moves everything back: the folder is as it was.
* **Ordinary permissions.** Folders are made with mode 0o777 and files 0o666, less the umask,
  as any program's (not the 0o700 of a temporary folder).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from notebook_app.core.errors import NotebookError
from notebook_app.core.formats.source_files import readable

MANIFEST = ".notebook-app-export"
_HEADER = "Written by notebook-app. Import this folder to get the entries back.\n"
_MANIFEST_NOTE = (
    "# The files the last export wrote, with their SHA-256. Files not listed here, or changed\n"
    "# since, are yours: an export never removes or overwrites them.\n"
)
_LINE = re.compile(r"^([0-9a-f]{64})  (.+)$")
_STAGING_PREFIX = ".notebook-app-staging-"
_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
_READ = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
# The longest path the system takes (Linux's PATH_MAX; Windows' classic MAX_PATH).
PATH_MAX = 260 if os.name == "nt" else 4096


class ExportProblem(NotebookError):
    """The export cannot be written where asked; the folder was left as it was."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, str]) -> str:
    lines = [f"{files[path]}  {path}\n" for path in sorted(files)]
    return _HEADER + _MANIFEST_NOTE + "".join(lines)


@dataclasses.dataclass(slots=True)
class Survey:
    """What a folder holds before an export, by whose it is."""

    ours: dict[str, str] = dataclasses.field(default_factory=dict)  # path -> hash, unchanged
    changed: list[str] = dataclasses.field(default_factory=list)  # ours, edited since
    yours: list[str] = dataclasses.field(default_factory=list)  # added by the user
    missing_folders: list[str] = dataclasses.field(default_factory=list)
    is_new: bool = False  # the folder does not exist yet
    # Staging folders of an export that was killed half-way: the files it had moved aside.
    interrupted: list[str] = dataclasses.field(default_factory=list)
    # Staging folders of an export killed before it moved anything aside: only its own copies.
    stale: list[str] = dataclasses.field(default_factory=list)


def _hash_file(path: Path) -> tuple[str, bytes] | None:
    """A regular file's hash and first bytes, read in pieces and not through a link; None if
    it is anything else."""
    try:
        descriptor = os.open(path, _READ)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        hashed = hashlib.sha256()
        head = b""
        while chunk := os.read(descriptor, 1 << 20):
            head = head or chunk[:64]
            hashed.update(chunk)
        return hashed.hexdigest(), head
    finally:
        os.close(descriptor)


def read_manifest(folder: Path) -> tuple[dict[str, str], bool] | None:
    """The files the last export wrote (path -> hash) and whether the folder is an export from
    before manifests (which lists none); None if the folder is no export."""
    try:
        descriptor = os.open(folder / MANIFEST, _READ)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    finally:
        os.close(descriptor)
    manifest = {}
    for line in text.split("\n"):
        match = _LINE.match(line)
        if match:
            manifest[match.group(2)] = match.group(1)
    return manifest, _MANIFEST_NOTE not in text


def survey(folder: Path, subfolders: Iterable[str]) -> Survey:
    """Sort what ``folder`` holds into the export's own files and the user's, or refuse a
    folder the export must not write into."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return Survey(is_new=True)
    if not stat.S_ISDIR(info.st_mode):
        raise ExportProblem(f"{readable(folder)} is a file, not a folder")
    earlier = read_manifest(folder)
    if earlier is None:
        with os.scandir(folder) as listing:
            if any(True for _ in listing):
                raise ExportProblem(
                    f"{readable(folder)} is not empty and is not an earlier export; "
                    "choose an empty folder"
                )
    manifest, legacy = earlier or ({}, False)
    result = Survey()
    with os.scandir(folder) as listing:
        for item in sorted(listing, key=lambda item: item.name):
            if item.name.startswith(_STAGING_PREFIX) and item.is_dir(follow_symlinks=False):
                # ".replaced" is made before the first file of the folder is moved aside.
                aside = os.path.lexists(os.path.join(item.path, ".replaced"))
                (result.interrupted if aside else result.stale).append(item.name)
    for sub in subfolders:
        where = folder / sub
        try:
            mode = os.lstat(where).st_mode
        except FileNotFoundError:
            result.missing_folders.append(sub)
            continue
        if stat.S_ISLNK(mode):
            raise ExportProblem(
                f"{sub}/ in {readable(folder)} is a link; an export never writes through "
                "links: remove the link or export to another folder"
            )
        if not stat.S_ISDIR(mode):
            raise ExportProblem(
                f"{sub} in {readable(folder)} is not a folder; move it away or export to "
                "another folder"
            )
        _survey_folder(where, sub, manifest, legacy, _manifest_folders(manifest), result)
    # A vault's notes and files at the top, as an earlier export wrote them: ours while
    # unchanged (the user's own files there are not listed: the exporter checks a name first).
    for path, known in manifest.items():
        if "/" not in path and os.path.lexists(folder / path):
            content = _hash_file(folder / path)
            if content is not None and content[0] == known:
                result.ours[path] = known
            elif content is not None:
                result.changed.append(path)
    return result


def _manifest_folders(manifest: dict[str, str]) -> set[str]:
    """Every folder that holds a file an earlier export wrote (``a/b`` for ``a/b/c.md``)."""
    folders: set[str] = set()
    for path in manifest:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return folders


def _survey_folder(
    where: Path,
    sub: str,
    manifest: dict[str, str],
    legacy: bool,
    ours: set[str],
    result: Survey,
) -> None:
    """Sort one folder's files, and those of its folders an earlier export wrote into (a
    vault's nested folders: ``projects/2024/x.md``, ``projects/img/x.png``); another folder
    is the user's, listed as one; a link is never followed."""
    with os.scandir(where) as listing:
        items = sorted(listing, key=lambda item: item.name)
    for item in items:
        path = f"{sub}/{item.name}"
        if item.is_dir(follow_symlinks=False) and path in ours:
            _survey_folder(Path(item.path), path, manifest, legacy, ours, result)
            continue
        known = manifest.get(path)
        if item.is_file(follow_symlinks=False) and (known or legacy):
            content = _hash_file(Path(item.path))
            if content is None:
                result.yours.append(path)
            elif known and content[0] == known:
                result.ours[path] = known
            elif legacy and item.name.endswith(".md") and content[1].startswith(b"---\nid: "):
                result.ours[path] = content[0]  # written by us before manifests
            elif known:
                result.changed.append(path)
            else:
                result.yours.append(path)
        else:
            result.yours.append(path)


def path_budget(folder: Path) -> int:
    """The most bytes a file name may take so that the full path, in the staging folder or in
    place, stays within :data:`PATH_MAX`."""
    longest = os.fsencode(os.path.abspath(folder))
    staging = len(longest) + len(f"/{_STAGING_PREFIX}xxxxxxxxxxxxxxxx/.replaced/meetings/")
    return PATH_MAX - 1 - staging


def _remove_killed(parent: Path, prefix: str) -> None:
    """The staging folders (``prefix`` and 16 hex digits) an export into a new folder left
    beside it when killed: only its own copies, since the folder did not exist yet."""
    name = re.compile(re.escape(prefix) + "[0-9a-f]{16}")
    with contextlib.suppress(OSError), os.scandir(parent) as listing:
        for item in listing:
            if name.fullmatch(item.name) and item.is_dir(follow_symlinks=False):
                shutil.rmtree(item.path, ignore_errors=True)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new folder with a random name in ``parent``, with the umask's permissions."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(8)}"
        try:
            os.mkdir(path)  # 0o777 less the umask, unlike tempfile.mkdtemp's 0o700
        except FileExistsError:
            continue
        return path


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist: never through a link) holding ``data``."""
    descriptor = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


class Staging:
    """The new files, written aside, then moved into the folder all together or not at all."""

    def __init__(self, folder: Path, found: Survey, subfolders: Iterable[str]) -> None:
        self.folder = folder
        self.found = found
        if found.is_new:
            folder.parent.mkdir(parents=True, exist_ok=True)
            prefix = f".{folder.name[:40]}."
            _remove_killed(folder.parent, prefix)
            self.root = _new_folder(folder.parent, prefix)
        else:
            self.root = _new_folder(folder, _STAGING_PREFIX)
            for name in found.stale:  # a killed export's copies (often a whole vault's): gone
                shutil.rmtree(folder / name, ignore_errors=True)
        self.subfolders = list(subfolders)
        for sub in self.subfolders:
            os.mkdir(self.root / sub)
        self.files: dict[str, str] = {}  # path -> hash of everything the export holds
        self.to_write: list[str] = []  # the paths whose content must be written

    def add(self, path: str, data: bytes) -> None:
        """One file of the export; written unless the folder holds it already, unchanged."""
        hashed = digest(data)
        self.files[path] = hashed
        if self.found.ours.get(path) == hashed:
            return
        _write_new(self.root / path, data)
        self.to_write.append(path)

    def conflicts(self, force: bool) -> list[str]:
        """The user's edited files the export would overwrite (none when forced)."""
        return [] if force else [path for path in self.found.changed if path in self.files]

    def commit(self, force: bool) -> list[str]:
        """Move it all into place (or, on any error, back); the paths removed."""
        found = self.found
        removed = [p for p in found.ours if p not in self.files]
        if force:
            removed += [p for p in found.changed if p not in self.files]
        manifest = self.root / MANIFEST
        _write_new(manifest, manifest_text(self.files).encode("utf-8"))
        if found.is_new:
            os.rename(self.root, self.folder)
            return []
        moves: list[tuple[Path, Path]] = []  # (from, to) done so far, undone in reverse
        made: list[Path] = []  # folders made for files deeper than the kind folders (attachments)

        def move(source: Path, target: Path) -> None:
            if not os.path.isdir(target.parent):
                _make_parents(target.parent, made)
            os.rename(source, target)
            moves.append((source, target))

        aside = self.root / ".replaced"
        try:
            os.mkdir(aside)
            for sub in self.subfolders:
                if sub not in found.missing_folders:
                    os.mkdir(aside / sub)
            # What goes away or is replaced first: on a file system that ignores case,
            # "Foo.md" must be gone before "foo.md" takes its place.
            replaced = [p for p in self.to_write if p in found.ours or p in found.changed]
            for path in [*removed, *replaced]:
                move(self.folder / path, aside / path)
            if os.path.lexists(self.folder / MANIFEST):
                move(self.folder / MANIFEST, aside / MANIFEST)
            for sub in found.missing_folders:
                move(self.root / sub, self.folder / sub)
            for path in self.to_write:
                if path.split("/")[0] not in found.missing_folders:
                    if path.count("/") > 1:  # a vault's nested folder may be new
                        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
                    move(self.root / path, self.folder / path)
            move(manifest, self.folder / MANIFEST)
        except BaseException:
            self._undo(moves)
            for where in reversed(made):
                with contextlib.suppress(OSError):
                    os.rmdir(where)
            raise
        return removed

    def _undo(self, moves: list[tuple[Path, Path]]) -> None:
        for source, target in reversed(moves):
            try:
                os.rename(target, source)
            except OSError as error:
                self.root = Path()  # keep the staging folder: it holds the originals
                raise ExportProblem(
                    f"the export into {readable(self.folder)} failed and could not be undone "
                    f"({_reason(error)}); the files it had moved aside are in "
                    f"{readable(source.parent)}"
                ) from None

    def discard(self) -> None:
        if self.root != Path() and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)


def _make_parents(folder: Path, made: list[Path]) -> None:
    """Make ``folder`` and its missing parents, noting each one made (to undo)."""
    missing: list[Path] = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for where in reversed(missing):
        os.mkdir(where)
        made.append(where)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return "a name or path too long for the file system"
    return (error.strerror or str(error)).lower()


def describe_os_error(error: OSError, folder: Path) -> str:
    """One line for an error writing the export: which file, in words, never another path."""
    where = ""
    if error.filename:
        name = readable(error.filename)
        staging = name.find(_STAGING_PREFIX)
        if staging != -1:  # a file of the export: named as it is in the folder
            inside = name[staging:].split("/", 1)[1:]
            name = inside[0].removeprefix(".replaced/") if inside else ""
        where = f" ({name})" if name else ""
    return f"cannot export to {readable(folder)}: {_reason(error)}{where}; nothing was changed"
