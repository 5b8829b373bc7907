"""Links to a heading or a block: ``[[Note#Heading]]`` and ``[[Note#^id]]`` followed to their
place, and ``![[Note#Heading]]`` embedding that part alone (core/links/places.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from notebook_app.core.links.places import linked_part, place_line
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from tests.test_window import WindowFactory, open_entry, settle

TEXT = (
    "Intro\n\n## Toy models\nToy text.\n\n### Sub\nsub\n\n## Other\nx\n\n"
    "A claim\ncontinues here. ^claim-1\n\n- a\n- b ^li\n\n```\n## Fake ^code\n```\n"
    "Setext\n---\nbody"
)


def test_a_heading_is_the_heading_and_what_is_under_it() -> None:
    assert linked_part(TEXT, "toy  Models") == "## Toy models\nToy text.\n\n### Sub\nsub"
    assert linked_part(TEXT, "Sub") == "### Sub\nsub"
    assert linked_part(TEXT, "Setext") == "Setext\n---\nbody"
    assert place_line(TEXT, "Other") == 8
    assert place_line(TEXT, "Setext") == 20


def test_a_block_is_its_paragraph_or_its_list_item() -> None:
    assert linked_part(TEXT, "^claim-1") == "A claim\ncontinues here. ^claim-1"
    assert place_line(TEXT, "^claim-1") == 12
    assert linked_part(TEXT, "^li") == "- b ^li"


def test_code_and_missing_places_are_none() -> None:
    assert linked_part(TEXT, "Fake") is None
    assert place_line(TEXT, "^code") is None
    assert linked_part(TEXT, "Nowhere") is None
    assert place_line(TEXT, "^nowhere") is None


BODY = (
    "Intro line.\n\n## Toy models\nToy text here.\n\n## Other\nOther text.\n\n"
    + "".join(f"filler {i}\n\n" for i in range(80))
    + "A claim here. ^claim-1\n"
)


def test_following_a_block_link_puts_the_cursor_on_the_block(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        target = notebook.add(Entry(kind=Kind.TERM, title="Superposition", body=BODY))
        note = notebook.add(Entry(kind=Kind.NOTE, title="Daily", body="[[Superposition#^claim-1]]"))
    window = make_window()
    open_entry(window, note.id)
    window.ui.preview.anchorClicked.emit(QUrl("wiki:Superposition#%5Eclaim-1"))
    qtbot.waitUntil(lambda: window.editing.current.id == target.id, timeout=5000)
    editor = window.ui.editor
    claim = BODY.splitlines().index("A claim here. ^claim-1")
    qtbot.waitUntil(lambda: editor.textCursor().blockNumber() == claim, timeout=5000)


def test_an_embedded_heading_shows_that_section_alone(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Superposition", body=BODY))
        note = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Daily",
                body="![[Superposition#Toy models]]\n\n![[Superposition#^claim-1]]\n\n"
                "![[Superposition#Nowhere]]",
            )
        )
    window = make_window()
    open_entry(window, note.id)
    preview = window.ui.preview
    qtbot.waitUntil(lambda: "Toy text here." in preview.toPlainText(), timeout=5000)
    qtbot.waitUntil(lambda: "A claim here." in preview.toPlainText(), timeout=5000)
    settle(window)
    shown = preview.toPlainText()
    assert "Intro line." not in shown
    assert "Other text." not in shown
    assert "filler 3" not in shown
    assert shown.count("Toy text here.") == 1
    assert "no heading “Nowhere” in it" in shown
