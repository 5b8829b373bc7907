"""Slow work off the GUI thread: one small task runner for everything the window does.

In the spirit of Anki's ``CollectionOp``/``QueryOp``: ``runner.submit(lane, work, done=...)``
runs ``work(context)`` on the lane's worker thread and calls ``done(result)`` (or
``failed(error)``) back on the GUI thread. A lane is one thread with its own context, made on
that thread when its first task runs: a ``Notebook`` connection (SQLite connections stay on
their thread) or a markdown renderer (not thread-safe). Tasks on one lane run in the order they
were submitted, so a write lane keeps saves, trashes and adds in order.

``key`` makes a request "newest wins": submitting a task with a key drops any task with that
key still waiting in the lane, and a result whose key has been asked for again since is not
delivered (it is stale: the search box has moved on, the note has been typed into again).

The GUI thread never waits on a worker, except in ``wait`` (the window's close, and tests).
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from notebook_app.core.api import Notebook


@dataclasses.dataclass(eq=False)
class Task:
    lane: str
    work: Callable[[Any], Any]
    done: Callable[[Any], None] | None
    failed: Callable[[Exception], None] | None
    settled: Callable[[], None] | None
    key: str | None
    number: int


class _Lane:
    """One worker thread, its queue and its context."""

    def __init__(
        self,
        name: str,
        make_context: Callable[[], Any],
        close_context: Callable[[Any], None] | None,
        finish: Callable[[Task, bool, Any], None],
    ) -> None:
        self.name = name
        self._make_context = make_context
        self._close_context = close_context
        self._finish = finish
        self._queue: collections.deque[Task] = collections.deque()
        self._condition = threading.Condition()
        self._running: Task | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None

    def put(self, task: Task) -> list[Task]:
        """Queue ``task``; returns the waiting tasks with its key that it replaces."""
        with self._condition:
            dropped = [t for t in self._queue if task.key is not None and t.key == task.key]
            for old in dropped:
                self._queue.remove(old)
            self._queue.append(task)
            self._condition.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self.name, daemon=True)
                self._thread.start()
        return dropped

    def idle(self) -> bool:
        with self._condition:
            return not self._queue and self._running is None

    def _work(self) -> None:
        context: Any = None
        opened = False
        try:
            while True:
                with self._condition:
                    while not self._queue and not self._stopping:
                        self._condition.wait()
                    if self._stopping:
                        return
                    task = self._running = self._queue.popleft()
                try:
                    if not opened:
                        context = self._make_context()
                        opened = True
                    result = task.work(context)
                except Exception as error:  # delivered to the task's ``failed``
                    self._finish(task, False, error)
                else:
                    self._finish(task, True, result)
                finally:
                    with self._condition:
                        self._running = None
        finally:
            if opened and self._close_context is not None:
                self._close_context(context)

    def stop(self, timeout: float) -> None:
        with self._condition:
            self._stopping = True
            self._queue.clear()
            self._condition.notify()
        if self._thread is not None:
            self._thread.join(timeout)


class TaskRunner(QObject):
    """Lanes of worker threads; results come back on the thread that owns the runner."""

    # Emitted on the worker's thread; the connection to a QObject living on the GUI thread is
    # queued, so the slot runs there.
    _finished = Signal(object, bool, object)  # task, ok, result or error
    error = Signal(str)  # a task failed and had no ``failed`` of its own
    failure = Signal(object)  # every failure, before the task's own ``failed`` sees it

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, _Lane] = {}
        self._inline: dict[str, Any] = {}
        self._numbers = itertools.count(1)
        self._newest: dict[str, int] = {}
        self._unsettled: collections.Counter[str] = collections.Counter()  # by lane
        # Turns a worker's exception into the one the callbacks get (the window puts SQLite's
        # errors in the user's words there); runs on the worker, so it may touch files.
        self.translate: Callable[[Exception], Exception] | None = None
        # Queued even from this thread (an inline lane): results always arrive from the loop.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def add_lane(
        self,
        name: str,
        make_context: Callable[[], Any],
        close_context: Callable[[Any], None] | None = None,
    ) -> None:
        """A lane whose tasks get ``make_context()`` (made on the lane's thread, once)."""
        self._lanes[name] = _Lane(f"task-{name}", make_context, close_context, self._emit)

    def add_inline_lane(self, name: str, context: Any) -> None:
        """A lane that runs its tasks on this thread with ``context``, delivered the same way
        (for a notebook in memory, which no other thread can open)."""
        self._inline[name] = context

    def submit(
        self,
        lane: str,
        work: Callable[[Any], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        settled: Callable[[], None] | None = None,
        key: str | None = None,
    ) -> Task:
        """Run ``work(context)`` on ``lane``. ``done``/``failed`` run on this thread, unless a
        newer task with the same ``key`` was submitted meanwhile; ``settled`` runs in every
        case once the task is over (delivered, stale or dropped unrun)."""
        task = Task(lane, work, done, failed, settled, key, next(self._numbers))
        if key is not None:
            self._newest[key] = task.number
        self._unsettled[lane] += 1
        if lane in self._inline:
            try:
                result = work(self._inline[lane])
            except Exception as error:
                self._emit(task, False, error)
            else:
                self._emit(task, True, result)
            return task
        for dropped in self._lanes[lane].put(task):
            self._settle(dropped)
        return task

    def is_newest(self, task: Task) -> bool:
        return task.key is None or self._newest.get(task.key) == task.number

    def _emit(self, task: Task, ok: bool, value: object) -> None:
        if not ok and self.translate is not None and isinstance(value, Exception):
            value = self.translate(value)
        self._finished.emit(task, ok, value)

    def _deliver(self, task: Task, ok: bool, value: Any) -> None:
        try:
            if not ok:
                self.failure.emit(value)  # even when stale: a damaged notebook is news
            if not self.is_newest(task):
                return  # stale: a newer request with this key is on its way
            if ok:
                if task.done is not None:
                    task.done(value)
            elif task.failed is not None:
                task.failed(value)
            else:
                print(f"notebook-app: {task.lane}: {value}", file=sys.stderr)
                self.error.emit(str(value))
        finally:
            self._settle(task)

    def _settle(self, task: Task) -> None:
        self._unsettled[task.lane] -= 1
        if task.settled is not None:
            task.settled()

    def busy(self, lane: str | None = None) -> bool:
        """Whether tasks (of ``lane``, or of any lane) are not over yet."""
        return self._unsettled[lane] > 0 if lane else any(self._unsettled.values())

    def wait(self, timeout: float = 30.0, lane: str | None = None) -> bool:
        """Block until every task submitted (to ``lane``, or to any lane) is over and
        delivered, including tasks their callbacks submit. For the window's close and tests;
        returns False on timeout."""
        deadline = time.monotonic() + timeout
        while self.busy(lane):
            QCoreApplication.sendPostedEvents(self)
            if not self.busy(lane):
                break
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the lanes (tasks still waiting are dropped; call ``wait`` first to keep them)."""
        for lane in self._lanes.values():
            lane.stop(timeout)


def add_notebook_lanes(runner: TaskRunner, notebook: Notebook, *, write: bool = True) -> None:
    """The lanes that read and write the notebook, each with its own connection (opened for
    reading only when the notebook is read-only or damaged); for a notebook in memory (no file
    another connection could open), this thread's."""
    path = notebook.path
    for lane in ("read", "count", "write", "transfer"):
        if path is None:
            runner.add_inline_lane(lane, notebook)
        else:
            runner.add_lane(lane, lambda: Notebook.open(path, write=write), Notebook.close)
