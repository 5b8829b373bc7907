"""Someone typing into the real window, and what a crash or a signal costs them.

Shared by ``tests/test_crash_typing.py`` and ``benchmarks/bench_crash.py``. Run as a script it
is the child: it starts the app the way the ``notebook-app`` command does (``notebook_app.cli``
with ``--db``), waits for the window, makes a note from the keyboard with the README's keys
(Ctrl+N, type the title, Ctrl+0 to the entry list, where it waits to see the note highlighted,
Enter to the note's editor, where it waits for the note's empty text) and then types into
``QApplication.focusWidget()`` one keystroke at a time, never pausing long enough for an idle
autosave, until it is killed:

    python benchmarks/typing_driver.py --db NOTEBOOK --log LOG --title TITLE --seed N

It touches the app only through what a user has (keys, the focused widget, the window), so it
keeps working whatever the window's insides become. After each keystroke it appends one line
to LOG with ``os.write``: the bytes are in the kernel's page cache when the call returns, so
they survive the process being killed (only a machine crash would lose them; the kill is of the
process). The clock is ``time.monotonic`` (CLOCK_MONOTONIC), one clock for every process on the
machine, so the parent can place its kill among the keystrokes.

The parent side (``type_then_signal``) starts the child, waits for its first keystroke, sends
the signal after a chosen delay, then reads the note back with the core API and measures the
seconds of typing lost: from the last keystroke before the kill back to the last keystroke whose
text is in the saved body (0 when everything is there; the whole typing span when nothing is).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One keystroke every 30-90 ms (a fast typist's bursts): far below the 0.7 s idle pause, so
# only a save made *while* typing can keep the text. A Return every 8-15 words keeps lines
# short, as prose is.
MIN_GAP_S = 0.03
MAX_GAP_S = 0.09
WORDS = (
    "sparse", "autoencoders", "find", "interpretable", "features", "in", "the", "residual",
    "stream", "of", "a", "small", "transformer", "trained", "on", "text", "and", "we",
    "measure", "how", "often", "each", "feature", "fires", "while", "model", "reads",
    "papers", "about", "superposition", "attention", "heads", "circuits", "probes",
)  # fmt: skip

# The pauses a person makes between steps (looking at the screen before the next key).
HUMAN_PAUSE_S = 0.3
# How long the child waits for each step (the window, the new note, the editor) before giving
# up with a message: generous, because a loaded machine starts the app slowly.
STEP_TIMEOUT_S = 30.0
# The child never outlives this much typing: it then quits the app (Ctrl+Q) itself, and a
# watchdog thread ends the process a little later whatever the app does.
MAX_TYPING_S = 60.0


def keystrokes(seed: int, count: int = 20_000) -> list[str]:
    """The text to type, one key per item (``"\\n"`` is Return): words, spaces, line breaks."""
    rng = random.Random(seed)
    keys: list[str] = []
    words_on_line = 0
    line_length = rng.randint(8, 15)
    while len(keys) < count:
        keys.extend(rng.choice(WORDS))
        words_on_line += 1
        if words_on_line >= line_length:
            keys.append("\n")
            words_on_line = 0
            line_length = rng.randint(8, 15)
        else:
            keys.append(" ")
    return keys[:count]


# --- the child: the app, typed into -------------------------------------------------------------


def child_main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)

    # A desktop launcher starts the app with the signals' usual dispositions; a parent run with
    # nohup or in a shell's background (the benchmark, CI) would pass on SIGHUP and SIGINT
    # ignored, and the app's own handling would never be tested.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed copy
    log_fd = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def log(*fields: object) -> None:
        os.write(log_fd, ("\t".join(str(f) for f in fields) + "\n").encode())

    from notebook_app import cli  # the console script's one import, first as there

    # isort: split
    from PySide6.QtCore import QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QApplication,
        QLineEdit,
        QMainWindow,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    try:
        from notebook_app.gui.application import make_application
    except ImportError:  # the app builds its application elsewhere: a plain one is reused too

        def make_application(argv: list[str] | None = None) -> QApplication:
            return QApplication(sys.argv[:1])

    # Made first only so the driver's timers can run; the app reuses it (as for start_driver).
    application = make_application()
    keys = keystrokes(args.seed)
    parent_pid = os.getppid()

    def watchdog() -> None:
        time.sleep(MAX_TYPING_S + STEP_TIMEOUT_S * 4)
        log("error", "watchdog: the child ran too long and ended itself")
        os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()

    def describe(widget: QWidget | None) -> str:
        """The focused widget as a failure message shows it: its class, its name and, for a
        list, the current row and the first rows (what the user would see)."""
        if widget is None:
            return "none"
        text = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            rows = [model.index(row, 0).data() for row in range(min(5, model.rowCount()))]
            text += f", current row {widget.currentIndex().data()!r} of {rows}"
        elif isinstance(widget, QLineEdit):
            text += f" holding {widget.text()!r}"
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            text += f" holding {widget.toPlainText()[:60]!r}"
        return text

    def is_editor(widget: QWidget | None) -> bool:
        return isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly()

    def press(combo: str) -> None:
        from PySide6.QtGui import QKeySequence

        key = QKeySequence(combo)[0]  # type: ignore[index]
        target = QApplication.focusWidget() or QApplication.activeWindow()
        if target is not None:
            QTest.keyClick(target, key.key(), key.keyboardModifiers())

    class Driver(QObject):
        """Walks through the steps, each waiting (polled) for what the user would wait for."""

        def __init__(self) -> None:
            super().__init__()
            self.window: QWidget | None = None
            self.focus_before: QWidget | None = None
            self.step_started = time.monotonic()
            self.poll = QTimer(self, interval=20)
            self.poll.timeout.connect(self.step)
            self.steps: list[tuple[str, Callable[[], bool], Callable[[], None]]] = [
                ("the window to be shown and active", self.window_ready, self.new_note),
                ("Ctrl+N to focus the new note's title", self.title_focused, self.type_title),
                # A person looks up from the title before reaching for the list.
                ("a moment after the title", self.paused, lambda: press("Ctrl+0")),
                (
                    "Ctrl+0 to focus the entry list with the new note current",
                    self.list_shows_note,
                    lambda: press("Return"),
                ),
                (
                    "Enter in the list to focus the new note's (empty) editor",
                    self.editor_focused,
                    self.go,
                ),
            ]
            self.editor: QWidget | None = None
            self.typed = 0
            self.typing_started = 0.0
            self.poll.start()

        def fail(self, message: str) -> None:
            log("error", message)
            self.poll.stop()
            os._exit(2)

        def step(self) -> None:
            if not self.steps:
                return
            what, done, then = self.steps[0]
            if done():
                self.steps.pop(0)
                self.step_started = time.monotonic()
                then()
            elif time.monotonic() - self.step_started > STEP_TIMEOUT_S:
                self.fail(
                    f"gave up after {STEP_TIMEOUT_S:.0f} s waiting for {what} "
                    f"(focus: {describe(QApplication.focusWidget())})"
                )

        def window_ready(self) -> bool:
            for widget in QApplication.topLevelWidgets():
                handle = widget.windowHandle()
                if (
                    isinstance(widget, QMainWindow)
                    and widget.isVisible()
                    and handle is not None
                    and handle.isExposed()
                ):
                    if not widget.isActiveWindow():
                        widget.activateWindow()  # as the desktop does for a new window
                        return False
                    self.window = widget
                    return True
            return False

        def new_note(self) -> None:
            self.focus_before = QApplication.focusWidget()
            press("Ctrl+N")

        def title_focused(self) -> bool:
            """A line edit other than the one focused before Ctrl+N, empty or all selected
            (typing replaces a selected placeholder title)."""
            focus = QApplication.focusWidget()
            return (
                isinstance(focus, QLineEdit)
                and focus is not self.focus_before
                and focus.selectedText() == focus.text()
            )

        def type_title(self) -> None:
            QTest.keyClicks(QApplication.focusWidget(), args.title)  # type: ignore[arg-type]

        def paused(self) -> bool:
            return time.monotonic() - self.step_started >= HUMAN_PAUSE_S

        def list_shows_note(self) -> bool:
            """What the user waits for before Enter: their note, by its title, highlighted in
            the list (the list may show it only once the title is saved). If another row stays
            highlighted, they move to their note with the arrow keys, as a person would; the
            log notes it, since the app should have highlighted the note it just made."""
            focus = QApplication.focusWidget()
            if not isinstance(focus, QAbstractItemView) or focus.model() is None:
                return False
            current = focus.currentIndex()
            if current.data() == args.title:
                return True
            if self.paused():
                model = focus.model()
                rows = [
                    r for r in range(model.rowCount()) if model.index(r, 0).data() == args.title
                ]
                if rows:
                    log("note", json.dumps(f"the list highlighted {describe(focus)}; moved to "
                                           f"the new note with the arrow keys"))  # fmt: skip
                    key = Qt.Key.Key_Up if rows[0] < current.row() else Qt.Key.Key_Down
                    QTest.keyClick(focus, key)
                    self.step_started = time.monotonic()
            return False

        def editor_focused(self) -> bool:
            """The focus in an editor, and that editor showing the new note: empty. (Until the
            note is loaded it may still show the previous entry's text; a person waits for
            their empty note before typing.)"""
            focus = QApplication.focusWidget()
            return is_editor(focus) and not focus.toPlainText()  # type: ignore[union-attr]

        def go(self) -> None:
            self.poll.stop()
            self.editor = QApplication.focusWidget()
            application.aboutToQuit.connect(lambda: self.stop("the app is quitting"))
            self.typing_started = time.monotonic()
            # The notebook_app folder the child imported (cli is a package in it).
            code = Path(sys.modules["notebook_app"].__file__ or "").resolve().parent
            info = {"pid": os.getpid(), "code": str(code)}
            log("start", f"{self.typing_started:.6f}", json.dumps(info))
            self.tick = QTimer(self, singleShot=True)
            self.tick.setTimerType(Qt.TimerType.PreciseTimer)
            self.tick.timeout.connect(self.type_one)
            self.rng = random.Random(args.seed)
            self.tick.start(0)

        def stop(self, reason: str) -> None:
            if self.editor is not None:
                self.editor = None
                self.tick.stop()
                log("stop", f"{time.monotonic():.6f}", json.dumps(reason))

        def type_one(self) -> None:
            editor = self.editor
            if editor is None:
                return
            if os.getppid() != parent_pid:  # the parent is gone: no one is measuring
                os._exit(3)
            if QApplication.focusWidget() is not editor or not editor.isVisible():
                self.stop("the editor lost the focus or was hidden")
                return
            if time.monotonic() - self.typing_started > MAX_TYPING_S:
                self.stop("typed long enough")
                press("Ctrl+Q")
                return
            key = keys[self.typed % len(keys)]
            if key == "\n":
                QTest.keyClick(editor, Qt.Key.Key_Return)
            else:
                QTest.keyClicks(editor, key)
            self.typed += 1
            log("k", f"{time.monotonic():.6f}", json.dumps(key))
            self.tick.start(round(1000 * self.rng.uniform(MIN_GAP_S, MAX_GAP_S)))

    driver = Driver()  # noqa: F841 (kept alive while the app runs)
    status = cli.main(["--db", args.db])
    log("exit", f"{time.monotonic():.6f}", status)
    raise SystemExit(status)


# --- the parent: signal the child, read the note back -------------------------------------------


@dataclass
class Typing:
    """What the child logged: when typing started and every keystroke after it."""

    started: float | None = None
    info: dict[str, object] = field(default_factory=dict)
    keys: list[tuple[float, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # oddities met on the way to typing
    stopped: str | None = None

    @property
    def text(self) -> str:
        return "".join(key for _, key in self.keys)


def read_log(path: Path) -> Typing:
    typing = Typing()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return typing
    for line in lines:
        kind, _, rest = line.partition("\t")
        if kind == "k":
            moment, _, key = rest.partition("\t")
            typing.keys.append((float(moment), json.loads(key)))
        elif kind == "start":
            moment, _, info = rest.partition("\t")
            typing.started = float(moment)
            typing.info = json.loads(info)
        elif kind == "error":
            typing.errors.append(rest)
        elif kind == "note":
            typing.notes.append(json.loads(rest))
        elif kind == "stop":
            typing.stopped = json.loads(rest.partition("\t")[2])
    return typing


@dataclass
class Outcome:
    """One run: the signal, when it came, what was typed and saved, and the seconds lost."""

    signal_name: str
    signalled_after: float  # seconds after the first keystroke
    typed: int  # keystrokes
    saved: int  # keystrokes whose text is in the saved body
    lost_seconds: float
    longest_gap: float  # the longest pause between keystrokes (the app busy, or the machine)
    title_saved: bool
    body_is_prefix: bool  # the saved body is a prefix of what was typed (nothing else in it)
    returncode: int | None
    exit_seconds: float | None  # from the signal to the process gone
    stderr: str  # the app's standard error (its end, if long)
    notes: list[str]  # what the driver had to work around on the way (see Typing.notes)

    def describe(self) -> str:
        return (
            f"{self.signal_name} after {self.signalled_after:.2f} s: "
            f"lost {self.lost_seconds:.2f} s ({self.typed - self.saved} of {self.typed} "
            f"keystrokes), longest pause {self.longest_gap:.2f} s, exit {self.returncode}"
        ) + "".join(f"; {note}" for note in self.notes)


class DriverError(RuntimeError):
    """The child could not get to typing: the message says where it stopped."""


def note_ids(db: Path) -> set[str]:
    from notebook_app.core.api import Notebook

    with Notebook.open(db) as notebook:
        return {entry.id for entry in notebook.iter_entries(include_trashed=True)}


def saved_note(db: Path, before: set[str]) -> tuple[str, str] | None:
    """The (title, body) of the one note made since ``before`` (None if none was stored)."""
    from notebook_app.core.api import Notebook

    with Notebook.open(db) as notebook:
        new = [e for e in notebook.iter_entries(include_trashed=True) if e.id not in before]
    if len(new) > 1:
        raise DriverError(f"{len(new)} new entries, expected one: {[e.title for e in new]}")
    return (new[0].title, new[0].body) if new else None


def child_environment(home: Path) -> dict[str, str]:
    """Offscreen, this checkout's code first, and settings in a folder of the run's own."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("NOTEBOOK_APP_DB", None)
    return env


def tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def type_then_signal(
    db: Path,
    work: Path,
    *,
    seed: int,
    delay: float,
    signum: int = signal.SIGKILL,
    title: str = "Typed until the crash",
    start_timeout: float = 120.0,
    exit_timeout: float = 20.0,
) -> Outcome:
    """Start the app on ``db`` typing into a new note, send ``signum`` ``delay`` seconds after
    the first keystroke, and measure what the notebook kept. The child is always gone when
    this returns (killed if it did not exit). ``work`` holds the run's log and output."""
    work.mkdir(parents=True, exist_ok=True)
    log = work / f"typing-{seed}.log"
    log.unlink(missing_ok=True)
    stderr_path = work / f"stderr-{seed}.txt"
    if not db.exists():
        note_ids(db)  # made with the core API, so the app opens an existing notebook
    before = note_ids(db)
    command = [sys.executable, str(Path(__file__).resolve()), "--db", str(db)]
    command += ["--log", str(log), "--title", title, "--seed", str(seed)]
    with open(stderr_path, "wb") as stderr:
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            env=child_environment(work),
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
        )
    signalled = returncode = exit_seconds = None
    try:
        deadline = time.monotonic() + start_timeout
        typing = read_log(log)
        while not typing.keys:
            if typing.errors or child.poll() is not None:
                raise DriverError(
                    f"the child stopped before typing (exit {child.poll()}): "
                    f"{'; '.join(typing.errors)}\n{tail(stderr_path)}"
                )
            if time.monotonic() > deadline:
                raise DriverError(f"no keystroke within {start_timeout:.0f} s\n{tail(stderr_path)}")
            time.sleep(0.005)
            typing = read_log(log)
        assert typing.started is not None
        code = str(typing.info.get("code", ""))
        if code != str(ROOT / "notebook_app"):
            raise DriverError(f"the child ran the code in {code}, not this checkout's")
        time.sleep(max(0.0, typing.started + delay - time.monotonic()))
        os.kill(child.pid, signum)
        signalled = time.monotonic()
        try:
            returncode = child.wait(timeout=exit_timeout)
            exit_seconds = time.monotonic() - signalled
        except subprocess.TimeoutExpired:
            returncode = None
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    typing = read_log(log)
    if typing.errors:
        raise DriverError("; ".join(typing.errors))
    return measure(typing, saved_note(db, before), title, signum, signalled, returncode,
                   exit_seconds, tail(stderr_path, 200))  # fmt: skip


