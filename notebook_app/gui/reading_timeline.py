"""View > Reading Activity: the activity chart over a year, and the reads as a timeline.

The window reads once, on the read lane: the year's statistics (``reading_stats``) and its reads
(``reads_on`` over the whole window). The timeline groups the reads by day, week or month (a
header per group with its count), each row with its source type (the reading log's emoji and
the chart's colour), its site and its status. Clicking a bar or a day of the chart (or Enter on
one picked with the arrows) narrows the timeline to that week or day; Esc shows the whole year
again, then closes. Enter on a read opens it in the main window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from notebook_app.core.api import (
    GROUPINGS,
    EntrySummary,
    Notebook,
    group_header,
    group_start,
    plural,
)
from notebook_app.gui.activity_chart import TYPE_COLOURS, ActivityChart

if TYPE_CHECKING:
    from notebook_app.core.api import ReadingStats

MAX_ROWS = 1_000  # rows the timeline lists at once; a narrower period shows the rest
LAST_TWELVE_MONTHS = 0  # the year choice meaning "the 53 weeks up to today"
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineRow:
    """A read as the timeline shows it (its text made on the read lane, not the GUI thread)."""

    id: str
    day: dt.date
    source_type: str  # "none" without one
    text: str  # the type's emoji, the title, then site, arXiv id and status
    tip: str


@dataclasses.dataclass(frozen=True, slots=True)
class Activity:
    stats: ReadingStats
    rows: list[TimelineRow]  # the year's latest reads (MAX_ROWS at most), the latest first
    years: list[int]  # the years with reads, latest first


def timeline_row(summary: EntrySummary, emoji: dict[str, str]) -> TimelineRow:
    kind = summary.source_type.value if summary.source_type else "none"
    arxiv = summary.arxiv
    details = [part for part in (summary.site, arxiv.label if arxiv else "") if part]
    if summary.reading_status is not None:
        details.append(summary.reading_status.value)
    text = f"{emoji.get(kind, '')} {summary.title}".strip()
    if details:
        text += f"   — {' · '.join(details)}"
    tip = f"{kind}: {summary.title}\n{summary.url or ''}".strip()
    return TimelineRow(summary.id, summary.day, kind, text, tip)


def read_activity(notebook: Notebook, year: int, today: dt.date) -> Activity:
    """A year of statistics and reads (``year`` 0: the last twelve months, or the latest year
    with reads when those are empty), and the years there are (on the read lane)."""
    from notebook_app.core.api import last_read_day, read_years, reading_stats

    if year == LAST_TWELVE_MONTHS:
        stats = reading_stats(notebook, until=today)
        if not stats.total:
            latest = last_read_day(notebook)
            if latest is not None and latest < stats.first:
                stats = reading_stats(notebook, until=dt.date(latest.year, 12, 31))
    else:
        stats = reading_stats(notebook, until=min(dt.date(year, 12, 31), today))
    return Activity(stats, read_rows(notebook, stats.first, stats.last), read_years(notebook))


def read_rows(notebook: Notebook, first: dt.date, last: dt.date) -> list[TimelineRow]:
    """The latest ``MAX_ROWS`` reads from ``first`` to ``last`` as rows (on the read lane)."""
    from notebook_app.core.api import SOURCE_EMOJI, latest_reads

    emoji = {str(kind.value): mark for kind, (mark, _words) in SOURCE_EMOJI.items()}
    return [timeline_row(s, emoji) for s in latest_reads(notebook, first, last, MAX_ROWS)]


def period_query(first: dt.date, last: dt.date) -> str:
    """The query language's words for the notes of a period (``before:`` is exclusive)."""
    return f"kind:note after:{first.isoformat()} before:{(last + dt.timedelta(1)).isoformat()}"


