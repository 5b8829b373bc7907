"""File > Sync Now and File > Sync Folder…: the core's two-way sync (core/sync) with the folder
the settings name, on the task runner's "transfer" lane (never the GUI thread), with its
progress and its one-line result in the status bar.

A sync can also run on a timer while the window is open (``SYNC_INTERVAL_MINUTES``, 0 is off),
and after saves (``SYNC_AFTER_SAVE``: once no save has come for :data:`AFTER_SAVE_MS`, so a
typing burst, saved every second, makes one sync):
such a sync says its result in the status bar only, while Sync Now also shows the conflicts and
the files it passed over in a box (each conflict keeps both versions; the box says where).
Nothing here is loaded but this module at start-up: the sync's core and the job class come on
first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from notebook_app.gui import settings as S

if TYPE_CHECKING:
    from notebook_app.core.api import Notebook
    from notebook_app.gui.main_window import MainWindow


AFTER_SAVE_MS = 10_000


class SyncControl(QObject):
    """The window's sync: one at a time, on the transfer lane."""

    changed = Signal()  # the sync changed the notebook
    finished = Signal(str)  # the one-line result (or the one-line problem)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.running = False
        self.last_report: Any = None
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.timeout.connect(lambda: self.sync_now(quiet=True))
        self.after_save = QTimer(self, singleShot=True, interval=AFTER_SAVE_MS)
        self.after_save.setObjectName("syncAfterSave")
        self.after_save.timeout.connect(lambda: self.sync_now(quiet=True))
        self.apply_interval()

    def saved(self) -> None:
        """An entry was saved: sync once saves pause, if the settings ask for it."""
        if self.window.settings.get(S.SYNC_AFTER_SAVE) and self.folder() is not None:
            self.after_save.start()

    def folder(self) -> Path | None:
        chosen = self.window.settings.get(S.SYNC_FOLDER)
        return Path(chosen) if chosen else None

    def apply_interval(self) -> None:
        minutes = self.window.settings.get(S.SYNC_INTERVAL_MINUTES)
        if minutes > 0 and self.folder() is not None:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def choose_folder(self) -> bool:
        """Ask for the folder to keep in sync (File > Sync Folder…); True if one was chosen."""
        start = str(self.folder() or Path.home())
        chosen = QFileDialog.getExistingDirectory(self.window, "Folder to keep in sync", start)
        if not chosen:
            return False
        self.window.settings.set(S.SYNC_FOLDER, chosen)
        self.apply_interval()
        self.window.say(f"Sync folder: {chosen} (File > Sync Now syncs it)", 8000)
        return True

    def sync_now(self, *, quiet: bool = False) -> None:
        """Sync with the folder (asked for first if none is set); ``quiet`` (the timer) says
        the result in the status bar only, and never asks."""
        if self.window.editing.refused:
            return  # read-only or damaged: Sync Now is off, and the timers do nothing
        if self.running:
            if not quiet:
                self.window.say("A sync is running already.", 4000)
            return
        folder = self.folder()
        if folder is None:
            if quiet or not self.choose_folder():
                return
            folder = self.folder()
            assert folder is not None
        from notebook_app.gui.transfer import TransferJob  # first use only (start-up time)

        def work(notebook: Notebook, progress: Any) -> object:
            from notebook_app.core.api import sync_folder

            return sync_folder(notebook, folder, progress=progress)

        job = TransferJob(work)
        name = folder.name
        job.progressed.connect(
            lambda done, total, _what: self.window.say(f"Syncing with {name}… {done}/{total}")
        )
        job.succeeded.connect(lambda report: self._done(report, quiet))
        job.failed.connect(self._failed)
        self.running = True
        self._job = job  # kept alive until it reports
        self.window.say(f"Syncing with {folder}…")
        job.start(self.window.runner)

    def _done(self, report: Any, quiet: bool) -> None:
        self.running = False
        self.last_report = report
        line = report.line()
        if report.conflicts:
            line += f" (conflict: {report.conflicts[0][0]}; both versions kept)"
        self.window.say(line[0].upper() + line[1:], 15000)
        if report.changed or report.conflicts:
            self.changed.emit()
        self.finished.emit(line)
        if not quiet and (report.conflicts or report.skipped or report.later):
            box = QMessageBox(QMessageBox.Icon.Information, "Sync", line, parent=self.window)
            box.setObjectName("syncReport")
            box.setInformativeText(
                "A conflict keeps both versions: the notebook's in the file, the folder's "
                "beside it (NAME.sync-conflict-….md) and in the entry's history."
                if report.conflicts else "Some files were passed over; the details say why."
            )  # fmt: skip
            box.setDetailedText(report.summary())
            box.open()  # not modal-blocking: the window stays live

    def _failed(self, reason: str) -> None:
        self.running = False
        self.window.say(f"Sync failed: {reason}", 15000)
        self.finished.emit(reason)


def install_sync(window: MainWindow) -> SyncControl:
    """The window's sync control; a sync that changed the notebook refreshes what it shows."""
    control = SyncControl(window)
    control.changed.connect(lambda: window.editing.check_outside_changes(force=True))
    window.editing.stored.connect(lambda *_: control.saved())
    return control
