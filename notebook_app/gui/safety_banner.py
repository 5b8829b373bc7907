"""The slim bar above the entry pane that says what is wrong with the notebook file.

Two kinds: read-only (information: you can read, search and export) and damaged (a warning,
with the actions that help: Check, Recover…, Backups…, and Copy text when typed text could not
be saved). Its colours follow the theme (light or dark); its buttons are in the Tab chain and
the same commands are in the File menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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


def banner_style(frame: QFrame, label: QLabel, kind: str) -> str:
    """The style sheet of a bar like this one (``frame`` and its text ``label``, each with an
    object name) in ``kind``'s colours for the current theme: the safety banner's, and the
    rename offer's (rename_offer.py)."""
    background, text, border = BANNER_COLOURS[(kind, is_dark(frame))]
    return (
        f"QFrame#{frame.objectName()} {{ background: {background}; border: 1px solid {border};"
        f" border-radius: 4px; }}"
        f" QLabel#{label.objectName()} {{ color: {text}; background: transparent; }}"
    )


class SafetyBanner(QFrame):
    """Hidden until ``show_read_only`` or ``show_damaged``; the buttons emit signals."""

    checkClicked = Signal()
    recoverClicked = Signal()
    backupsClicked = Signal()
    copyClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyBanner")
        self.kind = "info"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.setSpacing(6)
        self.label = QLabel(self)
        self.label.setObjectName("safetyBannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, signal in (
            ("check", "&Check", self.checkClicked),
            ("recover", "&Recover…", self.recoverClicked),
            ("backups", "&Backups…", self.backupsClicked),
            ("copy", "Copy te&xt", self.copyClicked),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"safety_{name}")
            button.setAutoDefault(False)
            button.clicked.connect(signal.emit)
            button.hide()
            layout.addWidget(button)
            self.buttons[name] = button
        self.hide()

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

    def apply_colours(self) -> None:
        """The colours for the kind and the current theme (called again when it changes)."""
        self.setStyleSheet(banner_style(self, self.label, self.kind))
