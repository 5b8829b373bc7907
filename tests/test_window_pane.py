"""The entry pane kept true to the list (issue 13 items 7, 13, 15, 8): the welcome page, no
stale entry, counts, undo, date errors, per-view sorts, the screen, the empty outline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow
from test_window import (
    WindowFactory,
    open_entry,
    restart,
    settle,
    shortcut,
    type_text,
)

from notebook_app.core.api import Scope
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.window_state import fit_to_screen

ALL, NOTES, GLOSSARY, MEETINGS, TRASH = range(5)


def choose_view(window, row: int) -> None:  # type: ignore[no-untyped-def]
    window.ui.kindList.setCurrentIndex(window.entry_list.kinds.index(row, 0))
    settle(window)


def welcome_shown(window) -> bool:  # type: ignore[no-untyped-def]
    stack = window.pane_sync.stack
    return stack.widget.currentWidget() is stack.page and stack.widget.isVisible()


def test_an_empty_notebook_opens_on_the_welcome_page(
    qtbot, make_window: WindowFactory, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert welcome_shown(window) and not window.ui.entryPane.isVisible()
    page = window.pane_sync.stack.page
    text = page.widget().findChildren(type(page.heading))
    words = " ".join(label.text() for label in text)
    assert "Welcome" in words and "t: Superposition" in words  # the capture grammar
    # The kinds' buttons carry the keys of the actions themselves.
    assert page.buttons["newTerm"].text().endswith("Ctrl+Shift+T")
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *args: asked.append("folder") or ""
    )
    page.buttons["importFolder"].click()
    assert asked == ["folder"]
    page.buttons["newNote"].click()
    settle(window)
    assert window.editing.current is not None and window.editing.current.kind is Kind.NOTE
    assert not welcome_shown(window) and window.ui.titleEdit.isVisible()


def test_the_pane_never_keeps_an_entry_the_list_does_not_show(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="A note", body="about features"))
        notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
    window = make_window()
    open_entry(window, note.id)
    type_text(qtbot, window.ui.editor, " and more")  # typed, then the view changes
    window.ui.kindList.setFocus()  # as a click does: the edit is sent to be saved first
    choose_view(window, GLOSSARY)
    assert window.editing.current is None
    qtbot.waitUntil(lambda: welcome_shown(window), timeout=2000)
    assert "No entry open" in window.pane_sync.stack.page.heading.text()
    assert window.notebook.get(note.id).body.startswith(" and more")  # saved first
    # An empty Trash shows no term either.
    choose_view(window, ALL)
    open_entry(window, window.entry_list.entries.entry_id(0) or "")
    choose_view(window, TRASH)
    assert window.editing.current is None
    qtbot.waitUntil(lambda: welcome_shown(window), timeout=2000)
    # Search results without the open entry close it; with it, it stays.
    choose_view(window, ALL)
    open_entry(window, note.id)
    window.ui.searchBox.setText("features")
    qtbot.wait(150)
    settle(window)
    assert window.editing.current is not None
    window.ui.searchBox.setText("superposition")
    qtbot.wait(150)
    settle(window)
    assert window.editing.current is None


def test_the_count_follows_a_capture(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"n{i}") for i in range(309))
    window = make_window()
    qtbot.waitUntil(lambda: window.ui.resultLabel.text() == "309 entries", timeout=5000)
    box = window.capture_box
    box.start()
    QTest.keyClicks(box.text, "One more thought")
    QTest.keyClick(box.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ui.resultLabel.text() == "310 entries", timeout=5000)


def test_undoing_a_trash_keeps_the_sidebars_view(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Keep"))
        gone = notebook.add(Entry(kind=Kind.NOTE, title="Gone"))
        notebook.add(Entry(kind=Kind.TERM, title="A term"))
    window = make_window()
    choose_view(window, NOTES)
    open_entry(window, gone.id)
    window.ui.entryList.setFocus()
    QTest.keyClick(window.ui.entryList, Qt.Key.Key_Delete)
    settle(window)
    QTest.keyClick(window.ui.entryList, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(window)
    settle(window)
    assert window.ui.kindList.currentIndex().row() == NOTES
    assert window.editing.current is not None and window.editing.current.id == gone.id
    assert window.entry_list.entries.rowCount() == 2


def test_a_rejected_date_is_marked_and_unsaid_once_fixed(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="Read"))
    window = make_window()
    open_entry(window, note.id)
    field, label = window.ui.readOnEdit, window.save_label
    field.setFocus()
    QTest.keyClicks(field, "someday")
    window.editing.flush()
    settle(window)
    assert field.property("invalid") is True
    assert label.text().startswith("Saved, except") and label.text() != "Saved"
    assert "someday" in window.statusBar().currentMessage()
    field.clear()
    QTest.keyClicks(field, "2024-05-01")
    window.editing.flush()
    settle(window)
    assert not field.property("invalid")
    assert label.text() == "Saved"
    assert window.statusBar().currentMessage() == ""
    assert str(window.notebook.get(note.id).read_on) == "2024-05-01"


def test_each_view_keeps_its_sort_and_best_match_only_while_searching(
    qtbot, make_window: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    combo = window.ui.sortCombo
    items = lambda: [combo.itemText(i) for i in range(combo.count())]  # noqa: E731
    choose_view(window, GLOSSARY)
    assert combo.currentText() == "Glossary order" and "Best match" not in items()
    choose_view(window, MEETINGS)
    assert combo.currentText() == "Day"
    choose_view(window, NOTES)
    assert combo.currentText() == "Last updated" and "Glossary order" not in items()
    combo.setCurrentIndex(combo.findText("Title"))
    combo.activated.emit(combo.currentIndex())
    choose_view(window, GLOSSARY)
    assert combo.currentText() == "Glossary order"
    choose_view(window, NOTES)
    assert combo.currentText() == "Title"
    window.ui.searchBox.setText("anything")
    qtbot.wait(150)
    settle(window)
    assert combo.currentText() == "Best match"
    window.ui.searchBox.clear()
    qtbot.wait(150)
    settle(window)
    assert combo.currentText() == "Title" and "Best match" not in items()
    window = restart(window, make_window)
    choose_view(window, NOTES)
    assert window.ui.sortCombo.currentText() == "Title"


def test_the_first_window_fits_a_small_screen(
    qtbot, make_window: WindowFactory, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    small = QRect(0, 0, 1024, 700)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: small)
    window = make_window()
    assert small.contains(window.frameGeometry()), window.frameGeometry()
    assert window.width() >= 900  # shrunk to the screen, not to nothing
    # The function alone: a window larger than the screen shrinks and is centred.
    other = QMainWindow()
    qtbot.addWidget(other)
    other.resize(1280, 800)
    other.move(300, 200)
    fit_to_screen(other, small)
    assert other.width() <= 1024 and other.height() <= 700
    assert small.contains(other.geometry())


def test_list_and_sort_box_fit_their_text(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    choose_view(window, GLOSSARY)
    view = window.ui.entryList
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    window.ui.mainSplitter.setSizes([150, 120, 800])  # the list squeezed
    qtbot.wait(20)
    combo = window.ui.sortCombo
    metrics = combo.fontMetrics()
    assert combo.width() > metrics.horizontalAdvance("Glossary order")


def test_an_entry_without_headings_has_no_outline_column(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        flat = notebook.add(Entry(kind=Kind.NOTE, title="Flat", body="no headings here"))
        shaped = notebook.add(Entry(kind=Kind.NOTE, title="Shaped", body="# One\n\n## Two\n"))
    window = make_window()
    window.preview.start()
    open_entry(window, shaped.id)
    qtbot.waitUntil(lambda: window.ui.outline.topLevelItemCount() > 0, timeout=5000)
    assert window.ui.outlineDock.isVisible()
    open_entry(window, flat.id)
    qtbot.waitUntil(lambda: window.ui.outline.topLevelItemCount() == 0, timeout=5000)
    assert not window.ui.outlineDock.isVisible()
    assert window.named_actions["showOutline"].isChecked()  # still wanted
    shortcut(window, "Ctrl+4")  # not wanted: stays hidden with headings too
    open_entry(window, shaped.id)
    qtbot.waitUntil(lambda: window.ui.outline.topLevelItemCount() > 0, timeout=5000)
    assert not window.ui.outlineDock.isVisible()


def test_a_large_window_gives_the_editor_and_preview_the_room(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Wide", body="# A\n\ntext"))
    window = make_window()
    open_entry(window, entry.id)
    window.resize(1920, 1040)  # as maximised on a 1920×1080 screen
    qtbot.wait(50)
    assert window.ui.editor.width() >= 450 and window.ui.preview.width() >= 450
    assert window.ui.entryList.width() <= 500 and window.ui.sidebar.width() <= 300


def test_the_last_entry_past_the_lists_first_page_is_open_again(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The list reads 50 rows at first: an entry further down (an old paper of the reading
    log) used to give way, on restart, to the list's first row as the list took the focus."""
    with Notebook.open(db_path) as notebook:
        oldest = notebook.add(Entry(kind=Kind.NOTE, title="An old paper"))
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"note {i}") for i in range(80))
    window = make_window()
    settle(window)
    open_entry(window, oldest.id)
    window = restart(window, make_window)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == oldest.id
    assert window.ui.titleEdit.text() == "An old paper"
    # Tab into the list, read again from its first page, keeps it too, on its own row.
    window.entry_list.apply_query()
    settle(window)
    assert window.entry_list.entries.row_of(oldest.id) is None
    window.ui.sortCombo.setFocus()
    QTest.keyClick(window.ui.sortCombo, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: window.entry_list.entries.row_of(oldest.id) is not None, timeout=5000)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == oldest.id
    row = window.entry_list.entries.row_of(oldest.id)
    assert window.ui.entryList.currentIndex().row() == row


