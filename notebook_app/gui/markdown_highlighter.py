"""Markdown highlighting for the editor: headings, emphasis, code, links, lists, tasks, tags.

QSyntaxHighlighter re-highlights only the blocks a keystroke touched (and the following ones
while a block's state changes, as when a code fence opens), so a 90 KB note stays smooth.
Colours come from the palette, so light and dark themes both read well. List items, task boxes,
headings, fences, ``#tags`` and ``[[links]]`` are read as the renderer, capture and import read
them (core/markdown/syntax.py).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from notebook_app.core.markdown.syntax import (
    TASK_BOX_RE,
    WIKI_LINK_RE,
    atx_heading,
    closes_fence,
    code_spans,
    fence_opening,
    list_item,
    tag_matches,
)

# A block inside a fenced code block has state FENCE_STATE + 2 * len(marker) (+ 1 for "~"):
# the state says which line closes it. Outside: 0 (or -1, Qt's "not highlighted yet").
FENCE_STATE = 2
_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), "strong"),
    (re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])"), "emphasis"),
    (re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)"), "link"),
    (WIKI_LINK_RE, "link"),
    (re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+"), "link"),
]
_QUOTE = re.compile(r"^\s*>")


def _fence_state(marker: str) -> int:
    return FENCE_STATE + 2 * len(marker) + (marker[0] == "~")


def _fence_marker(state: int) -> str | None:
    """The opening marker of the fence a block in ``state`` is inside, or None."""
    if state < FENCE_STATE:
        return None
    return ("~" if state & 1 else "`") * ((state - FENCE_STATE) // 2)


def _utf16_offsets(text: str) -> list[int] | None:
    """For a line holding characters past U+FFFF (emoji), each code point's offset in UTF-16
    units (Qt's), with the end's; None when the two counts agree (nearly every line)."""
    if text.isascii() or all(ord(ch) <= 0xFFFF for ch in text):
        return None
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self._units: list[int] | None = None
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        accent = QColor("#8ab4f8" if dark else "#1a56c4")
        muted = palette.color(QPalette.ColorRole.PlaceholderText)

        def fmt(color: QColor | None = None, *, bold: bool = False, italic: bool = False,
                mono: bool = False, size: float = 0.0) -> QTextCharFormat:  # fmt: skip
            char = QTextCharFormat()
            if color is not None:
                char.setForeground(color)
            if bold:
                char.setFontWeight(QFont.Weight.Bold)
            if italic:
                char.setFontItalic(True)
            if mono:
                char.setFontFamilies(["monospace"])
                char.setFontFixedPitch(True)
            if size:
                char.setProperty(QTextCharFormat.Property.FontSizeAdjustment, int(size))
            return char

        code_color = QColor("#e6a26b" if dark else "#a3400e")
        self.formats = {
            "heading1": fmt(text, bold=True, size=2),
            "heading2": fmt(text, bold=True, size=1),
            "heading": fmt(text, bold=True),
            "strong": fmt(bold=True),
            "emphasis": fmt(italic=True),
            "code": fmt(code_color, mono=True),
            "fence": fmt(code_color, mono=True),
            "link": fmt(accent),
            "tag": fmt(QColor("#3aa676" if dark else "#1e7e52"), bold=True),
            "marker": fmt(muted, bold=True),
            "task": fmt(accent, bold=True),
            "quote": fmt(muted, italic=True),
        }
        self.rehighlight()

    def setFormat(self, start: int, count: int, fmt: Any) -> None:  # noqa: N802 (Qt API)
        """Offsets into the block's text as Python counts them (code points), given to Qt in
        UTF-16 units: a line with emoji (``#🌲``) is marked where its characters are."""
        units = self._units
        if units is not None:
            start, count = units[start], units[start + count] - units[start]
        super().setFormat(start, count, fmt)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._units = _utf16_offsets(text)
        fence = _fence_marker(self.previousBlockState())
        if fence is not None:
            self.setFormat(0, len(text), self.formats["fence"])
            closed = closes_fence(fence, text.lstrip(" \t"))
            self.setCurrentBlockState(0 if closed else _fence_state(fence))
            return
        opening = fence_opening(text)
        if opening is not None:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(_fence_state(opening))
            return
        self.setCurrentBlockState(0)
        indent = len(text) - len(text.lstrip(" "))
        heading = atx_heading(text[indent:]) if indent <= 3 else None
        if heading is not None:
            level = heading[0]
            name = "heading1" if level == 1 else "heading2" if level == 2 else "heading"
            self.setFormat(0, len(text), self.formats[name])
            self._format_tags(text)  # a heading's #tags are tags too
            return
        if _QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        item = list_item(text)
        if item is not None:
            marker_start = item.start("marker")
            self.setFormat(marker_start, len(item.group("marker")), self.formats["marker"])
            task = TASK_BOX_RE.match(item.group("rest"))
            if task is not None:
                self.setFormat(item.start("rest"), 3, self.formats["task"])
        for pattern, name in _INLINE_RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats[name])
        self._format_tags(text)
        for start, end in code_spans(text) if "`" in text else ():
            self.setFormat(start, end - start, self.formats["code"])

    def _format_tags(self, text: str) -> None:
        for match in tag_matches(text):
            self.setFormat(match.start(), match.end() - match.start(), self.formats["tag"])
