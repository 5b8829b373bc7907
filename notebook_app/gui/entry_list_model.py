"""The entry list's model: pages of the core's search results, fetched as the view scrolls.

It never holds every entry: ``fetchMore`` asks the core for the next page of 50 (a page of a
100,000-entry notebook takes a few milliseconds), so the list opens instantly on any notebook.
In the window the pages are read on a worker (``set_fetcher``); alone, the model reads them
itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from notebook_app.core.api import EntrySummary, Kind, Notebook, Scope, Sort, parse_query

# Three screens of rows: enough to fill the list and scroll a little before the next page,
# and half the ranking and snippet work of 100 for each keystroke in the search box.
PAGE_SIZE = 50
Index = QModelIndex | QPersistentModelIndex
# fetch(offset, limit, text, scope, sort, arrived): reads a page and calls arrived(rows) back.
Fetch = Callable[[int, int, str, Scope, Sort | None, Callable[[list[EntrySummary]], None]], object]


class EntryRoles(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    TAGS = Qt.ItemDataRole.UserRole + 3
    DAY = Qt.ItemDataRole.UserRole + 4
    SNIPPET = Qt.ItemDataRole.UserRole + 5
    SUMMARY = Qt.ItemDataRole.UserRole + 6


class EntryListModel(QAbstractListModel):
    def __init__(
        self, notebook: Notebook, icons: dict[Kind, QIcon], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.notebook = notebook
        self.icons = icons
        self.rows: list[EntrySummary] = []
        self.query_text = ""
        self.scope = Scope()
        # Not ``sort``: that name is QAbstractItemModel.sort(column, order), which views call.
        self.order: Sort | None = None
        self._exhausted = True
        self._positions: dict[str, int] = {}
        self._fetch: Fetch | None = None
        self._fetching = False
        self._waiting: list[Callable[[], object]] = []  # told when the page under way lands
        self._generation = 0  # counts the lists shown: a page of an older one is dropped

    # --- queries -------------------------------------------------------------------------------

    def set_query(self, text: str, scope: Scope, sort: Sort | None) -> None:
        """Show the first page for a new query. A malformed query raises QueryError and keeps
        the rows shown."""
        parse_query(text)  # raises before anything is reset
        self.show_rows(text, scope, sort, self._page(0, PAGE_SIZE, text, scope, sort))

    def refresh(self) -> None:
        """Reload after a change, keeping as many rows loaded as before."""
        wanted = self.rows_wanted()
        rows = self._page(0, wanted, self.query_text, self.scope, self.order)
        self.show_rows(self.query_text, self.scope, self.order, rows, wanted)

    def rows_wanted(self) -> int:
        """How many rows a refresh reads: as many as are loaded, at least a page."""
        return max(len(self.rows), PAGE_SIZE)

    def show_rows(
        self,
        text: str,
        scope: Scope,
        sort: Sort | None,
        rows: list[EntrySummary],
        asked: int = PAGE_SIZE,
    ) -> None:
        """Show ``rows``, the first ``asked`` results of a query read elsewhere (on a worker:
        see ``entry_list.ListPane``); later pages are fetched from this query as the view
        scrolls."""
        self.query_text, self.scope, self.order = text, scope, sort
        self._generation += 1
        self._fetching = False
        self._waiting = []
        self.beginResetModel()
        self._set_rows(rows, asked)
        self.endResetModel()

    def _page(
        self, offset: int, limit: int, text: str, scope: Scope, sort: Sort | None
    ) -> list[EntrySummary]:
        return self.notebook.search(text, scope=scope, sort=sort, limit=limit, offset=offset)

    def _set_rows(self, rows: list[EntrySummary], asked: int = PAGE_SIZE) -> None:
        self.rows = rows
        self._exhausted = len(rows) < asked
        self._positions = {summary.id: row for row, summary in enumerate(rows)}

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 (Qt API)
        if not parent.isValid():
            self.fetch_more()

    def set_fetcher(self, fetch: Fetch) -> None:
        """Read further pages with ``fetch`` (the list pane's, on a worker) instead of on
        this thread."""
        self._fetch = fetch

    def fetch_more(self, then: Callable[[], object] | None = None) -> None:
        """The next page: appended now, or (with a fetcher) when it arrives; ``then`` runs
        once it is appended."""
        if self._exhausted:
            return
        args = (len(self.rows), PAGE_SIZE, self.query_text, self.scope, self.order)
        if self._fetch is None:
            self._append(self._page(*args))
            if then is not None:
                then()
            return
        if then is not None:
            self._waiting.append(then)
        if self._fetching:
            # The view asks again while it scrolls: one page at a time. A caller waiting for
            # rows (Ctrl+0 on an entry further down) is told when the page under way lands.
            return
        self._fetching = True
        generation = self._generation

        def arrived(page: list[EntrySummary]) -> None:
            if generation != self._generation:
                return  # the list was shown afresh meanwhile: this page belongs to the old one
            self._fetching = False
            self._append(page)
            waiting, self._waiting = self._waiting, []
            for call in waiting:
                call()

        self._fetch(*args, arrived)

    def _append(self, page: list[EntrySummary]) -> None:
        # Entries can move between pages when something changes meanwhile: skip repeats.
        page = [summary for summary in page if summary.id not in self._positions]
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if not page:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        for offset, summary in enumerate(page):
            self._positions[summary.id] = start + offset
        self.rows.extend(page)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        summary = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.title
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icons.get(summary.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            tags = " ".join(f"#{tag}" for tag in summary.tags)
            return f"{summary.title}\n{summary.kind.value} · {summary.day.isoformat()} {tags}"
        if role == EntryRoles.ID:
            return summary.id
        if role == EntryRoles.KIND:
            return summary.kind
        if role == EntryRoles.TAGS:
            return summary.tags
        if role == EntryRoles.DAY:
            return summary.day
        if role == EntryRoles.SNIPPET:
            return summary.snippet
        if role == EntryRoles.SUMMARY:
            return summary
        return None

    # --- lookups -------------------------------------------------------------------------------

    def entry_id(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def row_of(self, entry_id: str) -> int | None:
        return self._positions.get(entry_id)

    def summary(self, row: int) -> EntrySummary:
        return self.rows[row]
