"""The window driven from the keyboard, offscreen, as a user would.

Each test builds the real ``MainWindow`` on a notebook file and an INI settings file in a
temporary folder; "restarting" is closing the window and building a new one on the same files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.main_window import MainWindow

WindowFactory = Callable[[], MainWindow]


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            QTest.keyClick(widget, Qt.Key.Key_Return)
        QTest.keyClicks(widget, line)


def type_unicode(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type text with characters QTest.keyClicks refuses (it aborts on non-Latin-1, e.g. —)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def shortcut(window: MainWindow, keys: str) -> None:
    """Press a key combination at the window, as from the keyboard."""
    from PySide6.QtGui import QKeySequence

    sequence = QKeySequence(keys)
    combo = sequence[0]
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())


def settle(window: MainWindow) -> None:
    """Let the window's workers finish what was asked of them and deliver the results."""
    assert window.runner.wait(10)


def open_entry(window: MainWindow, entry_id: str) -> None:
    """Open an entry as the list, a link or Ctrl+P does, and wait until it is shown."""
    window.editing.open(entry_id)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == entry_id


def restart(window: MainWindow, make_window: WindowFactory) -> MainWindow:
    window.close()
    return make_window()


def test_create_each_kind_by_keyboard_and_find_it_after_restart(
    qtbot, make_window: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui = window.ui
    for keys, kind, title, body in [
        ("Ctrl+N", Kind.NOTE, "Towards Monosemanticity", "Sparse autoencoders find features."),
        ("Ctrl+Shift+T", Kind.TERM, "Superposition", "More features than dimensions."),
        ("Ctrl+Shift+M", Kind.MEETING, "Call with an eval researcher", "Talked about evals."),
    ]:
        shortcut(window, keys)
        assert QApplication.focusWidget() is ui.titleEdit
        QTest.keyClicks(ui.titleEdit, title)
        QTest.keyClick(ui.titleEdit, Qt.Key.Key_Tab)  # to the tags field
        QTest.keyClicks(ui.tagsEdit, "ml/interpretability")
        ui.editor.setFocus()
        type_text(qtbot, ui.editor, body)
        assert window.editing.current is not None and window.editing.current.kind is kind
    # Autosave happens within a second of the last keystroke.
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=3000)
    assert window.save_label.text() == "Saved"

    window = restart(window, make_window)
    hits = {hit.title: hit for hit in window.notebook.search("")}
    assert set(hits) == {
        "Towards Monosemanticity",
        "Superposition",
        "Call with an eval researcher",
    }
    term = window.notebook.get(hits["Superposition"].id)
    assert term.kind is Kind.TERM and term.body == "More features than dimensions."
    assert term.tags == ["ml/interpretability"]
    # The last entry open is open again.
    assert (
        window.editing.current is not None
        and window.editing.current.title == "Call with an eval researcher"
    )


def test_edits_are_saved_on_switching_entry_and_on_quit(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        first = notebook.add(Entry(kind=Kind.NOTE, title="First", body="one"))
        second = notebook.add(Entry(kind=Kind.NOTE, title="Second", body="two"))
    window = make_window()
    editor = window.ui.editor
    open_entry(window, first.id)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, " plus more")
    assert window.editing.dirty and window.windowTitle().startswith("●")
    assert window.save_label.text() == "Unsaved changes"
    # Switching entry saves at once, without waiting for the autosave timer.
    window.editing.open(second.id)
    assert window.editing.autosave_timer.isActive() is False  # handed to the save already
    settle(window)
    assert window.notebook.get(first.id).body == "one plus more"
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, "!")
    window.close()  # quitting saves too
    with Notebook.open(db_path) as notebook:
        assert notebook.get(second.id).body == "two!"
        assert notebook.get(first.id).body == "one plus more"