def test_a_small_window_keeps_the_entry_pane_readable(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A window made small (800×500) took all it lost from the editor and preview, down to a
    hundred pixels each with "Source t" and "No statu" cut off, while the sidebar and list
    kept their width: they give way first now."""
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Narrow", body="# A\n\n## B\n\ntext"))
    window = make_window()
    window.preview.start()
    open_entry(window, entry.id)
    qtbot.waitUntil(window.ui.outlineDock.isVisible, timeout=5000)
    window.resize(1280, 800)
    window.ui.mainSplitter.setSizes([190, 330, 760])  # as a first run at 1280 leaves them
    window.resizeDocks([window.ui.outlineDock], [210], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    window.resize(800, 500)
    qtbot.wait(50)
    assert window.width() <= 800
    assert window.ui.editor.width() >= 160 and window.ui.preview.width() >= 160
    for combo in (window.ui.sourceTypeCombo, window.ui.readingStatusCombo):
        assert combo.width() > combo.fontMetrics().horizontalAdvance(combo.currentText())


def test_the_export_question_names_its_two_choices(
    qtbot, make_window: WindowFactory, db_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Exporting with a view chosen asked "Export only the entries in the current list? (No
    exports the whole notebook.)" over Yes / No: the buttons now say what each exports."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from notebook_app.core.api import Scope

    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="A note"))
        notebook.add(Entry(kind=Kind.TERM, title="A term"))
    window = make_window()
    choose_view(window, NOTES)
    qtbot.waitUntil(lambda: window.ui.resultLabel.text() == "1 entry", timeout=3000)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path))
    asked: list[tuple[str, Scope]] = []
    monkeypatch.setattr(window.transfers, "start_export_vault",
                        lambda _folder, query, scope: asked.append((query, scope)))  # fmt: skip
    seen: list[list[str]] = []

    def answer(text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        texts = [button.text().replace("&", "") for button in box.buttons()]
        seen.append(texts)
        buttons = [b for b in box.buttons() if b.text().replace("&", "") == text]
        (buttons[0] if buttons else box.buttons()[-1]).click()  # never left open

    for choice in ("The Whole Notebook", "The Current List (1 entry)"):
        QTimer.singleShot(50, lambda choice=choice: answer(choice))
        window.named_actions["exportVault"].trigger()  # Ctrl+Shift+E
    assert all("The Whole Notebook" in texts for texts in seen), seen
    assert all("The Current List (1 entry)" in texts for texts in seen), seen
    assert asked[0] == ("", Scope())
    assert asked[1][1] == window.entry_list.current_scope() and asked[1][1] != Scope()


def test_the_import_and_export_messages_count_in_words(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A one-note file imported said "Imported 1 entries, updated 0."."""
    note = tmp_path / "one.md"
    note.write_text("# A single note\n\nIts text.\n", encoding="utf-8")
    window = make_window()
    said: list[str] = []
    window.transfers.message.connect(said.append)
    window.transfers.start_import(note, confirm=False)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert said[-1] == "Imported 1 entry, updated 0."
    window.transfers.start_export_vault(tmp_path / "out", "", Scope())
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10000)
    assert said[-1] == f"Exported 1 entry to {tmp_path / 'out'}"


