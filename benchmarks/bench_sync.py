"""Benchmark of a two-way sync with a markdown folder (core/sync).

    .venv/bin/python benchmarks/bench_sync.py                    # 10,000 files, 100 changed
    .venv/bin/python benchmarks/bench_sync.py --files 2000 --changed 20 --runs 5

It generates a vault of ``--files`` markdown files (``bench_vault``'s generator: nested folders,
front matter of every kind), imports it, syncs once (the first sync records the folder), then
times, ``--runs`` times each:

* a sync with nothing changed on either side;
* a sync with ``--changed`` files edited in the folder (each run edits other files), which
  the notebook takes in (each with a history entry);
* a sync with ``--changed`` entries edited in the notebook, which go out as files.

The figures are medians. Scratch data goes under ``benchmarks/.data/``, removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vault import generate_vault  # noqa: E402

from notebook_app.core.formats.importing import apply_import, plan_import  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.core.sync.engine import sync_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_root = Path(__file__).resolve().parent / ".data"
    data_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_root) as scratch:
        work = Path(scratch)
        paths = sorted(generate_vault(work / "vault", args.files))
        with Notebook.open(work / "n.db") as notebook:
            apply_import(notebook, plan_import(notebook, work / "vault"))
            start = time.perf_counter()
            first = sync_folder(notebook, work / "vault")
            first_time = time.perf_counter() - start
            assert not first.changed, first.summary()
            idle, folder_side, notebook_side = [], [], []
            ids = [row[0] for row in notebook.conn.execute("SELECT id FROM entries")]
            for run in range(args.runs):
                start = time.perf_counter()
                report = sync_folder(notebook, work / "vault")
                idle.append(time.perf_counter() - start)
                assert not report.changed, report.summary()
                chosen = paths[run * args.changed : (run + 1) * args.changed]
                later = time.time() + 10 + run
                for path in chosen:
                    target = work / "vault" / path
                    with open(target, "a", encoding="utf-8") as handle:
                        handle.write(f"\nedited in run {run}\n")
                    os.utime(target, (later, later))
                start = time.perf_counter()
                report = sync_folder(notebook, work / "vault")
                folder_side.append(time.perf_counter() - start)
                assert len(report.updated) == len(chosen), report.line()
                for entry_id in ids[run * args.changed : (run + 1) * args.changed]:
                    entry = notebook.get(entry_id)
                    notebook.update(entry_id, entry.version, body=entry.body + f"\nrun {run}\n")
                start = time.perf_counter()
                report = sync_folder(notebook, work / "vault")
                notebook_side.append(time.perf_counter() - start)
                assert len(report.written) == args.changed and not report.conflicts, report.line()
    print(f"first sync of an imported {args.files:,}-file vault: {first_time:.2f} s")
    print(f"sync, nothing changed: median {statistics.median(idle):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in idle)})")  # fmt: skip
    print(f"sync, {args.changed} files changed in the folder: median "
          f"{statistics.median(folder_side):.2f} s")  # fmt: skip
    print(f"sync, {args.changed} entries changed in the notebook: median "
          f"{statistics.median(notebook_side):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
