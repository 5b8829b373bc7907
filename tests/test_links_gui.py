"""The window's links: [[links]] in the preview, completion, back/forward, backlinks, terms,
task boxes toggled from the preview (gui/links.py and its parts)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui import settings as S
from notebook_app.gui.safe_browser import text_fragments
from tests import test_window
from tests.test_window import WindowFactory, open_entry, settle, shortcut


def _anchor_formats(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each anchor's text in the preview -> its href."""
    fragments = text_fragments(window.ui.preview.document())
    return {f.text(): f.charFormat().anchorHref() for f in fragments if f.charFormat().anchorHref()}


def _tooltips(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    fragments = text_fragments(window.ui.preview.document())
    return {f.text(): f.charFormat().toolTip() for f in fragments if f.charFormat().toolTip()}


def test_type_a_link_with_completion_follow_it_and_go_back(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        target = notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="More features."))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Reading", body="About "))
    window = make_window()
    open_entry(window, note.id)
    editor = window.ui.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    QTest.keyClicks(editor, "[[Sup")
    popup = window.links.completion.popup
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    assert popup.model().data(popup.model().index(0, 0)) == "Superposition"
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert editor.toPlainText() == "About [[Superposition]]"
    assert not popup.isVisible()
    # The preview shows it as a link, resolved.
    qtbot.waitUntil(lambda: "Superposition" in _anchor_formats(window), timeout=5000)
    assert _anchor_formats(window)["Superposition"] == "wiki:Superposition"
    qtbot.waitUntil(lambda: _tooltips(window).get("Superposition") == "Superposition", timeout=5000)
    # Follow it, then Alt+Left back and Alt+Right forward.
    window.ui.preview.anchorClicked.emit(QUrl("wiki:Superposition"))
    qtbot.waitUntil(lambda: window.editing.current.id == target.id, timeout=5000)
    shortcut(window, "Alt+Left")
    qtbot.waitUntil(lambda: window.editing.current.id == note.id, timeout=5000)
    assert window.ui.editor.toPlainText() == "About [[Superposition]]"  # saved, not lost
    shortcut(window, "Alt+Right")
    qtbot.waitUntil(lambda: window.editing.current.id == target.id, timeout=5000)


def test_completion_esc_closes_and_keeps_the_text(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Sparse Coding"))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Reading"))
    window = make_window()
    open_entry(window, note.id)
    editor = window.ui.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "x [[spa")
    popup = window.links.completion.popup
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    QTest.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert editor.toPlainText() == "x [[spa"


def test_completion_offers_a_korean_title_from_its_first_syllables(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="초전도체"))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Reading"))
    window = make_window()
    open_entry(window, note.id)
    editor = window.ui.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "[[")
    # Korean comes through the input method: a committed string, not key presses.
    typed = QInputMethodEvent()
    typed.setCommitString("초전")
    QApplication.sendEvent(editor, typed)
    popup = window.links.completion.popup
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    assert popup.model().data(popup.model().index(0, 0)) == "초전도체"
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert editor.toPlainText() == "[[초전도체]]"


def test_missing_link_offers_to_create_and_ambiguous_offers_a_choice(
    qtbot, make_window: WindowFactory, db_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        first = notebook.add(Entry(kind=Kind.NOTE, title="Twin"))
        notebook.add(Entry(kind=Kind.NOTE, title="Twin"))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Hub", body="[[Nowhere]] and [[Twin]]"))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "Nowhere" in _tooltips(window), timeout=5000)
    assert "follow to create it" in _tooltips(window)["Nowhere"]
    assert "2 entries are called Twin" in _tooltips(window)["Twin"]
    asked: list[str] = []
    monkeypatch.setattr(window.links.preview, "offer_create", asked.append)
    window.ui.preview.anchorClicked.emit(QUrl("wiki:Nowhere"))
    qtbot.waitUntil(lambda: asked == ["Nowhere"], timeout=5000)
    window.links.preview.create("Nowhere")
    settle(window)
    assert window.editing.current.title == "Nowhere"
    with Notebook.open(db_path) as notebook:
        assert [e.title for e in notebook.titles_matching("Nowhere")] == ["Nowhere"]
    # Ambiguous: a menu of both, the older first; Enter opens it.
    open_entry(window, note.id)
    # The new note took the link: the preview says so now.
    qtbot.waitUntil(lambda: _tooltips(window).get("Nowhere") == "Nowhere", timeout=5000)
    window.ui.preview.anchorClicked.emit(QUrl("wiki:Twin"))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    menu = QApplication.activePopupWidget()
    assert [a.text() for a in menu.actions()][0] == "2 entries are called “Twin”:"
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editing.current.id == first.id, timeout=5000)


