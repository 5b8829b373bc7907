"""The quick-capture box: type, Enter, done.

Opened over the main window with Ctrl+Shift+Space, or alone by ``notebook-app capture
--window`` (bound to a desktop-wide hotkey). The first line is the title; ``t:``/``m:`` make a
term or meeting, Tab cycles the kind, ``#tags`` become tags and a pasted URL the source (the
grammar is ``core.capture``). Enter saves, Shift+Enter adds a line, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from notebook_app.core.api import (
    Entry,
    InvalidEntryError,
    Kind,
    Notebook,
    NotebookError,
    capture_entry,
    guess_source_type,
    parse_capture,
)

KIND_CYCLE = [None, Kind.NOTE, Kind.TERM, Kind.MEETING]
KIND_LABELS = {None: "Note (t: term, m: meeting)", Kind.NOTE: "Note", Kind.TERM: "Glossary term",
               Kind.MEETING: "Meeting"}  # fmt: skip


class CaptureBox(QDialog):
    """A small box over whatever is on screen. ``captured`` carries the stored entry."""

    captured = Signal(object)

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        store: Callable[[Entry], object] | None = None,
    ) -> None:
        """``store(entry)``, when given, stores the entry (the window's stores it on a worker
        and emits ``captured`` once stored); otherwise the box adds it to ``notebook``."""
        super().__init__(parent)
        self.store = store
        self.setObjectName("captureBox")
        self.setWindowTitle("Quick capture")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.notebook = notebook
        self.kind_choice: Kind | None = None
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("captureText")
        self.text.setPlaceholderText(
            "Title first, then notes.  t: term   m: meeting   #tags   paste a URL\n"
            "Enter saves · Shift+Enter new line · Tab kind · Esc cancels"
        )
        self.text.setTabChangesFocus(False)
        self.text.installEventFilter(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("captureHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.addWidget(self.text)
        layout.addWidget(self.hint)
        self.resize(560, 150)
        self.text.textChanged.connect(self._update_hint)
        self._update_hint()

    def start(self) -> None:
        """Show empty and ready to type."""
        self.text.clear()
        self.kind_choice = None
        self._update_hint()
        parent = self.parentWidget()
        if parent is not None:
            geometry = parent.geometry()
            self.move(geometry.x() + (geometry.width() - self.width()) // 2, geometry.y() + 100)
        self.show()
        self.raise_()
        self.activateWindow()
        self.text.setFocus()

    def _update_hint(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.hint.setText(KIND_LABELS[self.kind_choice])
            return
        try:
            parsed = parse_capture(text, kind=self.kind_choice)
        except InvalidEntryError as error:
            self.hint.setText(str(error))
            return
        parts = [KIND_LABELS[parsed.kind], f"“{parsed.title}”"]
        parts += [f"#{tag}" for tag in parsed.tags]
        if parsed.url and parsed.kind is Kind.NOTE:
            parts.append(f"{guess_source_type(parsed.url).value}: {parsed.url}")
        elif parsed.url:
            parts.append(parsed.url)
        self.hint.setText("  ·  ".join(parts))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.text and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, modifiers = event.key(), event.modifiers()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if modifiers & Qt.KeyboardModifier.ShiftModifier:
                    self.text.insertPlainText("\n")
                else:
                    self.save()
                return True
            if key == Qt.Key.Key_Tab:
                self.cycle_kind()
                return True
            if key == Qt.Key.Key_Escape:
                self.reject()
                return True
        return super().eventFilter(watched, event)

    def cycle_kind(self) -> None:
        position = KIND_CYCLE.index(self.kind_choice)
        self.kind_choice = KIND_CYCLE[(position + 1) % len(KIND_CYCLE)]
        self._update_hint()

    def save(self) -> Entry | None:
        try:
            entry = capture_entry(self.text.toPlainText(), kind=self.kind_choice)
            if self.store is not None:
                entry.validate()  # a bad capture keeps the box open, as below
                self.accept()
                self.store(entry)
                return entry
            entry = self.notebook.add(entry)
        except NotebookError as error:
            self.hint.setText(str(error))
            return None
        self.captured.emit(entry)
        self.accept()
        return entry


def run_capture_window(db_path: Path) -> int:
    """``notebook-app capture --window``: the box alone; exit 0 once saved, 1 if cancelled."""
    from notebook_app.gui.application import make_application
    from notebook_app.gui.settings import THEME, Settings
    from notebook_app.gui.theme import apply_theme

    app = make_application()
    from PySide6.QtCore import QSettings

    apply_theme(app, Settings(QSettings()).get(THEME))
    try:
        notebook = Notebook.open(db_path)
    except NotebookError as error:
        QMessageBox.critical(None, "notebook-app", f"Cannot open the notebook:\n\n{error}")
        return 1
    try:
        box = CaptureBox(notebook)
        box.start()
        screen = QApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            box.move(area.center().x() - box.width() // 2, area.top() + area.height() // 4)
        return 0 if box.exec() == QDialog.DialogCode.Accepted else 1
    finally:
        notebook.close()
