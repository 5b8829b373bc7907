"""A QTextBrowser that lets nothing out: the base of the preview.

* It runs no script and fetches nothing from the network (QTextBrowser cannot), and it loads
  no local file either: by default QTextBrowser reads files a note names (``file:///…``,
  ``/etc/…``); here only the app's own Qt resources load, with the notebook's attachments
  (``image_provider``) and the formulas drawn by the render lane (preview_math.py).
* Clicked links never navigate it: links to entries (``entry:ID``, ``wiki:NAME``, a note's
  file ``note:PATH``), task boxes (``task:``), callout fold marks (``fold:``) and http(s) links
  are handed to the window as signals; ``javascript:``, ``file:``, ``data:`` and the rest do
  nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QImage, QMouseEvent, QTextDocument, QTextFragment
from PySide6.QtWidgets import QTextBrowser, QWidget

from notebook_app.gui.generated import resources_rc  # noqa: F401  (the app's own resources)
from notebook_app.gui.preview_math import MATH_SCHEME, MathImages

ALLOWED_RESOURCE_SCHEMES = {"qrc"}


def text_fragments(document: QTextDocument) -> Iterator[QTextFragment]:
    """Each run of text of one format in ``document``, in order: a link is one (or a few)."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            yield iterator.fragment()
            iterator += 1
        block = block.next()


class SafeBrowser(QTextBrowser):
    """Shows HTML; loads only what the app holds, and hands clicked links to the window."""

    entryLinkActivated = Signal(str)
    wikiLinkActivated = Signal(str)  # a [[link]]'s wiki: URL (core/markdown/wikilinks_extension.py)
    noteLinkActivated = Signal(str)  # a [x](Other.md) link's note: URL (core/links/file_link_marks)
    taskActivated = Signal(str, int)  # a task box's task: URL, and which of those it is
    foldActivated = Signal(str)  # a callout's fold: URL (core/markdown/callout_folds.py)
    linkFocused = Signal(str)  # Tab / Shift+Tab reached a link (its href): no Qt signal says so
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
        self._pressed_at = -1  # where the last mouse press was (a task box's place)
        self.document().setDocumentMargin(14)
        self._math = MathImages()
        self.set_math_images = self._math.update
        self.math_image_keys = self._math.keys_for
        self.hold_math_images = self._math.hold  # an embedded note's formulas (preview_embeds)
        self.release_math_images = self._math.release
        # Read at the editor's size (it is at least 11 pt), not the smaller widget default.
        font = self.font()
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 (Qt API)
        """Only the app's own resources; never a file or address named in a note."""
        url = QUrl(url) if isinstance(url, str) else url
        if url.scheme() == MATH_SCHEME:  # drawn by the render lane, answered from memory
            return self._math.image(url.path())
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
        elif scheme == "wiki":
            self.wikiLinkActivated.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        elif scheme == "note":
            self.noteLinkActivated.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        elif scheme == "task":
            href = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
            self.taskActivated.emit(href, self._occurrence(href))
        elif scheme == "fold":
            self.foldActivated.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        elif scheme in ("http", "https"):
            self.externalLinkActivated.emit(url)
        elif not scheme and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        else:
            self.blockedLink.emit(url.toString())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 (Qt API)
        moved = super().focusNextPrevChild(next)
        cursor = self.textCursor()
        if moved and cursor.hasSelection() and cursor.charFormat().isAnchor():
            self.linkFocused.emit(cursor.charFormat().anchorHref())
        return moved

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._pressed_at = self.cursorForPosition(event.position().toPoint()).position()
        super().mousePressEvent(event)

    def _occurrence(self, href: str) -> int:
        """Which of the document's links to ``href`` was activated (0 for the first): the one
        under the mouse press, else the one the keyboard focus is on (the selection)."""
        cursor = self.textCursor()
        at = cursor.selectionStart() if cursor.hasSelection() else self._pressed_at
        self._pressed_at = -1
        seen = 0
        for fragment in text_fragments(self.document()):
            if fragment.charFormat().anchorHref() in (href, QUrl(href).toString()):
                start = fragment.position()
                if start <= at < start + fragment.length() or start >= at:
                    return seen
                seen += 1
        return max(seen - 1, 0)

    def scroll_to_anchor(self, anchor: str) -> None:
        if anchor:  # (headings past the first 1,000 have none: see core/markdown/headings.py)
            self.scrollToAnchor(anchor)

    def scroll_to_fraction(self, fraction: float) -> None:
        self.verticalScrollBar().setValue(round(fraction * self.verticalScrollBar().maximum()))