def test_preview_follows_the_editor(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    shortcut(window, "Ctrl+N")
    QTest.keyClicks(window.ui.titleEdit, "Preview test")
    window.ui.editor.setFocus()
    type_text(qtbot, window.ui.editor, "# Heading one\n\n- first item\nsecond item")
    qtbot.waitUntil(lambda: "first item" in window.ui.preview.toPlainText(), timeout=3000)
    html = window.ui.preview.toHtml()
    assert "Heading one" in window.ui.preview.toPlainText()
    assert "<li" in html or "first item" in html
    QTest.keyClicks(window.ui.editor, " changed")
    qtbot.waitUntil(lambda: "changed" in window.ui.preview.toPlainText(), timeout=3000)


def test_search_box_and_tag_filter(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Attention paper", tags=["ml/attention"]))
        notebook.add(Entry(kind=Kind.TERM, title="Attention", body="weights", tags=["glossary"]))
        notebook.add(Entry(kind=Kind.NOTE, title="지원서 초안", body="3년간 개발경력"))
        notebook.add(Entry(kind=Kind.NOTE, title="Unrelated", tags=["misc"]))
    window = make_window()
    shortcut(window, "Ctrl+K")
    assert QApplication.focusWidget() is window.ui.searchBox
    QTest.keyClicks(window.ui.searchBox, "attention")
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 2, timeout=2000)
    window.ui.searchBox.clear()
    # Korean arrives through an input method, as committed text (QTest types ASCII only).
    window.ui.searchBox.insert("경력")
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 1, timeout=2000)
    assert window.entry_list.entries.summary(0).title == "지원서 초안"
    window.ui.searchBox.clear()
    QTest.keyClicks(window.ui.searchBox, "kind:alien")
    qtbot.wait(200)
    assert window.ui.searchBox.property("invalid") is True
    window.ui.searchBox.clear()
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 4, timeout=2000)

    # Select the tag "ml" in the tag tree: nested ml/attention matches.
    model = window.entry_list.tag_model
    # The tag tree is counted on a worker: wait for it.
    qtbot.waitUntil(lambda: bool(model.indexes_for_tags({"ml"})), timeout=3000)
    ml_index = model.indexes_for_tags({"ml"})[0]
    window.ui.tagTree.selectionModel().select(
        ml_index, window.ui.tagTree.selectionModel().SelectionFlag.ClearAndSelect
    )
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 1, timeout=2000)
    assert window.entry_list.entries.summary(0).title == "Attention paper"


