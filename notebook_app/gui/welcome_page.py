"""What the entry pane shows when no entry is open: what the app is, how to start, and the
quick-capture grammar, instead of an empty grey form.

The keys come from the window's actions (the commands' table), the grammar from the capture
module's own description, so neither can drift from what the app does. The page is built the
first time it is shown: a start that opens the last entry never pays for it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

ABOUT = (
    "A research notebook: log what you read with its link and a summary, keep a glossary of "
    "the terms you learn in your own order, record the people you meet, and find any of it "
    "again in a keystroke. Everything stays in one file on this computer."
)
START = ("newNote", "newTerm", "newMeeting")
IMPORT = ("importFolder", "importFile")


def key_text(action: QAction) -> str:
    """The action's first shortcut as this platform writes it ("" if it has none)."""
    shortcut = action.shortcut()
    return shortcut.toString(QKeySequence.SequenceFormat.NativeText) if shortcut else ""


def _inline(text: str) -> str:
    """A line of the capture description as HTML: ``code`` in code."""
    return re.sub(r"``(.+?)``", r"<code>\1</code>", html.escape(text, quote=False))


def capture_grammar_html() -> str:
    """The quick-capture grammar as the capture module describes it: its examples and rules."""
    from notebook_app.core.api import CAPTURE_GRAMMAR

    doc = CAPTURE_GRAMMAR
    examples = [line.strip() for line in doc.splitlines() if line.startswith("    ")]
    rules: list[str] = []
    for line in doc.splitlines():
        if line.startswith("* "):
            rules.append(line[2:].strip())
        elif line.startswith("  ") and rules and not line.startswith("    "):
            rules[-1] += " " + line.strip()
    # A rule's note for developers ("the rule is core/markdown/syntax.py's") is left out.
    rules = [re.sub(r";[^;()]*\.py's?", "", rule) for rule in rules]
    items = "".join(f"<li>{_inline(rule)}</li>" for rule in rules)
    code = "<br>".join(f"<code>{html.escape(example)}</code>" for example in examples)
    return f"<p>{code}</p><ul>{items}</ul>"


class WelcomePage(QScrollArea):
    """The page itself; ``actions`` are the window's, by name."""

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._actions = actions
        self._built = False
        self.heading = QLabel(self)
        self.heading.setObjectName("welcomeHeading")
        self.buttons: dict[str, QPushButton] = {}

    def build(self) -> None:
        if self._built:
            return
        self._built = True
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        self.heading.setParent(body)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self._text(f"<p>{html.escape(ABOUT)}</p><p><b>Start an entry</b></p>"))
        layout.addLayout(self._button_row(START))
        layout.addWidget(self._text("<p><b>Bring in what you have</b> (an Obsidian vault, a "
                                    "folder of markdown, a reading log, BibTeX)</p>"))  # fmt: skip
        layout.addLayout(self._button_row(IMPORT))
        capture = self._actions["quickCapture"]
        layout.addWidget(self._text(
            f"<p><b>Quick capture</b> ({html.escape(key_text(capture))}): one line becomes an "
            f"entry.</p>{capture_grammar_html()}"
            f"<p>{html.escape(key_text(self._actions['shortcuts']))} lists every key.</p>"
        ))  # fmt: skip
        layout.addStretch(1)
        self.setWidget(body)

    def _text(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _button_row(self, names: tuple[str, ...]) -> QHBoxLayout:
        row = QHBoxLayout()
        for name in names:
            action = self._actions[name]
            text = action.text().replace("&", "")
            keys = key_text(action)
            button = QPushButton(f"{text}   {keys}" if keys else text)
            button.setObjectName(f"welcome_{name}")
            button.clicked.connect(action.trigger)
            button.setEnabled(action.isEnabled())
            action.enabledChanged.connect(button.setEnabled)
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def say(self, has_entries: bool) -> None:
        """The heading: a welcome for an empty notebook, else how to open an entry."""
        self.build()
        if has_entries:
            keys = key_text(self._actions["focusList"])
            text = f"<h2>No entry open</h2><p>Choose one in the list ({html.escape(keys)}), or:</p>"
        else:
            text = "<h2>Welcome to notebook-app</h2>"
        self.heading.setText(text)
