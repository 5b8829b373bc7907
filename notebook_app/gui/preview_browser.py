"""The preview: a QTextBrowser that shows rendered markdown and lets nothing out.

* It runs no script and fetches nothing from the network (QTextBrowser cannot), and it loads
  no local file either: by default QTextBrowser reads files a note names (``file:///…``,
  ``/etc/…``); here only the app's own Qt resources load.
* Clicked links never navigate the preview: links to entries (``entry:ID``) and http(s) links
  are handed to the window as signals; ``javascript:``, ``file:`` and the rest do nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from notebook_app.gui.generated import resources_rc  # noqa: F401  (the app's own resources)

ALLOWED_RESOURCE_SCHEMES = {"qrc"}


class PreviewBrowser(QTextBrowser):
    entryLinkActivated = Signal(str)
    externalLinkActivated = Signal(QUrl)
    blockedLink = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.anchorClicked.connect(self._link_clicked)
        self.document().setDocumentMargin(14)
        # Read at the editor's size (it is at least 11 pt), not the smaller widget default.
        font = self.font()
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 (Qt API)
        """Only the app's own resources; never a file or address named in a note."""
        url = QUrl(url) if isinstance(url, str) else url
        if url.scheme() in ALLOWED_RESOURCE_SCHEMES or url.toString().startswith(":/"):
            return super().loadResource(kind, url)
        return None

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

    def set_rendered(self, html: str, stylesheet: str) -> None:
        """Replace the content, keeping the reader's place (proportionally)."""
        scrollbar = self.verticalScrollBar()
        fraction = scrollbar.value() / scrollbar.maximum() if scrollbar.maximum() else 0.0
        document = self.document()
        document.setDefaultStyleSheet(stylesheet)
        document.setHtml(html)
        self.scroll_to_fraction(fraction)

    def scroll_to_anchor(self, anchor: str) -> None:
        if anchor:
            self.scrollToAnchor(anchor)

    def scroll_to_fraction(self, fraction: float) -> None:
        scrollbar = self.verticalScrollBar()
        scrollbar.setValue(round(fraction * scrollbar.maximum()))

    def plain_document(self) -> QTextDocument:
        return self.document()
