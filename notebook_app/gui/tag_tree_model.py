"""The sidebar's tag tree: nested tags (``ml`` > ``interpretability``) with their counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from notebook_app.core.api import TagCount

TAG_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class TagTreeModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}

    def reload(self, tags: Sequence[TagCount]) -> None:
        """Rebuild from ``Notebook.tag_counts()`` (parents come before their children)."""
        self.clear()
        self._items = {}
        for tag in tags:
            item = QStandardItem(f"{tag.leaf}  ({tag.total})")
            item.setData(tag.name, TAG_NAME_ROLE)
            item.setEditable(False)
            item.setToolTip(f"#{tag.name}: {tag.total} entries")
            parent = self._items.get(tag.parent.casefold()) if tag.parent else None
            (parent or self.invisibleRootItem()).appendRow(item)
            self._items[tag.name.casefold()] = item

    def tags_for_indexes(
        self, indexes: Iterable[QModelIndex | QPersistentModelIndex]
    ) -> tuple[str, ...]:
        names = [index.data(TAG_NAME_ROLE) for index in indexes if index.isValid()]
        return tuple(dict.fromkeys(name for name in names if name))

    def indexes_for_tags(self, names: Iterable[str]) -> list[QModelIndex]:
        items = (self._items.get(name.casefold()) for name in names)
        return [item.index() for item in items if item is not None]
