"""Links and glossary terms in the preview: what they resolve to, and following them.

The renderer writes ``[[links]]`` as ``wiki:NAME`` anchors and knows nothing of the notebook
(core/markdown/wikilinks_extension.py). Here, on the GUI thread, each render is decorated just
before the browser shows it (``PreviewBrowser.decorate``) with what the notebook answered on the
"read" lane: each name resolved (``Notebook.resolve_names``), and the glossary terms the note
uses (``Notebook.terms_in_text``) with their definitions (core/links/preview_marks.py does the
string work). When an answer changes, the preview is asked to render again: the renderer
returns its cached result at once, and only the sections whose decoration changed are laid
out again.

Following a link: a resolved one opens its entry (and scrolls to its heading), a missing one
offers to create a note with that title, an ambiguous one offers the entries that bear the
name. A task box clicked in the preview toggles the box in the editor's text, so the change
goes through the open entry's autosave like any edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QCursor, QTextCursor
from PySide6.QtWidgets import QMenu, QMessageBox, QToolTip

from notebook_app.core.api import Entry, Kind
from notebook_app.gui.markdown_editor import line_item
from notebook_app.gui.preview_embeds import Embeds
from notebook_app.gui.preview_folds import CalloutFolds

if TYPE_CHECKING:
    from notebook_app.core.api import LinkMarks, LinkTarget, TermMark, TermsCache
    from notebook_app.gui.main_window import MainWindow

TERMS_DELAY_MS = 400  # the glossary terms are looked for again this long after typing stops
_MAX_TERMS = 200  # definitions read for at most this many terms of one note
MAX_TERMS_TEXT = 200_000  # characters: longer notes get no glossary marking
# Callouts (vault_extension.py): a rule cell and a padded body, in the theme's colours below.
_CALLOUT_CSS = (
    "table.callout { margin-top: 8px; margin-bottom: 14px; border-width: 0px;"
    " border-style: none; }\n"
    "table.callout td { border-width: 0px; border-style: none; padding: 0px; }\n"
    "table.callout td.callout-body { padding: 4px 8px 4px 12px; }\n"
    "p.callout-title { margin-bottom: 4px; }\n"
    "a.callout-fold { text-decoration: none; }\n"
)
_LINK_CSS = {
    "light": "a.wikilink-missing { color: #cf222e; }\na.wikilink-ambiguous { color: #9a6700; }\n"
    "a.term { color: #1f2328; text-decoration: underline; }\n"
    "a.task-box { color: #1f2328; text-decoration: none; }\n"
    "table.embed { border-color: #d1d9e0; border-style: solid; margin-top: 4px; }\n"
    ".embed-notice { color: #59636e; }\n"
    "span.highlight { background-color: #fff3a3; }\n"
    + _CALLOUT_CSS
    + "td.callout-body { background-color: #f6f8fa; }\n"
    "td.callout-rule { background-color: #0969da; }\n"
    "table.callout-tip td.callout-rule, table.callout-success td.callout-rule"
    " { background-color: #1a7f37; }\n"
    "table.callout-tip td.callout-body, table.callout-success td.callout-body"
    " { background-color: #eafbea; }\n"
    "table.callout-warning td.callout-rule, table.callout-question td.callout-rule"
    " { background-color: #9a6700; }\n"
    "table.callout-warning td.callout-body { background-color: #fff8c5; }\n"
    "table.callout-danger td.callout-rule, table.callout-failure td.callout-rule,"
    " table.callout-bug td.callout-rule { background-color: #cf222e; }\n"
    "table.callout-danger td.callout-body, table.callout-failure td.callout-body,"
    " table.callout-bug td.callout-body { background-color: #ffebe9; }\n",
    "dark": "a.wikilink-missing { color: #ff7b72; }\na.wikilink-ambiguous { color: #d29922; }\n"
    "a.term { color: #e6edf3; text-decoration: underline; }\n"
    "a.task-box { color: #e6edf3; text-decoration: none; }\n"
    "table.embed { border-color: #3d444d; border-style: solid; margin-top: 4px; }\n"
    ".embed-notice { color: #9198a1; }\n"
    "span.highlight { background-color: #5c4a00; color: #f0f6fc; }\n"
    + _CALLOUT_CSS
    + "td.callout-body { background-color: #161b22; }\n"
    "td.callout-rule { background-color: #4493f8; }\n"
    "table.callout-tip td.callout-rule, table.callout-success td.callout-rule"
    " { background-color: #3fb950; }\n"
    "table.callout-tip td.callout-body, table.callout-success td.callout-body"
    " { background-color: #15301d; }\n"
    "table.callout-warning td.callout-rule, table.callout-question td.callout-rule"
    " { background-color: #d29922; }\n"
    "table.callout-warning td.callout-body { background-color: #2e2410; }\n"
    "table.callout-danger td.callout-rule, table.callout-failure td.callout-rule,"
    " table.callout-bug td.callout-rule { background-color: #f85149; }\n"
    "table.callout-danger td.callout-body, table.callout-failure td.callout-body,"
    " table.callout-bug td.callout-body { background-color: #3d1a1a; }\n",
}


def link_css(stylesheet: str) -> str:
    """``stylesheet`` with the rules for links, terms, highlights and callouts in its theme."""
    from notebook_app.gui.preview_math import _body_colour

    colour = _body_colour(stylesheet).lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    light_text = int(colour[:2] or "0", 16) > 128 if colour else False
    return stylesheet + "\n" + _LINK_CSS["dark" if light_text else "light"]


class PreviewLinks(QObject):
    """Decorates the preview's renders and follows its links (see the module's doc)."""

    changed = Signal()  # an answer changed: the preview should be shown again
    followed = Signal(str, object)  # an entry opened by a link, and the heading (or None)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ui, self.runner, self.editing = window.ui, window.runner, window.editing
        self.targets: dict[str, LinkTarget] = {}
        self.terms: list[TermMark] = []
        self._terms_cache: TermsCache = {}  # sections marked, for this list of terms
        self._links: LinkMarks | None = None  # sections' links marked (made on first use)
        self._asked: set[str] = set()  # names asked for since the notebook last changed
        self._definitions: dict[tuple[str, int], str] = {}
        self._heading: tuple[str, str] | None = None  # (entry id, heading) to scroll to
        self.folds = CalloutFolds(window.ui.preview, lambda: self.editing.current_id)
        self.folds.changed.connect(self.changed)
        window.preview.rendered.connect(lambda _token: self.folds.shown())
        self.embeds = Embeds(window, self.folds, self._mark_embedded)
        self.embeds.changed.connect(self.changed)
        self._terms_timer = QTimer(self, singleShot=True, interval=TERMS_DELAY_MS)
        self._terms_timer.timeout.connect(self.look_for_terms)
        preview = self.ui.preview
        preview.decorate = self.decorate
        preview.decorate_css = link_css
        preview.wikiLinkActivated.connect(self.follow)
        preview.taskActivated.connect(self.toggle_task)
        preview.highlighted.connect(self._highlighted)  # the mouse over a link
        preview.linkFocused.connect(self._focused)  # Tab to a link
        self.changed.connect(window.preview.request)
        window.preview.rendered.connect(self._scroll_to_heading)
        self.editing.shown.connect(self._entry_shown)
        self.editing.stored.connect(lambda *_: self.notebook_changed())
        self.editing.outsideChanged.connect(self.notebook_changed)
        self.ui.editor.textChanged.connect(self._terms_timer.start)

    # --- decorating --------------------------------------------------------------------------

    def decorate(
        self, html: str, sections: Sequence[str] | None
    ) -> tuple[str, Sequence[str] | None]:
        from notebook_app.core.api import mark_terms

        parts, names = self._mark_links(list(sections) if sections else [html])
        # Folded bodies left out before the terms: a term's first use is one the reader sees.
        parts = self.folds.apply(parts, html)
        if self.terms:
            parts = mark_terms(parts, self.terms, self._terms_cache, id(self.terms))
        if names:  # after the terms: an embedded note's words are not this note's uses
            parts = self.embeds.expand(parts, self.targets)
        if sections:
            return "\n".join(parts), parts
        return parts[0], None

    def _mark_links(self, parts: list[str]) -> tuple[list[str], list[str]]:
        """``parts`` with their [[links]] marked by what is known of their names, and the names
        they hold; the names not asked for yet are resolved (the note shown again then)."""
        from notebook_app.core.api import LinkMarks

        if self._links is None:
            self._links = LinkMarks()
        marked, names = self._links.mark(parts, self.targets)
        missing = {name for name in names if name} - self._asked
        if missing:
            self._resolve(missing)
        return marked, names

    def _mark_embedded(self, body: str) -> str:
        """An embedded note's HTML with its [[links]] marked as the note's own are."""
        return self._mark_links([body])[0][0]

    def _resolve(self, names: set[str]) -> None:
        self._asked |= names

        def resolved(found: dict[str, LinkTarget]) -> None:
            if any(self.targets.get(key) != target for key, target in found.items()):
                self.targets.update(found)
                if self._links is not None:
                    self._links.forget()  # marked by the answers before these
                self.changed.emit()

        self.runner.submit("read", lambda notebook: notebook.resolve_names(names), done=resolved)

    def notebook_changed(self) -> None:
        """Entries were saved, created, renamed or trashed: ask again for every name shown."""
        self._asked.clear()
        self.embeds.forget()
        self._terms_timer.start()
        self.changed.emit()

    def _entry_shown(self) -> None:
        if self.terms:
            self.terms = []
            self._terms_cache.clear()
        self._terms_timer.start(0)

    def look_for_terms(self) -> None:
        """The glossary terms the open note uses, with their definitions (on the read lane)."""
        entry = self.editing.current
        if entry is None:
            return
        if not self.window.preview.started:
            # Not before the first frame: the glossary's matcher is built on first use.
            self._terms_timer.start(TERMS_DELAY_MS)
            return
        text, entry_id = self.ui.editor.toPlainText(), entry.id
        if len(text) > MAX_TERMS_TEXT:
            # A very long note: no marking (it would hold the read lane for long, and the
            # GUI thread re-marks the shown sections after each edit).
            if self.terms:
                self.terms = []
                self._terms_cache.clear()
                self.changed.emit()
            return
        known = self._definitions

        def work(notebook: Any) -> list[TermMark]:
            from notebook_app.core.api import TermMark, definition_of

            marks = []
            for use in notebook.terms_in_text(text, skip_id=entry_id)[:_MAX_TERMS]:
                key = (use.term.id, use.term.version)
                if key not in known:
                    known[key] = definition_of(notebook.get(use.term.id).body)
                marks.append(TermMark(use.text, use.term.id, use.term.title, known[key]))
            return marks

        def found(marks: list[TermMark]) -> None:
            current = self.editing.current
            if current is not None and current.id == entry_id and marks != self.terms:
                self.terms = marks
                self._terms_cache.clear()  # (keyed by the list's id: a new list, a new id)
                self.changed.emit()

        self.runner.submit("read", work, done=found, key="preview-terms")

    def _highlighted(self, url: QUrl) -> None:
        """A link under the mouse: a term's definition in the status bar too (the tooltip
        shows it where the mouse is)."""
        href = url.toString()
        term = next((t for t in self.terms if href == f"entry:{t.term_id}"), None)
        if term is not None:
            self.window.say(f"{term.title}: {term.definition}" if term.definition else term.title)

    def _focused(self, _href: str) -> None:
        """A link reached from the keyboard (Tab selects it): its tooltip (a term's definition,
        what a [[link]] resolves to) shown under it, as hovering would, and in the status bar."""
        preview = self.ui.preview
        cursor = preview.textCursor()
        if not cursor.hasSelection() or not preview.hasFocus():
            return
        tip = cursor.charFormat().toolTip()
        if not tip or not cursor.charFormat().isAnchor():
            return
        at = preview.viewport().mapToGlobal(preview.cursorRect(cursor).bottomLeft())
        QToolTip.showText(at, tip, preview)
        self.window.say(tip)

    # --- following ---------------------------------------------------------------------------

    def follow(self, href: str) -> None:
        """A ``wiki:`` link activated: open, create or choose (see the module's doc)."""
        from notebook_app.core.api import wiki_target

        parsed = wiki_target(href)
        if parsed is None:
            return
        name, heading = parsed
        current = self.editing.current
        if not name:  # [[#Heading]]: this entry
            if current is not None and heading:
                self._heading = (current.id, heading)
                self._scroll_to_heading(current.id)
            return

        def found(bearers: list[Any]) -> None:
            if not bearers:
                self.offer_create(name)
            elif len(bearers) == 1:
                self.open(bearers[0].id, heading)
            else:
                self.choose(name, bearers, heading)

        self.runner.submit("read", lambda notebook: notebook.name_bearers(name), done=found)

    def open(self, entry_id: str, heading: str | None = None) -> None:
        self._heading = (entry_id, heading) if heading else None
        self.editing.open(entry_id)
        self.followed.emit(entry_id, heading)

    def offer_create(self, name: str) -> None:
        """A link to nothing: offer a new note with that title (Enter creates it)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Create entry",
                          f"No entry is called “{name}”. Create a note with that title?",
                          parent=self.window)  # fmt: skip
        box.setObjectName("createLinkedEntry")
        create = box.addButton("Create", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(create)
        box.exec()
        if box.clickedButton() is create:
            self.create(name)

    def create(self, name: str) -> None:
        if getattr(self.window.safety, "read_only", False):
            self.window.say("The notebook is read-only: no entry can be created.", 6000)
            return
        entry = Entry(kind=Kind.NOTE, title=name)
        self.editing.start_new(entry)
        self.followed.emit(entry.id, None)
        self.window.say(f"Created the note “{name}”", 5000)

    def choose(self, name: str, bearers: list[Any], heading: str | None) -> None:
        """An ambiguous link: a menu of the entries bearing the name (keyboard: arrows, Enter)."""
        menu = QMenu(self.window)
        menu.setObjectName("chooseLinkTarget")
        menu.setToolTipsVisible(True)
        title = menu.addAction(f"{len(bearers)} entries are called “{name}”:")
        title.setEnabled(False)
        for bearer in bearers:
            action = menu.addAction(f"{bearer.title}  ({bearer.kind.value}, "
                                    f"{bearer.created:%Y-%m-%d})")  # fmt: skip
            action.triggered.connect(lambda _c=False, i=bearer.id: self.open(i, heading))
        menu.setActiveAction(menu.actions()[1])
        menu.popup(QCursor.pos())

    def _scroll_to_heading(self, token: object) -> None:
        """Once the followed entry is shown: its heading (or ``^block``) in the editor and the
        preview (which follows the editor's scroll)."""
        from notebook_app.core.api import place_line

        if self._heading is None or token != self._heading[0]:
            return
        heading = self._heading[1]
        self._heading = None
        outline = self.ui.outline
        items = [outline.topLevelItem(i) for i in range(outline.topLevelItemCount())]
        while items and not heading.startswith("^"):
            item = items.pop(0)
            if item.text(0).casefold() == heading.casefold():
                outline.setCurrentItem(item)
                outline.itemActivated.emit(item, 0)
                return
            items.extend(item.child(i) for i in range(item.childCount()))
        # A block, or a heading the outline shows otherwise (its text formatted): by the text.
        line = place_line(self.ui.editor.toPlainText(), heading)
        if line is not None:
            self.ui.editor.jump_to_line(line)
        else:
            self.window.say(f"“{heading}” is not in this entry.", 5000)

    # --- task boxes ----------------------------------------------------------------------------

    def toggle_task(self, href: str, occurrence: int) -> None:
        """Toggle the task box whose item text ``href`` names (the ``occurrence``-th of those)
        in the editor: an edit like any other, saved by the open entry."""
        from urllib.parse import unquote

        if self.editing.current is None or getattr(self.window.safety, "read_only", False):
            return
        wanted = unquote(href.partition(":")[2]).strip()
        document = self.ui.editor.document()
        block = document.begin()
        seen = 0
        while block.isValid():
            lead, item = line_item(block.text())  # in a callout or quote too
            if item is not None and item.task and item.rest.strip() == wanted:
                if seen == occurrence:
                    # The box's state: one column into "[ ]", where the item's text starts.
                    self._toggle(block.position() + len(lead) + item.content_start + 1)
                    return
                seen += 1
            block = block.next()
        self.window.say("That task is not in the text any more.", 5000)

    def _toggle(self, position: int) -> None:
        cursor = QTextCursor(self.ui.editor.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(" " if cursor.selectedText() in ("x", "X") else "x")
