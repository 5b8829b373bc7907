"""The shortcut sheet (F1): every menu action and its keys, read from the actions themselves,
so it can never disagree with what the keys really do."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenuBar, QTextBrowser, QVBoxLayout, QWidget


def shortcut_table_html(menu_bar: QMenuBar) -> str:
    rows = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        title = menu_action.text().replace("&", "")
        rows.append(f"<tr><th colspan='2' align='left'><br>{title}</th></tr>")
        for action in menu.actions():
            if action.isSeparator() or not action.text():
                continue
            keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
            name = action.text().replace("&", "").replace("…", "")
            rows.append(
                f"<tr><td>{name}</td><td><b>{'  or  '.join(keys) if keys else ''}</b></td></tr>"
            )
    return "<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"


class ShortcutSheet(QDialog):
    def __init__(self, menu_bar: QMenuBar, extra: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        browser = QTextBrowser(self)
        extra_rows = "".join(
            f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in extra
        )
        browser.setHtml(
            shortcut_table_html(menu_bar)
            + "<table cellspacing='0' cellpadding='3'><tr><th colspan='2' align='left'><br>"
            + "Lists and editor</th></tr>"
            + extra_rows
            + "</table>"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        self.resize(520, 640)


def action_keys(action: QAction) -> str:
    return ", ".join(s.toString() for s in action.shortcuts())
