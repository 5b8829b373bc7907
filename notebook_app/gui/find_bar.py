"""Find and replace inside the open entry: a bar under the editor (Ctrl+F; Ctrl+H shows its
replace row too).

Enter finds the next match and Shift+Enter the previous one (F3 / Shift+F3 from anywhere),
both wrapping around the note; Enter in the replace field replaces the match and finds the
next; Replace All is one undo step. Esc closes the bar and puts the focus back in the editor,
at the match. Edits go through the editor's document, so they are saved as typing is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

_Flag = QTextDocument.FindFlag


class FindBar(QWidget):
    """Finds in, and replaces in, one QPlainTextEdit."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.editor = editor
        self.find_edit = QLineEdit(self, placeholderText="Find in this entry")
        self.find_edit.setObjectName("findEdit")
        self.find_edit.setAccessibleName("Find in this entry")
        self.replace_edit = QLineEdit(self, placeholderText="Replace with")
        self.replace_edit.setObjectName("replaceEdit")
        self.replace_edit.setAccessibleName("Replace with")
        self.case = QCheckBox("&Match case", self)
        self.count_label = QLabel("", self)
        self.count_label.setMinimumWidth(70)
        self.find_edit.setMinimumWidth(140)
        self.replace_edit.setMinimumWidth(140)
        # Two rows, so the bar fits a narrow entry pane (1024 px windows): find, and replace
        # (shown by Ctrl+H, or once a replacement is typed).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_edit, 1)
        self._button(find_row, "↑", self.find_previous, "Previous match (Shift+Enter, Shift+F3)")
        self._button(find_row, "↓", self.find_next, "Next match (Enter, F3)")
        find_row.addWidget(self.count_label)
        find_row.addWidget(self.case)
        self._button(find_row, "✕", self.close_bar, "Close (Esc)")
        self.replace_row = QWidget(self)
        replace_row = QHBoxLayout(self.replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        self.replace_edit.setParent(self.replace_row)
        replace_row.addWidget(self.replace_edit, 1)
        self._button(replace_row, "Re&place", self.replace)
        self._button(replace_row, "Replace &All", self.replace_all)
        layout.addLayout(find_row)
        layout.addWidget(self.replace_row)
        self.find_edit.textChanged.connect(self._find_as_typed)
        self.case.toggled.connect(lambda _on: self._update_count())
        for edit in (self.find_edit, self.replace_edit):
            edit.installEventFilter(self)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.hide()

    def _button(
        self, row: QHBoxLayout, text: str, slot: Callable[[], object], tip: str = ""
    ) -> None:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(bool(tip))
        button.clicked.connect(slot)
        row.addWidget(button)

    # --- opening and closing -------------------------------------------------------------------

    def open(self, *, replace: bool = False) -> None:
        """Show the bar with the editor's selection (one line of it) as the text to find."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.replace_row.setVisible(replace or bool(self.replace_edit.text()))
        self.show()
        target = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        target.setFocus()
        target.selectAll()
        self._update_count()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if watched is self.replace_edit and not back:
                self.replace()
            elif back:
                self.find_previous()
            else:
                self.find_next()
            return True
        return False

    # --- finding -------------------------------------------------------------------------------

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = _Flag(0)
        if self.case.isChecked():
            flags |= _Flag.FindCaseSensitively
        if backward:
            flags |= _Flag.FindBackward
        return flags

    def _find_as_typed(self, _text: str) -> None:
        """Each letter typed finds from where the current match starts (so it grows)."""
        cursor = self.editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self.editor.setTextCursor(cursor)
        self.find_next()

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        needle = self.find_edit.text()
        document = self.editor.document()
        if not needle:
            self._update_count()
            return False
        flags = self._flags(backward)
        found = document.find(needle, self.editor.textCursor(), flags)
        if found.isNull():  # wrap around
            start = QTextCursor(document)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, start, flags)
        if not found.isNull():
            self.editor.setTextCursor(found)
            self.editor.centerCursor()
        self._update_count()
        return not found.isNull()

    def _matches(self, cursor: QTextCursor) -> bool:
        selected = cursor.selectedText()
        needle = self.find_edit.text()
        if self.case.isChecked():
            return selected == needle
        return selected.casefold() == needle.casefold()

    def _update_count(self) -> None:
        """ "3 of 12" (or "No matches"), shown beside the arrows."""
        needle = self.find_edit.text()
        if not needle:
            self.count_label.setText("")
            return
        text = self.editor.toPlainText()
        if not self.case.isChecked():
            text, needle = text.casefold(), needle.casefold()
        total = text.count(needle)
        if not total:
            self.count_label.setText("No matches")
            return
        cursor = self.editor.textCursor()
        current = 0
        if self._matches(cursor):
            # The text up to the match, through Qt (its positions count UTF-16 units).
            before = QTextCursor(self.editor.document())
            before.setPosition(cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            prefix = before.selectedText()
            current = (prefix if self.case.isChecked() else prefix.casefold()).count(needle)
        self.count_label.setText(f"{current} of {total}" if current else f"{total} matches")

    # --- replacing -----------------------------------------------------------------------------

    def replace(self) -> None:
        """Replace the current match (if the selection is one), then find the next."""
        cursor = self.editor.textCursor()
        if cursor.hasSelection() and self._matches(cursor):
            cursor.insertText(self.replace_edit.text())
            self.editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match, as one undo step; returns how many."""
        needle = self.find_edit.text()
        if not needle:
            return 0
        document = self.editor.document()
        flags = self._flags()
        replacement = self.replace_edit.text()
        edit = QTextCursor(document)
        edit.beginEditBlock()
        count = 0
        found = document.find(needle, 0, flags)
        while not found.isNull():
            found.insertText(replacement)
            count += 1
            found = document.find(needle, found, flags)
        edit.endEditBlock()
        self.count_label.setText(f"Replaced {count}")
        return count
