"""The window's keyboard promises (issue 13, item 6): Tab order, the sidebar's key, Space on
tags, Alt+Down on a combo box, Ctrl+E's three states, Ctrl+0 on the open entry, and the F1
sheet. Offscreen, driven as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from test_window import WindowFactory, open_entry, settle, shortcut, type_unicode

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.actions import ACTIONS, portable_keys, shortcut_sections
from notebook_app.gui.window_keys import KeyRules


def test_tab_goes_from_the_search_box_to_the_sidebar(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="One", tags=["ml"], body="# Head\n"))
    window = make_window()
    window.preview.start()
    open_entry(window, entry.id)
    qtbot.waitUntil(window.ui.outlineDock.isVisible, timeout=5000)  # Tab went there
    shortcut(window, "Ctrl+K")
    assert QApplication.focusWidget() is window.ui.searchBox
    order = []
    for _ in range(5):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    ui = window.ui
    assert order == [ui.kindList, ui.tagTree, ui.sortCombo, ui.entryList, ui.titleEdit]


def test_tab_from_the_outline_goes_round_to_the_search_box(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The docks' tab bar (off-screen while it holds one dock) took a Tab press: the focus
    went where nothing showed it, after the outline and before the search box."""
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="One", body="# Head\n\n## Two\n"))
    window = make_window()
    window.preview.start()
    open_entry(window, entry.id)
    qtbot.waitUntil(window.ui.outlineDock.isVisible, timeout=5000)
    window.learning.toggle_glossary()  # the glossary dock is tabbed with the outline too
    window.learning.toggle_glossary()
    window.ui.preview.setFocus()
    QTest.keyClick(window.ui.preview, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.ui.outline
    QTest.keyClick(window.ui.outline, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.ui.searchBox
    QTest.keyClick(window.ui.searchBox, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is window.ui.outline


def test_enter_in_the_title_goes_on_to_the_text(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui = window.ui
    shortcut(window, "Ctrl+N")
    assert QApplication.focusWidget() is ui.titleEdit
    QTest.keyClicks(ui.titleEdit, "Reading notes")
    QTest.keyClick(ui.titleEdit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ui.editor
    QTest.keyClicks(ui.editor, "First line")
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=5000)
    settle(window)
    stored = window.notebook.get(window.editing.current_id)
    assert (stored.title, stored.body) == ("Reading notes", "First line")
    # On an entry with text, at its start; with the editor hidden (preview alone), shown.
    shortcut(window, "Ctrl+E")
    shortcut(window, "Ctrl+E")  # the preview alone
    assert not ui.editor.isVisible()
    ui.titleEdit.setFocus()
    QTest.keyClick(ui.titleEdit, Qt.Key.Key_Return)
    assert ui.editor.isVisible() and QApplication.focusWidget() is ui.editor
    assert ui.editor.textCursor().position() == 0


def test_ctrl_9_focuses_the_sidebar_even_hidden(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    shortcut(window, "Ctrl+1")  # the sidebar hidden
    assert window.ui.sidebar.isHidden()
    shortcut(window, "Ctrl+9")
    assert not window.ui.sidebar.isHidden()
    assert QApplication.focusWidget() is window.ui.kindList


def test_space_selects_and_deselects_a_tag(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Tagged", tags=["ml"]))
        notebook.add(Entry(kind=Kind.NOTE, title="Plain"))
    window = make_window()
    settle(window)
    qtbot.waitUntil(lambda: window.entry_list.tag_model.rowCount() == 1, timeout=3000)
    tree = window.ui.tagTree
    tree.setFocus()
    index = window.entry_list.tag_model.index(0, 0)
    tree.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
    QTest.keyClick(tree, Qt.Key.Key_Space)
    settle(window)
    assert window.entry_list.current_scope().tags == ("ml",)
    assert window.entry_list.entries.rowCount() == 1
    QTest.keyClick(tree, Qt.Key.Key_Space)
    settle(window)
    assert window.entry_list.current_scope().tags == ()
    assert window.entry_list.entries.rowCount() == 2


def test_arrows_in_the_tags_move_without_selecting_and_space_picks(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The tags are a checklist: walking to a tag never filters by it (the arrows used to
    select each tag passed, so Down, Space deselected the tag just reached)."""
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Both", tags=["beta", "한국어"]))
        notebook.add(Entry(kind=Kind.NOTE, title="Beta only", tags=["beta", "alpha"]))
        notebook.add(Entry(kind=Kind.NOTE, title="Plain"))
    window = make_window()
    settle(window)
    qtbot.waitUntil(lambda: window.entry_list.tag_model.rowCount() == 3, timeout=3000)
    shortcut(window, "Ctrl+9")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    tree = window.ui.tagTree
    assert QApplication.focusWidget() is tree
    QTest.keyClick(tree, Qt.Key.Key_Home)
    QTest.keyClick(tree, Qt.Key.Key_Down)  # past "alpha" to "beta": nothing chosen yet
    settle(window)
    assert window.entry_list.current_scope().tags == ()
    assert window.entry_list.entries.rowCount() == 3
    QTest.keyClick(tree, Qt.Key.Key_Space)
    QTest.keyClick(tree, Qt.Key.Key_Down)
    QTest.keyClick(tree, Qt.Key.Key_Space)
    settle(window)
    assert sorted(window.entry_list.current_scope().tags) == ["beta", "한국어"]
    assert window.entry_list.entries.rowCount() == 1
    # Two tags no entry carries together: the hint says how to undo that, not the search.
    QTest.keyClick(tree, Qt.Key.Key_Up)
    QTest.keyClick(tree, Qt.Key.Key_Up)
    QTest.keyClick(tree, Qt.Key.Key_Space)  # alpha too
    settle(window)
    hint = window.entry_list.empty_hint
    assert window.entry_list.entries.rowCount() == 0 and hint.isVisible()
    assert "Space on a chosen tag" in hint.text() and "search box" not in hint.text()
    QTest.keyClick(tree, Qt.Key.Key_Space)  # alpha off again
    settle(window)
    QTest.keyClick(tree, Qt.Key.Key_A)  # a letter jumps to "alpha", choosing nothing
    settle(window)
    assert window.entry_list.tag_model.tags_for_indexes([tree.currentIndex()]) == ("alpha",)
    assert sorted(window.entry_list.current_scope().tags) == ["beta", "한국어"]


def test_alt_down_opens_a_focused_combo_box(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Third"))
        first = notebook.add(Entry(kind=Kind.NOTE, title="First"))
        notebook.add(Entry(kind=Kind.NOTE, title="Second"))
    window = make_window()
    open_entry(window, first.id)
    combo = window.ui.sourceTypeCombo
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == first.id
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    combo.hidePopup()
    # Elsewhere Alt+Down still moves to the next entry.
    window.ui.entryList.setFocus()
    row = window.ui.entryList.currentIndex().row()
    QTest.keyClick(window.ui.entryList, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(window)
    assert window.ui.entryList.currentIndex().row() == row + 1


def test_ctrl_e_reaches_all_three_states(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="A note"))
    window = make_window()
    open_entry(window, entry.id)
    window.ui.editor.setFocus()
    states = []
    for _ in range(3):
        shortcut(window, "Ctrl+E")
        states.append((window.ui.editor.isVisible(), window.ui.preview.isVisible()))
        # The focus never stays in the pane just hidden.
        assert QApplication.focusWidget() in (window.ui.editor, window.ui.preview)
        assert QApplication.focusWidget().isVisible()
    assert states == [(True, False), (False, True), (True, True)]


def test_ctrl_e_is_the_windows_even_where_a_field_would_take_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    """On X11 a line edit takes Ctrl+E as "end of line" (a ShortcutOverride it accepts): the
    window's rule gives it back to the window's action."""

    class X11LineEdit(QLineEdit):
        def event(self, event: QEvent) -> bool:
            override = event.type() == QEvent.Type.ShortcutOverride
            if override and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_E:
                event.accept()
                return True
            return super().event(event)

    window = QWidget()
    qtbot.addWidget(window)
    field = X11LineEdit(window)
    action = QAction(window)
    action.setShortcut(QKeySequence("Ctrl+E"))
    window.addAction(action)
    rules = KeyRules(window)
    field.installEventFilter(rules)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    field.setFocus()
    with qtbot.waitSignal(action.triggered, timeout=1000):
        QTest.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_0_lands_on_the_open_entry_past_the_first_page(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        oldest = notebook.add(Entry(kind=Kind.NOTE, title="The oldest"))
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"note {i}") for i in range(120))
    window = make_window()
    settle(window)
    open_entry(window, oldest.id)
    window.entry_list.apply_query()  # the list read again: only its first page is loaded
    settle(window)
    assert window.entry_list.entries.row_of(oldest.id) is None
    window.ui.searchBox.setFocus()
    shortcut(window, "Ctrl+0")
    qtbot.waitUntil(lambda: window.entry_list.entries.row_of(oldest.id) is not None, timeout=5000)
    settle(window)
    assert QApplication.focusWidget() is window.ui.entryList
    assert window.ui.entryList.currentIndex().row() == window.entry_list.entries.row_of(oldest.id)
    assert window.editing.current is not None and window.editing.current.id == oldest.id


def test_the_sheet_shows_human_keys_and_the_pane_keys(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    keys = {name: value for _title, rows in shortcut_sections(window.named_actions)
            for name, value in rows}  # fmt: skip
    assert keys["New Note"] == "Ctrl+N"
    assert keys["Undo Move to Trash"] == "Ctrl+Z"
    assert keys["Search the Notebook"] == "Ctrl+K, Ctrl+L"
    assert keys["Focus Sidebar"] == "Ctrl+9"
    for value in keys.values():
        assert "F14" not in value and " or " not in value and "Undo" not in value
    # No two commands share a key.
    seen: dict[str, str] = {}
    for spec in ACTIONS:
        for key in portable_keys(window.named_actions[spec.name]):
            assert key not in seen, f"{key}: {seen.get(key)} and {spec.name}"
            seen[key] = spec.name
    window.show_shortcuts()
    sheet = window.findChild(QWidget, "shortcutSheet")
    qtbot.waitUntil(lambda: sheet.isVisible(), timeout=2000)
    text = sheet.browser.toPlainText()
    for wanted in (
        "Delete",
        "Esc",
        "Tab / Shift+Tab",
        "Space",
        "Quick capture",
        "t: Superposition",
    ):
        assert wanted in text, wanted
    screen = window.screen().availableGeometry()
    assert sheet.height() <= screen.height() and sheet.width() <= screen.width()
    # As wide as its widest line: nothing wraps, nothing scrolls sideways.
    assert sheet.width() >= 400
    ideal = sheet.browser.document().idealWidth()
    assert ideal <= sheet.browser.viewport().width() + 1
    assert not sheet.browser.horizontalScrollBar().isVisible()
    sheet.close()


class X11Editor(QPlainTextEdit):
    """A text widget as X11's key bindings make it: Ctrl+K deletes to the end of the line,
    and it claims the key before the window's shortcuts see it (a ShortcutOverride)."""

    def event(self, event: QEvent) -> bool:
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_K:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_K and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            cursor = self.textCursor()
            cursor.movePosition(cursor.MoveOperation.EndOfBlock, cursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            return
        super().keyPressEvent(event)


def test_ctrl_k_searches_from_a_field_x11_would_cut_instead(
    qtbot, make_window: WindowFactory
) -> None:  # type: ignore[no-untyped-def]
    """On X11 the editor and the line edits take Ctrl+K as "delete to the end of the line": the
    documented key to search cut the rest of the paragraph (and autosave stored the cut)."""
    window = make_window()
    field = X11Editor(window)
    field.setPlainText("Refers to o1 as a Large Reasoning Model")
    field.installEventFilter(window._key_filters[-1])  # the window's own rules, as its fields
    field.show()
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.Start)
    shortcut(window, "Ctrl+K")
    assert field.toPlainText() == "Refers to o1 as a Large Reasoning Model"
    assert QApplication.focusWidget() is window.ui.searchBox


def test_each_menu_item_has_a_letter_of_its_own(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    """Alt+E then a letter runs the command underlined: a letter two items share only moves
    between them (Edit had five such pairs: S, E, N, V, L), and an item without one cannot be
    reached by a letter at all."""
    window = make_window()

    def letters(menu) -> None:  # type: ignore[no-untyped-def]
        seen: dict[str, str] = {}
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            text = action.text().replace("&&", "")
            assert "&" in text, f"{text!r} has no letter"
            letter = text[text.index("&") + 1].casefold()
            assert letter not in seen, f"{menu.title()}: {seen.get(letter)!r} and {text!r}"
            seen[letter] = text
            if action.menu() is not None:
                letters(action.menu())

    letters(window.menuBar())


def test_typing_tags_goes_on_where_it_was_after_the_autosave(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Each save that changed the tags gave the tag field a new completer, which took the
    focus from it: typing "ml", pausing, then "/rl" wrote "/rlml" (or nothing at all)."""
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Old", tags=["ml/rl", "okay"]))
        entry = notebook.add(Entry(kind=Kind.NOTE, title="One"))
    window = make_window()
    settle(window)
    open_entry(window, entry.id)
    qtbot.waitUntil(lambda: "okay" in window.form.tag_completion.tags, timeout=3000)
    field = window.ui.tagsEdit
    field.setFocus()
    with qtbot.waitSignal(window.entry_list.tagsCounted, timeout=5000):
        QTest.keyClicks(field, "ml")  # saved after a pause: the tags are counted again
    settle(window)
    assert QApplication.focusWidget() is field
    QTest.keyClicks(field, "/rl")
    assert field.text() == "ml/rl"


def test_the_find_bar_leaves_ctrl_k_and_ctrl_e_to_the_window(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The find bar is made on first use, after the window's key rules were given out: on
    X11 its fields took Ctrl+K and Ctrl+E as "delete to the end" and "end of line"."""
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="One", body="find me"))
    window = make_window()
    open_entry(window, entry.id)
    shortcut(window, "Ctrl+H")
    bar = window.editor_tools.find_bar
    rules = bar.findChildren(KeyRules)
    assert rules, "the find bar's fields have no key rules"
    for field in (bar.find_edit, bar.replace_edit):
        for key in (Qt.Key.Key_K, Qt.Key.Key_E):
            control = Qt.KeyboardModifier.ControlModifier
            claim = QKeyEvent(QEvent.Type.ShortcutOverride, key, control)
            claim.accept()  # as a field that takes the key leaves it
            assert rules[0].eventFilter(field, claim)
            assert not claim.isAccepted()  # the window's rule gives it back to the window


def test_the_tag_field_completes_the_tag_under_the_cursor(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The tag field's completion read the whole field as one tag: after "ml, " nothing was
    offered, and a tag chosen replaced every tag typed before it."""
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Old",
                           tags=["ml/rl", "sae", "safety", "연구/한국어", "🧪-lab"]))  # fmt: skip
        entry = notebook.add(Entry(kind=Kind.NOTE, title="One"))
    window = make_window()
    settle(window)
    open_entry(window, entry.id)
    field = window.ui.tagsEdit
    field.setFocus()

    def offered() -> list[str]:
        popup = QApplication.activePopupWidget()
        if popup is None or not popup.isVisible():
            return []
        model = popup.model()  # type: ignore[attr-defined]
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    def choose(key: Qt.Key) -> None:
        popup = QApplication.activePopupWidget()
        assert popup is not None
        QTest.keyClick(popup, key)

    with qtbot.waitSignal(window.entry_list.tagsCounted, timeout=5000):
        QTest.keyClicks(field, "ml, sa")  # the second tag, after the field's separator
        assert offered() == ["sae", "safety"]
    settle(window)  # saved meanwhile, the tags counted again: the list and the focus stay
    assert offered() == ["sae", "safety"] and QApplication.focusWidget() is field
    choose(Qt.Key.Key_Down)
    choose(Qt.Key.Key_Return)
    assert (field.text(), field.cursorPosition()) == ("ml, safety", 10)
    assert not offered() and QApplication.focusWidget() is field
    type_unicode(field, " 연")  # Korean, chosen with Tab (which stays in the field)
    assert offered() == ["연구", "연구/한국어"]  # the parent tag too
    choose(Qt.Key.Key_Down)
    choose(Qt.Key.Key_Tab)
    assert field.text() == "ml, safety 연구/한국어" and QApplication.focusWidget() is field
    field.setCursorPosition(2)  # back in the first tag: a nested tag, the others untouched
    QTest.keyClicks(field, "/")
    assert offered() == ["ml/rl"]
    choose(Qt.Key.Key_Enter)
    assert (field.text(), field.cursorPosition()) == ("ml/rl, safety 연구/한국어", 5)
    field.end(False)
    type_unicode(field, " #🧪")  # an emoji tag, typed with its "#"; Esc leaves what was typed
    assert offered() == ["🧪-lab"]
    choose(Qt.Key.Key_Escape)
    assert not offered() and field.text() == "ml/rl, safety 연구/한국어 #🧪"
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    type_unicode(field, "🧪")
    choose(Qt.Key.Key_Return)
    assert field.text() == "ml/rl, safety 연구/한국어 🧪-lab"
    # Saved, "sa" (saved on the way) is no tag any more.
    qtbot.waitUntil(lambda: "sa" not in window.form.tag_completion.tags, timeout=5000)
    QTest.keyClicks(field, " s")  # a tag the field holds already is not offered again
    assert offered() == ["sae"]
    choose(Qt.Key.Key_Escape)
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=5000)
    settle(window)
    stored = window.notebook.get(entry.id)
    assert stored.tags == ["ml/rl", "safety", "연구/한국어", "🧪-lab"]
