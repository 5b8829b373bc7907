"""The open entry's history (Edit > Entry History…, Ctrl+Shift+H): its revisions, newest
first, each with a unified diff against the text in the editor, and Restore.

The revisions are read on the read lane. Restore first hands what was typed to a save (so it
is in the history too: nothing typed is lost), then restores on the write lane, behind that
save, through the open entry; the restored entry is shown once it is stored.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from notebook_app.core.api import Entry, Revision
    from notebook_app.gui.open_entry import OpenEntry
    from notebook_app.gui.tasks import TaskRunner


def revision_text(entry: Entry) -> str:
    """What a diff compares: the title, then the body (and a meeting's action items)."""
    parts = [f"# {entry.title}", "", entry.body]
    if entry.action_items:
        parts += ["", "Action items:", entry.action_items]
    return "\n".join(parts)


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=2
    )
    return "\n".join(lines) or "No differences: this revision is the same as the text now."


class _DiffHighlighter(QSyntaxHighlighter):
    """Added lines green, removed lines red, hunk headers muted."""

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        colour = None
        if text.startswith(("+++", "---")):
            colour = "#888888"
        elif text.startswith("+"):
            colour = "#2e9e52"
        elif text.startswith("-"):
            colour = "#d93025"
        elif text.startswith("@@"):
            colour = "#3b78e7"
        if colour:
            char = QTextCharFormat()
            char.setForeground(QColor(colour))
            self.setFormat(0, len(text), char)


class HistoryDialog(QDialog):
    """The revisions of the open entry, the diff of the one chosen, and Restore."""

    def __init__(
        self,
        editing: OpenEntry,
        runner: TaskRunner,
        current_text: Callable[[], Entry],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.editing, self.runner, self._current = editing, runner, current_text
        self.revisions: list[Revision] = []
        entry = editing.current
        assert entry is not None
        self.entry_id = entry.id
        self.setWindowTitle(f"History of {entry.title}")
        self.resize(900, 600)
        self.status = QLabel("Reading the history…", self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Revisions")
        self.diff = QPlainTextEdit(self, readOnly=True)
        self.diff.setAccessibleName("Changes since this revision")
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.diff.setFont(QFont(mono))
        self._highlighter = _DiffHighlighter(self.diff.document())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.diff)
        splitter.setSizes([260, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton(
            "&Restore This Revision", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show_diff)
        self.list.itemActivated.connect(lambda _item: self.restore())
        entry_id = self.entry_id
        runner.submit(
            "read",
            lambda notebook: notebook.history(entry_id),
            done=self._arrived,
            failed=lambda error: self.status.setText(f"Could not read the history: {error}"),
            key="history",
        )

    def _arrived(self, revisions: list[Revision]) -> None:
        self.revisions = revisions
        if not revisions:
            self.status.setText("No earlier versions: the history starts with the next change.")
            return
        count = f"{len(revisions)} earlier version{'s' if len(revisions) > 1 else ''}"
        self.status.setText(
            f"{count}, newest first. The diff shows what changed from the version chosen "
            "to the text in the editor now. Enter or Restore makes it the text again."
        )
        for revision in revisions:
            saved = revision.saved.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            words = len(revision.entry.body.split())
            item = QListWidgetItem(f"{saved}\n{revision.title} · {words:,} words")
            item.setToolTip(revision.title)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.setFocus()
        self.restore_button.setEnabled(True)

    def _show_diff(self, row: int) -> None:
        if not 0 <= row < len(self.revisions):
            self.diff.setPlainText("")
            return
        revision = self.revisions[row]
        saved = revision.saved.astimezone().strftime("%Y-%m-%d %H:%M")
        self.diff.setPlainText(
            unified_diff(
                revision_text(revision.entry), revision_text(self._current()), saved, "now"
            )
        )

    def restore(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.revisions):
            return
        revision_id = self.revisions[row].id
        self.restore_button.setEnabled(False)
        restore_revision(self.editing, self.entry_id, revision_id, done=self.accept)


def restore_revision(
    editing: OpenEntry, entry_id: str, revision_id: int, done: Callable[[], Any] | None = None
) -> None:
    """Restore a revision of the open entry: what was typed is saved first (the write lane
    keeps the order), so it stays in the history; then the restored entry is shown."""
    editing.flush()
    versions = editing.versions

    def work(notebook: Any) -> Entry:
        restored: Entry = notebook.restore_revision(entry_id, revision_id)
        versions[entry_id] = restored.version  # the base of the next save (write lane only)
        return restored

    def restored(entry: Entry) -> None:
        current = editing.current
        if current is not None and current.id == entry.id and not editing.dirty:
            editing.show(entry)
        editing.message.emit("Restored the earlier version; the text before is in history.", 6000)
        editing.stored.emit(entry, True)
        if done is not None:
            done()

    editing.write(
        entry_id,
        work,
        done=restored,
        failed=lambda error: editing.message.emit(f"Not restored: {error}", 8000),
    )
