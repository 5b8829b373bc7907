"""Benchmark of the notebook core: bulk insert, search latency and database size.

    .venv/bin/python benchmarks/bench_core.py            # 10,000 and 100,000 entries
    .venv/bin/python benchmarks/bench_core.py --sizes 10000 --runs 30

For each size it builds a fresh notebook from ``corpus.generate_entries`` (timing the insert),
then times each kind of query ``--runs`` times (first page of 50 results, with snippets, as
the window asks for it) and reports the median and 95th percentile. The baseline row is
``SELECT count(*) FROM entries``, timed in the same run, so that figures from a noisy machine
can be compared as ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_entries  # noqa: E402
from figures import percentile  # noqa: E402

from notebook_app.core.storage.notebook import Notebook  # noqa: E402

QUERIES = {
    "one word (common)": "model",
    "one word (rare)": "monosemantic",
    "two words": "sparse features",
    "phrase": '"language model"',
    "prefix": "interp*",
    "tag filter": "tag:ml",
    "word + tag + kind": "attention tag:safety kind:note",
    "korean": "경력",
}


def time_call(function, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def bench_size(size: int, runs: int, folder: Path) -> None:
    path = folder / f"bench-{size}.db"
    entries = list(generate_entries(size))
    with Notebook.open(path) as notebook:
        start = time.perf_counter()
        notebook.add_many(entries)
        insert_seconds = time.perf_counter() - start
        notebook.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    megabytes = path.stat().st_size / 1e6
    print(f"\n## {size:,} entries")
    print(f"bulk insert: {insert_seconds:.2f} s ({size / insert_seconds:,.0f} entries/s)")
    print(f"database size: {megabytes:.1f} MB")
    print(f"{'query':<22} {'matches':>8} {'median ms':>10} {'p95 ms':>8}")
    with Notebook.open(path) as notebook:
        base_median, base_p95 = time_call(
            lambda: notebook.conn.execute("SELECT count(*) FROM entries").fetchone(), runs
        )
        print(f"{'baseline count(*)':<22} {'':>8} {base_median:>10.2f} {base_p95:>8.2f}")
        for label, query in QUERIES.items():
            matches = notebook.count(query)
            median, p95 = time_call(lambda q=query: notebook.search(q, limit=50), runs)  # type: ignore[misc]
            print(f"{label:<22} {matches:>8} {median:>10.2f} {p95:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            bench_size(size, args.runs, Path(folder))


if __name__ == "__main__":
    main()
