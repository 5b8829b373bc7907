"""The one QApplication, shared by the window and the capture box started on its own.

A module of its own so that ``capture --window`` builds the application without importing the
main window's modules.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

ORGANIZATION = "notebook-app"
APPLICATION = "notebook-app"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("notebook-app")
    app.setDesktopFileName("notebook-app")
    return app
