"""Markdown links to notes' files in the window's preview: ``[x](Other%20page.md)`` opens the
entry imported from that file (gui/preview_file_links.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.safe_browser import text_fragments
from tests.test_window import WindowFactory, open_entry


def _anchors(window) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each anchor's text in the preview -> (its href, its tooltip)."""
    return {
        f.text(): (f.charFormat().anchorHref(), f.charFormat().toolTip())
        for f in text_fragments(window.ui.preview.document())
        if f.charFormat().anchorHref()
    }


def test_a_markdown_link_to_a_notes_file_opens_its_entry_by_keyboard(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    body = "\n\n".join(f"## Part {i}\n\n" + "text line\n" * 30 for i in range(6))
    with Notebook.open(db_path) as notebook:
        other = notebook.add(
            Entry(kind=Kind.NOTE, title="Other page", body=body, folder="ideas",
                  file_name="Other page.md")
        )  # fmt: skip
        note = notebook.add(
            Entry(kind=Kind.NOTE, title="From", folder="notes/deep", file_name="From.md",
                  body="See [the other](../../ideas/Other%20page.md#Part%204), "
                  "[gone](Gone.md) and [site](https://example.org/x.md).")
        )  # fmt: skip
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(
        lambda: _anchors(window).get("the other", ("", ""))[1] == "Other page", timeout=5000
    )
    anchors = _anchors(window)
    assert anchors["the other"][0] == "note:ideas/Other%20page.md#Part%204"
    assert anchors["gone"] == (
        "note:notes/deep/Gone.md",
        "No entry has the file notes/deep/Gone.md",
    )
    assert anchors["site"][0] == "https://example.org/x.md"  # a URL stays what it is
    # Tab to the link, Enter: the entry opens at the heading.
    preview = window.ui.preview
    preview.setFocus()
    qtbot.waitUntil(preview.hasFocus)
    QTest.keyClick(preview, Qt.Key.Key_Tab)
    assert preview.textCursor().selectedText() == "the other"
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editing.current.id == other.id, timeout=5000)
    editor = window.ui.editor
    qtbot.waitUntil(lambda: editor.textCursor().block().text() == "## Part 4", timeout=5000)


def test_a_link_to_a_file_no_entry_has_says_so(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="From", body="[gone](Gone.md)"))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "gone" in _anchors(window), timeout=5000)
    window.ui.preview.anchorClicked.emit(QUrl("note:Gone.md"))
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "No entry has the file Gone.md",
        timeout=5000,
    )
    assert window.editing.current.id == note.id
