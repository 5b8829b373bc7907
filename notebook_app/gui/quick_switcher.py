"""The quick switcher (Ctrl+P): type part of a title, arrows to choose, Enter to open.

It asks ``find(text, show)`` for the titles matching what is typed; the window's ``find`` reads
them on a worker (newest request wins) and calls ``show(summaries)`` back on the GUI thread.
"""

from __future__ import annotations

import collections
import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from notebook_app.core.api import EntrySummary, Kind
from notebook_app.gui.empty_hint import EmptyHint


def describe(summary: EntrySummary) -> str:
    """What tells an entry from another of the same title: kind, day, source, tags."""
    parts = [summary.kind.value, summary.day.isoformat()]
    if summary.source_type is not None:
        parts.append(summary.source_type.value)
    parts += [f"#{tag}" for tag in summary.tags[:3]]
    return " · ".join(parts)


Find = Callable[[str, Callable[[list[EntrySummary]], None]], object]


class QuickSwitcher(QDialog):
    """A small frameless list over the window, fed by ``find(text, show)``."""

    entryChosen = Signal(str)

    def __init__(
        self,
        find: Find,
        icons: dict[Kind, QIcon],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setObjectName("quickSwitcher")
        self.setWindowTitle("Go to entry")
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self._find = find
        self._icons = icons
        self.input = QLineEdit(self)
        self.input.setObjectName("quickSwitcherInput")
        self.input.setPlaceholderText("Go to entry by title…")
        self.results = QListWidget(self)
        self.results.setObjectName("quickSwitcherResults")
        # Said in the empty list, as the entry list says it: nothing matches what is typed.
        self.empty_hint = EmptyHint(self.results.viewport())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.input)
        layout.addWidget(self.results)
        self.resize(560, 360)
        self.input.textChanged.connect(self._update)
        self.input.installEventFilter(self)
        self.results.itemActivated.connect(self._choose)

    def open_switcher(self) -> None:
        self.input.clear()
        self._update("")
        parent = self.parentWidget()
        if parent is not None:
            top_left = parent.geometry().topLeft()
            self.move(top_left.x() + (parent.width() - self.width()) // 2, top_left.y() + 80)
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus()

    def _update(self, text: str) -> None:
        self._find(text, self._show)

    def _show(self, summaries: list[EntrySummary]) -> None:
        self.results.clear()
        titles = collections.Counter(summary.title.casefold() for summary in summaries)
        for summary in summaries:
            text = summary.title
            if titles[summary.title.casefold()] > 1:  # two of that title: say which is which
                text += f"   —   {describe(summary)}"
            item = QListWidgetItem(self._icons.get(summary.kind, QIcon()), text)
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(describe(summary))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
            self.empty_hint.hide()
        elif text := self.input.text().strip():
            self.empty_hint.say(f"No entry matches “{html.escape(text)}”.")
        else:
            self.empty_hint.say("Nothing here yet.")  # an empty notebook

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Up/Down/PageUp/PageDown typed in the input move through the results.
        if watched is self.input and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            key = event.key()
            moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8,
                     Qt.Key.Key_PageUp: -8}  # fmt: skip
            if key in moves and self.results.count():
                row = self.results.currentRow() + moves[Qt.Key(key)]
                self.results.setCurrentRow(max(0, min(self.results.count() - 1, row)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem()
                if item is not None:
                    self._choose(item)
                return True
        return super().eventFilter(watched, event)

    def _choose(self, item: QListWidgetItem) -> None:
        entry_id = item.data(Qt.ItemDataRole.UserRole)
        self.hide()
        self.entryChosen.emit(entry_id)
