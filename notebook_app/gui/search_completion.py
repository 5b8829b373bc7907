"""``tag:`` completion in the search box: after ``tag:`` (or ``-tag:``), the notebook's tags
that start with what is typed, in a popup; Enter or a click puts the tag in the query.

The tag names are the tag tree's (the list pane's ``tagsCounted``): no query of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

# The word being typed ends the text before the cursor: a tag filter and its value so far.
_TAG_WORD = re.compile(r"(?:^|\s)-?tag:(?P<value>\S*)$", re.IGNORECASE)


def tag_prefix(text: str, cursor: int) -> tuple[int, str] | None:
    """Where the value of a ``tag:`` being typed before ``cursor`` starts, and the value so
    far; None when the cursor is not in one."""
    match = _TAG_WORD.search(text[:cursor])
    return (match.start("value"), match.group("value")) if match else None


class TagCompletion(QObject):
    def __init__(self, box: QLineEdit) -> None:
        super().__init__(box)
        self.box = box
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(box)
        self.completer.activated.connect(self.insert)
        box.textEdited.connect(self._edited)

    def set_tags(self, names: Iterable[str]) -> None:
        self.model.setStringList(sorted(set(names), key=str.casefold))

    def _edited(self, text: str) -> None:
        found = tag_prefix(text, self.box.cursorPosition())
        popup = self.completer.popup()
        assert popup is not None  # a completer always has one
        if found is None:
            popup.hide()
            return
        self.completer.setCompletionPrefix(found[1])
        if self.completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        self.completer.complete()

    def insert(self, name: str) -> None:
        """Put ``name`` in place of the value being typed, then a space."""
        text, cursor = self.box.text(), self.box.cursorPosition()
        found = tag_prefix(text, cursor)
        if found is None:
            return
        start = found[0]
        self.box.setText(text[:start] + name + " " + text[cursor:].lstrip())
        self.box.setCursorPosition(start + len(name) + 1)
