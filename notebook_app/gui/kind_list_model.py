"""The sidebar's kinds: All, Notes, Glossary, Meetings, Trash."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from notebook_app.core.api import Kind, Scope, Sort
from notebook_app.gui.theme import icon


@dataclasses.dataclass(frozen=True)
class KindRow:
    label: str
    scope: Scope
    sort: Sort  # the view's own sort until the user picks another (sort_choice.py)
    icon_name: str  # also the view's name in the remembered sorts


ROWS = [
    KindRow("All entries", Scope(), Sort.UPDATED, "all"),
    KindRow("Notes", Scope(kinds=frozenset({Kind.NOTE})), Sort.UPDATED, "note"),
    KindRow("Glossary", Scope(kinds=frozenset({Kind.TERM})), Sort.GLOSSARY, "term"),
    KindRow("Meetings", Scope(kinds=frozenset({Kind.MEETING})), Sort.DAY, "meeting"),
    KindRow("Trash", Scope(trashed=True), Sort.UPDATED, "trash"),
]


class KindListModel(QAbstractListModel):
    def __init__(self, icons: dict[Kind, QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons = [icon(row.icon_name) for row in ROWS]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ROWS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return ROWS[index.row()].label
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons[index.row()]
        return None

    def scope_for_row(self, row: int) -> Scope:
        return ROWS[row].scope
