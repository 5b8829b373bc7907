"""``notebook-app review``: the review window alone, without the main window.

The same window as Edit > Review Due Terms (review_window.py), on lanes of its own: its reads
("read", "count"), its ratings ("write": each rating is one transaction, so a rating given
before the process is killed is kept) and the rendering of the back ("render", formulas
included). Esc closes it and the process exits once the last rating is stored. Built without
the main window's modules, as ``capture --window`` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from notebook_app.core.api import Notebook
from notebook_app.gui.application import make_application
from notebook_app.gui.preview_math import make_preview_renderer
from notebook_app.gui.quit_signals import QuitOnSignals
from notebook_app.gui.review_window import ReviewWindow
from notebook_app.gui.settings import THEME, Settings
from notebook_app.gui.tasks import TaskRunner
from notebook_app.gui.theme import apply_theme

CLOSE_WAIT_SECONDS = 15.0  # a rating waiting for another writer's lock still lands


class ReviewAlone(ReviewWindow):
    """The review window on the notebook at ``db_path``, with lanes of its own (``runner``);
    ``start()`` shows it and its first card, ``stop()`` ends its lanes."""

    def __init__(self, db_path: Path, clock: Callable[[], dt.datetime] | None = None) -> None:
        runner = TaskRunner()
        for lane in ("read", "count", "write"):
            runner.add_lane(lane, lambda: Notebook.open(db_path), Notebook.close)
        runner.add_lane("render", make_preview_renderer)

        def write(_entry_id: str, work: Callable[[Notebook], Any], **callbacks: Any) -> None:
            # Alone, no editor's save of the term comes first: the lane's order is enough.
            runner.submit("write", work, **callbacks)

        super().__init__(runner.submit, write, clock or (lambda: dt.datetime.now(dt.UTC)))
        self.runner = runner
        runner.setParent(self)
        self.setWindowTitle("Review — notebook-app")

    def stop(self) -> None:
        """Wait for the ratings on their way, then stop the lanes (their connections close)."""
        self.runner.wait(CLOSE_WAIT_SECONDS, lane="write")
        self.runner.shutdown()


def run_review_window(db_path: Path) -> int:
    """Show the review window and run until it closes (Esc, Ctrl+W, or a quit signal)."""
    app = make_application()
    apply_theme(app, Settings(QSettings()).get(THEME))
    review = ReviewAlone(db_path)
    review.finished.connect(app.quit)
    signals = QuitOnSignals(review.close)
    try:
        review.start()
        # Said once the window is up (and the quit signals close it): the terminal's user, and
        # a script waiting for the window, know it is there.
        print("the review window is open: Esc closes it", flush=True)
        app.exec()
    finally:
        signals.uninstall()
        review.stop()
    return 0
