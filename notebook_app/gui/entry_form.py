"""The entry pane's fields: fill them from an entry, read the user's edits back as changes.

The form knows the widgets (from the Designer form) and the entry model, and nothing of the
database: the window decides when to save. ``edited`` fires on any user edit, never while the
form is being filled.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QCompleter, QSizePolicy

from notebook_app.core.api import (
    Entry,
    InvalidEntryError,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    normalize_tag,
    parse_day,
)
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow

_KIND_PAGE = {Kind.NOTE: 0, Kind.TERM: 1, Kind.MEETING: 2}
UNTITLED = "Untitled"


def split_tags(text: str) -> tuple[list[str], list[str]]:
    """Tags typed as ``ml/rl, #safety evals``: the valid ones, and the ones that are not."""
    valid: list[str] = []
    invalid: list[str] = []
    for raw in re.split(r"[,\s]+", text):
        if not raw.strip("#"):
            continue
        try:
            tag = normalize_tag(raw)
        except InvalidEntryError:
            invalid.append(raw)
            continue
        if tag.casefold() not in {t.casefold() for t in valid}:
            valid.append(tag)
    return valid, invalid


def _optional_day(text: str) -> dt.date | None:
    text = text.strip()
    return parse_day(text) if text else None


class EntryForm(QObject):
    """Binds the entry pane's widgets to one entry at a time."""

    edited = Signal()

    def __init__(self, ui: Ui_MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.kind: Kind | None = None
        self.problems: list[str] = []
        ui.sourceTypeCombo.addItem("Source type", None)
        for source_type in SourceType:
            ui.sourceTypeCombo.addItem(source_type.value.capitalize(), source_type)
        ui.readingStatusCombo.addItem("No status", None)
        for status in ReadingStatus:
            ui.readingStatusCombo.addItem(status.value.replace("-", " ").capitalize(), status)
        ui.learningStatusCombo.addItem("No learning status", None)
        labels = {"want": "Want to learn", "learning": "Learning", "learned": "Learned"}
        for learning in LearningStatus:
            ui.learningStatusCombo.addItem(labels[learning.value], learning)
        for line_edit in self._line_edits():
            line_edit.textEdited.connect(self.edited)
        for combo in (ui.sourceTypeCombo, ui.readingStatusCombo, ui.learningStatusCombo):
            combo.activated.connect(self.edited)
        ui.editor.textChanged.connect(self._editor_changed)
        ui.actionItemsEdit.textChanged.connect(self._editor_changed)
        self._filling = False
        self.set_enabled(False)
        self._show_fields_page(_KIND_PAGE[Kind.NOTE])  # sized to one page before any entry

    def _line_edits(self) -> list[Any]:
        ui = self.ui
        return [ui.titleEdit, ui.tagsEdit, ui.urlEdit, ui.authorsEdit, ui.readOnEdit,
                ui.aliasesEdit, ui.metOnEdit, ui.whoEdit]  # fmt: skip

    def _editor_changed(self) -> None:
        if not self._filling:
            self.edited.emit()

    def set_tag_completions(self, tags: list[str]) -> None:
        completer = QCompleter(tags, self.ui.tagsEdit)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        self.ui.tagsEdit.setCompleter(completer)

    def set_enabled(self, enabled: bool) -> None:
        for widget in (*self._line_edits(), self.ui.editor, self.ui.actionItemsEdit,
                       self.ui.sourceTypeCombo, self.ui.readingStatusCombo,
                       self.ui.learningStatusCombo):  # fmt: skip
            widget.setEnabled(enabled)

    def _show_fields_page(self, index: int) -> None:
        """Show one kind's fields, the stack only as tall as that page (a QStackedWidget
        otherwise takes the tallest page's height, and a note would get the meeting's space)."""
        stack = self.ui.kindFields
        for page_index in range(stack.count()):
            policy = (QSizePolicy.Policy.Preferred if page_index == index
                      else QSizePolicy.Policy.Ignored)  # fmt: skip
            stack.widget(page_index).setSizePolicy(policy, policy)
        stack.setCurrentIndex(index)
        stack.adjustSize()

    def fill(self, entry: Entry | None) -> None:
        """Show ``entry`` (None empties the pane). Emits nothing."""
        ui = self.ui
        self._filling = True
        blockers = [QSignalBlocker(w) for w in self._line_edits()]
        try:
            self.kind = entry.kind if entry else None
            self.set_enabled(entry is not None and entry.trashed is None)
            if entry is None:
                for line_edit in self._line_edits():
                    line_edit.clear()
                ui.editor.setPlainText("")
                ui.actionItemsEdit.setPlainText("")
                return
            self._show_fields_page(_KIND_PAGE[entry.kind])
            ui.titleEdit.setText("" if entry.title == UNTITLED else entry.title)
            ui.tagsEdit.setText(" ".join(entry.tags))
            ui.urlEdit.setText(entry.url or "")
            ui.authorsEdit.setText(entry.authors or "")
            ui.readOnEdit.setText(entry.read_on.isoformat() if entry.read_on else "")
            _select_data(ui.sourceTypeCombo, entry.source_type)
            _select_data(ui.readingStatusCombo, entry.reading_status)
            ui.aliasesEdit.setText(", ".join(entry.aliases))
            _select_data(ui.learningStatusCombo, entry.learning_status)
            ui.metOnEdit.setText(entry.met_on.isoformat() if entry.met_on else "")
            ui.whoEdit.setText(entry.who or "")
            ui.actionItemsEdit.setPlainText(entry.action_items or "")
            if ui.editor.toPlainText() != entry.body:
                ui.editor.setPlainText(entry.body)
                ui.editor.document().clearUndoRedoStacks()
        finally:
            del blockers
            self._filling = False

    def changes(self) -> dict[str, Any]:
        """The fields as the user left them, ready for ``Notebook.update``.

        A value that cannot be used (a tag with a space, a date that is not a date) is left
        out and described in ``problems``, so the rest (above all the body) still saves.
        """
        ui = self.ui
        self.problems = []
        tags, invalid = split_tags(ui.tagsEdit.text())
        if invalid:
            self.problems.append(f"not valid tags, not saved: {' '.join(invalid)}")
        values: dict[str, Any] = {
            "title": ui.titleEdit.text().strip() or UNTITLED,
            "body": ui.editor.toPlainText(),
            "tags": tags,
        }
        if self.kind is Kind.NOTE:
            values["source_type"] = ui.sourceTypeCombo.currentData()
            values["url"] = ui.urlEdit.text().strip() or None
            values["authors"] = ui.authorsEdit.text().strip() or None
            values["reading_status"] = ui.readingStatusCombo.currentData()
            self._day(values, "read_on", ui.readOnEdit.text())
        elif self.kind is Kind.TERM:
            aliases = [a.strip() for a in ui.aliasesEdit.text().split(",")]
            values["aliases"] = [a for a in aliases if a]
            values["learning_status"] = ui.learningStatusCombo.currentData()
        elif self.kind is Kind.MEETING:
            values["who"] = ui.whoEdit.text().strip() or None
            values["action_items"] = ui.actionItemsEdit.toPlainText() or None
            self._day(values, "met_on", ui.metOnEdit.text())
        return values

    def _day(self, values: dict[str, Any], name: str, text: str) -> None:
        try:
            values[name] = _optional_day(text)
        except InvalidEntryError as error:
            self.problems.append(str(error))

    def focus_title(self) -> None:
        self.ui.titleEdit.setFocus()
        self.ui.titleEdit.selectAll()


def _select_data(combo: Any, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
