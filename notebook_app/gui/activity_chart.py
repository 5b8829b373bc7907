"""The reading activity chart, drawn with QPainter (no plotting library, no web engine).

Two parts over the same 53 weeks of ``ReadingStats`` (core/papers/stats.py):

* reads per week as bars stacked by source type (a colour per type, the legend below);
* a calendar heatmap: a column per week, a cell per day (Monday on top), darker with more reads.

Where each bar, stack and cell sits is worked out once per data or size change (``_lay_out``),
so a repaint only fills rectangles. Hovering a bar or a cell shows its period's counts (and the
titles, which the owner supplies through ``describe``); clicking it, or Enter on the week or
day picked with the arrow keys, emits ``periodChosen(first, last)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from notebook_app.core.api import plural

if TYPE_CHECKING:
    from notebook_app.core.api import ReadingStats

# One colour per source type (readable on light and dark backgrounds), in the stacks' order.
TYPE_COLOURS: dict[str, str] = {
    "paper": "#4e79a7",
    "post": "#f28e2b",
    "book": "#59a14f",
    "resource": "#76b7b2",
    "code": "#e15759",
    "video": "#b07aa1",
    "podcast": "#edc948",
    "course": "#ff9da7",
    "other": "#9c755f",
    "none": "#bab0ac",
}
HEAT = "#2e8b57"  # the heatmap's hue; its strength follows the day's reads
MARGIN = 8
LABEL_WIDTH = 34  # the axis labels on the left
BARS_SHARE = 0.52  # of the height (less the legend), for the weekly bars
LEGEND_HEIGHT = 22
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """Something that can be hovered or clicked: a week's bar or a day's cell."""

    rect: QRectF
    first: dt.date
    last: dt.date
    count: int
    label: str


class ActivityChart(QWidget):
    periodChosen = Signal(object, object)  # first day, last day (dt.date)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityChart")
        self.setAccessibleName("Reading activity chart")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.stats: ReadingStats | None = None
        # (rect, colour) pairs to fill, and the axis and month labels: made by _lay_out.
        self._stacks: list[tuple[QRectF, QColor]] = []
        self._cells: list[tuple[QRectF, QColor]] = []
        self._labels: list[tuple[QRectF, str, Qt.AlignmentFlag]] = []
        self.weeks: list[Target] = []
        self.days: list[Target] = []
        self.picked: Target | None = None  # the keyboard's week or day (arrows, Enter)
        # Extra words for a hovered period (the titles read), given by the owner.
        self.describe: Callable[[dt.date, dt.date], str] = lambda _first, _last: ""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(760, 300)

    def set_stats(self, stats: ReadingStats) -> None:
        self.stats = stats
        self.picked = None
        self._lay_out()
        self.update()

    # --- geometry ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._lay_out()

    def _lay_out(self) -> None:
        self._stacks, self._cells, self._labels, self.weeks, self.days = [], [], [], [], []
        stats = self.stats
        if stats is None or not stats.weeks:
            return
        width = self.width() - 2 * MARGIN - LABEL_WIDTH
        height = self.height() - 2 * MARGIN - LEGEND_HEIGHT
        columns = len(stats.weeks)
        step = width / columns
        left = MARGIN + LABEL_WIDTH
        bars_height = height * BARS_SHARE - 14
        bars_bottom = MARGIN + bars_height
        busiest = max(stats.busiest_week, 1)
        colours = {name: QColor(value) for name, value in TYPE_COLOURS.items()}
        self._labels.append(
            (
                QRectF(MARGIN, MARGIN - 6, LABEL_WIDTH - 4, 14),
                str(busiest),
                Qt.AlignmentFlag.AlignRight,
            )
        )
        self._labels.append(
            (QRectF(MARGIN, bars_bottom - 8, LABEL_WIDTH - 4, 14), "0", Qt.AlignmentFlag.AlignRight)
        )
        for column, week in enumerate(stats.weeks):
            x = left + column * step
            top = bars_bottom
            for name, count in week.by_type.items():
                piece = bars_height * count / busiest
                top -= piece
                rect = QRectF(x + 1, top, max(step - 2, 1), piece)
                self._stacks.append((rect, colours.get(name, colours["none"])))
            rect = QRectF(x, MARGIN, step, bars_height)
            last = min(week.start + dt.timedelta(days=6), stats.last)
            kinds = ", ".join(f"{count} {name}" for name, count in week.by_type.items())
            label = f"Week {week.label} ({week.start:%d %b}): {_reads(week.total)}"
            self.weeks.append(
                Target(rect, week.start, last, week.total, label + (f" ({kinds})" if kinds else ""))
            )
            if week.start.day <= 7:  # the first week of a month names it
                self._labels.append(
                    (
                        QRectF(x, bars_bottom + 1, 40, 13),
                        MONTHS[week.start.month - 1],
                        Qt.AlignmentFlag.AlignLeft,
                    )
                )
        heat_top = bars_bottom + 18
        cell = min(step, (MARGIN + height - heat_top) / 7)
        peak = max(stats.days.values(), default=1)
        base = QColor(HEAT)
        empty = self.palette().color(QPalette.ColorRole.AlternateBase)
        for column, week in enumerate(stats.weeks):
            for weekday in range(7):
                day = week.start + dt.timedelta(days=weekday)
                if day > stats.last:
                    break
                count = stats.days.get(day, 0)
                rect = QRectF(
                    left + column * step + 1,
                    heat_top + weekday * cell + 1,
                    max(cell - 2, 1),
                    max(cell - 2, 1),
                )
                colour = QColor(base) if count else empty
                if count:
                    colour.setAlphaF(0.25 + 0.75 * count / peak)
                self._cells.append((rect, colour))
                self.days.append(
                    Target(rect, day, day, count, f"{day:%a %d %b %Y}: {_reads(count)}")
                )
        for weekday, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            self._labels.append(
                (
                    QRectF(MARGIN, heat_top + weekday * cell, LABEL_WIDTH - 4, cell),
                    name,
                    Qt.AlignmentFlag.AlignRight,
                )
            )
        x = left
        legend_top = self.height() - MARGIN - LEGEND_HEIGHT + 6
        for name, count in stats.by_type.items():
            self._stacks.append(
                (QRectF(x, legend_top + 3, 10, 10), colours.get(name, colours["none"]))
            )
            text = f"{name} {count}"
            self._labels.append(
                (QRectF(x + 14, legend_top, 110, 16), text, Qt.AlignmentFlag.AlignLeft)
            )
            x += 24 + self.fontMetrics().horizontalAdvance(text)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            self.paint(painter)
        finally:
            painter.end()

    def paint(self, painter: QPainter) -> None:
        """Everything the chart shows (also what the benchmark times)."""
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if not self.weeks:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No reads in this year.")
            return
        painter.setPen(Qt.PenStyle.NoPen)
        for rect, colour in self._stacks:
            painter.fillRect(rect, colour)
        for rect, colour in self._cells:
            painter.fillRect(rect, colour)
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(text)
        axis_x = MARGIN + LABEL_WIDTH - 1
        painter.drawLine(
            QPointF(axis_x, self.weeks[0].rect.top()), QPointF(axis_x, self.weeks[0].rect.bottom())
        )
        for rect, label, align in self._labels:
            painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, label)
        picked = self.picked
        if picked is not None:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(picked.rect.adjusted(-1, -1, 1, 1))

    # --- pointing and keys ---------------------------------------------------------------------

    def target_at(self, point: QPointF | QPoint) -> Target | None:
        where = QPointF(point)
        for target in (*self.weeks, *self.days):
            if target.rect.contains(where):
                return target
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        target = self.target_at(event.position())
        if target is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self._tip(target), self)

    def _tip(self, target: Target) -> str:
        more = self.describe(target.first, target.last) if target.count else ""
        return target.label + (f"\n{more}" if more else "")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        target = self.target_at(event.position())
        if target is not None and event.button() == Qt.MouseButton.LeftButton:
            self.choose(target)

    def choose(self, target: Target) -> None:
        self.picked = target
        self.update()
        self.periodChosen.emit(target.first, target.last)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        if self.picked is None and self.weeks:
            self.picked = self.weeks[-1]
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Left/Right: the week (or day) before or after; Down/Up: from the weeks to the days
        and back; Enter: filter to it."""
        key, picked = event.key(), self.picked
        if picked is None or not self.weeks:
            super().keyPressEvent(event)
            return
        row = self.weeks if picked in self.weeks else self.days
        index = row.index(picked)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            index += -1 if key == Qt.Key.Key_Left else 1
            self.picked = row[min(max(index, 0), len(row) - 1)]
        elif key == Qt.Key.Key_Down and row is self.weeks:
            week_start = picked.first
            self.picked = next((d for d in self.days if d.first >= week_start), self.days[-1])
        elif key == Qt.Key.Key_Up and row is self.days:
            self.picked = next(w for w in self.weeks if w.first <= picked.first <= w.last)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.choose(picked)
            return
        else:
            super().keyPressEvent(event)
            return
        self.update()
        if self.picked is not None:
            tip_at = self.mapToGlobal(self.picked.rect.center().toPoint())
            QToolTip.showText(tip_at, self._tip(self.picked), self)


def _reads(count: int) -> str:
    return plural(count, "read")
