"""Run by test_autosave.py in a child process: the real window (through ``app.run_window``,
as ``notebook-app`` starts it) on NOTEBOOK, with TEXT typed into the open entry and autosave
held back, so the text is unsaved when the parent sends a signal. Prints "typed" once ready.

    python tests/window_signal_driver.py NOTEBOOK SETTINGS.ini TEXT
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from notebook_app.gui.app import run_window  # noqa: E402
from notebook_app.gui.application import make_application  # noqa: E402
from notebook_app.gui.main_window import MainWindow  # noqa: E402


def type_text(text: str) -> None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    window = windows[0]
    # Only a close may save: the autosave timer and focus changes are held back.
    window.editing.autosave_timer.timeout.disconnect()
    editor = window.ui.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, text)
    assert window.editing.dirty
    print("typed", flush=True)


def main() -> int:
    db, ini, text = sys.argv[1:4]
    make_application()
    QTimer.singleShot(300, lambda: type_text(text))
    return run_window(Path(db), QSettings(ini, QSettings.Format.IniFormat))


if __name__ == "__main__":
    sys.exit(main())
