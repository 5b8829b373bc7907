"""The window's sync: File > Sync Now runs the core's sync on the transfer lane with the folder
the settings name, says its result in one line, and keeps a conflict's two versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui import settings as S
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path: Path, db_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    notebook = Notebook.open(db_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    made = MainWindow(notebook, settings)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    notebook.close()


def test_sync_now_syncs_the_folder_the_settings_name(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "from the folder.md").write_text("typed in another editor\n")
    window.notebook.add(Entry(kind=Kind.NOTE, title="From the window", body="typed here"))
    window.settings.set(S.SYNC_FOLDER, str(folder))
    action = window.named_actions["syncNow"]
    assert action.shortcut().toString() == "Ctrl+Shift+Y"
    with qtbot.waitSignal(window.sync.finished, timeout=20000) as result:
        action.trigger()
    line = result.args[0]
    assert line.startswith("synced") and "1 change in, 1 file out, 0 conflicts" in line
    assert (folder / "notes" / "From the window.md").is_file()
    assert {e.title for e in window.notebook.iter_entries()} == {
        "From the window", "from the folder",
    }  # fmt: skip
    assert window.statusBar().currentMessage().startswith("Synced")
    # Both sides change the same entry: the window says so, and both versions are kept.
    entry = next(e for e in window.notebook.iter_entries() if e.title == "from the folder")
    window.notebook.update(entry.id, entry.version, body="changed in the window\n")
    (folder / "from the folder.md").write_text("changed in the folder, later\n")
    with qtbot.waitSignal(window.sync.finished, timeout=20000) as result:
        window.sync.sync_now(quiet=True)
    assert "1 conflict" in result.args[0] and "both versions kept" in result.args[0]
    copies = [p for p in folder.iterdir() if "sync-conflict" in p.name]
    assert len(copies) == 1 and copies[0].read_text() == "changed in the folder, later\n"


def test_a_timer_syncs_only_when_a_folder_and_an_interval_are_set(
    window: MainWindow, tmp_path: Path
) -> None:
    assert not window.sync.timer.isActive()  # nothing set: no timer
    window.settings.set(S.SYNC_INTERVAL_MINUTES, 5)
    window.sync.apply_interval()
    assert not window.sync.timer.isActive()  # no folder yet
    window.settings.set(S.SYNC_FOLDER, str(tmp_path))
    window.sync.apply_interval()
    assert window.sync.timer.isActive() and window.sync.timer.interval() == 5 * 60_000
    # A quiet sync never asks for a folder.
    window.settings.set(S.SYNC_FOLDER, "")
    window.sync.sync_now(quiet=True)
    assert not window.sync.running


def test_a_save_syncs_once_saves_pause_if_asked(window: MainWindow, tmp_path: Path) -> None:
    entry = Entry(kind=Kind.NOTE, title="typed")
    window.editing.stored.emit(entry, False)
    assert not window.sync.after_save.isActive()  # not asked
    window.settings.set(S.SYNC_AFTER_SAVE, True)
    window.settings.set(S.SYNC_FOLDER, str(tmp_path))
    window.editing.stored.emit(entry, False)
    assert window.sync.after_save.isActive()
    assert window.sync.after_save.isSingleShot() and window.sync.after_save.interval() == 10_000


def test_a_read_only_notebook_never_syncs(window: MainWindow, tmp_path: Path) -> None:
    from notebook_app.gui.safety import WRITING_ACTIONS

    assert "syncNow" in WRITING_ACTIONS  # off with the other writing commands
    window.settings.set(S.SYNC_FOLDER, str(tmp_path))
    window.editing.refused = "the notebook is read-only"
    window.sync.sync_now()
    assert not window.sync.running
