"""Tag completion in a line edit: the notebook's tags that start with the word being typed, in
a popup under it. Up/Down choose, Enter or Tab puts the tag in place of the word, Esc closes
the popup; what was typed around the word is left as it was.

Two fields use it, each saying where its word is: the search box after ``tag:`` (or
``-tag:``; ``tag_prefix``), and the entry's tag field, the tag the cursor is in
(``entry_form.tag_at``). The tag names are the tag tree's (the list pane's ``tagsCounted``):
no query of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit

from notebook_app.gui.search_marks import utf16_spans

# The word being typed ends the text before the cursor: a tag filter and its value so far.
_TAG_WORD = re.compile(r"(?:^|\s)-?tag:(?P<value>\S*)$", re.IGNORECASE)

# Where the word at the cursor starts and ends, and what is typed of it before the cursor
# (None: the cursor is in no word that takes a tag).
Word = Callable[[str, int], "tuple[int, int, str] | None"]


def tag_prefix(text: str, cursor: int) -> tuple[int, str] | None:
    """Where the value of a ``tag:`` being typed before ``cursor`` starts, and the value so
    far; None when the cursor is not in one."""
    match = _TAG_WORD.search(text[:cursor])
    return (match.start("value"), match.group("value")) if match else None


def search_word(text: str, cursor: int) -> tuple[int, int, str] | None:
    """The search box's word: a ``tag:`` value, up to the cursor."""
    found = tag_prefix(text, cursor)
    return None if found is None else (found[0], cursor, found[1])


class TagCompletion(QObject):
    """Completes ``word`` in ``box``; ``after`` follows the tag put in (the search box's
    space), and ``taken`` names the tags the rest of the text holds already (not offered)."""

    def __init__(
        self, box: QLineEdit, word: Word = search_word, after: str = " ",
        taken: Callable[[str], Collection[str]] = lambda _rest: (),
    ) -> None:  # fmt: skip
        super().__init__(box)
        self.box, self.word, self.after, self.taken = box, word, after, taken
        self.tags: list[str] = []
        self._inserting = False  # the field changes under the completion's own hand
        self.model = QStringListModel(self)  # the tags offered for the word being typed
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(box)
        self.completer.activated.connect(self.insert)
        popup = self.completer.popup()
        assert popup is not None  # a completer always has one
        self.popup = popup
        # After QCompleter's own filter, so this one sees the keys first: QCompleter hands
        # Enter and Tab to the field before choosing (Tab left the field, Enter searched).
        popup.installEventFilter(self)
        box.textEdited.connect(self._edited)
        box.cursorPositionChanged.connect(self._moved)

    def set_tags(self, names: Iterable[str]) -> None:
        """The notebook's tags. The popup shown is left alone: a save while a tag is being
        typed counts the tags again."""
        self.tags = sorted(set(names), key=str.casefold)

    def _moved(self) -> None:
        if self.popup.isVisible():  # Left/Right in the field: the word at the cursor
            self._edited()

    def _edited(self, _text: str = "") -> None:
        if self._inserting:
            return
        text, cursor = self._text()
        found = self.word(text, cursor)
        typed = found[2].casefold() if found else ""
        if found is None or not typed:
            self.popup.hide()
            return
        start, end, _typed = found
        taken = {tag.casefold() for tag in self.taken(text[:start] + " " + text[end:])}
        offered = [tag for tag in self.tags
                   if tag.casefold().startswith(typed) and tag.casefold() not in taken]  # fmt: skip
        if [tag.casefold() for tag in offered] in ([], [typed]):  # nothing to add to it
            self.popup.hide()
            return
        self.model.setStringList(offered)
        self.completer.complete()
        self.popup.setCurrentIndex(self.model.index(0))

    def insert(self, name: str) -> None:
        """Put ``name`` in place of the word being typed (then ``after``)."""
        self.popup.hide()
        text, cursor = self._text()
        found = self.word(text, cursor)
        if found is None:
            return
        start, end, _typed = found
        if self.after:  # the spaces after the word give way to the one put in
            end += len(text[end:]) - len(text[end:].lstrip())
        # Typed over the word, as the user would: Ctrl+Z takes it back, and the field says
        # it was edited (the tag field saves it).
        start, end = utf16_spans(text, [(start, end)])[0]
        self._inserting = True
        try:
            self.box.setSelection(start, end - start)
            self.box.insert(name + self.after)
        finally:
            self._inserting = False

    def _text(self) -> tuple[str, int]:
        """The field's text and its cursor as Python counts (the field counts UTF-16 units,
        two for 🧪)."""
        text = self.box.text()
        before = text.encode("utf-16-le")[: 2 * self.box.cursorPosition()]
        return text, len(before.decode("utf-16-le", "ignore"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.popup and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                index = self.popup.currentIndex()
                if index.isValid():
                    self.insert(str(index.data()))
                else:
                    self.popup.hide()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.popup.hide()
                return True
        return False
