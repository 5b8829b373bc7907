"""Benchmark of the notebook's safety work: backups, ``check`` and ``recover`` on a big notebook.

    .venv/bin/python benchmarks/bench_safety.py                 # 100,000 entries
    .venv/bin/python benchmarks/bench_safety.py --size 10000 --runs 5

The notebook is built from ``corpus.generate_entries`` once and cached in ``benchmarks/.data/``
(``safety-SIZE.db``). Backups go to a scratch folder there, removed afterwards. Reported:

* backup: the copy with the online backup API (in steps, one snapshot), the check of the copy
  (``PRAGMA quick_check``), and the whole ``make_backup`` (copy, check, rotation);
* while a backup runs on a worker thread, as the window runs it: the longest stall of the main
  thread (a loop that wakes every millisecond; target 16 ms, one frame) and the slowest commit
  of a writer on its own connection (an autosave every 50 ms: backups must not block writers);
* ``backup_if_due`` when today's backup exists (what every writing command pays);
* ``check`` (a copy, then integrity_check and both full-text integrity checks);
* ``recover`` of the sound notebook into a new one (every row read by key ranges).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from notebook_app.core.model.entry import Entry, Kind  # noqa: E402
from notebook_app.core.storage import backups  # noqa: E402
from notebook_app.core.storage.check import check_notebook  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.core.storage.recover import recover_notebook  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
FRAME_MS = 16.0


def cached_notebook(size: int) -> Path:
    """A notebook of ``size`` corpus entries, built once and kept in benchmarks/.data/."""
    from corpus import cached_notebook as cached

    return cached(size, "safety")


def seconds(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median_seconds(function: Callable[[], object], runs: int) -> float:
    return statistics.median(seconds(function) for _ in range(runs))


def backup_under_load(
    notebook: Path, scratch: Path, *, baseline: float = 0.0
) -> tuple[float, float, float]:
    """A backup on a worker thread while the main thread ticks and a writer commits.

    Returns (backup seconds, the main thread's longest stall in ms, the slowest commit in ms).
    With ``baseline`` seconds, no backup: the worker only waits that long (the same load
    without the backup, to tell the backup's share from the machine's).
    """
    done = threading.Event()
    commits: list[float] = []

    def backup() -> None:
        if baseline:
            time.sleep(baseline)
        else:
            backups.make_backup(notebook, "daily", folder=scratch / "load")
        done.set()

    def writer() -> None:
        with Notebook.open(notebook) as connection:
            while not done.is_set():
                start = time.perf_counter()
                connection.add(Entry(kind=Kind.NOTE, title="autosave during the backup"))
                commits.append((time.perf_counter() - start) * 1000)
                time.sleep(0.05)

    worker = threading.Thread(target=backup)
    writing = threading.Thread(target=writer)
    start = time.perf_counter()
    worker.start()
    writing.start()
    longest = 0.0
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        longest = max(longest, (now - last) * 1000)
        last = now
    elapsed = time.perf_counter() - start
    worker.join()
    writing.join()
    return elapsed, longest, max(commits, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-recover", action="store_true", help="skip the recover timing")
    args = parser.parse_args()
    cached = cached_notebook(args.size)
    DATA.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="safety-", dir=DATA))
    try:
        # A working copy: the writer under load adds entries, the cache stays as built.
        notebook = scratch / "notebook.db"
        shutil.copy(cached, notebook)
        megabytes = notebook.stat().st_size / 1e6
        print(f"## {args.size:,} entries, {megabytes:.0f} MB (median of {args.runs} runs)")

        def copy_only() -> None:
            target = scratch / "copy.db"
            target.unlink(missing_ok=True)
            source = sqlite3.connect(notebook)
            try:
                backups.copy_database(source, target)
            finally:
                source.close()

        copy = median_seconds(copy_only, args.runs)
        quick = median_seconds(lambda: backups._quick_check(scratch / "copy.db"), args.runs)
        whole = median_seconds(
            lambda: backups.make_backup(notebook, "daily", folder=scratch / "b"), args.runs
        )
        due = median_seconds(lambda: backups.backup_if_due(notebook, folder=scratch / "b"), 21)
        print(f"backup copy (online backup API):   {copy:7.2f} s")
        print(f"quick_check of the copy:           {quick:7.2f} s")
        print(f"make_backup (copy, check, rotate): {whole:7.2f} s")
        print(f"backup_if_due, today's made:       {due * 1000:7.2f} ms")
        elapsed, stall, commit = backup_under_load(notebook, scratch)
        _, base_stall, base_commit = backup_under_load(notebook, scratch, baseline=elapsed)
        verdict = "ok" if stall <= FRAME_MS else f"over {FRAME_MS:.0f} ms"
        print(f"backup on a worker, under load:    {elapsed:7.2f} s   (baseline: no backup)")
        print(
            f"  main thread's longest stall:     {stall:7.1f} ms  ({base_stall:.1f} ms) {verdict}"
        )
        print(f"  a writer's slowest commit:       {commit:7.1f} ms  ({base_commit:.1f} ms)")
        check = median_seconds(lambda: check_notebook(notebook), args.runs)
        print(f"check:                             {check:7.2f} s")
        if not args.no_recover:
            target = scratch / "recovered.db"
            recover = seconds(lambda: recover_notebook(notebook, target))
            print(f"recover (sound notebook):          {recover:7.2f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
