"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a C++ method that
returns nothing (and to True/False on some that return bool); after a few hundred repaints the
count reaches zero and the interpreter aborts ("none_dealloc"), taking the window with it.
pyproject.toml keeps that release out; this test fails if a build with the defect is installed.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint  # noqa: E402


def test_calls_returning_nothing_keep_none_alive() -> None:
    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1)
    # A few references may come and go with the interpreter's own work; a thousand may not.
    assert sys.getrefcount(None) > before - 100
