"""The window's links between entries, wired in one place (``install_links``, main_window.py):

* the preview's links and glossary terms (preview_links.py);
* back and forward through the entries opened (Alt+Left / Alt+Right), as a browser does:
  opening an entry by any means (a link, the list, Ctrl+P) after going back drops the
  entries ahead;
* ``[[`` completion in the editor (link_completion.py);
* the backlinks panel (backlinks_panel.py), Ctrl+5;
* renaming an entry offers to update the links naming its old title (rename_offer.py);
* the line-break setting: a single newline is a line break (Obsidian's way) unless strict
  CommonMark is chosen (View > Strict CommonMark Line Breaks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from notebook_app.gui import settings as S
from notebook_app.gui.link_completion import LinkCompletion
from notebook_app.gui.preview_file_links import PreviewFileLinks
from notebook_app.gui.preview_links import PreviewLinks
from notebook_app.gui.rename_offer import install_rename_offer

if TYPE_CHECKING:
    from notebook_app.gui.backlinks_panel import BacklinksPanel
    from notebook_app.gui.main_window import MainWindow

MAX_HISTORY = 200


class History(QObject):
    """The entries opened, in order, and where we are among them."""

    moved = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[str] = []
        self.index = -1
        self._going: str | None = None  # the entry back/forward is opening

    def visited(self, entry_id: str | None) -> None:
        if entry_id is None:
            return
        if self._going == entry_id:
            self._going = None
            return
        self._going = None
        if self.index >= 0 and self.entries[self.index] == entry_id:
            return
        del self.entries[self.index + 1 :]
        self.entries.append(entry_id)
        if len(self.entries) > MAX_HISTORY:
            del self.entries[0]
        self.index = len(self.entries) - 1
        self.moved.emit()

    def step(self, delta: int) -> str | None:
        """The entry ``delta`` steps back (-1) or forward (+1), if any; the position moves."""
        target = self.index + delta
        if not 0 <= target < len(self.entries):
            return None
        self.index = target
        self._going = self.entries[target]
        self.moved.emit()
        return self._going

    def can_go(self, delta: int) -> bool:
        return 0 <= self.index + delta < len(self.entries)


class Links(QObject):
    """What the commands' table reaches as ``window.links``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.preview = PreviewLinks(window)
        self.file_links = PreviewFileLinks(window, self.preview)  # [x](Other.md) links
        self.history = History(self)
        self.completion = LinkCompletion(window.ui.editor, window.runner, window)
        self.panel: BacklinksPanel = window.backlinks  # made with the window (a dock)
        self.rename = install_rename_offer(window)  # renaming offers to update the links
        window.editing.shown.connect(self._shown)
        # The line-break setting goes to the render lane (its renderers are made there), once
        # the preview has started it (after the first frame: a job would start it earlier);
        # the menu's check mark now (the window's actions exist: this is made after them).
        self._strict = window.settings.get(S.STRICT_LINE_BREAKS)
        if self._strict:
            window.preview.rendered.connect(self._first_render)
        self._sync_actions()
        # Built after the first frame (main_window.py): the entry that frame showed.
        if window.editing.current is not None:
            self._shown()
            self.preview._entry_shown()

    def _shown(self) -> None:
        self.history.visited(self.window.editing.current_id)

    def go(self, delta: int) -> None:
        """Alt+Left / Alt+Right."""
        self.window.editing.flush()
        target = self.history.step(delta)
        if target is None:
            self.window.say("No entry further back." if delta < 0 else "No entry further on.")
            return
        self.window.editing.open(target)

    # --- line breaks -----------------------------------------------------------------------------

    def _sync_actions(self) -> None:
        action = self.window.named_actions.get("strictLineBreaks")
        if action is not None:
            action.setChecked(self._strict)

    def toggle_strict_breaks(self) -> None:
        action = self.window.named_actions.get("strictLineBreaks")
        strict = action.isChecked() if action is not None else not self._strict
        if strict == self._strict:
            return
        self._strict = strict
        self.window.settings.set(S.STRICT_LINE_BREAKS, strict)
        self._send_breaks()
        self.window.preview.request()

    def _first_render(self, _token: object) -> None:
        self.window.preview.rendered.disconnect(self._first_render)
        self._send_breaks()
        self.window.preview.request()

    def _send_breaks(self) -> None:
        breaks = not self._strict
        self.window.runner.submit("render", lambda context: context.set_breaks(breaks))


def install_links(window: MainWindow) -> Links:
    return Links(window)
