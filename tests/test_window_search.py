"""Search feedback in the window (issue 13 item 9): the hit marked in the opened entry's editor
and preview, tag: completion, and Ctrl+P telling same-titled entries apart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from test_window import WindowFactory, open_entry, settle

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.search_completion import tag_prefix
from notebook_app.gui.search_marks import MARK, utf16_spans


def marked(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.cursor.selectedText() for s in widget.extraSelections() if s.format.property(MARK)]


def search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    window.ui.searchBox.setText(text)
    qtbot.wait(120)
    settle(window)


def test_the_hit_is_marked_in_the_editor_and_preview(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    lines = "\n".join(f"line {i}" for i in range(200))
    with Notebook.open(db_path) as notebook:
        cafe = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Paris",
                body=f"{lines}\n\n💡 We met at the **Café** de Flore.",
            )
        )
    window = make_window()
    window.preview.start()
    search(qtbot, window, "cafe")
    open_entry(window, cafe.id)
    qtbot.wait(50)  # scrolled once the text is laid out
    assert marked(window.ui.editor) == ["Café"]  # past an emoji: offsets in UTF-16
    qtbot.waitUntil(lambda: marked(window.ui.preview) == ["Café"], timeout=5000)
    # Opened from a search, the editor shows its first hit (the cursor stays where it was).
    editor = window.ui.editor
    hit = QTextCursor(editor.document())
    hit.setPosition(editor.document().characterCount() - 12)
    assert editor.viewport().rect().contains(editor.cursorRect(hit).center())
    assert editor.textCursor().position() == 0
    # The search cleared: no marks.
    window.ui.searchBox.setText("")
    qtbot.wait(120)
    settle(window)
    assert marked(window.ui.editor) == []


def test_utf16_spans_count_astral_characters_twice() -> None:
    assert utf16_spans("ab", [(0, 1)]) == [(0, 1)]
    assert utf16_spans("💡 Café", [(2, 6)]) == [(3, 7)]


def test_tag_completion_in_the_search_box(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert tag_prefix("sparse tag:ma", 13) == (11, "ma")
    assert tag_prefix("sparse -tag:", 12) == (12, "")
    assert tag_prefix("sparse", 6) is None
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="One", tags=["machine-learning", "safety"]))
    window = make_window()
    settle(window)
    qtbot.waitUntil(lambda: len(window.entry_list.tag_completion.tags) == 2, timeout=3000)
    box = window.ui.searchBox
    box.setFocus()
    QTest.keyClicks(box, "sparse tag:ma")
    completer = window.entry_list.tag_completion.completer
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=2000)
    assert completer.currentCompletion() == "machine-learning"
    QTest.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert box.text() == "sparse tag:machine-learning "
    assert not completer.popup().isVisible()


def test_ctrl_p_tells_same_titles_apart(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Attention", tags=["papers"]))
        notebook.add(Entry(kind=Kind.TERM, title="Attention"))
        notebook.add(Entry(kind=Kind.NOTE, title="Unique"))
    window = make_window()
    switcher = window.switcher
    switcher.open_switcher()
    QTest.keyClicks(switcher.input, "att")
    qtbot.waitUntil(lambda: switcher.results.count() == 2, timeout=3000)
    texts = sorted(switcher.results.item(i).text() for i in range(2))
    assert texts[0] != texts[1]
    assert any("note ·" in text and "#papers" in text for text in texts)
    assert any("term ·" in text for text in texts)
    switcher.input.setText("unique")
    qtbot.waitUntil(lambda: switcher.results.count() == 1, timeout=3000)
    assert switcher.results.item(0).text() == "Unique"  # a title alone needs no details
    switcher.hide()


def test_ctrl_p_says_no_entry_matches(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A title matching nothing got an empty list and not a word: was the notebook still
    being read, or was it the spelling?"""
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Attention"))
    window = make_window()
    switcher = window.switcher
    switcher.open_switcher()
    QTest.keyClicks(switcher.input, "atention <b>")

    def hint() -> QLabel | None:
        labels = switcher.results.viewport().findChildren(QLabel)
        return next((label for label in labels if label.isVisible()), None)

    qtbot.waitUntil(lambda: hint() is not None, timeout=3000)
    said = hint()
    assert said is not None and said.text().startswith("No entry matches “atention &lt;b&gt;”")
    assert switcher.results.count() == 0
    switcher.input.setText("atten")
    qtbot.waitUntil(lambda: switcher.results.count() == 1, timeout=3000)
    assert hint() is None
    switcher.hide()
