"""The open entry: opening it, saving it automatically, conflicts and changes made elsewhere.

Every read and write runs on the task runner (see ``tasks.py``), never on the GUI thread:
opening on the "read" lane, saves (and the commands' writes) on the "write" lane, in order.
While another process holds the notebook's write lock, a save simply waits on its worker: the
editor stays live, the status bar says "Waiting for the notebook…", and what is typed
meanwhile goes into the next save.

Autosave has a ceiling: a save is due 700 ms after the last keystroke, but never later than
one second after the first unsaved one, so typing without a pause is saved every second. It
also saves on leaving the entry pane, on opening another entry and on close.

A save made on a version that changed elsewhere is not lost: it is saved on top, and the other
version stays in the entry's history. Each save names its base version through ``versions``,
which only the write lane updates, so saves queued behind a lock follow one another.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Collection
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from notebook_app.core.api import (
    Entry,
    EntryNotFoundError,
    Notebook,
    NotebookBusyError,
    NotebookError,
    StaleEntryError,
)
from notebook_app.gui.entry_form import EntryForm
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.tasks import TaskRunner

AUTOSAVE_DELAY_MS = 700  # after the last keystroke
# After the first unsaved keystroke, however fast the typing: below a second, so that with the
# save's own commit a kill loses at most a second of typing.
AUTOSAVE_CEILING_MS = 800
RETRY_MS = 1000  # a save that could not get the write lock is tried again
WAITING_AFTER_MS = 300  # a save pending this long is said to be waiting
OUTSIDE_CHANGES_POLL_MS = 1000  # entries captured by other processes show within a second
WAITING = "Waiting for the notebook…"
IN_TRASH = "In the trash (restore with Ctrl+Shift+R)"


def save_entry(
    notebook: Notebook, versions: dict[str, int], entry: Entry, changes: dict[str, Any]
) -> tuple[Entry, str]:
    """On the write lane: store the form's ``changes`` to ``entry``. Returns the entry as
    stored and a message for the status bar ("" when all went as expected)."""
    base = versions.get(entry.id, entry.version)
    message = ""
    try:
        if base == 0:  # a new entry whose first store has not happened (or failed)
            saved = notebook.add(entry.replace(**changes))
        else:
            saved = notebook.update(entry.id, base, **changes)
    except StaleEntryError:
        # Changed elsewhere since we loaded it: keep the user's text on top; the other
        # version is kept in the entry's history, not lost.
        latest = notebook.get(entry.id)
        saved = notebook.update(latest.id, latest.version, checkpoint=True, **changes)
        message = "Saved over a change made elsewhere; the other version is in history."
    except EntryNotFoundError:
        # Purged elsewhere while open: store the text again as the same entry.
        saved = notebook.add(entry.replace(**changes, trashed=None, version=0))
        message = "This entry had been deleted elsewhere; it was saved again."
    versions[entry.id] = saved.version
    return saved, message


class OpenEntry(QObject):
    """The entry shown in the form, and its way to the notebook."""

    shown = Signal()  # the form shows another entry (or none)
    opened = Signal(object, bool)  # an entry opened by ``open``, whether to reveal it
    stored = Signal(object, bool)  # an entry as a save stored it, whether its tags changed
    # An entry as a save of the form stored it with another title, and the title it had before
    # (the rename offer, rename_offer.py, listens).
    retitled = Signal(object, str)
    outsideChanged = Signal()  # another process (or this window's workers) wrote
    message = Signal(str, int)  # a line for the status bar, and for how long (ms)

    def __init__(
        self,
        window: QWidget,
        ui: Ui_MainWindow,
        form: EntryForm,
        notebook: Notebook,
        runner: TaskRunner,
        save_label: QLabel,
    ) -> None:
        super().__init__(window)
        self.window, self.ui, self.form = window, ui, form
        self.notebook, self.runner, self.save_label = notebook, runner, save_label
        self.current: Entry | None = None
        self._wanted: str | None = None  # being opened
        self._edits = 0  # edits made to the current entry...
        self._sent = 0  # ...handed to a save...
        self._confirmed = 0  # ...and known to be stored
        self._first_unsent: float | None = None
        self._error = ""
        self._waiting = False
        # Set (by the window's safety) when the notebook is found read-only or damaged: no
        # save is sent any more; what was typed stays in the pane, never said to be saved.
        self.refused = ""
        self.versions: dict[str, int] = {}  # written on the write lane only
        self._pending: collections.Counter[str] = collections.Counter()
        self._seen_data_version = notebook.data_version()
        self.autosave_timer = QTimer(self, singleShot=True)
        self.autosave_timer.timeout.connect(self.flush)
        self._wait_timer = QTimer(self, singleShot=True, interval=WAITING_AFTER_MS)
        self._wait_timer.timeout.connect(self._say_waiting)
        self.poll_timer = QTimer(self, interval=OUTSIDE_CHANGES_POLL_MS)
        self.poll_timer.timeout.connect(self.check_outside_changes)
        self.poll_timer.start()
        form.edited.connect(self._edited)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # --- state ---------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Edits to the open entry that are not yet known to be stored."""
        return self.current is not None and self._edits > self._confirmed

    @property
    def current_id(self) -> str | None:
        """The open entry's id (None when none is open)."""
        return self.current.id if self.current else None

    @property
    def wanted_id(self) -> str | None:
        """The entry being opened, else the one open: what the list keeps selected."""
        if self._wanted is not None:
            return self._wanted
        return self.current_id

    def has_pending_writes(self) -> bool:
        return bool(+self._pending)

    def _update_title(self) -> None:
        if self.current is None:
            self.window.setWindowTitle("notebook-app")
            self.save_label.setText("")
            return
        dirty = self.dirty
        self.window.setWindowTitle(f"{'● ' if dirty else ''}{self.current.title} — notebook-app")
        if self.current.trashed is not None:
            text = IN_TRASH
        elif self._error:
            text = f"Not saved: {self._error}"
        elif self.refused:
            text = "Read-only"
        elif dirty:
            text = WAITING if self._waiting else "Unsaved changes"
        elif self.form.problems:  # a field the save could not use (marked by pane_sync.py)
            text = "Saved, except: " + "; ".join(self.form.problems)
        else:
            text = "Saved"
        self.save_label.setText(text)

    # --- showing -------------------------------------------------------------------------------

    def show(self, entry: Entry | None) -> None:
        """Show ``entry`` (None empties the pane); what was typed in the last one is saved."""
        self.flush()
        self._wanted = None
        self.current = entry
        self._edits = self._sent = self._confirmed = 0
        self._first_unsent = None
        self._error = ""
        self.autosave_timer.stop()
        if entry is not None and not self._pending[entry.id]:
            self.versions[entry.id] = entry.version
        self.form.fill(entry)
        self._update_title()
        self.shown.emit()

    def open(self, entry_id: str, *, reveal: bool = True) -> None:
        """Open an entry: read on a worker, shown when it arrives. A read waits behind this
        window's own writes to the same entry (it goes on the write lane then), so it never
        shows text older than what was typed."""
        self.flush()
        if self.current is not None and self.current.id == entry_id:
            # Already open (Ctrl+P or a link to itself): reading it again could only show
            # text older than what is being typed.
            self._wanted = None
            self.runner.submit("read", lambda _notebook: None, key="open")  # drops older opens
            self.opened.emit(self.current, reveal)
            return
        self._wanted = entry_id
        lane = "write" if self._pending[entry_id] else "read"

        def arrived(entry: Entry) -> None:
            self.show(entry)
            self.opened.emit(entry, reveal)

        def missing(error: Exception) -> None:
            self._wanted = None
            if isinstance(error, EntryNotFoundError):
                self.message.emit("That entry no longer exists.", 5000)
            else:
                self.message.emit(f"Could not open the entry: {error}", 8000)

        self.runner.submit(
            lane, lambda notebook: notebook.get(entry_id), done=arrived, failed=missing, key="open"
        )

    def open_now(self, entry_id: str) -> bool:
        """At start-up, before the first frame: read on this thread (no other writer of this
        window exists yet, and reading never waits for another process's write lock)."""
        try:
            entry = self.notebook.get(entry_id)
        except NotebookError:
            return False
        self.show(entry)
        return True

    def start_new(self, entry: Entry) -> None:
        """Show a new entry at once; it is stored on the write lane."""
        self.show(entry)
        stored = entry.replace()
        self.write(
            entry.id,
            lambda notebook: save_entry(notebook, self.versions, stored, {}),
            done=lambda result: self._saved(entry.id, 0, result, [], set(), None),
            failed=lambda error: self._save_failed(entry.id, error),
            key=f"save:{entry.id}",
        )

    # --- saving --------------------------------------------------------------------------------

    def _edited(self) -> None:
        if self.current is None:
            return
        now = time.monotonic()
        if self._first_unsent is None:
            self._first_unsent = now
        self._edits += 1
        self._error = self.refused
        ceiling_ms = (self._first_unsent - now) * 1000 + AUTOSAVE_CEILING_MS
        self.autosave_timer.start(int(max(0, min(AUTOSAVE_DELAY_MS, ceiling_ms))))
        self._update_title()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        pane = self.ui.entryPane
        if not shiboken6.isValid(pane):
            return  # this window is gone (the app's signal outlives it)
        if (
            old is not None
            and pane.isAncestorOf(old)
            and (new is None or not pane.isAncestorOf(new))
        ):
            self.flush()

    def refuse_saves(self, reason: str) -> None:
        """The notebook cannot store anything: stop saving; unsaved text stays unsaved."""
        self.refused = reason
        self.autosave_timer.stop()
        if self.dirty:
            self._error = reason
        self._update_title()

    def flush(self) -> None:
        """Hand what was typed in the open entry to a save (on the write lane), now."""
        self.autosave_timer.stop()
        entry = self.current
        if entry is None or self._sent >= self._edits or self.refused:
            return
        generation = self._sent = self._edits
        self._first_unsent = None
        changes = self.form.changes()
        problems = list(self.form.problems)
        tags_before = {tag.casefold() for tag in entry.tags}
        versions = self.versions
        self.write(
            entry.id,
            lambda notebook: save_entry(notebook, versions, entry, changes),
            done=lambda result: self._saved(
                entry.id, generation, result, problems, tags_before, entry.title
            ),
            failed=lambda error: self._save_failed(entry.id, error),
            key=f"save:{entry.id}",  # a save still waiting is replaced by this newer one
        )

    def write(
        self,
        entry_id: str | Collection[str],
        work: Callable[[Notebook], Any],
        *,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
        key: str | None = None,
    ) -> None:
        """Run ``work(notebook)`` on the write lane, after this window's earlier writes.
        Reads of ``entry_id`` (one id, or the ids of the entries it writes) wait for it (see
        ``open``)."""
        entry_ids = [entry_id] if isinstance(entry_id, str) else list(entry_id)
        self._pending.update(entry_ids)
        self._wait_timer.start()

        def settled() -> None:
            self._pending.subtract(entry_ids)
            if not self.has_pending_writes():
                self._wait_timer.stop()
                if self._waiting:
                    self._waiting = False
                    self._update_title()

        self.runner.submit("write", work, done=done, failed=failed, settled=settled, key=key)

    def _say_waiting(self) -> None:
        self._waiting = True
        self._update_title()

    def _saved(
        self,
        entry_id: str,
        generation: int,
        result: tuple[Entry, str],
        problems: list[str],
        tags_before: set[str],
        title_before: str | None,
    ) -> None:
        saved, message = result
        if self.current is not None and self.current.id == entry_id:
            self.current = saved
            self._confirmed = max(self._confirmed, generation)
            self._error = ""
        text = " ".join(filter(None, [message, "; ".join(problems)]))
        if text:
            self.message.emit(text, 8000)
        self.stored.emit(saved, {tag.casefold() for tag in saved.tags} != tags_before)
        self._update_title()
        if title_before is not None and saved.title != title_before:
            self.retitled.emit(saved, title_before)

    def _save_failed(self, entry_id: str, error: Exception) -> None:
        current = self.current is not None and self.current.id == entry_id
        if current:
            self._sent = self._confirmed  # what was not stored is still to save
        if isinstance(error, NotebookError) and not isinstance(error, NotebookBusyError):
            if current:
                self._error = self.refused or str(error)
            self.message.emit(f"Not saved: {error}", 15000)
        elif current:
            # The write lock was not released within the busy timeout, or the disk refused:
            # keep the text and try again.
            self._waiting = True
            self._first_unsent = time.monotonic()
            self.autosave_timer.start(RETRY_MS)
        self._update_title()

    def wait_for_saves(self, timeout: float) -> bool:
        """Save what was typed and wait until it is stored (the window's close)."""
        self.flush()
        return self.runner.wait(timeout, lane="write") and not self.dirty

    # --- changes made elsewhere ----------------------------------------------------------------

    def check_outside_changes(self, *, force: bool = False) -> None:
        """Pick up what other connections wrote (quick capture, another window, this window's
        workers): the list and tags are refreshed, and the open entry is reloaded if it
        changed and has nothing unsaved."""
        version = self.notebook.data_version()  # a pragma: no lock, no table read
        if version == self._seen_data_version and not force:
            return
        self._seen_data_version = version
        self.outsideChanged.emit()
        entry = self.current
        if entry is None or self.dirty or self._pending[entry.id]:
            return

        def arrived(latest: Entry) -> None:
            shown = self.current
            if shown is None or shown.id != latest.id or latest.version == shown.version:
                return
            if self.dirty or self._pending[latest.id]:
                return
            cursor = self.ui.editor.textCursor().position()
            self.show(latest)
            moved = self.ui.editor.textCursor()
            moved.setPosition(min(cursor, len(latest.body)))
            self.ui.editor.setTextCursor(moved)

        self.runner.submit(
            "read", lambda notebook: notebook.get(entry.id), done=arrived,
            failed=lambda _error: None, key="reload",
        )  # fmt: skip
