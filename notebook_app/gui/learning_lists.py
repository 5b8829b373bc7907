"""Two small lists of entries in windows of their own: the reading queue and related entries.

* View > Reading Queue (Ctrl+Shift+Q): the notes waiting to be read, the oldest first, each with
  its source type, site and arXiv id; Enter opens one. Edit > Next to Read (Ctrl+Shift+N) opens
  the first without showing the list.
* Edit > Related Entries (Ctrl+Shift+J): the entries most like the open one by their words
  (the core's ``related_entries``), with the words they share; Enter opens one.

Both read on the read lane; the list is filled when the answer arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from notebook_app.core.api import EntrySummary, Notebook, plural

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(summary: EntrySummary, emoji: dict[str, str]) -> str:
    """A read as one line: type, title, site, arXiv id."""
    kind = summary.source_type.value if summary.source_type else ""
    arxiv = summary.arxiv
    details = [part for part in (summary.site, arxiv.label if arxiv else "") if part]
    text = f"{emoji.get(kind, '')} {summary.title}".strip()
    return text + (f"   — {' · '.join(details)}" if details else "")


def source_emoji() -> dict[str, str]:
    from notebook_app.core.api import SOURCE_EMOJI

    return {str(kind.value): emoji for kind, (emoji, _words) in SOURCE_EMOJI.items()}


class EntryListWindow(QDialog):
    """A titled list of entries; Enter (or a double click) opens the chosen one."""

    entryChosen = Signal(str)

    def __init__(
        self,
        name: str,
        title: str,
        submit: Callable[..., object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(560, 420)
        self._submit = submit
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.rows = QListWidget(self)
        self.rows.setObjectName(f"{name}List")
        self.rows.setAccessibleName(title)
        self.rows.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.rows, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self).activated.connect(self.close)

    def start(self, work: Callable[[Notebook], Any], fill: Callable[[Any], None]) -> None:
        """Show the window, read with ``work`` on the read lane, then ``fill`` it."""
        self.caption.setText("Reading…")
        self.rows.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        self.rows.setFocus()
        self._submit("read", work, done=fill, key=self.objectName())

    def show_rows(self, caption: str, rows: Sequence[tuple[str, str, str]]) -> None:
        """``rows``: (entry id, text, tooltip)."""
        self.caption.setText(caption)
        self.rows.clear()
        for entry_id, text, tip in rows:
            item = QListWidgetItem(text, self.rows)
            item.setData(ID_ROLE, entry_id)
            item.setToolTip(tip)
        if self.rows.count():
            self.rows.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        entry_id = item.data(ID_ROLE)
        if entry_id:
            self.entryChosen.emit(str(entry_id))


def show_queue(window: EntryListWindow) -> None:
    from notebook_app.core.api import queue_length, reading_queue

    def fill(found: tuple[list[EntrySummary], int]) -> None:
        rows, total = found
        emoji = source_emoji()
        caption = (
            f"{plural(total, 'note')} to read, the oldest first. Enter opens one; "
            "Ctrl+Shift+N opens the next from anywhere."
            if total
            else "Nothing to read: notes whose status is “to read” wait here."
        )
        window.show_rows(
            caption,
            [
                (s.id, f"{n}. {describe(s, emoji)}", s.url or "")
                for n, s in enumerate(rows, start=1)
            ],
        )

    window.start(lambda notebook: (reading_queue(notebook), queue_length(notebook)), fill)


def show_related(window: EntryListWindow, entry_id: str, title: str) -> None:
    from notebook_app.core.api import related_entries

    def fill(found: list[Any]) -> None:
        caption = (
            f"Entries most like “{title}” by their words (shared words after the dash)."
            if found
            else f"No entry shares distinctive words with “{title}”."
        )
        window.show_rows(
            caption,
            [
                (
                    r.entry.id,
                    f"{r.entry.title}   — {', '.join(r.shared[:6])}",
                    f"{r.entry.kind.value}; score {r.score:.2f}; shares: {', '.join(r.shared)}",
                )
                for r in found
            ],
        )

    window.start(lambda notebook: related_entries(notebook, entry_id), fill)
