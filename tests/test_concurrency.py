"""Several processes writing one notebook at once: nothing lost, no "database is locked"."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook

WRITERS = 4
ENTRIES_PER_WRITER = 40


def _writer(path: str, writer: int, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    start.wait()
    with Notebook.open(path) as notebook:
        for index in range(ENTRIES_PER_WRITER):
            entry = notebook.add(
                Entry(kind=Kind.NOTE, title=f"writer {writer} entry {index}", tags=["shared"])
            )
            # Read-modify-write, the pattern that deadlocks with deferred transactions.
            notebook.update(entry.id, entry.version, body=f"edited by {writer}")


def test_concurrent_writers_all_land(db_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [
        context.Process(target=_writer, args=(str(db_path), writer, start))
        for writer in range(WRITERS)
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * WRITERS
    with Notebook.open(db_path) as notebook:
        assert notebook.count_entries() == WRITERS * ENTRIES_PER_WRITER
        assert notebook.count("edited") == WRITERS * ENTRIES_PER_WRITER
        assert [(t.name, t.count) for t in notebook.tag_counts()] == [
            ("shared", WRITERS * ENTRIES_PER_WRITER)
        ]
        assert notebook.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_processes_opening_a_new_notebook_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [
        context.Process(target=_writer, args=(str(path), writer, start)) for writer in range(3)
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    with Notebook.open(path) as notebook:
        assert notebook.count_entries() == 3 * ENTRIES_PER_WRITER
