"""A file deleted in a synced folder: let go in the notebook if nothing names it, written back
if a note names it, kept in the notebook only if just a revision or a trashed entry does."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_app.core.attachments.store import list_attachments, store_new_file
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder
from tests.test_sync import edit, live, write

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "vault"
    made.mkdir()
    (made / "img").mkdir()
    (made / "img" / "used.png").write_bytes(PNG + b"used")
    (made / "img" / "loose.png").write_bytes(PNG + b"loose")
    write(made, "note.md", "![[used.png]]\n")
    return made


def stored(notebook: Notebook) -> list[str]:
    return [a.path for a in list_attachments(notebook)]


def blobs(notebook: Notebook) -> int:
    return int(notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0])


def test_a_file_nothing_names_deleted_in_the_folder_goes_from_the_notebook(
    notebook: Notebook, folder: Path
) -> None:
    sync_folder(notebook, folder)
    assert stored(notebook) == ["img/loose.png", "img/used.png"] and blobs(notebook) == 2
    (folder / "img" / "loose.png").unlink()
    dry = sync_folder(notebook, folder, dry_run=True)
    assert dry.files_removed == ["img/loose.png"] and len(stored(notebook)) == 2
    report = sync_folder(notebook, folder)
    assert report.files_removed == ["img/loose.png"]
    assert "removed attachment (deleted in the folder, no note names it): img/loose.png" in (
        report.lines()
    )
    assert stored(notebook) == ["img/used.png"] and blobs(notebook) == 1
    assert not (folder / "img" / "loose.png").exists()
    assert not sync_folder(notebook, folder).changed


def test_a_file_a_note_names_is_written_back_with_a_line(notebook: Notebook, folder: Path) -> None:
    sync_folder(notebook, folder)
    (folder / "img" / "used.png").unlink()
    report = sync_folder(notebook, folder)
    assert report.files_kept == ["img/used.png"] and report.written == ["img/used.png"]
    assert "written back (deleted in the folder, a note still names it): img/used.png" in (
        report.lines()
    )
    assert (folder / "img" / "used.png").read_bytes() == PNG + b"used"
    assert not sync_folder(notebook, folder).changed


def test_a_file_only_a_revision_names_stays_in_the_notebook_and_out_of_the_folder(
    notebook: Notebook, folder: Path
) -> None:
    sync_folder(notebook, folder)
    # In the folder: the embed is taken out of the note and the image deleted, in one go.
    write(folder, "note.md", "no picture now\n")
    (folder / "img" / "used.png").unlink()
    report = sync_folder(notebook, folder)
    assert report.updated == ["note.md"] and report.files_set_aside == ["img/used.png"]
    assert not (folder / "img" / "used.png").exists()
    assert "img/used.png" in stored(notebook)  # the revision's image: restoring it shows it
    assert not sync_folder(notebook, folder).changed
    # The note names it again (a revision restored in the app): the file goes back out.
    edit(notebook, "note", body="![[used.png]]\n")
    report = sync_folder(notebook, folder)
    assert report.files_kept == ["img/used.png"]
    assert (folder / "img" / "used.png").read_bytes() == PNG + b"used"
    assert not sync_folder(notebook, folder).changed


def test_only_a_folder_that_had_the_file_can_delete_it(
    notebook: Notebook, folder: Path, tmp_path: Path
) -> None:
    sync_folder(notebook, folder)
    note = live(notebook)["note"]
    store_new_file(notebook, "pasted.png", PNG + b"pasted", note.id)
    other = tmp_path / "other"
    other.mkdir()
    report = sync_folder(notebook, other)  # never had any of them: all written out
    assert not report.files_removed
    assert sorted(p for p in report.written if p.endswith(".png")) == [
        "img/loose.png", "img/used.png", "pasted.png"
    ]  # fmt: skip
    report = sync_folder(notebook, folder)  # the pasted one is new to this folder too
    assert "pasted.png" in report.written and not report.files_removed


def test_recover_keeps_which_files_a_folder_had(
    db_path: Path, folder: Path, tmp_path: Path
) -> None:
    from notebook_app.core.storage.recover import recover_notebook

    with Notebook.open(db_path) as notebook:
        sync_folder(notebook, folder)
    out = tmp_path / "recovered.db"
    assert recover_notebook(db_path, out).copied["attachment_sync"] == 2
    (folder / "img" / "loose.png").unlink()
    with Notebook.open(out) as recovered:
        assert sync_folder(recovered, folder).files_removed == ["img/loose.png"]
