"""The sidebar's folder tree: the vault folders entries live in (``projects`` > ``2024``), with
their counts (subfolders included), under the tags.

Choosing a folder narrows the list as ``folder:"projects/2024"`` in the search box would (the
list pane adds it to the query), and a new entry is made in it (its file goes there on export
and sync). Choosing it again, or Esc in the tree, shows every folder again. The counts are read
on the "count" lane, with the tags' (``core/formats/folders.py``: no YAML at start-up).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QTreeView

if TYPE_CHECKING:
    from notebook_app.gui.entry_list import ListPane
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.tasks import TaskRunner

FOLDER_ROLE = Qt.ItemDataRole.UserRole + 2


class FolderTreeModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}

    def reload(self, counts: Mapping[str, int]) -> None:
        """Rebuild from ``folder_counts`` (``{"a": 3, "a/b": 1}``; parents before children)."""
        self.clear()
        self._items = {}
        for path, count in counts.items():
            parent_path, _, name = path.rpartition("/")
            item = QStandardItem(f"{name}  ({count})")
            item.setData(path, FOLDER_ROLE)
            item.setEditable(False)
            item.setToolTip(f"{path}/: {count} entries (folder:{path} in the search)")
            parent = self._items.get(parent_path) if parent_path else None
            (parent or self.invisibleRootItem()).appendRow(item)
            self._items[path] = item

    def index_of(self, path: str) -> QModelIndex:
        item = self._items.get(path)
        return item.index() if item is not None else QModelIndex()


def _styled_like_tags(app: object) -> str:
    """The application style sheet's rules for the tag tree and its label, for the folder tree
    and its label (the sheet names its widgets; the folders should look as the tags do)."""
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
    rules = re.findall(r"[^{}]+\{[^{}]*\}", sheet)
    return "\n".join(
        rule.replace("#tagTree", "#folderTree").replace("#tagsLabel", "#folderLabel").strip()
        for rule in rules
        if "#tagTree" in rule or "#tagsLabel" in rule
    )


def folder_query(path: str) -> str:
    """The search filter for one folder (quoted: folder names hold spaces)."""
    return f'folder:"{path}"' if path else ""


class FolderPane(QObject):
    """The folder tree in the sidebar, bound to the list pane."""

    def __init__(self, ui: Ui_MainWindow, runner: TaskRunner, entry_list: ListPane) -> None:
        super().__init__(entry_list)
        self.runner, self.entry_list = runner, entry_list
        self.model = FolderTreeModel(self)
        self.label = QLabel("Folders", ui.sidebar)
        self.label.setObjectName("folderLabel")
        self.view = QTreeView(ui.sidebar)
        self.view.setObjectName("folderTree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Folders")
        layout = ui.sidebarLayout
        at = layout.indexOf(ui.tagTree) + 1
        layout.insertWidget(at, self.label)
        layout.insertWidget(at + 1, self.view)
        self.label.setBuddy(self.view)
        self.view.setFrameShape(ui.tagTree.frameShape())
        self.view.setUniformRowHeights(True)
        sheet = _styled_like_tags(QApplication.instance())
        self.view.setStyleSheet(sheet)
        self.label.setStyleSheet(sheet)
        self.view.installEventFilter(self)
        self.view.clicked.connect(self._clicked)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._chosen())
        self._shown(False)
        entry_list.tagsCounted.connect(lambda _counts: self.reload())
        entry_list.folderChanged.connect(self._follow)

    def _follow(self, path: str) -> None:
        """The list's folder changed (chosen here, or cleared by "show everything")."""
        if not path:
            self.view.selectionModel().clear()

    def _shown(self, visible: bool) -> None:
        """Only a notebook with folders (an imported or synced vault) shows the tree."""
        self.label.setVisible(visible)
        self.view.setVisible(visible)

    def reload(self) -> None:
        """Recount the folders on the "count" lane (after the tags, when they change)."""

        def count(notebook: object) -> dict[str, int]:
            from notebook_app.core.api import folder_counts

            return folder_counts(notebook.conn)  # type: ignore[attr-defined]

        self.runner.submit("count", count, done=self._show, failed=lambda _e: None, key="folders")

    def _show(self, counts: dict[str, int]) -> None:
        chosen = self.entry_list.folder
        self.model.reload(counts)
        self._shown(bool(counts))
        self.view.expandToDepth(0)
        if chosen and chosen in counts:
            self.view.setCurrentIndex(self.model.index_of(chosen))
        elif chosen:
            self.choose("")  # the folder has gone (its entries moved or were trashed)

    def _chosen(self) -> None:
        index = self.view.currentIndex()
        path = index.data(FOLDER_ROLE) if index.isValid() else ""
        self.choose(path or "")

    def _clicked(self, index: QModelIndex) -> None:
        # A click on the chosen folder chooses it again: nothing changes, so nothing to do.
        if index.data(FOLDER_ROLE) != self.entry_list.folder:
            self._chosen()

    def choose(self, path: str) -> None:
        """Narrow the list to ``path`` ("" for every folder) and make new entries there."""
        if path == self.entry_list.folder:
            return
        if not path:
            self.view.selectionModel().clear()
        self.entry_list.set_folder(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.entry_list.folder
        ):
            self.choose("")
            return True
        return super().eventFilter(watched, event)
