"""The main window: sidebar, entry list, entry pane (fields, editor, preview) and outline.

It is a thin client of the core: every read and write goes through the ``Notebook`` it is
given, and it holds no entry state beyond the one being edited. Saving is automatic: shortly
after the last keystroke, when another entry is opened, and on close. A save based on a
version that changed elsewhere is not lost: it is saved on top, and the other version stays in
the entry's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QFontDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)

from notebook_app import __version__
from notebook_app.core.api import (
    Entry,
    EntryNotFoundError,
    InvalidEntryError,
    Kind,
    Notebook,
    NotebookError,
    QueryError,
    Scope,
    Sort,
    StaleEntryError,
    TagCount,
)
from notebook_app.gui import settings as S
from notebook_app.gui.capture_window import CaptureBox
from notebook_app.gui.count_worker import result_counter, tag_counter
from notebook_app.gui.empty_hint import EmptyHint
from notebook_app.gui.entry_delegate import EntryDelegate
from notebook_app.gui.entry_form import EntryForm
from notebook_app.gui.entry_list_model import EntryListModel
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.kind_list_model import KindListModel
from notebook_app.gui.preview_renderer import PreviewRenderer
from notebook_app.gui.quick_switcher import QuickSwitcher
from notebook_app.gui.settings import Settings
from notebook_app.gui.shortcut_sheet import ShortcutSheet
from notebook_app.gui.tag_tree_model import TagTreeModel
from notebook_app.gui.theme import apply_theme, kind_icons, preview_css

if TYPE_CHECKING:  # loaded when first used, not at start-up
    from notebook_app.core.api import Heading
    from notebook_app.gui.transfer import Transfers

AUTOSAVE_DELAY_MS = 700  # saved within a second of the last keystroke
SEARCH_DELAY_MS = 60  # coalesces fast typing; a search takes a few ms
EXTERNAL_CHANGES_POLL_MS = 1000  # entries captured by other processes show within a second
SORT_CHOICES: list[tuple[str, Sort | None]] = [
    ("Best match", None),
    ("Last updated", Sort.UPDATED),
    ("Created", Sort.CREATED),
    ("Day", Sort.DAY),
    ("Title", Sort.TITLE),
    ("Glossary order", Sort.GLOSSARY),
]
NEW_TITLES = {Kind.NOTE: "New note", Kind.TERM: "New term", Kind.MEETING: "New meeting"}
EMPTY_NOTEBOOK_KEYS = [
    ("Ctrl+N", "new note"),
    ("Ctrl+Shift+T", "new term"),
    ("Ctrl+Shift+M", "new meeting"),
    ("Ctrl+Shift+Space", "quick capture"),
    ("Ctrl+Shift+I", "import a folder"),
    ("F1", "all shortcuts"),
]
EXTRA_KEYS = [
    ("Open the selected entry's editor", "Enter"),
    ("Move in the entry list", "Up / Down"),
    ("New list item (continues - , 1. and - [ ])", "Enter in a list"),
    ("Indent / outdent a list item", "Tab / Shift+Tab"),
]


class MainWindow(QMainWindow):
    """The notebook window. Built by ``app.main()`` with its notebook and settings."""

    def __init__(
        self,
        notebook: Notebook,
        settings: Settings,
        *,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.notebook = notebook
        self.settings = settings
        self._open_url = open_url
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(QIcon(":/icons/notebook-app.svg"))
        self.icons = kind_icons()
        self.current: Entry | None = None
        self.dirty = False
        self._trashed_ids: list[str] = []
        self._seen_data_version = notebook.data_version()
        self._query_error = ""

        self.form = EntryForm(self.ui, self)
        self._transfers: Transfers | None = None  # made on first use (see ``transfers``)
        self.capture_box = CaptureBox(notebook, self)
        self.capture_box.captured.connect(self._captured)
        self._build_models()
        self._build_status_bar()
        self._build_actions()
        self._build_timers()
        # Started once the window's first frame is painted (see paintEvent).
        self.renderer: PreviewRenderer | None = None
        self._outline_headings: list[Heading] | None = None  # what the outline shows
        self.counter = result_counter(self)
        self.counter.answered.connect(self._show_count)
        self.tag_counter = tag_counter(self)
        self.tag_counter.answered.connect(self._show_tags)
        self.switcher = QuickSwitcher(
            lambda text: self.notebook.titles_matching(text), self.icons, self
        )
        self.switcher.entryChosen.connect(self._switch_to)
        self._connect()
        self._restore_state()

    @property
    def transfers(self) -> Transfers:
        """Import and export, loaded on first use: the importers, the exporters and YAML are
        not needed to show the window."""
        if self._transfers is None:
            from notebook_app.gui.transfer import Transfers

            self._transfers = Transfers(self, self.notebook.path)
            self._transfers.changed.connect(self._after_import)
            self._transfers.message.connect(
                lambda text: self.statusBar().showMessage(text, 8000)
            )
        return self._transfers

    # --- construction --------------------------------------------------------------------------

    def _build_models(self) -> None:
        ui = self.ui
        self.kinds = KindListModel(self.icons, self)
        ui.kindList.setModel(self.kinds)
        # Five fixed rows: the list is exactly as tall as they are, never scrolled.
        ui.kindList.ensurePolished()
        rows_height = sum(ui.kindList.sizeHintForRow(r) for r in range(self.kinds.rowCount()))
        ui.kindList.setFixedHeight(rows_height + 2 * ui.kindList.frameWidth() + 2)
        self.tag_model = TagTreeModel(self)
        ui.tagTree.setModel(self.tag_model)
        self.entries = EntryListModel(self.notebook, self.icons, self)
        ui.entryList.setModel(self.entries)
        # Said in the empty list: what to do when there is nothing, or nothing matches.
        self.empty_hint = EmptyHint(ui.entryList.viewport())
        self.entries.modelReset.connect(self._update_empty_hint)
        self.entries.rowsInserted.connect(self._update_empty_hint)
        ui.entryList.setItemDelegate(EntryDelegate(ui.entryList))
        for label, sort in SORT_CHOICES:
            # Stored as plain text: Qt hands enum members back as str.
            ui.sortCombo.addItem(label, sort.value if sort else "")
        ui.editorSplitter.setStretchFactor(0, 1)
        ui.editorSplitter.setStretchFactor(1, 1)
        ui.mainSplitter.setStretchFactor(0, 0)
        ui.mainSplitter.setStretchFactor(1, 1)
        ui.mainSplitter.setStretchFactor(2, 3)
        ui.mainSplitter.setSizes([190, 330, 760])
        ui.searchBar.toggleViewAction().setVisible(False)

    def _build_status_bar(self) -> None:
        self.save_label = QLabel("", self)
        self.save_label.setObjectName("saveState")
        self.ui.statusBar.addPermanentWidget(self.save_label)

    def _action(
        self,
        menu: Any,
        text: str,
        slot: Callable[[], object],
        keys: QKeySequence.StandardKey | str | list[str] | None = None,
        *,
        name: str,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(keys)
        elif isinstance(keys, list):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif keys:
            action.setShortcut(QKeySequence(keys))
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(lambda _checked: slot())
        else:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "New &Note", lambda: self.new_entry(Kind.NOTE),
                     QKeySequence.StandardKey.New, name="newNote")  # fmt: skip
        self._action(file_menu, "New &Term", lambda: self.new_entry(Kind.TERM),
                     "Ctrl+Shift+T", name="newTerm")  # fmt: skip
        self._action(file_menu, "New &Meeting", lambda: self.new_entry(Kind.MEETING),
                     "Ctrl+Shift+M", name="newMeeting")  # fmt: skip
        capture = self._action(file_menu, "Quick &Capture…", self.open_capture,
                               "Ctrl+Shift+Space", name="quickCapture")  # fmt: skip
        capture.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file_menu.addSeparator()
        self._action(file_menu, "&Import Folder…", lambda: self.transfers.import_folder(),
                     "Ctrl+Shift+I", name="importFolder")  # fmt: skip
        self._action(file_menu, "Import &File…", lambda: self.transfers.import_file(), "Ctrl+Alt+I",
                     name="importFile")  # fmt: skip
        self._action(file_menu, "&Export to Folder…",
                     lambda: self.transfers.export_vault(*self._filter()), "Ctrl+Shift+E",
                     name="exportVault")  # fmt: skip
        self._action(file_menu, "Export Combined &Document…",
                     lambda: self.transfers.export_combined(*self._filter()), "Ctrl+Alt+E",
                     name="exportCombined")  # fmt: skip
        self._action(file_menu, "Copy Entry as &Markdown", self.copy_as_markdown,
                     "Ctrl+Shift+C", name="copyMarkdown")  # fmt: skip
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit, name="quit")

        edit_menu = bar.addMenu("&Edit")
        self.undo_trash_action = self._action(
            edit_menu, "&Undo Move to Trash", self.undo_trash, QKeySequence.StandardKey.Undo,
            name="undoTrash",
        )  # fmt: skip
        self.undo_trash_action.setEnabled(False)
        edit_menu.addSeparator()
        self.trash_action = self._action(
            edit_menu, "Move to &Trash", self.trash_current, "Ctrl+Delete", name="trashEntry"
        )
        self.restore_action = self._action(
            edit_menu, "&Restore from Trash", self.restore_current, "Ctrl+Shift+R",
            name="restoreEntry",
        )  # fmt: skip
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find…", self.focus_search,
                     [QKeySequence(QKeySequence.StandardKey.Find).toString(), "Ctrl+L"],
                     name="focusSearch")  # fmt: skip
        self._action(edit_menu, "&Go to Entry…", self.switcher_open, "Ctrl+P", name="quickSwitch")

        view_menu = bar.addMenu("&View")
        self.show_sidebar_action = self._action(
            view_menu, "&Sidebar", self._apply_visibility, "Ctrl+1", name="showSidebar",
            checkable=True,
        )  # fmt: skip
        self.show_editor_action = self._action(
            view_menu, "&Editor", self._apply_visibility, "Ctrl+2", name="showEditor",
            checkable=True,
        )  # fmt: skip
        self.show_preview_action = self._action(
            view_menu, "&Preview", self._apply_visibility, "Ctrl+3", name="showPreview",
            checkable=True,
        )  # fmt: skip
        outline_action = self.ui.outlineDock.toggleViewAction()
        outline_action.setText("&Outline")
        outline_action.setShortcut(QKeySequence("Ctrl+4"))
        view_menu.addAction(outline_action)
        self.addAction(outline_action)
        self._action(view_menu, "Toggle Editor / Preview", self.toggle_editor_preview,
                     "Ctrl+E", name="toggleEditorPreview")  # fmt: skip
        view_menu.addSeparator()
        self._action(view_menu, "&Next Entry", lambda: self.step_entry(1),
                     ["Ctrl+PgDown", "Alt+Down"], name="nextEntry")  # fmt: skip
        self._action(view_menu, "P&revious Entry", lambda: self.step_entry(-1),
                     ["Ctrl+PgUp", "Alt+Up"], name="previousEntry")  # fmt: skip
        self._action(view_menu, "Focus Entry &List", self.focus_list, "Ctrl+0", name="focusList")
        view_menu.addSeparator()
        self._action(view_menu, "Editor &Font…", self.choose_font, None, name="chooseFont")
        theme_menu = view_menu.addMenu("&Theme")
        themes = QActionGroup(self)
        for name, label in (("system", "&System"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self, checkable=True)
            action.setObjectName(f"theme_{name}")
            action.setChecked(self.settings.get(S.THEME) == name)
            action.triggered.connect(lambda _checked=False, theme=name: self.set_theme(theme))
            themes.addAction(action)
            theme_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard Shortcuts", self.show_shortcuts,
                     QKeySequence.StandardKey.HelpContents, name="shortcuts")  # fmt: skip
        self._action(help_menu, "&About notebook-app", self.show_about, None, name="about")

        # Delete moves the selected entry to the trash when the list has focus (in the editor
        # Delete deletes text).
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.ui.entryList)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.trash_current)
        # Esc in the search box clears the search (and shows the whole list again).
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.ui.searchBox)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.ui.searchBox.clear)

    def _build_timers(self) -> None:
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.save_now)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_query)
        self.poll_timer = QTimer(self, interval=EXTERNAL_CHANGES_POLL_MS)
        self.poll_timer.timeout.connect(self.check_external_changes)
        self.poll_timer.start()

    def _connect(self) -> None:
        ui = self.ui
        self.form.edited.connect(self._on_edited)
        ui.editor.textChanged.connect(self._request_preview)
        ui.searchBox.textChanged.connect(lambda _text: self.search_timer.start())
        ui.searchBox.returnPressed.connect(self._search_return)
        ui.kindList.selectionModel().currentChanged.connect(self._kind_changed)
        ui.tagTree.selectionModel().selectionChanged.connect(lambda *_: self.apply_query())
        ui.sortCombo.activated.connect(lambda _index: self.apply_query())
        ui.entryList.selectionModel().currentChanged.connect(self._entry_selected)
        ui.entryList.activated.connect(lambda _index: self.focus_editor())
        ui.mainSplitter.splitterMoved.connect(lambda *_: self._update_empty_hint())
        ui.outline.itemActivated.connect(self._outline_jump)
        ui.outline.itemClicked.connect(self._outline_jump)
        ui.preview.entryLinkActivated.connect(self._open_entry_link)
        ui.preview.externalLinkActivated.connect(self._open_external)
        ui.preview.blockedLink.connect(
            lambda href: self.statusBar().showMessage(f"Link not opened: {href}", 5000)
        )
        ui.editor.topLineChanged.connect(self._follow_editor_scroll)

    # --- state ---------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = self.settings
        geometry = settings.get(S.GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.get(S.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        else:
            # A first run: the outline is a narrow column; the editor and preview get the room.
            self.resizeDocks([self.ui.outlineDock], [210], Qt.Orientation.Horizontal)
        for splitter, setting in ((self.ui.mainSplitter, S.MAIN_SPLITTER),
                                  (self.ui.editorSplitter, S.EDITOR_SPLITTER)):  # fmt: skip
            saved = settings.get(setting)
            if not saved.isEmpty():
                splitter.restoreState(saved)
        self.show_sidebar_action.setChecked(settings.get(S.SHOW_SIDEBAR))
        self.show_editor_action.setChecked(settings.get(S.SHOW_EDITOR))
        self.show_preview_action.setChecked(settings.get(S.SHOW_PREVIEW))
        self._apply_visibility()
        family = settings.get(S.EDITOR_FONT_FAMILY)
        if family:
            self.ui.editor.set_editor_font(family, settings.get(S.EDITOR_FONT_SIZE))
        sort_name = settings.get(S.SORT)
        for index, (_label, sort) in enumerate(SORT_CHOICES):
            if (sort.value if sort else "") == sort_name:
                self.ui.sortCombo.setCurrentIndex(index)
        self.reload_tags()
        row = min(max(settings.get(S.LAST_KIND_ROW), 0), self.kinds.rowCount() - 1)
        # Selecting the kind runs the list's query (through _kind_changed): once, not again.
        kind_index = self.kinds.index(row, 0)
        if self.ui.kindList.currentIndex() == kind_index:
            self.apply_query()
        else:
            self.ui.kindList.setCurrentIndex(kind_index)
        last = settings.get(S.LAST_ENTRY)
        if last and self.notebook.exists(last):
            self.open_entry(last)
        elif self.entries.rowCount():
            self.ui.entryList.setCurrentIndex(self.entries.index(0, 0))
        self._update_title()

    def save_state(self) -> None:
        settings = self.settings
        settings.set(S.GEOMETRY, self.saveGeometry())
        settings.set(S.WINDOW_STATE, self.saveState())
        settings.set(S.MAIN_SPLITTER, self.ui.mainSplitter.saveState())
        settings.set(S.EDITOR_SPLITTER, self.ui.editorSplitter.saveState())
        settings.set(S.SHOW_SIDEBAR, self.show_sidebar_action.isChecked())
        settings.set(S.SHOW_EDITOR, self.show_editor_action.isChecked())
        settings.set(S.SHOW_PREVIEW, self.show_preview_action.isChecked())
        settings.set(S.LAST_ENTRY, self.current.id if self.current else "")
        settings.set(S.LAST_KIND_ROW, self.ui.kindList.currentIndex().row())
        sort = self.chosen_sort()
        settings.set(S.SORT, sort.value if sort else "")
        settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if self.renderer is None:
            # After the first frame, not at show: the worker's first job is importing
            # Python-Markdown and Pygments, which holds the GIL for tens of milliseconds and
            # would hold up that frame. A zero timer set here fires once the frame is done
            # (_start_preview ignores the timers of any further paints before it).
            QTimer.singleShot(0, self._start_preview)

    def _start_preview(self) -> None:
        if self.renderer is None:
            self.renderer = PreviewRenderer(self)
            self.renderer.rendered.connect(self._show_rendered)
            self._request_preview()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.save_now()
        if self.dirty:
            answer = QMessageBox.warning(
                self, "Unsaved changes",
                "The current entry could not be saved. Close anyway and lose the changes?",
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        self.save_state()
        if self._transfers is not None:
            self._transfers.wait()
        self.poll_timer.stop()
        if self.renderer is not None:
            self.renderer.shutdown()
        self.counter.shutdown()
        self.tag_counter.shutdown()
        event.accept()

    # --- the list and the query ----------------------------------------------------------------

    def current_scope(self) -> Scope:
        row = max(self.ui.kindList.currentIndex().row(), 0)
        base = self.kinds.scope_for_row(row)
        indexes = self.ui.tagTree.selectionModel().selectedIndexes()
        return Scope(
            kinds=base.kinds, tags=self.tag_model.tags_for_indexes(indexes), trashed=base.trashed
        )

    def chosen_sort(self) -> Sort | None:
        value = self.ui.sortCombo.currentData()
        return Sort(value) if value else None

    def current_sort(self) -> Sort | None:
        sort = self.chosen_sort()
        if sort is None and not self.ui.searchBox.text().strip():
            row = max(self.ui.kindList.currentIndex().row(), 0)
            return self.kinds.default_sort_for_row(row)
        return sort

    def apply_query(self) -> None:
        """Re-run the list's query from the search box, sidebar and sort."""
        text = self.ui.searchBox.text()
        scope = self.current_scope()
        try:
            self.entries.set_query(text, scope, self.current_sort())
        except QueryError as error:
            self._set_query_error(str(error))
            return
        self._set_query_error("")
        self.ui.resultLabel.setText("")
        self.counter.request(self.notebook.path, (text, scope), text, scope)
        self._reselect_current()

    def _update_empty_hint(self) -> None:
        hint = self.empty_hint
        if self.entries.rowCount():
            hint.hide()
            return
        scope = self.current_scope()
        if self.ui.searchBox.text().strip() or scope.tags:
            hint.say("Nothing matches.<br><br>Esc in the search box clears it.")
        elif scope.trashed:
            hint.say("The trash is empty.")
        else:
            rows = "".join(
                f"<tr><td align='right'><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>"
                for keys, what in EMPTY_NOTEBOOK_KEYS
            )
            hint.say(f"Nothing here yet.<br><br><table>{rows}</table>")

    def _set_query_error(self, message: str) -> None:
        self._query_error = message
        box = self.ui.searchBox
        box.setProperty("invalid", bool(message))
        box.style().unpolish(box)
        box.style().polish(box)
        box.setToolTip(message)
        if message:
            self.statusBar().showMessage(message, 5000)

    def _show_count(self, token: object, count: int) -> None:
        word = "entry" if count == 1 else "entries"
        self.ui.resultLabel.setText(f"{count:,} {word}")

    def _kind_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        trash = self.kinds.scope_for_row(current.row()).trashed
        self.trash_action.setEnabled(not trash)
        self.restore_action.setEnabled(trash)
        self.apply_query()

    def _search_return(self) -> None:
        self.apply_query()
        if self.entries.rowCount():
            self.ui.entryList.setCurrentIndex(self.entries.index(0, 0))
            self.ui.entryList.setFocus()

    def _reselect_current(self) -> None:
        """Keep the open entry selected in the list (without reopening it)."""
        model = self.ui.entryList.selectionModel()
        row = self.entries.row_of(self.current.id) if self.current else None
        model.blockSignals(True)
        try:
            if row is None:
                model.clearSelection()
                model.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            else:
                index = self.entries.index(row, 0)
                model.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.ui.entryList.scrollTo(index)
        finally:
            model.blockSignals(False)
        self.ui.entryList.viewport().update()

    def reload_tags(self) -> None:
        """Recount the tag tree: on a worker (a hundred milliseconds at 100,000 entries), or
        at once for a notebook that is not a file."""
        if self.notebook.path is None:
            self._show_tags(None, self.notebook.tag_counts())
        else:
            self.tag_counter.request(self.notebook.path, None)

    def _show_tags(self, _token: object, counts: list[TagCount]) -> None:
        selected = set(self.tag_model.tags_for_indexes(
            self.ui.tagTree.selectionModel().selectedIndexes()
        ))  # fmt: skip
        blocker = self.ui.tagTree.selectionModel().blockSignals(True)
        try:
            self.tag_model.reload(counts)
            self.ui.tagTree.expandToDepth(0)
            for index in self.tag_model.indexes_for_tags(selected):
                self.ui.tagTree.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.Select
                )
        finally:
            self.ui.tagTree.selectionModel().blockSignals(blocker)
        self.form.set_tag_completions([tag.name for tag in counts])

    def _entry_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry_id = self.entries.entry_id(current.row()) if current.isValid() else None
        if entry_id and (self.current is None or entry_id != self.current.id):
            self.open_entry(entry_id, select=False)

    def step_entry(self, step: int) -> None:
        row = self.ui.entryList.currentIndex().row() + step
        if 0 <= row < self.entries.rowCount() or (step > 0 and self.entries.canFetchMore()):
            if row >= self.entries.rowCount():
                self.entries.fetchMore(QModelIndex())
            if row < self.entries.rowCount():
                self.ui.entryList.setCurrentIndex(self.entries.index(row, 0))

    # --- opening and saving --------------------------------------------------------------------

    def open_entry(self, entry_id: str, *, select: bool = True) -> None:
        """Show an entry in the pane (saving the one being left first)."""
        self.save_now()
        try:
            entry = self.notebook.get(entry_id)
        except EntryNotFoundError:
            self.statusBar().showMessage("That entry no longer exists.", 5000)
            return
        self._show_entry(entry)
        if select:
            if self.entries.row_of(entry_id) is None and not entry.trashed:
                # Not among the loaded rows of the current list: widen it to find it.
                self.ui.searchBox.blockSignals(True)
                self.ui.searchBox.clear()
                self.ui.searchBox.blockSignals(False)
                self.ui.kindList.blockSignals(True)
                self.ui.kindList.setCurrentIndex(self.kinds.index(0, 0))
                self.ui.kindList.blockSignals(False)
                self.ui.tagTree.clearSelection()
                self.apply_query()
            self._reselect_current()

    def _show_entry(self, entry: Entry | None) -> None:
        self.current = entry
        self.dirty = False
        self.form.fill(entry)
        self._update_title()
        self._request_preview()
        if entry is not None and entry.trashed is not None:
            self.save_label.setText("In the trash (restore with Ctrl+Shift+R)")

    def _on_edited(self) -> None:
        if self.current is None:
            return
        self.dirty = True
        self._update_title()
        self.autosave_timer.start()

    def save_now(self) -> bool:
        """Save the open entry if it has unsaved edits. Returns whether it is saved."""
        self.autosave_timer.stop()
        if self.current is None or not self.dirty:
            return True
        changes = self.form.changes()
        tags_before = {tag.casefold() for tag in self.current.tags}
        try:
            try:
                saved = self.notebook.update(self.current.id, self.current.version, **changes)
                message = ""
            except StaleEntryError:
                # Changed elsewhere since we loaded it: keep the user's text on top; the
                # other version is kept in the entry's history, not lost.
                latest = self.notebook.get(self.current.id)
                saved = self.notebook.update(
                    latest.id, latest.version, checkpoint=True, **changes
                )
                message = "Saved over a change made elsewhere; the other version is in history."
            except EntryNotFoundError:
                # Purged elsewhere while open: store the text again as the same entry.
                restored = self.current.replace(**changes, trashed=None)
                saved = self.notebook.add(restored)
                message = "This entry had been deleted elsewhere; it was saved again."
        except (InvalidEntryError, NotebookError) as error:
            self.save_label.setText("Not saved")
            self.statusBar().showMessage(f"Could not save: {error}", 8000)
            return False
        self.current = saved
        self.dirty = False
        problems = "; ".join(self.form.problems)
        if message or problems:
            self.statusBar().showMessage(" ".join(filter(None, [message, problems])), 8000)
        self._seen_data_version = self.notebook.data_version()
        self._update_title()
        self.entries.refresh()
        self._reselect_current()
        if {tag.casefold() for tag in saved.tags} != tags_before:
            self.reload_tags()
        return True

    def _update_title(self) -> None:
        if self.current is None:
            self.setWindowTitle("notebook-app")
            self.save_label.setText("")
            return
        marker = "● " if self.dirty else ""
        self.setWindowTitle(f"{marker}{self.current.title} — notebook-app")
        if self.current.trashed is None:
            self.save_label.setText("Unsaved changes" if self.dirty else "Saved")

    def check_external_changes(self, *, force: bool = False) -> None:
        """Pick up what other processes (quick capture, another window) wrote.

        ``force`` also refreshes after this window's own connection wrote (data_version only
        moves for other connections' commits).
        """
        version = self.notebook.data_version()
        if version == self._seen_data_version and not force:
            return
        self._seen_data_version = version
        self.entries.refresh()
        self.reload_tags()
        self._reselect_current()
        if self.current is not None and not self.dirty:
            try:
                latest = self.notebook.get(self.current.id)
            except EntryNotFoundError:
                return
            if latest.version != self.current.version:
                cursor = self.ui.editor.textCursor().position()
                self._show_entry(latest)
                cursor_obj = self.ui.editor.textCursor()
                cursor_obj.setPosition(min(cursor, len(latest.body)))
                self.ui.editor.setTextCursor(cursor_obj)

    # --- commands ------------------------------------------------------------------------------

    def new_entry(self, kind: Kind) -> None:
        self.save_now()
        entry = self.notebook.add(Entry(kind=kind, title=NEW_TITLES[kind]))
        scope = self.current_scope()
        if scope.trashed or (scope.kinds and kind not in scope.kinds) or scope.tags:
            self.ui.kindList.setCurrentIndex(self.kinds.index(0, 0))
            self.ui.tagTree.clearSelection()
        self.apply_query()
        self._show_entry(entry)
        self._reselect_current()
        self.ui.titleEdit.setText("")
        self.ui.titleEdit.setPlaceholderText(NEW_TITLES[kind])
        self.form.focus_title()

    def trash_current(self) -> None:
        if self.current is None or self.current.trashed is not None:
            return
        self.save_now()
        row = self.ui.entryList.currentIndex().row()
        entry_id = self.current.id
        self.notebook.trash(entry_id)
        self._trashed_ids.append(entry_id)
        self.undo_trash_action.setEnabled(True)
        self._show_entry(None)
        self.apply_query()
        self.reload_tags()
        if self.entries.rowCount():
            self.ui.entryList.setCurrentIndex(
                self.entries.index(min(max(row, 0), self.entries.rowCount() - 1), 0)
            )
        self.ui.entryList.setFocus()
        self.statusBar().showMessage("Moved to the trash. Undo with Ctrl+Z.", 8000)

    def undo_trash(self) -> None:
        if not self._trashed_ids:
            return
        entry_id = self._trashed_ids.pop()
        self.undo_trash_action.setEnabled(bool(self._trashed_ids))
        try:
            self.notebook.restore(entry_id)
        except EntryNotFoundError:
            return
        self.reload_tags()
        self.open_entry(entry_id)
        self.statusBar().showMessage("Restored from the trash.", 5000)

    def restore_current(self) -> None:
        if self.current is None or self.current.trashed is None:
            return
        entry_id = self.current.id
        self.notebook.restore(entry_id)
        self.reload_tags()
        self.apply_query()
        self._show_entry(self.notebook.get(entry_id))
        self.statusBar().showMessage("Restored from the trash.", 5000)

    def _filter(self) -> tuple[str, Scope]:
        return self.ui.searchBox.text(), self.current_scope()

    def _after_import(self) -> None:
        self.check_external_changes(force=True)

    def open_capture(self) -> None:
        self.capture_box.start()

    def _captured(self, entry: Entry) -> None:
        # Shown in the list; the entry being edited stays open, with what was being typed.
        self.check_external_changes(force=True)
        self.statusBar().showMessage(f"Captured {entry.kind.value}: {entry.title}", 6000)

    def copy_as_markdown(self) -> None:
        if self.current is None:
            return
        from notebook_app.core.api import entry_as_markdown  # not needed at start-up

        self.save_now()
        QGuiApplication.clipboard().setText(entry_as_markdown(self.current))
        self.statusBar().showMessage("Copied as markdown.", 4000)

    def focus_search(self) -> None:
        self.ui.searchBox.setFocus()
        self.ui.searchBox.selectAll()

    def focus_list(self) -> None:
        self.ui.entryList.setFocus()

    def focus_editor(self) -> None:
        if self.current is not None:
            if not self.show_editor_action.isChecked():
                self.show_editor_action.setChecked(True)
            self.ui.editor.setFocus()

    def _switch_to(self, entry_id: str) -> None:
        """An entry chosen in Ctrl+P: open it and go on typing in it, as in other editors."""
        self.open_entry(entry_id)
        # The switcher is a window of its own: make this one active again, then (once the
        # switcher's closing has handed the focus back to where it was) go to the editor.
        self.activateWindow()
        QTimer.singleShot(0, self.focus_editor)

    def switcher_open(self) -> None:
        self.switcher.open_switcher()

    def toggle_editor_preview(self) -> None:
        """Cycle: both side by side, editor alone, preview alone."""
        editor = self.show_editor_action.isChecked()
        preview = self.show_preview_action.isChecked()
        if editor and preview:
            self.show_preview_action.setChecked(False)
        elif editor:
            self.show_editor_action.setChecked(False)
            self.show_preview_action.setChecked(True)
        else:
            self.show_editor_action.setChecked(True)
            self.show_preview_action.setChecked(True)

    def _apply_visibility(self) -> None:
        editor = self.show_editor_action.isChecked()
        preview = self.show_preview_action.isChecked()
        if not editor and not preview:
            # Hiding both would leave nothing to read: keep the other one.
            sender = self.sender()
            (self.show_preview_action if sender is self.show_editor_action
             else self.show_editor_action).setChecked(True)  # fmt: skip
            return
        self.ui.editor.setVisible(editor)
        self.ui.preview.setVisible(preview)
        self.ui.sidebar.setVisible(self.show_sidebar_action.isChecked())
        if preview:
            self._request_preview()

    def choose_font(self) -> None:
        ok, font = QFontDialog.getFont(self.ui.editor.font(), self, "Editor font")
        if ok:
            self.ui.editor.set_editor_font(font.family(), font.pointSize())
            self.settings.set(S.EDITOR_FONT_FAMILY, font.family())
            self.settings.set(S.EDITOR_FONT_SIZE, font.pointSize())

    def set_theme(self, theme: str) -> None:
        """Light, dark or the desktop's, applied now and remembered."""
        self.settings.set(S.THEME, theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self._request_preview()  # the preview's CSS follows the palette

    def show_shortcuts(self) -> None:
        ShortcutSheet(self.menuBar(), EXTRA_KEYS, self).exec()

    def show_about(self) -> None:
        where = self.notebook.path or "memory"
        QMessageBox.about(
            self, "About notebook-app",
            f"<b>notebook-app {__version__}</b><br>A research notebook.<br><br>Notebook: {where}",
        )  # fmt: skip

    # --- preview and outline -------------------------------------------------------------------

    def _request_preview(self) -> None:
        # isHidden, not isVisible: the entry restored at start-up is opened before the window
        # is first shown, and its preview must be there when it is.
        if self.ui.preview.isHidden() and self.ui.outlineDock.isHidden():
            return
        token = self.current.id if self.current else None
        if self.renderer is not None:  # else the first render comes when it starts
            self.renderer.request(self.ui.editor.toPlainText() if self.current else "", token)

    def _show_rendered(
        self, token: object, html: str, headings: list[Heading], sections: tuple[str, ...] = ()
    ) -> None:
        if token != (self.current.id if self.current else None):
            return
        # With the sections, the preview replaces only those that changed.
        self.ui.preview.set_rendered(html, preview_css(self), sections)
        self._fill_outline(headings)

    def _fill_outline(self, headings: list[Heading]) -> None:
        if headings == self._outline_headings:
            return  # most keystrokes change no heading: keep the tree (and its selection)
        self._outline_headings = headings
        outline = self.ui.outline
        outline.clear()
        parents: list[tuple[int, QTreeWidgetItem | None]] = [(0, None)]
        for heading in headings:
            while len(parents) > 1 and parents[-1][0] >= heading.level:
                parents.pop()
            parent = parents[-1][1]
            item = QTreeWidgetItem([heading.text])
            item.setData(0, Qt.ItemDataRole.UserRole, (heading.line, heading.anchor))
            if parent is None:
                outline.addTopLevelItem(item)
            else:
                parent.addChild(item)
            parents.append((heading.level, item))
        outline.expandAll()

    def _outline_jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        line, anchor = item.data(0, Qt.ItemDataRole.UserRole)
        self.ui.editor.jump_to_line(line)
        self.ui.preview.scroll_to_anchor(anchor)

    def _follow_editor_scroll(self, _line: int) -> None:
        self.ui.preview.scroll_to_fraction(self.ui.editor.scroll_fraction())

    def _open_entry_link(self, target: str) -> None:
        try:
            entry_id = self.notebook.resolve_id(target)
        except NotebookError:
            matches = self.notebook.titles_matching(target, limit=1)
            if not matches:
                self.statusBar().showMessage(f"No entry called {target}", 5000)
                return
            entry_id = matches[0].id
        self.open_entry(entry_id)

    def _open_external(self, url: QUrl) -> None:
        self._open_url(url)
        self.statusBar().showMessage(f"Opened {url.toString()} in the browser", 4000)

