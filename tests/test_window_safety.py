"""The window's side of the notebook file's safety: read-only and damaged notebooks open with a
banner, a save that meets damage keeps the text and never says "Saved", the daily backup runs
at start on a worker, an import is backed up first, and a backup can be restored from the
window. Offscreen; damage is made the way tests/test_notebook_safety.py makes it (one page
overwritten), a read-only file by patching ``database.writable`` (root writes any file).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from notebook_app.cli import main
from notebook_app.core import api
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage import backups, database, problems
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui import safety as safety_module
from notebook_app.gui import settings as S
from notebook_app.gui.app import Session, open_notebook
from notebook_app.gui.backups_dialog import BackupsDialog
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.safety_banner import BANNER_COLOURS, READ_ONLY_TEXT
from notebook_app.gui.settings import Settings

ENTRIES = 300
PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "notebook.db"
    with Notebook.open(path) as notebook:
        notebook.add_many(
            Entry(kind=Kind.NOTE, title=f"entry {i}", body=f"word{i} " * 150, tags=[f"t{i % 7}"])
            for i in range(ENTRIES)
        )
    return path


@pytest.fixture
def path(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "nb" / "notebook.db"
    copy.parent.mkdir()
    shutil.copy(template, copy)
    return copy


def overwrite_page(path: Path, table: str) -> None:
    import random

    conn = sqlite3.connect(path)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((page - 1) * PAGE)
        file.write(random.Random(0).randbytes(PAGE))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def open_window(qtbot, settings: Settings) -> Iterator[Callable[[Path], MainWindow]]:  # type: ignore[no-untyped-def]
    """Open a notebook the way the app does (``app.open_notebook``) in a shown window."""
    sessions: list[Session] = []

    def make(path: Path) -> MainWindow:
        session = Session(settings)
        window = session.show(*open_notebook(path))
        qtbot.waitExposed(window)
        sessions.append(session)
        return window

    make.sessions = sessions  # type: ignore[attr-defined]
    yield make
    for session in sessions:
        if session.window is not None and session.window.isVisible():
            session.window.setProperty("quitting", True)
            session.window.close()
        session.close()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes answer at once; their texts are kept."""
    said: list[str] = []

    def exec_box(box: QMessageBox) -> int:
        said.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return said


def banner_text(window: MainWindow) -> str:
    return window.safety.banner.label.text()


# --- opening -------------------------------------------------------------------------------


