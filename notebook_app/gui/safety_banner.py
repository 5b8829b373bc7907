"""The slim bar above the entry pane that says what is wrong with the notebook file.

Two kinds: read-only (information: you can read, search and export) and damaged (a warning,
with the actions that help: Check, Recover…, Backups…, and Copy text when typed text could not
be saved). Its colours follow the theme (light or dark); its buttons are in the Tab chain and
the same commands are in the File menu.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from notebook_app.gui.theme import is_dark

READ_ONLY_TEXT = (
    "This notebook is read-only: you can read, search and export; changes can't be saved."
)

# (background, text, border) per kind and theme: a quiet blue for information, amber for damage.
BANNER_COLOURS = {
    ("info", False): ("#e8edfb", "#1d2a4d", "#b9c5ec"),
    ("info", True): ("#262c40", "#cfd8f5", "#3f4a6b"),
    ("warning", False): ("#fdf0cf", "#4a3600", "#e3bf5a"),
    ("warning", True): ("#3f3216", "#f6dea0", "#7c6428"),
}


class ColouredBar(QFrame):
    """A slim bar of a line of text and buttons, in its ``kind``'s colours for the current
    theme, which it follows (the theme switch changes the application's palette): the safety
    banner, and the rename offer (rename_offer.py). Hidden until shown.

    ``name``: its object name (its text's is ``name`` + "Text"); ``margins``: left, top,
    right, bottom."""

    def __init__(self, name: str, margins: tuple[int, int, int, int], parent: QWidget | None):
        super().__init__(parent)
        self.setObjectName(name)
        self.kind = "info"
        self._style = ""
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(*margins)
        layout.setSpacing(6)
        self.label = QLabel(self)
        self.label.setObjectName(f"{name}Text")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self.hide()

    def add_button(self, text: str, name: str, clicked: SignalInstance) -> QPushButton:
        """A button after the text (in the Tab chain, never the default) that emits
        ``clicked``."""
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(clicked.emit)
        self._layout.addWidget(button)
        return button

    def apply_colours(self) -> None:
        """The colours for the kind and the current theme: the application's palette says
        which (the bar's own is darkened by the dark background its style sheet gives it)."""
        background, text, border = BANNER_COLOURS[(self.kind, is_dark())]
        style = (
            f"QFrame#{self.objectName()} {{ background: {background};"
            f" border: 1px solid {border}; border-radius: 4px; }}"
            f" QLabel#{self.label.objectName()} {{ color: {text}; background: transparent; }}"
        )
        if style != self._style:  # setting it again would restyle, and come back here
            self._style = style
            self.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_colours()
        super().changeEvent(event)


class SafetyBanner(ColouredBar):
    """Hidden until ``show_read_only`` or ``show_damaged``; the buttons emit signals."""

    checkClicked = Signal()
    recoverClicked = Signal()
    backupsClicked = Signal()
    copyClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("safetyBanner", (10, 4, 6, 4), parent)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, signal in (
            ("check", "&Check", self.checkClicked),
            ("recover", "&Recover…", self.recoverClicked),
            ("backups", "&Backups…", self.backupsClicked),
            ("copy", "Copy te&xt", self.copyClicked),
        ):
            button = self.buttons[name] = self.add_button(text, f"safety_{name}", signal)
            button.hide()

    def show_read_only(self) -> None:
        if self.kind == "warning" and self.isVisible():
            return  # damage says more than read-only, and already says it is not written
        self._show("info", READ_ONLY_TEXT, [])

    def show_damaged(self, text: str) -> None:
        self._show("warning", text, ["check", "recover", "backups"])

    def offer_copy(self, note: str) -> None:
        """Typed text could not be saved: say where it is kept and offer to copy it."""
        self.buttons["copy"].show()
        self.label.setText(f"{self.label.text()} {note}")

    def _show(self, kind: str, text: str, buttons: list[str]) -> None:
        self.kind = kind
        self.label.setText(text)
        for name, button in self.buttons.items():
            button.setVisible(name in buttons)
        self.apply_colours()
        self.show()
