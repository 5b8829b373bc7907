"""The preview's callouts and embeds on the real window: a folded callout unfolded and folded
again from the keyboard (the note's text untouched, the choice kept for the entry), and a note
embedded with its formula drawn as an image, its links marked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtTest import QTest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from tests.test_links_gui import _anchor_formats, _tooltips
from tests.test_window import WindowFactory, open_entry

BODY = "Intro.\n\n> [!note]- Details\n> The hidden part.\n\n> [!tip] Second\n> Shown part."


def _tab_to(qtbot, preview, text: str) -> None:  # type: ignore[no-untyped-def]
    """Tab through the preview's links until the one reading ``text`` is selected."""
    preview.setFocus()
    qtbot.waitUntil(preview.hasFocus)
    for _ in range(10):
        QTest.keyClick(preview, Qt.Key.Key_Tab)
        if preview.textCursor().selectedText() == text:
            return
    raise AssertionError(f"no link reading {text!r} reached by Tab")


def test_a_folded_callout_unfolds_and_folds_from_the_keyboard(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="Folds", body=BODY))
        other = notebook.add(
            Entry(kind=Kind.NOTE, title="Other", body="Else.\n\n> [!note]- Its own\n> Not opened.")
        )
    window = make_window()
    open_entry(window, note.id)
    preview = window.ui.preview
    qtbot.waitUntil(lambda: "Shown part." in preview.toPlainText(), timeout=5000)
    text = preview.toPlainText()
    assert "Details ▸" in text and "The hidden part." not in text  # the two callouts apart
    assert _anchor_formats(window)["▸"] == "fold:0"

    _tab_to(qtbot, preview, "▸")
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "The hidden part." in preview.toPlainText(), timeout=5000)
    assert "Details ▾" in preview.toPlainText()
    assert preview.textCursor().selectedText() == "▾"  # the mark keeps the keyboard's focus
    assert window.statusBar().currentMessage() == "Fold the callout"  # and says what it does
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "The hidden part." not in preview.toPlainText(), timeout=5000)
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "The hidden part." in preview.toPlainText(), timeout=5000)
    assert window.ui.editor.toPlainText() == BODY  # view state: the text is as written

    # Kept for the entry while the app runs: another entry (its own callout 0 as written)
    # and back, still unfolded.
    open_entry(window, other.id)
    qtbot.waitUntil(lambda: "Its own" in preview.toPlainText(), timeout=5000)
    assert "Not opened." not in preview.toPlainText()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "Shown part." in preview.toPlainText(), timeout=5000)
    assert "The hidden part." in preview.toPlainText()
    with Notebook.open(db_path) as notebook:
        assert notebook.get(note.id).body == BODY


def test_an_embedded_note_draws_its_formula_and_marks_its_links(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.core.markdown.math_extension import math_keys

    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Target", body="T."))
        notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Maths",
                body="# Mean\n\nThe mean $\\mathbb{E}[x]$ here. See [[Target]], [[Nowhere]] "
                "and [[#Mean]].\n\n> [!note]- Proof\n> Folded inside.",
            )
        )
        host = notebook.add(Entry(kind=Kind.NOTE, title="Host", body="Before.\n\n![[Maths]]"))
    window = make_window()
    open_entry(window, host.id)
    preview = window.ui.preview
    qtbot.waitUntil(lambda: "The mean" in preview.toPlainText(), timeout=10_000)
    assert "\\mathbb" not in preview.toPlainText()  # drawn, not shown as source
    keys = math_keys(preview.toHtml().replace("math:", 'src="math:'))
    assert len(keys) == 1
    kind = QTextDocument.ResourceType.ImageResource.value
    image = preview.loadResource(kind, QUrl(f"math:{keys[0]}"))
    assert isinstance(image, QImage) and not image.isNull()
    ratio = image.devicePixelRatio()
    assert 15 <= image.width() / ratio <= 80 and 10 <= image.height() / ratio <= 40
    # The embedded note's links are marked as the note's own are; its [[#Mean]] names it.
    qtbot.waitUntil(lambda: "Nowhere" in _tooltips(window), timeout=5000)
    assert _tooltips(window)["Target"] == "Target"
    assert _tooltips(window)["Nowhere"].startswith("No entry is called Nowhere")
    assert _anchor_formats(window)["Mean"] == "wiki:Maths#Mean"
    # Its folded callout folds, and unfolds, like the note's own.
    assert "Folded inside." not in preview.toPlainText()
    preview.anchorClicked.emit(QUrl(_anchor_formats(window)["▸"]))
    qtbot.waitUntil(lambda: "Folded inside." in preview.toPlainText(), timeout=5000)
    # Still drawn after the note is shown again (its images held while it is embedded).
    image = preview.loadResource(kind, QUrl(f"math:{keys[0]}"))
    assert isinstance(image, QImage) and not image.isNull()
