"""The reading queue's order: the user's placed notes first, then the rest oldest first; moves
before, after and to a position write one row while there is room."""

from __future__ import annotations

import pytest

from notebook_app.core.errors import EntryNotFoundError, InvalidEntryError
from notebook_app.core.model.entry import Entry, Kind, ReadingStatus
from notebook_app.core.papers.reading_queue import move_in_queue, queue_length, reading_queue
from notebook_app.core.storage.glossary_order import GAP
from notebook_app.core.storage.notebook import Notebook


def queue(notebook: Notebook) -> list[str]:
    return [s.title for s in reading_queue(notebook)]


def queued(notebook: Notebook, *titles: str) -> dict[str, str]:
    stored = notebook.add_many(
        [Entry(kind=Kind.NOTE, title=t, reading_status=ReadingStatus.TO_READ) for t in titles]
    )
    return {entry.title: entry.id for entry in stored}


def positions(notebook: Notebook) -> dict[str, int | None]:
    rows = notebook.conn.execute("SELECT title, queue_position FROM entries WHERE kind = 'note'")
    return dict(rows.fetchall())


def test_unplaced_notes_come_oldest_first(notebook: Notebook) -> None:
    queued(notebook, "A", "B", "C")
    notebook.add(Entry(kind=Kind.NOTE, title="Done", reading_status=ReadingStatus.DONE))
    assert queue(notebook) == ["A", "B", "C"]
    assert queue_length(notebook) == 3


def test_moves_before_after_and_to_a_position(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B", "C", "D")
    assert move_in_queue(notebook, ids["C"], before=ids["A"]) == 1
    assert queue(notebook) == ["C", "A", "B", "D"]
    assert move_in_queue(notebook, ids["C"], after=ids["B"]) == 3
    assert queue(notebook) == ["A", "B", "C", "D"]
    assert move_in_queue(notebook, ids["A"], position=4) == 4
    assert queue(notebook) == ["B", "C", "D", "A"]
    assert move_in_queue(notebook, ids["D"], position=99) == 4  # past the end: the last
    assert queue(notebook) == ["B", "C", "A", "D"]
    assert move_in_queue(notebook, ids["B"], before=ids["B"]) == 1  # onto itself: unchanged
    assert queue(notebook) == ["B", "C", "A", "D"]


def test_notes_queued_after_a_move_wait_at_the_end(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B")
    move_in_queue(notebook, ids["B"], before=ids["A"])
    queued(notebook, "New")
    assert queue(notebook) == ["B", "A", "New"]


def test_a_move_with_room_writes_one_row(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B", "C")
    # Among the unplaced notes: the queue is numbered, every note placed.
    move_in_queue(notebook, ids["A"], after=ids["B"])
    before = positions(notebook)
    assert before == {"B": GAP, "A": 2 * GAP, "C": 3 * GAP}
    move_in_queue(notebook, ids["C"], after=ids["B"])
    after = positions(notebook)
    assert [t for t in after if after[t] != before[t]] == ["C"]
    assert queue(notebook) == ["B", "C", "A"]


def test_a_note_placed_first_leaves_the_rest_unplaced(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B", "C")
    move_in_queue(notebook, ids["C"], before=ids["A"])
    assert positions(notebook) == {"A": None, "B": None, "C": GAP}
    assert queue(notebook) == ["C", "A", "B"]


def test_no_room_left_numbers_the_queue_again(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B", "C")
    notebook.conn.executemany(
        "UPDATE entries SET queue_position = ? WHERE id = ?", [(1, ids["A"]), (2, ids["B"])]
    )
    move_in_queue(notebook, ids["C"], after=ids["A"])
    assert queue(notebook) == ["A", "C", "B"]
    assert positions(notebook) == {"A": GAP, "C": 2 * GAP, "B": 3 * GAP}


def test_only_queued_notes_move(notebook: Notebook) -> None:
    ids = queued(notebook, "A")
    done = notebook.add(Entry(kind=Kind.NOTE, title="Done", reading_status=ReadingStatus.DONE))
    version = notebook.get(ids["A"]).version
    with pytest.raises(InvalidEntryError):
        move_in_queue(notebook, done.id, position=1)
    with pytest.raises(InvalidEntryError):
        move_in_queue(notebook, ids["A"], before=done.id)
    with pytest.raises(InvalidEntryError):
        move_in_queue(notebook, ids["A"])
    with pytest.raises(InvalidEntryError):
        move_in_queue(notebook, ids["A"], position=0)
    with pytest.raises(EntryNotFoundError):
        move_in_queue(notebook, "no-such-id", position=1)
    move_in_queue(notebook, ids["A"], position=1)
    assert notebook.get(ids["A"]).version == version  # the order is not content


def test_a_note_leaving_the_queue_leaves_the_order(notebook: Notebook) -> None:
    ids = queued(notebook, "A", "B", "C")
    move_in_queue(notebook, ids["C"], position=1)
    entry = notebook.get(ids["C"])
    notebook.update(entry.id, entry.version, reading_status=ReadingStatus.DONE)
    notebook.trash(ids["A"])
    assert queue(notebook) == ["B"]
