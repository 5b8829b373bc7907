"""Markdown links to notes' files in the preview: ``[x](Other%20page.md)`` opens the entry
imported from that file.

The renderer leaves such a link as the text wrote it; just before the preview shows a render,
this points each one at ``note:PATH`` (the vault path it names from the open entry's folder)
and marks it by what the notebook answered on the "read" lane (``Notebook.resolve_paths``):
core/links/file_link_marks.py does the string work. It runs before the [[link]] decoration
(``PreviewLinks.decorate``), so a note embedded by ``![[...]]`` is not read from the wrong
folder. Following one (a click, or Enter on it from the keyboard) opens the entry bearing the
path, scrolled to the link's heading, as a [[link]] does; a path no entry has says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from notebook_app.core.api import LinkTarget
    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.preview_links import PreviewLinks


class PreviewFileLinks(QObject):
    """Decorates the preview's renders before ``links`` does, and follows ``note:`` links."""

    def __init__(self, window: MainWindow, links: PreviewLinks) -> None:
        super().__init__(window)
        self.window, self.links = window, links
        self.targets: dict[str, LinkTarget] = {}
        self._asked: set[str] = set()  # paths asked for since the notebook last changed
        preview = window.ui.preview
        self._then = preview.decorate
        preview.decorate = self.decorate
        preview.noteLinkActivated.connect(self.follow)
        window.editing.stored.connect(lambda *_: self.notebook_changed())
        window.editing.outsideChanged.connect(self.notebook_changed)

    def decorate(
        self, html: str, sections: Sequence[str] | None
    ) -> tuple[str, Sequence[str] | None]:
        from notebook_app.core.api import mark_note_links, note_link_paths

        parts = list(sections) if sections else [html]
        if any("<a href=" in part for part in parts):
            current = self.window.editing.current
            folder = current.folder if current is not None else None
            paths = {path for part in parts for path in note_link_paths(part, folder)}
            if paths - self._asked:
                self._resolve(paths - self._asked)
            parts = [mark_note_links(part, folder, self.targets) for part in parts]
            html, sections = ("\n".join(parts), parts) if sections else (parts[0], None)
        return self._then(html, sections) if self._then is not None else (html, sections)

    def _resolve(self, paths: set[str]) -> None:
        self._asked |= paths

        def resolved(found: dict[str, LinkTarget]) -> None:
            if any(self.targets.get(key) != target for key, target in found.items()):
                self.targets.update(found)
                self.links.changed.emit()  # the preview shown again

        self.window.runner.submit(
            "read", lambda notebook: notebook.resolve_paths(paths), done=resolved
        )

    def notebook_changed(self) -> None:
        """Entries were saved, imported or trashed: ask again for every path shown."""
        self._asked.clear()

    def follow(self, href: str) -> None:
        """A ``note:`` link activated: open the entry bearing its path (at its heading)."""
        from notebook_app.core.api import note_link_target

        parsed = note_link_target(href)
        if parsed is None:
            return
        path, heading = parsed

        def found(targets: dict[str, Any]) -> None:
            target = next(iter(targets.values()), None)
            if target is None or target.entry_id is None:
                self.window.say(f"No entry has the file {path}", 6000)
            else:
                self.links.open(target.entry_id, heading)

        self.window.runner.submit(
            "read", lambda notebook: notebook.resolve_paths([path]), done=found
        )
