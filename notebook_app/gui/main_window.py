"""The main window: a shell that builds the panes and wires their signals.

The panes, each a module of its own and testable alone:

* ``OpenEntry`` (open_entry.py): the entry in the form, its opening, autosave, conflicts and
  changes made elsewhere;
* ``ListPane`` (entry_list.py): kinds, tags, search, sort, the entry list and its count;
* ``PreviewPane`` (preview_pane.py): the rendered note, the outline, scroll sync and links;
* ``EntryCommands`` (entry_commands.py): new, trash, restore, copy;
* ``PaneSync`` (pane_sync.py): the welcome page, no entry the list left out, search marks;
  the keys that are not commands, and the Tab order (window_keys.py);
* the commands' table (actions.py), which builds the menus and the F1 sheet; window_state.py.

After start-up all reading and writing runs on one ``TaskRunner`` (tasks.py), on worker
threads with their own connections: the GUI thread never waits for the notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QIcon, QPaintEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from notebook_app.core.api import Entry, Notebook, NotebookError
from notebook_app.gui import settings as S
from notebook_app.gui.actions import build_actions
from notebook_app.gui.attachments import install_attachments
from notebook_app.gui.backlinks_panel import BacklinksPanel
from notebook_app.gui.editor_tools import EditorTools
from notebook_app.gui.entry_commands import EntryCommands
from notebook_app.gui.entry_form import EntryForm
from notebook_app.gui.entry_list import ListPane
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.list_groups import restore_list_grouping
from notebook_app.gui.open_entry import OpenEntry
from notebook_app.gui.pane_sync import PaneSync
from notebook_app.gui.preview_pane import PreviewPane
from notebook_app.gui.safety import NotebookSafety
from notebook_app.gui.settings import Settings
from notebook_app.gui.tasks import TaskRunner, add_notebook_lanes
from notebook_app.gui.theme import apply_theme, kind_icons
from notebook_app.gui.window_keys import install_keys
from notebook_app.gui.window_state import (
    ENTRY_PANE_MIN_WIDTH,
    WindowState,
    first_run_columns,
    fit_to_screen,
)

if TYPE_CHECKING:  # loaded when first used, not at start-up
    from notebook_app.gui.capture_window import CaptureBox
    from notebook_app.gui.learning import Learning
    from notebook_app.gui.links import Links
    from notebook_app.gui.quick_switcher import QuickSwitcher
    from notebook_app.gui.sync_control import SyncControl
    from notebook_app.gui.transfer import Transfers

CLOSE_WAIT_SECONDS = 15.0  # longer than the busy timeout: a save waiting for a lock lands


class MainWindow(QMainWindow):
    """The notebook window. Built by ``app.main()`` with its notebook and settings."""

    # Declared for the commands' table (actions.py), which reaches the panes through these.
    ui: Ui_MainWindow
    entry_list: ListPane
    commands: EntryCommands
    editor_tools: EditorTools
    safety: NotebookSafety
    pane_sync: PaneSync

    def __init__(
        self,
        notebook: Notebook,
        settings: Settings,
        *,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        problem: NotebookError | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``problem``: why the notebook was opened for reading only (read-only or damaged)."""
        super().__init__(parent)
        self.notebook, self.settings, self._open_url = notebook, settings, open_url
        ui = self.ui = Ui_MainWindow()
        ui.setupUi(self)
        self.setWindowIcon(QIcon(":/icons/notebook-app.svg"))
        self.icons = kind_icons()
        self.runner = TaskRunner(self)
        add_notebook_lanes(self.runner, notebook, write=problem is None)
        self.save_label = QLabel("", self)
        self.save_label.setObjectName("saveState")
        ui.statusBar.addPermanentWidget(self.save_label)
        self.form = EntryForm(ui, self)
        self.editing = OpenEntry(self, ui, self.form, notebook, self.runner, self.save_label)
        self.entry_list = ListPane(
            ui, notebook, self.runner, self.icons, lambda: self.editing.wanted_id,
            settings.get(S.LAST_KIND_ROW), self,
        )  # fmt: skip
        self.preview = PreviewPane(
            self, ui, self.runner, open_url,
            lambda: self.editing.current_id,
        )  # fmt: skip
        self.attachments = install_attachments(
            self, ui, self.runner, lambda: self.editing.current_id
        )
        self.commands = EntryCommands(ui, self.form, self.editing, self.entry_list)
        self.backlinks = BacklinksPanel(self)  # a dock: there before the saved state is restored
        self.named_actions = build_actions(self)
        self.safety = NotebookSafety(self)  # the banner, read-only state, backups, check
        self.safety.found(problem)
        self._lay_out()
        self.editor_tools = EditorTools(self, ui, settings, self.runner, self.editing, self.form)
        self._connect()
        self.state = self._remembered()
        self._restore()

    @cached_property  # these: on first use, or (learning, links, sync) after the first frame
    def capture_box(self) -> CaptureBox:
        from notebook_app.gui.capture_window import CaptureBox

        box = CaptureBox(self.notebook, self, store=self._store_captured)
        box.captured.connect(self._captured)
        return box

    @cached_property
    def learning(self) -> Learning:  # the due count, the URL's button, the learning windows
        from notebook_app.gui.learning import install_learning

        return install_learning(self, self._open_url)

    @cached_property
    def links(self) -> Links:  # [[links]], backlinks, back/forward; before the first render
        from notebook_app.gui.links import install_links

        return install_links(self)

    @cached_property
    def sync(self) -> SyncControl:  # File > Sync Now, and its timer if one is set
        from notebook_app.gui.sync_control import install_sync

        return install_sync(self)

    @cached_property
    def switcher(self) -> QuickSwitcher:
        from notebook_app.gui.quick_switcher import QuickSwitcher

        switcher = QuickSwitcher(self._titles_matching, self.icons, self)
        switcher.entryChosen.connect(self._switch_to)
        return switcher

    @cached_property
    def transfers(self) -> Transfers:  # import and export (and YAML) wait for their use
        from notebook_app.gui.transfer import Transfers

        transfers = Transfers(self, self.runner, self.safety.backup_before_import)
        transfers.changed.connect(lambda: self.editing.check_outside_changes(force=True))
        transfers.message.connect(lambda text: self.say(text, 8000))
        return transfers

    def say(self, text: str, milliseconds: int = 5000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    # --- construction --------------------------------------------------------------------------

    def _lay_out(self) -> None:
        ui = self.ui
        self.pane_sync = PaneSync(self)  # the welcome page in place of an empty entry pane
        # Room a larger window gains goes to the editor and preview, in halves.
        for splitter, stretches in ((ui.editorSplitter, (1, 1)), (ui.mainSplitter, (0, 0, 1))):
            for index, stretch in enumerate(stretches):
                splitter.setStretchFactor(index, stretch)
        ui.entryColumn.setMinimumWidth(ENTRY_PANE_MIN_WIDTH)  # a small window narrows the rest
        ui.searchBar.toggleViewAction().setVisible(False)
        self.named_actions["undoTrash"].setEnabled(False)
        self._key_filters = install_keys(self)  # Tab order, Delete, Esc, Space, shared keys

    def _connect(self) -> None:
        editing, entry_list, actions = self.editing, self.entry_list, self.named_actions
        for pane in (editing, entry_list, self.preview, self.commands):
            pane.message.connect(self.say)
        self.runner.error.connect(lambda text: self.say(text, 8000))
        editing.shown.connect(self.preview.request)
        self.preview.follow_header(editing)
        editing.shown.connect(self.pane_sync.entry_shown)
        entry_list.queryShown.connect(self.pane_sync.close_if_not_listed)
        editing.opened.connect(self._opened)
        editing.stored.connect(self._stored)
        editing.stored.connect(self.pane_sync.stored)
        editing.outsideChanged.connect(entry_list.refresh)
        editing.outsideChanged.connect(entry_list.reload_tags)
        entry_list.entryChosen.connect(lambda entry_id: editing.open(entry_id, reveal=False))
        entry_list.trashShown.connect(self._trash_shown)
        entry_list.tagsCounted.connect(
            lambda counts: self.form.set_tag_completions([tag.name for tag in counts])
        )
        self.ui.entryList.activated.connect(lambda _index: self.focus_editor())
        # Enter in the title goes on to the text, at its start (as in Obsidian and Joplin).
        self.ui.titleEdit.returnPressed.connect(lambda: self.focus_editor(at_start=True))
        self.preview.entryLinkChosen.connect(editing.open)
        self.commands.undoAvailable.connect(actions["undoTrash"].setEnabled)

    def _remembered(self) -> WindowState:
        ui, actions = self.ui, self.named_actions
        state = WindowState(self.settings)
        state.keep("geometry", S.GEOMETRY, self.saveGeometry, self.restoreGeometry)
        state.keep("docks", S.WINDOW_STATE, self.saveState, self.restoreState)
        state.keep_splitter("mainSplitter", S.MAIN_SPLITTER, ui.mainSplitter)
        state.keep_splitter("editorSplitter", S.EDITOR_SPLITTER, ui.editorSplitter)
        state.keep_checked("showSidebar", S.SHOW_SIDEBAR, actions["showSidebar"])
        state.keep_checked("showEditor", S.SHOW_EDITOR, actions["showEditor"])
        state.keep_checked("showPreview", S.SHOW_PREVIEW, actions["showPreview"])
        state.keep_checked("showOutline", S.SHOW_OUTLINE, actions["showOutline"])
        sorts = self.entry_list.sorts
        state.keep("sorts", S.VIEW_SORTS, sorts.saved, sorts.restore)
        state.keep("kindRow", S.LAST_KIND_ROW, lambda: ui.kindList.currentIndex().row(),
                   lambda _row: None)  # restored by ListPane, before its signals  # fmt: skip
        state.keep("lastEntry", S.LAST_ENTRY,
                   lambda: self.editing.current_id or "",
                   lambda _id: None)  # restored below, once the list is there  # fmt: skip
        return state

    def _restore(self) -> None:
        state, settings = self.state, self.settings
        if not state.stored("geometry"):
            self.resize(1280, 800)
        state.restore()
        fit_to_screen(self, self.screen().availableGeometry())  # a first run, or a new screen
        if not state.stored("docks"):
            # A first run: the sidebar, list and outline narrow columns, sized to the window;
            # the editor and preview get the room.
            columns, outline = first_run_columns(self.width())
            self.ui.mainSplitter.setSizes(columns)
            self.resizeDocks([self.ui.outlineDock], [outline], Qt.Orientation.Horizontal)
        self.apply_visibility()
        family = settings.get(S.EDITOR_FONT_FAMILY)
        if family:
            self.ui.editor.set_editor_font(family, settings.get(S.EDITOR_FONT_SIZE))
        self.named_actions[f"theme_{settings.get(S.THEME)}"].setChecked(True)
        restore_list_grouping(self)  # the headers of a list sorted by day
        self._trash_shown(self.entry_list.current_scope().trashed)
        # The list and the last entry are read on this thread: the first frame shows them, and
        # no writer of this window exists yet. The counts come after it (_after_first_frame).
        with self.safety.start_up_reads():  # damage met here opens the window read-only
            self.entry_list.apply_query(now=True, count=False)
            last = settings.get(S.LAST_ENTRY) or (self.entry_list.entries.entry_id(0) or "")
            if last and self.editing.open_now(last):
                self.entry_list.reselect()
        self.pane_sync.entry_shown(now=True)
        self.ui.entryList.setFocus()  # where Up/Down move at once (Tab order starts at search)

    # --- what the panes ask of each other ------------------------------------------------------

    def _opened(self, entry: Entry, reveal: bool) -> None:
        if reveal:
            self.entry_list.reveal(entry.id, entry.trashed is not None)
        else:
            self.entry_list.reselect()

    def _stored(self, _entry: Entry, tags_changed: bool) -> None:
        self.entry_list.refresh()
        if tags_changed:
            self.entry_list.reload_tags()

    def _trash_shown(self, trash: bool) -> None:
        writable = not self.safety.read_only
        self.named_actions["trashEntry"].setEnabled(not trash and writable)
        self.named_actions["restoreEntry"].setEnabled(trash and writable)

    def _titles_matching(self, text: str, show: Callable[[list], None]) -> None:
        self.runner.submit("read", lambda notebook: notebook.titles_matching(text), done=show,
                           key="switcher")  # fmt: skip

    def _store_captured(self, entry: Entry) -> None:
        """A capture is stored on the write lane; the box has closed already."""
        self.editing.write(
            entry.id, lambda notebook: notebook.add(entry), done=self.capture_box.captured.emit,
            failed=lambda error: self.say(f"Not captured: {error}", 8000),
        )  # fmt: skip

    def _captured(self, entry: Entry) -> None:
        # Shown in the list; the entry being edited stays open, with what was being typed.
        self.editing.check_outside_changes(force=True)
        self.say(f"Captured {entry.kind.value}: {entry.title}", 6000)

    def _switch_to(self, entry_id: str) -> None:
        """An entry chosen in Ctrl+P: open it and go on typing in it, as in other editors."""
        self.editing.open(entry_id)
        # The switcher is a window of its own: make this one active again, then (once the
        # switcher's closing has handed the focus back to where it was) go to the editor.
        self.activateWindow()
        QTimer.singleShot(0, self.focus_editor)

    # --- commands of the window itself ---------------------------------------------------------

    def focus_search(self) -> None:
        self.ui.searchBox.setFocus()
        self.ui.searchBox.selectAll()

    def focus_editor(self, *, at_start: bool = False) -> None:
        if self.editing.wanted_id is not None:
            self.named_actions["showEditor"].setChecked(True)
            self.ui.editor.setFocus()
            if at_start:
                self.ui.editor.moveCursor(QTextCursor.MoveOperation.Start)

    def toggle_editor_preview(self) -> None:
        """Cycle: both side by side, editor alone, preview alone."""
        editor, preview = self.named_actions["showEditor"], self.named_actions["showPreview"]
        if editor.isChecked() and preview.isChecked():
            preview.setChecked(False)
        elif editor.isChecked():
            editor.setChecked(False)
            preview.setChecked(True)
        else:
            editor.setChecked(True)
            preview.setChecked(True)
        # The focus never stays in a pane just hidden (its keys would go nowhere).
        focus = QApplication.focusWidget()
        if focus is self.ui.editor and not editor.isChecked():
            self.ui.preview.setFocus()
        elif focus is self.ui.preview and not preview.isChecked():
            self.ui.editor.setFocus()

    def apply_visibility(self, toggled: str = "") -> None:
        """Show the panes as the View menu says; ``toggled`` names the action just changed."""
        actions = self.named_actions
        editor, preview = actions["showEditor"].isChecked(), actions["showPreview"].isChecked()
        if not editor and not preview:
            # Hiding both would leave nothing to read: bring back the other one.
            actions["showPreview" if toggled == "showEditor" else "showEditor"].setChecked(True)
            return
        self.ui.editor.setVisible(editor)
        self.ui.preview.setVisible(preview)
        self.ui.sidebar.setVisible(actions["showSidebar"].isChecked())
        if preview:
            self.preview.request()

    def set_theme(self, theme: str) -> None:
        """Light, dark or the desktop's, applied now and remembered."""
        self.settings.set(S.THEME, theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)  # the bars above the entry follow the palette themselves
        self.preview.request()  # the preview's CSS follows the palette

    def show_shortcuts(self) -> None:
        from notebook_app.gui.shortcut_sheet import show_shortcuts

        show_shortcuts(self)

    # --- first frame and close -----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if self.preview.started:
            return
        # A zero timer set here fires once the first frame is done.
        QTimer.singleShot(0, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """Work the first frame does not show, started once it is painted: threads starting
        and opening connections hold the GIL in stretches the frame would wait for."""
        if self.preview.started:
            return
        self.learning, self.links, self.sync  # noqa: B018 (made now, unless used already)
        # The preview's first job is importing Python-Markdown and Pygments (tens of ms).
        self.preview.start()
        self.entry_list.reload_tags()
        self.entry_list.count()
        self.safety.start()  # the daily backup, on its own lane

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        """Save what was typed, waiting for it to be stored (a save may be waiting for another
        process's write lock), then remember the window's state."""
        saved = self.editing.wait_for_saves(CLOSE_WAIT_SECONDS)
        # Text a read-only or damaged notebook refused is in its recovery file already.
        if not saved and not self.property("quitting") and self.safety.kept_in is None:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.warning(
                self, "Unsaved changes",
                "The current entry could not be saved. Close anyway and lose the changes?",
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        self.state.save()
        self.editing.poll_timer.stop()
        self.runner.wait(CLOSE_WAIT_SECONDS)  # an import or export under way finishes
        self.runner.shutdown()
        event.accept()