def measure(
    typing: Typing,
    note: tuple[str, str] | None,
    title: str,
    signum: int,
    signalled: float,
    returncode: int | None,
    exit_seconds: float | None,
    stderr: str,
) -> Outcome:
    """Seconds lost: the last keystroke logged minus the last keystroke whose text is in the
    saved body (or minus the start of typing if none is)."""
    assert typing.started is not None
    typed = typing.text
    saved_title, body = note if note is not None else ("", "")
    common = len(os.path.commonprefix([typed, body]))
    last = typing.keys[-1][0] if typing.keys else typing.started
    kept_until = typing.keys[common - 1][0] if common else typing.started
    moments = [typing.started] + [moment for moment, _ in typing.keys]
    return Outcome(
        signal_name=signal.Signals(signum).name,
        signalled_after=signalled - typing.started,
        typed=len(typing.keys),
        saved=common,
        lost_seconds=last - kept_until,
        longest_gap=max((b - a for a, b in zip(moments, moments[1:], strict=False)), default=0.0),
        title_saved=saved_title == title,
        body_is_prefix=common == len(body),
        returncode=returncode,
        exit_seconds=exit_seconds,
        stderr=stderr,
        notes=typing.notes,
    )


if __name__ == "__main__":
    child_main(sys.argv[1:])
