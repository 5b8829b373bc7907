"""A line of help drawn in an empty view: what to do when there is nothing, or nothing matches."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

MARGIN = 12


class EmptyHint(QLabel):
    """Covers the top of ``area`` (a view's viewport) and follows its size."""

    def __init__(self, area: QWidget) -> None:
        super().__init__(area)
        self.setObjectName("emptyListHint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()
        area.installEventFilter(self)
        self._fit(area)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self._fit(watched)
        return False

    def _fit(self, area: QWidget) -> None:
        self.setGeometry(MARGIN, 2 * MARGIN, max(area.width() - 2 * MARGIN, 80), 260)

    def say(self, text: str) -> None:
        self.setText(text)
        self.show()
