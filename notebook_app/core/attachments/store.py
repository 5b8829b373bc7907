"""The attachment tables: blobs stored once by SHA-256, the vault files holding them, and which
entry names which file.

* ``blobs``: sha256 → bytes, size, mime type. A file used by many notes, or the same bytes
  under two names, is stored once.
* ``attachments``: a vault-relative path (``img/x.png``: where the file was in the vault and
  where export writes it back) → its blob.
* ``attachment_refs``: (entry, target as written) → the file an import resolved it to (a
  relative ``img/x.png`` depends on the note's folder, which the text alone does not tell).

Which entries *use* a file is read from their text (:func:`usage`), so an edit in the app that
removes an embed is seen without any bookkeeping on save. History: a revision names its files
by the same text and never copies a blob; a file that only a revision names is still in use
(restoring the revision brings its images back), so purging orphans keeps it. Purging an entry
deletes its history, and its files become orphans.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
from collections.abc import Iterable

from notebook_app.core.attachments.references import guess_mime, references_in
from notebook_app.core.model.entry import format_timestamp, utc_now
from notebook_app.core.storage.notebook import Notebook


@dataclasses.dataclass(frozen=True, slots=True)
class StoredFile:
    id: int
    path: str
    sha256: str
    size: int
    mime: str


@dataclasses.dataclass(slots=True)
class AttachmentInfo:
    """One stored file and the entries that name it (id, title)."""

    path: str
    sha256: str
    size: int
    mime: str
    users: list[tuple[str, str]]
    in_history: bool = False  # named only by an earlier revision of some entry

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "mime": self.mime,
            "entries": [{"id": i, "title": t} for i, t in self.users],
            "in_history": self.in_history,
        }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(notebook: Notebook, data: bytes, mime: str, digest: str | None = None) -> int:
    """The id of the blob holding ``data``, stored now if it is new (call in a transaction)."""
    digest = digest or sha256(data)
    conn = notebook.conn
    row = conn.execute("SELECT id FROM blobs WHERE sha256 = ?", [digest]).fetchone()
    if row is not None:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO blobs (sha256, size, mime, added, data) VALUES (?, ?, ?, ?, ?)",
        [digest, len(data), mime, format_timestamp(utc_now()), data],
    )
    return int(cursor.lastrowid or 0)


def put_file(notebook: Notebook, path: str, blob: int, mtime: float | None = None) -> int:
    """Record the vault file ``path`` as holding ``blob`` (replacing what it held); its id."""
    conn = notebook.conn
    row = conn.execute("SELECT id FROM attachments WHERE path = ?", [path]).fetchone()
    if row is not None:
        conn.execute(
            "UPDATE attachments SET blob = ?, mtime = ? WHERE id = ?", [blob, mtime, row[0]]
        )
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO attachments (path, blob, mtime, added) VALUES (?, ?, ?, ?)",
        [path, blob, mtime, format_timestamp(utc_now())],
    )
    return int(cursor.lastrowid or 0)


def add_reference(notebook: Notebook, entry_id: str, target: str, file_id: int) -> None:
    notebook.conn.execute(
        "INSERT OR REPLACE INTO attachment_refs (entry, target, attachment) "
        "SELECT seq, ?, ? FROM entries WHERE id = ?",
        [target, file_id, entry_id],
    )


def store_new_file(
    notebook: Notebook, name: str, data: bytes, entry_id: str | None = None
) -> StoredFile:
    """Store a pasted or dropped file under ``name`` (at the vault's top), or under
    ``name-2.ext``… when another file has that name; the same bytes under the same name are the
    same file. Names it for ``entry_id``, if given. One transaction."""
    digest = sha256(data)
    mime = guess_mime(name, data)
    stem, suffix = posixpath.splitext(posixpath.basename(name.replace("\\", "/")) or "file")
    with notebook.transaction():
        blob = put_blob(notebook, data, mime, digest)
        number = 1
        while True:
            path = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
            row = notebook.conn.execute(
                "SELECT a.id, b.sha256 FROM attachments a JOIN blobs b ON b.id = a.blob "
                "WHERE a.path = ? COLLATE NOCASE",
                [path],
            ).fetchone()
            if row is None:
                file_id = put_file(notebook, path, blob)
                break
            if row[1] == digest:
                file_id = int(row[0])
                break
            number += 1
        if entry_id is not None:
            add_reference(notebook, entry_id, path, file_id)
    return StoredFile(file_id, path, digest, len(data), mime)


class Resolver:
    """Finds the stored file a target names, as Obsidian would in the vault: the file an import
    resolved for that entry, else the file at that path relative to the entry's vault folder
    (``Entry.folder``: where export writes the entry, so the link resolves there too), else
    from the top, else the file with that name (or ending with that path) anywhere, the
    shortest path first; case is ignored last (as the import's ``vault._resolve``)."""

    def __init__(self, notebook: Notebook) -> None:
        conn = notebook.conn
        self.files: dict[str, StoredFile] = {}
        by_id: dict[int, StoredFile] = {}
        for file_id, path, digest, size, mime in conn.execute(
            "SELECT a.id, a.path, b.sha256, b.size, b.mime FROM attachments a "
            "JOIN blobs b ON b.id = a.blob"
        ):
            stored = StoredFile(file_id, path, digest, size, mime)
            self.files[path] = stored
            by_id[file_id] = stored
        self.by_name: dict[str, list[StoredFile]] = {}
        for stored in sorted(self.files.values(), key=lambda s: (s.path.count("/"), s.path)):
            self.by_name.setdefault(posixpath.basename(stored.path).casefold(), []).append(stored)
        self.refs: dict[tuple[str, str], StoredFile] = {}
        for entry_id, target, file_id in conn.execute(
            "SELECT e.id, r.target, r.attachment FROM attachment_refs r "
            "JOIN entries e ON e.seq = r.entry"
        ):
            if file_id in by_id:
                self.refs[(entry_id, target)] = by_id[file_id]
        self.folders: dict[str, str] = dict(
            conn.execute("SELECT id, folder FROM entries WHERE folder IS NOT NULL AND folder <> ''")
        )

    def resolve(self, target: str, entry_id: str | None = None) -> StoredFile | None:
        if entry_id is not None:
            found = self.refs.get((entry_id, target))
            if found is not None:
                return found
            folder = self.folders.get(entry_id)
            if folder:
                found = self.files.get(posixpath.normpath(posixpath.join(folder, target)))
                if found is not None:
                    return found
        found = self.files.get(target)
        if found is not None:
            return found
        candidates = self.by_name.get(posixpath.basename(target).casefold(), [])
        exact = [c for c in candidates if c.path == target or c.path.endswith("/" + target)]
        if exact:
            return exact[0]
        folded = target.casefold()
        loose = [c for c in candidates if _same_or_ends(c.path.casefold(), folded)]
        return loose[0] if loose else None


def _same_or_ends(path: str, target: str) -> bool:
    return path == target or path.endswith("/" + target)


def read_blob(notebook: Notebook, digest: str) -> bytes | None:
    row = notebook.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
    return bytes(row[0]) if row is not None else None


def resolve_data(
    notebook: Notebook, target: str, entry_id: str | None = None
) -> tuple[StoredFile, bytes] | None:
    """The file a note's target names and its bytes (for the preview), or None."""
    found = Resolver(notebook).resolve(target, entry_id)
    if found is None:
        return None
    data = read_blob(notebook, found.sha256)
    return None if data is None else (found, data)


def usage(
    notebook: Notebook, *, include_history: bool = True
) -> tuple[Resolver, dict[int, list[tuple[str, str]]], set[int]]:
    """Which entries name each file (file id → [(entry id, title)]: trashed entries too, they
    can be restored), and which files only earlier revisions name."""
    resolver = Resolver(notebook)
    users: dict[int, list[tuple[str, str]]] = {}
    if not resolver.files:
        return resolver, users, set()
    for entry_id, title, body in notebook.conn.execute("SELECT id, title, body FROM entries"):
        seen: set[int] = set()
        for reference in references_in(body, resolver.folders.get(entry_id, "")):
            found = resolver.resolve(reference.target, entry_id)
            if found is not None and found.id not in seen:
                seen.add(found.id)
                users.setdefault(found.id, []).append((entry_id, title))
    in_history: set[int] = set()
    if include_history:
        rows = notebook.conn.execute(
            "SELECT e.id, h.snapshot FROM entry_history h JOIN entries e ON e.seq = h.entry"
        )
        for entry_id, snapshot in rows:
            body = json.loads(snapshot).get("body") or ""
            for reference in references_in(body, resolver.folders.get(entry_id, "")):
                found = resolver.resolve(reference.target, entry_id)
                if found is not None and found.id not in users:
                    in_history.add(found.id)
    return resolver, users, in_history


def list_attachments(notebook: Notebook) -> list[AttachmentInfo]:
    """Every stored file, by path, with the entries that name it."""
    resolver, users, in_history = usage(notebook)
    return [
        AttachmentInfo(s.path, s.sha256, s.size, s.mime, users.get(s.id, []), s.id in in_history)
        for s in sorted(resolver.files.values(), key=lambda s: s.path)
    ]


@dataclasses.dataclass(slots=True)
class PurgeReport:
    files: list[str]  # the paths removed
    blobs: int  # blobs deleted
    bytes: int  # their size

    def summary(self) -> str:
        if not self.files:
            return "no orphaned attachments"
        return (
            f"purged {len(self.files)} attachment{'s' if len(self.files) != 1 else ''} "
            f"({self.blobs} stored file{'s' if self.blobs != 1 else ''}, {self.bytes:,} bytes) "
            "that no entry and no revision names"
        )


def purge_orphans(notebook: Notebook, *, dry_run: bool = False) -> PurgeReport:
    """Remove the files no entry (trashed ones included) and no revision names, then the blobs
    no file holds. One transaction."""
    if dry_run:  # reads only: works on a notebook opened for reading
        resolver, users, in_history = usage(notebook)
        orphans = [s for s in resolver.files.values() if s.id not in users
                   and s.id not in in_history]  # fmt: skip
        kept = {s.sha256 for s in resolver.files.values() if s not in orphans}
        gone = {s.sha256: s.size for s in orphans if s.sha256 not in kept}
        return PurgeReport(sorted(s.path for s in orphans), len(gone), sum(gone.values()))
    with notebook.transaction():
        resolver, users, in_history = usage(notebook)
        orphans = [s for s in resolver.files.values() if s.id not in users
                   and s.id not in in_history]  # fmt: skip
        conn = notebook.conn
        conn.executemany("DELETE FROM attachments WHERE id = ?", [[s.id] for s in orphans])
        blobs, size = conn.execute(
            "SELECT count(*), coalesce(sum(size), 0) FROM blobs "
            "WHERE id NOT IN (SELECT blob FROM attachments)"
        ).fetchone()
        conn.execute("DELETE FROM blobs WHERE id NOT IN (SELECT blob FROM attachments)")
    return PurgeReport(sorted(s.path for s in orphans), int(blobs), int(size))


def export_files(
    notebook: Notebook, entry_ids: Iterable[str] | None = None
) -> list[tuple[str, bytes]]:
    """The files an export writes: those the given entries name, or (``None``) every stored
    file, at their vault paths."""
    resolver = Resolver(notebook)
    if not resolver.files:
        return []
    chosen: dict[str, StoredFile]
    if entry_ids is None:
        chosen = dict(resolver.files)
    else:
        chosen = {}
        wanted = set(entry_ids)
        for entry_id, body in notebook.conn.execute("SELECT id, body FROM entries"):
            if entry_id not in wanted:
                continue
            for reference in references_in(body, resolver.folders.get(entry_id, "")):
                found = resolver.resolve(reference.target, entry_id)
                if found is not None:
                    chosen[found.path] = found
    out: list[tuple[str, bytes]] = []
    for path in sorted(chosen):
        data = read_blob(notebook, chosen[path].sha256)
        if data is not None:
            out.append((path, data))
    return out