def test_esc_in_the_search_shows_the_open_entry_past_the_lists_first_page(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Esc clears the search and the list reads its first 50 rows again: an entry opened
    from the search that sits further down stayed open but was in no row of the list,
    neither selected nor in view, until Tab or Ctrl+0."""
    with Notebook.open(db_path) as notebook:
        oldest = notebook.add(Entry(kind=Kind.NOTE, title="An old paper"))
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"note {i}") for i in range(80))
    window = make_window()
    settle(window)
    ui = window.ui
    shortcut(window, "Ctrl+K")
    QTest.keyClicks(ui.searchBox, "old paper")
    QTest.keyClick(ui.searchBox, Qt.Key.Key_Return)  # into the results, on the paper
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ui.entryList, timeout=5000)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == oldest.id
    shortcut(window, "Ctrl+K")
    QTest.keyClick(ui.searchBox, Qt.Key.Key_Escape)
    assert ui.searchBox.text() == ""
    qtbot.waitUntil(lambda: window.entry_list.entries.rowCount() > 1, timeout=5000)
    qtbot.waitUntil(lambda: window.entry_list.entries.row_of(oldest.id) is not None, timeout=5000)
    settle(window)
    row = window.entry_list.entries.row_of(oldest.id)
    assert row is not None and row >= 50
    assert ui.entryList.currentIndex().row() == row
    assert ui.entryList.selectionModel().isRowSelected(row)
    assert (
        ui.entryList.viewport()
        .rect()
        .contains(ui.entryList.visualRect(ui.entryList.currentIndex()).center())
    )
    assert window.editing.current is not None and window.editing.current.id == oldest.id
    assert QApplication.focusWidget() is ui.searchBox  # the focus stays where it was
