"""The commands on entries: new, move to the trash and back, copy as markdown.

Their writes go through ``OpenEntry.write``: on the write lane, after the saves of what was
typed, and never on the GUI thread.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from notebook_app.core.api import Entry, Kind
from notebook_app.gui.entry_form import EntryForm
from notebook_app.gui.entry_list import ListPane
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.open_entry import OpenEntry

NEW_TITLES = {Kind.NOTE: "New note", Kind.TERM: "New term", Kind.MEETING: "New meeting"}


class EntryCommands(QObject):
    message = Signal(str, int)
    undoAvailable = Signal(bool)  # whether Undo Move to Trash has something to undo

    def __init__(
        self, ui: Ui_MainWindow, form: EntryForm, editing: OpenEntry, entry_list: ListPane
    ) -> None:
        super().__init__(editing)
        self.ui, self.form, self.editing, self.entry_list = ui, form, editing, entry_list
        self._trashed_ids: list[str] = []

    def new_entry(self, kind: Kind) -> None:
        """A new entry, shown at once with the focus in its title; stored on a worker."""
        if self.editing.refused:
            return  # read-only or damaged: the actions are off, and so is this
        # In the sidebar's chosen folder, if any (its file goes there on export and sync).
        entry = Entry(kind=kind, title=NEW_TITLES[kind], folder=self.entry_list.folder or None)
        if kind is Kind.MEETING:
            entry.met_on = dt.date.today()  # as quick capture's "m:" does
        self.editing.start_new(entry)
        self.entry_list.show_kind(kind)
        self.ui.titleEdit.setText("")
        self.ui.titleEdit.setPlaceholderText(NEW_TITLES[kind])
        self.form.focus_title()

    def trash_current(self) -> None:
        entry = self.editing.current
        if entry is None or entry.trashed is not None or self.editing.refused:
            return
        row = self.ui.entryList.currentIndex().row()
        self.editing.show(None)  # saves what was typed first (the write lane keeps the order)

        def trashed(_result: object) -> None:
            self._trashed_ids.append(entry.id)
            self.undoAvailable.emit(True)
            self.entry_list.reload_tags()
            self.entry_list.apply_query(then=lambda: self.entry_list.select_row(
                min(max(row, 0), self.entry_list.entries.rowCount() - 1)
            ))  # fmt: skip
            self.message.emit("Moved to the trash. Undo with Ctrl+Z.", 8000)

        self.editing.write(entry.id, lambda notebook: notebook.trash(entry.id), done=trashed,
                           failed=self._failed)  # fmt: skip
        self.ui.entryList.setFocus()

    def undo_trash(self) -> None:
        if not self._trashed_ids or self.editing.refused:
            return
        entry_id = self._trashed_ids.pop()
        self.undoAvailable.emit(bool(self._trashed_ids))

        def restored(_result: object) -> None:
            self.entry_list.reload_tags()
            # The list read again first: the entry is back in the view it left, which stays
            # (opening it before would find it missing and widen the list to All).
            self.entry_list.apply_query(then=lambda: self.editing.open(entry_id))
            self.message.emit("Restored from the trash.", 5000)

        self.editing.write(
            entry_id,
            lambda notebook: notebook.restore(entry_id),
            done=restored,
            failed=lambda _error: None,
        )  # gone for good meanwhile: nothing to do

    def restore_current(self) -> None:
        entry = self.editing.current
        if entry is None or entry.trashed is None or self.editing.refused:
            return

        def restored(_result: object) -> None:
            self.entry_list.reload_tags()
            self.entry_list.apply_query()
            self.editing.open(entry.id, reveal=False)
            self.message.emit("Restored from the trash.", 5000)

        self.editing.write(entry.id, lambda notebook: notebook.restore(entry.id), done=restored,
                           failed=self._failed)  # fmt: skip

    def _failed(self, error: Exception) -> None:
        self.message.emit(str(error), 8000)

    def copy_as_markdown(self) -> None:
        entry = self.editing.current
        if entry is None:
            return
        from notebook_app.core.api import entry_as_markdown  # not needed at start-up

        shown = entry.replace(**self.form.changes())  # what the pane shows, saved or not
        QGuiApplication.clipboard().setText(entry_as_markdown(shown))
        self.message.emit("Copied as markdown.", 4000)
