"""The entry pane's fields and editor in the window: what a field shows, how wide the kind's
fields stay, a new meeting's day and its action items (issue 13, items 3, 4 and 12)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from test_window import WindowFactory, open_entry, shortcut  # noqa: F401 (fixtures pytest finds here)

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook

LONG_TITLE = "Why Large Language Models Can Write Code but Still Can't Plan"
LONG_URL = "https://www.example.com/a/very/long/path/to/a/post/about/planning-and-language-models"


@pytest.fixture
def window_factory(request: pytest.FixtureRequest) -> WindowFactory:
    """test_window's window factory (its name is taken by the import above)."""
    factory: WindowFactory = request.getfixturevalue("make_window")
    return factory


def _shows_start(edit: QLineEdit) -> bool:
    return edit.cursorPosition() == 0 and edit.text() != ""


def test_unfocused_fields_show_the_start_of_their_text(
    qtbot,
    window_factory: WindowFactory,
    db_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        note = notebook.add(Entry(kind=Kind.NOTE, title=LONG_TITLE, url=LONG_URL))
        meeting = notebook.add(
            Entry(kind=Kind.MEETING, title="Call", who="an eval researcher, a policy person")
        )
    window = window_factory()
    window.resize(1024, 700)
    ui = window.ui
    open_entry(window, note.id)
    assert _shows_start(ui.titleEdit) and _shows_start(ui.urlEdit)
    open_entry(window, meeting.id)
    assert _shows_start(ui.whoEdit)
    # Typing at the end of a field, then leaving it: it shows its start again.
    open_entry(window, note.id)
    ui.urlEdit.setFocus()
    ui.urlEdit.end(False)
    QTest.keyClicks(ui.urlEdit, "/more")
    assert ui.urlEdit.cursorPosition() == len(ui.urlEdit.text())
    ui.editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ui.editor)
    assert _shows_start(ui.urlEdit)
    assert ui.urlEdit.text().endswith("/more")


