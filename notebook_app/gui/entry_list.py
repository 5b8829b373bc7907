"""The list pane: the sidebar's kinds and tags, the search box, the sort, the entry list with
its result count and its empty hint.

The query (search text, kind, tags, sort) runs on the task runner's "read" lane, newest
request wins, so typing in the search box never waits for the notebook. The result count and
the tag tree's counts (tens of milliseconds at 100,000 entries) run on a "count" lane of their
own, so a query never queues behind them.

One rule keeps the list and the open entry together: the list always selects the entry that is
open (or being opened), and selecting any other row asks for that entry to be opened. Filling
the list, or reselecting, can then never open anything by accident, and no signal needs
blocking. Likewise the tag filter is the set of selected tag names: reloading the tree keeps
the names selected, and the query runs again only when that set really changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon

from notebook_app.core.api import (
    EntrySummary,
    Kind,
    Notebook,
    QueryError,
    Scope,
    Sort,
    TagCount,
    parse_query,
)
from notebook_app.gui.empty_hint import EmptyHint
from notebook_app.gui.entry_delegate import EntryDelegate
from notebook_app.gui.entry_list_model import PAGE_SIZE, EntryListModel
from notebook_app.gui.folder_tree_model import FolderPane, folder_query
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.kind_list_model import KindListModel
from notebook_app.gui.search_completion import TagCompletion
from notebook_app.gui.sort_choice import SortChoice
from notebook_app.gui.tag_tree_model import TagTreeModel
from notebook_app.gui.tasks import TaskRunner

SEARCH_DELAY_MS = 60  # coalesces fast typing; a search takes a few ms
EMPTY_NOTEBOOK_KEYS = [
    ("Ctrl+N", "new note"),
    ("Ctrl+Shift+T", "new term"),
    ("Ctrl+Shift+M", "new meeting"),
    ("Ctrl+Shift+Space", "quick capture"),
    ("Ctrl+Shift+I", "import a folder"),
    ("F1", "all shortcuts"),
]


class ListPane(QObject):
    """The sidebar and the entry list, bound to the notebook through the runner."""

    entryChosen = Signal(str)  # the user selected a row of an entry that is not open
    trashShown = Signal(bool)  # the Trash view was entered (True) or left
    message = Signal(str, int)
    tagsCounted = Signal(list)  # [TagCount], each time the tag tree is recounted
    # The rows of a query the user changed (search text, kind, tags) are shown: the window
    # checks that the open entry is still among them.
    queryShown = Signal()
    folderChanged = Signal(str)  # the sidebar's folder ("" for none): folder_tree_model.py

    def __init__(
        self,
        ui: Ui_MainWindow,
        notebook: Notebook,
        runner: TaskRunner,
        icons: dict[Kind, QIcon],
        wanted_id: Callable[[], str | None],
        kind_row: int = 0,
        parent: QObject | None = None,
    ) -> None:
        """``kind_row`` is the sidebar row shown first (set before any signal is connected:
        the window runs the first query itself)."""
        super().__init__(parent)
        self.ui, self.runner, self._wanted_id = ui, runner, wanted_id
        self.kinds = KindListModel(icons, self)
        ui.kindList.setModel(self.kinds)
        # Five fixed rows: the list is exactly as tall as they are, never scrolled.
        ui.kindList.ensurePolished()
        rows_height = sum(ui.kindList.sizeHintForRow(r) for r in range(self.kinds.rowCount()))
        ui.kindList.setFixedHeight(rows_height + 2 * ui.kindList.frameWidth() + 2)
        self.tag_model = TagTreeModel(self)
        ui.tagTree.setModel(self.tag_model)
        self.entries = EntryListModel(notebook, icons, self)
        self.entries.set_fetcher(self._fetch_page)
        ui.entryList.setModel(self.entries)
        ui.entryList.setItemDelegate(EntryDelegate(ui.entryList))
        # Said in the empty list: what to do when there is nothing, or nothing matches.
        self.empty_hint = EmptyHint(ui.entryList.viewport())
        self.sorts = SortChoice(ui.sortCombo)
        self.tag_completion = TagCompletion(ui.searchBox)
        # Titles are elided with "…" by the delegate: the list never scrolls sideways.
        ui.entryList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._tags: tuple[str, ...] = ()
        self._asked: tuple[str, Scope, Sort | None] = ("", Scope(), None)  # the newest query
        self._then: Callable[[], object] | None = None
        # When the rows shown were asked for: a write landing later may be missing from them.
        self.shown_asked_at = 0.0
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(lambda: self.apply_query(user=True))
        ui.kindList.setCurrentIndex(
            self.kinds.index(min(max(kind_row, 0), self.kinds.rowCount() - 1), 0)
        )

        self.entries.modelReset.connect(self.update_empty_hint)
        self.entries.rowsInserted.connect(self.update_empty_hint)
        ui.searchBox.textChanged.connect(lambda _text: self.search_timer.start())
        ui.searchBox.returnPressed.connect(self._search_return)
        ui.kindList.selectionModel().currentChanged.connect(self._kind_changed)
        ui.tagTree.selectionModel().selectionChanged.connect(lambda *_: self._tags_selected())
        ui.sortCombo.activated.connect(self._sort_chosen)
        ui.entryList.selectionModel().currentChanged.connect(self._row_selected)
        ui.mainSplitter.splitterMoved.connect(lambda *_: self.update_empty_hint())
        # The sidebar's folder tree: the chosen folder narrows the query and takes new entries.
        self.folder = ""
        self.folders = FolderPane(ui, runner, self)

    # --- the query -----------------------------------------------------------------------------

    def current_scope(self) -> Scope:
        base = self.kinds.scope_for_row(max(self.ui.kindList.currentIndex().row(), 0))
        return Scope(kinds=base.kinds, tags=self._tags, trashed=base.trashed)

    def current_sort(self) -> Sort | None:
        """The sort of the view shown (None: the best match, while searching)."""
        row = max(self.ui.kindList.currentIndex().row(), 0)
        searching = bool(self.ui.searchBox.text().strip())
        self.sorts.show_for(row, searching)
        return self.sorts.sort_for(row, searching)

    def _sort_chosen(self, _index: int) -> None:
        self.sorts.chosen()
        self.apply_query()

    def filter(self) -> tuple[str, Scope]:
        """The search text and scope: what the export commands offer to export."""
        return self.query_text(), self.current_scope()

    def query_text(self) -> str:
        """The search box's text, and the chosen folder's ``folder:`` filter."""
        return " ".join(part for part in (self.ui.searchBox.text(), folder_query(self.folder))
                        if part)  # fmt: skip

    def set_folder(self, path: str) -> None:
        self.folder = path
        self.folderChanged.emit(path)
        self.apply_query()

    def apply_query(
        self, *, now: bool = False, then: Callable[[], object] | None = None, count: bool = True,
        user: bool = False,
    ) -> None:  # fmt: skip
        """Run the list's query from the search box, sidebar and sort: on a worker (``then``
        runs once its rows are shown), or (at start-up, before the first frame) ``now`` on this
        thread. ``count`` also counts the results; ``user``: the user changed the query (the
        rows' arrival is said with ``queryShown``)."""
        self.search_timer.stop()
        text, scope, sort = self.query_text(), self.current_scope(), self.current_sort()
        try:
            parse_query(text)
        except QueryError as error:
            self._set_query_error(str(error))
            return
        self._set_query_error("")
        self.ui.resultLabel.setText("")
        self._asked = (text, scope, sort)
        if now:
            self.entries.show_rows(
                text, scope, sort,
                self.entries.notebook.search(text, scope=scope, sort=sort, limit=PAGE_SIZE),
            )  # fmt: skip
            self.reselect()
        else:
            self._read_rows(text, scope, sort, PAGE_SIZE, then, user)
        if count:
            self.count()

    def count(self) -> None:
        """Count the results of the newest query (on the "count" lane)."""
        text, scope, _sort = self._asked
        self.runner.submit(
            "count", lambda notebook: notebook.count(text, scope=scope),
            done=self._show_count, failed=lambda _error: None, key="count",
        )  # fmt: skip

    def refresh(self) -> None:
        """Read the list and its count again (something changed), keeping as many rows as
        are loaded."""
        self._read_rows(*self._asked, self.entries.rows_wanted())
        self.count()

    def _read_rows(
        self, text: str, scope: Scope, sort: Sort | None, limit: int,
        then: Callable[[], object] | None = None, user: bool = False,
    ) -> None:  # fmt: skip
        if then is not None:
            self._then = then  # kept if a newer read (a refresh) replaces this one

        asked_at = time.monotonic()

        def arrived(rows: list[EntrySummary]) -> None:
            self.entries.show_rows(text, scope, sort, rows, limit)
            self.reselect()
            if user:
                self.shown_asked_at = asked_at
                self.queryShown.emit()
            after, self._then = self._then, None
            if after is not None:
                after()

        def failed(error: Exception) -> None:
            self.message.emit(str(error), 5000)

        self.runner.submit(
            "read",
            lambda notebook: notebook.search(text, scope=scope, sort=sort, limit=limit),
            done=arrived, failed=failed, key="list",
        )  # fmt: skip

    def _fetch_page(
        self, offset: int, limit: int, text: str, scope: Scope, sort: Sort | None,
        arrived: Callable[[list[EntrySummary]], None],
    ) -> None:  # fmt: skip
        """The list's next page as the view scrolls, read on the read lane."""
        self.runner.submit(
            "read",
            lambda notebook: notebook.search(
                text, scope=scope, sort=sort, limit=limit, offset=offset
            ),
            done=arrived, failed=lambda _error: arrived([]), key="page",
        )  # fmt: skip

    def _set_query_error(self, message: str) -> None:
        box = self.ui.searchBox
        box.setProperty("invalid", bool(message))
        box.style().unpolish(box)
        box.style().polish(box)
        box.setToolTip(message)
        if message:
            self.message.emit(message, 5000)

    def _show_count(self, count: int) -> None:
        word = "entry" if count == 1 else "entries"
        self.ui.resultLabel.setText(f"{count:,} {word}")

    def _kind_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.trashShown.emit(self.kinds.scope_for_row(current.row()).trashed)
        self.apply_query(user=True)

    def _search_return(self) -> None:
        """Enter in the search box: into the results, on the first one, once they are in."""

        def into_results() -> None:
            self.select_row(0)
            if self.entries.rowCount():
                self.ui.entryList.setFocus()

        self.apply_query(then=into_results)

    def show_everything(self) -> None:
        """Clear the search, the kind and the tags (to show an entry the list does not)."""
        self.ui.searchBox.clear()
        self.ui.kindList.setCurrentIndex(self.kinds.index(0, 0))
        self.ui.tagTree.clearSelection()
        self.folder = ""
        self.folderChanged.emit("")
        self.apply_query()

    def reveal(self, entry_id: str, trashed: bool) -> None:
        """Select an opened entry, widening the list if it is not among the loaded rows."""
        if self.entries.row_of(entry_id) is None and not trashed:
            self.show_everything()
        self.reselect()

    def show_kind(self, kind: Kind) -> None:
        """Make sure the list can show a new entry of ``kind``."""
        scope = self.current_scope()
        if scope.trashed or (scope.kinds and kind not in scope.kinds) or scope.tags:
            self.ui.kindList.setCurrentIndex(self.kinds.index(0, 0))
            self.ui.tagTree.clearSelection()
        self.apply_query()

    def update_empty_hint(self) -> None:
        hint = self.empty_hint
        if self.entries.rowCount():
            hint.hide()
            return
        scope = self.current_scope()
        searching = self.ui.searchBox.text().strip()
        if searching or scope.tags or self.folder:
            # How to undo what narrowed the list: Esc in the search box leaves tags and folder.
            undo = [("Esc in the search box clears the search", searching),
                    ("Space on a chosen tag in the sidebar deselects it", scope.tags),
                    ("Esc in the folder tree shows every folder", self.folder)]  # fmt: skip
            hint.say("Nothing matches.<br><br>" + "<br>".join(f"{say}." for say, on in undo if on))
        elif scope.trashed:
            hint.say("The trash is empty.")
        else:
            rows = "".join(
                f"<tr><td align='right'><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>"
                for keys, what in EMPTY_NOTEBOOK_KEYS
            )
            hint.say(f"Nothing here yet.<br><br><table>{rows}</table>")

    # --- selection -----------------------------------------------------------------------------

    def reselect(self) -> None:
        """The rule: the list selects the open (or opening) entry, or nothing."""
        wanted = self._wanted_id()
        row = self.entries.row_of(wanted) if wanted else None
        model = self.ui.entryList.selectionModel()
        if row is None:
            model.clearSelection()
            model.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            index = self.entries.index(row, 0)
            model.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.ui.entryList.scrollTo(index)
        self.ui.entryList.viewport().update()

    def _row_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry_id = self.entries.entry_id(current.row()) if current.isValid() else None
        if entry_id and entry_id != self._wanted_id():
            self.entryChosen.emit(entry_id)

    def reveal_open_entry(self, then: Callable[[], object] = lambda: None, pages: int = 20) -> None:
        """Select the open entry's row and scroll to it, reading on while it is not among the
        rows loaded (it may sit past the first page); then ``then``."""
        wanted = self._wanted_id()
        missing = wanted and self.entries.row_of(wanted) is None
        if missing and pages > 0 and self.entries.canFetchMore():
            self.entries.fetch_more(then=lambda: self.reveal_open_entry(then, pages - 1))
            return
        self.reselect()
        then()

    def focus_open_entry(self) -> None:
        """Ctrl+0: the focus on the open entry's row, never on another (that would open it)."""
        self.reveal_open_entry(then=self._focus_list)

    def _focus_list(self) -> None:
        view = self.ui.entryList
        if not view.currentIndex().isValid() and self.entries.rowCount() and not self._wanted_id():
            self.select_row(0)  # nothing open: the first row, as a list does
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def matches_scope(self, kind: Kind, tags: Sequence[str], trashed: bool) -> bool:
        """Whether an entry of ``kind`` with ``tags`` belongs in the sidebar's view (the search
        text aside)."""
        scope = self.current_scope()
        if scope.trashed != trashed or (scope.kinds and kind not in scope.kinds):
            return False
        held = {tag.casefold() for tag in tags}
        return all(
            any(t == tag.casefold() or t.startswith(tag.casefold() + "/") for t in held)
            for tag in scope.tags
        )

    def select_row(self, row: int) -> None:
        if 0 <= row < self.entries.rowCount():
            self.ui.entryList.setCurrentIndex(self.entries.index(row, 0))

    def step(self, step: int) -> None:
        row = self.ui.entryList.currentIndex().row() + step
        if row >= self.entries.rowCount() and step > 0 and self.entries.canFetchMore():
            self.entries.fetch_more(then=lambda: self.select_row(row))
        else:
            self.select_row(row)

    # --- tags ----------------------------------------------------------------------------------

    def _tags_selected(self) -> None:
        tags = self.tag_model.tags_for_indexes(self.ui.tagTree.selectionModel().selectedIndexes())
        if set(tags) != set(self._tags):
            self._tags = tags
            self.apply_query(user=True)

    def reload_tags(self) -> None:
        """Recount the tag tree on a worker (a hundred milliseconds at 100,000 entries)."""
        self.runner.submit(
            "count", lambda notebook: notebook.tag_counts(), done=self._show_tags,
            failed=lambda _error: None, key="tags",
        )  # fmt: skip

    def _show_tags(self, counts: list[TagCount]) -> None:
        selected = set(self._tags)
        self.tag_model.reload(counts)
        self.ui.tagTree.expandToDepth(0)
        selection = self.ui.tagTree.selectionModel()
        for index in self.tag_model.indexes_for_tags(selected):
            selection.select(index, QItemSelectionModel.SelectionFlag.Select)
        self._tags_selected()  # runs the query only if a selected tag has gone
        self.tag_completion.set_tags(tag.name for tag in counts)
        self.tagsCounted.emit(counts)
