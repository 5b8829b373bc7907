"""The markdown editor: a QPlainTextEdit with highlighting and list-aware Enter and Tab.

* Enter continues a list (``- ``, ``* ``, ``1. `` → ``2. ``, ``- [ ] ``) at the same indent;
  Enter on an empty item ends the list. Each is one undo step.
* In a quote or callout (``> ``) Enter continues the quote, and a list inside it; Enter on an
  empty quoted line ends the quote.
* Tab / Shift+Tab indent or outdent a list item (in a quote too) by two spaces (elsewhere Tab
  is a Tab).
* ``topLineChanged`` tells the preview where the reader is, so it can follow.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from notebook_app.core.api import TASK_BOX_RE, inside_quotes, list_item, quote_marks
from notebook_app.gui.markdown_highlighter import fenced_code_quotes
from notebook_app.gui.spelling import SpellingHighlighter

INDENT = "  "
DOCUMENT_MARGIN = 12  # px between the text and the editor's edge (Qt's default is 4)


@dataclasses.dataclass(frozen=True, slots=True)
class ListItem:
    """The list item a line starts, as the renderer reads it (core/markdown/syntax.py); its
    columns count from the end of the line's quote marks (``lead``)."""

    indent: str
    marker: str  # as typed: "-", "•", "3." ...
    space: str  # between the marker and the text ("" when the line ends at the marker)
    task: bool  # the text starts with a task box
    rest: str  # the text after the marker (and its task box)
    content_start: int  # column where the text (or its task box) starts

    def next_marker(self) -> str:
        """The marker of the item after this one: the same bullet, or the next number."""
        number = self.marker[:-1]
        return f"{int(number) + 1}{self.marker[-1]}" if number.isdigit() else self.marker


def parse_list_item(line: str) -> ListItem | None:
    """The list item ``line`` starts (after its quote marks), if any."""
    match = list_item(line)
    if match is None:
        return None
    rest = match.group("rest")
    task = TASK_BOX_RE.match(rest)
    return ListItem(
        indent=match.group("indent"),
        marker=match.group("marker"),
        space=match.group("space"),
        task=task is not None,
        rest=rest[task.end() :] if task else rest,
        content_start=match.end("space"),
    )


def line_item(line: str) -> tuple[str, ListItem | None]:
    """The quote marks ``line`` opens with, and the list item it starts after them, if any."""
    lead = quote_marks(line)
    return lead, parse_list_item(line[len(lead) :])


def current_item(edit: QPlainTextEdit) -> tuple[str, ListItem | None] | None:
    """``line_item`` of the cursor's line; None while text is selected."""
    cursor = edit.textCursor()
    return None if cursor.hasSelection() else line_item(cursor.block().text())


def continue_list(edit: QPlainTextEdit) -> bool:
    """Enter in a list: the next item's marker (a task box stays a task box), or, on an empty
    item, the end of the list; in a quote, the quote's marks first, and on a quoted line with
    nothing after its marks, the end of the quote. One undo step. False when Enter is an
    ordinary new line.

    Shared by the editor and the meeting's action items field (entry_form.py)."""
    found = current_item(edit)
    if found is None:
        return False
    lead, item = found
    cursor = edit.textCursor()
    quotes = fenced_code_quotes(cursor.block())
    if quotes is not None:
        # In code a "- " or "> " is code: the line after keeps only a quoted fence's marks.
        return bool(quotes) and _enter(edit, "\n" + "> " * quotes)
    column = cursor.positionInBlock() - len(lead)
    if item is None:
        if not lead or column < 0:
            return False  # no quote, or Enter inside its marks: an ordinary new line
        if not cursor.block().text()[len(lead) :].strip():
            outer = inside_quotes(lead, 1) or ""
            if outer:
                return _enter(edit, outer, whole_line=True)  # out of the inner quote only
            # The end of the quote: its marks go, and a blank line keeps what is typed next
            # out of it (a line right under a quote would go on in it).
            return _enter(edit, "\n", whole_line=True)
        # The quote goes on.
        return _enter(edit, "\n" + lead.rstrip(" ") + " ", text_start=len(lead))
    if column < item.content_start or not item.space:
        # Enter before the text, or after a bare "-" (which may be the start of "---"):
        # an ordinary new line, never a marker removed.
        return False
    if not item.rest.strip():
        # An empty item ends the list (the quote, if any, goes on).
        return _enter(edit, lead, whole_line=True)
    task = "[ ] " if item.task else ""
    space = item.space or " "
    text_start = len(cursor.block().text()) - len(item.rest)  # after the marker and task box
    return _enter(
        edit, "\n" + lead + item.indent + item.next_marker() + space + task, text_start=text_start
    )


