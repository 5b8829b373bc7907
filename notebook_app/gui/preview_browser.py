"""The preview: a QTextBrowser that shows rendered markdown and lets nothing out.

* It runs no script and fetches nothing from the network (QTextBrowser cannot), and it loads
  no local file either: by default QTextBrowser reads files a note names (``file:///…``,
  ``/etc/…``); here only the app's own Qt resources load.
* Clicked links never navigate the preview: links to entries (``entry:ID``) and http(s) links
  are handed to the window as signals; ``javascript:``, ``file:`` and the rest do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QImage, QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QTextBrowser, QWidget

from notebook_app.gui.generated import resources_rc  # noqa: F401  (the app's own resources)

ALLOWED_RESOURCE_SCHEMES = {"qrc"}
_MAX_KNOWN_SECTIONS = 4096
_WHOLE_SHARE = 0.5  # replace the whole document when more than this share of it changed


class PreviewBrowser(QTextBrowser):
    entryLinkActivated = Signal(str)
    externalLinkActivated = Signal(QUrl)
    blockedLink = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        # The notebook's own images (``attachment:NAME``, gui/attachments.py); never a file.
        self.image_provider: Callable[[QUrl], QImage | None] | None = None
        self.anchorClicked.connect(self._link_clicked)
        self.document().setDocumentMargin(14)
        # The preview is rewritten in place on every edit (see set_rendered): no undo history.
        self.document().setUndoRedoEnabled(False)
        # What the document shows, unit by unit (None: not known, replace it all): the HTML of
        # each unit (see _units) and how many characters (positions) it takes in the document
        # (None until the first edit needs them: see _measure).
        self._shown: list[str] | None = None
        self._loaded: list[str] | None = None  # the sections of the last whole load
        self._ends_empty: dict[str, bool] = {}  # section HTML -> its last block is empty
        self._lengths: list[int] | None = None
        self._stylesheet: str | None = None
        # Parses one section at a time; kept, so its stylesheet is parsed once, not per section.
        self._scratch = QTextDocument(self)
        self._scratch.setUndoRedoEnabled(False)
        # Read at the editor's size (it is at least 11 pt), not the smaller widget default.
        font = self.font()
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 (Qt API)
        """Only the app's own resources; never a file or address named in a note."""
        url = QUrl(url) if isinstance(url, str) else url
        image_kind = kind == QTextDocument.ResourceType.ImageResource.value
        if self.image_provider is not None and image_kind:
            provided = self.image_provider(url)
            if provided is not None:
                return provided
        if url.scheme() in ALLOWED_RESOURCE_SCHEMES or url.toString().startswith(":/"):
            return super().loadResource(kind, url)
        # Not None: when this returns nothing, QTextDocument goes on to read the file from
        # disk itself. An empty image (or empty text) is an answer, and shows nothing.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return QImage()
        return ""

    def _link_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "entry":
            self.entryLinkActivated.emit(url.path() or url.toString().removeprefix("entry:"))
        elif scheme in ("http", "https"):
            self.externalLinkActivated.emit(url)
        elif not scheme and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        else:
            self.blockedLink.emit(url.toString())

    def set_rendered(
        self, html: str, stylesheet: str, sections: Sequence[str] | None = None
    ) -> None:
        """Show ``html``, keeping the reader's place (proportionally).

        With ``sections`` (the HTML of each section, ``"\n".join(sections) == html``, as
        ``MarkdownRenderer.render_sectioned`` gives), only the sections that differ from the
        ones shown are replaced: laying out a long note again takes tens of milliseconds on
        the GUI thread, one section well under one.
        """
        scrollbar = self.verticalScrollBar()
        fraction = scrollbar.value() / scrollbar.maximum() if scrollbar.maximum() else 0.0
        if sections and (self._shown or self._loaded) and stylesheet == self._stylesheet:
            self._replace_changed(self._units(sections))
        else:
            self._set_all(html, stylesheet, sections)
        self.scroll_to_fraction(fraction)

    def _set_all(self, html: str, stylesheet: str, sections: Sequence[str] | None) -> None:
        document = self.document()
        document.setDefaultStyleSheet(stylesheet)
        document.setHtml(html)
        if stylesheet != self._stylesheet:
            self._scratch.setDefaultStyleSheet(stylesheet)
            self._ends_empty.clear()
        self._stylesheet = stylesheet
        # Its units and their lengths are worked out when an edit first needs them, not here: a
        # note is opened far more often than edited, and both parse every section once more.
        self._loaded = list(sections) if sections else None
        self._shown = self._lengths = None

    def _measure(self, units: list[str]) -> list[int] | None:
        """How many positions each unit takes in the document; None if they do not add up."""
        lengths = [self._parse(unit).characterCount() for unit in units]
        # Each unit takes its characters plus one block separator, which is how the whole
        # HTML imports too; if Qt ever imports it otherwise, don't guess.
        return lengths if sum(lengths) == self.document().characterCount() else None

    def _units(self, sections: Sequence[str]) -> list[str]:
        """The sections, with each one whose last block is empty joined to the next one.

        Qt's HTML import puts the next block into an empty block (an empty list item, the
        block after a table) instead of starting one: such sections must be parsed together,
        as they are in the whole document, to come out the same.
        """
        units: list[str] = []
        pending: list[str] = []
        for section in sections:
            pending.append(section)
            if not self._section_ends_empty(section):
                units.append("\n".join(pending))
                pending = []
        if pending:
            units.append("\n".join(pending))
        return units

    def _section_ends_empty(self, section: str) -> bool:
        known = self._ends_empty.get(section)
        if known is None:
            if len(self._ends_empty) > _MAX_KNOWN_SECTIONS:
                self._ends_empty.clear()
            known = self._ends_empty[section] = self._parse(section).lastBlock().length() <= 1
        return known

    def _parse(self, section: str) -> QTextDocument:
        """A section on its own, parsed with the preview's stylesheet, in the scratch document
        (valid until the next call). It is never laid out, so it loads no resource: the
        preview loads them, through loadResource, when it shows them."""
        self._scratch.setHtml(section)
        return self._scratch

    def _replace_changed(self, new: list[str]) -> None:
        """Replace the run of shown sections that differs from ``new`` by ``new``'s run."""
        if self._shown is None:
            assert self._loaded is not None
            self._shown = self._units(self._loaded)
            self._lengths = self._measure(self._shown)
        old = self._shown
        if self._lengths is None:
            self._set_all("\n".join(new), self._stylesheet or "", new)
            return
        first = 0
        limit = min(len(old), len(new))
        while first < limit and old[first] == new[first]:
            first += 1
        if first == len(old) == len(new):
            return
        last = 0  # sections equal at the end, not overlapping the equal start
        while last < limit - first and old[-1 - last] == new[-1 - last]:
            last += 1
        # Replace at least one section on each side: then the edit is always "these blocks
        # become those", with no insertion between two untouched sections to special-case.
        if first == len(old) - last or first == len(new) - last:
            if first:
                first -= 1
            else:
                last -= 1
        old_end, new_end = len(old) - last, len(new) - last
        changed = sum(map(len, new[first:new_end]))
        if first in (old_end, new_end) or changed > _WHOLE_SHARE * sum(map(len, new)):
            # One side empty (nothing to anchor to), or most of it new (another note): one
            # parse of the whole is cheaper than many section inserts.
            self._set_all("\n".join(new), self._stylesheet or "", new)
            return
        start = sum(self._lengths[:first])
        span = sum(self._lengths[first:old_end])
        lengths = self._insert_sections(start, span, new[first:new_end])
        self._shown = new
        self._lengths[first:old_end] = lengths
        if sum(self._lengths) != self.document().characterCount():
            # Qt inserted a section differently from how the whole parse imports it (a section
            # that starts with a list, after an empty heading Qt drops, gains an empty block):
            # show the whole parse rather than a preview that differs from it.
            self._set_all("\n".join(new), self._stylesheet or "", new)

    def _insert_sections(self, start: int, span: int, sections: list[str]) -> list[int]:
        """Replace the ``span`` positions from ``start`` (whole sections, each with its
        trailing separator) by ``sections``; return their lengths."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one layout pass for the whole change
        cursor.setPosition(start)
        # Keep the last separator: it starts the next section's first block and holds its
        # format (the document's end for the last section).
        cursor.setPosition(start + span - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        lengths: list[int] = []
        for index, section in enumerate(sections):
            scratch = self._parse(section)
            head = scratch.firstBlock()
            # A fragment's first block joins the block at the cursor without its format: give
            # that block the format it has in the section, as a whole-document parse would.
            if index:
                cursor.insertBlock(head.blockFormat(), head.charFormat())
            else:
                cursor.setBlockFormat(head.blockFormat())
                cursor.setBlockCharFormat(head.charFormat())
            cursor.insertFragment(QTextDocumentFragment(scratch))
            lengths.append(scratch.characterCount())
        cursor.endEditBlock()
        return lengths

    def scroll_to_anchor(self, anchor: str) -> None:
        if anchor:
            self.scrollToAnchor(anchor)

    def scroll_to_fraction(self, fraction: float) -> None:
        scrollbar = self.verticalScrollBar()
        scrollbar.setValue(round(fraction * scrollbar.maximum()))

    def plain_document(self) -> QTextDocument:
        return self.document()
