"""Keeping the preview on the part of the note the editor shows.

Scrolling the preview to the editor's scroll fraction drifts on a long note: blank lines,
one-word lines and long paragraphs take different room in the two views (on the podcast
sample the editor showed line 179 while the preview showed line 385). Instead, source lines
are matched to the preview's blocks by their text (a heading, a list item, a paragraph's first
words: each preview block starts with the words of the source line it came from), and the
preview is put where the editor's top line falls between two matched blocks, in proportion.

The matching (``match_blocks``) is pure Python on the GUI thread, done again only when the
editor scrolls after a text changed, or once typing pauses (preview_pane.py): 5-8 ms for the
podcast sample with its lines' keys cached, never on a keystroke.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Sequence

from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

KEY_CHARS = 24  # a block is known by its first letters and digits, up to this many
MIN_KEY_CHARS = 4  # fewer (a "-", "1.", an emoji) could be anything: not matched
MIN_PREFIX_CHARS = 8  # a short line matches the start of a longer block only from this many
# Past this many preview blocks the scroll fraction is used instead: matching them would hold
# the GUI thread for tens of milliseconds after each pause in typing.
MAX_BLOCKS = 10_000
_MAX_CACHED_KEYS = 200_000
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_NOT_WORD = re.compile(r"[\W_]+")


def text_key(text: str) -> str:
    """How a line or a block is recognised in the other view: its first letters and digits,
    casefolded. Markup (``#``, ``-``, ``**``, ``[ ]``, a link's target) leaves no trace."""
    return _NOT_WORD.sub("", _LINK_TARGET.sub("", text[: KEY_CHARS * 8]))[:KEY_CHARS].casefold()


def match_blocks(
    lines: Sequence[str], blocks: Sequence[str], keys: dict[str, str] | None = None
) -> list[tuple[int, int]]:
    """(source line, preview block) pairs, both increasing: each preview block is matched to
    the first source line after the last match that starts with the same words. ``keys``
    caches ``text_key`` across calls (an edit changes few lines)."""
    cache: dict[str, str] = {} if keys is None else keys
    if len(cache) > _MAX_CACHED_KEYS:
        cache.clear()

    def key_of(text: str) -> str:
        key = cache.get(text)
        if key is None:
            key = cache[text] = text_key(text)
        return key

    where: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        key = key_of(line)
        if len(key) >= MIN_KEY_CHARS:
            where.setdefault(key, []).append(number)
    prefix_lengths = sorted({len(k) for k in where if len(k) >= MIN_PREFIX_CHARS}, reverse=True)
    pairs: list[tuple[int, int]] = []
    last = -1
    for index, block in enumerate(blocks):
        key = key_of(block)
        if len(key) < MIN_KEY_CHARS:
            continue
        numbers = where.get(key)
        if not numbers:
            # A paragraph whose first source line is short: its block goes on with the next
            # line's words, so the line's key is a prefix of the block's.
            for length in prefix_lengths:
                if length < len(key) and (numbers := where.get(key[:length])):
                    break
            else:
                continue
        at = bisect.bisect_right(numbers, last)
        if at < len(numbers):
            last = numbers[at]
            pairs.append((last, index))
    return pairs


def interpolate(anchors: Sequence[tuple[float, float]], position: float) -> float:
    """The y for ``position`` (a fractional source line) between the anchors around it."""
    lines = [line for line, _y in anchors]
    at = bisect.bisect_right(lines, position)
    if at == 0:
        return anchors[0][1]
    if at == len(anchors):
        return anchors[-1][1]
    (line0, y0), (line1, y1) = anchors[at - 1], anchors[at]
    if line1 == line0:
        return y0
    return y0 + (position - line0) / (line1 - line0) * (y1 - y0)


class ScrollSync:
    """Scrolls ``preview`` to follow ``editor``. ``invalidate`` when either text changes."""

    def __init__(self, editor: QPlainTextEdit, preview: QTextEdit) -> None:
        self.editor, self.preview = editor, preview
        self._pairs: list[tuple[int, int]] | None = None  # None: match again when next needed
        self._blocks: list[QTextBlock] = []
        self._keys: dict[str, str] = {}  # text -> text_key, kept across edits
        self.edited_at = 0.0  # time.monotonic() of the last edit

    def invalidate(self) -> None:
        self._pairs = None

    def edited(self) -> None:
        """The editor's text changed (a keystroke): match again, but not right now."""
        self._pairs = None
        self.edited_at = time.monotonic()

    @property
    def stale(self) -> bool:
        """Matching is to be done again before the next sync."""
        return self._pairs is None

    def _match(self) -> list[tuple[int, int]] | None:
        document = self.preview.document()
        if document.blockCount() > MAX_BLOCKS:
            return None
        blocks: list[QTextBlock] = []
        block = document.begin()
        while block.isValid():
            blocks.append(block)
            block = block.next()
        lines: list[str] = []
        line = self.editor.document().begin()
        while line.isValid():
            lines.append(line.text())
            line = line.next()
        self._blocks = blocks
        return match_blocks(lines, [b.text() for b in blocks], self._keys)

    def editor_position(self) -> float:
        """The editor's top line, with how far into it the view starts (wrapped lines)."""
        editor = self.editor
        block = editor.firstVisibleBlock()
        if not block.isValid():
            return 0.0
        rect = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
        into = -rect.top() / rect.height() if rect.height() > 0 else 0.0
        return block.blockNumber() + min(max(into, 0.0), 1.0)

    def preview_y(self, position: float) -> float | None:
        """Where in the preview (document y) source line ``position`` is shown; None when
        nothing could be matched."""
        if self._pairs is None:
            pairs = self._match()
            if pairs is None:
                return None
            self._pairs = pairs
        if not self._pairs:
            return None
        layout = self.preview.document().documentLayout()
        lines = self.editor.document().blockCount()
        height = layout.documentSize().height()
        anchors: list[tuple[float, float]] = [(0.0, 0.0)]
        # Only the matches around the position are laid out (blockBoundingRect), not all.
        numbers = [line for line, _block in self._pairs]
        at = bisect.bisect_right(numbers, position)
        for line, index in self._pairs[max(at - 1, 0) : at + 1]:
            block = self._blocks[index]
            if block.isValid():
                # The first line shows the document's top (its margin too), any other line's
                # block at the top of the view.
                top = layout.blockBoundingRect(block).top() if line else 0.0
                anchors.append((float(line), top))
        anchors.append((float(max(lines, 1)), height))
        anchors.sort()
        return interpolate(anchors, position)

    def sync(self) -> bool:
        """Scroll the preview to the editor's place; False when it could not be worked out
        (the caller falls back to the scroll fraction)."""
        editor_bar, preview_bar = self.editor.verticalScrollBar(), self.preview.verticalScrollBar()
        if editor_bar.value() >= editor_bar.maximum() > 0:
            preview_bar.setValue(preview_bar.maximum())  # the end shows the end
            return True
        y = self.preview_y(self.editor_position())
        if y is None:
            return False
        preview_bar.setValue(round(y))
        return True