def _text_to_cursor(cursor: QTextCursor) -> str:
    """The cursor's line up to it."""
    start = QTextCursor(cursor)
    start.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
    return start.selectedText()


def _enter(
    edit: QPlainTextEdit, text: str, *, whole_line: bool = False, text_start: int | None = None
) -> bool:
    """Insert ``text`` at the cursor, or in place of the cursor's line, as one undo step.

    ``text_start``: the column where an item's or a quoted line's text starts, for an Enter
    that continues it. The spaces around the cursor within that text go, as in Obsidian and
    VS Code: "- split| here" gives "- split" and "- here", not "- split " and "-  here" (a
    second space, after the one the new marker brings)."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if text_start is not None:
        # In characters, not Qt's UTF-16 positions: an emoji before the cursor counts once.
        line = cursor.block().text()
        head = line[: len(_text_to_cursor(cursor))]
        after = len(line) - len(head) - len(line[len(head) :].lstrip(" \t"))
        before = max(0, min(len(head) - text_start, len(head) - len(head.rstrip(" \t"))))
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.MoveAnchor, before)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor,
                            before + after)  # fmt: skip
    if whole_line:
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)  # fmt: skip
    cursor.insertText(text)
    cursor.endEditBlock()
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()
    return True


class MarkdownEditor(QPlainTextEdit):
    topLineChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        # The markdown highlighter, which also underlines misspelt words (spelling.py).
        self.highlighter = SpellingHighlighter(self.document(), self.palette())
        self._top_line = 0
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSize(max(font.pointSize(), 11))
        self._base_font = font  # the chosen font (View > Editor Font), before the zoom
        self._zoom = 0  # points added to it (View > Zoom In / Out)
        # Whether the system's fixed-pitch font replaces it (View > Monospace Editor Font).
        self.monospace = False
        self._apply_font()

    def set_editor_font(self, family: str, point_size: int) -> None:
        if family:
            self._base_font = QFont(family, point_size)
        else:  # "" is the system's font
            self._base_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
            self._base_font.setPointSize(point_size)
        self._apply_font()

    def base_font(self) -> QFont:
        """The font chosen (View > Editor Font), without the zoom."""
        return QFont(self._base_font)

    def set_zoom(self, points: int) -> None:
        self._zoom = points
        self._apply_font()

    def _apply_font(self) -> None:
        if self.monospace:
            font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            font.setPointSize(self._base_font.pointSize())
        else:
            font = QFont(self._base_font)
        font.setPointSize(max(font.pointSize() + self._zoom, 4))
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)

    def set_monospace(self, monospace: bool) -> None:
        """Show the text in the system's fixed-pitch font (at the chosen size), or not."""
        self.monospace = monospace
        self._apply_font()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())  # a theme switch recolours the text

    # --- lists ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key, modifiers = event.key(), event.modifiers()
        plain = not modifiers & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and continue_list(self):
            return
        if key == Qt.Key.Key_Tab and plain and self._shift_list_item(outdent=False):
            return
        if key == Qt.Key.Key_Backtab and self._shift_list_item(outdent=True):
            return
        super().keyPressEvent(event)

    def _shift_list_item(self, *, outdent: bool) -> bool:
        found = current_item(self)
        item = found[1] if found is not None else None
        if found is None or item is None:
            return False
        lead = found[0]
        cursor = self.textCursor()
        column = cursor.positionInBlock()
        indent = item.indent
        if outdent and not indent:
            return True
        cursor.beginEditBlock()
        start = QTextCursor(cursor.block())
        start.setPosition(start.position() + len(lead))  # the item's indent is after the marks
        if outdent:
            remove = min(len(INDENT), len(indent))
            start.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor,
                               remove)  # fmt: skip
            start.removeSelectedText()
            column -= remove
        else:
            start.insertText(INDENT)
            column += len(INDENT)
        cursor.endEditBlock()
        cursor.setPosition(cursor.block().position() + max(column, 0))
        self.setTextCursor(cursor)
        return True

    # --- position ------------------------------------------------------------------------------

    def jump_to_line(self, line: int) -> None:
        """Put the cursor on a 0-based line and scroll it to the top of the view."""
        block = self.document().findBlockByNumber(max(line, 0))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        self.setTextCursor(cursor)
        scrollbar = self.verticalScrollBar()
        scrollbar.setValue(scrollbar.maximum())  # then back up, so the line lands at the top
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus()

    def scroll_fraction(self) -> float:
        scrollbar = self.verticalScrollBar()
        return scrollbar.value() / scrollbar.maximum() if scrollbar.maximum() else 0.0

    def _scrolled(self, _value: int) -> None:
        top = self.firstVisibleBlock().blockNumber()
        if top != self._top_line:
            self._top_line = top
            self.topLineChanged.emit(top)
