"""The glossary order: moves before, after and to a position; new terms at the end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.errors import EntryNotFoundError, InvalidEntryError
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.model.listing import Scope, Sort
from notebook_app.core.storage import glossary_order
from notebook_app.core.storage.notebook import Notebook


def order(notebook: Notebook) -> list[str]:
    scope = Scope(kinds=frozenset({Kind.TERM}))
    return [s.title for s in notebook.search("", scope=scope, sort=Sort.GLOSSARY, limit=100_000)]


def terms(notebook: Notebook, *titles: str) -> dict[str, str]:
    stored = notebook.add_many([Entry(kind=Kind.TERM, title=title) for title in titles])
    return {entry.title: entry.id for entry in stored}


def test_new_terms_go_to_the_end_in_whole_numbers(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B")
    ids |= terms(notebook, "C")
    assert order(notebook) == ["A", "B", "C"]
    positions = [notebook.get(ids[t]).glossary_position for t in "ABC"]
    assert all(p is not None and p == int(p) for p in positions)
    assert positions == sorted(positions)


def test_a_new_term_after_the_selected_one(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B", "C")
    new = notebook.add(Entry(kind=Kind.TERM, title="A2"), after=ids["A"])
    assert order(notebook) == ["A", "A2", "B", "C"]
    assert notebook.get(new.id).glossary_position == new.glossary_position


def test_before_after_and_position(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B", "C", "D")
    assert notebook.move_term(ids["D"], before=ids["A"]) == 1
    assert order(notebook) == ["D", "A", "B", "C"]
    assert notebook.move_term(ids["D"], after=ids["C"]) == 4
    assert order(notebook) == ["A", "B", "C", "D"]
    assert notebook.move_term(ids["A"], position=3) == 3
    assert order(notebook) == ["B", "C", "A", "D"]
    assert notebook.move_term(ids["B"], position=99) == 4  # past the end: the end
    assert order(notebook) == ["C", "A", "D", "B"]
    assert notebook.move_term(ids["B"], position=1) == 1
    assert order(notebook) == ["B", "C", "A", "D"]
    # Already there, and onto itself: nothing moves.
    assert notebook.move_term(ids["C"], after=ids["B"]) == 2
    assert notebook.move_term(ids["C"], before=ids["C"]) == 2
    assert order(notebook) == ["B", "C", "A", "D"]
    assert notebook.glossary_ranks([ids["A"], ids["D"]]) == {ids["A"]: 3, ids["D"]: 4}


def test_moving_keeps_version_and_history(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B")
    notebook.move_term(ids["B"], before=ids["A"])
    assert notebook.get(ids["B"]).version == 1
    assert notebook.history(ids["B"]) == []


def test_gaps_run_out_and_the_order_is_renumbered(notebook: Notebook) -> None:
    ids = terms(notebook, *"ABCDEF")
    # Each move into the same gap halves it: whole numbers run out after ~10 moves.
    for title in "CDEFCDEFCDEFCDEF":
        notebook.move_term(ids[title], after=ids["A"])
        assert order(notebook)[:2] == ["A", title]
    positions = [notebook.get(i).glossary_position for i in ids.values()]
    assert all(p is not None and p == int(p) for p in positions)
    assert len(set(positions)) == len(positions)


def test_messy_positions_are_renumbered_in_their_order(notebook: Notebook) -> None:
    notebook.add_many([
        Entry(kind=Kind.TERM, title="Half", glossary_position=1.5),
        Entry(kind=Kind.TERM, title="One", glossary_position=1.0),
        Entry(kind=Kind.TERM, title="Same b", glossary_position=2.0),
        Entry(kind=Kind.TERM, title="Same a", glossary_position=2.0),
    ])  # fmt: skip
    unplaced = Entry(kind=Kind.TERM, title="Unplaced")
    notebook.add(unplaced)
    notebook.conn.execute("UPDATE entries SET glossary_position = NULL WHERE id = ?", [unplaced.id])
    assert order(notebook) == ["One", "Half", "Same a", "Same b", "Unplaced"]
    notebook.move_term(unplaced.id, after=notebook.search("One")[0].id)
    assert order(notebook) == ["One", "Unplaced", "Half", "Same a", "Same b"]
    rows = notebook.conn.execute("SELECT glossary_position FROM entries").fetchall()
    assert all(row[0] == int(row[0]) for row in rows)


def test_trashed_terms_do_not_count_as_positions(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B", "C")
    notebook.trash(ids["A"])
    assert notebook.move_term(ids["C"], position=1) == 1
    assert order(notebook) == ["C", "B"]
    with pytest.raises(InvalidEntryError, match="trash"):
        notebook.move_term(ids["B"], before=ids["A"])


def test_refusals(notebook: Notebook) -> None:
    ids = terms(notebook, "A", "B")
    note = notebook.add(Entry(kind=Kind.NOTE, title="a note"))
    with pytest.raises(InvalidEntryError, match="not a glossary term"):
        notebook.move_term(note.id, position=1)
    with pytest.raises(InvalidEntryError, match="not a glossary term"):
        notebook.move_term(ids["A"], before=note.id)
    with pytest.raises(InvalidEntryError, match="start at 1"):
        notebook.move_term(ids["A"], position=0)
    with pytest.raises(InvalidEntryError, match="say where"):
        notebook.move_term(ids["A"], before=ids["B"], position=2)
    with pytest.raises(EntryNotFoundError):
        notebook.move_term("0000-missing", position=1)
    assert order(notebook) == ["A", "B"]


def test_ten_thousand_terms(notebook: Notebook) -> None:
    notebook.add_many(Entry(kind=Kind.TERM, title=f"term {i:05}") for i in range(10_000))
    ids = [s.id for s in notebook.search("", scope=Scope(kinds=frozenset({Kind.TERM})),
                                         sort=Sort.GLOSSARY, limit=10_000)]  # fmt: skip
    started = time.perf_counter()
    notebook.move_term(ids[-1], position=1)
    notebook.move_term(ids[0], after=ids[5000])
    notebook.move_term(ids[9000], before=ids[1])
    elapsed = time.perf_counter() - started
    titles = order(notebook)
    assert titles[0] == "term 09999" and titles[1] == "term 09000" and titles[2] == "term 00001"
    assert titles[titles.index("term 05000") + 1] == "term 00000"
    assert len(titles) == 10_000
    assert elapsed < 5  # a pathological bound only: a move is a few ms (bench_learning.py)


def test_move_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        ids = terms(notebook, "A", "B", "C")
    assert main(["--db", str(db), "move", ids["C"][:8], "--before", ids["A"][:8]]) == 0
    assert "position 1" in capsys.readouterr().out
    assert main(["--db", str(db), "move", ids["A"], "--position", "3"]) == 0
    with Notebook.open(db) as notebook:
        assert order(notebook) == ["C", "B", "A"]
    capsys.readouterr()
    assert main(["--db", str(db), "move", ids["A"], "--position", "0"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--db", str(db), "move", ids["A"]]) == 2  # where to? a usage error
    assert capsys.readouterr().err.count("\n") == 1


def test_glossary_order_module_keeps_listing_order() -> None:
    # The order renumbering follows must be the listing's (search.sql's Sort.GLOSSARY).
    from notebook_app.core.search.sql import sort_order

    listing = sort_order(Sort.GLOSSARY).replace("e.", "")
    assert listing.startswith(glossary_order._ORDER.split(", title")[0])
