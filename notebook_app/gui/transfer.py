"""File > Import and File > Export in the window: the core's import and export, run on the task
runner's "transfer" lane behind a progress dialog that can be cancelled.

The lane has its own connection to the notebook file (SQLite connections stay on their
thread). An import is previewed (counts, duplicates, problems) before anything is written, and
is applied in one transaction, so a cancel or an error leaves the notebook as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox, QProgressDialog, QWidget

from notebook_app.core.api import (
    ImportPlan,
    Notebook,
    Scope,
    apply_import,
    attachment_files,
    combined_document,
    export_vault,
    plan_import,
    plural,
    select_entries,
)
from notebook_app.gui.tasks import TaskRunner


class TransferJob(QObject):
    """``work(notebook, progress)`` on the runner's "transfer" lane; reports back by signals.
    ``progress`` returns False once ``cancelled`` is set, and the core then stops."""

    progressed = Signal(int, int, str)  # emitted on the worker: queued to the GUI thread
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Notebook, Any], object]) -> None:
        super().__init__()
        self.work = work
        self.cancelled = threading.Event()

    def progress(self, done: int, total: int, what: str) -> bool:
        self.progressed.emit(done, total, what)
        return not self.cancelled.is_set()

    def start(self, runner: TaskRunner) -> None:
        runner.submit(
            "transfer", lambda notebook: self.work(notebook, self.progress),
            done=self.succeeded.emit, failed=lambda error: self.failed.emit(_reason(error)),
        )  # fmt: skip


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"{error.strerror or error}: {error.filename or ''}"
    return str(error)


class Transfers(QObject):
    """The import and export commands of one window."""

    changed = Signal()  # the notebook changed (after an import)
    message = Signal(str)  # a line for the status bar

    def __init__(
        self, window: QWidget, runner: TaskRunner, before_import: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        # On the transfer lane before an import is applied: the import backup (as the command
        # line makes it; no backup, no import).
        self.before_import = before_import
        self.jobs: list[TransferJob] = []

    # --- running jobs --------------------------------------------------------------------------

    def _run(
        self,
        title: str,
        work: Callable[[Notebook, Any], object],
        done: Callable[[object], None],
    ) -> TransferJob:
        job = TransferJob(work)
        dialog = QProgressDialog(title, "Cancel", 0, 0, self.window)
        dialog.setObjectName("transferProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick jobs finish without a flash of dialog

        def progressed(count: int, total: int, what: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(count, max(total, 1)))
            dialog.setLabelText(f"{title}\n{what[:80]}")

        def finished_ok(result: object) -> None:
            self.jobs.remove(job)
            dialog.reset()
            done(result)

        def finished_badly(reason: str) -> None:
            self.jobs.remove(job)
            dialog.reset()
            QMessageBox.warning(self.window, title, reason)

        job.progressed.connect(progressed)
        job.succeeded.connect(finished_ok)
        job.failed.connect(finished_badly)
        dialog.canceled.connect(job.cancelled.set)
        self.jobs.append(job)
        job.start(self.runner)
        return job

    def wait(self) -> None:
        """Let running jobs finish (the window's close, and tests)."""
        self.runner.wait(timeout=600)

    # --- import --------------------------------------------------------------------------------

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of markdown files")
        if folder:
            self.start_import(Path(folder))

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import a file",
            "",
            "Markdown, text or BibTeX (*.md *.markdown *.txt *.bib);;All (*)",
        )
        if path:
            self.start_import(Path(path))

    def start_import(self, source: Path, *, confirm: bool = True) -> TransferJob:
        def planned(result: object) -> None:
            assert isinstance(result, ImportPlan)
            self._confirm_import(result, confirm)

        return self._run(
            f"Reading {source.name}…",
            lambda notebook, progress: plan_import(notebook, source, progress),
            planned,
        )

    def _confirm_import(self, plan: ImportPlan, confirm: bool) -> None:
        if not plan.ok:
            # The file chosen cannot be imported (in a folder, such files are skipped).
            failure = plan.failures[0]
            box = QMessageBox(QMessageBox.Icon.Warning, "Nothing imported",
                              f"This file cannot be imported:\n\n{failure.path}: {failure.reason}",
                              parent=self.window)  # fmt: skip
            box.setDetailedText(plan.summary())
            box.exec()
            return
        if not plan.new and not plan.updates:
            QMessageBox.information(self.window, "Import", "Nothing new to import.\n\n"
                                    + plan.summary())  # fmt: skip
            return
        if confirm:
            counts = plan.counts_by_kind()
            box = QMessageBox(
                QMessageBox.Icon.Question, "Import",
                f"Import {len(plan.new)} new and update {len(plan.updates)} entries?\n\n"
                f"{counts['note']} notes, {counts['term']} terms, {counts['meeting']} meetings"
                + (f"\n{len(plan.duplicates)} duplicates skipped" if plan.duplicates else "")
                + (f"\n{notices}: see Show Details" if (notices := plan.notices()) else ""),
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                self.window,
            )  # fmt: skip
            box.setObjectName("importPreview")
            box.setDetailedText(plan.summary())
            if box.exec() != QMessageBox.StandardButton.Ok:
                return

        def applied(result: object) -> None:
            self.changed.emit()
            self.message.emit(
                f"Imported {plural(len(plan.new), 'entry')}, updated {len(plan.updates)}."
            )

        def work(notebook: Notebook, progress: Any) -> object:
            progress(0, 0, "backing up the notebook first")
            self.before_import()
            return apply_import(notebook, plan, progress)

        self._run("Importing…", work, applied)

    # --- export --------------------------------------------------------------------------------

    def _choose_entries(
        self, query: str, scope: Scope, title: str, counted: str
    ) -> tuple[str, Scope] | None:
        """With a view, tag, folder or search chosen: the list, or the whole notebook? Each
        button says which (a Yes / No under "(No exports the whole notebook.)" had to be
        read twice), and Enter takes the list, as before."""
        if not query.strip() and scope == Scope():
            return query, scope
        box = QMessageBox(
            QMessageBox.Icon.Question, title, "Export the current list or the whole notebook?",
            QMessageBox.StandardButton.Cancel, self.window,
        )  # fmt: skip
        listed = box.addButton(
            f"The Current &List ({counted})" if counted else "The Current &List",
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton("The &Whole Notebook", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(listed)
        box.exec()
        clicked = box.clickedButton()
        if clicked is None or clicked is box.button(QMessageBox.StandardButton.Cancel):
            return None
        return (query, scope) if clicked is listed else ("", Scope())

    def export_vault(self, query: str, scope: Scope, counted: str = "") -> None:
        """``counted``: the list's count as shown ("4 entries"), for the question."""
        chosen = self._choose_entries(query, scope, "Export", counted)
        if chosen is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Export to a folder")
        if folder:
            self.start_export_vault(Path(folder), *chosen)

    def start_export_vault(self, folder: Path, query: str, scope: Scope) -> TransferJob:
        def work(notebook: Notebook, progress: Any) -> object:
            from notebook_app.core.api import review_front_matter

            entries = list(select_entries(notebook, query, scope))
            whole = not query.strip() and scope == Scope()  # attachments: all, or the entries'
            files = attachment_files(notebook, None if whole else [e.id for e in entries])
            return export_vault(
                entries, folder, progress, attachments=files,
                extra_front_matter=review_front_matter(notebook),
            )  # fmt: skip

        return self._run(
            "Exporting…", work,
            lambda report: self.message.emit(
                f"Exported {plural(getattr(report, 'files', 0), 'entry')} to {folder}"
            ),
        )  # fmt: skip

    def export_combined(self, query: str, scope: Scope, counted: str = "") -> None:
        chosen = self._choose_entries(query, scope, "Export combined document", counted)
        if chosen is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export one combined document", "notebook.md", "Markdown (*.md)"
        )
        if not path:
            return
        anonymise = QMessageBox(QMessageBox.Icon.Question, "Export combined document",
                                "Write the combined document?",
                                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                                self.window)  # fmt: skip
        checkbox = QCheckBox("Anonymise meeting participants")
        anonymise.setCheckBox(checkbox)
        if anonymise.exec() != QMessageBox.StandardButton.Ok:
            return
        self.start_export_combined(Path(path), *chosen, anonymise=checkbox.isChecked())

    def start_export_combined(
        self, path: Path, query: str, scope: Scope, *, anonymise: bool
    ) -> TransferJob:
        def work(notebook: Notebook, progress: Any) -> object:
            entries = list(select_entries(notebook, query, scope))
            path.write_text(combined_document(entries, anonymise=anonymise), encoding="utf-8")
            return len(entries)

        return self._run(
            "Exporting…", work,
            lambda count: self.message.emit(f"Wrote {count} entries to {path}"),
        )  # fmt: skip
