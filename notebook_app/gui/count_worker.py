"""Counting the results of a search off the GUI thread.

The first page of results is quick at any size; the exact count of a common word over 100,000
entries takes tens of milliseconds, which the list's "N entries" label must not cost the
typing. The worker keeps its own connection (SQLite connections stay on their thread) and only
the newest request is answered.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from notebook_app.core.errors import NotebookError
from notebook_app.core.notebook import Notebook
from notebook_app.core.search import Scope

_STOP = object()


class ResultCounter(QObject):
    counted = Signal(object, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._requests: queue.Queue[object] = queue.Queue()
        self._latest = 0
        self._thread: threading.Thread | None = None

    def request(self, db_path: Path | None, query: str, scope: Scope, token: object) -> None:
        if db_path is None:
            return
        self._latest += 1
        self._requests.put((self._latest, db_path, query, scope, token))
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="result-counter", daemon=True)
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
                number, db_path, query, scope, token = item  # type: ignore[misc]
                try:
                    notebook = notebooks.get(db_path) or notebooks.setdefault(
                        db_path, Notebook.open(db_path)
                    )
                    count = notebook.count(query, scope=scope)
                except NotebookError:
                    continue  # the list shows the query's error; no count to give
                if number == self._latest:
                    self.counted.emit(token, count)
        finally:
            for notebook in notebooks.values():
                notebook.close()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._requests.put(_STOP)
            self._thread.join(timeout=5)
            self._thread = None
