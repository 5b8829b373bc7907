"""Markdown highlighting for the editor: headings, emphasis, code, links, lists, tasks, tags.

QSyntaxHighlighter re-highlights only the blocks a keystroke touched (and the following ones
while a block's state changes, as when a code fence opens), so a 90 KB note stays smooth.
Colours come from the palette, so light and dark themes both read well.
"""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

IN_CODE_FENCE = 1
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+\S.*$")
_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"`[^`\n]+`"), "code"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), "strong"),
    (re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])"), "emphasis"),
    (re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)"), "link"),
    (re.compile(r"\[\[[^\]\n]+\]\]"), "link"),
    (re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+"), "link"),
    (re.compile(r"(?:(?<=\s)|^)#[^\W\d_][\w\-/]*"), "tag"),
]
_LIST_MARKER = re.compile(r"^(\s*)([-*+]|\d+[.)])\s")
_TASK = re.compile(r"^\s*[-*+]\s(\[[ xX]\])")
_QUOTE = re.compile(r"^\s*>")


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
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

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        previous_in_fence = self.previousBlockState() == IN_CODE_FENCE
        if _FENCE.match(text):
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(0 if previous_in_fence else IN_CODE_FENCE)
            return
        if previous_in_fence:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(IN_CODE_FENCE)
            return
        self.setCurrentBlockState(0)
        heading = _HEADING.match(text)
        if heading:
            level = len(heading.group(1))
            name = "heading1" if level == 1 else "heading2" if level == 2 else "heading"
            self.setFormat(0, len(text), self.formats[name])
            return
        if _QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        marker = _LIST_MARKER.match(text)
        if marker:
            self.setFormat(marker.start(2), len(marker.group(2)), self.formats["marker"])
        task = _TASK.match(text)
        if task:
            self.setFormat(task.start(1), 3, self.formats["task"])
        for pattern, name in _INLINE_RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats[name])
