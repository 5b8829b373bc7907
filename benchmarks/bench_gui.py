"""Benchmark of the desktop window: start-up, typing, preview, search-as-you-type and memory.

    .venv/bin/python benchmarks/bench_gui.py                  # 10,000 and 100,000 entries
    .venv/bin/python benchmarks/bench_gui.py --runs 15
    .venv/bin/python benchmarks/bench_gui.py --quick          # 1,000 and 10,000 entries, 3 runs
    .venv/bin/python benchmarks/bench_gui.py --sizes 10000 100000 --runs 7
    .venv/bin/python benchmarks/bench_gui.py --only start lock --runs 5   # some measures

``--sizes START BIG``: the cold start is measured on a notebook of START entries; search and
memory on one of BIG entries. Notebooks are built once from ``corpus.generate_entries`` and
cached in ``benchmarks/.data/`` (a 100,000-entry build takes ~12 s), keyed by size.

Everything runs offscreen (``QT_QPA_PLATFORM=offscreen``) with INI settings in a temporary
folder, so the user's real settings are never read or written. Every figure is the median of
``--runs`` samples, and each measure has a baseline timed in the same run, so figures from a
noisy machine can be compared as ratios:

* cold start: a fresh ``python`` process (so imports count) running ``notebook-app --db NOTEBOOK``
  through ``notebook_app.cli.main``, until the window's first frame is painted; baselines
  ``python -c pass`` and a bare PySide6 window (a QMainWindow with a QPlainTextEdit) to its
  first frame. Beside them, the window's form alone (``start_driver.form_window``): the floor
  the window's own code starts from; and the form's Qt widgets alone
  (``start_driver.widgets_window``): what PySide6 costs for that form before any of the app's
  code runs, the part of the start no change of ours can remove.
  The package is byte-compiled first, as an installed app is.
* keystroke: GUI-thread time of ``QTest.keyClick`` into the editor plus the posted events it
  causes (highlighting, repaint); baseline the same keystroke into a bare ``QPlainTextEdit``
  holding the same text. Again on the podcast note with spell checking on (its words looked
  up first, as after a pause in typing), and the GUI-thread time switching it on took.
* preview: from the keystroke to the ``rendered`` signal having updated the preview (the
  window's own slot runs first); same baseline as the keystroke.
* search: from ``window.entry_list.apply_query()`` after setting the search box text (what
  the search box's timer calls) to the rows shown (the query runs on the task runner's read
  lane);
  baseline ``SELECT count(*) FROM entries`` on the same notebook.
* typing under a write lock: another process holds the notebook's write lock
  (``BEGIN IMMEDIATE``) for 5 s while keys are typed into a 2 KB note (a key, then its preview,
  then 30 ms); the keystroke's GUI-thread time (median and max), keystroke to refreshed
  preview, and the time from the lock's release to the text saved. Baseline: the same with a
  process that holds no lock (the save's time is then counted from the last key).
* memory: peak RSS (VmHWM, see ``start_driver.peak_rss_kb``) of a process with the window
  open and painted on BIG entries; baseline the same process on an empty notebook.
* quick capture: in the window, from Ctrl+Shift+Space to the box shown with its text field
  focused (ready to type); alone, a fresh process running ``capture --window`` until the box
  is painted (baseline ``python -c pass``, as for the cold start); and ``capture TEXT`` from
  the shell, a fresh process until the entry is saved and the process has exited.

The subprocess measures run ``start_driver.py``, which starts the app through ``notebook_app.cli``
as the ``notebook-app`` command does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import, here and in the drivers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DATA = Path(__file__).resolve().parent / ".data"
SAMPLES = ROOT.parent / "shared" / "samples"
PODCAST = SAMPLES / "podcast-summary.txt"
SHORT_NOTE_SOURCE = SAMPLES / "ml-notebook-page.txt"
SEARCHES = ["model", "sparse features", "interp*", "attention tag:safety", '"language model"']
TARGETS_MS = {"keystroke": 16.0, "preview podcast": 60.0, "preview 2 KB": 5.0, "search": 20.0,
              "capture": 100.0, "start": 600.0, "saved after release": 1000.0}  # fmt: skip
TARGET_RSS_MB = 250.0
TARGET_START_VS_BARE = 1.6
MEASURES = ("start", "capture", "typing", "lock", "search", "memory")
LOCK_SECONDS = 5.0
# The other process: takes the write lock, says so, holds it, releases it and says when.
LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
hold = sys.argv[2] == "lock"
if hold:
    conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
if hold:
    conn.execute("ROLLBACK")
print(time.time(), flush=True)
"""


