"""Benchmark of the reading statistics and related entries at 100,000 entries.

    .venv/bin/python benchmarks/bench_papers.py                  # 100,000 entries, 21 runs
    .venv/bin/python benchmarks/bench_papers.py --size 10000 --runs 50

The notebook is built once from ``corpus.generate_entries`` and kept in ``benchmarks/.data``
(git-ignored; delete it after changing the corpus or the schema). Timed:

* ``reading_stats``: a year of weeks ending on the corpus's last day read (~20,000 reads in it);
* ``related_entries``: for ``--runs`` entries spread over the notebook, each timed once
  (the first query of a notebook reads its index from disk: one warm-up call first).

Each row gives the median and the 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import SAMPLES_ARE_REAL, generate_entries  # noqa: E402
from figures import percentile  # noqa: E402

from notebook_app.core.papers.related import related_entries  # noqa: E402
from notebook_app.core.papers.stats import reading_stats  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"


def notebook_of(size: int) -> Path:
    """The cached notebook of ``size`` corpus entries (built on first use)."""
    DATA.mkdir(exist_ok=True)
    kind = "real" if SAMPLES_ARE_REAL else "fixtures"
    path = DATA / f"papers-{size}-{kind}.db"
    if not path.exists():
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        start = time.perf_counter()
        with Notebook.open(partial) as notebook:
            notebook.add_many(generate_entries(size))
            notebook.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(path)
        print(f"built {path.name} in {time.perf_counter() - start:.1f} s")
    return path


def report(label: str, samples: list[float], extra: str = "") -> None:
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{label:<32} {median:>9.2f} {p95:>8.2f}  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    path = notebook_of(args.size)
    with Notebook.open(path) as notebook:
        last = dt.date.fromisoformat(
            notebook.conn.execute("SELECT max(day) FROM entries WHERE kind = 'note'").fetchone()[0]
        )
        print(f"## {args.size:,} entries ({'real' if SAMPLES_ARE_REAL else 'fixture'} samples)")
        print(f"{'what':<32} {'median ms':>9} {'p95 ms':>8}")
        stats = reading_stats(notebook, until=last)
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter()
            reading_stats(notebook, until=last)
            samples.append((time.perf_counter() - start) * 1000)
        report("reading_stats (53 weeks)", samples, f"{stats.total:,} reads")
        total = notebook.conn.execute("SELECT max(seq) FROM entries").fetchone()[0]
        step = max(1, total // args.runs)
        ids = [
            row[0]
            for row in notebook.conn.execute(
                "SELECT id FROM entries WHERE seq % ? = 1 ORDER BY seq LIMIT ?", [step, args.runs]
            )
        ]
        related_entries(notebook, ids[0])  # warm-up: the first query reads the index from disk
        samples, found = [], 0
        for entry_id in ids:
            start = time.perf_counter()
            found += len(related_entries(notebook, entry_id))
            samples.append((time.perf_counter() - start) * 1000)
        report("related_entries (limit 10)", samples, f"{found / len(ids):.1f} found per entry")


if __name__ == "__main__":
    main()
