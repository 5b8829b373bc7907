"""The backlinks panel: which entries link to the open one, and which mention it unlinked.

A dock beside the outline (View > Backlinks, Ctrl+5) with two groups: *Linked mentions* (the
``[[links]]`` that resolve to the open entry, ``Notebook.backlinks``) and *Unlinked mentions*
(its title or an alias in other entries' text, ``Notebook.unlinked_mentions``), each row the
source's title and the sentence around the place. Enter (or a double click) opens the source at
that place; **L** on an unlinked mention turns it into a link (``Notebook.link_mention``, on the
write lane, refused if the source changed since it was listed). Read on the "read" lane each
time another entry is shown or the notebook changes, only while the panel is visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QDockWidget, QTreeWidget, QTreeWidgetItem

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

_ROLE = Qt.ItemDataRole.UserRole
REFRESH_DELAY_MS = 300


class BacklinksPanel(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dock = QDockWidget("Backlinks", window)
        self.dock.setObjectName("backlinksDock")
        self.tree = QTreeWidget(self.dock)
        self.tree.setObjectName("backlinksTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)  # the sentence wraps
        self.tree.setToolTip("Enter: open the entry there · L: link an unlinked mention")
        self.dock.setWidget(self.tree)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.ui.outlineDock, self.dock)  # beside the outline
        window.ui.outlineDock.raise_()
        self.dock.hide()
        self.tree.itemActivated.connect(self.open_item)
        link = QShortcut(QKeySequence("L"), self.tree)
        link.setContext(Qt.ShortcutContext.WidgetShortcut)
        link.activated.connect(self.link_current)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._shown_for: str | None = None
        self._place: tuple[str, int] | None = None  # (entry id, offset) opened from the panel
        window.preview.rendered.connect(self._at_place)
        self.dock.visibilityChanged.connect(self._visibility_changed)
        window.editing.shown.connect(lambda: self._timer.start(0))
        window.editing.stored.connect(lambda *_: self._timer.start())
        window.editing.outsideChanged.connect(self._timer.start)

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh()

    def toggle(self) -> None:
        """Ctrl+5: show the panel and go into it, or hide it."""
        if self.dock.isVisible() and self.tree.hasFocus():
            self.dock.hide()
            return
        self.dock.show()
        self.dock.raise_()
        self.tree.setFocus()

    def refresh(self) -> None:
        entry = self.window.editing.current
        if not self.dock.isVisible():
            return
        if entry is None:
            self.tree.clear()
            return
        entry_id = entry.id

        def work(notebook: Any) -> tuple[list[Any], list[Any]]:
            return notebook.backlinks(entry_id), notebook.unlinked_mentions(entry_id)

        self.window.runner.submit(
            "read", work, done=lambda found: self._fill(entry_id, *found),
            failed=lambda _error: None, key="backlinks",
        )  # fmt: skip

    def _fill(self, entry_id: str, linked: list[Any], unlinked: list[Any]) -> None:
        current = self.window.editing.current
        if current is None or current.id != entry_id:
            return
        selected = self.tree.currentItem()
        keep = selected.data(0, _ROLE) if selected is not None else None
        self.tree.clear()
        again: QTreeWidgetItem | None = None
        for title, found, kind in (("Linked mentions", linked, "linked"),
                                   ("Unlinked mentions", unlinked, "unlinked")):  # fmt: skip
            group = QTreeWidgetItem([f"{title} ({len(found)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for place in found:
                item = QTreeWidgetItem([f"{place.source.title}\n{place.passage.sentence}"])
                data = (kind, place.source.id, place.passage.offset, place.source.version)
                item.setData(0, _ROLE, data)
                item.setToolTip(0, place.passage.sentence)
                group.addChild(item)
                if keep is not None and data[:3] == keep[:3]:
                    again = item
            if not found:
                empty = QTreeWidgetItem(["none"])
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                group.addChild(empty)
        self.tree.expandAll()
        self._shown_for = entry_id
        tops = [self.tree.topLevelItem(g) for g in range(2)]
        firsts = [top.child(0) for top in tops if top is not None]
        first = again or next((c for c in firsts if c is not None and c.data(0, _ROLE)), None)
        if first is not None:
            self.tree.setCurrentItem(first)

    def open_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, _ROLE)
        if not data:
            return
        _kind, source_id, offset, _version = data
        self._place = (source_id, offset)  # the cursor goes there once the entry is shown
        self.window.editing.open(source_id)

    def _at_place(self, token: object) -> None:
        if self._place is None or token != self._place[0]:
            return
        offset = self._place[1]
        self._place = None
        editor = self.window.ui.editor
        cursor = editor.textCursor()
        cursor.setPosition(min(offset, editor.document().characterCount() - 1))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        editor.setTextCursor(cursor)
        editor.centerCursor()

    def link_current(self) -> None:
        """L: the selected unlinked mention becomes a ``[[link]]`` (one save of its entry)."""
        item = self.tree.currentItem()
        data = item.data(0, _ROLE) if item is not None else None
        target = self.window.editing.current
        if not data or data[0] != "unlinked" or target is None:
            self.window.say("Choose an unlinked mention to link it (L).", 5000)
            return
        if getattr(self.window.safety, "read_only", False):
            return
        _kind, source_id, offset, version = data
        target_id = target.id
        editing = self.window.editing

        def linked(entry: Any) -> None:
            self.window.say(f"Linked the mention in “{entry.title}”", 5000)
            editing.check_outside_changes(force=True)
            self.refresh()

        editing.write(
            source_id,
            lambda notebook: notebook.link_mention(source_id, offset, target_id,
                                                   base_version=version),
            done=linked, failed=lambda error: self.window.say(f"Not linked: {error}", 8000),
        )  # fmt: skip
