"""The window's side of attachments: images in the preview, paste and drop in the editor.

* **Preview.** The renderer writes a note's images as ``attachment:NAME`` (the name as the note
  writes it; core/markdown/attachments_extension.py). :class:`PreviewImages` answers those URLs
  for ``SafeBrowser.loadResource``: the file the name resolves to for the open entry is read
  from the notebook on the "read" lane and decoded there, then handed to the document, which
  lays out again. Until then the image is empty; a name the notebook does not hold shows a
  placeholder with the name. One wider than the column is shown scaled down to it
  (preview_width.py). Nothing here ever opens a path a note names.
* **Editor.** Ctrl+V with an image on the clipboard stores it (PNG) as
  ``pasted-YYYYMMDD-HHMMSS.png`` and inserts ``![[…]]``; dropping files stores each one and
  inserts an embed for an image, a ``[[link]]`` for anything else. Files are read and stored on
  the "write" lane (bounded like an import: at most 20 MB); the text goes in where the cursor
  was when the store is done, if the same entry is still open.

``install_attachments(window, ui, runner, current_id)`` wires both (main_window.py).
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMimeData, QObject, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from notebook_app.gui.preview_width import FitImages
from notebook_app.gui.tasks import TaskRunner

CurrentId = Callable[[], str | None]
_MAX_CACHED = 64
_MAX_SIDE = 4096  # larger images are scaled down for the preview (memory, not the file)


def placeholder(name: str) -> QImage:
    """A box with the file's name: what the preview shows for a file the notebook lacks."""
    image = QImage(max(120, 8 * len(name) + 24), 28, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setPen(QColor(150, 150, 150))
    painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, f"⧉ {name}")
    painter.end()
    return image


def _decoded(found: Any) -> tuple[QImage | None, str]:
    """Worker side: the stored file's bytes as an image (None when they are not one)."""
    if found is None:
        return None, ""
    stored, data = found
    image = QImage.fromData(data)
    if image.isNull():
        return None, stored.path
    if max(image.width(), image.height()) > _MAX_SIDE:
        image = image.scaled(_MAX_SIDE, _MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)  # fmt: skip
    return image, stored.path


class PreviewImages(QObject):
    """``PreviewBrowser.image_provider`` for ``attachment:`` URLs."""

    def __init__(self, browser: Any, runner: TaskRunner, current_id: CurrentId) -> None:
        super().__init__(browser)
        self.browser, self.runner, self.current_id = browser, runner, current_id
        self._images: collections.OrderedDict[tuple[str | None, str], QImage] = (
            collections.OrderedDict()
        )
        self._pending: set[tuple[str | None, str]] = set()
        # The images handed to the document, and whose: a document keeps a resource by its
        # URL alone, across pages, and ``x.png`` in another entry may be another file (from
        # another folder), so they go when the document shows another entry's page.
        self._handed: set[str] = set()
        self._handed_for: str | None = None
        browser.image_provider = self.image
        browser.document().contentsChange.connect(self._page_changed)
        self.fit = FitImages(browser)  # one wider than the column shows scaled down to it

    def image(self, url: QUrl) -> QImage | None:
        if url.scheme() != "attachment":
            return None
        name = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
        key = (self.current_id(), name)
        known = self._images.get(key)
        if known is not None:
            self._images.move_to_end(key)
            return known
        if key not in self._pending:
            self._pending.add(key)
            self._load(key, url)
        return QImage()

    def forget(self) -> None:
        """Drop what is known (a file was just stored: a placeholder may now be an image)."""
        self._images.clear()

    def _page_changed(self, *_change: object) -> None:
        if not self._handed or self._handed_for == self.current_id():
            return
        # Another entry's page: taking the old images out makes the document ask again
        # (None removes a resource; an empty image would be kept and shown as nothing).
        document = self.browser.document()
        for name in self._handed:
            document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), None)
        self._handed.clear()
        document.markContentsDirty(0, document.characterCount())

    def _load(self, key: tuple[str | None, str], url: QUrl) -> None:
        entry_id, name = key

        def work(notebook: Any) -> tuple[QImage | None, str]:
            from notebook_app.core.api import resolve_data

            return _decoded(resolve_data(notebook, name, entry_id))

        def done(result: tuple[QImage | None, str]) -> None:
            self._pending.discard(key)
            image = result[0] if result[0] is not None else placeholder(name)
            self._images[key] = image
            while len(self._images) > _MAX_CACHED:
                self._images.popitem(last=False)
            if key[0] != self.current_id():
                return
            document = self.browser.document()
            document.addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
            self._handed.add(url.toString())
            self._handed_for = key[0]
            document.markContentsDirty(0, document.characterCount())
            self.fit.refit()  # its size is known now

        self.runner.submit("read", work, done=done, failed=lambda _e: self._pending.discard(key))


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; str works)
    buffer.close()
    return bytes(data.data())


