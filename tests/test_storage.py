"""Entries of every kind, optimistic updates, history, trash, and refusing what is not ours."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from notebook_app.core.errors import (
    EntryNotFoundError,
    InvalidEntryError,
    NewerSchemaError,
    NotANotebookError,
    NotebookError,
    StaleEntryError,
)
from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
)
from notebook_app.core.model.listing import Scope
from notebook_app.core.storage import notebook as notebook_module
from notebook_app.core.storage.notebook import Notebook


def make_note(**fields: object) -> Entry:
    values: dict[str, object] = {
        "kind": Kind.NOTE,
        "title": "Training Language Models to Self-Correct via Reinforcement Learning",
        "body": "SFT on self-correction traces amplifies the model's bias.",
        "tags": ["ml/rl", "llm"],
        "source_type": SourceType.PAPER,
        "url": "https://arxiv.org/pdf/2409.12917",
        "authors": "Kumar et al.",
        "read_on": dt.date(2024, 9, 20),
        "reading_status": ReadingStatus.DONE,
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


def test_each_kind_keeps_its_fields(notebook: Notebook) -> None:
    note = notebook.add(make_note())
    term = notebook.add(
        Entry(
            kind=Kind.TERM,
            title="Sparse Coding",
            body="Representing data as sparse combinations of dictionary atoms.",
            aliases=["dictionary learning"],
            learning_status=LearningStatus.WANT,
            glossary_position=3.0,
        )
    )
    meeting = notebook.add(
        Entry(
            kind=Kind.MEETING,
            title="Chat about evals",
            body="Talked about capability elicitation.",
            met_on=dt.date(2024, 2, 1),
            who="an eval researcher at a London lab",
            action_items="- [ ] read the METR report\n- [x] send notes",
        )
    )
    assert notebook.get(note.id) == note
    assert notebook.get(term.id).aliases == ["dictionary learning"]
    assert notebook.get(term.id).learning_status is LearningStatus.WANT
    stored = notebook.get(meeting.id)
    assert stored.who == "an eval researcher at a London lab"
    assert stored.met_on == dt.date(2024, 2, 1)
    assert stored.day == dt.date(2024, 2, 1)
    assert stored.action_items is not None and "- [ ] read" in stored.action_items
    assert note.version == 1


def test_times_are_stored_as_utc_iso_8601(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    created, updated = notebook.conn.execute(
        "SELECT created, updated FROM entries WHERE id = ?", [entry.id]
    ).fetchone()
    assert created.endswith("Z") and "T" in created
    assert dt.datetime.fromisoformat(created.replace("Z", "+00:00")).tzinfo is not None
    assert updated == created


def test_update_needs_the_current_version(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    saved = notebook.update(entry.id, 1, body="first edit")
    assert saved.version == 2
    # A second editor still holding version 1 must not overwrite the first edit.
    with pytest.raises(StaleEntryError, match="changed elsewhere"):
        notebook.update(entry.id, 1, body="stale edit")
    assert notebook.get(entry.id).body == "first edit"


def test_update_of_a_missing_entry_lands_nowhere(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    with pytest.raises(EntryNotFoundError):
        notebook.update("00000000-0000-0000-0000-000000000000", 1, body="misdirected")
    assert notebook.get(entry.id).body == entry.body
    assert notebook.count_entries() == 1


def test_update_refuses_invalid_values_and_changes_nothing(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    with pytest.raises(InvalidEntryError):
        notebook.update(entry.id, 1, title="")
    with pytest.raises(InvalidEntryError):
        notebook.update(entry.id, 1, who="not a meeting field")
    with pytest.raises(InvalidEntryError, match="not editable"):
        notebook.update(entry.id, 1, version=7)
    assert notebook.get(entry.id) == entry


def test_unchanged_save_is_not_a_new_version(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    assert notebook.save(entry).version == 1
    assert notebook.history(entry.id) == []


def test_changing_kind_clears_the_old_kinds_fields(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    term = notebook.update(entry.id, 1, kind=Kind.TERM)
    assert term.kind is Kind.TERM
    assert term.url is None and term.source_type is None
    assert term.body == entry.body


def test_history_keeps_the_replaced_state_and_restores_it(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(notebook_module, "utc_now", lambda: clock[0])

    def edit_at(delta: dt.timedelta, body: str) -> Entry:
        clock[0] += delta
        current = notebook.get(entry.id)
        return notebook.update(entry.id, current.version, body=body)

    def bodies() -> list[str]:
        return [revision.entry.body for revision in notebook.history(entry.id)]

    entry = notebook.add(make_note(body="one", created=clock[0]))
    edit_at(dt.timedelta(hours=1), "two")
    assert bodies() == ["one"]

    # An editing burst (autosave every few seconds) folds into the revision taken at its start.
    for index in range(5):
        edit_at(dt.timedelta(seconds=2), f"burst {index}")
    assert bodies() == ["one"]

    # The next edit after a pause records where the burst ended.
    edit_at(dt.timedelta(hours=1), "three")
    assert bodies() == ["burst 4", "one"]

    # A long session without pauses still leaves a checkpoint every ten minutes.
    for index in range(18):
        edit_at(dt.timedelta(seconds=50), f"long {index}")
    assert len(bodies()) == 3
    assert bodies()[0].startswith("long")

    oldest = notebook.history(entry.id)[-1]
    restored = notebook.restore_revision(entry.id, oldest.id)
    assert restored.body == "one"
    assert notebook.get(entry.id).body == "one"
    assert bodies()[0] == "long 17"


def test_trash_restore_and_purge(notebook: Notebook) -> None:
    keep = notebook.add(make_note(title="keep"))
    gone = notebook.add(make_note(title="gone"))
    notebook.trash(gone.id)
    assert [s.title for s in notebook.search("")] == ["keep"]
    trashed = notebook.search("", scope=Scope(trashed=True))
    assert [s.title for s in trashed] == ["gone"]
    assert trashed[0].trashed is not None
    notebook.restore(gone.id)
    assert {s.title for s in notebook.search("")} == {"keep", "gone"}
    with pytest.raises(NotebookError, match="not in the trash"):
        notebook.purge(gone.id)
    notebook.trash(gone.id)
    notebook.purge(gone.id)
    assert not notebook.exists(gone.id)
    assert notebook.exists(keep.id)
    assert notebook.search("gone") == []


def test_trashing_moves_the_version_on(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    notebook.trash(entry.id)
    with pytest.raises(StaleEntryError):
        notebook.update(entry.id, 1, body="edit in a window that did not notice")


def test_add_many_is_all_or_nothing(notebook: Notebook) -> None:
    good = make_note(title="good")
    with pytest.raises(InvalidEntryError):
        notebook.add_many([good, make_note(title="")])
    assert notebook.count_entries() == 0
    assert notebook.search("good") == []


def test_duplicate_id_is_refused(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    with pytest.raises(InvalidEntryError, match="exists already"):
        notebook.add(make_note(id=entry.id, title="another"))


def test_id_prefixes_resolve_when_unique(notebook: Notebook) -> None:
    entry = notebook.add(make_note())
    assert notebook.resolve_id(entry.id[:6]) == entry.id
    assert notebook.resolve_id(entry.id.upper()) == entry.id
    with pytest.raises(EntryNotFoundError, match="too short"):
        notebook.resolve_id("ab")
    with pytest.raises(EntryNotFoundError):
        notebook.resolve_id("ffffffff-nope")


def _file_state(path: Path) -> dict[str, bytes]:
    return {
        sibling.name: sibling.read_bytes()
        for sibling in path.parent.iterdir()
        if sibling.name.startswith(path.name)
    }


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is a text file, not a notebook.\n" * 20)
    before = _file_state(path)
    with pytest.raises(NotANotebookError, match="not a notebook"):
        Notebook.open(path)
    assert _file_state(path) == before


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = _file_state(path)
    with pytest.raises(NotANotebookError, match="not a notebook"):
        Notebook.open(path)
    assert _file_state(path) == before


def test_a_newer_schema_is_refused_untouched(db_path: Path) -> None:
    Notebook.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('notebook', '0099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = _file_state(db_path)
    with pytest.raises(NewerSchemaError, match="newer version"):
        Notebook.open(db_path)
    assert _file_state(db_path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotANotebookError, match="folder"):
        Notebook.open(tmp_path)


def test_database_settings_for_several_writers(notebook: Notebook) -> None:
    conn = notebook.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    # The FTS delete triggers must also fire for rows an INSERT OR REPLACE removes.
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1


def test_a_failure_in_a_nested_transaction_undoes_only_its_part(notebook: Notebook) -> None:
    with notebook.transaction():
        outer = notebook.add(make_note(title="outer"))
        with pytest.raises(InvalidEntryError), notebook.transaction():
            notebook.add(make_note(title="inner"))
            notebook.add(make_note(title=""))
        assert notebook.search("inner") == []
    assert [entry.id for entry in notebook.iter_entries()] == [outer.id]


def test_a_new_notebook_is_created_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "notebook.db"
    with Notebook.open(path) as notebook:
        assert notebook.schema_version >= 3
    assert path.exists()


def test_data_version_moves_when_another_connection_writes(db_path: Path) -> None:
    with Notebook.open(db_path) as watcher, Notebook.open(db_path) as writer:
        before = watcher.data_version()
        writer.add(make_note())
        assert watcher.data_version() != before
