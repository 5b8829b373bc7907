"""The window's offer to update the links to a renamed entry (gui/rename_offer.py), on the real
widgets: the offer after the title is saved changed, Alt+U / Alt+D, the open entry's own links
rewritten in its editor (typed text kept), a rename done twice before the answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from tests.test_window import WindowFactory, open_entry, settle

SOURCE = "See [[Old title]], [[old TITLE|shown]] and ![[Old title#Part]]; `[[Old title]]` in code."
RENAMED = "See [[New title]], [[New title|shown]] and ![[New title#Part]]; `[[Old title]]` in code."


def setup(db_path: Path) -> tuple[Entry, Entry, Entry]:
    with Notebook.open(db_path) as notebook:
        target = notebook.add(
            Entry(kind=Kind.TERM, title="Old title", aliases=["Nick"], body="Me: [[Old title]]")
        )
        source = notebook.add(Entry(kind=Kind.NOTE, title="Source", body=SOURCE))
        other = notebook.add(Entry(kind=Kind.NOTE, title="Via alias", body="[[Nick]]"))
    return target, source, other


def retitle(qtbot, window, title: str) -> None:  # type: ignore[no-untyped-def]
    """Type a new title over the old one, from the keyboard, and let it be saved."""
    title_edit = window.ui.titleEdit
    title_edit.setFocus()
    qtbot.waitUntil(title_edit.hasFocus)
    title_edit.selectAll()
    QTest.keyClicks(title_edit, title)
    window.editing.flush()
    settle(window)


def renamed(qtbot, make_window, db_path: Path, *titles: str):  # type: ignore[no-untyped-def]
    """The window on the linked entry, its title changed to each of ``titles`` in turn (the
    last by default "New title"), and the rename bar; then the setup's three entries."""
    target, source, other = setup(db_path)
    window = make_window()
    open_entry(window, target.id)
    bar = window.links.rename.bar
    assert not bar.isVisible()
    for title in titles or ("New title",):
        retitle(qtbot, window, title)
    qtbot.waitUntil(lambda: "“New title”" in bar.label.text() and bar.isVisible(), timeout=5000)
    return window, bar, (target, source, other)


def press(qtbot, window, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Alt+key, as the button's mnemonic: the bar hides on the click (an animated one)."""
    bar = window.links.rename.bar
    assert bar.isVisible()
    QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=3000)


def test_rename_offers_to_update_the_links_and_alt_u_does(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, bar, (target, source, other) = renamed(qtbot, make_window, db_path)
    assert bar.label.text() == (
        "4 links in 2 entries still name “Old title”. Update them to “New title”?"
    )
    assert QApplication.focusWidget() is window.ui.titleEdit  # the offer takes no focus
    press(qtbot, window, Qt.Key.Key_U)
    settle(window)
    assert not bar.isVisible()
    assert window.ui.editor.toPlainText() == "Me: [[New title]]"
    notebook = window.notebook
    assert notebook.get(source.id).body == RENAMED
    assert [r.entry.body for r in notebook.history(source.id)] == [SOURCE]
    assert notebook.get(other.id).body == "[[Nick]]" and notebook.history(other.id) == []
    assert "Updated the links in 2 entries." in window.statusBar().currentMessage()
    # The open entry's own link is saved as typing is; opened later, the source shows it.
    window.editing.flush()
    settle(window)
    assert notebook.get(target.id).body == "Me: [[New title]]"
    open_entry(window, source.id)
    assert window.ui.editor.toPlainText() == RENAMED
    # The list shows the new title.
    titles = {
        window.entry_list.entries.summary(row).title
        for row in range(window.entry_list.entries.rowCount())
    }
    assert "New title" in titles and "Old title" not in titles


def test_alt_d_leaves_the_links(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, bar, (_target, source, _other) = renamed(qtbot, make_window, db_path)
    press(qtbot, window, Qt.Key.Key_D)
    settle(window)
    assert not bar.isVisible()
    assert window.notebook.get(source.id).body == SOURCE
    assert window.notebook.history(source.id) == []
    assert window.ui.editor.toPlainText() == "Me: [[Old title]]"
    # A later rename starts from the title the entry has now: nothing names it.
    retitle(qtbot, window, "Third title")
    assert not bar.isVisible()


def test_no_offer_when_nothing_links_or_only_the_case_changes(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target, _source, other = setup(db_path)
    window = make_window()
    open_entry(window, target.id)
    retitle(qtbot, window, "old TITLE")
    assert not window.links.rename.bar.isVisible()
    open_entry(window, other.id)
    retitle(qtbot, window, "Nothing links here")
    assert not window.links.rename.bar.isVisible()


def test_typed_text_in_the_open_entry_is_kept(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, bar, (target, source, _other) = renamed(qtbot, make_window, db_path)
    # The source is opened and typed into (not saved yet) before the answer...
    open_entry(window, source.id)
    editor = window.ui.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, " Typed.")
    assert window.editing.dirty
    press(qtbot, window, Qt.Key.Key_U)
    # ...and while the update runs.
    QTest.keyClicks(editor, " More.")
    settle(window)
    expected = RENAMED + " Typed. More."
    assert editor.toPlainText() == expected
    window.editing.flush()
    settle(window)
    assert window.notebook.get(source.id).body == expected
    assert window.notebook.get(target.id).body == "Me: [[New title]]"
    assert "elsewhere" not in window.statusBar().currentMessage()  # never saved over
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == SOURCE + " Typed."  # the rewrite is one undo step


def test_renamed_twice_before_the_answer(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, bar, (_target, source, _other) = renamed(
        qtbot, make_window, db_path, "Second title", "New title"
    )
    assert "still name “Old title”" in bar.label.text()
    press(qtbot, window, Qt.Key.Key_U)
    settle(window)
    assert window.notebook.get(source.id).body == RENAMED
