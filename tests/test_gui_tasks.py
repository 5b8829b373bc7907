"""The task runner on its own: lanes, delivery on the GUI thread, newest request wins."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

import pytest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.tasks import TaskRunner


@pytest.fixture
def runner():  # type: ignore[no-untyped-def]
    made = TaskRunner()
    yield made
    made.shutdown()


def test_work_runs_on_the_lane_and_results_come_back_on_the_gui_thread(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    runner.add_lane("work", lambda: threading.current_thread().name)
    seen: list[tuple[str, str]] = []
    runner.submit(
        "work",
        lambda context: (context, threading.current_thread().name),
        done=lambda result: seen.append((*result, threading.current_thread().name)),
    )
    assert runner.wait(5)
    ((context, worker, delivered),) = seen
    assert context == worker == "task-work"  # the context was made on the lane's thread
    assert delivered == threading.main_thread().name


def test_the_newest_request_wins(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    """A result whose key was asked for again meanwhile is not delivered, even once its work
    has run (it was already under way when the newer request came)."""
    runner.add_lane("work", lambda: None)
    started, release = threading.Event(), threading.Event()

    def slow(_context: object) -> str:
        started.set()
        release.wait(5)
        return "old"

    delivered: list[str] = []
    settled: list[str] = []
    runner.submit("work", slow, done=delivered.append, settled=lambda: settled.append("old"),
                  key="query")  # fmt: skip
    assert started.wait(5)  # under way: it can no longer be dropped from the queue
    runner.submit("work", lambda _c: "waiting", done=delivered.append, key="query")
    runner.submit("work", lambda _c: "new", done=delivered.append, key="query")
    runner.submit("work", lambda _c: "other key", done=delivered.append, key="other")
    release.set()
    assert runner.wait(5)
    assert delivered == ["new", "other key"]
    assert settled == ["old"]  # the stale one is still reported as over


def test_failures_come_back_to_failed(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    runner.add_lane("work", lambda: None)
    errors: list[Exception] = []

    def broken(_context: object) -> None:
        raise ValueError("no good")

    runner.submit("work", broken, done=lambda _r: errors.append(AssertionError()),
                  failed=errors.append)  # fmt: skip
    assert runner.wait(5)
    assert [str(error) for error in errors] == ["no good"]


def test_a_lane_keeps_the_order_of_its_tasks(qtbot, runner, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner.add_lane("write", lambda: Notebook.open(db_path), Notebook.close)
    entry = Entry(kind=Kind.NOTE, title="one")
    order: list[str] = []
    runner.submit("write", lambda notebook: notebook.add(entry.replace()),
                  done=lambda _e: order.append("add"))  # fmt: skip
    runner.submit("write", lambda notebook: notebook.update(entry.id, 1, body="two"),
                  done=lambda e: order.append(f"update {e.version}"))  # fmt: skip
    assert runner.wait(5)
    assert order == ["add", "update 2"]


def test_an_inline_lane_delivers_later_too(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(":memory:") as notebook:
        runner.add_inline_lane("read", notebook)
        counts: list[int] = []
        runner.submit("read", lambda nb: nb.count_entries(), done=counts.append)
        assert counts == []  # delivered from the event loop, as from a worker
        assert runner.wait(5)
        assert counts == [0]


def test_the_entry_list_model_sorts_like_any_qt_model(qtbot, notebook: Notebook) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.entry_list_model import EntryListModel

    model = EntryListModel(notebook, {})
    model.sort(0)  # QAbstractItemModel.sort: a view may call it; it must not raise


def test_waiting_for_one_lane_does_not_wait_for_another(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    """The window's close waits for its saves, not for an import under way."""
    runner.add_lane("write", lambda: None)
    runner.add_lane("transfer", lambda: None)
    release = threading.Event()
    runner.submit("transfer", lambda _c: release.wait(10))
    saved: list[str] = []
    runner.submit("write", lambda _c: "saved", done=saved.append)
    assert runner.wait(5, lane="write") and saved == ["saved"]
    assert runner.busy("transfer") and not runner.wait(0.05)
    release.set()
    assert runner.wait(5)
