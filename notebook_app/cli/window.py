"""The window from the command line: ``notebook-app`` alone opens it, ``capture --window``
opens the capture box alone, ``review`` the review window alone. Qt is imported only here,
only when a window is asked for."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from notebook_app.core.api import NotebookError


def no_display_reason() -> str | None:
    """Why a window cannot open here, said before Qt aborts the process over it."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is "
        "set); the commands work without one: notebook-app --help"
    )


def open_capture_window(db_path: Path | None) -> int:
    """The quick-capture box alone, for a desktop-wide hotkey."""
    if db_path is None:
        raise NotebookError("the capture window needs a notebook file")
    reason = no_display_reason()
    if reason is not None:
        raise NotebookError(reason)
    from notebook_app.gui.capture_window import run_capture_window

    return int(run_capture_window(db_path))


def open_review_window(db_path: Path | None) -> int:
    """The review window alone (``notebook-app review``)."""
    if db_path is None:
        raise NotebookError("the review window needs a notebook file")
    reason = no_display_reason()
    if reason is not None:
        raise NotebookError(reason)
    from notebook_app.gui.review_alone import run_review_window

    return int(run_review_window(db_path))


def open_window(db_path: Path) -> int:
    """Start the desktop window (imported here: the other commands must not load Qt)."""
    reason = no_display_reason()
    if reason is not None:
        raise NotebookError(reason)
    # Python's cycle collector rests while the window starts (run_window turns it on once the
    # window shows): a start builds tens of thousands of objects (modules, classes, widgets)
    # and no garbage, and the collector's ~80 passes over them cost about 12 ms of it.
    gc.disable()
    try:
        try:
            from notebook_app.gui.app import run_window  # type: ignore[import-not-found,unused-ignore]
        except ImportError as error:
            raise NotebookError(
                f"the window is not available ({error}); the command line works: "
                "notebook-app --help"
            ) from None
        return int(run_window(db_path))
    finally:
        gc.enable()  # if the window never showed
