"""Benchmark of the learning windows at 10,000 terms: the review window and the glossary view.

    .venv/bin/python benchmarks/bench_learning_window.py            # 10,000 terms, 100 runs
    .venv/bin/python benchmarks/bench_learning_window.py --terms 2000 --runs 30

Offscreen, with the window's own task runner (a read and a write lane, each a thread with its
own connection, as in the app). The notebook is bench_learning.py's: ``--terms`` corpus terms,
a third of them reviewed a month earlier so that cards are due, learning and new at once.
Timed, as the user sees them (from the key to the window showing the result):

* review: a rating (the key "3") to the next card shown: the rating's transaction and the
  next card on the write lane, then drawn (its definition, rendered on the render lane, and
  the counts above it, from the count lane, follow: not timed, but waited for before the
  next rating);
* glossary: the whole glossary read and shown (View > Glossary), and Ctrl+Shift+Up: the row
  moved in the view (GUI thread), and the move stored and the order read back (the lanes).

Each row gives the median and the 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_learning import T0, glossary  # noqa: E402
from figures import percentile  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from notebook_app.core.learning.scheduling import review_term  # noqa: E402
from notebook_app.core.model.entry import Kind  # noqa: E402
from notebook_app.core.model.listing import Scope, Sort  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.gui.glossary_view import GlossaryPane, GlossaryView  # noqa: E402
from notebook_app.gui.preview_math import make_preview_renderer  # noqa: E402
from notebook_app.gui.review_window import ReviewWindow  # noqa: E402
from notebook_app.gui.tasks import TaskRunner  # noqa: E402


def report(label: str, samples: list[float], target: str = "") -> None:
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{label:<48} {median:>9.2f} {p95:>9.2f}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])  # kept alive for the run
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "learning.db"
        with Notebook.open(path) as notebook:
            notebook.add_many(glossary(args.terms))
            ids = [
                s.id
                for s in notebook.search(
                    "",
                    scope=Scope(kinds=frozenset({Kind.TERM})),
                    sort=Sort.GLOSSARY,
                    limit=args.terms,
                )
            ]
            with notebook.transaction():
                for index, entry_id in enumerate(ids[: args.terms // 3]):
                    review_term(notebook, entry_id, 1 + index % 4, T0 - dt.timedelta(days=30))
        runner = TaskRunner()
        for lane in ("read", "count", "write"):
            runner.add_lane(lane, lambda: Notebook.open(path), Notebook.close)
        runner.add_lane("render", make_preview_renderer)

        def write(_entry_id: str, work, **callbacks) -> None:  # type: ignore[no-untyped-def]
            runner.submit("write", work, **callbacks)

        now = T0 + dt.timedelta(days=1)
        print(f"## {args.terms:,} terms")
        print(f"{'measure (ms)':<48} {'median':>9} {'p95':>9}  target")
        review = ReviewWindow(runner.submit, write, lambda: now)
        review.start()
        runner.wait(30)
        samples = []
        for _ in range(args.runs):
            review.reveal()
            started = time.perf_counter()
            review.rate(3)  # what the key 3 does
            while review.busy:  # until the next card is delivered (the counts come after it)
                QCoreApplication.sendPostedEvents(runner)
                time.sleep(0.0002)
            review.repaint()
            samples.append((time.perf_counter() - started) * 1000)
            settle_until = time.perf_counter() + 0.06  # the back and the counts follow
            while time.perf_counter() < settle_until or runner.busy():
                _app.processEvents()
                time.sleep(0.001)

        report("review: rating to the next card shown", samples, "≤ 16")
        review.close()

        view = GlossaryView()
        view.resize(320, 700)
        view.show()
        pane = GlossaryPane(view, runner.submit, write)
        loads = []
        for _ in range(max(5, args.runs // 10)):
            started = time.perf_counter()
            pane.reload()
            runner.wait(30)
            view.repaint()
            loads.append((time.perf_counter() - started) * 1000)
        report(f"glossary: read and show {view.glossary.rowCount():,} terms", loads)
        moved, stored = [], []
        view.setCurrentIndex(view.glossary.index(args.terms // 2, 1))
        for _ in range(args.runs):
            started = time.perf_counter()
            view.move_selected(-1)
            view.repaint()
            moved.append((time.perf_counter() - started) * 1000)
            runner.wait(30)
            stored.append((time.perf_counter() - started) * 1000)
        report("glossary: Ctrl+Shift+Up, the row moved", moved, "a frame (16)")
        report("glossary: ... stored and the order read back", stored)
        runner.shutdown()


if __name__ == "__main__":
    main()
