"""Benchmark: the window's daily backup of a big notebook while the user types.

    .venv/bin/python benchmarks/bench_window_backup.py              # 100,000 entries, 3 runs
    .venv/bin/python benchmarks/bench_window_backup.py --size 10000 --runs 5

The real ``MainWindow`` (offscreen) on a copy of bench_gui's cached notebook
(``benchmarks/.data/gui-SIZE.db``, built once). Each run: the backups folder is emptied, then
the window's own start-of-day backup (``NotebookSafety.start``: ``backup_if_due`` on the task
runner's "safety" lane) runs while a key is typed into the open note every 30 ms (autosave
on) and an event-loop probe (a 1 ms timer) records the gaps between its firings: a gap is the
longest the GUI thread was busy with anything (a key, a repaint, a save's result). Baseline:
the same typing and probe for as long, with no backup. Reported: the backup's time, and the
probe's median and longest gap and the slowest keystroke, with and without the backup.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_gui import cached_notebook  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from notebook_app.core.storage.backups import list_backups  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.gui.application import make_application  # noqa: E402
from notebook_app.gui.main_window import MainWindow  # noqa: E402
from notebook_app.gui.safety import NotebookSafety  # noqa: E402
from notebook_app.gui.settings import Settings  # noqa: E402

KEY_EVERY_MS = 30
TYPING = os.environ.get("BENCH_NO_TYPING") is None  # BENCH_NO_TYPING=1: the probe alone


def measure(window: MainWindow, backup: bool, seconds: float) -> dict[str, float]:
    """Type and probe until the backup is over (or for ``seconds`` without one)."""
    editor = window.ui.editor
    editor.setFocus()
    gaps: list[float] = []
    keys: list[float] = []
    last = [time.perf_counter()]
    loop = QEventLoop()
    started = time.perf_counter()

    def probe() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    def key() -> None:
        begin = time.perf_counter()
        QTest.keyClick(editor, Qt.Key.Key_A)
        keys.append((time.perf_counter() - begin) * 1000)

    def over() -> None:
        elapsed = time.perf_counter() - started
        if (backup and not window.runner.busy("safety")) or (not backup and elapsed > seconds):
            loop.quit()

    timers = []
    for interval, slot in ((1, probe), (KEY_EVERY_MS, key), (20, over)):
        if slot is key and not TYPING:
            continue
        timer = QTimer(interval=interval)
        timer.timeout.connect(slot)
        timer.start()
        timers.append(timer)
    if backup:
        NotebookSafety.start(window.safety)
    last[0] = time.perf_counter()
    loop.exec()
    for timer in timers:
        timer.stop()
    elapsed = time.perf_counter() - started
    window.runner.wait(30)
    return {
        "seconds": elapsed,
        "gap median": statistics.median(gaps),
        "gap max": max(gaps),
        "key max": max(keys, default=0.0),
        "key median": statistics.median(keys or [0.0]),
        "events": len(gaps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    make_application()
    with tempfile.TemporaryDirectory(prefix="bench-window-backup-") as folder:
        db = Path(folder) / "notebook.db"
        shutil.copy(cached_notebook(args.size), db)
        ini = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        with Notebook.open(db) as notebook:
            window = MainWindow(notebook, Settings(ini))
            window.safety.start = lambda: None  # type: ignore[method-assign]  # measured below
            window.show()
            QTest.qWaitForWindowExposed(window)
            window.runner.wait(30)
            with_backup: list[dict[str, float]] = []
            without: list[dict[str, float]] = []
            for _run in range(args.runs):
                shutil.rmtree(db.parent / "backups", ignore_errors=True)
                with_backup.append(measure(window, True, 0))
                assert [b.reason for b in list_backups(db)] == ["daily"]
                without.append(measure(window, False, with_backup[-1]["seconds"]))
            window.setProperty("quitting", True)
            window.close()
    size_mb = db.stat().st_size / 1e6 if db.exists() else 0
    print(f"{args.size:,} entries{f', {size_mb:.0f} MB' if size_mb else ''}; {args.runs} runs")
    for name, runs in (("with the backup", with_backup), ("no backup", without)):
        figures = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        worst = max(run["gap max"] for run in runs)
        print(
            f"{name:16} {figures['seconds']:.2f} s; event-loop gap median "
            f"{figures['gap median']:.1f} ms, max {figures['gap max']:.1f} ms (worst run "
            f"{worst:.1f} ms); keystroke median {figures['key median']:.1f} ms, max "
            f"{figures['key max']:.1f} ms; {figures['events']:.0f} probe firings"
        )


if __name__ == "__main__":
    main()
