"""The Reading Queue window in the user's order: Ctrl+Shift+Up / Down move the selected note,
the order is kept after a restart, and Ctrl+Shift+N opens the first in that order."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from notebook_app.core.api import Entry, Kind, Notebook, ReadingStatus, reading_queue
from notebook_app.gui.learning_lists import QueueWindow
from notebook_app.gui.main_window import MainWindow

WindowFactory = Callable[[], MainWindow]


def press(keys: str, widget: QWidget | None = None) -> None:
    combo = QKeySequence(keys)[0]
    target = widget or QApplication.focusWidget()
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())


def open_queue(qtbot, window: MainWindow) -> QueueWindow:  # type: ignore[no-untyped-def]
    press("Ctrl+Shift+Q", window)
    assert window.runner.wait(10)
    queue = window.learning.queue_window
    assert queue is not None
    qtbot.waitUntil(queue.isActiveWindow)
    qtbot.waitUntil(lambda: queue.rows.count() == 3)
    return queue


def shown(queue: QueueWindow) -> list[str]:
    return [queue.rows.item(row).text() for row in range(queue.rows.count())]


def test_moving_notes_with_the_keys_keeps_the_order_and_next_opens_the_first(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        stored = notebook.add_many(
            [
                Entry(kind=Kind.NOTE, title=title, reading_status=ReadingStatus.TO_READ)
                for title in ("Alpha", "Beta", "Gamma")
            ]
        )
    window = make_window()
    queue = open_queue(qtbot, window)
    assert shown(queue) == ["1. Alpha", "2. Beta", "3. Gamma"]

    queue.rows.setCurrentRow(2)
    press("Ctrl+Shift+Up", queue.rows)  # Gamma before Beta
    assert shown(queue) == ["1. Alpha", "2. Gamma", "3. Beta"]  # shown at once
    press("Ctrl+Shift+Up", queue.rows)  # Gamma first
    assert queue.rows.currentRow() == 0
    queue.rows.setCurrentRow(1)
    press("Ctrl+Shift+Down", queue.rows)  # Alpha last
    assert window.runner.wait(10)
    qtbot.waitUntil(lambda: "in your order" in queue.caption.text())
    assert shown(queue) == ["1. Gamma", "2. Beta", "3. Alpha"]
    assert queue.selected_id() == stored[0].id  # the moved note stays selected
    with Notebook.open(db_path) as notebook:
        assert [s.title for s in reading_queue(notebook)] == ["Gamma", "Beta", "Alpha"]

    window.close()  # a restart: a new window on the same notebook
    window = make_window()
    queue = open_queue(qtbot, window)
    assert shown(queue) == ["1. Gamma", "2. Beta", "3. Alpha"]
    queue.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press("Ctrl+Shift+N", window)
    assert window.runner.wait(10)
    qtbot.waitUntil(lambda: window.editing.current is not None)
    assert window.editing.current is not None and window.editing.current.title == "Gamma"
