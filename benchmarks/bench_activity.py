"""Benchmark of the reading activity window at 100,000 entries: reading, laying out, painting.

    .venv/bin/python benchmarks/bench_activity.py                  # 100,000 entries, 51 runs
    .venv/bin/python benchmarks/bench_activity.py --size 10000 --runs 101

The notebook is bench_papers.py's (built once from ``corpus.generate_entries``, kept in
``benchmarks/.data``). Timed, each ``--runs`` times, offscreen:

* ``reading_stats``: the chart's numbers, a year of weeks by type and days (read lane);
* the window's whole read (``read_activity``: the statistics, every read of the year as a
  summary for the timeline, the years there are; read lane);
* the chart's layout (``_lay_out``: where each bar, stack and cell goes; GUI thread, on a new
  year or a resize);
* the chart's repaint (``repaint()``: a synchronous paint event of the 880 x 320 widget; GUI
  thread, on every hover highlight or click);
* the timeline's fill for the year's reads (at most ``MAX_ROWS`` rows; GUI thread).

Each row gives the median and the 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_papers import notebook_of, percentile  # noqa: E402
from corpus import SAMPLES_ARE_REAL  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from notebook_app.core.papers.stats import reading_stats  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.gui.reading_timeline import MAX_ROWS, ReadingActivity, read_activity  # noqa: E402


def timed(runs: int, work: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float], target: str = "") -> None:
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{label:<44} {median:>9.2f} {p95:>8.2f}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=51)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    path = notebook_of(args.size)
    with Notebook.open(path) as notebook:
        last = dt.date.fromisoformat(
            notebook.conn.execute("SELECT max(day) FROM entries WHERE kind = 'note'").fetchone()[0]
        )
        stats = reading_stats(notebook, until=last)
        found = read_activity(notebook, last.year, last)
        print(
            f"## {args.size:,} entries ({'real' if SAMPLES_ARE_REAL else 'fixture'} samples), "
            f"{stats.total:,} reads in the year"
        )
        print(f"{'what':<44} {'median ms':>9} {'p95 ms':>8}")
        report(
            "reading_stats (the chart's numbers)",
            timed(args.runs, lambda: reading_stats(notebook, until=last)),
            "≤ 50 ms",
        )
        report(
            "read_activity (stats + the year's reads)",
            timed(max(5, args.runs // 5), lambda: read_activity(notebook, last.year, last)),
        )
    window = ReadingActivity(lambda *_a, **_k: None)
    window.resize(900, 720)
    window.show()
    app.processEvents()
    window.show_activity(found)
    chart = window.chart
    chart.resize(880, 320)
    app.processEvents()
    report("chart layout (_lay_out)", timed(args.runs, chart._lay_out))
    report("chart repaint (880 x 320)", timed(args.runs, chart.repaint), "≤ 16 ms")
    report(
        f"timeline fill ({len(window.shown_reads()[:MAX_ROWS]):,} rows)",
        timed(max(5, args.runs // 5), window.fill),
    )
    window.close()


if __name__ == "__main__":
    main()
