"""The search's words marked in the open entry: in the editor and in the preview, while the
search box holds words, as the list's snippets mark them (the same spans: ``search_hits``).

The marks are extra selections, so the text, its undo history and the cursor are untouched.
Each mark carries a property of its own: extra selections other parts of the window set (a
find bar, the current line) are kept as they are. An entry opened while searching, or a
search that finds words in the open entry, brings the first hit into view.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from notebook_app.core.api import search_hits

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

MARK = QTextFormat.Property.UserProperty + 41  # set on this module's selections only
LONGEST = 2_000_000  # characters: past this a text is not searched for marks on each render
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
Editable = QPlainTextEdit | QTextEdit


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Python string offsets as a QTextDocument counts them (UTF-16 units: 💡 is two)."""
    if not _ASTRAL.search(text):
        return spans
    units: list[int] = []
    total = 0
    wanted = sorted({offset for span in spans for offset in span})
    at = 0
    for offset in wanted:
        total += len(text[at:offset].encode("utf-16-le")) // 2
        at = offset
        units.append(total)
    where = dict(zip(wanted, units, strict=True))
    return [(where[start], where[end]) for start, end in spans]


def mark_colour(widget: Editable) -> QColor:
    """A yellow that reads on the widget's background, light or dark."""
    dark = widget.palette().base().color().lightness() < 128
    return QColor("#7a6400") if dark else QColor("#ffe58a")


def set_marks(widget: Editable, spans: list[tuple[int, int]]) -> None:
    """Mark ``spans`` (UTF-16 offsets) in ``widget``, keeping other extra selections."""
    kept = [s for s in widget.extraSelections() if not s.format.property(MARK)]  # type: ignore[attr-defined]
    if not spans and len(kept) == len(widget.extraSelections()):
        return  # nothing marked before, nothing to mark now
    look = QTextCharFormat()
    look.setBackground(mark_colour(widget))
    look.setProperty(MARK, True)
    marks = []
    document = widget.document()
    for start, end in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = look  # type: ignore[attr-defined]
        marks.append(selection)
    widget.setExtraSelections([*kept, *marks])


class SearchMarks(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.ui = window.ui
        self._editing = window.editing
        # Marking follows typing in the editor after a pause, not on every keystroke.
        self._editor_timer = QTimer(self, singleShot=True, interval=300)
        self._editor_timer.timeout.connect(self.mark_editor)
        window.editing.shown.connect(self._entry_shown)
        window.preview.rendered.connect(lambda _token: self.mark_preview())
        window.entry_list.queryShown.connect(self.mark_all)  # the search changed
        self.ui.editor.textChanged.connect(self._editor_timer.start)

    def query(self) -> str:
        return self.ui.searchBox.text() if self._editing.current is not None else ""

    def _spans(self, text: str) -> list[tuple[int, int]]:
        query = self.query()
        if not query.strip() or len(text) > LONGEST:
            return []
        return utf16_spans(text, search_hits(text, query))

    def mark_all(self) -> None:
        """The search changed: mark its words, and bring the first into view."""
        self._entry_shown()
        self.mark_preview()

    def mark_editor(self) -> list[tuple[int, int]]:
        editor = self.ui.editor
        spans = self._spans(editor.toPlainText())
        set_marks(editor, spans)
        return spans

    def mark_preview(self) -> None:
        preview = self.ui.preview
        set_marks(preview, self._spans(preview.document().toPlainText()))

    def _entry_shown(self) -> None:
        spans = self.mark_editor()
        if spans:  # opened from a search: its first hit in view, the cursor left alone
            # Once the new text is laid out (the scroll bar's range is not known before).
            QTimer.singleShot(0, lambda: self._scroll_to(spans[0][0]))

    def _scroll_to(self, position: int) -> None:
        """The hit at ``position`` a few lines below the top; the cursor is left where it is."""
        editor = self.ui.editor
        document = editor.document()
        if position >= document.characterCount():
            return  # another entry meanwhile
        hit = QTextCursor(document)
        hit.setPosition(position)
        block = document.findBlock(position)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout else None
        within = line.lineNumber() if line is not None and line.isValid() else 0
        # The bar counts visual lines; blocks not laid out yet count one line each, so the
        # hit is checked where it lands and the bar corrected (twice at most).
        bar = editor.verticalScrollBar()
        bar.setValue(max(block.firstLineNumber() + within - 3, 0))
        spacing = max(editor.fontMetrics().lineSpacing(), 1)
        for _ in range(2):
            top = editor.cursorRect(hit).top()
            if 0 <= top < editor.viewport().height() - spacing:
                break
            bar.setValue(bar.value() + top // spacing - 3)
