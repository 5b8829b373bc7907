"""Start the window: build the application, settings and notebook here and pass them down."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

from notebook_app.core.api import (
    DamagedNotebookError,
    Notebook,
    NotebookError,
    ReadOnlyNotebookError,
)
from notebook_app.gui import settings as S
from notebook_app.gui.application import make_application
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.quit_signals import QuitOnSignals
from notebook_app.gui.settings import Settings
from notebook_app.gui.theme import apply_theme


def open_notebook(path: Path) -> tuple[Notebook, NotebookError | None]:
    """Open for writing; a read-only or damaged notebook opens for reading, with the reason
    (the window shows it in its banner). Any other problem is raised (a NotebookError)."""
    try:
        return Notebook.open(path), None
    except (ReadOnlyNotebookError, DamagedNotebookError) as problem:
        return Notebook.open(path, write=False), problem


class Session:
    """The window of one notebook at a time: Recover and Restore open another in its place."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.window: MainWindow | None = None
        self.notebook: Notebook | None = None

    def show(self, notebook: Notebook, problem: NotebookError | None) -> MainWindow:
        self.notebook = notebook
        window = self.window = MainWindow(notebook, self.settings, problem=problem)
        window.safety.reopen.connect(self.reopen)
        window.show()
        return window

    def reopen(self, path: Path) -> None:
        """Close this window (it saves first) and open ``path`` in a new one."""
        old, old_notebook = self.window, self.notebook
        try:
            notebook, problem = open_notebook(path)
        except NotebookError as error:
            QMessageBox.warning(old, "notebook-app", f"Cannot open the notebook:\n\n{error}")
            return
        app = make_application()
        app.setQuitOnLastWindowClosed(False)  # between the two windows there is none
        try:
            if old is not None and not old.close():
                notebook.close()
                return
            if old is not None:
                old.deleteLater()
            if old_notebook is not None:
                old_notebook.close()
            self.show(notebook, problem)
        finally:
            app.setQuitOnLastWindowClosed(True)

    def close(self) -> None:
        if self.notebook is not None:
            self.notebook.close()


def run_window(db_path: Path, settings_store: QSettings | None = None) -> int:
    """Open the notebook at ``db_path`` in a window and run until it closes.

    A notebook that cannot be opened at all (no notebook there, not a notebook, a folder...)
    raises its NotebookError before any window exists: the command line says it in one line."""
    notebook, problem = open_notebook(db_path)
    app = make_application()
    settings = Settings(settings_store or QSettings())
    apply_theme(app, settings.get(S.THEME))
    session = Session(settings)
    session.show(notebook, problem)
    QTimer.singleShot(0, start_collector)  # once the first frame is on its way
    # SIGTERM, SIGHUP and SIGINT close the window as Quit does: what was typed is saved.
    signals = QuitOnSignals(lambda: quit_window(session.window) if session.window else None)
    try:
        return app.exec()
    finally:
        signals.uninstall()
        session.close()


def start_collector() -> None:
    """Python's cycle collector on again after the start (``cli/window.py`` pauses it), with
    what the start built set aside first (``gc.freeze``): the modules, classes and widgets that
    live as long as the window are never walked again, so later passes stay short."""
    gc.freeze()
    gc.enable()


def quit_window(window: MainWindow) -> None:
    """Close ``window`` without questions (it saves and waits for the save), then quit."""
    window.setProperty("quitting", True)
    window.close()
    app = make_application()
    app.quit()