def type_icon(source_type: str) -> QIcon:
    """A square of the type's colour in the chart (the legend's key)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(TYPE_COLOURS.get(source_type, TYPE_COLOURS["none"])))
    return QIcon(pixmap)


class ReadingActivity(QDialog):
    entryChosen = Signal(str)
    # A search for the main list: the notes of the chosen period (Show in Entry List).
    searchChosen = Signal(str)

    def __init__(
        self,
        submit: Callable[..., object],
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readingActivity")
        self.setWindowTitle("Reading Activity")
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(900, 720)
        self._submit, self._today = submit, today
        self.stats: ReadingStats | None = None
        self.reads: list[TimelineRow] = []  # the rows listed now (the year's, or a period's)
        self.year_reads: list[TimelineRow] = []  # the year's latest reads
        self.period: tuple[dt.date, dt.date] | None = None
        self._icons: dict[str, QIcon] = {}
        self.year_box = QComboBox(self)
        self.year_box.setAccessibleName("Year")
        self.year_box.addItem("Last 12 months", LAST_TWELVE_MONTHS)
        self.year_box.activated.connect(lambda _i: self.load(self.year_box.currentData()))
        self.group_box = QComboBox(self)
        self.group_box.setAccessibleName("Group the reads by")
        for name in GROUPINGS:
            self.group_box.addItem(f"By {name.lower()}", name)
        self.group_box.setCurrentIndex(1)
        self.group_box.activated.connect(lambda _i: self.fill())
        self.summary = QLabel(self)
        self.chart = ActivityChart(self)
        self.chart.describe = self._titles_of
        self.chart.periodChosen.connect(self.narrow)
        self.filter_label = QLabel(self)
        self.timeline = QTreeView(self)
        self.timeline.setObjectName("readingTimeline")
        self.timeline.setAccessibleName("Reads by day read")
        self.timeline.setHeaderHidden(True)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.model = QStandardItemModel(self)
        self.timeline.setModel(self.model)
        self.timeline.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(_buddy("&Year:", self.year_box))
        top.addWidget(self.year_box)
        top.addWidget(self.summary, 1)
        top.addWidget(_buddy("&Group:", self.group_box))
        top.addWidget(self.group_box)
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_label, 1)
        self.in_list_button = QPushButton("Show in Entry &List", self)
        self.in_list_button.setToolTip(
            "Search the main window's list for the notes of this period (to-read ones included)"
        )
        self.in_list_button.setEnabled(False)
        self.in_list_button.clicked.connect(self._show_in_list)
        filter_row.addWidget(self.in_list_button)
        below_layout.addLayout(filter_row)
        below_layout.addWidget(self.timeline)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.chart)
        splitter.addWidget(below)
        splitter.setSizes([320, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self).activated.connect(self.close)

    # --- data ------------------------------------------------------------------------------

    def start(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.load(self.year_box.currentData())
        self.chart.setFocus()

    def load(self, year: int) -> None:
        today = self._today()
        self.summary.setText("Counting…")
        self._submit(
            "read",
            lambda notebook: read_activity(notebook, year, today),
            done=self.show_activity,
            key="readingActivity",
        )

    def show_activity(self, found: Activity) -> None:
        self.stats, self.reads = found.stats, found.rows
        self.year_reads = found.rows
        chosen = self.year_box.currentData()
        self.year_box.clear()
        self.year_box.addItem("Last 12 months", LAST_TWELVE_MONTHS)
        for year in found.years:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(max(self.year_box.findData(chosen), 0))
        stats = self.stats
        self.summary.setText(
            f"{plural(stats.total, 'read')} from {stats.first:%d %b %Y} to {stats.last:%d %b %Y}"
        )
        self.chart.set_stats(stats)
        self.period = None
        self.fill()

    def _titles_of(self, first: dt.date, last: dt.date) -> str:
        """The reads of a hovered period, from the rows at hand (the year's latest): a period
        older than those shows only its counts."""
        loaded = self.year_reads
        complete = self.stats is not None and len(loaded) >= self.stats.total
        if not loaded or (not complete and first <= loaded[-1].day):
            return ""
        titles = [row.text for row in loaded if first <= row.day <= last]
        shown = "\n".join(f"• {title}" for title in titles[:8])
        return shown + (f"\n… and {len(titles) - 8} more" if len(titles) > 8 else "")

    # --- the timeline ----------------------------------------------------------------------

    def narrow(self, first: dt.date, last: dt.date) -> None:
        """The chart's bar or day chosen: the timeline shows that period's reads (read on the
        read lane: the year's rows at hand may not reach back to it)."""
        self.period = (first, last)
        self.filter_label.setText("Reading…")
        self._submit("read", lambda notebook: read_rows(notebook, first, last),
                     done=self._show_period, key="readingTimeline")  # fmt: skip

    def _show_period(self, rows: list[TimelineRow]) -> None:
        if self.period is not None:
            self.reads = rows
            self.fill()

    def period_total(self) -> int:
        """How many reads the period (or the year) holds, from the chart's numbers."""
        stats = self.stats
        if stats is None:
            return 0
        if self.period is None:
            return stats.total
        first, last = self.period
        return sum(count for day, count in stats.days.items() if first <= day <= last)

    def shown_reads(self) -> list[TimelineRow]:
        return self.reads

    def fill(self) -> None:
        reads = self.shown_reads()
        grouping = self.group_box.currentData() or "Week"
        self.model.clear()
        root = self.model.invisibleRootItem()
        groups: dict[dt.date, QStandardItem] = {}
        counts: dict[dt.date, int] = {}
        for read in reads[:MAX_ROWS]:
            start = group_start(read.day, grouping)
            group = groups.get(start)
            if group is None:
                group = groups[start] = QStandardItem(group_header(start, grouping))
                font = group.font()
                font.setBold(True)
                group.setFont(font)
                group.setSelectable(False)
                root.appendRow(group)
            counts[start] = counts.get(start, 0) + 1
            group.appendRow(self._row(read))
        for start, group in groups.items():
            group.setText(f"{group.text()} · {counts[start]}")
        self.timeline.expandAll()
        total = self.period_total()
        if self.period is None:
            said = f"All {plural(total, 'read')} of the year."
        else:
            first, last = self.period
            when = f"{first:%a %d %b %Y}" if first == last else f"{first:%d %b} – {last:%d %b %Y}"
            said = f"{plural(total, 'read')}, {when}. Esc shows the whole year."
        if total > len(reads):
            said += f" The latest {len(reads):,} are listed: choose a week in the chart for others."
        self.filter_label.setText(said)
        self.in_list_button.setEnabled(self.period is not None)

    def _show_in_list(self) -> None:
        if self.period is not None:
            self.searchChosen.emit(period_query(*self.period))

    def _row(self, read: TimelineRow) -> QStandardItem:
        icon = self._icons.get(read.source_type)
        if icon is None:
            icon = self._icons[read.source_type] = type_icon(read.source_type)
        item = QStandardItem(icon, read.text)
        item.setData(read.id, ID_ROLE)
        item.setToolTip(read.tip)
        return item

    def _activated(self, index: QModelIndex) -> None:
        entry_id = index.data(ID_ROLE)
        if entry_id:
            self.entryChosen.emit(str(entry_id))

    def reject(self) -> None:
        """Esc: first back to the whole year, then close."""
        if self.period is not None:
            self.period = None
            self.reads = self.year_reads
            self.chart.picked = None
            self.chart.update()
            self.fill()
            return
        super().reject()


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A label whose Alt+letter goes to ``widget``."""
    label = QLabel(text, widget.parentWidget())
    label.setBuddy(widget)
    return label
