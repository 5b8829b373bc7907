"""Nothing lost, damage caught: the window's side of the notebook file's safety.

* Every failure of a task on the runner passes through :meth:`NotebookSafety.translate` (on the
  worker): the core's ``explain_error`` puts an SQLite error in the user's words and
  remembers damage beside the notebook, so no later write opens the file.
* A damaged or read-only notebook (found at opening, by a read, a save or the daily backup's
  check) turns the window read-only: the banner says what is wrong, the editor keeps its text
  but takes no more, nothing more is written. Text typed and not yet stored is written to a
  recovery file beside the notebook (``NAME-unsaved-TIME.md``) and can be copied from the banner.
* The daily backup runs at start, after the first frame, on the "safety" lane; Check and
  Recover… run there too, behind a progress dialog. The GUI thread never waits for any of them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
)

from notebook_app.core.api import (
    DamagedNotebookError,
    Entry,
    NotebookError,
    ReadOnlyNotebookError,
)
from notebook_app.gui import settings as S
from notebook_app.gui.safety_banner import SafetyBanner

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

# Commands that write: off while the notebook is read-only or damaged.
WRITING_ACTIONS = ("newNote", "newTerm", "newMeeting", "quickCapture", "importFolder",
                   "importFile", "trashEntry", "restoreEntry", "undoTrash", "syncNow")  # fmt: skip


def write_unsaved(notebook: Path | None, entry: Entry, changes: dict[str, Any]) -> tuple[Path, str]:
    """On a worker: the entry as the pane shows it, as markdown, in a new file beside the
    notebook (or in the home folder when that folder cannot be written). Returns the file and
    the text."""
    from notebook_app.core.api import entry_as_markdown  # YAML: not needed at start-up

    text = entry_as_markdown(entry.replace(**changes))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = notebook.stem if notebook is not None else "notebook"
    folders = [notebook.parent] if notebook is not None else []
    for folder in [*folders, Path.home()]:
        target = folder / f"{stem}-unsaved-{stamp}-{entry.id[:8]}.md"
        try:
            with target.open("x", encoding="utf-8") as file:
                file.write(text)
        except OSError:
            continue
        return target, text
    raise OSError(f"no folder could take a copy of the unsaved text of {entry.title}")


class _Progress(QObject):
    moved = Signal(str)  # emitted on the worker: queued to the GUI thread


class NotebookSafety(QObject):
    """The banner, the read-only state, the backups and the Check/Recover commands."""

    reopen = Signal(object)  # a notebook path to open in this window's place (app.Session)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = window.runner
        self.path: Path | None = window.notebook.path
        self.read_only = False
        self.damage: str | None = None
        self.unsaved_text: str | None = None  # the markdown kept when a save was refused
        self.kept_in: Path | None = None  # ...and the file it was written to
        # Above the entry pane and the welcome page alike.
        self.banner = SafetyBanner(window.ui.entryColumn)
        window.ui.entryColumnLayout.insertWidget(0, self.banner)
        self.banner.checkClicked.connect(self.check)
        self.banner.recoverClicked.connect(self.recover)
        self.banner.backupsClicked.connect(self.show_backups)
        self.banner.copyClicked.connect(self.copy_unsaved)
        self.runner.add_lane("safety", lambda: None)  # backups, checks, recovery: their own thread
        self.runner.translate = self.translate
        self.runner.failure.connect(self.found)
        window.editing.shown.connect(self._lock_form)

    def open_instead(self, path: Path) -> None:
        """Ask for ``path`` to be opened in this window's place, once the task that asks is
        over: closing the window waits for its lanes, this task's among them."""
        QTimer.singleShot(0, lambda: self.reopen.emit(path))

    # --- settings --------------------------------------------------------------------------------

    def backup_options(self) -> dict[str, Any]:
        settings = self.window.settings
        folder = settings.get(S.BACKUP_FOLDER)
        megabytes = settings.get(S.BACKUP_MAX_MB)
        return {
            "folder": Path(folder).expanduser() if folder else None,
            "max_bytes": megabytes * 1_000_000 if megabytes > 0 else None,
        }

    # --- errors --------------------------------------------------------------------------------

    def translate(self, error: Exception) -> Exception:
        """On the worker that failed: SQLite's error in the user's words; damage remembered."""
        from notebook_app.core.api import explain_error

        return explain_error(error, self.path)

    @contextlib.contextmanager
    def start_up_reads(self) -> Iterator[None]:
        """The reads before the first frame (on the GUI thread): damage met there is shown in
        the banner of a window that opens anyway, not as a traceback."""
        from notebook_app.core.api import StorageError

        try:
            yield
        except StorageError as error:
            self.found(self.translate(error))

    def found(self, error: object) -> None:
        """A failure seen anywhere: damage or a read-only file turns the window read-only."""
        if isinstance(error, DamagedNotebookError):
            if self.damage is None:
                self.show_damage(error.detail or self._recorded_damage() or "damage found")
        elif isinstance(error, ReadOnlyNotebookError):
            self.banner.show_read_only()
            self._refuse_writes("the notebook is read-only")

    def _recorded_damage(self) -> str:
        """What the damage mark beside the notebook says, as "found DAY by WHAT: WHY"."""
        from notebook_app.core.api import known_damage

        found = known_damage(self.path) if self.path is not None else None
        if not found:
            return ""
        stamp, utc, rest = found.partition(" UTC: ")  # "2026-11-26 03:01 UTC: by check: …"
        return f"found {stamp.split(' ')[0]} {rest}" if utc else found

    def show_damage(self, detail: str) -> None:
        self.damage = detail
        self.banner.show_damaged(
            f"This notebook is damaged ({detail.rstrip('.')}). It is open for reading only: "
            "nothing more is written into it."
        )
        self._refuse_writes("the notebook is damaged")

    def _refuse_writes(self, reason: str) -> None:
        editing = self.window.editing
        if self.read_only:
            return
        self.read_only = True
        if editing.dirty:
            self.keep_unsaved()
        editing.refuse_saves(reason)
        for name in WRITING_ACTIONS:
            self.window.named_actions[name].setEnabled(False)
        self._lock_form()

    def _lock_form(self) -> None:
        """No typing into a notebook that cannot store it; the text stays to read and copy."""
        if not self.read_only:
            return
        pane = self.window.ui.entryPane
        for line in pane.findChildren(QLineEdit):
            line.setReadOnly(True)
        for text in pane.findChildren(QPlainTextEdit):
            text.setReadOnly(True)
        for widget in (*pane.findChildren(QComboBox), *pane.findChildren(QAbstractSpinBox)):
            widget.setEnabled(False)

    # --- what was typed and could not be stored ----------------------------------------------

    def keep_unsaved(self) -> None:
        """Write the open entry as the pane shows it to a recovery file (on a worker)."""
        editing = self.window.editing
        entry = editing.current
        if entry is None:
            return
        changes = self.window.form.changes()
        self.unsaved_text = None

        def kept(result: tuple[Path, str]) -> None:
            self.kept_in, self.unsaved_text = result
            beside = self.path is not None and self.kept_in.parent == self.path.parent
            where = f"{self.kept_in.name}, beside the notebook" if beside else str(self.kept_in)
            self.banner.offer_copy(f"Your unsaved text is kept in {where}.")
            self.banner.setToolTip(str(self.kept_in))
            self.window.say(f"Your unsaved text is kept in {self.kept_in}.", 15000)

        self.runner.submit(
            "safety", lambda _c: write_unsaved(self.path, entry, changes), done=kept,
            failed=lambda error: self.window.say(f"The unsaved text could not be written to a "
                                                 f"file ({error}): copy it from the editor.", 0),
        )  # fmt: skip

    def copy_unsaved(self) -> None:
        if self.unsaved_text is not None:
            QGuiApplication.clipboard().setText(self.unsaved_text)
            self.window.say("The unsaved text is on the clipboard, as markdown.", 6000)

    # --- backups -------------------------------------------------------------------------------

    def start(self) -> None:
        """After the first frame: the daily backup, on the safety lane (a read-only or damaged
        notebook does not change, so it needs none)."""
        path = self.path
        if path is None or self.read_only:
            return
        from notebook_app.core.api import backup_if_due

        options = self.backup_options()

        def made(backup: Any) -> None:
            if backup is not None and backup.damaged:
                self.show_damage(f"the check of today's backup found damage; {backup.name}")

        def not_made(error: Exception) -> None:
            if not isinstance(error, DamagedNotebookError):
                self.window.say(f"No daily backup was made: {_reason(error)}", 10000)

        self.runner.submit("safety", lambda _c: backup_if_due(path, **options),
                           done=made, failed=not_made)  # fmt: skip

    def backup_before_import(self) -> None:
        """On the transfer lane, before an import is applied (as the command line does)."""
        if self.path is None:
            return
        from notebook_app.core.api import backup_before

        try:
            backup_before(self.path, "import", folder=self.backup_options()["folder"])
        except OSError as error:
            raise NotebookError(
                f"no backup could be made before importing ({_reason(error)}); nothing was imported"
            ) from None

    def show_backups(self) -> None:
        from notebook_app.gui.backups_dialog import BackupsDialog

        if self.path is not None:
            BackupsDialog(self, self.window).open_listing()

    def edit_backup_settings(self) -> None:
        from notebook_app.gui.backups_dialog import BackupSettingsDialog

        BackupSettingsDialog(self.window.settings, self.window).exec()

    # --- check and recover ---------------------------------------------------------------------

    def run_with_progress(
        self, title: str, work: Callable[[Callable[[str], None]], Any],
        done: Callable[[Any], None], lane: str = "safety",
    ) -> None:  # fmt: skip
        """``work(say)`` on a worker behind a progress dialog (no Cancel: these cannot stop
        halfway); ``done(result)`` back here, failures in a message box."""
        dialog = QProgressDialog(title, None, 0, 0, self.window)  # type: ignore[call-overload]
        dialog.setObjectName("safetyProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        progress = _Progress(dialog)
        progress.moved.connect(lambda what: dialog.setLabelText(f"{title}\n{what}"))

        def finished(result: Any) -> None:
            dialog.reset()
            dialog.deleteLater()
            done(result)

        def failed(error: Exception) -> None:
            dialog.reset()
            dialog.deleteLater()
            QMessageBox.warning(self.window, title.rstrip("…"), _reason(error))

        self.runner.submit(lane, lambda _c: work(progress.moved.emit), done=finished,
                           failed=failed)  # fmt: skip

    def check(self) -> None:
        path = self.path
        if path is None:
            return
        from notebook_app.core.api import check_notebook

        def checked(report: Any) -> None:
            if report.sound:
                text = (f"No damage found: {report.entries} entries; checked "
                        f"{', '.join(report.checked)}.")  # fmt: skip
                if self.damage is not None:
                    text += "\n\nThe damage mark is cleared. Open the notebook again to edit it?"
                    if _ask(self.window, "Check", text, "Open Again"):
                        self.open_instead(path)
                    return
                QMessageBox.information(self.window, "Check", text)
                return
            if self.damage is None:
                self.show_damage(report.problems[0])
            box = QMessageBox(QMessageBox.Icon.Warning, "Check",
                              f"The notebook is damaged ({len(report.problems)} problems). "
                              "Recover what can be read into a new notebook, or restore a "
                              "backup.", parent=self.window)  # fmt: skip
            box.setDetailedText("\n".join(report.problems))
            box.exec()

        def work(say: Callable[[str], None]) -> Any:
            return check_notebook(path, progress=lambda done, total: say(
                f"copying: {100 * done // max(total, 1)}%"))  # fmt: skip

        self.run_with_progress("Checking the notebook…", work, checked)

    def recover(self) -> None:
        path = self.path
        if path is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, "Recover into a new notebook",
            str(path.with_name(f"{path.stem}-recovered.db")), "Notebooks (*.db);;All files (*)",
        )  # fmt: skip
        if chosen:
            self.start_recover(Path(chosen))

    def start_recover(self, target: Path) -> None:
        from notebook_app.core.api import recover_notebook

        assert self.path is not None
        source = self.path

        def recovered(report: Any) -> None:
            text = "\n".join(report.lines())
            if _ask(self.window, "Recover", f"{text}\n\nOpen the recovered notebook?", "Open"):
                self.open_instead(target)

        self.run_with_progress(
            "Recovering the notebook…",
            lambda say: recover_notebook(source, target, progress=lambda t: say(f"reading {t}")),
            recovered,
        )


def _ask(parent: Any, title: str, text: str, accept: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename or ''}".rstrip(": ")
    return str(error)
