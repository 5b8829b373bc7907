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
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from notebook_app.core.api import (
    COMMENT_RE,
    HIGHLIGHT_RE,
    STRIKE_RE,
    TASK_BOX_RE,
    both_spans,
    closes_fence_at_any_indent,
    code_spans,
    emphasis_spans,
    fence_opening,
    heading_line,
    inside_quotes,
    links_in_line,
    list_item,
    opens_comment,
    quote_depth,
    quote_marks,
    setext_level,
    strong_spans,
    tag_matches,
)

# A block inside a fenced code block has state FENCE_STATE + 2 * len(marker) (+ 1 for "~"),
# plus the number of quotes that hold the fence times _QUOTES: the state says which line
# closes it, and which quote's end does. Outside: 0 (or -1, Qt's "not highlighted yet"), or
# COMMENT_STATE inside a %% comment running over lines.
FENCE_STATE = 2
COMMENT_STATE = 1  # a line inside a %% comment that runs over lines
_QUOTES = 1 << 24  # (a marker is counted up to _QUOTES // 4 long, quotes up to 63 deep)
# Strong and emphasis (core/markdown/emphasis.py) add their weight or slant to what is there
# (``***both***``, a link in bold); the other inline rules replace it. A single ``*`` next to
# another ``*`` is part of a ``**`` pair, never emphasis (or ``**bold**`` would be read as ``*``
# + ``*bold*`` + ``*``).
# A markdown link: its text may hold one level of brackets and its address one of parentheses.
# Neither runs past a bracket (parenthesis) it cannot pair, so a line of ``[`` is scanned once:
# each ``[`` used to be scanned to the line's end (0.7 s a keystroke on 16,000 of them).
_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\n]|\([^()\n]*\))*\)"), "link"),
    (re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+"), "link"),
]
# ==highlighted== and ~~struck~~ text: the marks' sign, their pattern, their format.
_MARKS = (("==", HIGHLIGHT_RE, "highlight"), ("~~", STRIKE_RE, "strike"))
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
# Backgrounds (light, dark), under the editor's own text colour: the preview's (preview-*.css).
BACKGROUNDS: dict[str, tuple[str, str]] = {
    "highlight": ("#fff2a8", "#5c4a0c"),  # ==highlighted==
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


def _fence_state(marker: str, quotes: int) -> int:
    length = min(len(marker), _QUOTES // 4)
    return FENCE_STATE + 2 * length + (marker[0] == "~") + min(quotes, 63) * _QUOTES


def _quote_marks(text: str) -> tuple[int, int]:
    """(how many quotes ``text`` is in, the length of its quote marks): (0, 0) outside."""
    marks = quote_marks(text)
    return quote_depth(marks), len(marks)


def _may_underline(text: str) -> bool:
    """A cheap first look (most lines fail it) before syntax.setext_level's."""
    return text[:4].lstrip(" ")[:1] in ("=", "-")


def fenced_code_quotes(block: QTextBlock) -> int | None:
    """None when ``block`` (highlighted) is no line inside fenced code, else how many quotes
    hold that fence (0 at the top level): Enter there continues no list, only the quote."""
    open_fence = _open_fence(block.previous().userState()) if block.isValid() else None
    return None if open_fence is None else open_fence[1]


def _open_fence(state: int) -> tuple[str, int] | None:
    """The opening marker of the fence a block in ``state`` is inside, and how many quotes
    hold that fence; None outside a fence."""
    if state < FENCE_STATE:
        return None
    quotes, marker = divmod(state - FENCE_STATE, _QUOTES)
    return ("~" if marker & 1 else "`") * (marker // 2), quotes


class _SpanIndex:
    """The spans formatted so far in a block, filed by the stretches of the line they cover,
    so that finding those under a new span looks near it only: a line of 4,000 bold words
    compared each with all the others (0.2 s a keystroke on 16,000 characters)."""

    _STRETCH = 64  # characters (UTF-16 units) per stretch

    def __init__(self) -> None:
        self._stretches: dict[int, list[tuple[int, int]]] = {}

    def _covered(self, start: int, end: int) -> range:
        return range(start // self._STRETCH, (end - 1) // self._STRETCH + 1)

    def add(self, start: int, end: int) -> None:
        for stretch in self._covered(start, end):
            self._stretches.setdefault(stretch, []).append((start, end))

    def overlapping(self, start: int, end: int) -> set[tuple[int, int]]:
        """The spans that share a character with ``start``..``end``."""
        return {
            (a, b)
            for stretch in self._covered(start, end)
            for a, b in self._stretches.get(stretch, ())
            if a < end and b > start
        }


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        # A setext underline typed or removed changes how the line above reads, which Qt does
        # not highlight again by itself (it redoes the changed blocks and those after them).
        document.contentsChange.connect(self._redo_line_above)
        self._astral: list[int] | None = None  # the block's astral_positions
        self._spans = _SpanIndex()  # the block's formats set so far (UTF-16)
        self._palette_key: tuple[str, str] | None = None
        self.code_line = False  # whether the block highlighted last is a fenced block's line
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
            "highlight": fmt(),
            "strike": fmt(),
            "comment": fmt(muted, italic=True),
        }
        self.formats["highlight"].setBackground(QColor(BACKGROUNDS["highlight"][1 if dark else 0]))
        self.formats["strike"].setFontStrikeOut(True)
        self.rehighlight()

    def _set(self, start: int, length: int, name: str, *, merge: bool = False) -> None:
        """Format ``length`` characters from ``start`` (code point offsets into the block) as
        ``name``; with ``merge``, add it to the formats already there instead."""
        end = start + length
        if self._astral is not None:
            start, end = utf16_offset(self._astral, start), utf16_offset(self._astral, end)
        char = self.formats[name]
        under = self._spans.overlapping(start, end) if merge else set()
        self._spans.add(start, end)
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
        self._spans = _SpanIndex()
        if self.previousBlockState() == COMMENT_STATE:  # the preview leaves it out
            self._set(0, len(text), "comment")
            self.setCurrentBlockState(0 if "%%" in text else COMMENT_STATE)
            self.code_line = False
            return
        self.code_line = True
        open_fence = _open_fence(self.previousBlockState())
        if open_fence is not None:
            fence, quotes = open_fence
            # A fence in a quote ends with the quote: at a blank line or one without its marks.
            inside = inside_quotes(text, quotes) if text.strip() or not quotes else None
            if inside is not None:
                self._set(0, len(text), "fence")
                closed = closes_fence_at_any_indent(fence, inside)
                self.setCurrentBlockState(0 if closed else self.previousBlockState())
                return
        # Inside quotes (``> `` marks), the rest of the line is read as a line of its own.
        quotes, marks = _quote_marks(text)
        inner = text[marks:]
        opening = fence_opening(inner)
        if opening is not None:
            self._set(0, len(text), "fence")
            self.setCurrentBlockState(_fence_state(opening, quotes))
            return
        self.code_line = False
        if opens_comment(inner):
            self._set(0, len(text), "comment")
            self.setCurrentBlockState(COMMENT_STATE)
            return
        self.setCurrentBlockState(0)
        heading = heading_line(inner)
        level = heading[1] if heading is not None else self._setext(text)
        if level is not None:
            name = "heading1" if level == 1 else "heading2" if level == 2 else "heading"
            if marks:
                self._set(0, marks, "quote")
            self._set(marks, len(text) - marks, name)
            self._format_tags(text)  # a heading's #tags are tags too
            return
        if marks:
            self._set(0, len(text), "quote")
        elif "|" in text and _TABLE.match(text):
            self._set(0, len(text), "table")
        item = list_item(inner)
        if item is not None:
            self._set(marks + item.start("marker"), len(item.group("marker")), "marker")
            task = TASK_BOX_RE.match(item.group("rest"))
            if task is not None:
                self._set(marks + item.start("rest"), 3, "task")
        for pattern, name in _INLINE_RULES:
            for match in pattern.finditer(text):
                self._set(match.start(), match.end() - match.start(), name)
        for link in links_in_line(text):  # what the link table reads as a link, and only that
            self._set(link.start, link.end - link.start, "link")
        self._format_tags(text)
        if "*" in text or "_" in text:
            for find, name in ((strong_spans, "strong"), (emphasis_spans, "emphasis")):
                for start, end in find(text):
                    self._set(start, end - start, name, merge=True)
            if "***" in text or "___" in text:
                for start, end in both_spans(text):
                    self._set(start, end - start, "emphasis", merge=True)
        for sign, pattern, name in _MARKS:
            if sign in text:  # as the preview marks them (syntax.py's patterns)
                for match in pattern.finditer(text):
                    self._set(match.start(), match.end() - match.start(), name, merge=True)
        spans = code_spans(text)
        for start, end in spans:
            self._set(start, end - start, "code")
        if "%%" in text:  # comments within the line, as the preview leaves them out
            for match in COMMENT_RE.finditer(text):
                if not any(a <= match.start() < b for a, b in spans):
                    self._set(match.start(), match.end() - match.start(), "comment")

    def _setext(self, text: str) -> int | None:
        """The level of the setext heading ``text`` is the title or the underline of (in the
        same quotes: the lines are compared without their quote marks)."""
        block = self.currentBlock()
        quotes, marks = _quote_marks(text)
        inner = text[marks:]
        above = block.previous()
        if _may_underline(inner) and above.isValid():
            above_quotes, above_marks = _quote_marks(title := above.text())
            if above_quotes == quotes:
                level = setext_level(inner, title[above_marks:])
                if level is not None:
                    return level
        below = block.next()
        if below.isValid():
            below_quotes, below_marks = _quote_marks(under := below.text())
            if below_quotes == quotes and _may_underline(under[below_marks:]):
                return setext_level(under[below_marks:], inner)
        return None

    def _redo_line_above(self, position: int, _removed: int, _added: int) -> None:
        """The line above the edited one again, when the edit may have made the edited line a
        setext underline, or undone one ("-" becoming "- item" under a title)."""
        block = self.document().findBlock(position)
        above = block.previous()
        if not above.isValid():
            return
        text = block.text()
        if _UNDERLINE_LIKE.match(text[_quote_marks(text)[1] :]) or self._setext_title(above):
            self.rehighlightBlock(above)

    def _setext_title(self, block: QTextBlock) -> bool:
        """Whether ``block`` is coloured as a setext heading's title: a heading's format on a
        line that is no ATX heading."""
        text = block.text()
        if not text.strip() or heading_line(text[_quote_marks(text)[1] :]) is not None:
            return False
        titles = (self.formats["heading1"], self.formats["heading2"])
        return any(r.format in titles for r in block.layout().formats())

    def _format_tags(self, text: str) -> None:
        for match in tag_matches(text):
            self._set(match.start(), match.end() - match.start(), "tag")
