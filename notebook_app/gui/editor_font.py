"""View > Monospace Editor Font: the editor's text in the system's fixed-pitch font, remembered.

The action is made here, checked from the setting and applied to the editor as the window's
actions are built (``actions.py`` adopts it), so the choice holds from the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from notebook_app.gui import settings as S

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow


def monospace_action(window: MainWindow) -> QAction:
    """A checkable action that switches the editor's font and remembers the choice."""
    action = QAction(window)
    action.setCheckable(True)
    monospace = window.settings.get(S.EDITOR_MONOSPACE)
    action.setChecked(monospace)
    if monospace:  # (off is how the editor starts: no font to set)
        window.ui.editor.set_monospace(monospace)

    def toggled(checked: bool) -> None:
        window.settings.set(S.EDITOR_MONOSPACE, checked)
        window.ui.editor.set_monospace(checked)

    action.toggled.connect(toggled)
    return action
