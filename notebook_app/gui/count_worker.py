"""Counting off the GUI thread: the result count of a search, and the tag tree's counts.

The first page of results is quick at any size; the exact count of a common word over 100,000
entries, or the tag counts with nested totals, take tens to a hundred milliseconds, which the
typing must not pay for. A worker keeps its own connection (SQLite connections stay on their
thread) and only the newest request is answered: older ones are stale by the time it is free.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from notebook_app.core.api import Notebook, NotebookError, Scope

_STOP = object()


class NotebookWorker(QObject):
    """Answers ``compute(notebook, *args)`` on a worker thread; only the newest request."""

    answered = Signal(object, object)  # token, result

    def __init__(
        self, compute: Callable[..., Any], name: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._compute = compute
        self._name = name
        self._requests: queue.Queue[object] = queue.Queue()
        self._latest = 0
        self._thread: threading.Thread | None = None

    def request(self, db_path: Path | None, token: object, *args: Any) -> None:
        if db_path is None:
            return
        self._latest += 1
        self._requests.put((self._latest, db_path, token, args))
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()

    def _work(self) -> None:
        notebooks: dict[Path, Notebook] = {}
        try:
            while True:
                item = self._requests.get()
                # Skip to the newest request: older ones are already stale.
                while not self._requests.empty():
                    newer = self._requests.get()
                    if newer is _STOP:
                        return
                    item = newer
                if item is _STOP:
                    return
                number, db_path, token, args = item  # type: ignore[misc]
                try:
                    notebook = notebooks.get(db_path) or notebooks.setdefault(
                        db_path, Notebook.open(db_path)
                    )
                    result = self._compute(notebook, *args)
                except NotebookError:
                    continue  # e.g. a malformed query: the list shows the error
                if number == self._latest:
                    self.answered.emit(token, result)
        finally:
            for notebook in notebooks.values():
                notebook.close()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._requests.put(_STOP)
            self._thread.join(timeout=5)
            self._thread = None


def _count(notebook: Notebook, query: str, scope: Scope) -> int:
    return notebook.count(query, scope=scope)


def _tag_counts(notebook: Notebook) -> list[Any]:
    return notebook.tag_counts()


def result_counter(parent: QObject | None = None) -> NotebookWorker:
    """``request(db_path, token, query, scope)`` → ``answered(token, count)``."""
    return NotebookWorker(_count, "result-counter", parent)


def tag_counter(parent: QObject | None = None) -> NotebookWorker:
    """``request(db_path, token)`` → ``answered(token, [TagCount, ...])``."""
    return NotebookWorker(_tag_counts, "tag-counter", parent)