# --- notebooks ---------------------------------------------------------------------------------


def cached_notebook(size: int) -> Path:
    """A notebook of ``size`` corpus entries, built once and kept in benchmarks/.data/."""
    from corpus import cached_notebook as cached

    return cached(size, "gui")


def short_note_text(size: int = 2048) -> str:
    """About ``size`` characters of a real note, cut at a line break."""
    text = SHORT_NOTE_SOURCE.read_text(encoding="utf-8")
    return text[: text.rfind("\n", 0, size)]


# --- statistics and output ---------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    figure: str
    target: str = ""


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def ratio(value: float, baseline: float) -> str:
    return f" ({value / baseline:.1f}× baseline)" if baseline > 0 else ""


def verdict(value: float, target: float, unit: str) -> str:
    return f"≤ {target:g} {unit} {'✅ met' if value <= target else '❌ missed'}"


def print_table(rows: list[Row], runs: int) -> None:
    print(f"\nMedians over {runs} runs (QT_QPA_PLATFORM=offscreen, {os.cpu_count()} CPUs).\n")
    print("| measure | figure | target |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row.measure} | {row.figure} | {row.target} |")


# --- subprocess drivers (cold start and memory) ------------------------------------------------


def run_driver(args: list[str], settings_dir: Path) -> dict[str, float]:
    """Run ``start_driver.py`` (a fresh process starting the app as the command does); it
    prints one JSON line of results. Its settings live in ``settings_dir``, empty at first."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(settings_dir)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("start_driver.py")), *args],
        env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def time_python_pass() -> float:
    launched = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - launched) * 1000


def compile_package() -> None:
    """Bytecode for the app's modules, as ``pip install`` (and the frozen binary) provide: a
    start must not be timed compiling sources, which an environment with
    PYTHONDONTWRITEBYTECODE set (this machine's) would otherwise do on every run."""
    import compileall

    compileall.compile_dir(str(ROOT / "notebook_app"), quiet=1)


def time_cold_start(db: Path, runs: int) -> dict[str, list[float]]:
    """Window starts, its form alone (``start_driver.form_window``), the form's Qt widgets
    alone (``start_driver.widgets_window``), bare PySide6 window starts and ``python -c pass``
    runs, interleaved so all see the same noise; ms by name."""
    compile_package()
    modes = ("start", "form", "widgets", "bare")
    samples: dict[str, list[float]] = {mode: [] for mode in (*modes, "pass")}
    for _ in range(runs):
        for mode in modes:
            with tempfile.TemporaryDirectory() as folder:  # a first start: no saved state
                launched = time.time()
                result = run_driver([mode, str(db)], Path(folder))
                samples[mode].append((result["painted"] - launched) * 1000)
        launched = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        samples["pass"].append((time.perf_counter() - launched) * 1000)
    return samples


def measure_memory(db: Path, empty: Path, runs: int) -> tuple[list[float], list[float]]:
    loaded: list[float] = []
    baselines: list[float] = []
    for _ in range(runs):
        for path, samples in ((db, loaded), (empty, baselines)):
            with tempfile.TemporaryDirectory() as folder:
                samples.append(run_driver(["memory", str(path)], Path(folder))["rss_mb"])
    return loaded, baselines


# --- in-process measures (typing, preview, search) ---------------------------------------------


@contextmanager
def open_window(db: Path) -> Iterator:  # type: ignore[type-arg]
    """A shown, painted MainWindow on ``db`` with throwaway INI settings."""
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from notebook_app.core.storage.notebook import Notebook
    from notebook_app.gui.application import make_application
    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.settings import Settings

    make_application()
    with tempfile.TemporaryDirectory() as folder, Notebook.open(db) as notebook:
        ini = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(notebook, Settings(ini))
        window.show()
        QTest.qWaitForWindowExposed(window)
        try:
            yield window
        finally:
            window.close()
            window.deleteLater()
            pump(50)


def pump(milliseconds: float) -> None:
    """Process events for a while (lets workers deliver and the autosave timer run)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + milliseconds / 1000
    while time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.001)


def keystroke_ms(editor, key) -> float:  # type: ignore[no-untyped-def]
    """GUI-thread time of one key: the key event, then the events it posted (repaint …)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    QTest.keyClick(editor, key)
    QApplication.processEvents()
    return (time.perf_counter() - start) * 1000


def middle_of(editor) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor at the end of the middle line: typing mid-note, not at the end."""
    from PySide6.QtGui import QTextCursor

    document = editor.document()
    block = document.findBlockByNumber(document.blockCount() // 2)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()


def time_typing(window, entry_id: str, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Keystroke and keystroke-to-preview samples on one entry, each key on a quiet window."""
    from PySide6.QtCore import Qt

    window.editing.open(entry_id)
    window.runner.wait()
    pump(300)  # the preview of the opened entry arrives
    middle_of(window.ui.editor)
    refreshed: list[float] = []

    def note_refresh(*_args: object) -> None:
        # Connected after the window's own slot, so it runs once the preview is updated.
        refreshed.append(time.perf_counter())

    window.preview.rendered.connect(note_refresh)
    keys: list[float] = []
    previews: list[float] = []
    for index in range(runs + 1):  # the first key warms up caches: not counted
        refreshed.clear()
        start = time.perf_counter()
        key = keystroke_ms(window.ui.editor, Qt.Key.Key_A)
        deadline = start + 5
        while not refreshed and time.perf_counter() < deadline:
            pump(0.2)
        if index:
            keys.append(key)
            previews.append((refreshed[0] - start) * 1000)
        pump(20)
    window.preview.rendered.disconnect(note_refresh)
    return keys, previews


def time_typing_spelled(window, entry_id: str, runs: int) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """Keystrokes with spell checking on (the words around already looked up, as after a
    pause), and the GUI-thread time switching it on took (highlighting again the lines with
    misspelt words once the note's words were looked up)."""
    tools = window.editor_tools
    window.editing.open(entry_id)
    window.runner.wait()
    highlighter = window.ui.editor.highlighter
    spent: list[float] = []
    # The GUI-thread parts: the note's words listed for the look-up, then their lines.
    for owner, name in ((tools.spelling, "_loaded"), (highlighter, "rehighlight_noted")):
        original = getattr(owner, name)

        def timed(*args: object, _original=original) -> None:  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            _original(*args)
            spent.append((time.perf_counter() - start) * 1000)

        setattr(owner, name, timed)
    tools.set_spell_check(True)
    deadline = time.perf_counter() + 30
    while not tools.spelling.ready and time.perf_counter() < deadline:
        pump(10)
    pump(1500)  # the words of the note are looked up once idle, and their lines highlighted
    switched_on = sum(spent)
    keys, _previews = time_typing(window, entry_id, runs)
    tools.set_spell_check(False)
    return keys, switched_on


def time_bare_editor(text: str, runs: int) -> list[float]:
    """The baseline: the same key into a plain QPlainTextEdit (no highlighter, no window)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    editor.setPlainText(text)
    editor.resize(500, 700)
    editor.show()
    QTest.qWaitForWindowExposed(editor)
    middle_of(editor)
    samples = [keystroke_ms(editor, Qt.Key.Key_A) for _ in range(runs + 1)][1:]
    editor.close()
    return samples


def add_typing_entries(db: Path) -> dict[str, str]:
    from notebook_app.core.model.entry import Entry, Kind
    from notebook_app.core.storage.notebook import Notebook

    with Notebook.open(db) as notebook:
        podcast = notebook.add(Entry(kind=Kind.NOTE, title="Podcast summary",
                                     body=PODCAST.read_text(encoding="utf-8")))  # fmt: skip
        short = notebook.add(Entry(kind=Kind.NOTE, title="ML notebook", body=short_note_text()))
    return {"podcast": podcast.id, "2 KB": short.id}


def time_capture_box(window, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """From Ctrl+Shift+Space to the capture box shown with its text field focused."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    samples: list[float] = []
    for index in range(runs + 1):
        window.activateWindow()
        window.ui.entryList.setFocus()
        pump(20)
        box = window.capture_box
        start = time.perf_counter()
        QTest.keyClick(
            window.ui.entryList,
            Qt.Key.Key_Space,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        while not (box.isVisible() and QApplication.focusWidget() is box.text):
            QApplication.processEvents()
            if time.perf_counter() - start > 3:
                raise RuntimeError("the capture box did not open")
        elapsed = (time.perf_counter() - start) * 1000
        if index:  # the first opening builds the box's window: counted apart below
            samples.append(elapsed)
        box.reject()
        pump(10)
    return samples


def time_capture_window(db: Path, runs: int) -> list[float]:
    """``capture --window`` in a fresh process, to the box's first paint."""
    samples: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            launched = time.time()
            result = run_driver(["capture", str(db)], Path(folder))
            samples.append((result["painted"] - launched) * 1000)
    return samples


def time_cli_capture(db: Path, runs: int) -> list[float]:
    """``notebook-app capture TEXT`` (what a desktop hotkey may run), in a fresh process, to
    the entry saved and the process gone; on a copy of ``db``."""
    samples: list[float] = []
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        copy = Path(folder) / "capture.db"
        shutil.copy(db, copy)
        for number in range(runs):
            command = [sys.executable, "-m", "notebook_app", "--db", str(copy), "capture",
                       f"Captured from the shell {number} #inbox"]  # fmt: skip
            launched = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            samples.append((time.perf_counter() - launched) * 1000)
    return samples


def time_typing_under_lock(window, entry_id: str, db: Path, lock: bool) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Keys typed while another process holds the write lock (or, ``lock`` False, holds
    nothing) for LOCK_SECONDS; see the module's docstring."""
    from PySide6.QtCore import Qt

    window.editing.open(entry_id)
    window.runner.wait()
    pump(300)
    middle_of(window.ui.editor)
    refreshed: list[float] = []

    def note_refresh(*_args: object) -> None:
        refreshed.append(time.perf_counter())

    window.preview.rendered.connect(note_refresh)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db), "lock" if lock else "none",
         str(LOCK_SECONDS)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    keys: list[float] = []
    previews: list[float] = []
    typing_until = time.perf_counter() + LOCK_SECONDS - 0.5
    while time.perf_counter() < typing_until:
        refreshed.clear()
        start = time.perf_counter()
        keys.append(keystroke_ms(window.ui.editor, Qt.Key.Key_A))
        while not refreshed and time.perf_counter() - start < 2:
            pump(0.2)
        if refreshed:
            previews.append((refreshed[0] - start) * 1000)
        pump(30)
    last_key = time.time()
    released: float | None = None
    saved: float | None = None
    deadline = time.perf_counter() + LOCK_SECONDS + 15
    while (released is None or saved is None) and time.perf_counter() < deadline:
        pump(1)
        if saved is None and not window.editing.dirty:
            saved = time.time()
        if released is None and holder.poll() is not None:
            released = float(holder.stdout.read().strip())
    holder.wait()
    window.preview.rendered.disconnect(note_refresh)
    if saved is None or released is None:
        raise RuntimeError("the text was not saved after the lock was released")
    since = released if lock else last_key
    return {"keys": keys, "previews": previews, "saved": [max(saved - since, 0.0) * 1000]}


def settle_search(window) -> None:  # type: ignore[no-untyped-def]
    """Wait for the result count (a worker thread) so the next query runs on a quiet window."""
    deadline = time.perf_counter() + 3
    while not window.ui.resultLabel.text() and time.perf_counter() < deadline:
        pump(1)
    pump(5)  # the list repaints


def time_search(window, runs: int) -> tuple[dict[str, list[float]], list[float], list[float]]:  # type: ignore[no-untyped-def]
    """From apply_query() after setting the search box text to the rows shown, per query; and
    the count(*) baseline."""
    from PySide6.QtWidgets import QApplication

    box = window.ui.searchBox
    shown: list[float] = []
    window.entry_list.entries.modelReset.connect(lambda: shown.append(time.perf_counter()))
    conn = window.notebook.conn
    per_query: dict[str, list[float]] = {query: [] for query in SEARCHES}
    gui_thread: list[float] = []
    baseline: list[float] = []
    for index in range(runs + 1):
        for query in SEARCHES:
            box.setText(query)
            window.entry_list.search_timer.stop()  # we call what it would call, and time it
            shown.clear()
            start = time.perf_counter()
            window.entry_list.apply_query()
            if index:
                gui_thread.append((time.perf_counter() - start) * 1000)
            while not shown and time.perf_counter() - start < 5:
                QApplication.processEvents()
            elapsed = (shown[0] - start) * 1000
            if index:
                per_query[query].append(elapsed)
            settle_search(window)
        start = time.perf_counter()
        conn.execute("SELECT count(*) FROM entries").fetchone()
        if index:
            baseline.append((time.perf_counter() - start) * 1000)
    return per_query, baseline, gui_thread


# --- the run -----------------------------------------------------------------------------------


def bench(start_size: int, big_size: int, runs: int, only: tuple[str, ...] = MEASURES) -> list[Row]:
    rows: list[Row] = []
    start_db, empty_db = cached_notebook(start_size), cached_notebook(0)
    if "start" in only:
        rows += bench_start(start_db, start_size, runs)
    if "capture" in only:
        rows += bench_capture(start_db, empty_db, runs)
    if "typing" in only:
        rows += bench_typing(empty_db, runs)
    if "lock" in only:
        rows += bench_lock(empty_db, runs)
    if "search" in only or "memory" in only:
        big_db = cached_notebook(big_size)
        if "search" in only:
            rows += bench_search(big_db, big_size, runs)
        if "memory" in only:
            rows += bench_memory(big_db, empty_db, big_size, runs)
    return rows


def bench_start(start_db: Path, start_size: int, runs: int) -> list[Row]:
    rows: list[Row] = []
    samples = time_cold_start(start_db, runs)
    starts, form, bare = samples["start"], samples["form"], samples["bare"]
    base = median(samples["pass"])
    rows.append(Row("baseline: `python -c pass`", ms(base)))
    rows.append(Row("baseline: a bare PySide6 window (QPlainTextEdit) to its first frame",
                    ms(median(bare)) + ratio(median(bare), base)))  # fmt: skip
    rows.append(Row(f"cold start to painted window, {start_size:,} entries",
                    ms(median(starts)) + ratio(median(starts), base),
                    verdict(median(starts), TARGETS_MS["start"], "ms")))  # fmt: skip
    versus_bare = median(starts) / median(bare)
    rows.append(Row("cold start ÷ bare PySide6 window (same run)", f"{versus_bare:.2f}×",
                    verdict(versus_bare, TARGET_START_VS_BARE, "×")))  # fmt: skip
    rows.append(Row("the window's form alone (its widgets, the list, the open entry; none of "
                    "the window's code) ÷ bare PySide6 window",
                    f"{median(form) / median(bare):.2f}× ({ms(median(form))})"))  # fmt: skip
    widgets = median(samples["widgets"])
    rows.append(Row("the form's Qt widgets alone (same tree, a Python model, delegate and "
                    "highlighter; no app code) ÷ bare PySide6 window",
                    f"{widgets / median(bare):.2f}× ({ms(widgets)})"))  # fmt: skip
    return rows


def bench_capture(start_db: Path, empty_db: Path, runs: int) -> list[Row]:
    rows: list[Row] = []
    base = median([time_python_pass() for _ in range(runs)])
    alone = median(time_capture_window(start_db, runs))
    rows.append(Row("`capture --window`, fresh process to the box painted",
                    ms(alone) + ratio(alone, base)))  # fmt: skip
    shell = median(time_cli_capture(start_db, runs))
    rows.append(Row("`capture TEXT` from the shell, fresh process to the entry saved",
                    ms(shell) + ratio(shell, base)))  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        typing_db = Path(folder) / "typing.db"
        shutil.copy(empty_db, typing_db)
        add_typing_entries(typing_db)
        with open_window(typing_db) as window:
            box_open = median(time_capture_box(window, runs))
    rows.append(Row("Ctrl+Shift+Space to the capture box ready to type", ms(box_open),
                    verdict(box_open, TARGETS_MS["capture"], "ms")))  # fmt: skip
    return rows


def bench_typing(empty_db: Path, runs: int) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        typing_db = Path(folder) / "typing.db"
        shutil.copy(empty_db, typing_db)
        ids = add_typing_entries(typing_db)
        with open_window(typing_db) as window:
            typing = {label: time_typing(window, entry_id, runs) for label, entry_id in ids.items()}
            spelled, spell_on = time_typing_spelled(window, ids["podcast"], runs)
    bare = median(time_bare_editor(PODCAST.read_text(encoding="utf-8"), runs))
    rows.append(Row("baseline: keystroke in a bare QPlainTextEdit (podcast text)", ms(bare)))
    for label, (keys, _previews) in typing.items():
        value = median(keys)
        rows.append(Row(f"keystroke, GUI thread, {label} note", ms(value) + ratio(value, bare),
                        verdict(value, TARGETS_MS["keystroke"], "ms")))  # fmt: skip
    value = median(spelled)
    rows.append(Row("keystroke, GUI thread, podcast note, spell checking on",
                    ms(value) + ratio(value, bare),
                    verdict(value, TARGETS_MS["keystroke"], "ms")))  # fmt: skip
    rows.append(Row("spell checking switched on, podcast note: GUI-thread time (once)",
                    ms(spell_on)))  # fmt: skip
    for label, (_keys, previews) in typing.items():
        value = median(previews)
        rows.append(Row(f"keystroke to refreshed preview, {label} note",
                        ms(value) + ratio(value, bare),
                        verdict(value, TARGETS_MS[f"preview {label}"], "ms")))  # fmt: skip
    return rows


def bench_lock(empty_db: Path, runs: int) -> list[Row]:
    """Typing while another process holds the write lock, and the baseline without; the
    samples of ``runs`` rounds are pooled."""
    rows: list[Row] = []
    pooled: dict[bool, dict[str, list[float]]] = {
        lock: {"keys": [], "previews": [], "saved": []} for lock in (False, True)
    }
    with tempfile.TemporaryDirectory() as folder:
        typing_db = Path(folder) / "typing.db"
        shutil.copy(empty_db, typing_db)
        ids = add_typing_entries(typing_db)
        with open_window(typing_db) as window:
            for _ in range(runs):
                for lock in (False, True):
                    result = time_typing_under_lock(window, ids["2 KB"], typing_db, lock)
                    for name, samples in result.items():
                        pooled[lock][name].extend(samples)
    labels = {False: "no other process", True: "another process holds the write lock 5 s"}
    for lock, label in labels.items():
        samples = pooled[lock]
        keys = samples["keys"]
        rows.append(Row(f"keystroke, GUI thread, 2 KB note, {label}: median / max",
                        f"{ms(median(keys))} / {ms(max(keys))} ({len(keys)} keys)",
                        verdict(median(keys), TARGETS_MS["keystroke"], "ms")))  # fmt: skip
        rows.append(Row(f"keystroke to refreshed preview, 2 KB note, {label}",
                        ms(median(samples["previews"]))))  # fmt: skip
        since = "the lock's release" if lock else "the last key"
        saved = samples["saved"]
        target = verdict(max(saved), TARGETS_MS["saved after release"], "ms") if lock else ""
        rows.append(Row(f"{label}: from {since} to the text saved, median / max",
                        f"{ms(median(saved))} / {ms(max(saved))}", target))  # fmt: skip
    return rows


def bench_search(big_db: Path, big_size: int, runs: int) -> list[Row]:
    rows: list[Row] = []
    with open_window(big_db) as window:
        per_query, count_runs, gui_thread = time_search(window, runs)
    base = median(count_runs)
    rows.append(Row(f"baseline: `SELECT count(*)`, {big_size:,} entries", ms(base)))
    rows.append(Row("search as you type, the GUI thread's part (asking), all queries",
                    ms(median(gui_thread))))  # fmt: skip
    for query, samples in per_query.items():
        value = median(samples)
        rows.append(Row(f"search as you type `{query}`, {big_size:,} entries",
                        ms(value) + ratio(value, base),
                        verdict(value, TARGETS_MS["search"], "ms")))  # fmt: skip
    overall = median([sample for samples in per_query.values() for sample in samples])
    rows.append(Row(f"search as you type, all queries, {big_size:,} entries",
                    ms(overall) + ratio(overall, base),
                    verdict(overall, TARGETS_MS["search"], "ms")))  # fmt: skip
    return rows


def bench_memory(big_db: Path, empty_db: Path, big_size: int, runs: int) -> list[Row]:
    rows: list[Row] = []
    loaded, empty = measure_memory(big_db, empty_db, runs)
    base = median(empty)
    rows.append(Row("baseline: peak RSS, window on an empty notebook", f"{base:.0f} MB"))
    rows.append(Row(f"peak RSS, window on {big_size:,} entries",
                    f"{median(loaded):.0f} MB ({median(loaded) / base:.2f}× baseline)",
                    verdict(median(loaded), TARGET_RSS_MB, "MB")))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("START", "BIG"),
                        default=[10_000, 100_000],
                        help="entries for the cold start, and for search and memory")  # fmt: skip
    parser.add_argument("--runs", type=int, default=7, help="samples per measure (median)")
    parser.add_argument("--quick", action="store_true", help="1,000 / 10,000 entries, 3 runs")
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES),
                        help="run only these measures")  # fmt: skip
    args = parser.parse_args()
    sizes, runs = ((1_000, 10_000), 3) if args.quick else (tuple(args.sizes), args.runs)
    rows = bench(sizes[0], sizes[1], runs, tuple(args.only))
    print_table(rows, runs)


if __name__ == "__main__":
    main()
