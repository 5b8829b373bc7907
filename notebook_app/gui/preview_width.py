"""A readable line width for the preview: at most ~80 characters a line, centred.

A wide preview (a maximised window, the editor hidden) would otherwise set lines of 150
characters. The browser's viewport is narrowed with side margins instead of changing the
document, so nothing the preview loads or replaces (preview_browser.py) has to know: the
document's width simply is the viewport's. A width that does not change (the pane wider than
the measure, then resized) costs no new layout either.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QAbstractScrollArea

MEASURE_CHARACTERS = 80


def readable_width(area: QAbstractScrollArea, characters: int = MEASURE_CHARACTERS) -> int:
    """The widest the text column should be, in pixels, for the area's font."""
    metrics = QFontMetricsF(area.font())
    # The average advance of lowercase text, a little wider than averageCharWidth's guess.
    sample = "the quick brown fox jumps over a lazy dog "
    return round(metrics.horizontalAdvance(sample) / len(sample) * characters)


class ReadableWidth(QObject):
    """Keeps ``area``'s text column at most ``readable_width`` wide, centred."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.side = 0  # the margin on each side now
        area.installEventFilter(self)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self.update()
        return False

    def update(self) -> None:
        area = self.area
        document = getattr(area, "document", None)
        margin = document().documentMargin() if callable(document) else 0.0
        column = readable_width(area) + 2 * round(margin)
        room = area.width() - 2 * area.frameWidth() - area.verticalScrollBar().sizeHint().width()
        side = max(0, (room - column) // 2)
        if side != self.side:
            self.side = side
            area.setViewportMargins(side, 0, side, 0)


def keep_readable_width(area: QAbstractScrollArea) -> ReadableWidth:
    return ReadableWidth(area)
