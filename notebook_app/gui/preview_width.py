"""The preview's widths: lines of at most ~80 characters, centred; images that fit the column.

A wide preview (a maximised window, the editor hidden) would otherwise set lines of 150
characters. The browser's viewport is narrowed with side margins instead of changing the
document, so nothing the preview loads or replaces (preview_browser.py) has to know: the
document's width simply is the viewport's. A width that does not change (the pane wider than
the measure, then resized) costs no new layout either.

An image wider than its place in that column is shown scaled down to fit (``FitImages``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSizeF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QFontMetricsF,
    QImage,
    QPixmap,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
    QTextTableCell,
)
from PySide6.QtWidgets import QAbstractScrollArea, QTextEdit

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


# -- images that fit the column ----------------------------------------------------------------

FIT_SCHEME = "attachment"  # the note's own images (formulas, math:, keep their drawn size)
_BASE = QTextFormat.Property.UserProperty.value + 1  # the image's name as the HTML wrote it
_FIT = "#fit-"  # a shown size's name: the base, then #fit-WxH-KEY (KEY: the source image's)


class FitImages(QObject):
    """Shows each of a browser's images wider than the room its place in the text has (the
    column, less a list's indent or a callout's rule) scaled down to fit, as ``max-width:
    100%`` does in a browser; an explicit size (``![[x.png|300]]``) is kept when it fits.

    QTextDocument has no such rule for a block's width, and the HTML must not depend on the
    window's size (the renderer caches it by text). So the document is changed instead: an
    image too wide gets the size it fits in and a resource of that size, smoothly scaled once
    from the decoded image (Qt would rescale the full one at every paint, without smoothing).
    Its name is the HTML's with ``#fit-WxH-KEY``, so the shared resource of the same image
    elsewhere (another width) is untouched. Only the images new to the document are looked at
    after an edit; all of them when the column's width changes or an image arrives.
    """

    def __init__(self, browser: QTextEdit) -> None:
        super().__init__(browser)
        self.browser = browser
        self._width = -1.0  # the document's text width at the last whole pass
        self._dirty: tuple[int, int] | None = None  # the range edited since the last pass
        self._whole = True
        self._applying = False
        self._shown: dict[str, QPixmap] = {}  # fitted name -> its resource, in the document
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        browser.document().contentsChange.connect(self._changed)
        browser.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            self._timer.start()  # (the document takes the new width after this filter)
        return False

    def refit(self) -> None:
        """Look at every image again (the width changed, or an image arrived)."""
        self._whole = True
        self._timer.start()

    def _changed(self, position: int, _removed: int, added: int) -> None:
        if self._applying or added <= 0:
            return
        start, end = position, position + added
        if self._dirty is not None:
            start, end = min(start, self._dirty[0]), max(end, self._dirty[1])
        self._dirty = (start, end)
        self._timer.start()

    def fit(self) -> None:
        document = self.browser.document()
        whole = self._whole or document.textWidth() != self._width
        dirty = self._dirty
        self._whole, self._dirty = False, None
        if document.textWidth() <= 0 or (not whole and dirty is None):
            return
        if whole:
            self._width = document.textWidth()
            start, end = 0, document.characterCount()
        else:
            assert dirty is not None
            start, end = dirty
        used: set[str] = set()
        cursor = QTextCursor(document)
        cursor.setPosition(min(start, document.characterCount() - 1))
        self._applying = True
        try:
            while not (cursor := document.find(_OBJECT, cursor)).isNull():
                if cursor.selectionStart() >= end:
                    break
                name = self._fit_one(document, cursor)
                if name:
                    used.add(name)
        finally:
            self._applying = False
        if whole:  # free the sizes no longer shown (a resource is never removed otherwise)
            for stale in self._shown.keys() - used:
                document.addResource(_IMAGE, QUrl(stale), QPixmap())
                del self._shown[stale]

    def _fit_one(self, document: QTextDocument, cursor: QTextCursor) -> str:
        """Give the image at ``cursor`` (selected) the size it fits in; its fitted name."""
        form = cursor.charFormat().toImageFormat()
        if not form.isValid() or not form.isImageFormat():
            return ""
        base = form.stringProperty(_BASE) or form.name()
        if not base.startswith(f"{FIT_SCHEME}:"):
            return ""
        if not form.hasProperty(_BASE):  # first seen: keep what the HTML asked for
            form.setProperty(_BASE, base)
            form.setProperty(_BASE + 1, form.width() if form.hasProperty(_WIDTH) else -1.0)
            form.setProperty(_BASE + 2, form.height() if form.hasProperty(_HEIGHT) else -1.0)
        source = _image(document.resource(_IMAGE, QUrl(base)))
        if source is None:
            return ""  # not loaded yet: PreviewImages asks again when it arrives
        natural = source.deviceIndependentSize()
        width, height = _wanted(
            natural, form.doubleProperty(_BASE + 1), form.doubleProperty(_BASE + 2)
        )
        room = _room(document, cursor)
        if room is not None and width > room:
            width, height = room, height * room / width
        width, height = max(1, round(width)), max(1, round(height))
        name = base
        if width < natural.width():  # scaled down: a smooth copy of that size, made once
            name = f"{base}{_FIT}{width}x{height}-{source.cacheKey()}"
            if name not in self._shown:
                ratio = self.browser.devicePixelRatioF()
                scaled = source.scaled(round(width * ratio), round(height * ratio),
                                       Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)  # fmt: skip
                scaled.setDevicePixelRatio(ratio)
                self._shown[name] = QPixmap.fromImage(scaled)
                document.addResource(_IMAGE, QUrl(name), self._shown[name])
        wrote_w, wrote_h = form.doubleProperty(_BASE + 1), form.doubleProperty(_BASE + 2)
        if name == base:  # as the HTML wrote it
            for prop, wrote in ((_WIDTH, wrote_w), (_HEIGHT, wrote_h)):
                if wrote < 0:
                    form.clearProperty(prop)
                else:
                    form.setProperty(prop, wrote)
        else:
            form.setWidth(width)
            form.setHeight(height)
        form.setName(name)
        if form != cursor.charFormat():
            cursor.setCharFormat(form)
        return name if name != base else ""


_OBJECT = "\ufffc"  # what an image is in a document's text
_IMAGE = QTextDocument.ResourceType.ImageResource.value
_WIDTH = QTextFormat.Property.ImageWidth
_HEIGHT = QTextFormat.Property.ImageHeight
_CELL_PADDING = QTextFormat.Property.TableCellRightPadding


def _image(resource: object) -> QImage | None:
    if isinstance(resource, QPixmap):
        resource = resource.toImage()
    return resource if isinstance(resource, QImage) and not resource.isNull() else None


def _wanted(natural: QSizeF, width: float, height: float) -> tuple[float, float]:
    """The size the HTML asks for (its width and height, either alone keeps the image's
    shape, as Qt does), else the image's own."""
    if width >= 0 and height >= 0:
        return width, height
    if width >= 0:
        return width, width * natural.height() / max(natural.width(), 1)
    if height >= 0:
        return height * natural.width() / max(natural.height(), 1), height
    return natural.width(), natural.height()


