"""Attachments in the window: the preview shows the notebook's image (never a file a note
names), a placeholder otherwise; Ctrl+V of an image and dropping a file store and embed it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import markdown
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notebook_app.core.attachments.store import list_attachments, read_blob, store_new_file
from notebook_app.core.markdown.attachments_extension import AttachmentExtension
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from tests.test_attachments import png
from tests.test_window import WindowFactory

# The window tests' fixtures, used here by name.


def _html(text: str) -> str:
    return markdown.Markdown(extensions=[AttachmentExtension()]).convert(text)


def _open_entry(qtbot, window, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    window.editing.open(entry.id)
    qtbot.waitUntil(lambda: window.editing.current is not None
                    and window.editing.current.id == entry.id, timeout=3000)  # fmt: skip


def _image(window, name: str) -> QImage:  # type: ignore[no-untyped-def]
    url = QUrl(f"attachment:{name}")
    value = window.ui.preview.document().resource(
        QTextDocument.ResourceType.ImageResource.value, url
    )
    return value if isinstance(value, QImage) else QImage()


def test_preview_shows_the_notebooks_image_and_never_reads_a_path(
    qtbot,
    make_window: WindowFactory,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="pictures", body="![[x.png]]"))
        store_new_file(notebook, "x.png", png(7, 5), entry.id)
    # A file beside the notebook with the missing name: the preview must not read it.
    (tmp_path / "missing.png").write_bytes(png(9, 9))
    monkeypatch.chdir(tmp_path)  # restored after the test (later tests run code from the cwd)
    window = make_window()
    _open_entry(qtbot, window, entry)
    preview = window.ui.preview
    preview.set_rendered(_html("![[x.png]] ![](missing.png) ![](%s)" % (tmp_path / "missing.png")),
                         "")  # fmt: skip
    qtbot.waitUntil(lambda: _image(window, "x.png").width() == 7, timeout=3000)
    assert _image(window, "x.png").height() == 5
    # A name the notebook lacks: a placeholder with the name, not the file beside it.
    qtbot.waitUntil(lambda: not _image(window, "missing.png").isNull(), timeout=3000)
    assert _image(window, "missing.png").size() != QImage(str(tmp_path / "missing.png")).size()
    assert _image(window, "missing.png").height() == 28


def test_paste_an_image_stores_it_and_inserts_the_embed(
    qtbot,
    make_window: WindowFactory,
    db_path: Path,
) -> None:
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="paste here", body="before "))
    window = make_window()
    _open_entry(qtbot, window, entry)
    editor = window.ui.editor
    _images, attachments = window.attachments
    attachments.now = lambda: dt.datetime(2024, 6, 2, 10, 11, 12)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    image = QImage(6, 4, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    QApplication.clipboard().setImage(image)
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "![[pasted-20240602-101112.png]]" in editor.toPlainText(), timeout=3000)
    assert editor.toPlainText() == "before ![[pasted-20240602-101112.png]]"
    with Notebook.open(db_path) as notebook:
        [info] = list_attachments(notebook)
        stored = QImage.fromData(read_blob(notebook, info.sha256) or b"")
    assert (stored.width(), stored.height(), info.mime) == (6, 4, "image/png")


def test_drop_files_stores_them_images_embedded_others_linked(
    qtbot,
    make_window: WindowFactory,
    db_path: Path,
    tmp_path: Path,
) -> None:
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="drop here", body=""))
    (tmp_path / "photo.png").write_bytes(png(3, 3))
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4 dropped")
    window = make_window()
    _open_entry(qtbot, window, entry)
    editor = window.ui.editor
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png")),
                  QUrl.fromLocalFile(str(tmp_path / "paper.pdf"))])  # fmt: skip
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    # QApplication delivers a drop only after a drag the window system started; the filter
    # the window installed on the editor's viewport is handed the same event here.
    _images, attachments = window.attachments
    assert attachments.eventFilter(editor.viewport(), drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: "[[paper.pdf]]" in editor.toPlainText(), timeout=3000)
    assert editor.toPlainText() == "![[photo.png]] [[paper.pdf]]"
    with Notebook.open(db_path) as notebook:
        paths = {i.path: i for i in list_attachments(notebook)}
    assert set(paths) == {"photo.png", "paper.pdf"}
    assert paths["paper.pdf"].size == len(b"%PDF-1.4 dropped")


@pytest.mark.parametrize("text", ["plain words"])
def test_paste_of_text_is_the_editors_own(
    qtbot,
    make_window: WindowFactory,
    db_path: Path,
    text: str,
) -> None:
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="text", body=""))
    window = make_window()
    _open_entry(qtbot, window, entry)
    QApplication.clipboard().setText(text)
    window.ui.editor.setFocus()
    QTest.keyClick(window.ui.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.editor.toPlainText() == text


def _shown_images(window) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    """Each image of the preview: its name and the width it is laid out at."""
    document = window.ui.preview.document()
    found, cursor = [], QTextCursor(document)
    while not (cursor := document.find("\ufffc", cursor)).isNull():
        image = cursor.charFormat().toImageFormat()
        found.append((image.name(), image.width()))
    return found


def test_an_image_wider_than_the_column_is_scaled_down_to_fit_it(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:
    body = ("![](shot.png)\n\n- a list\n    - nested ![[shot.png]]\n\n"
            "> [!note] A callout\n> ![[shot.png]]\n\nsmall ![[shot.png|300]]\n")  # fmt: skip
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="screenshot", body=body))
        store_new_file(notebook, "shot.png", png(1400, 60), entry.id)
    window = make_window()
    window.resize(1600, 800)
    splitter = window.ui.editorSplitter
    splitter.setSizes([300, sum(splitter.sizes()) - 300])
    _open_entry(qtbot, window, entry)
    preview = window.ui.preview

    def fitted() -> list[float]:
        widths = [width for name, width in _shown_images(window) if "#fit-" in name]
        assert len(widths) == 4  # all four drawn from a copy of their shown size
        return widths

    def check_fits() -> bool:
        widths = fitted()
        column = preview.viewport().width()
        assert preview.document().size().width() <= column
        assert preview.horizontalScrollBar().maximum() == 0
        assert 0 < widths[1] < widths[0] <= column  # the nested item's indent is left free
        assert 0 < widths[2] < widths[0]  # the callout's rule and padding too
        assert widths[3] == min(300, column)  # the size the note asked for, if it fits
        return True

    qtbot.waitUntil(check_fits, timeout=5000)  # (each check waits for the images to settle)
    wide = fitted()
    # The preview narrowed by the splitter: the images follow, the note is not rendered again.
    renders = []
    window.preview.rendered.connect(renders.append)
    splitter.setSizes([sum(splitter.sizes()) - 380, 380])
    qtbot.waitUntil(lambda: fitted()[0] < wide[0] and check_fits(), timeout=5000)
    narrow = fitted()
    assert not renders
    splitter.setSizes([sum(splitter.sizes()) - 800, 800])
    qtbot.waitUntil(lambda: fitted()[0] > narrow[0] and check_fits(), timeout=5000)
    assert all(width <= 1400 for width in fitted())  # never past the image's own width


def test_an_image_name_two_entries_share_shows_each_entrys_own_file(
    qtbot, make_window: WindowFactory, db_path: Path, tmp_path: Path
) -> None:
    # Two vault folders, each with its note and its own x.png: the document keeps an image by
    # its URL alone, so the second note showed the first one's picture.
    from notebook_app.core.formats.importing import apply_import, plan_import

    vault = tmp_path / "vault"
    for folder, side in (("a", 7), ("b", 9)):
        (vault / folder).mkdir(parents=True)
        (vault / folder / "x.png").write_bytes(png(side, side))
        (vault / folder / f"note {folder}.md").write_text("![](x.png)\n")
    with Notebook.open(db_path) as notebook:
        apply_import(notebook, plan_import(notebook, vault))
        first, second = sorted(notebook.iter_entries(), key=lambda e: e.title)
    window = make_window()
    _open_entry(qtbot, window, first)
    qtbot.waitUntil(lambda: _image(window, "x.png").width() == 7, timeout=3000)
    _open_entry(qtbot, window, second)
    qtbot.waitUntil(lambda: _image(window, "x.png").width() == 9, timeout=3000)
    _open_entry(qtbot, window, first)  # and back
    qtbot.waitUntil(lambda: _image(window, "x.png").width() == 7, timeout=3000)
