"""Attachments in an import: the vault's files that are not notes, resolved as Obsidian does.

:func:`plan_attachments` runs inside ``plan_import`` (nothing written): it reads the vault's
other files with the import's safe reader (regular files inside the folder, bounded size),
resolves every reference of every note, and lists what is missing. :func:`apply_attachments`
runs inside ``apply_import``'s transaction, so notes and their files go in together or not at
all. Every file is imported, named or not: an image nobody links to is still the user's (the
report says so). A file unchanged since the last import (same path, size and modification
time) is not read again.

Resolution, as Obsidian's "shortest path" links: a target is looked for relative to the note's
folder, then from the vault's top, then as a file name (or path ending) anywhere, the shortest
path first; case is ignored last.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections.abc import Iterable

from notebook_app.core.attachments.references import NOTE_SUFFIXES, guess_mime, references_in
from notebook_app.core.attachments.store import add_reference, put_blob, put_file, sha256
from notebook_app.core.errors import ImportProblem
from notebook_app.core.formats.source_files import Candidate, read_bounded
from notebook_app.core.model.entry import Entry
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.wording import plural

# Files no user made: the system's, left in folders (not worth keeping or reporting).
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini"})


def is_attachment(candidate: Candidate) -> bool:
    """Whether a file found in a folder is an attachment rather than a note to parse."""
    if candidate.named or candidate.problem:
        return False
    name = posixpath.basename(candidate.shown)
    suffix = posixpath.splitext(name)[1].lower()
    return suffix not in NOTE_SUFFIXES and name.lower() not in _SYSTEM_FILES


@dataclasses.dataclass(slots=True)
class VaultFile:
    path: str  # vault-relative, as shown
    size: int
    mtime: float
    data: bytes | None = None  # None: unchanged since the last import, not read
    digest: str = ""
    status: str = "imported"  # "imported", "updated", "unchanged" or "skipped"
    reason: str = ""


@dataclasses.dataclass(slots=True)
class AttachmentPlan:
    files: list[VaultFile] = dataclasses.field(default_factory=list)
    refs: list[tuple[str, str, str]] = dataclasses.field(
        default_factory=list
    )  # entry, target, path
    missing: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # note, target
    unreferenced: list[str] = dataclasses.field(default_factory=list)

    def outcomes(self) -> list[tuple[str, str, str]]:
        """(path, import status, reason) of each file, for the import's file list."""
        status = {"imported": "imported", "updated": "updated", "unchanged": "skipped",
                  "skipped": "skipped"}  # fmt: skip
        # As an unchanged note: not listed file by file in the summary.
        reasons = {"unchanged": "nothing new"}
        return [
            (f.path, status[f.status], f.reason or reasons.get(f.status, "")) for f in self.files
        ]

    def summary_lines(self) -> list[str]:
        if not (self.files or self.missing):
            return []
        new = sum(1 for f in self.files if f.status in ("imported", "updated"))
        lines = [
            f"attachments: {plural(len(self.files), 'file')} ({new} new or changed), "
            f"{len(self.unreferenced)} named by no note"
        ]
        lines += [f"missing: {note}: {target} (no such file in the folder)"
                  for note, target in self.missing]  # fmt: skip
        lines += [f"unreferenced attachment: {path} (imported all the same)"
                  for path in self.unreferenced]  # fmt: skip
        return lines


def _resolve(
    target: str, note: str, files: dict[str, str], by_name: dict[str, list[str]]
) -> str | None:
    folder = posixpath.dirname(note)
    if folder:
        relative = posixpath.normpath(posixpath.join(folder, target))
        if relative in files:
            return files[relative]
    if target in files:
        return files[target]
    candidates = by_name.get(posixpath.basename(target).casefold(), [])
    exact = [p for p in candidates if p == target or p.endswith("/" + target)]
    if exact:
        return exact[0]
    folded = target.casefold()
    loose = [p for p in candidates if p.casefold() == folded or p.casefold().endswith("/" + folded)]
    return loose[0] if loose else None


