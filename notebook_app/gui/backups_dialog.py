"""File > Backups… (the notebook's backups, and Restore) and File > Backup Settings….

The listing is read and a restore is run on workers: the dialog shows when the list arrives,
and a restore waits on the write lane behind the window's own saves. ``restore_backup`` keeps
the notebook as it was aside in the backups folder first; the window then opens the notebook
again, so every pane shows the restored entries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from notebook_app.gui import settings as S
from notebook_app.gui.settings import Settings

if TYPE_CHECKING:
    from notebook_app.gui.safety import NotebookSafety

_ROLE = Qt.ItemDataRole.UserRole


class BackupsDialog(QDialog):
    """The backups, newest first: time, reason, size; Restore… puts the chosen one in place."""

    def __init__(self, safety: NotebookSafety, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups")
        self.safety = safety
        self.resize(560, 360)
        layout = QVBoxLayout(self)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("backupList")
        self.tree.setHeaderLabels(["Time", "Reason", "Size"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 220)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setObjectName("restoreBackup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_chosen)
        self.tree.itemActivated.connect(lambda _item, _column: self.restore_chosen())
        layout.addWidget(buttons)

    def open_listing(self) -> None:
        """Read the list on the safety lane; the dialog opens when it arrives."""
        from notebook_app.core.api import list_backups

        path, folder = self.safety.path, self.safety.backup_options()["folder"]
        assert path is not None
        self.where.setText(f"In {folder or path.parent / 'backups'}:")
        self.safety.runner.submit(
            "safety", lambda _c: list_backups(path, folder), done=self.show_backups
        )

    def show_backups(self, backups: list[Any]) -> None:
        self.tree.clear()
        for backup in backups:
            when = backup.time.astimezone().strftime("%Y-%m-%d %H:%M")
            item = QTreeWidgetItem([when, backup.reason, f"{backup.size / 1e6:.1f} MB"])
            item.setData(0, _ROLE, backup)
            item.setToolTip(0, backup.name)
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self.where.setText(f"{self.where.text()} no backups yet.")
        self.restore_button.setEnabled(bool(backups))
        self.tree.setFocus()
        self.open()

    def restore_chosen(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        backup = item.data(0, _ROLE)
        if self.safety.read_only and self.safety.damage is None:
            QMessageBox.information(self, "Restore", "This notebook is read-only: a backup "
                                    "cannot be restored into it.")  # fmt: skip
            return
        answer = QMessageBox.question(
            self, "Restore",
            f"Put the backup of {item.text(0)} ({backup.reason}) in place of the notebook?\n\n"
            "The notebook as it is now is kept in the backups folder first.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Ok:
            self.accept()
            restore(self.safety, backup)


def restore(safety: NotebookSafety, backup: Any) -> None:
    """Restore ``backup`` on the write lane (after the window's pending saves), then open the
    notebook again."""
    from notebook_app.core.api import restore_backup

    window, path = safety.window, safety.path
    assert path is not None
    folder = safety.backup_options()["folder"]
    window.editing.flush()

    def restored(aside: Path | None) -> None:
        kept = f" The notebook as it was is kept in {aside}." if aside else ""
        window.say(f"Restored the backup {backup.name}.{kept}", 15000)
        safety.open_instead(path)

    safety.run_with_progress(
        "Restoring the backup…",
        lambda _say: restore_backup(path, backup, folder=folder),
        restored,
        lane="write",
    )


class BackupSettingsDialog(QDialog):
    """Where backups go and how much room they may take."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupSettings")
        self.setWindowTitle("Backup Settings")
        self.settings = settings
        form = QFormLayout(self)
        self.folder = QLineEdit(settings.get(S.BACKUP_FOLDER), self)
        self.folder.setPlaceholderText("a “backups” folder beside the notebook")
        choose = QPushButton("C&hoose…", self)
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form.addRow("Backups &folder:", row)
        self.size_limit = QSpinBox(self)
        self.size_limit.setRange(0, 10_000_000)
        self.size_limit.setSuffix(" MB")
        self.size_limit.setSpecialValueText("No limit")
        self.size_limit.setValue(settings.get(S.BACKUP_MAX_MB))
        form.addRow("&Largest total size:", self.size_limit)
        note = QLabel("A backup is made each day, before every import and before the notebook "
                      "is updated by a new version; the command line uses the folder beside "
                      "the notebook.", self)  # fmt: skip
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Backups folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def accept(self) -> None:
        self.settings.set(S.BACKUP_FOLDER, self.folder.text().strip())
        self.settings.set(S.BACKUP_MAX_MB, self.size_limit.value())
        super().accept()
