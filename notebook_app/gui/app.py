"""Start the window: build the application, settings and notebook here and pass them down."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from notebook_app.core.api import Notebook, NotebookError
from notebook_app.gui import settings as S
from notebook_app.gui.application import make_application
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.quit_signals import QuitOnSignals
from notebook_app.gui.settings import Settings
from notebook_app.gui.theme import apply_theme


def run_window(db_path: Path, settings_store: QSettings | None = None) -> int:
    """Open the notebook at ``db_path`` in a window and run until it closes."""
    app = make_application()
    settings = Settings(settings_store or QSettings())
    apply_theme(app, settings.get(S.THEME))
    try:
        notebook = Notebook.open(db_path)
    except NotebookError as error:
        QMessageBox.critical(None, "notebook-app", f"Cannot open the notebook:\n\n{error}")
        return 1
    window = MainWindow(notebook, settings)
    # SIGTERM, SIGHUP and SIGINT close the window as Quit does: what was typed is saved.
    signals = QuitOnSignals(lambda: quit_window(window))
    window.show()
    try:
        return app.exec()
    finally:
        signals.uninstall()
        notebook.close()


def quit_window(window: MainWindow) -> None:
    """Close ``window`` without questions (it saves and waits for the save), then quit."""
    window.setProperty("quitting", True)
    window.close()
    app = make_application()
    app.quit()
