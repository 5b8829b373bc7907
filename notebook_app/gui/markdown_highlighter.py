"""Markdown highlighting for the editor: headings, emphasis, code, links, lists, tasks, tags.

QSyntaxHighlighter re-highlights only the blocks a keystroke touched (and the following ones
while a block's state changes, as when a code fence opens), so a 90 KB note stays smooth.
Colours come from the palette (each one chosen to keep a contrast of at least 4.5:1 against the
editor's background in both themes: ``tests/test_look.py`` computes it), and follow it when the
theme changes. Code spans, fences and table lines are set in the system's fixed-pitch font.
List items, task boxes, headings, fences, ``#tags`` and ``[[links]]`` are read as the renderer,
capture and import read them (core/markdown/syntax.py).

Offsets: Python's ``str`` counts code points, Qt's ``setFormat`` UTF-16 units, so a character
outside the Basic Multilingual Plane (💡, 💨) counts once here and twice there. Every format
goes through :meth:`MarkdownHighlighter._set`, which converts when a block holds such a character.
"""

from __future__ import annotations

import bisect
import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from notebook_app.core.api import (
    TASK_BOX_RE,
    closes_fence_at_any_indent,
    code_spans,
    fence_opening,
    heading_line,
    links_in_line,
    list_item,
    setext_level,
    tag_matches,
)

# A block inside a fenced code block has state FENCE_STATE + 2 * len(marker) (+ 1 for "~"):
# the state says which line closes it. Outside: 0 (or -1, Qt's "not highlighted yet").
FENCE_STATE = 2
# Strong and emphasis add their weight or slant to what is there (``***both***``, a link in
# bold); the other inline rules replace it. A single ``*`` next to another ``*`` is part of a
# ``**`` pair, never emphasis (or ``**bold**`` would be read as ``*`` + ``*bold*`` + ``*``).
_STRONG = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])(\*(?!\*)|_(?!_))(?=\S)(.+?)(?<=[^\s*_])\1(?![*\w])")
_BOTH = re.compile(r"(\*\*\*|___)(?=[^\s*_])(.+?)(?<=[^\s*_])\1")  # ***bold and italic***
_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)"), "link"),
    (re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+"), "link"),
]
_QUOTE = re.compile(r"^\s*>")
# A line that is, or was a keystroke ago, a setext underline (or blank): see _redo_line_above.
_UNDERLINE_LIKE = re.compile(r"^ {0,3}(?:=*|-*)[ \t]*$")
# A table row (``| a | b |``) or its delimiter row (``--- | :---:``): set in the fixed font so
# its columns line up.
_TABLE = re.compile(r"^\s{0,3}\||^\s{0,3}:?-+:?\s*\|[\s|:-]*$")
_ASTRAL = "\U00010000"  # the first character outside the Basic Multilingual Plane
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")

# Foreground colours (light, dark): each reaches 4.5:1 against the editor's background in its
# theme (white / #17181a), measured by tests/test_look.py.
COLOURS: dict[str, tuple[str, str]] = {
    "accent": ("#1a56c4", "#8ab4f8"),  # links, task boxes
    "code": ("#a3400e", "#e6a26b"),
    "tag": ("#1e7e52", "#4cc38a"),
    "muted": ("#5f6368", "#a8adb3"),  # list markers, quotes
}


def astral_positions(text: str) -> list[int] | None:
    """Where ``text`` has characters outside the Basic Multilingual Plane (each one counts
    twice in Qt's UTF-16 offsets); None when it has none, the common case."""
    if text.isascii() or max(text) < _ASTRAL:
        return None
    return [match.start() for match in _ASTRAL_RE.finditer(text)]


def utf16_offset(astral: list[int] | None, offset: int) -> int:
    """The UTF-16 offset of the code point ``offset`` in a text with ``astral`` positions."""
    return offset if astral is None else offset + bisect.bisect_left(astral, offset)


def _fence_state(marker: str) -> int:
    return FENCE_STATE + 2 * len(marker) + (marker[0] == "~")


def _may_underline(text: str) -> bool:
    """A cheap first look (most lines fail it) before syntax.setext_level's."""
    return text[:4].lstrip(" ")[:1] in ("=", "-")


