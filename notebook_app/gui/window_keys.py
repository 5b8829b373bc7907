"""The window's keys that are not menu commands, and the order Tab follows.

* Tab order: search box → kinds → tags → sort → entry list → title → tags → the kind's fields
  → editor → preview. Shift+Tab walks it back. The sidebar also has its own key (Ctrl+9,
  View > Focus Sidebar), which shows it if it was hidden.
* Delete in the list moves the entry to the trash; Esc in the search box clears it.
* The tab bars the window keeps for its tabbed docks take no focus: one holding a single
  dock sits off-screen, and Tab from the outline (or Shift+Tab from the search box) went
  there, where nothing showed it. Ctrl+4 and Ctrl+5 reach the docks themselves.
* In the tag tree the arrows (and Home, End, PgUp, PgDown) move the cursor without selecting,
  and Space toggles the tag under it (selects it, or deselects it): tags are picked as in a
  checklist, several at once, and walking past a tag never filters the list by it.
* Some window commands share keys with what a focused widget would do with them. Two rules
  settle which wins, whatever the platform's key bindings say:
  - Alt+Down / Alt+Up on a focused combo box open it (the combo's own meaning), instead of
    moving to the next entry;
  - Ctrl+E always cycles editor / preview (on X11 a line edit and the editor would take it
    as "end of line", and the cycle would stop in whichever of them had the focus);
  - Ctrl+K always goes to the search box (on X11 a line edit and the editor would take it as
    "delete to the end of the line", and cut the rest of the title or paragraph instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QChildEvent,
    QEvent,
    QItemSelectionModel,
    QObject,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

# Keys a focused combo box keeps for itself (it opens its list).
COMBO_KEYS = {(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
              (Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)}  # fmt: skip
# The keys that move the tag tree's cursor (without selecting: see TagSpace).
_CURSOR = QAbstractItemView.CursorAction
TAG_MOVES = {
    Qt.Key.Key_Up: _CURSOR.MoveUp,
    Qt.Key.Key_Down: _CURSOR.MoveDown,
    Qt.Key.Key_Home: _CURSOR.MoveHome,
    Qt.Key.Key_End: _CURSOR.MoveEnd,
    Qt.Key.Key_PageUp: _CURSOR.MovePageUp,
    Qt.Key.Key_PageDown: _CURSOR.MovePageDown,
}
# Keys the window keeps whatever widget has the focus.
WINDOW_KEYS = {(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
               (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)}  # fmt: skip


def _combo(event: QKeyEvent) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return Qt.Key(event.key()), Qt.KeyboardModifier(modifiers)


class KeyRules(QObject):
    """An event filter on the window's combo boxes and text widgets: who gets a shared key."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            combo = _combo(event)
            if isinstance(watched, QComboBox) and combo in COMBO_KEYS:
                event.accept()  # the combo box gets the key press, not the window's shortcut
                return True
            if combo in WINDOW_KEYS:
                event.ignore()  # the widget never claims it: the window's shortcut runs
                return True
        return False


class TagSpace(QObject):
    """The tag tree as a checklist: the arrows and letters move the cursor only, Space toggles
    its tag.

    A tree with extended selection selects the row the arrows (or a letter typed) reach: Down,
    Down, Space then filtered by the tag passed and deselected the one wanted, and picking two
    tags took Ctrl."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.tree = window.ui.tagTree

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
            or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        selection = self.tree.selectionModel()
        if event.key() == Qt.Key.Key_Space:
            index = self.tree.currentIndex()
            if index.isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Toggle)
            return True
        if event.text().strip() and event.text().isprintable():
            self._jump(event.text())
            return True
        move = TAG_MOVES.get(Qt.Key(event.key()))
        if move is None:
            return False  # Left / Right still fold and unfold
        index = self.tree.moveCursor(move, Qt.KeyboardModifier.NoModifier)
        if index.isValid():
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.tree.scrollTo(index)
        return True

    def _jump(self, text: str) -> None:
        """A letter typed jumps to the next tag starting with it (the view's own search), the
        tags chosen staying as they were."""
        selection = self.tree.selectionModel()
        chosen = selection.selection()
        blocker = QSignalBlocker(selection)
        self.tree.keyboardSearch(text)
        current = self.tree.currentIndex()
        selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        del blocker
        self.tree.scrollTo(current)
        self.tree.viewport().update()


class ListFocus(QObject):
    """The entry list taking the focus keeps the open entry.

    A list view without a current row makes its first row current as it takes the focus
    (other than by a click), and here that opens the first entry: an entry past the rows read
    so far (the list reads 50 at a time) gave way to it at every start and every Tab into the
    list. The list's signals wait while the view does that, and then the list reads on to the
    open entry's row, as Ctrl+0 does."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        view = self.window.ui.entryList
        if (
            isinstance(event, QFocusEvent)
            and event.type() == QEvent.Type.FocusIn
            and event.reason() != Qt.FocusReason.MouseFocusReason
            and not view.currentIndex().isValid()
            and self.window.editing.wanted_id is not None
        ):
            selection = view.selectionModel()
            selection.blockSignals(True)
            QTimer.singleShot(0, lambda: self._settled(selection))
        return False

    def _settled(self, selection: QItemSelectionModel) -> None:
        selection.blockSignals(False)
        self.window.entry_list.focus_open_entry()


class DockTabs(QObject):
    """An event filter on the window: each tab bar it makes for tabbed docks, as it appears,
    takes no focus (see the module's docstring)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QTabBar) and child.parent() is watched:
                child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return False


def focus_sidebar(window: MainWindow) -> None:
    """Ctrl+9: the sidebar's kinds (shown first if hidden); Tab goes on to the tags."""
    window.named_actions["showSidebar"].setChecked(True)
    window.ui.kindList.setFocus(Qt.FocusReason.ShortcutFocusReason)


def tab_order(window: MainWindow) -> list[QWidget]:
    """The widgets Tab visits, in order."""
    ui = window.ui
    tab = Qt.FocusPolicy.TabFocus
    fields = [b.widget for b in window.form.bindings if b.widget.focusPolicy() & tab]
    return [ui.searchBox, ui.kindList, ui.tagTree, ui.sortCombo, ui.entryList, ui.titleEdit,
            ui.tagsEdit, *fields, ui.editor, ui.preview]  # fmt: skip


def install_keys(window: MainWindow) -> list[QObject]:
    """Bind the keys; returns the event filters (the window keeps them)."""
    ui = window.ui
    order = tab_order(window)
    for first, second in zip(order, order[1:], strict=False):
        QWidget.setTabOrder(first, second)
    # Delete moves the selected entry to the trash when the list has focus (in the editor
    # Delete deletes text); Esc in the search box clears the search.
    delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), ui.entryList)
    delete.setContext(Qt.ShortcutContext.WidgetShortcut)
    delete.activated.connect(window.commands.trash_current)
    escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), ui.searchBox)
    escape.setContext(Qt.ShortcutContext.WidgetShortcut)
    escape.activated.connect(ui.searchBox.clear)
    tag_space = TagSpace(window)
    ui.tagTree.installEventFilter(tag_space)
    dock_tabs = DockTabs(window)
    window.installEventFilter(dock_tabs)
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # made before the filter was there
    list_focus = ListFocus(window)
    ui.entryList.installEventFilter(list_focus)
    rules = KeyRules(window)
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QComboBox | QLineEdit | QPlainTextEdit | QTextEdit):
            widget.installEventFilter(rules)
    return [tag_space, dock_tabs, list_focus, rules]