def test_backlinks_panel_lists_links_and_mentions_and_links_a_mention(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        term = notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
        linker = notebook.add(
            Entry(kind=Kind.NOTE, title="Linker", body="Intro.\n\nWe read [[Superposition]] today.")
        )
        mention = notebook.add(
            Entry(kind=Kind.NOTE, title="Mentioner", body="Toy models show superposition well.")
        )
    window = make_window()
    open_entry(window, term.id)
    shortcut(window, "Ctrl+5")
    tree = window.links.panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 2, timeout=5000)
    linked, unlinked = tree.topLevelItem(0), tree.topLevelItem(1)
    assert linked.text(0) == "Linked mentions (1)"
    assert linked.child(0).text(0) == "Linker\nWe read [[Superposition]] today."
    assert unlinked.child(0).text(0).startswith("Mentioner\nToy models show superposition")
    tree.setCurrentItem(unlinked.child(0))
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: tree.topLevelItem(0).text(0) == "Linked mentions (2)", timeout=5000)
    with Notebook.open(db_path) as notebook:
        assert (
            notebook.get(mention.id).body == "Toy models show [[Superposition|superposition]] well."
        )
    # Enter on a linked mention opens its entry with the cursor on the link's line.
    group = tree.topLevelItem(0)
    rows = [group.child(i) for i in range(group.childCount())]
    tree.setCurrentItem(next(row for row in rows if row.text(0).startswith("Linker")))
    QTest.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editing.current.id == linker.id, timeout=5000)
    editor = window.ui.editor
    line = "We read [[Superposition]] today."
    qtbot.waitUntil(lambda: editor.textCursor().block().text() == line, timeout=5000)


def test_glossary_term_is_marked_with_its_definition(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        term = notebook.add(
            Entry(kind=Kind.TERM, title="SAE", body="A sparse autoencoder.\n\nMore.")
        )
        note = notebook.add(Entry(kind=Kind.NOTE, title="N", body="An SAE finds features. SAE."))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "SAE" in _tooltips(window), timeout=5000)
    assert _tooltips(window)["SAE"] == "SAE: A sparse autoencoder."
    assert _anchor_formats(window)["SAE"] == f"entry:{term.id}"
    # Only the first use: the second "SAE" is plain text.
    assert window.ui.preview.toHtml().count(f"entry:{term.id}") == 1
    window.ui.preview.anchorClicked.emit(QUrl(f"entry:{term.id}"))
    qtbot.waitUntil(lambda: window.editing.current.id == term.id, timeout=5000)


def test_clicking_a_task_box_toggles_it_in_the_text(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    body = "- [ ] same\n- [ ] same\n- [x] other"
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="Tasks", body=body))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "☐" in window.ui.preview.toPlainText(), timeout=5000)
    preview = window.ui.preview
    # The second "same" box, as a click on it does.
    second = preview.document().find("☐", preview.document().find("☐").position())
    preview._pressed_at = second.selectionStart()
    preview.anchorClicked.emit(QUrl("task:same"))
    assert window.ui.editor.toPlainText() == "- [ ] same\n- [x] same\n- [x] other"
    preview.anchorClicked.emit(QUrl("task:other"))
    assert window.ui.editor.toPlainText() == "- [ ] same\n- [x] same\n- [ ] other"
    window.editing.flush()
    settle(window)
    with Notebook.open(db_path) as notebook:
        assert notebook.get(note.id).body == "- [ ] same\n- [x] same\n- [ ] other"
    # In a callout too (its list is drawn as a task list since quotes are read as notes).
    window.ui.editor.setPlainText("> [!todo] Next\n> - [ ] in the callout")
    qtbot.waitUntil(lambda: "in the callout" in window.ui.preview.toPlainText(), timeout=5000)
    preview._pressed_at = preview.document().find("☐").selectionStart()
    preview.anchorClicked.emit(QUrl("task:in%20the%20callout"))
    assert window.ui.editor.toPlainText() == "> [!todo] Next\n> - [x] in the callout"