def _fence_marker(state: int) -> str | None:
    """The opening marker of the fence a block in ``state`` is inside, or None."""
    if state < FENCE_STATE:
        return None
    return ("~" if state & 1 else "`") * ((state - FENCE_STATE) // 2)


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        # A setext underline typed or removed changes how the line above reads, which Qt does
        # not highlight again by itself (it redoes the changed blocks and those after them).
        document.contentsChange.connect(self._redo_line_above)
        self._astral: list[int] | None = None  # the block's astral_positions
        self._spans: list[tuple[int, int]] = []  # the block's formats set so far (UTF-16)
        self._palette_key: tuple[str, str] | None = None
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        """Colour the formats for ``palette`` (the editor's: called again when it changes)."""
        key = (palette.color(QPalette.ColorRole.Base).name(),
               palette.color(QPalette.ColorRole.Text).name())  # fmt: skip
        if key == self._palette_key:
            return  # a palette change that changes no colour used here: no rehighlight
        self._palette_key = key
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128

        def colour(name: str) -> QColor:
            return QColor(COLOURS[name][1 if dark else 0])

        accent, muted = colour("accent"), colour("muted")

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
                # The generic name (fontconfig's alias), and the hint where there is none:
                # asking Qt for the system's fixed font here would cost the window's start.
                char.setFontFamilies(["monospace"])
                char.setFontStyleHint(QFont.StyleHint.TypeWriter)
                char.setFontFixedPitch(True)
            if size:
                char.setProperty(QTextCharFormat.Property.FontSizeAdjustment, int(size))
            return char

        # Headings and bold keep the editor's own text colour (no foreground of their own),
        # so they follow the palette whatever it is.
        self.formats = {
            "heading1": fmt(bold=True, size=2),
            "heading2": fmt(bold=True, size=1),
            "heading": fmt(bold=True),
            "strong": fmt(bold=True),
            "emphasis": fmt(italic=True),
            "code": fmt(colour("code"), mono=True),
            "fence": fmt(colour("code"), mono=True),
            "table": fmt(mono=True),
            "link": fmt(accent),
            "tag": fmt(colour("tag"), bold=True),
            "marker": fmt(muted, bold=True),
            "task": fmt(accent, bold=True),
            "quote": fmt(muted, italic=True),
        }
        self.rehighlight()

    def _set(self, start: int, length: int, name: str, *, merge: bool = False) -> None:
        """Format ``length`` characters from ``start`` (code point offsets into the block) as
        ``name``; with ``merge``, add it to the formats already there instead."""
        end = start + length
        if self._astral is not None:
            start, end = utf16_offset(self._astral, start), utf16_offset(self._astral, end)
        char = self.formats[name]
        spans = self._spans
        under = [(a, b) for a, b in spans if a < end and b > start] if merge else []
        spans.append((start, end))
        if not under:  # nothing formatted there yet (the common case): nothing to merge with
            self.setFormat(start, end - start, char)
            return
        # Piece by piece between the edges of what is there (a bold span over a link keeps the
        # link's colour): one lookup per piece, not per character.
        edges = {edge for span in under for edge in span if start < edge < end}
        cuts = sorted({start, end, *edges})
        for piece_start, piece_end in zip(cuts, cuts[1:], strict=False):
            merged = QTextCharFormat(self.format(piece_start))
            merged.merge(char)
            self.setFormat(piece_start, piece_end - piece_start, merged)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._astral = astral_positions(text) if text else None
        self._spans = []
        fence = _fence_marker(self.previousBlockState())
        if fence is not None:
            self._set(0, len(text), "fence")
            closed = closes_fence_at_any_indent(fence, text)
            self.setCurrentBlockState(0 if closed else _fence_state(fence))
            return
        opening = fence_opening(text)
        if opening is not None:
            self._set(0, len(text), "fence")
            self.setCurrentBlockState(_fence_state(opening))
            return
        self.setCurrentBlockState(0)
        heading = heading_line(text)
        level = heading[1] if heading is not None else self._setext(text)
        if level is not None:
            name = "heading1" if level == 1 else "heading2" if level == 2 else "heading"
            self._set(0, len(text), name)
            self._format_tags(text)  # a heading's #tags are tags too
            return
        if "|" in text and _TABLE.match(text):
            self._set(0, len(text), "table")
        elif _QUOTE.match(text):
            self._set(0, len(text), "quote")
        item = list_item(text)
        if item is not None:
            self._set(item.start("marker"), len(item.group("marker")), "marker")
            task = TASK_BOX_RE.match(item.group("rest"))
            if task is not None:
                self._set(item.start("rest"), 3, "task")
        for pattern, name in _INLINE_RULES:
            for match in pattern.finditer(text):
                self._set(match.start(), match.end() - match.start(), name)
        for link in links_in_line(text):  # what the link table reads as a link, and only that
            self._set(link.start, link.end - link.start, "link")
        self._format_tags(text)
        if "*" in text or "_" in text:
            for pattern, name in ((_STRONG, "strong"), (_EMPHASIS, "emphasis")):
                for match in pattern.finditer(text):
                    self._set(match.start(), match.end() - match.start(), name, merge=True)
            if "***" in text or "___" in text:
                for match in _BOTH.finditer(text):
                    self._set(match.start(), match.end() - match.start(), "emphasis", merge=True)
        for start, end in code_spans(text):
            self._set(start, end - start, "code")

    def _setext(self, text: str) -> int | None:
        """The level of the setext heading ``text`` is the title or the underline of."""
        block = self.currentBlock()
        above = block.previous()
        if _may_underline(text) and above.isValid():
            level = setext_level(text, above.text())
            if level is not None:
                return level
        below = block.next()
        if below.isValid() and _may_underline(under := below.text()):
            return setext_level(under, text)
        return None

    def _redo_line_above(self, position: int, _removed: int, _added: int) -> None:
        block = self.document().findBlock(position)
        above = block.previous()
        if above.isValid() and _UNDERLINE_LIKE.match(block.text()):
            self.rehighlightBlock(above)

    def _format_tags(self, text: str) -> None:
        for match in tag_matches(text):
            self._set(match.start(), match.end() - match.start(), "tag")
