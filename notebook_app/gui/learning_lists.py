"""Two small lists of entries in windows of their own: the reading queue and related entries.

* View > Reading Queue (Ctrl+Shift+Q): the notes waiting to be read in the user's order (the
  core's ``reading_queue``: the placed ones, then the oldest first), each with its source type,
  site and arXiv id; Enter opens one; Ctrl+Shift+Up / Down move the selected note one place, at
  once in the list, stored on the write lane (``move_in_queue``). Edit > Next to Read
  (Ctrl+Shift+N) opens the first without showing the list.
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
        """``rows``: (entry id, text, tooltip). The selected entry stays selected, if listed."""
        current = self.rows.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self.caption.setText(caption)
        self.rows.clear()
        for entry_id, text, tip in rows:
            item = QListWidgetItem(text, self.rows)
            item.setData(ID_ROLE, entry_id)
            item.setToolTip(tip)
        ids = [entry_id for entry_id, _text, _tip in rows]
        if ids:
            self.rows.setCurrentRow(ids.index(keep) if keep in ids else 0)

    def selected_id(self) -> str | None:
        item = self.rows.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def _activated(self, item: QListWidgetItem) -> None:
        entry_id = item.data(ID_ROLE)
        if entry_id:
            self.entryChosen.emit(str(entry_id))


class QueueWindow(EntryListWindow):
    """The reading queue; Ctrl+Shift+Up / Down move the selected note one place."""

    message = Signal(str, int)

    def __init__(
        self,
        submit: Callable[..., object],
        write: Callable[..., None],
        parent: QWidget | None = None,
    ) -> None:
        """``submit``: the runner's ``submit`` (for reads); ``write``: ``OpenEntry.write``."""
        super().__init__("readingQueue", "Reading Queue", submit, parent)
        self._write = write
        self._moves = 0  # moves asked for and not stored yet: the list is read after the last
        for keys, step in (("Ctrl+Shift+Up", -1), ("Ctrl+Shift+Down", 1)):
            key = QShortcut(QKeySequence(keys), self.rows)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(lambda step=step: self.move_selected(step))

    def show_queue(self) -> None:
        """Show the window and read the queue into it."""
        self.start(_read_queue, self._fill)

    def reload(self) -> None:
        self._submit("read", _read_queue, done=self._fill, key=self.objectName())

    def _fill(self, found: tuple[list[EntrySummary], int]) -> None:
        rows, total = found
        emoji = source_emoji()
        caption = (
            f"{plural(total, 'note')} to read, in your order: Ctrl+Shift+Up / Down move the "
            "selected one. Enter opens one; Ctrl+Shift+N opens the first from anywhere."
            if total
            else "Nothing to read: notes whose status is “to read” wait here."
        )
        self.show_rows(
            caption,
            [
                (s.id, f"{n}. {describe(s, emoji)}", s.url or "")
                for n, s in enumerate(rows, start=1)
            ],
        )

    def move_selected(self, step: int) -> None:
        """The selected note one place up (-1) or down (1): moved in the list now, kept
        selected, and stored after the note it now follows (or before the one it precedes)."""
        row = self.rows.currentRow()
        target = row + step
        if row < 0 or target < 0 or target >= self.rows.count():
            return
        moving = str(self.rows.item(row).data(ID_ROLE))
        anchor = str(self.rows.item(target).data(ID_ROLE))
        item = self.rows.takeItem(row)
        self.rows.insertItem(target, item)
        for n in range(min(row, target), max(row, target) + 1):
            shown = self.rows.item(n)
            shown.setText(f"{n + 1}. {shown.text().split('. ', 1)[1]}")
        self.rows.setCurrentRow(target)
        self._moves += 1

        def work(notebook: Notebook) -> int:
            from notebook_app.core.api import move_in_queue

            if step > 0:
                return move_in_queue(notebook, moving, after=anchor)
            return move_in_queue(notebook, moving, before=anchor)

        def done(place: int) -> None:
            self.message.emit(f"Moved to place {place} in the reading queue.", 3000)
            self._settled()

        def failed(error: Exception) -> None:
            self.message.emit(f"Not moved: {error}", 8000)
            self._settled()

        self._write(moving, work, done=done, failed=failed)

    def _settled(self) -> None:
        self._moves -= 1
        if not self._moves:
            self.reload()  # the stored order (another window may have changed the queue)


def _read_queue(notebook: Notebook) -> tuple[list[EntrySummary], int]:
    from notebook_app.core.api import queue_length, reading_queue

    return reading_queue(notebook), queue_length(notebook)


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
