"""No two of the window's commands share a key: Qt runs neither of two actions on one shortcut.

The platform's standard keys hide extra sequences (FindPrevious is also Ctrl+Shift+G on Linux),
so the check reads the built actions' real shortcuts, not the table's spelling of them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence

from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.settings import Settings


def test_every_shortcut_of_the_window_belongs_to_one_action(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notebook = Notebook.open(tmp_path / "nb.db")
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(notebook, settings, open_url=lambda url: None)
    qtbot.addWidget(window)
    try:
        owners: dict[str, set[str]] = defaultdict(set)
        for action in window.findChildren(QAction):
            for sequence in action.shortcuts():
                text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
                owners[text].add(action.objectName() or action.text())
        assert len(owners) > 30  # the table was read
        shared = {key: names for key, names in owners.items() if len(names) > 1}
        assert shared == {}
    finally:
        window.close()
        notebook.close()
