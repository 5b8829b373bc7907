"""The editor's font: View > Editor Font… and View > Monospace Editor Font, remembered.

The monospace action is made here, checked from the setting and applied to the editor as
the window's actions are built (``actions.py`` adopts it), so the choice holds from the first frame.
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


def choose_font(window: MainWindow) -> None:
    """View > Editor Font…: the editor's font and size, applied now and remembered."""
    from PySide6.QtWidgets import QFontDialog

    editor = window.ui.editor
    ok, font = QFontDialog.getFont(editor.font(), window, "Editor font")
    if ok:
        editor.set_editor_font(font.family(), font.pointSize())
        window.settings.set(S.EDITOR_FONT_FAMILY, font.family())
        window.settings.set(S.EDITOR_FONT_SIZE, font.pointSize())
