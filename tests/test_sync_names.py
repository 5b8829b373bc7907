"""Names spelled otherwise on another machine (Unicode normalisation, case) are the same file,
for sync and re-import; a folder holding the notebook does not import the notebook."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from notebook_app.core.formats import path_keys
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder
from tests.test_sync import tree, write

NFC = unicodedata.normalize("NFC", "Café.md")
NFD = unicodedata.normalize("NFD", "Café.md")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "vault"
    made.mkdir()
    return made


def bodies(notebook: Notebook) -> list[str]:
    return sorted(e.body for e in notebook.iter_entries())


def recorded(notebook: Notebook) -> list[str]:
    return sorted(row[0] for row in notebook.conn.execute("SELECT path FROM vault_files"))


def respell(folder: Path, old: str, new: str) -> None:
    """The file arriving from another machine under another spelling of its name."""
    os.rename(folder / old, folder / new)


def test_an_edited_file_in_the_other_normalisation_updates_its_entry(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, f"sub/{NFC}", "first\n")
    sync_folder(notebook, folder)
    respell(folder, f"sub/{NFC}", f"sub/{NFD}")
    write(folder, f"sub/{NFD}", "second\n")
    report = sync_folder(notebook, folder)
    assert not report.trashed and not report.added, report.summary()
    assert report.updated == [f"sub/{NFD}"]
    assert bodies(notebook) == ["second\n"] and notebook.count_entries(include_trashed=True) == 1
    assert recorded(notebook) == [f"sub/{NFD}"]
    assert not sync_folder(notebook, folder).changed


def test_an_unchanged_respelled_file_keeps_its_name_when_the_entry_is_written(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, NFC, "first\n")
    sync_folder(notebook, folder)
    respell(folder, NFC, NFD)
    assert not sync_folder(notebook, folder).changed
    entry = next(iter(notebook.iter_entries()))
    notebook.update(entry.id, entry.version, body="from the app\n")
    report = sync_folder(notebook, folder)
    assert report.written == [NFD] and not report.removed, report.summary()
    assert tree(folder) == {NFD: "from the app\n"}
    assert not sync_folder(notebook, folder).changed


def test_two_files_differing_only_in_normalisation_stay_two_entries(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, NFC, "composed\n")
    write(folder, NFD, "decomposed\n")
    sync_folder(notebook, folder)
    assert bodies(notebook) == ["composed\n", "decomposed\n"]
    write(folder, NFD, "decomposed, edited\n")
    report = sync_folder(notebook, folder)
    assert report.updated == [NFD] and not report.added and not report.trashed
    assert bodies(notebook) == ["composed\n", "decomposed, edited\n"]


def test_on_a_folder_that_ignores_case_a_name_in_another_case_is_the_same_file(
    notebook: Notebook, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(path_keys, "ignores_case", lambda folder, paths: True)
    write(folder, "Projects/Plan.md", "first\n")
    sync_folder(notebook, folder)
    respell(folder, "Projects", "projects")
    respell(folder, "projects/Plan.md", "projects/PLAN.md")
    write(folder, "projects/PLAN.md", "second\n")
    report = sync_folder(notebook, folder)
    assert not report.trashed and not report.added, report.summary()
    assert bodies(notebook) == ["second\n"] and notebook.count_entries(include_trashed=True) == 1


def test_the_case_probe_writes_nothing_and_tells_the_two_kinds_of_folder_apart(
    folder: Path,
) -> None:
    write(folder, "a/Note.md", "x\n")
    assert not path_keys.ignores_case(folder, ["a/Note.md"])  # this test's file system
    # A folder where the name in the other case is the same file: what macOS and Windows do.
    os.mkdir(folder / "A")
    os.link(folder / "a/Note.md", folder / "A/nOTE.MD")
    assert path_keys.ignores_case(folder, ["a/Note.md"])
    assert path_keys.key_of(folder, ["a/Note.md"])("X/É.md") == path_keys.fold("x/é.md")


def test_reimporting_a_respelled_edited_file_updates_its_entry(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, NFC, "first\n")
    apply_import(notebook, plan_import(notebook, folder))
    respell(folder, NFC, NFD)
    write(folder, NFD, "second\n")
    plan = plan_import(notebook, folder)
    assert not plan.new and len(plan.updates) == 1
    apply_import(notebook, plan)
    assert bodies(notebook) == ["second\n"]
    assert recorded(notebook) == [NFD]
    # Unchanged since: nothing to do.
    again = plan_import(notebook, folder)
    assert not again.new and not again.updates


def test_a_respelled_attachment_is_neither_stored_again_nor_written_back(
    notebook: Notebook, folder: Path
) -> None:
    picture = unicodedata.normalize("NFC", "Übersicht.png")
    (folder / picture).write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    write(folder, "a.md", f"![[{picture}]]\n")
    assert sync_folder(notebook, folder).files_added == [picture]
    respell(folder, picture, unicodedata.normalize("NFD", picture))
    report = sync_folder(notebook, folder)
    assert not report.files_added and not report.written, report.summary()
    assert sorted(os.listdir(folder)) == sorted(["a.md", unicodedata.normalize("NFD", picture)])


def test_importing_a_folder_that_holds_the_notebook_leaves_the_notebook_out(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    write(folder, "a.md", "alpha\n")
    with Notebook.open(folder / "notebook.db") as notebook:
        notebook.conn.execute("PRAGMA wal_checkpoint")
        (folder / "backups").mkdir()
        (folder / "backups" / "notebook-daily.db").write_bytes(b"SQLite format 3\x00")
        plan = plan_import(notebook, folder)
        reasons = {f.path: f.reason for f in plan.files if f.status == "skipped"}
        assert reasons["notebook.db"] == "the notebook itself: not imported"
        assert reasons["backups/notebook-daily.db"] == "a backup of the notebook: not imported"
        apply_import(notebook, plan)
        assert bodies(notebook) == ["alpha\n"]
        assert notebook.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


def test_the_case_probe_passes_over_names_whose_case_does_not_swap_back(folder: Path) -> None:
    write(folder, "Straße.md", "x\n")
    write(folder, "b.md", "y\n")
    os.link(folder / "b.md", folder / "B.MD")  # the same file in the other case
    assert path_keys.ignores_case(folder, ["Straße.md", "b.md"])
