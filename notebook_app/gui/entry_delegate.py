"""How a row of the entry list is drawn: icon, title, a line of details, and the search snippet.

The icon is the kind's, or for a note with a source type that type's (a paper, a video, a
podcast... look different in the list: resources/icons/source-*.svg). The details are the day,
where the note's link goes (``arXiv 2409.13373`` for an arXiv paper, else the site:
``youtube.com``), its status (reading, or learning for a term) and the tags: all from the row's
summary, with the link's label worked out once per URL.

A list sorted by day shows a header above the first row of each day, week or month
(``grouping``, View > Group by Day: gui/list_groups.py): drawn in that row's top band, so the
model, the selection and the keys know nothing of it."""

from __future__ import annotations

import functools

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from notebook_app.core.api import (
    EntrySummary,
    Kind,
    Snippet,
    Sort,
    SourceType,
    group_header,
    group_start,
)
from notebook_app.gui.entry_list_model import EntryListModel, EntryRoles
from notebook_app.gui.theme import source_icons

PADDING = 6
ICON = 18


@functools.lru_cache(maxsize=4096)
def link_label(url: str) -> str:
    """Where a link goes, as the list shows it: ``arXiv 2409.13373`` for an arXiv paper (its
    site says nothing more), else the site (``youtube.com``); cached: rows repaint often."""
    from notebook_app.core.api import arxiv_from_url, url_host

    arxiv = arxiv_from_url(url)
    return arxiv.label if arxiv is not None else (url_host(url) or "")


def details_text(summary: EntrySummary) -> str:
    """The row's second line: day · link · status, then the tags."""
    from notebook_app.core.api import choice_label

    status = summary.reading_status if summary.kind is Kind.NOTE else summary.learning_status
    parts = [
        summary.day.isoformat(),
        link_label(summary.url) if summary.url else "",
        choice_label(status).lower() if status is not None else "",  # the header's words
    ]
    head = " · ".join(part for part in parts if part)
    return "  ".join([head, *(f"#{tag}" for tag in summary.tags)])


class EntryDelegate(QStyledItemDelegate):
    _source_icons: dict[SourceType, QIcon] | None = None  # made at the first paint
    grouping = "none"  # "day", "week" or "month": headers in a list sorted by day

    def header(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        """The group header drawn above this row, if it starts a group of a list sorted by day
        (its day's group differs from the row above's). Read from the model's rows, not
        through ``data()``: the layout asks for every loaded row's height."""
        model = index.model()
        if self.grouping == "none" or not isinstance(model, EntryListModel):
            return None
        row, rows = index.row(), model.rows
        if model.order is not Sort.DAY or not 0 <= row < len(rows):
            return None
        grouping = self.grouping.title()
        start = group_start(rows[row].day, grouping)
        if row > 0 and group_start(rows[row - 1].day, grouping) == start:
            return None
        return group_header(start, grouping)

    def _header_height(self, option: QStyleOptionViewItem) -> int:
        return QFontMetrics(option.font).lineSpacing() + PADDING

    def icon(self, index: QModelIndex | QPersistentModelIndex) -> QIcon | None:
        """The row's icon: its source type's for a note that has one, else its kind's."""
        summary = index.data(EntryRoles.SUMMARY)
        note = isinstance(summary, EntrySummary) and summary.kind is Kind.NOTE
        if note and summary.source_type is not None:
            if self._source_icons is None:
                self._source_icons = source_icons()
            return self._source_icons[summary.source_type]
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        return icon if isinstance(icon, QIcon) else None

    def details(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """The text of the row's second line (elided to the row's width when drawn)."""
        summary = index.data(EntryRoles.SUMMARY)
        return details_text(summary) if isinstance(summary, EntrySummary) else ""

    def _lines(self, index: QModelIndex | QPersistentModelIndex) -> int:
        snippet = index.data(EntryRoles.SNIPPET)
        return 3 if isinstance(snippet, Snippet) and snippet.text else 2

    def sizeHint(  # noqa: N802 (Qt API)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        band = self._header_height(option) if self.header(index) is not None else 0
        return QSize(200, band + PADDING * 2 + line * self._lines(index) + 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        header = self.header(index)
        if header is not None:
            band = self._header_height(option)
            self._draw_header(painter, option, header, band)
            option = QStyleOptionViewItem(option)
            option.rect = option.rect.adjusted(0, band, 0, 0)  # the row below its header
        style = option.widget.style() if option.widget else None
        if style is not None:
            # The selection and hover background, as the platform draws it.
            base = QStyleOptionViewItem(option)
            self.initStyleOption(base, index)
            base.text = ""
            base.icon = base.icon.__class__()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        line = QFontMetrics(option.font).lineSpacing()
        icon = self.icon(index)
        if icon is not None:
            icon.paint(painter, QRect(rect.left(), rect.top() + 1, ICON, ICON))
        text_left = rect.left() + ICON + PADDING
        width = rect.right() - text_left

        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_color)
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(QRect(text_left, rect.top(), width, line), Qt.AlignmentFlag.AlignVCenter,
                         title)  # fmt: skip

        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1, 7))
        painter.setFont(small)
        painter.setPen(muted)
        details = QFontMetrics(small).elidedText(
            self.details(index), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(QRect(text_left, rect.top() + line, width, line),
                         Qt.AlignmentFlag.AlignVCenter, details)  # fmt: skip

        snippet = index.data(EntryRoles.SNIPPET)
        if isinstance(snippet, Snippet) and snippet.text:
            painter.setPen(text_color)
            self._draw_snippet(painter, snippet, small, text_left, rect.top() + 2 * line, width)
        painter.restore()

    def _draw_header(
        self, painter: QPainter, option: QStyleOptionViewItem, text: str, height: int
    ) -> None:
        """A band across the list, in the window's colours, with the group's name in bold."""
        band = QRect(option.rect.left(), option.rect.top(), option.rect.width(), height)
        palette = option.palette
        painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(band.adjusted(PADDING, 0, -PADDING, 0), Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                       band.width() - 2 * PADDING))  # fmt: skip

    def _draw_snippet(
        self, painter: QPainter, snippet: Snippet, font: QFont, left: int, top: int, width: int
    ) -> None:
        """One line of the snippet with the matches in bold, elided to the row's width."""
        metrics = QFontMetrics(font)
        text = metrics.elidedText(snippet.text, Qt.TextElideMode.ElideRight, width)
        layout = QTextLayout(text, font)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        ranges = []
        for start, end in snippet.highlights:
            if start < len(text):
                span = QTextLayout.FormatRange()
                span.start, span.length, span.format = start, min(end, len(text)) - start, bold
                ranges.append(span)
        layout.setFormats(ranges)
        layout.beginLayout()
        text_line = layout.createLine()
        text_line.setLineWidth(width)
        layout.endLayout()
        layout.draw(painter, QRect(left, top, width, metrics.lineSpacing()).topLeft())