def plan_attachments(
    notebook: Notebook,
    candidates: Iterable[Candidate],
    notes: Iterable[tuple[str, list[Entry]]],
    unchanged_notes: Iterable[str] = (),
) -> AttachmentPlan:
    """Read the vault's attachments and resolve the notes' references (writes nothing).
    ``unchanged_notes`` are the ids of entries whose files the import did not read again
    (unchanged since, see formats/vault_files.py): the files they name, as resolved when they
    were read, are in use."""
    plan = AttachmentPlan()
    known = {
        path: (size, mtime, digest)
        for path, size, mtime, digest in notebook.conn.execute(
            "SELECT a.path, b.size, a.mtime, b.sha256 FROM attachments a "
            "JOIN blobs b ON b.id = a.blob"
        )
    }
    for candidate in candidates:
        try:
            info = os.stat(candidate.path)
        except OSError as error:
            reason = f"cannot be read ({(error.strerror or str(error)).lower()})"
            plan.files.append(VaultFile(candidate.shown, 0, 0.0, status="skipped", reason=reason))
            continue
        file = VaultFile(candidate.shown, info.st_size, info.st_mtime)
        earlier = known.get(candidate.shown)
        if earlier is not None and earlier[0] == info.st_size and earlier[1] == info.st_mtime:
            file.status, file.digest = "unchanged", earlier[2]
        else:
            try:
                file.data = read_bounded(candidate)
            except ImportProblem as error:
                file.status, file.reason = "skipped", f"attachment not kept: {error}"
            else:
                file.digest = sha256(file.data)
                if earlier is not None:
                    file.status = "unchanged" if earlier[2] == file.digest else "updated"
        plan.files.append(file)
    kept = {f.path: f.path for f in plan.files if f.status != "skipped"}
    by_name: dict[str, list[str]] = {}
    for path in sorted(kept, key=lambda p: (p.count("/"), p)):
        by_name.setdefault(posixpath.basename(path).casefold(), []).append(path)
    used: set[str] = set()
    still = list(unchanged_notes)
    for start in range(0, len(still), 500):  # SQLite's bound on parameters
        chunk = still[start : start + 500]
        used.update(
            path
            for (path,) in notebook.conn.execute(
                "SELECT a.path FROM attachment_refs r JOIN attachments a ON a.id = r.attachment "
                f"JOIN entries e ON e.seq = r.entry WHERE e.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    for note, entries in notes:
        for entry in entries:
            for reference in references_in(entry.body, posixpath.dirname(note)):
                found = _resolve(reference.target, note, kept, by_name)
                if found is None:
                    plan.missing.append((note, reference.target))
                    continue
                used.add(found)
                plan.refs.append((entry.id, reference.target, found))
    plan.unreferenced = sorted(p for p in kept if p not in used)
    return plan


def apply_attachments(notebook: Notebook, plan: AttachmentPlan) -> None:
    """Store the planned files and references (inside the import's transaction)."""
    ids: dict[str, int] = {
        path: file_id for file_id, path in notebook.conn.execute("SELECT id, path FROM attachments")
    }
    for file in plan.files:
        if file.status in ("imported", "updated") and file.data is not None:
            blob = put_blob(notebook, file.data, guess_mime(file.path, file.data), file.digest)
            ids[file.path] = put_file(notebook, file.path, blob, file.mtime)
        elif file.status == "unchanged" and file.data is not None and file.path in ids:
            # Same bytes, touched since: note the new time, so the next import skips reading it.
            notebook.conn.execute(
                "UPDATE attachments SET mtime = ? WHERE id = ?", [file.mtime, ids[file.path]]
            )
    for entry_id, target, path in plan.refs:
        if path in ids:
            add_reference(notebook, entry_id, target, ids[path])
