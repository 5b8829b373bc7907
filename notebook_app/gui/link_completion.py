"""``[[`` completion in the editor: typing ``[[`` (and more) lists matching titles.

The titles come from the notebook on the "read" lane (``Notebook.titles_matching``, the quick
switcher's search: titles and aliases), newest request wins, so typing never waits. The list
is a ``QCompleter`` popup driven by the keyboard: Up/Down choose, Enter or Tab writes the link
(``[[Title]]``, escaped as the link grammar needs), Esc closes it. Attached from outside the
editor: it watches the editor's text and cursor, and its own filter on the popup (installed
after QCompleter's, so it sees the keys first) takes Enter, Tab and Esc, which the completer
would otherwise hand to the editor.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit

from notebook_app.gui.tasks import TaskRunner

# An open link before the cursor on its line: "[[" then a name without brackets or a "|"/"#"
# (past those the name is chosen already).
_OPEN_LINK_RE = re.compile(r"(?<!\\)\[\[(?P<prefix>[^\[\]|#\n]{0,80})$")
MAX_SHOWN = 12


class LinkCompletion(QObject):
    def __init__(self, editor: QPlainTextEdit, runner: TaskRunner, parent: QObject) -> None:
        super().__init__(parent)
        self.editor, self.runner = editor, runner
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setObjectName("linkCompleter")
        self.completer.setWidget(editor)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(MAX_SHOWN)
        self.completer.activated.connect(self.insert)
        popup = self.completer.popup()
        assert popup is not None  # QCompleter makes its list view on first use
        self.popup = popup
        self.popup.setObjectName("linkCompletionPopup")
        self.popup.installEventFilter(self)  # after QCompleter's own: ours runs first
        self._start: int | None = None  # where the name after "[[" starts
        self._asked = ""
        editor.textChanged.connect(self._text_changed)
        editor.cursorPositionChanged.connect(self._cursor_moved)

    def _open_link(self) -> tuple[int, str] | None:
        """(start of the name, the name so far) of a link being typed at the cursor."""
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            return None
        before = cursor.block().text()[: cursor.positionInBlock()]
        match = _OPEN_LINK_RE.search(before)
        if match is None:
            return None
        return cursor.block().position() + match.start("prefix"), match.group("prefix")

    def _text_changed(self) -> None:
        if not self.editor.hasFocus():
            return
        found = self._open_link()
        if found is None:
            self.hide()
            return
        self._start, prefix = found
        self._ask(prefix)

    def _cursor_moved(self) -> None:
        if self.popup.isVisible() and self._open_link() is None:
            self.hide()

    def _ask(self, prefix: str) -> None:
        self._asked = prefix

        def work(notebook: Any) -> list[str]:
            found = notebook.titles_matching(prefix, limit=MAX_SHOWN)  # "": the newest
            return list(dict.fromkeys(entry.title for entry in found))

        self.runner.submit("read", work, done=lambda titles: self._show(prefix, titles),
                           failed=lambda _error: None, key="link-completion")  # fmt: skip

    def _show(self, prefix: str, titles: list[str]) -> None:
        if prefix != self._asked or self._open_link() is None:
            return
        if not titles:
            self.hide()
            return
        self.model.setStringList(titles)
        rect = self.editor.cursorRect()
        rect.setWidth(max(240, self.popup.sizeHintForColumn(0) + 24))
        self.completer.complete(rect)
        self.popup.setCurrentIndex(self.model.index(0))

    def hide(self) -> None:
        if self.popup.isVisible():
            self.popup.hide()

    def insert(self, title: str) -> None:
        """Write ``[[title]]`` over the name typed so far (keeping a ``]]`` already there)."""
        from notebook_app.core.api import escape_target

        found = self._open_link()
        self.hide()
        if found is None:
            return
        start, _prefix = found
        cursor = self.editor.textCursor()
        after = cursor.block().text()[cursor.positionInBlock() :]
        cursor.beginEditBlock()
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(escape_target(title))
        if after.startswith("]]"):
            cursor.movePosition(QTextCursor.MoveOperation.Right, n=2)
        else:
            cursor.insertText("]]")
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.popup and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                index = self.popup.currentIndex()
                if index.isValid():
                    self.insert(str(index.data()))
                else:
                    self.hide()
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return False