def test_trash_with_delete_and_undo(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        keep = notebook.add(Entry(kind=Kind.NOTE, title="Keep"))
        gone = notebook.add(Entry(kind=Kind.NOTE, title="Gone"))
    window = make_window()
    open_entry(window, gone.id)
    window.ui.entryList.setFocus()
    QTest.keyClick(window.ui.entryList, Qt.Key.Key_Delete)
    settle(window)
    assert window.notebook.get(gone.id).trashed is not None
    assert [
        window.entry_list.entries.summary(r).title
        for r in range(window.entry_list.entries.rowCount())
    ] == ["Keep"]
    # Undo (Ctrl+Z) brings it back while the list has focus.
    window.ui.entryList.setFocus()
    QTest.keyClick(window.ui.entryList, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(window)
    assert window.notebook.get(gone.id).trashed is None
    assert window.entry_list.entries.rowCount() == 2
    # The Trash view shows trashed entries; restoring from there works too.
    open_entry(window, gone.id)
    window.commands.trash_current()
    settle(window)
    window.ui.kindList.setCurrentIndex(window.entry_list.kinds.index(4, 0))
    settle(window)
    assert [
        window.entry_list.entries.summary(r).title
        for r in range(window.entry_list.entries.rowCount())
    ] == ["Gone"]
    window.ui.entryList.setCurrentIndex(window.entry_list.entries.index(0, 0))
    settle(window)
    shortcut(window, "Ctrl+Shift+R")
    settle(window)
    assert window.notebook.get(gone.id).trashed is None
    assert window.notebook.get(keep.id).trashed is None


def test_outline_jumps_to_a_section(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = "\n\n".join(f"## Section {i}\n\n" + "text line\n" * 30 for i in range(12))
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Long", body=body))
    window = make_window()
    open_entry(window, entry.id)
    window.ui.outlineDock.show()
    qtbot.waitUntil(lambda: window.ui.outline.topLevelItemCount() == 12, timeout=3000)
    item = window.ui.outline.topLevelItem(9)
    assert item.text(0) == "Section 9"
    window.ui.outline.setCurrentItem(item)
    window.ui.outline.itemActivated.emit(item, 0)
    line = window.ui.editor.textCursor().blockNumber()
    assert window.ui.editor.document().findBlockByNumber(line).text() == "## Section 9"


def test_links_external_go_to_the_browser_not_the_preview(
    qtbot, make_window: WindowFactory, db_path: Path, opened_urls: list[QUrl]
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        target = notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
        entry = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Links",
                body="[paper](https://arxiv.org/abs/2209.10652) [bad](javascript:alert(1)) "
                f"[term](entry:{target.id})",
            )
        )
    window = make_window()
    open_entry(window, entry.id)
    qtbot.waitUntil(lambda: "paper" in window.ui.preview.toPlainText(), timeout=3000)
    before = window.ui.preview.toHtml()
    window.ui.preview.anchorClicked.emit(QUrl("https://arxiv.org/abs/2209.10652"))
    assert [url.toString() for url in opened_urls] == ["https://arxiv.org/abs/2209.10652"]
    assert window.ui.preview.toHtml() == before  # the preview did not navigate
    window.ui.preview.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert len(opened_urls) == 1
    window.ui.preview.anchorClicked.emit(QUrl(f"entry:{target.id}"))
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == target.id


def test_quick_switcher_opens_by_title(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Sparse autoencoders"))
        wanted = notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
    window = make_window()
    shortcut(window, "Ctrl+P")
    assert window.switcher.isVisible()
    QTest.keyClicks(window.switcher.input, "supe")
    settle(window)  # the titles are read on a worker
    assert window.switcher.results.count() == 1
    QTest.keyClick(window.switcher.input, Qt.Key.Key_Return)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == wanted.id
    assert not window.switcher.isVisible()
    # Typing goes on in the chosen entry, whatever had the focus before.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.ui.editor, timeout=2000)


def test_window_state_is_remembered(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.named_actions["showPreview"].setChecked(False)
    combo = window.ui.sortCombo
    combo.setCurrentIndex(combo.findText("Title"))
    combo.activated.emit(combo.currentIndex())  # as the user chooses it
    window.resize(1000, 700)
    window = restart(window, make_window)
    assert not window.named_actions["showPreview"].isChecked()
    assert not window.ui.preview.isVisible()
    assert window.ui.sortCombo.currentText() == "Title"


def test_entries_captured_elsewhere_appear_without_losing_typing(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    shortcut(window, "Ctrl+N")
    QTest.keyClicks(window.ui.titleEdit, "Typing here")
    window.ui.editor.setFocus()
    QTest.keyClicks(window.ui.editor, "half a thought")
    with Notebook.open(db_path) as other_process:
        other_process.add(Entry(kind=Kind.TERM, title="Captured elsewhere"))
    qtbot.waitUntil(
        lambda: any(
            window.entry_list.entries.summary(r).title == "Captured elsewhere"
            for r in range(window.entry_list.entries.rowCount())
        ),
        timeout=3000,
    )
    assert window.ui.editor.toPlainText() == "half a thought"
    assert window.ui.titleEdit.text() == "Typing here"


def test_shortcut_sheet_lists_the_real_shortcuts(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.actions import shortcut_sections
    from notebook_app.gui.shortcut_sheet import shortcut_table_html

    window = make_window()
    html = shortcut_table_html(shortcut_sections(window.named_actions))
    for text in ("New Note", "Ctrl+N", "Go to Entry", "Ctrl+P", "Move to Trash", "F1"):
        assert text in html


def test_the_last_entry_is_previewed_after_restart(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Kept", body="# Where I was\n\nreading"))
    window = make_window()
    open_entry(window, entry.id)
    window = restart(window, make_window)
    # The entry reopened before the window was shown still gets its preview and outline.
    qtbot.waitUntil(lambda: "Where I was" in window.ui.preview.toPlainText(), timeout=3000)
    assert window.ui.outline.topLevelItem(0).text(0) == "Where I was"


def test_quick_capture_from_the_keyboard_lands_in_the_glossary(
    qtbot, make_window: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    shortcut(window, "Ctrl+Shift+Space")
    box = window.capture_box
    qtbot.waitUntil(box.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.text, timeout=2000)
    type_unicode(box.text, "t: Superposition — more features than dimensions #mechinterp")
    assert "Glossary term" in box.hint.text() and "#mechinterp" in box.hint.text()
    QTest.keyClick(box.text, Qt.Key.Key_Return)
    assert not box.isVisible()
    settle(window)  # stored on a worker
    # The glossary (third row of the sidebar) lists the new term, tagged.
    window.ui.kindList.setCurrentIndex(window.entry_list.kinds.index(2, 0))
    settle(window)
    titles = [
        window.entry_list.entries.summary(r).title
        for r in range(window.entry_list.entries.rowCount())
    ]
    assert titles == ["Superposition"]
    term = window.notebook.get(window.entry_list.entries.entry_id(0))
    assert term.kind is Kind.TERM and term.tags == ["mechinterp"]
    assert term.body == "more features than dimensions"


def test_capture_box_keys_new_line_kind_cycle_and_escape(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    box = window.capture_box
    box.start()
    QTest.keyClicks(box.text, "Call with an eval researcher")
    QTest.keyClick(box.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(box.text, "talked about evals")
    assert box.text.toPlainText() == "Call with an eval researcher\ntalked about evals"
    for _ in range(3):  # unset → note → term → meeting
        QTest.keyClick(box.text, Qt.Key.Key_Tab)
    assert box.hint.text().startswith("Meeting")
    QTest.keyClick(box.text, Qt.Key.Key_Escape)
    assert not box.isVisible()
    settle(window)
    assert window.notebook.count_entries() == 0  # Esc saved nothing
    box.start()
    assert box.text.toPlainText() == ""
    QTest.keyClicks(box.text, "Attention sinks https://arxiv.org/abs/2309.17453")
    assert "paper: https://arxiv.org/abs/2309.17453" in box.hint.text()  # the guessed type
    box.text.clear()
    QTest.keyClicks(box.text, "m: Call with an eval researcher")
    QTest.keyClick(box.text, Qt.Key.Key_Enter)
    settle(window)
    meetings = window.notebook.search("kind:meeting")
    assert [m.title for m in meetings] == ["Call with an eval researcher"]


def test_import_from_the_window_then_the_list_shows_it(
    qtbot, make_window: WindowFactory, samples
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    job = window.transfers.start_import(samples.path / "reading-log.md", confirm=False)
    assert job is not None
    # Planning runs on a worker, then the import itself: the list fills when both are done.
    entries = samples.known(real=282, fixture=14)
    qtbot.waitUntil(lambda: window.notebook.count_entries() == entries, timeout=20000)
    window.transfers.wait()
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() > 0, timeout=3000)
    assert window.ui.resultLabel.text() or window.entry_list.entries.rowCount()
    title = samples.known(real="Toy Models of Superposition", fixture="The Bitter Lesson")
    hits = window.notebook.search(f'"{title}"')
    assert hits and hits[0].kind is Kind.NOTE


def test_the_import_question_says_what_the_folder_leaves_out(
    qtbot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A folder's odd files do not stop its import, so the question before it says they are
    there: the one file left out and the one warning, with the report under Show Details."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[tuple[str, str]] = []

    def answer(box: QMessageBox) -> int:  # Cancel: nothing is imported
        asked.append((box.text(), box.detailedText()))
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n", encoding="utf-8")
    (folder / "old.md").write_bytes(b"caf\xe9\n")
    (folder / "figure.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    window = make_window()
    window.transfers.start_import(folder)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    ((text, details),) = asked
    assert text.startswith("Import 2 new and update 0 entries?")
    assert text.endswith("\n1 file left out, 1 warning: see Show Details")
    assert "skipped: figure.md: a binary file, not text" in details
    assert "warning: old.md: not UTF-8 text" in details
    assert window.notebook.count_entries() == 0


def test_a_cancelled_import_changes_nothing(
    qtbot, tmp_path: Path, db_path: Path, samples_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.core.formats.importing import apply_import, plan_import
    from notebook_app.gui.tasks import TaskRunner
    from notebook_app.gui.transfer import TransferJob

    with Notebook.open(db_path) as notebook:
        plan = plan_import(notebook, samples_dir / "reading-log.md")
    before = db_path.read_bytes()
    runner = TaskRunner()
    runner.add_lane("transfer", lambda: Notebook.open(db_path), Notebook.close)
    job = TransferJob(lambda notebook, progress: apply_import(notebook, plan, progress))
    job.cancelled.set()  # the progress dialog's Cancel, pressed at once
    failures: list[str] = []
    job.failed.connect(lambda reason: failures.append(reason))
    job.start(runner)
    assert runner.wait(10)
    runner.shutdown()
    with Notebook.open(db_path) as notebook:
        assert notebook.count_entries() == 0
    assert "cancel" in failures[0].lower()
    assert len(before) > 0


def test_theme_is_chosen_from_the_view_menu_and_remembered(
    qtbot, make_window: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction, QPalette

    from notebook_app.gui import settings as S

    window = make_window()
    try:
        window.findChild(QAction, "theme_dark").trigger()
        window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
        assert window_colour.lightness() < 128
        assert window.settings.get(S.THEME) == "dark"
        window = restart(window, make_window)
        assert window.findChild(QAction, "theme_dark").isChecked()
    finally:
        window.set_theme("light")  # the QApplication is shared with the other tests


def test_an_empty_list_says_what_to_do_and_esc_clears_the_search(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    hint = window.entry_list.empty_hint
    assert hint.isVisible() and "Ctrl+N" in hint.text()  # a new notebook: how to begin
    shortcut(window, "Ctrl+N")
    QTest.keyClicks(window.ui.titleEdit, "Sparse autoencoders")
    window.editing.flush()
    settle(window)
    assert not hint.isVisible()
    shortcut(window, "Ctrl+K")
    QTest.keyClicks(window.ui.searchBox, "nothingmatchesthis")
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 0, timeout=2000)
    assert hint.isVisible() and hint.text().startswith("Nothing matches")
    QTest.keyClick(window.ui.searchBox, Qt.Key.Key_Escape)
    assert window.ui.searchBox.text() == ""
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() == 1, timeout=2000)
    assert not hint.isVisible()


def test_ctrl_z_in_the_editor_undoes_typing_not_a_trash(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        gone = notebook.add(Entry(kind=Kind.NOTE, title="To trash"))
        kept = notebook.add(Entry(kind=Kind.NOTE, title="Kept", body="one"))
    window = make_window()
    open_entry(window, gone.id)
    window.commands.trash_current()  # an undoable trash is pending
    open_entry(window, kept.id)
    editor = window.ui.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, " two")
    shortcut(window, "Ctrl+Z")
    assert editor.toPlainText() != "one two"  # the typing was undone in the editor...
    assert window.notebook.get(gone.id).trashed is not None  # ...and the trash left alone


def test_a_new_entry_replaces_the_preview_and_outline_of_the_last(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Old", body="# Old heading\n\ntext"))
    window = make_window()
    open_entry(window, entry.id)
    window.ui.outlineDock.show()
    qtbot.waitUntil(lambda: "Old heading" in window.ui.preview.toPlainText(), timeout=3000)
    shortcut(window, "Ctrl+N")
    qtbot.waitUntil(lambda: "Old heading" not in window.ui.preview.toPlainText(), timeout=3000)
    assert window.ui.outline.topLevelItemCount() == 0


def test_the_editor_and_preview_are_never_both_hidden(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    editor, preview = window.named_actions["showEditor"], window.named_actions["showPreview"]
    shortcut(window, "Ctrl+3")  # the preview hidden
    assert not preview.isChecked() and window.ui.preview.isHidden()
    shortcut(window, "Ctrl+2")  # hiding the editor too brings the preview back
    assert preview.isChecked() and not editor.isChecked()
    assert window.ui.editor.isHidden() and not window.ui.preview.isHidden()


def test_the_count_follows_a_new_entry(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="One"))
    window = make_window()
    qtbot.waitUntil(lambda: window.ui.resultLabel.text() == "1 entry", timeout=3000)
    shortcut(window, "Ctrl+N")
    settle(window)
    assert window.ui.resultLabel.text() == "2 entries"


def test_enter_in_the_search_box_goes_to_the_first_result(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Unrelated"))
        wanted = notebook.add(Entry(kind=Kind.NOTE, title="Sparse autoencoders"))
        notebook.add(Entry(kind=Kind.NOTE, title="Other", body="nothing"))
    window = make_window()
    shortcut(window, "Ctrl+K")
    QTest.keyClicks(window.ui.searchBox, "sparse")
    QTest.keyClick(window.ui.searchBox, Qt.Key.Key_Return)
    settle(window)
    assert QApplication.focusWidget() is window.ui.entryList
    assert window.editing.current is not None and window.editing.current.id == wanted.id
