"""The attachments' side of a sync: images, PDFs and other files notes use.

The notebook never edits a file's bytes (a pasted image is a new file), so a file's two sides
need no base of their own:

* a file in the folder the notebook lacks comes in (stored once, as an import stores it);
* a file whose bytes changed in the folder is taken as changed there (the old bytes stay in the
  notebook until ``attachments --purge-orphans``);
* a file the notebook has and the folder lacks is written out (a pasted image reaches the
  folder, and from there the other machines). A file deleted in the folder therefore comes
  back: nothing is lost; a file no note names any more goes with ``--purge-orphans``.

An unchanged modification time means an unchanged file (not read); files over the import's
limit are passed over with the reason, as notes are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from notebook_app.core.attachments.references import guess_mime
from notebook_app.core.attachments.store import put_blob, put_file, read_blob
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
    for path, file in scan.attachments.items():
        found = by_key.find(path)
        known = stored[found[1]] if found is not None else None
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
        put_file(notebook, found[1] if found is not None else path, blob, file.mtime)
        (report.files_updated if known is not None else report.files_added).append(path)
    present = set(scan.attachments) | {path for path, _ in scan.skipped}
    for path, (file_id, digest, _then) in sorted(stored.items()):
        if path in present or fold(path) in scan.names:
            continue
        data = read_blob(notebook, digest)
        if data is None or not write(path, data, None):
            continue
        mtime = _mtime(folder / path) if not report.dry_run else None
        notebook.conn.execute("UPDATE attachments SET mtime = ? WHERE id = ?", [mtime, file_id])


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None
