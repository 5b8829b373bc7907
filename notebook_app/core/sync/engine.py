"""Two-way sync of the notebook with a markdown folder: one pass (:func:`sync_folder`).

Each entry's base is its vault record (``vault_files``: the file's path, the hash of what it
held and the entry's version when the two last agreed), kept per folder (``root``). Against it,
each side either changed or did not:

============================  ================================================================
folder / notebook             what the sync does
============================  ================================================================
unchanged / unchanged         nothing (an unchanged modification time: the file is not read)
changed / unchanged           the entry takes the file's content (the old one in its history)
unchanged / changed           the file takes the entry's (renamed after a new title)
changed / changed             the folder gets the notebook's version; the folder's is kept as
                              ``NAME.sync-conflict-DATE-TIME.md`` beside it and in the entry's
                              history (nothing is lost, the report names the conflict)
deleted / unchanged           the entry goes to the trash (never purged)
deleted / changed             the edit wins: the entry's file is written again
unchanged / trashed           the file is removed
changed / trashed             the edit wins: the entry comes back from the trash
new file                      a new entry (moved or renamed files are matched by content, the
                              app's own files by their id)
new entry                     a new file in its folder (``notes/``, ``glossary/``...)
============================  ================================================================

A file's path is matched to its record as spelled, else in NFC (and case-folded where the
folder ignores case): a vault carried between macOS and Linux keeps its entries (path_keys).

Everything on the notebook's side is one transaction, and every file is written before it
commits (``files``: atomic writes, nothing replaced that changed meanwhile): a sync killed at
any point leaves the notebook as it was and every file whole, and the next sync, finding files
that already hold what the notebook would write, records them and finishes the job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notebook_app.core.errors import ImportProblem, InvalidEntryError, NotebookError
from notebook_app.core.formats.file_text import file_text
from notebook_app.core.formats.markdown_files import KIND_FOLDERS, entry_to_markdown, safe_filename
from notebook_app.core.formats.path_keys import PathIndex, fold, key_of, nfc
from notebook_app.core.formats.source_files import readable
from notebook_app.core.formats.vault_files import (
    FileRecord,
    content_hash,
    folder_root,
    note_suffix,
    read_vault_markdown,
    record_files,
    title_of_file,
    vault_file_bytes,
)
from notebook_app.core.model.entry import EDITABLE_FIELDS, Entry
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync import files
from notebook_app.core.sync.attachments import sync_attachments
from notebook_app.core.sync.report import SyncReport
from notebook_app.core.sync.whole_pages import claim_whole_page

Progress = Callable[[int, int, str], object]

# What a folder's file may change in its entry: an app's own file (its id inside) is placed by
# the sync, not by its folder; a glossary's order is the notebook's.
_FROM_VAULT_FILE = frozenset(EDITABLE_FIELDS - {"glossary_position"})
_FROM_OWN_FILE = frozenset(_FROM_VAULT_FILE - {"folder", "file_name", "front_matter", "file_style"})


class SyncProblem(NotebookError):
    """A sync that cannot start (no such folder...): nothing was changed."""


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


@dataclasses.dataclass(slots=True)
class _Record:
    entry_id: str
    path: str
    hash: str
    mtime: float | None
    base_version: int


@dataclasses.dataclass(slots=True)
class _Side:
    """An entry as the notebook has it now (what the sync needs without loading it)."""

    version: int
    trashed: bool
    file_name: str | None
    folder: str | None


def unsyncable_folder(path: Path) -> str | None:
    """Why ``path`` cannot be synced with (not there, not a folder), else None: asked before a
    new notebook is made for a sync too."""
    if path.is_dir():
        return None
    what = "no such folder" if not path.exists() else "not a folder"
    return f"{readable(path)}: {what}; nothing was synced"


def sync_folder(
    notebook: Notebook,
    folder: Path | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> SyncReport:
    """Make the notebook and the markdown folder agree (see the module's table)."""
    path = Path(folder).expanduser()
    problem = unsyncable_folder(path)
    if problem is not None:
        raise SyncProblem(problem)
    root = folder_root(path)
    report = SyncReport(Path(root), dry_run)
    if not dry_run:
        files.remove_stale_temporaries(Path(root))
    try:
        scan = files.scan_folder(Path(root))
    except ImportProblem as error:
        raise SyncProblem(f"{error}; nothing was synced") from None
    if notebook.path is not None:
        files.leave_out_notebook(scan, Path(root), notebook.path)
    if dry_run:
        # A dry run works on a copy in memory (the notebook may be open for reading only)
        # and rolls even that back: what it reports is what a sync would do, to the line.
        with Notebook.open(":memory:") as copy:
            notebook.conn.backup(copy.conn)
            try:
                with copy.transaction():
                    _Pass(copy, Path(root), root, scan, report, progress, now).run()
                    raise _DryRun
            except _DryRun:
                pass
        return report
    with notebook.transaction():
        _Pass(notebook, Path(root), root, scan, report, progress, now).run()
    return report


class _Pass:
    """One sync: reads both sides, then brings each entry and its file together."""

    def __init__(
        self,
        notebook: Notebook,
        folder: Path,
        root: str,
        scan: files.FolderScan,
        report: SyncReport,
        progress: Progress | None,
        now: dt.datetime | None,
    ) -> None:
        self.notebook = notebook
        self.folder = folder
        self.root = root
        self.scan = scan
        self.report = report
        self.progress = progress
        self.now = now or dt.datetime.now(dt.UTC)
        self.dry_run = report.dry_run
        self.taken = set(scan.names)  # paths in use in the folder (``fold``ed)
        # Which paths are files now, and how paths are compared in this folder (a name in the
        # other Unicode normalisation, or in another case where the file system ignores case,
        # is the same file: see formats/path_keys).
        self.present = set(scan.notes) | {path for path, _ in scan.skipped}
        self.key = key_of(folder, [*scan.notes, *scan.attachments])
        self.records: dict[str, FileRecord] = {}  # entry id -> record to write
        self.dropped: set[str] = set()  # entry ids whose record goes
        self.claimed: set[str] = set()  # entry ids whose file this pass has found
        self.new: list[Entry] = []
        self.new_ids: set[str] = set()
        self._extra: Callable[[Entry], Any] | None = None
        writer = files.FolderWriter(folder, report)  # the folder's side: writes and removals
        self._write, self._remove = writer.write, writer.remove
        self._by_folder: dict[str, set[str]] | None = None
        self._load()

    # --- reading the notebook's side ------------------------------------------------------------

    def _load(self) -> None:
        self.sides: dict[str, _Side] = {}
        self.valid: dict[str, _Record] = {}  # path -> record of this folder
        self.valid_by = PathIndex[_Record](self.key, self.present)  # the same, by key
        self.valid_of: dict[str, _Record] = {}  # entry id -> record of this folder
        # (hash, path) of another folder's records, path of those made before roots were kept
        self.foreign = PathIndex[_Record](self.key, set())
        self.unrooted = PathIndex[_Record](self.key, self.present)
        rows = self.notebook.conn.execute(
            "SELECT e.id, e.version, e.trashed IS NOT NULL, e.file_name, e.folder, "
            "v.path, v.hash, v.mtime, v.base_version, v.root "
            "FROM entries e LEFT JOIN vault_files v ON v.entry = e.seq"
        )
        for entry_id, version, trashed, name, folder, path, hashed, mtime, base, root in rows:
            self.sides[entry_id] = _Side(version, bool(trashed), name, folder)
            if path is None:
                continue
            record = _Record(entry_id, path, hashed, mtime, base)
            if root == self.root:
                self.valid[path] = record
                self.valid_by.add(path, record)
                self.valid_of[entry_id] = record
            elif root is None:
                self.unrooted.add(path, record)
            else:
                self.foreign.add(f"{hashed}/{path}", record)

    # --- the pass -------------------------------------------------------------------------------

    def run(self) -> None:
        notes = self.scan.notes
        present = self.present
        self.report.skipped += self.scan.skipped
        for path in [*(path for path, _ in self.scan.skipped), *self.scan.conflict_copies]:
            if path in self.valid:  # there (unreadable; a conflict copy imported before): kept
                self.claimed.add(self.valid[path].entry_id)
        total = len(notes)
        fresh: list[files.FolderFile] = []
        for done, (path, file) in enumerate(notes.items()):
            self._tick(done, total, path)
            found = self.valid_by.find(path)
            record = found[1] if found is not None else None
            if record is None or (record.path != path and record.entry_id in self.claimed):
                fresh.append(file)
                continue
            self.claimed.add(record.entry_id)
            if file.mtime is not None and file.mtime == record.mtime:
                self._reconcile(record, file, file_changed=False)
            elif self._read(file):
                self._reconcile(record, file, file_changed=file.hash != record.hash)
            if record.path != path and record.entry_id not in {*self.records, *self.dropped}:
                # The same file, its name spelled otherwise (another machine's normalisation
                # or case): its record takes the spelling the folder has now.
                self._record(record.entry_id, path, record.hash, record.mtime)
        missing: dict[str, list[_Record]] = {}
        for path, record in self.valid.items():
            if path not in present and record.entry_id not in self.claimed:
                missing.setdefault(record.hash, []).append(record)
        by_path = self._unrecorded_by_path()
        for file in fresh:
            if self._read(file):
                self._fresh_file(file, missing, by_path)
        for records in missing.values():
            for record in records:
                if record.entry_id not in self.claimed:
                    self._deleted_in_folder(record)
        for entry_id, side in self.sides.items():
            if entry_id not in self.claimed and not side.trashed:
                self._write_entry(entry_id, None, None)
        sync_attachments(
            self.notebook, self.folder, self.scan, self.report, self._write, self.root, self.key
        )
        self._tick(total, total, "")
        self._finish()

    def _tick(self, done: int, total: int, what: str) -> None:
        if self.progress is not None and self.progress(done, total, what) is False:
            from notebook_app.core.errors import OperationCancelled

            raise OperationCancelled("sync cancelled; nothing was changed")

    def _read(self, file: files.FolderFile) -> bool:
        if file.read():
            return True
        self.report.skipped.append((file.path, file.problem))
        return False

    def _unrecorded_by_path(self) -> PathIndex[str]:
        """Where entries without a record of this folder would be written (their vault path):
        a file found there holding what they would write is theirs (a sync killed after
        writing it, before recording it)."""
        found = PathIndex[str](self.key, self.present)
        for entry_id, side in self.sides.items():
            if entry_id in self.valid_of or side.file_name is None or side.trashed:
                continue
            path = f"{side.folder}/{side.file_name}" if side.folder else side.file_name
            found.add(path, entry_id)
        return found

    # --- each case ------------------------------------------------------------------------------

    def _reconcile(
        self, record: _Record, file: files.FolderFile, *, file_changed: bool,
        moved_from: str | None = None,
    ) -> None:  # fmt: skip
        """A file and its entry, both with a base: the module's table."""
        entry_id = record.entry_id
        side = self.sides[entry_id]
        changed = side.version != record.base_version
        expected = file.hash if file.hash is not None else record.hash
        if moved_from is not None and not side.trashed:  # the entry follows its file, edited
            self.report.moved.append((moved_from, file.path))  # or not, on either side
        if not file_changed and not changed:
            if moved_from is not None:
                self._take_file(entry_id, file, moved=True)
            elif file.mtime != record.mtime:
                self._record(entry_id, file.path, expected, file.mtime)
            return
        if not file_changed:
            if moved_from is not None:
                self._place(entry_id, file.path)
            if side.trashed:
                if self._remove(file.path, expected):
                    self.dropped.add(entry_id)
            else:
                self._write_entry(entry_id, file.path, expected)
            return
        assert file.data is not None and file.hash is not None
        if not changed or side.trashed:
            self._take_file(entry_id, file, moved=False)  # an edit, wherever the file is now
            return
        if self._render(self.notebook.get(entry_id)) == file.data:
            self._record(entry_id, file.path, file.hash, file.mtime)
            return
        self._conflict(entry_id, file)

    def _fresh_file(
        self, file: files.FolderFile, missing: dict[str, list[_Record]], by_path: PathIndex[str]
    ) -> None:
        """A file at a path no entry's record of this folder names."""
        assert file.hash is not None and file.data is not None
        if self._whole_page(file):
            return
        moved = [r for r in missing.get(file.hash, []) if r.entry_id not in self.claimed]
        if moved:
            self.claimed.add(moved[0].entry_id)
            self._reconcile(moved[0], file, file_changed=False, moved_from=moved[0].path)
            return
        parsed = self._parse(file)
        if parsed is None:
            return
        entry, own = parsed
        if own and entry.id in self.sides and entry.id not in self.claimed:
            record = self.valid_of.get(entry.id)
            self.claimed.add(entry.id)
            if record is not None:  # moved and edited
                self._reconcile(record, file, file_changed=True, moved_from=record.path)
            else:
                self._first_meeting(entry.id, file)
            return
        if not own:
            # Another folder's record is a hint only: a trashed entry never removes a file of
            # a folder it was not synced with (the file comes in as an entry instead).
            unrooted = self.unrooted.find(file.path)
            foreign = self.foreign.find(f"{file.hash}/{file.path}")
            known = unrooted[1] if unrooted else foreign[1] if foreign else None
            if known is not None and self.sides[known.entry_id].trashed and not unrooted:
                known = None
            if known is not None and known.entry_id not in self.claimed:
                self.claimed.add(known.entry_id)
                self._reconcile(known, file, file_changed=known.hash != file.hash)
                return
            at = by_path.find(file.path)
            entry_id = at[1] if at is not None else None
            if entry_id is not None and entry_id not in self.claimed:
                self.claimed.add(entry_id)
                self._first_meeting(entry_id, file)
                return
        if entry.id in self.sides or entry.id in self.new_ids:
            entry = entry.replace(id=Entry(kind=entry.kind, title=entry.title).id)
        self.new.append(entry)
        self.new_ids.add(entry.id)
        self.claimed.add(entry.id)
        self._record(entry.id, file.path, file.hash, file.mtime)
        self.report.added.append(file.path)

    def _whole_page(self, file: files.FolderFile) -> bool:
        """Whether the file is one import splits into entries of its own (whole_pages.py)."""
        assert file.data is not None
        held = claim_whole_page(self.notebook, file.path, file.data, self.report)
        if held is None:
            return False
        self.claimed |= held
        return True

    def _first_meeting(self, entry_id: str, file: files.FolderFile) -> None:
        """An entry and a file that are the same entry, with no base to tell which side
        changed: equal, they are recorded; else both are kept as a conflict."""
        assert file.data is not None and file.hash is not None
        side = self.sides[entry_id]
        if side.trashed:
            self._take_file(entry_id, file, moved=False)
        elif self._render(self.notebook.get(entry_id)) == file.data:
            self._record(entry_id, file.path, file.hash, file.mtime)
        else:
            self._conflict(entry_id, file)

    def _deleted_in_folder(self, record: _Record) -> None:
        side = self.sides[record.entry_id]
        self.claimed.add(record.entry_id)
        if side.trashed:
            self.dropped.add(record.entry_id)
        elif side.version != record.base_version:
            self.report.kept.append(record.path)
            self._write_entry(record.entry_id, None, None, wanted=record.path)
        else:
            self.notebook.trash(record.entry_id)
            self.dropped.add(record.entry_id)
            self.report.trashed.append(record.path)

    def _conflict(self, entry_id: str, file: files.FolderFile) -> None:
        """Both sides changed: the folder's version goes into a conflict copy and into the
        entry's history; the notebook's goes to the file."""
        assert file.data is not None
        copy = files.conflict_path(file.path, self.now, self.taken)
        self._take(copy)
        if not self._write(copy, file.data, None):
            return
        current = self.notebook.get(entry_id)
        parsed = self._parse(file)
        if parsed is not None:
            theirs, own = parsed
            fields = _FROM_OWN_FILE if own else _FROM_VAULT_FILE
            mine = {name: getattr(current, name) for name in fields}
            middle = self.notebook.update(
                entry_id, current.version, checkpoint=True,
                **{name: getattr(theirs, name) for name in fields},
            )  # fmt: skip
            self.notebook.update(entry_id, middle.version, checkpoint=True, **mine)
        self.report.conflicts.append((file.path, copy))
        self._write_entry(entry_id, file.path, file.hash)

    # --- the notebook's side --------------------------------------------------------------------

    def _parse(self, file: files.FolderFile) -> tuple[Entry, bool] | None:
        assert file.data is not None
        try:
            read = file_text(file.data)
            if read.encoding != "UTF-8":  # written back in UTF-8, others would read it otherwise
                raise ImportProblem(f"{read.legacy or 'UTF-16 text, not UTF-8'}: not synced")
            entry, warnings, own = read_vault_markdown(read.text, file.path)
            entry.file_style = read.style
            entry.validate()
        except (ImportProblem, InvalidEntryError) as error:
            self.report.skipped.append((file.path, str(error).removeprefix(f"{file.path}: ")))
            return None
        except RecursionError:
            self.report.skipped.append((file.path, "nested too deeply to read"))
            return None
        self.report.warnings += [(file.path, warning) for warning in warnings]
        return entry, own

    def _take_file(self, entry_id: str, file: files.FolderFile, *, moved: bool) -> None:
        """The entry takes the file's content (and place): the folder's side won."""
        if file.data is None and not self._read(file):
            return
        parsed = self._parse(file)
        if parsed is None:
            return
        theirs, own = parsed
        if self.sides[entry_id].trashed:
            self.notebook.restore(entry_id)
            self.report.restored.append(file.path)  # one line: not "updated" as well
        elif not moved:
            self.report.updated.append(file.path)
        current = self.notebook.get(entry_id)
        if not own and current.file_name == file.path.rpartition("/")[2]:
            # Not renamed there: the name is the one the title typed here was given (which a
            # name may not hold: "a/b: c?", a case, "Notes (2)"), not a new title.
            theirs.title = current.title
        fields = _FROM_OWN_FILE if own else _FROM_VAULT_FILE
        self.notebook.update(
            entry_id, current.version, checkpoint=True,
            **{name: getattr(theirs, name) for name in fields},
        )  # fmt: skip
        assert file.hash is not None
        self._record(entry_id, file.path, file.hash, file.mtime)

    def _place(self, entry_id: str, path: str) -> None:
        """A vault entry's file was moved: the entry's folder and file name follow it."""
        current = self.notebook.get(entry_id)
        if current.file_name is None:
            return
        folder, _, name = path.rpartition("/")
        self.notebook.update(entry_id, current.version, folder=folder, file_name=name)

    def _render(self, entry: Entry) -> bytes:
        if self._extra is None:
            from notebook_app.core.learning.front_matter import review_front_matter

            self._extra = review_front_matter(self.notebook)
        extra = self._extra(entry)
        if entry.file_name is not None:
            return vault_file_bytes(entry, extra)
        return entry_to_markdown(entry, extra).encode("utf-8")

    def _target(self, entry: Entry, current: str | None, wanted: str | None) -> str:
        """Where an entry's file goes: where it is, unless a vault entry's title changed (then
        its new name in the same folder); a new one in its vault folder or its kind's."""
        if current is not None and entry.file_name is None:
            return current
        if entry.file_name is not None:
            folder = entry.folder or ""
            name = entry.file_name
            if current is not None:
                folder, _, name = current.rpartition("/")
            if nfc(title_of_file(name)) == nfc(entry.title):
                path = f"{folder}/{name}" if folder else name
                if path == current or fold(path) not in self.taken:
                    return path
        elif wanted is not None and fold(wanted) not in self.taken:
            return wanted
        else:
            folder = entry.folder or KIND_FOLDERS[entry.kind]  # made in a chosen folder
        names = set(self._names_in(folder))
        if current is not None:
            names.discard(fold(current.rpartition("/")[2]))
        name = safe_filename(entry.title, names, suffix=note_suffix(entry.file_name))
        if current is not None and fold(name) == fold(current.rpartition("/")[2]):
            return current
        return f"{folder}/{name}" if folder else name

    def _names_in(self, folder: str) -> set[str]:
        """The names in use in one folder of the folder, ``fold``ed (an index of ``taken``)."""
        if self._by_folder is None:
            self._by_folder = {}
            for path in self.taken:
                parent, _, name = path.rpartition("/")
                self._by_folder.setdefault(parent, set()).add(name)
        return self._by_folder.setdefault(fold(folder), set())

    def _take(self, path: str) -> None:
        self.taken.add(fold(path))
        if self._by_folder is not None:
            parent, _, name = fold(path).rpartition("/")
            self._by_folder.setdefault(parent, set()).add(name)

    def _write_entry(
        self, entry_id: str, current: str | None, expected: str | None, wanted: str | None = None
    ) -> None:
        """The file takes the entry's content: written where it is, or (a new or renamed
        entry) at its new path, the old file removed."""
        entry = self.notebook.get(entry_id)
        target = self._target(entry, current, wanted)
        if entry.file_name is not None:
            folder, _, name = target.rpartition("/")
            if (entry.folder or "", entry.file_name) != (folder, name):
                entry = self.notebook.update(entry_id, entry.version, folder=folder,
                                             file_name=name)  # fmt: skip
        data = self._render(entry)
        self.claimed.add(entry_id)
        if target != current:
            self._take(target)
            if not self._write(target, data, None):
                return
            if current is not None and expected is not None and self._remove(current, expected):
                self.report.renamed.append((current, target))
        elif not self._write(target, data, expected):
            return
        mtime = None if self.dry_run else files.mtime_of(self.folder / target)
        self._record(entry_id, target, content_hash(data), mtime)

    def _record(self, entry_id: str, path: str, hashed: str, mtime: float | None) -> None:
        self.records[entry_id] = FileRecord(entry_id, path, hashed, mtime)
        self.dropped.discard(entry_id)

    def _finish(self) -> None:
        if not self.dry_run and (self.report.written or self.report.removed):
            files.flush()
        if self.new:
            self.notebook.add_many(self.new)
        self.notebook.conn.executemany(
            "DELETE FROM vault_files WHERE entry = (SELECT seq FROM entries WHERE id = ?)",
            [(entry_id,) for entry_id in self.dropped],
        )
        # A record names one path: another entry's record of the same path (a file that changed
        # hands) goes, so that no two entries claim one file.
        paths = [(r.path, self.root, r.entry_id) for r in self.records.values()]
        self.notebook.conn.executemany(
            "DELETE FROM vault_files WHERE path = ? AND root = ? "
            "AND entry != (SELECT seq FROM entries WHERE id = ?)",
            paths,
        )
        record_files(self.notebook.conn, list(self.records.values()), self.root)
        self.report.conflict_copies = list(self.scan.conflict_copies)
