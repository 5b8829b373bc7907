"""The sidebar's folder tree: vault folders with counts; choosing one narrows the list (as
``folder:`` does) and takes new entries, whose files go there on export and sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder
from notebook_app.gui.folder_tree_model import FOLDER_ROLE, FolderTreeModel
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.settings import Settings


def test_the_model_nests_folders_with_their_counts() -> None:
    model = FolderTreeModel()
    model.reload({"a": 3, "a/b": 1, "s p": 2})
    top = [model.item(row).text() for row in range(model.rowCount())]
    assert top == ["a  (3)", "s p  (2)"]
    child = model.item(0).child(0)
    assert child.text() == "b  (1)" and child.data(FOLDER_ROLE) == "a/b"
    assert model.index_of("a/b").isValid() and not model.index_of("nowhere").isValid()


@pytest.fixture
def window(qtbot, tmp_path: Path, db_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        for title, folder in (("one", "a"), ("two", "a/b"), ("three", "c"), ("loose", None)):
            notebook.add(Entry(kind=Kind.NOTE, title=title, body=title, folder=folder))
    notebook = Notebook.open(db_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    made = MainWindow(notebook, settings)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.close()
    notebook.close()


def test_choosing_a_folder_narrows_the_list_and_takes_new_entries(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folders = window.entry_list.folders
    qtbot.waitUntil(lambda: folders.model.rowCount() == 2, timeout=10000)
    assert folders.view.isVisible()
    assert folders.model.item(0).text() == "a  (2)"
    assert window.entry_list.entries.rowCount() == 4
    folders.view.setCurrentIndex(folders.model.index_of("a"))
    assert window.entry_list.folder == "a"
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 2, timeout=10000)
    assert 'folder:"a"' in window.entry_list.filter()[0]  # what an export would take
    # A new note is made in the chosen folder.
    window.commands.new_entry(Kind.NOTE)
    assert window.runner.wait(10)
    made = next(e for e in window.notebook.iter_entries() if e.title == "New note")
    assert made.folder == "a"
    # Esc in the tree shows every folder again.
    folders.view.setFocus()
    QTest.keyClick(folders.view, Qt.Key.Key_Escape)
    assert window.entry_list.folder == ""
    assert not folders.view.selectionModel().hasSelection()
    # Its file goes to its folder on export and on sync.
    export_vault(window.notebook.iter_entries(), tmp_path / "out")
    assert (tmp_path / "out" / "a" / "New note.md").is_file()
    (tmp_path / "synced").mkdir()
    sync_folder(window.notebook, tmp_path / "synced")
    assert (tmp_path / "synced" / "a" / "New note.md").is_file()
    assert (tmp_path / "synced" / "notes" / "loose.md").is_file()
