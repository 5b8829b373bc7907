"""``notebook-app review``: the review window alone, and its one line when nothing is due."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from notebook_app.cli import main
from notebook_app.core.api import Entry, Kind, Notebook
from notebook_app.gui.review_alone import ReviewAlone


def add_terms(db_path: Path, *titles: str) -> list[str]:
    with Notebook.open(db_path) as notebook:
        return [notebook.add(Entry(kind=Kind.TERM, title=t, body=f"{t} means.")).id for t in titles]


def press(keys: str, widget) -> None:  # type: ignore[no-untyped-def]
    combo = QKeySequence(keys)[0]
    QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())


def test_the_review_window_alone_reviews_by_keys_and_stores_the_ratings(
    qtbot, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = add_terms(db_path, "Alpha", "Beta")
    review = ReviewAlone(db_path)
    qtbot.addWidget(review)
    try:
        review.start()
        qtbot.waitUntil(lambda: review.card is not None, timeout=10000)
        qtbot.waitUntil(review.isActiveWindow, timeout=5000)  # its keys are its shortcuts
        assert review.front.text() == "Alpha"
        press("Space", review)
        qtbot.waitUntil(lambda: "Alpha means." in review.back.toPlainText(), timeout=10000)
        press("3", review)
        qtbot.waitUntil(lambda: review.card is not None and review.front.text() == "Beta",
                        timeout=10000)  # fmt: skip
        assert review.done_count == 1
        press("Escape", review)
        assert not review.isVisible()
    finally:
        review.stop()
    conn = sqlite3.connect(db_path)
    log = conn.execute(
        "SELECT e.id, l.rating FROM review_log l JOIN entries e ON e.seq = l.entry"
    ).fetchall()
    conn.close()
    assert log == [(ids[0], 3)]


def test_review_with_nothing_due_says_so_and_opens_no_window(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import notebook_app.cli.window as window

    opened: list[object] = []
    monkeypatch.setattr(window, "open_review_window", lambda path: opened.append(path) or 0)
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Not a term"))
    assert main(["review", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "nothing to review now\n"
    assert opened == []
    add_terms(db_path, "Alpha")
    assert main(["review", "--db", str(db_path)]) == 0
    assert opened == [db_path]  # a due term: the window is asked for


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")
def test_notebook_app_review_starts_the_window_and_a_quit_signal_ends_it(db_path: Path) -> None:
    add_terms(db_path, "Alpha")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-m", "notebook_app", "--db", str(db_path), "review"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "the review window is open: Esc closes it\n"
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    stderr = child.stderr.read() if child.stderr else ""
    assert code == 0, stderr
    assert "Traceback" not in stderr
