"""The entry pane kept true to the list: the welcome page when no entry is open, an entry the
list no longer shows closed, and the status bar's word on fields that were not saved.

* No entry open: the welcome page (welcome_page.py) stands in the pane's place, not a grey
  form. Moving an entry to the trash opens the next one at once, so the page waits a moment
  (``WELCOME_DELAY_MS``) before it shows.
* After the user changes the list (view, tags, search text), an open entry the list does not
  show is closed, saved first: a Glossary view never edits a note, an empty Trash shows no
  term, a search without the entry does not leave it open.
* A field a save could not use (a date that is not a date) is marked in the form, the status
  bar's save state says which, and its message leaves the status bar once it is fixed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QStackedWidget, QWidget

from notebook_app.core.api import Entry, InvalidEntryError
from notebook_app.gui.entry_form import Binding, split_tags
from notebook_app.gui.entry_form import _read as read_field
from notebook_app.gui.search_marks import SearchMarks

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.welcome_page import WelcomePage

INVALID_STYLE = "border: 1px solid #d93025;"
WELCOME_DELAY_MS = 150  # an entry opened within this is shown without the page in between


class EntryStack:
    """The entry pane and the welcome page in its place, in the form's ``entryStack``: one shows
    at a time. The page (and its module) is made the first time it is shown: a start that opens
    an entry never is. (The stack is in the form rather than made here: moving the built entry
    pane into a new stack made the style sheet resolve its whole subtree again at start-up.)"""

    def __init__(
        self, stack: QStackedWidget, pane: QWidget, actions: Mapping[str, QAction]
    ) -> None:
        self.widget, self.pane, self._actions = stack, pane, actions

    @cached_property
    def page(self) -> WelcomePage:
        from notebook_app.gui.welcome_page import WelcomePage

        page = WelcomePage(self._actions)
        self.widget.addWidget(page)
        return page

    def show_entry(self, shown: bool, has_entries: bool) -> None:
        if shown:
            self.widget.setCurrentWidget(self.pane)
        else:
            self.page.say(has_entries)
            self.widget.setCurrentWidget(self.page)


class PaneSync(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        ui = window.ui
        self.stack = EntryStack(ui.entryStack, ui.entryPane, window.named_actions)
        self._timer = QTimer(self, singleShot=True, interval=WELCOME_DELAY_MS)
        self._timer.timeout.connect(self._show_entry_or_welcome)
        self._problem_said = ""  # the status bar's message about fields not saved
        self._stored_at: dict[str, float] = {}  # when each entry's last save landed
        self.marks = SearchMarks(window)
        # The outline shows while it is wanted (View > Outline, Ctrl+4) and has headings.
        dock = ui.outlineDock
        dock.setFeatures(dock.features() & ~QDockWidget.DockWidgetFeature.DockWidgetClosable)
        window.preview.rendered.connect(lambda _token: self.fit_outline())
        window.editing.shown.connect(self.fit_outline)

    # --- the welcome page ----------------------------------------------------------------------

    def entry_shown(self, now: bool = False) -> None:
        """The form for an entry; the welcome page when none is open (after a moment, or
        ``now``)."""
        for binding in self.window.form.bindings:
            mark_invalid(binding.widget, False)  # the marks were the last entry's
        if self.window.editing.current is not None:
            self._timer.stop()
            self.stack.show_entry(True, True)
        elif now:
            self._show_entry_or_welcome()
        else:
            self._timer.start()

    def _show_entry_or_welcome(self) -> None:
        entry_list = self.window.entry_list
        # "Welcome" only to an empty notebook: an empty view or search is not one.
        scope, searching = entry_list.current_scope(), entry_list.ui.searchBox.text().strip()
        filtered = bool(searching or scope.tags or scope.kinds or scope.trashed)
        has_entries = entry_list.entries.rowCount() > 0 or filtered
        self.stack.show_entry(self.window.editing.wanted_id is not None, has_entries)

    def fit_outline(self) -> None:
        """Show the outline only when it is wanted and has something to show: an empty one
        would take a column from the editor and preview."""
        wanted = self.window.named_actions["showOutline"].isChecked()
        has_headings = self.window.ui.outline.topLevelItemCount() > 0
        shown = wanted and has_headings and self.window.editing.current is not None
        dock = self.window.ui.outlineDock
        if dock.isHidden() == shown:
            dock.setVisible(shown)

    # --- an entry the list left out ------------------------------------------------------------

    def close_if_not_listed(self) -> None:
        """After the user changed the list: close an open entry it does not show (saved
        first), so the pane never edits what the list has left out.

        An entry outside the view (another kind, the trash, without the chosen tags, as the
        form holds them now) is closed at once. One inside it but missing from the rows (a
        search without it) is closed only when the rows are sure: not while its own save is
        on the way or landed after they were asked for (a new entry), nor while further pages
        may hold it."""
        editing, entry_list = self.window.editing, self.window.entry_list
        entry = editing.current
        if entry is None or editing.wanted_id != entry.id:
            return
        tags, _invalid = split_tags(self.window.ui.tagsEdit.text())
        if not entry_list.matches_scope(entry.kind, tags, entry.trashed is not None):
            editing.show(None)
            return
        if entry_list.entries.row_of(entry.id) is not None:
            return
        if entry_list.entries.canFetchMore() and not entry_list.ui.searchBox.text().strip():
            # Back to the whole view (Esc in the search box): the open entry's row, however
            # far down, as at start. (A search keeps its best matches in view.)
            entry_list.reveal_open_entry()
            return
        if editing.has_pending_writes():
            return
        if self._stored_at.get(entry.id, 0.0) > entry_list.shown_asked_at:
            return
        if not entry_list.entries.canFetchMore():
            editing.show(None)

    # --- fields a save could not use -----------------------------------------------------------

    def stored(self, entry: Entry, _tags_changed: bool = False) -> None:
        """A save landed: mark the fields it could not use (open_entry.py says so in the save
        state), and once there are none, take the message about them off the status bar."""
        self._stored_at[entry.id] = time.monotonic()
        form, bar = self.window.form, self.window.statusBar()
        for binding in form.bindings:
            mark_invalid(binding.widget, form.kind in binding.kinds and not _readable(binding))
        problems = "; ".join(form.problems)
        if problems:
            self._problem_said = problems
        elif self._problem_said:
            if self._problem_said in bar.currentMessage():
                bar.clearMessage()
            self._problem_said = ""


def _readable(binding: Binding) -> bool:
    try:
        read_field(binding)
    except InvalidEntryError:
        return False
    return True


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red frame on a field whose text cannot be used (``invalid`` property for styles)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet(INVALID_STYLE if invalid else "")
    widget.setToolTip("Not saved: not a valid value" if invalid else "")