def test_unsafe_targets_in_new_link_kinds_go_nowhere(
    qtbot, make_window: WindowFactory, db_path: Path, opened_urls: list[QUrl]
) -> None:  # type: ignore[no-untyped-def]
    body = (
        "[[javascript:alert(1)]] [[file:///etc/passwd]] ![[data:text/html,x]] "
        "javascript:alert(2) file:///etc/passwd www.example.org"
    )
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="Unsafe", body=body))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "www.example.org" in _anchor_formats(window), timeout=5000)
    hrefs = set(_anchor_formats(window).values())
    assert hrefs == {
        "wiki:javascript%3Aalert%281%29",
        "wiki:file%3A%2F%2F%2Fetc%2Fpasswd",
        "wiki:data%3Atext%2Fhtml%2Cx",
        "https://www.example.org",
    }
    asked: list[str] = []
    window.links.preview.offer_create = asked.append  # type: ignore[method-assign]
    window.ui.preview.anchorClicked.emit(QUrl("wiki:javascript%3Aalert%281%29"))
    qtbot.waitUntil(lambda: asked == ["javascript:alert(1)"], timeout=5000)
    assert opened_urls == []


def test_hovering_a_term_shows_its_definition(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="More features than dims."))
        note = notebook.add(Entry(kind=Kind.NOTE, title="N", body="Models use superposition."))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "superposition" in _tooltips(window), timeout=5000)
    preview = window.ui.preview
    found = preview.document().find("superposition")
    rect = preview.cursorRect(found)
    point = QPoint(rect.left() - 8, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, point, preview.viewport().mapToGlobal(point))
    QApplication.sendEvent(preview.viewport(), event)
    assert QToolTip.text() == "Superposition: More features than dims."
    QToolTip.hideText()
    # From the keyboard: Tab in the preview reaches the term and shows the same.
    preview.setFocus()
    qtbot.waitUntil(preview.hasFocus)
    QTest.keyClick(preview, Qt.Key.Key_Tab)
    assert preview.textCursor().selectedText() == "superposition"
    assert QToolTip.text() == "Superposition: More features than dims."
    assert window.statusBar().currentMessage() == "Superposition: More features than dims."


def test_an_embed_shows_the_other_note_once_and_a_cycle_is_noticed(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Other", body="Embedded words.\n\n![[Host]]"))
        host = notebook.add(
            Entry(kind=Kind.NOTE, title="Host", body="Before.\n\n![[Other]]\n\n![[Host]]")
        )
    window = make_window()
    open_entry(window, host.id)
    qtbot.waitUntil(lambda: "Embedded words." in window.ui.preview.toPlainText(), timeout=5000)
    text = window.ui.preview.toPlainText()
    assert "(it embeds this note back: shown one level deep)" in text
    assert "(this note itself: not embedded)" in text
    assert text.count("Embedded words.") == 1  # one level: the embed inside stays a link
    assert text.count("⧉ Host") == 2


def test_strict_line_breaks_setting(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title="N", body="first line\nsecond line"))
    window = make_window()
    open_entry(window, note.id)
    qtbot.waitUntil(lambda: "second" in window.ui.preview.toPlainText(), timeout=5000)
    assert "first line\nsecond line" in window.ui.preview.toPlainText()  # a line break
    window.named_actions["strictLineBreaks"].setChecked(True)
    qtbot.waitUntil(
        lambda: "first line second line" in window.ui.preview.toPlainText(), timeout=5000
    )
    assert window.settings.get(S.STRICT_LINE_BREAKS)
    window = test_window.restart(window, make_window)
    open_entry(window, note.id)
    qtbot.waitUntil(
        lambda: "first line second line" in window.ui.preview.toPlainText(), timeout=5000
    )
    assert window.named_actions["strictLineBreaks"].isChecked()


def test_a_link_to_a_heading_opens_the_entry_there(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    body = "\n\n".join(f"## Part {i}\n\n" + "text line\n" * 30 for i in range(8))
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Long", body=body))
        note = notebook.add(Entry(kind=Kind.NOTE, title="From", body="[[Long#part 6]]"))
    window = make_window()
    open_entry(window, note.id)
    window.ui.preview.anchorClicked.emit(QUrl("wiki:Long#part%206"))
    editor = window.ui.editor
    qtbot.waitUntil(lambda: editor.textCursor().block().text() == "## Part 6", timeout=5000)