def test_kind_fields_keep_their_width_after_switching_entries(
    qtbot,
    window_factory: WindowFactory,
    db_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        meeting = notebook.add(Entry(kind=Kind.MEETING, title="Call", who="someone"))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Note", url="https://example.com"))
        term = notebook.add(Entry(kind=Kind.TERM, title="Term", aliases=["t"]))
    window = window_factory()
    ui = window.ui
    fields = {Kind.NOTE: ui.urlEdit, Kind.TERM: ui.aliasesEdit, Kind.MEETING: ui.whoEdit}
    at_launch: dict[Kind, int] = {}
    for entry in (meeting, note, term):
        open_entry(window, entry.id)
        qtbot.wait(20)  # the layout runs
        at_launch[entry.kind] = fields[entry.kind].width()
        assert ui.kindFields.width() >= ui.titleEdit.width() - 2  # the stack is full width
    for entry in (note, meeting, term, note, term, meeting):  # Down, Up… in the list
        open_entry(window, entry.id)
        qtbot.wait(20)
        assert fields[entry.kind].width() == at_launch[entry.kind]
        assert ui.kindFields.width() >= ui.titleEdit.width() - 2
    # Full width, not the ~100 px the fields shrank to (the pane's width depends on the screen).
    title = ui.titleEdit.width()
    assert at_launch[Kind.TERM] > title / 2 and at_launch[Kind.MEETING] > title / 3
    # The stack is as tall as the page shown, not the tallest page.
    open_entry(window, note.id)
    qtbot.wait(20)
    note_height = ui.kindFields.height()
    open_entry(window, meeting.id)
    qtbot.wait(20)
    assert ui.kindFields.height() > note_height


def test_a_new_meeting_is_dated_today_and_its_action_items_continue(
    qtbot,
    window_factory: WindowFactory,
) -> None:  # type: ignore[no-untyped-def]
    window = window_factory()
    ui = window.ui
    shortcut(window, "Ctrl+Shift+M")
    assert ui.metOnEdit.text() == dt.date.today().isoformat()
    ui.actionItemsEdit.setFocus()
    QTest.keyClicks(ui.actionItemsEdit, "- [ ] send the draft")
    QTest.keyClick(ui.actionItemsEdit, Qt.Key.Key_Return)
    QTest.keyClicks(ui.actionItemsEdit, "book a room")
    assert ui.actionItemsEdit.toPlainText() == "- [ ] send the draft\n- [ ] book a room"
    QTest.keyClick(ui.actionItemsEdit, Qt.Key.Key_Return)
    QTest.keyClick(ui.actionItemsEdit, Qt.Key.Key_Return)  # on an empty item: ends the list
    assert ui.actionItemsEdit.toPlainText() == "- [ ] send the draft\n- [ ] book a room\n"
    qtbot.waitUntil(lambda: not window.editing.dirty, timeout=5000)
    assert window.editing.current is not None
    stored = window.notebook.get(window.editing.current.id)
    assert stored.met_on == dt.date.today()
    assert stored.action_items == "- [ ] send the draft\n- [ ] book a room\n"
    # The preview shows them as task boxes.
    qtbot.waitUntil(lambda: "book a room" in ui.preview.toPlainText(), timeout=5000)
    assert "☐" in ui.preview.toPlainText()


def _long_note() -> str:
    """Blank-line paragraphs, then a tight list, then long wrapped paragraphs: the three take
    very different room in the editor and the preview, so a scroll fraction drifts."""
    part_a = "\n\n".join(f"Paragraph {i} about scaling and context." for i in range(150))
    part_b = "\n".join(f"- item {i} of the list" for i in range(300))
    long = "Long paragraph {} " + "with many words that wrap over several lines " * 14
    part_c = "\n\n".join(long.format(i) for i in range(40))
    return f"## Part A\n\n{part_a}\n\n## Part B\n\n{part_b}\n\n## Part C\n\n{part_c}\n"


def _preview_top_text(window) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    return window.ui.preview.cursorForPosition(QPoint(20, 20)).block().text()


def test_preview_follows_the_editor_by_blocks_and_the_outline_marks_the_section(
    qtbot, window_factory: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import re

    body = _long_note()
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="Long", body=body))
    window = window_factory()
    ui = window.ui
    ui.outlineDock.show()
    open_entry(window, entry.id)
    qtbot.waitUntil(lambda: ui.outline.topLevelItemCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: not ui.preview.is_loading(), timeout=5000)
    lines = body.split("\n")
    for wanted, section in ((150, "Part B"), (40, "Part B"), (270, "Part B"), (60, "Part A")):
        prefix = "- item" if section == "Part B" else "Paragraph"
        line = next(n for n, text in enumerate(lines) if text.startswith(f"{prefix} {wanted} "))
        ui.editor.jump_to_line(line)
        assert ui.editor.firstVisibleBlock().blockNumber() == line

        def near(wanted: int = wanted) -> bool:
            number = re.search(r"(?:item|Paragraph) (\d+)", _preview_top_text(window))
            return number is not None and abs(int(number.group(1)) - wanted) <= 2

        # (Right after the note was opened, matching waits for a pause of 150 ms.)
        qtbot.waitUntil(near, timeout=3000)
        assert ui.outline.currentItem() is not None
        assert ui.outline.currentItem().text(0) == section
    # The top of the note and its first section; the end and the end.
    ui.editor.verticalScrollBar().setValue(0)
    qtbot.wait(30)
    assert ui.outline.currentItem().text(0) == "Part A"
    assert ui.preview.verticalScrollBar().value() == 0
    ui.editor.verticalScrollBar().setValue(ui.editor.verticalScrollBar().maximum())
    qtbot.wait(30)
    assert ui.outline.currentItem().text(0) == "Part C"
    assert ui.preview.verticalScrollBar().value() == ui.preview.verticalScrollBar().maximum()
