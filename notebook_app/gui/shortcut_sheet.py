"""The Help menu's windows. The shortcut sheet (F1): every command and its keys, read from
the window's actions (built from ``actions.ACTIONS``), so it can never disagree with what the
keys really do; the keys of the panes; and the quick-capture grammar, read from the capture
module's own description. The sheet is as large as its text, within the screen (it scrolls
beyond that). And About.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

Sections = list[tuple[str, list[tuple[str, str]]]]
SCREEN_SHARE = 0.85  # of the screen's height and width, at most


def shortcut_table_html(sections: Sections) -> str:
    rows = []
    for title, commands in sections:
        rows.append(f"<tr><th colspan='2' align='left'><br>{html.escape(title)}</th></tr>")
        rows.extend(
            f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys)}</b></td></tr>"
            for name, keys in commands
        )
    return "<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"


class ShortcutSheet(QDialog):
    def __init__(
        self, sections: Sections, extra: list[tuple[str, str]], parent: QWidget,
        capture: str = "",
    ) -> None:  # fmt: skip
        """``capture``: the quick-capture grammar, as HTML (a section after the keys)."""
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        self.browser = QTextBrowser(self)
        text = shortcut_table_html([*sections, ("Lists and editor", extra)])
        if capture:
            text += f"<h3>Quick capture</h3>{capture}"
        self.browser.setHtml(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(self.fitting_size())

    def fitting_size(self) -> QSize:
        """The text's own size (its widest line, all its lines), within the screen."""
        document = self.browser.document().clone(self)
        document.setTextWidth(10_000)  # unbounded: the widest line sets the ideal width
        width = int(document.idealWidth()) + 60
        document.setTextWidth(width - 60)
        height = int(document.size().height()) + 90
        screen = (self.parentWidget() or self).screen().availableGeometry()
        return QSize(
            min(width, int(screen.width() * SCREEN_SHARE)),
            min(height, int(screen.height() * SCREEN_SHARE)),
        )


def show_shortcuts(window: MainWindow) -> ShortcutSheet:
    from notebook_app.gui.actions import EXTRA_KEYS, shortcut_sections
    from notebook_app.gui.welcome_page import capture_grammar_html

    sheet = ShortcutSheet(
        shortcut_sections(window.named_actions), EXTRA_KEYS, window, capture_grammar_html()
    )
    sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    sheet.open()
    return sheet


def show_about(window: MainWindow) -> None:
    """Help > About: the version and the notebook file shown."""
    from PySide6.QtWidgets import QMessageBox

    from notebook_app import __version__

    where = window.notebook.path or "memory"
    QMessageBox.about(
        window, "About notebook-app",
        f"<b>notebook-app {__version__}</b><br>A research notebook.<br><br>Notebook: {where}",
    )  # fmt: skip