def test_a_read_only_notebook_opens_with_the_banner_and_a_read_only_editor(
    qtbot, path: Path, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(database, "writable", lambda _path: False)
    window = open_window(path)
    banner = window.safety.banner
    assert banner.isVisible() and banner_text(window) == READ_ONLY_TEXT
    assert window.editing.current is not None  # the last entry is there to read
    editor = window.ui.editor
    assert editor.isReadOnly() and window.ui.titleEdit.isReadOnly()
    assert not window.ui.readingStatusCombo.isEnabled()
    before = editor.toPlainText()
    editor.setFocus()
    QTest.keyClicks(editor, "typed")
    assert editor.toPlainText() == before
    for name in ("newNote", "importFolder", "trashEntry", "quickCapture"):
        assert not window.named_actions[name].isEnabled(), name
    assert window.named_actions["exportVault"].isEnabled()  # reading still works
    assert window.save_label.text() == "Read-only"
    window.runner.wait()
    assert backups.list_backups(path) == []  # nothing changes, so no daily backup


def test_the_bars_above_the_entry_follow_a_theme_switch(
    qtbot, path: Path, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(database, "writable", lambda _path: False)
    window = open_window(path)
    bars = [window.safety.banner, window.links.rename.bar]  # read-only; the rename offer
    window.links.rename.bar.offer("2 links in 1 entry still name “A”. Update them to “B”?")
    light, dark = BANNER_COLOURS[("info", False)][0], BANNER_COLOURS[("info", True)][0]
    try:
        window.set_theme("light")
        assert all(light in bar.styleSheet() for bar in bars)
        window.set_theme("dark")
        assert all(dark in bar.styleSheet() for bar in bars)
    finally:
        window.set_theme("light")
    assert all(light in bar.styleSheet() for bar in bars)


def test_a_damaged_notebook_opens_with_the_banner(qtbot, path: Path, open_window) -> None:  # type: ignore[no-untyped-def]
    overwrite_page(path, "entries")
    problems.mark_damaged(path, "by a command: database disk image is malformed")
    window = open_window(path)
    banner = window.safety.banner
    assert banner.isVisible() and "damaged" in banner_text(window)
    assert "Saved" not in window.save_label.text()
    for name in ("check", "recover", "backups"):
        assert banner.buttons[name].isVisible(), name
    assert window.ui.editor.isReadOnly()
    assert not window.named_actions["newNote"].isEnabled()


def test_damage_met_by_the_first_read_opens_the_window_with_the_banner(
    qtbot, path: Path, open_window
) -> None:  # type: ignore[no-untyped-def]
    overwrite_page(path, "entries")  # not known yet: the window's first read meets it
    window = open_window(path)
    window.runner.wait()
    assert window.safety.banner.isVisible() and "damaged" in banner_text(window)
    assert problems.known_damage(path) is not None  # no later write opens it
    assert not window.named_actions["newNote"].isEnabled()


def test_check_and_recover_run_on_a_worker(
    qtbot,
    path: Path,
    tmp_path: Path,
    open_window,
    no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    overwrite_page(path, "entries_by_updated")  # an index: every entry can still be read
    problems.mark_damaged(path, "by a command: database disk image is malformed")
    window = open_window(path)
    window.safety.banner.buttons["check"].click()
    assert window.runner.wait(60)
    assert any("damaged" in text for text in no_dialogs)

    threads: list[str] = []
    real = api.recover_notebook

    def recover(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "recover_notebook", recover)
    target = tmp_path / "rescued.db"
    monkeypatch.setattr(safety_module.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))  # fmt: skip
    asked: list[str] = []
    monkeypatch.setattr(safety_module, "_ask", lambda _p, _t, text, _a: asked.append(text) or True)
    reopened: list[Path] = []
    window.safety.reopen.disconnect()
    window.safety.reopen.connect(reopened.append)
    window.safety.banner.buttons["recover"].click()
    assert window.runner.wait(60)
    qtbot.waitUntil(lambda: bool(reopened))
    assert threads == ["task-safety"]
    assert reopened == [target] and "recovered" in asked[0]
    with Notebook.open(target, write=False) as rescued:
        assert rescued.count_entries() == ENTRIES


# --- saving --------------------------------------------------------------------------------


def test_a_save_that_meets_damage_keeps_the_text_and_never_says_saved(
    qtbot, path: Path, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(path)
    assert window.editing.current is not None

    def damaged(*_args: Any, **_kwargs: Any) -> Entry:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Notebook, "update", damaged)
    editor = window.ui.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, " precious words")
    window.editing.flush()
    assert window.runner.wait(30)
    labels = [window.save_label.text()]
    assert window.runner.wait(30)  # the recovery file is written on a worker
    labels.append(window.save_label.text())
    assert all(label.startswith("Not saved") for label in labels), labels
    assert editor.toPlainText().endswith(" precious words")
    assert window.safety.banner.isVisible() and "damaged" in banner_text(window)
    assert problems.known_damage(path) is not None
    kept = window.safety.kept_in
    assert kept is not None and kept.parent == path.parent
    assert "precious words" in kept.read_text(encoding="utf-8")
    assert f"{kept.name}, beside the notebook" in banner_text(window)
    window.safety.banner.buttons["copy"].click()
    assert "precious words" in QApplication.clipboard().text()
    # Typing is over (the editor is read-only) and nothing says "Saved" afterwards either.
    QTest.keyClicks(editor, " more")
    assert editor.toPlainText().endswith(" precious words")
    assert window.save_label.text().startswith("Not saved")


# --- backups -------------------------------------------------------------------------------


def test_the_daily_backup_runs_at_start_on_a_worker(
    qtbot,
    path: Path,
    tmp_path: Path,
    settings: Settings,
    open_window,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "elsewhere"
    settings.set(S.BACKUP_FOLDER, str(folder))
    threads: list[str] = []
    real = api.backup_if_due

    def backup_if_due(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "backup_if_due", backup_if_due)
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(threads), timeout=10000)
    assert window.runner.wait(60)
    assert threads == ["task-safety"]
    made = backups.list_backups(path, folder)
    assert [b.reason for b in made] == ["daily"]
    assert not window.safety.banner.isVisible()


def test_an_import_from_the_window_is_backed_up_first(
    qtbot, path: Path, tmp_path: Path, open_window
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(path)
    assert window.runner.wait(60)
    source = tmp_path / "in"
    source.mkdir()
    (source / "imported.md").write_text("# Imported\n\nA new note.\n", encoding="utf-8")
    window.transfers.start_import(source, confirm=False)
    assert window.runner.wait(60)
    assert "import" in [b.reason for b in backups.list_backups(path)]
    assert window.notebook.count_entries() == ENTRIES + 1


def test_a_backup_is_restored_from_the_backups_dialog(
    qtbot, path: Path, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    backups.backup_before(path, "import")
    with Notebook.open(path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="after the backup"))
    window = open_window(path)
    assert window.runner.wait(60)
    window.named_actions["backups"].trigger()
    assert window.runner.wait(30)
    dialog = window.findChild(BackupsDialog)
    assert dialog is not None and dialog.isVisible()
    reasons = [dialog.tree.topLevelItem(i).text(1) for i in range(dialog.tree.topLevelItemCount())]
    assert reasons == ["import"]  # today's backup counts as the daily one
    for i in range(dialog.tree.topLevelItemCount()):
        if dialog.tree.topLevelItem(i).text(1) == "import":
            dialog.tree.setCurrentItem(dialog.tree.topLevelItem(i))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Ok)
    dialog.restore_button.click()
    assert window.runner.wait(60)
    session = open_window.sessions[0]
    qtbot.waitUntil(lambda: session.window is not window)  # opened again, in a new window
    new = session.window
    assert new is not None and new.isVisible() and not window.isVisible()
    assert new.notebook.count_entries() == ENTRIES  # the entry added after the backup is gone
    assert "before-restore" in [b.reason for b in backups.list_backups(path)]


def test_the_backup_settings_are_kept(qtbot, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.backups_dialog import BackupSettingsDialog

    dialog = BackupSettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.folder.setText("/somewhere/backups")
    dialog.size_limit.setValue(500)
    dialog.accept()
    assert settings.get(S.BACKUP_FOLDER) == "/somewhere/backups"
    assert settings.get(S.BACKUP_MAX_MB) == 500


# --- paths ---------------------------------------------------------------------------------


def test_the_window_on_a_file_that_is_no_notebook_says_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    not_a_notebook = tmp_path / "notes.txt"
    not_a_notebook.write_text("just text\n" * 100, encoding="utf-8")
    for target in ("/dev/null", str(not_a_notebook)):
        assert main(["--db", target]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("notebook-app: "), err
        assert "Traceback" not in err
