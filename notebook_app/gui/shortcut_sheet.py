"""The shortcut sheet (F1): every command and its keys, read from the window's actions (built
from ``actions.ACTIONS``), so it can never disagree with what the keys really do."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

Sections = list[tuple[str, list[tuple[str, str]]]]


def shortcut_table_html(sections: Sections) -> str:
    rows = []
    for title, commands in sections:
        rows.append(f"<tr><th colspan='2' align='left'><br>{title}</th></tr>")
        rows.extend(f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in commands)
    return "<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"


class ShortcutSheet(QDialog):
    def __init__(self, sections: Sections, extra: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        browser = QTextBrowser(self)
        browser.setHtml(shortcut_table_html([*sections, ("Lists and editor", extra)]))
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        self.resize(520, 640)