def _read_dropped(path: str) -> bytes:
    """A dropped file's bytes, read as an import reads a file the user named (bounded)."""
    from notebook_app.core.api import read_named_file

    return read_named_file(Path(path))


class EditorAttachments(QObject):
    """Paste and drop of files into the markdown editor (an event filter: the editor's own
    paste and drop go on for text)."""

    def __init__(
        self,
        editor: QPlainTextEdit,
        runner: TaskRunner,
        current_id: CurrentId,
        say: Callable[[str], object],
        stored: Callable[[], object] = lambda: None,
    ) -> None:
        super().__init__(editor)
        self.editor, self.runner, self.current_id, self.say = editor, runner, current_id, say
        self.stored = stored
        self.now: Callable[[], dt.datetime] = dt.datetime.now
        editor.installEventFilter(self)
        editor.viewport().installEventFilter(self)
        editor.viewport().setAcceptDrops(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.KeyPress and watched is self.editor:
            if event.matches(QKeySequence.StandardKey.Paste) and not self.editor.isReadOnly():  # type: ignore[attr-defined]
                mime = QApplication.clipboard().mimeData()
                return self.insert_from(mime, self.editor.textCursor())
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and watched is not self.editor:
            if _local_files(event.mimeData()) and not self.editor.isReadOnly():  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop and watched is not self.editor:
            mime = event.mimeData()  # type: ignore[attr-defined]
            if _local_files(mime) and not self.editor.isReadOnly():
                where = self.editor.cursorForPosition(event.position().toPoint())  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return self.insert_from(mime, where)
        return False

    def insert_from(self, mime: QMimeData | None, cursor: QTextCursor) -> bool:
        """Store what ``mime`` holds (local files, else an image) and insert its embeds at
        ``cursor``; False when it holds neither (the editor pastes the text)."""
        if mime is None:
            return False
        files = _local_files(mime)
        if files:
            self._store([(Path(f).name, None, f) for f in files], cursor)
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            if image.isNull():
                return False
            name = f"pasted-{self.now():%Y%m%d-%H%M%S}.png"
            self._store([(name, image.copy(), None)], cursor)
            return True
        return False

    def _store(
        self, items: list[tuple[str, QImage | None, str | None]], cursor: QTextCursor
    ) -> None:
        entry_id = self.current_id()
        anchor = QTextCursor(cursor)  # moves with the text typed meanwhile

        def work(notebook: Any) -> list[tuple[str, str]]:
            from notebook_app.core.api import store_new_file

            out = []
            for name, image, path in items:
                data = _png(image) if image is not None else _read_dropped(path or "")
                stored = store_new_file(notebook, name, data, entry_id)
                out.append((stored.path, stored.mime))
            return out

        def done(result: list[tuple[str, str]]) -> None:
            from notebook_app.core.api import embed_text

            self.stored()
            text = " ".join(embed_text(p, image=m.startswith("image/")) for p, m in result)
            if self.current_id() != entry_id:
                self.say(f"Stored {', '.join(p for p, _ in result)}; another entry is open now, "
                         "so nothing was inserted")  # fmt: skip
                return
            anchor.insertText(text)
            self.editor.setTextCursor(anchor)

        def failed(error: Exception) -> None:
            self.say(f"Not stored: {error}")

        self.runner.submit("write", work, done=done, failed=failed)


def _local_files(mime: QMimeData | None) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def install_attachments(
    window: QWidget, ui: Any, runner: TaskRunner, current_id: CurrentId
) -> tuple[PreviewImages, EditorAttachments]:
    """Images in the preview, paste and drop in the editor (one call from the window)."""
    images = PreviewImages(ui.preview, runner, current_id)
    say = getattr(window, "say", lambda text: None)
    editor = EditorAttachments(ui.editor, runner, current_id, say, stored=images.forget)
    return images, editor
