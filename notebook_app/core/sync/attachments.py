"""The attachments' side of a sync: images, PDFs and other files notes use.

The notebook never edits a file's bytes (a pasted image is a new file), so a file needs no base
version, only whether the folder had it at its last sync (``attachment_sync``, per folder):

* a file in the folder the notebook lacks comes in (stored once, as an import stores it);
* a file whose bytes changed in the folder is taken as changed there (the old bytes stay in the
  notebook until ``attachments --purge-orphans``);
* a file the notebook has and the folder never had (a pasted image, one imported from
  elsewhere) is written out, and from there reaches the other machines;
* a file the folder had and lacks now was deleted there: if nothing names it, the notebook lets
  it go as well (its bytes too, unless another file holds them); one that a note names is
  written back, with a line in the report (a deletion never takes an image from a note, as an
  edit beats a deletion for notes); one that only a revision or a trashed entry names stays in
  the notebook (restoring them brings it back) and is not written back (``gone``).

An unchanged modification time means an unchanged file (not read); files over the import's
limit are passed over with the reason, as notes are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from notebook_app.core.attachments.references import guess_mime
from notebook_app.core.attachments.store import put_blob, put_file, read_blob, usage
from notebook_app.core.formats.path_keys import KeyOf, PathIndex, fold, nfc
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync import files
from notebook_app.core.sync.report import SyncReport

Write = Callable[[str, bytes, "str | None"], bool]


def sync_attachments(
    notebook: Notebook,
    folder: Path,
    scan: files.FolderScan,
    report: SyncReport,
    write: Write,
    root: str,
    key: KeyOf = nfc,
) -> None:
    """Bring the stored files and the folder's together (in the sync's transaction);
    ``write(path, data, expected)`` writes a file as the sync does (dry runs write nothing);
    ``key``: how this folder's paths compare (a name spelled otherwise is the same file)."""
    stored = {
        path: (file_id, digest, mtime)
        for file_id, path, digest, mtime in notebook.conn.execute(
            "SELECT a.id, a.path, b.sha256, a.mtime FROM attachments a "
            "JOIN blobs b ON b.id = a.blob"
        )
    }
    by_key = PathIndex[str](key, set(scan.attachments))
    for path in stored:
        by_key.add(path, path)
    matched: list[str] = []  # stored paths the folder holds now
    new: list[int] = []  # files the folder brought
    for path, file in scan.attachments.items():
        found = by_key.find(path)
        known = stored[found[1]] if found is not None else None
        if found is not None:
            matched.append(found[1])
        if known is not None and file.mtime is not None and file.mtime == known[2]:
            continue
        if not file.read():
            report.skipped.append((path, file.problem))
            continue
        assert file.data is not None and file.hash is not None
        if known is not None and file.hash == known[1]:
            notebook.conn.execute("UPDATE attachments SET mtime = ? WHERE id = ?",
                                  [file.mtime, known[0]])  # fmt: skip
            continue
        blob = put_blob(notebook, file.data, guess_mime(path, file.data), file.hash)
        file_id = put_file(notebook, found[1] if found is not None else path, blob, file.mtime)
        if found is None:
            new.append(file_id)
        (report.files_updated if known is not None else report.files_added).append(path)
    present = set(scan.attachments) | {path for path, _ in scan.skipped}
    had: dict[int, int] = dict(  # file id -> gone
        notebook.conn.execute(
            "SELECT attachment, gone FROM attachment_sync WHERE root = ?", [root]
        ).fetchall()
    )
    seen = [stored[found][0] for found in matched if had.get(stored[found][0]) != 0]
    seen += new
    in_use: _InUse | None = None
    for path, (file_id, digest, _then) in sorted(stored.items()):
        if path in present or fold(path) in scan.names:
            continue
        if file_id in had:
            in_use = in_use or _InUse(notebook)
            if file_id not in in_use.anywhere:
                _let_go(notebook, file_id)
                report.files_removed.append(path)
                continue
            if file_id not in in_use.by_notes:
                if not had[file_id]:
                    notebook.conn.execute(
                        "UPDATE attachment_sync SET gone = 1 WHERE attachment = ? AND root = ?",
                        [file_id, root],
                    )
                    report.files_set_aside.append(path)
                continue
            report.files_kept.append(path)
        data = read_blob(notebook, digest)
        if data is None or not write(path, data, None):
            continue
        mtime = files.mtime_of(folder / path) if not report.dry_run else None
        notebook.conn.execute("UPDATE attachments SET mtime = ? WHERE id = ?", [mtime, file_id])
        seen.append(file_id)
    notebook.conn.executemany(
        "INSERT INTO attachment_sync (attachment, root) VALUES (?, ?) "
        "ON CONFLICT (attachment, root) DO UPDATE SET gone = 0",
        [(file_id, root) for file_id in seen],
    )


class _InUse:
    """Which stored files are named: by a note (a live entry's text) or by anything at all
    (trashed entries and revisions too: what ``--purge-orphans`` keeps)."""

    def __init__(self, notebook: Notebook) -> None:
        _resolver, users, in_history = usage(notebook)
        trashed = {
            entry_id
            for (entry_id,) in notebook.conn.execute(
                "SELECT id FROM entries WHERE trashed IS NOT NULL"
            )
        }
        self.anywhere = set(users) | in_history
        self.by_notes = {
            file_id
            for file_id, names in users.items()
            if any(entry_id not in trashed for entry_id, _title in names)
        }


def _let_go(notebook: Notebook, file_id: int) -> None:
    """A file deleted in the folder that nothing names: gone from the notebook too, with its
    bytes if no other file holds them."""
    (blob,) = notebook.conn.execute(
        "SELECT blob FROM attachments WHERE id = ?", [file_id]
    ).fetchone()
    notebook.conn.execute("DELETE FROM attachment_sync WHERE attachment = ?", [file_id])
    notebook.conn.execute("DELETE FROM attachments WHERE id = ?", [file_id])
    notebook.conn.execute(
        "DELETE FROM blobs WHERE id = ? AND id NOT IN (SELECT blob FROM attachments)", [blob]
    )
