"""Find and replace, zoom, the entry's history and spell checking in the window (issue 13,
item 14), driven from the keyboard."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_window import (  # noqa: F401 (fixtures pytest finds here)
    WindowFactory,
    open_entry,
    restart,
    settle,
    shortcut,
)

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.spelling import misspelt_ranges, words_to_check


@pytest.fixture
def window_factory(request: pytest.FixtureRequest) -> WindowFactory:
    factory: WindowFactory = request.getfixturevalue("make_window")
    return factory


def _note(db_path: Path, body: str, title: str = "Note") -> Entry:
    with Notebook.open(db_path) as notebook:
        return notebook.add(Entry(kind=Kind.NOTE, title=title, body=body))


def test_ctrl_f_finds_in_the_entry_and_ctrl_k_searches_the_notebook(
    qtbot, window_factory: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    entry = _note(db_path, "Scaling laws. scaling again.\nThe SCALING of compute.")
    window = window_factory()
    ui = window.ui
    open_entry(window, entry.id)
    ui.editor.setFocus()
    shortcut(window, "Ctrl+F")
    bar = window.editor_tools.find_bar
    assert bar.isVisible() and QApplication.focusWidget() is bar.find_edit
    QTest.keyClicks(bar.find_edit, "scaling")
    assert ui.editor.textCursor().selectedText() == "Scaling"  # the first, any case
    assert bar.count_label.text() == "1 of 3"
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert ui.editor.textCursor().selectionStart() == len("Scaling laws. ")
    assert bar.count_label.text() == "2 of 3"
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert ui.editor.textCursor().selectionStart() == 0
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert ui.editor.textCursor().selectedText() == "SCALING"  # wrapped round to the last
    assert bar.count_label.text() == "3 of 3"
    QTest.keyClick(bar.find_edit, Qt.Key.Key_F3)  # F3 from anywhere: next, wrapped to the first
    assert ui.editor.textCursor().selectionStart() == 0
    bar.case.setChecked(True)  # match case: only the lower-case one
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert ui.editor.textCursor().selectedText() == "scaling"
    assert bar.count_label.text() == "1 of 1"
    # Esc closes the bar and the focus is back in the editor, at the match.
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and QApplication.focusWidget() is ui.editor
    # The notebook search moved to Ctrl+K (Ctrl+L still works).
    shortcut(window, "Ctrl+K")
    assert QApplication.focusWidget() is ui.searchBox
    ui.editor.setFocus()
    shortcut(window, "Ctrl+L")
    assert QApplication.focusWidget() is ui.searchBox


def test_replace_and_replace_all_are_saved_and_undone_in_one_step(
    qtbot, window_factory: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    entry = _note(db_path, "colour one, colour two, Colour three")
    window = window_factory()
    ui = window.ui
    open_entry(window, entry.id)
    ui.editor.setFocus()
    shortcut(window, "Ctrl+H")
    bar = window.editor_tools.find_bar
    QTest.keyClicks(bar.find_edit, "colour")
    bar.replace_edit.setFocus()
    QTest.keyClicks(bar.replace_edit, "color")
    QTest.keyClick(bar.replace_edit, Qt.Key.Key_Return)  # replaces the first, finds the next
    assert ui.editor.toPlainText() == "color one, colour two, Colour three"
    assert bar.replace_all() == 2
    assert ui.editor.toPlainText() == "color one, color two, color three"
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=5000)
    assert window.notebook.get(entry.id).body == "color one, color two, color three"
    ui.editor.undo()  # Replace All is one step
    assert ui.editor.toPlainText() == "color one, colour two, Colour three"


def test_zoom_applies_to_editor_and_preview_and_is_remembered(
    qtbot, window_factory: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    window = window_factory()
    ui = window.ui
    editor_size, preview_size = ui.editor.font().pointSize(), ui.preview.font().pointSizeF()
    shortcut(window, "Ctrl+=")
    shortcut(window, "Ctrl+=")
    assert ui.editor.font().pointSize() == editor_size + 2
    assert ui.preview.font().pointSizeF() == preview_size + 2
    shortcut(window, "Ctrl+-")
    assert ui.editor.font().pointSize() == editor_size + 1
    window = restart(window, window_factory)
    assert window.ui.editor.font().pointSize() == editor_size + 1
    assert window.ui.preview.font().pointSizeF() == preview_size + 1
    shortcut(window, "Ctrl+Alt+0")  # back to the size chosen; Ctrl+0 stays the entry list
    assert window.ui.editor.font().pointSize() == editor_size
    assert window.ui.preview.font().pointSizeF() == preview_size
    # A font chosen later keeps the zoom on top of it.
    shortcut(window, "Ctrl+=")
    window.ui.editor.set_editor_font("DejaVu Sans", 14)
    assert window.ui.editor.font().pointSize() == 15


def test_history_shows_a_diff_and_restores_without_losing_typing(
    qtbot, window_factory: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Draft", body="first version"))
        entry = notebook.update(entry.id, entry.version, checkpoint=True, body="second version")
    window = window_factory()
    ui = window.ui
    open_entry(window, entry.id)
    ui.editor.setFocus()
    ui.editor.moveCursor(ui.editor.textCursor().MoveOperation.End)
    QTest.keyClicks(ui.editor, " typed")  # not saved yet when the history opens
    assert window.editing.dirty
    from notebook_app.gui.history_dialog import HistoryDialog

    shown: list[HistoryDialog] = []

    def look_then_restore() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, HistoryDialog)
        shown.append(dialog)
        qtbot.waitUntil(lambda: dialog.list.count() >= 1, timeout=5000)
        assert dialog.revisions[0].entry.body == "first version"
        diff = dialog.diff.toPlainText()
        assert "-first version" in diff and "+second version typed" in diff
        dialog.restore()

    qtbot.waitUntil(lambda: True)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, look_then_restore)
    shortcut(window, "Ctrl+Shift+H")
    assert shown
    settle(window)
    assert ui.editor.toPlainText() == "first version"
    stored = window.notebook.get(entry.id)
    assert stored.body == "first version"
    # What was typed before the restore is in the history, not lost.
    bodies = [revision.entry.body for revision in window.notebook.history(entry.id)]
    assert "second version typed" in bodies
    # And typing goes on from the restored text, saved on top of it.
    ui.editor.moveCursor(ui.editor.textCursor().MoveOperation.End)
    QTest.keyClicks(ui.editor, "!")
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=5000)
    assert window.notebook.get(entry.id).body == "first version!"


def test_words_to_check_leave_out_code_links_names_and_korean() -> None:
    line = (
        "Teh `codez` [linkk text](https://exmple.com/pathh) #tagg GPTs OpenAI "
        "한국어단어 mispeled [[Wikki]] x2y AI"
    )
    words = [word for _start, _end, word in words_to_check(line)]
    assert words == ["Teh", "linkk", "text", "mispeled"]


def test_spell_checking_underlines_misspelt_words_and_never_changes_text(
    qtbot, window_factory: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    body = (
        "The residual stream is like wrking memory.\n\n한국어 문장은 건너뜁니다.\n"
        "```\nnot chekced\n```\n"
        "> [!note] In a callout\n> ```\n> qoted chekced\n> ```\n> yes chekced"
    )
    entry = _note(db_path, body)
    window = window_factory()
    ui = window.ui
    open_entry(window, entry.id)
    highlighter = ui.editor.highlighter
    assert misspelt_ranges(highlighter, 0) == []  # off by default
    shortcut(window, "F7")
    qtbot.waitUntil(lambda: misspelt_ranges(highlighter, 0) != [], timeout=15000)
    start = body.index("wrking")
    assert misspelt_ranges(highlighter, 0) == [(start, len("wrking"))]
    assert misspelt_ranges(highlighter, 2) == []  # Korean: skipped
    assert misspelt_ranges(highlighter, 4) == []  # code: skipped
    assert misspelt_ranges(highlighter, 8) == []  # code in a callout too
    assert misspelt_ranges(highlighter, 10) == [(len("> yes "), len("chekced"))]
    assert ui.editor.toPlainText() == body  # underlined, never corrected
    assert not window.editing.dirty  # highlighting again is not an edit
    # A word typed is checked once typing pauses (in the callout: Enter went on with its "> ").
    ui.editor.setFocus()
    ui.editor.moveCursor(ui.editor.textCursor().MoveOperation.End)
    QTest.keyClick(ui.editor, Qt.Key.Key_Return)
    QTest.keyClicks(ui.editor, "anothr line")
    last = ui.editor.document().blockCount() - 1
    assert ui.editor.document().lastBlock().text() == "> anothr line"
    qtbot.waitUntil(lambda: misspelt_ranges(highlighter, last) == [(2, 6)], timeout=5000)
    # Remembered; F7 again switches it off and the underlines go.
    window = restart(window, window_factory)
    assert window.named_actions["spellCheck"].isChecked()
    shortcut(window, "F7")
    assert not window.named_actions["spellCheck"].isChecked()
    assert misspelt_ranges(window.ui.editor.highlighter, 0) == []