def _room(document: QTextDocument, cursor: QTextCursor) -> float | None:
    """How wide an image at ``cursor`` may be without widening the document: from where its
    line starts (a list's indent, a callout's rule) to the right edge of the column or of its
    table cell. Worked out from the formats, not from the line's width: Qt widens a line, and
    a table, to hold an image wider than they are."""
    block = cursor.block()
    where = document.documentLayout().blockBoundingRect(block)  # (lays it out if not yet)
    line = block.layout().lineForTextPosition(cursor.selectionStart() - block.position())
    if not line.isValid():
        return None
    left = where.x() + line.x()
    table = cursor.currentTable()
    if table is None:
        right = _column_right(document)
    else:
        right = _right_limit(document, table, table.cellAt(cursor.selectionStart()), left)
    return max(1.0, right - block.blockFormat().rightMargin() - left)


def _column_right(document: QTextDocument) -> float:
    root = document.rootFrame().frameFormat()
    return document.textWidth() - root.rightMargin() - root.border() - root.padding()


def _right_limit(document: QTextDocument, table: QTextTable, cell: QTextTableCell,
                 left: float) -> float:  # fmt: skip
    """The rightmost x the content of ``cell`` may reach, from ``left``: the table's parent's
    limit less the table's and the cell's right border, padding and spacing; in a column
    before the last, an equal share of what lies right of ``left``."""
    parent = table.parentFrame()
    if isinstance(parent, QTextTable):
        outer = parent.cellAt(table.firstPosition() - 1)
        start = document.documentLayout().blockBoundingRect(outer.firstCursorPosition().block())
        limit = _right_limit(document, parent, outer, start.x())
    else:
        limit = _column_right(document)
    form, own = table.format(), cell.format().toTableCellFormat()
    padding = own.rightPadding() if own.hasProperty(_CELL_PADDING) else form.cellPadding()
    # (+1: a collapsed border is drawn half in the cell, and positions are rounded)
    inset = form.rightMargin() + form.border() + form.padding() + form.cellSpacing()
    inset += padding + own.rightBorder() + 1
    columns_after = table.columns() - (cell.column() + cell.columnSpan())
    if columns_after > 0:  # not the last column: an equal share of what is left to the right
        return left + (limit - left - (2 * inset) * columns_after) / (columns_after + 1) - inset
    return limit - inset
