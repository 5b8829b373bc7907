"""The glossary view: the terms in the learner's order, with their place and learning status.

A dock beside the entry pane (View > Glossary, Ctrl+Shift+G). Ctrl+Shift+Up / Ctrl+Shift+Down
move the selected term one place, and dragging a row moves it too; either way the row moves
at once in the view and the move is stored on the write lane through the core's
``Notebook.move_term`` (one row written), after which the view reads the order back. Selecting
a term opens it in the entry pane, as the entry list does. A term created while the view has
a term selected is placed after that term.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from notebook_app.core.api import Entry, Kind, Notebook

if TYPE_CHECKING:
    from notebook_app.core.api import GlossaryRow

Index = QModelIndex | QPersistentModelIndex
MIME = "application/x-notebook-app-term-ids"
STATUS_LABELS = {"want": "want to learn", "learning": "learning", "learned": "learned"}


class Column(enum.IntEnum):
    POSITION = 0
    TERM = 1
    STATUS = 2


HEADERS = {Column.POSITION: "#", Column.TERM: "Term", Column.STATUS: "Status"}
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)


def read_glossary(notebook: Notebook) -> list[GlossaryRow]:
    """Every live term in glossary order, with its status (run on the read lane): a glossary
    of 10,000 terms is 10,000 short rows, read in a few ms."""
    from notebook_app.core.api import glossary_rows

    return glossary_rows(notebook)


class GlossaryModel(QAbstractTableModel):
    """The terms as rows; a row's place is its position (1 is first). Rows are moved here
    first, then the move is asked for (``moveRequested``)."""

    # The term moved, the term it now sits next to, and whether it sits after it.
    moveRequested = Signal(str, str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GlossaryRow] = []

    def show_rows(self, rows: Sequence[GlossaryRow]) -> None:
        new = list(rows)
        if [r.id for r in new] == [r.id for r in self.rows]:
            # The same terms in the same order (a move already shown, a status changed): no
            # reset, which would make the view lay out every row again (tens of ms at 10,000).
            self.rows = new
            if new:
                last = self.index(len(new) - 1, len(Column) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self.rows = new
        self.endResetModel()

    def row_of(self, entry_id: str) -> int | None:
        for row, summary in enumerate(self.rows):
            if summary.id == entry_id:
                return row
        return None

    def entry_id(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    # --- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        summary = self.rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.POSITION:
                return str(index.row() + 1)
            if column is Column.TERM:
                return summary.title
            status = summary.learning_status
            return STATUS_LABELS.get(status.value, status.value) if status else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.POSITION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        if role == Qt.ItemDataRole.AccessibleTextRole and column is Column.TERM:
            return f"{index.row() + 1}. {summary.title}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Drops go between rows, never onto one. (Constants: views ask for every row.)
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    # --- moving ----------------------------------------------------------------------------

    def move(self, source: int, target: int) -> bool:
        """Move the row at ``source`` so that it lands before the row now at ``target``
        (``target == rowCount()``: to the end); asks for the move to be stored."""
        count = len(self.rows)
        if not 0 <= source < count or not 0 <= target <= count or target in (source, source + 1):
            return False
        moving = self.rows[source]
        if target < count:
            anchor, after = self.rows[target].id, False
        else:
            anchor, after = self.rows[-1].id, True
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
        del self.rows[source]
        self.rows.insert(target - 1 if target > source else target, moving)
        self.endMoveRows()
        # The positions of the rows in between changed.
        first, last = min(source, target), min(max(source, target), count - 1)
        self.dataChanged.emit(self.index(first, 0), self.index(last, 0))
        self.moveRequested.emit(moving.id, anchor, after)
        return True

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt API)
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 (Qt API)
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        ids = [self.rows[row].id for row in rows]
        data.setData(MIME, QByteArray("\n".join(ids).encode()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def dropMimeData(  # noqa: N802 (Qt API)
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME):
            return False
        ids = bytes(data.data(MIME).data()).decode().split("\n")
        source = self.row_of(ids[0]) if ids and ids[0] else None
        if source is None:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.rows))
        self.move(source, target)
        # False: the view must not remove the dragged row itself (it was moved here).
        return False


class GlossaryView(QTableView):
    """The glossary's rows, keys included; it knows nothing of the notebook.

    A table, not a tree: a tree lays out every row again after a row moves (tens of ms at
    10,000 terms); a table's rows all have one height and cost nothing until drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryView")
        self.setAccessibleName("Glossary in your order")
        self.glossary = GlossaryModel(self)
        self.setModel(self.glossary)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the view, as in the entry list
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        # Widths from the font, never from the rows: "resize to contents" measures every row
        # on each selection change (200 ms for a glossary of 2,000 terms).
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(8)
        header.setSectionResizeMode(Column.TERM, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for column, sample in ((Column.POSITION, "00000"), (Column.STATUS, "want to learn")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        for keys, step in (("Ctrl+Shift+Up", -1), ("Ctrl+Shift+Down", 1)):
            key = QShortcut(QKeySequence(keys), self)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(lambda step=step: self.move_selected(step))

    def selected_id(self) -> str | None:
        index = self.currentIndex()
        return self.glossary.entry_id(index.row()) if index.isValid() else None

    def select_id(self, entry_id: str | None) -> None:
        row = self.glossary.row_of(entry_id) if entry_id else None
        if row is not None:
            index = self.glossary.index(row, Column.TERM)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def move_selected(self, step: int) -> None:
        """Ctrl+Shift+Up / Down: the selected term one place up or down, kept selected."""
        row = self.currentIndex().row()
        if row < 0:
            return
        target = row + step
        if target < 0 or target >= self.glossary.rowCount():
            return
        # ``move`` places before the row at the target index: one further when going down.
        if self.glossary.move(row, target + 1 if step > 0 else target):
            self.setCurrentIndex(self.glossary.index(target, Column.TERM))


class GlossaryPane(QObject):
    """The view bound to the notebook: reads on the read lane, moves on the write lane."""

    message = Signal(str, int)
    termChosen = Signal(str)  # a row selected: open that term
    moved = Signal(str)  # a move was stored (the entry list may show the glossary order)

    def __init__(
        self,
        view: GlossaryView,
        submit: Callable[..., object],
        write: Callable[..., None],
        parent: QObject | None = None,
    ) -> None:
        """``submit``: the runner's ``submit`` (for reads); ``write``: ``OpenEntry.write``."""
        super().__init__(parent)
        self.view, self._submit, self._write = view, submit, write
        self._opened: str | None = None  # the entry open in the pane, kept selected here
        view.glossary.moveRequested.connect(self._store_move)
        view.selectionModel().currentChanged.connect(self._row_selected)

    def reload(self) -> None:
        self._submit("read", read_glossary, done=self._show, key="glossary")

    def _show(self, rows: list[GlossaryRow]) -> None:
        keep = self.view.selected_id() or self._opened
        self.view.glossary.show_rows(rows)
        self._quiet_select(keep)

    def _quiet_select(self, entry_id: str | None) -> None:
        """Select a row without asking for it to be opened (it is open, or being shown)."""
        selection = self.view.selectionModel()
        selection.currentChanged.disconnect(self._row_selected)
        try:
            self.view.select_id(entry_id)
        finally:
            selection.currentChanged.connect(self._row_selected)

    def entry_opened(self, entry: Entry) -> None:
        self._opened = entry.id
        if entry.kind is Kind.TERM and entry.id != self.view.selected_id():
            self._quiet_select(entry.id)

    def _row_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry_id = self.view.glossary.entry_id(current.row()) if current.isValid() else None
        if entry_id and entry_id != self._opened:
            self.termChosen.emit(entry_id)

    def _store_move(self, entry_id: str, anchor: str, after: bool) -> None:
        def work(notebook: Notebook) -> int:
            if after:
                return notebook.move_term(entry_id, after=anchor)
            return notebook.move_term(entry_id, before=anchor)

        def done(rank: int) -> None:
            self.message.emit(f"Moved to position {rank} in the glossary.", 3000)
            self.moved.emit(entry_id)
            self.reload()

        def failed(error: Exception) -> None:
            self.message.emit(f"Not moved: {error}", 8000)
            self.reload()  # the view shows the stored order again

        self._write(entry_id, work, done=done, failed=failed)

    def place_new_term(self, entry: Entry) -> None:
        """A term just stored that the view does not list yet goes after the selected term
        (the issue's default for a term created while the glossary is shown)."""
        anchor = self.view.selected_id()
        if entry.kind is not Kind.TERM or anchor is None or anchor == entry.id:
            return
        if self.view.glossary.row_of(entry.id) is not None:
            return
        self._store_move(entry.id, anchor, True)
