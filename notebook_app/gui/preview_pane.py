"""The preview pane: the rendered note, its outline, scroll sync and links.

Rendering is CPU work, not database work, but it runs on the same task runner as everything
else: on its own "render" lane (one ``MarkdownRenderer``, which is not thread-safe, made on
that lane's thread), newest request wins, so a burst of keystrokes costs one render after the
one under way and a stale result is never shown. The renderer renders only the sections an
edit touched, and the browser replaces only those (``PreviewBrowser.set_rendered``).
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from notebook_app.core.api import NotebookError
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.preview_math import (
    Rendered,
    make_preview_renderer,
    math_style,
)
from notebook_app.gui.preview_width import keep_readable_width
from notebook_app.gui.scroll_sync import ScrollSync
from notebook_app.gui.tasks import TaskRunner
from notebook_app.gui.theme import preview_css

if TYPE_CHECKING:  # loaded on the render lane, not at start-up
    from notebook_app.core.api import Heading
    from notebook_app.gui.open_entry import OpenEntry

# Above this many characters a render holds the GIL long enough to delay the keystroke that
# asked for it: such requests wait for a short pause in typing first.
LONG_NOTE = 16_000
SETTLE_MS = 4
# After a render, the preview is matched to the editor again once no render came for this long
# (matching costs milliseconds: not after every keystroke's render).
RESYNC_MS = 150
ACTION_ITEMS_LINE = "**Action items**"  # a bold line, not a heading: not in the outline


class PreviewPane(QObject):
    rendered = Signal(object)  # the token of the entry whose preview was just updated
    entryLinkChosen = Signal(str)  # an entry link followed, resolved to an id
    message = Signal(str, int)

    def __init__(
        self,
        window: QWidget,
        ui: Ui_MainWindow,
        runner: TaskRunner,
        open_url: Callable[[QUrl], object],
        token: Callable[[], object],
    ) -> None:
        """``token()`` names what the editor shows (the open entry's id, None for nothing):
        a result rendered for another is dropped."""
        super().__init__(window)
        self.window, self.ui, self.runner, self._open_url = window, ui, runner, open_url
        self._token = token
        runner.add_lane("render", make_preview_renderer)
        keep_readable_width(ui.preview)  # lines of at most ~80 characters, centred
        self.started = False
        self._outline_headings: list[Heading] | None = None  # what the outline shows
        self.header = ""  # shown above the note: the entry's header (see follow_header)
        # The outline's items in the order of their headings' source lines (see _mark_section).
        self._outline_lines: list[int] = []
        self._outline_items: list[QTreeWidgetItem] = []
        self.scroll_sync = ScrollSync(ui.editor, ui.preview)
        ui.editor.textChanged.connect(self.scroll_sync.edited)
        ui.preview.document().contentsChanged.connect(self.scroll_sync.invalidate)
        self._resync = QTimer(self, singleShot=True, interval=RESYNC_MS)
        self._resync.timeout.connect(self._resync_after_render)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._submit)
        ui.editor.textChanged.connect(self.request)
        ui.actionItemsEdit.textChanged.connect(self.request)
        # Every scroll step, not only a new top line: a long wrapped paragraph scrolls too.
        ui.editor.verticalScrollBar().valueChanged.connect(
            lambda _value: self._follow_editor_scroll()
        )
        ui.outline.itemActivated.connect(self._outline_jump)
        ui.outline.itemClicked.connect(self._outline_jump)
        ui.preview.entryLinkActivated.connect(self._open_entry_link)
        ui.preview.externalLinkActivated.connect(self._open_external)
        ui.preview.blockedLink.connect(
            lambda href: self.message.emit(f"Link not opened: {href}", 5000)
        )

    def start(self) -> None:
        """Begin rendering (after the window's first frame: the render lane's first job is
        importing Markdown and Pygments, which would hold up that frame)."""
        if not self.started:
            self.started = True
            self.request()

    def follow_header(self, editing: OpenEntry) -> None:
        """Show the open entry's header (title, source, status...) above its preview, as it
        is opened and each time it is saved (core/markdown/entry_header.py builds it)."""
        from notebook_app.core.api import entry_header_html

        def refresh(*_args: object) -> None:
            entry = editing.current
            header = entry_header_html(entry) if entry is not None else ""
            if header != self.header:
                self.header = header
                self.request()

        editing.shown.connect(refresh)
        editing.stored.connect(refresh)

    def request(self) -> None:
        # isHidden, not isVisible: the entry restored at start-up is opened before the window
        # is first shown, and its preview must be there when it is.
        if not self.started or (self.ui.preview.isHidden() and self.ui.outlineDock.isHidden()):
            return
        if self.ui.editor.document().characterCount() > LONG_NOTE:
            self._settle.start()  # restarted by each keystroke of a burst
        else:
            self._submit()

    def _submit(self) -> None:
        self._settle.stop()
        token = self._token()
        self._render(token, self._source() if token is not None else "")

    def _source(self) -> str:
        """What the preview renders: the editor's text, then a meeting's action items, so
        that they show as task boxes (after the body: the body's lines keep their numbers,
        which the outline and the scroll sync go by)."""
        text = self.ui.editor.toPlainText()
        ui = self.ui
        items = ui.actionItemsEdit.toPlainText().strip()
        if items and ui.kindFields.currentWidget() is ui.meetingFields:
            text = f"{text}\n\n{ACTION_ITEMS_LINE}\n\n{items}\n"
        return text

    def _render(self, token: object, text: str) -> None:
        # Read here, on the GUI thread: the font, palette and screen the formulas are drawn for.
        style = math_style(self.ui.preview)
        have = self.ui.preview.math_image_keys(style.ratio)
        self.runner.submit(
            "render", lambda context: context.render(text, style, have),
            done=lambda rendered: self._show(token, text, rendered, style.ratio), key="preview",
        )  # fmt: skip

    def _show(self, token: object, text: str, rendered: Rendered, ratio: float) -> None:
        if token != self._token():
            return
        result = rendered.result
        self.ui.preview.set_math_images(rendered.keys, rendered.images, ratio)
        html, sections = result.html, result.sections
        if self.header:  # the header is one more section, before the note's first
            html, sections = f"{self.header}\n{html}", sections and [self.header, *sections]
        # With the sections, the preview replaces only those that changed.
        self.ui.preview.set_rendered(html, preview_css(self.window), sections)
        self._fill_outline(result.headings)
        self._resync.start()  # once typing pauses: the new text's blocks, where the editor is
        self.rendered.emit(token)
        if not result.complete:
            # A long note ran out of its render budget: the rest is plain text for now. Render
            # on (the renderer resumes where it stopped); a keystroke meanwhile supersedes this.
            self._render(token, text)

    def _fill_outline(self, headings: list[Heading]) -> None:
        if headings == self._outline_headings:
            return  # most keystrokes change no heading: keep the tree (and its selection)
        self._outline_headings = headings
        outline = self.ui.outline
        outline.clear()
        self._outline_lines, self._outline_items = [], []
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
            if heading.line >= 0:
                self._outline_lines.append(heading.line)
                self._outline_items.append(item)
        outline.expandAll()
        self._mark_section(self.ui.editor.firstVisibleBlock().blockNumber())

    def _mark_section(self, line: int) -> None:
        """Select the outline's heading of the section the editor's top line is in (none
        above the first heading); never moves the editor or the preview."""
        at = bisect.bisect_right(self._outline_lines, line) - 1
        item = self._outline_items[at] if at >= 0 else None
        outline = self.ui.outline
        if item is outline.currentItem():
            return
        blocker = QSignalBlocker(outline)
        if item is None:
            outline.setCurrentItem(None)
            outline.clearSelection()
        else:
            outline.setCurrentItem(item)
            outline.scrollToItem(item)
        del blocker

    def _outline_jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        line, anchor = item.data(0, Qt.ItemDataRole.UserRole)
        self.ui.editor.jump_to_line(line)
        self.ui.preview.scroll_to_anchor(anchor)

    def _resync_after_render(self) -> None:
        if self.ui.preview.is_loading():
            self._resync.start()  # a long note is still being laid out
        else:
            self._follow_editor_scroll()

    def _follow_editor_scroll(self, line: int | None = None) -> None:
        """The preview to the editor's place (matched by blocks, see scroll_sync.py; by the
        scroll fraction when nothing matches), and the outline to its section."""
        sync = self.scroll_sync
        if sync.stale and time.monotonic() - sync.edited_at < RESYNC_MS / 1000:
            # Typing scrolled the editor (a new line at the bottom): matching again costs
            # milliseconds, not to be spent in a keystroke; done once typing pauses.
            self._resync.start()
        elif not sync.sync():
            self.ui.preview.scroll_to_fraction(self.ui.editor.scroll_fraction())
        self._mark_section(
            self.ui.editor.firstVisibleBlock().blockNumber() if line is None else line
        )

    def _open_entry_link(self, target: str) -> None:
        """``entry:ID`` (or a prefix, or a title): resolved on the read lane."""

        def resolve(notebook: Any) -> str | None:
            try:
                return str(notebook.resolve_id(target))
            except NotebookError:
                matches = notebook.titles_matching(target, limit=1)
                return matches[0].id if matches else None

        def resolved(entry_id: str | None) -> None:
            if entry_id is None:
                self.message.emit(f"No entry called {target}", 5000)
            else:
                self.entryLinkChosen.emit(entry_id)

        self.runner.submit("read", resolve, done=resolved, key="link")

    def _open_external(self, url: QUrl) -> None:
        self._open_url(url)
        self.message.emit(f"Opened {url.toString()} in the browser", 4000)
