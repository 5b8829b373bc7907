"""The entry pane's fields: fill them from an entry, read the user's edits back as changes.

The form knows the widgets (from the Designer form) and the entry model, and nothing of the
database: the window decides when to save. ``edited`` fires on any user edit, never while the
form is being filled.

Title, tags and body have rules of their own; the other fields are bound from the table of
fields (``FIELDS``): each declared widget is filled and read by its field's codec, and used for
the kind whose page (``noteFields``, ``termFields``, ``meetingFields``) holds it. A declared
widget the Designer form lacks is made at the end of its kind's page.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from notebook_app.core.api import (
    FIELDS,
    Codec,
    Entry,
    Field,
    InvalidEntryError,
    Kind,
    choice_label,
    normalize_tag,
    parse_day,
)
from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
from notebook_app.gui.markdown_editor import continue_list
from notebook_app.gui.search_completion import TagCompletion
from notebook_app.gui.theme import show_unset_as_hint

UNTITLED = "Untitled"
# What each codec is edited with (a field of another codec cannot have a widget in the form).
_EDITORS: dict[Codec, type[QWidget]] = {
    Codec.TEXT: QLineEdit,
    Codec.DAY: QLineEdit,
    Codec.NAMES: QLineEdit,
    Codec.NUMBER: QLineEdit,
    Codec.LINES: QPlainTextEdit,
    Codec.CHOICE: QComboBox,
}


_TAG_SEPARATOR = re.compile(r"[,\s]+")  # between the tags typed in the field


def split_tags(text: str) -> tuple[list[str], list[str]]:
    """Tags typed as ``ml/rl, #safety evals``: the valid ones, and the ones that are not."""
    valid: list[str] = []
    invalid: list[str] = []
    for raw in _TAG_SEPARATOR.split(text):
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


def tag_at(text: str, cursor: int) -> tuple[int, int, str]:
    """The tag the cursor is in, as ``split_tags`` reads the field: where it starts and ends,
    and what is typed of it before the cursor (its ``#`` aside)."""
    start = cursor - len(_TAG_SEPARATOR.split(text[:cursor])[-1])
    end = cursor + len(_TAG_SEPARATOR.split(text[cursor:])[0])
    return start, end, text[start:cursor].lstrip("#")


@dataclasses.dataclass(frozen=True, slots=True)
class Binding:
    """A field and the widget that edits it, with the kinds whose fields page shows it."""

    field: Field
    widget: QWidget
    kinds: frozenset[Kind]


class EntryForm(QObject):
    """Binds the entry pane's widgets to one entry at a time."""

    edited = Signal()

    def __init__(self, ui: Ui_MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.kind: Kind | None = None
        self.problems: list[str] = []
        self._filling = False
        # A kind's page of the stack is the widget named after it: noteFields, termFields...
        self._pages: dict[Kind, QWidget] = {
            kind: getattr(ui, f"{kind.value}Fields") for kind in Kind
        }
        self.bindings = [self._bind(field) for field in FIELDS if field.widget]
        for line_edit in (ui.titleEdit, ui.tagsEdit):
            line_edit.textEdited.connect(self.edited)
        # The tag being typed completes, wherever it is in the field; a tag the field holds
        # already is not offered again.
        self.tag_completion = TagCompletion(
            ui.tagsEdit, tag_at, after="", taken=lambda rest: split_tags(rest)[0]
        )
        for line_edit in self._line_edits():
            line_edit.installEventFilter(self)  # see eventFilter: the start when not focused
        for binding in self.bindings:
            if isinstance(binding.widget, QPlainTextEdit):
                binding.widget.installEventFilter(self)  # see eventFilter: lists continue
        ui.editor.textChanged.connect(self._editor_changed)
        self.set_enabled(False)
        self._show_fields_page(Kind.NOTE)  # sized to one page before any entry

    def _bind(self, field: Field) -> Binding:
        editor = _EDITORS.get(field.codec)
        if editor is None:
            raise TypeError(f"the form cannot edit {field.codec.value} fields ({field.name})")
        widget = getattr(self.ui, field.widget or "", None)
        if widget is None:
            widget = self._add_widget(field, editor)
        elif not isinstance(widget, editor):
            raise TypeError(f"{field.widget} is not a {editor.__name__} (for {field.name})")
        kinds = frozenset(k for k, page in self._pages.items() if page.isAncestorOf(widget))
        if field.label:
            widget.setAccessibleName(field.label)
        if isinstance(widget, QComboBox):
            widget.addItem(field.hint or "", None)
            for member in field.choices or ():
                widget.addItem(choice_label(member), member)
            widget.activated.connect(self.edited)
            show_unset_as_hint(widget)  # the empty choice reads as a hint, not a value
        elif isinstance(widget, QLineEdit):
            widget.setPlaceholderText(field.hint or "")
            widget.textEdited.connect(self.edited)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlaceholderText(field.hint or "")
            widget.textChanged.connect(self._editor_changed)
        # A widget outside the kinds' pages is there for every kind.
        return Binding(field, widget, kinds or frozenset(Kind))

    def _add_widget(self, field: Field, editor: type[QWidget]) -> QWidget:
        """A widget for a field the Designer form does not have yet, at the end of its kind's
        page (so a new field is editable before anyone lays it out by hand)."""
        if len(field.kinds) != 1:
            raise TypeError(f"{field.widget} is not in the form (ui/main_window.ui)")
        (kind,) = field.kinds
        page = self._pages[kind]
        widget = editor(page)
        widget.setObjectName(field.widget or "")
        layout = page.layout()
        assert layout is not None  # every page of the Designer form has one
        layout.addWidget(widget)
        setattr(self.ui, widget.objectName(), widget)
        return widget

    def _line_edits(self) -> list[QLineEdit]:
        widgets = [binding.widget for binding in self.bindings]
        return [self.ui.titleEdit, self.ui.tagsEdit,
                *(w for w in widgets if isinstance(w, QLineEdit))]  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """A single-line field that loses the focus scrolls back to the start of its text: a
        long title, a URL or a list of names reads from its beginning ("https://…", not
        "…Still Can't Plan"), as a field filled from an entry does. In a multi-line field
        (action items), Enter continues a list."""
        if (
            isinstance(event, QFocusEvent)
            and event.type() == QEvent.Type.FocusOut
            and event.reason() != Qt.FocusReason.PopupFocusReason  # a completion's popup
            and isinstance(watched, QLineEdit)
        ):
            watched.setCursorPosition(0)
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QPlainTextEdit)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            # A meeting's action items are a task list: Enter continues "- [ ] " as the
            # editor does, and Enter on an empty item ends the list.
            return continue_list(watched)
        return False

    def _editor_changed(self) -> None:
        # Highlighting the note again (spell checking's underlines, a theme) says the text
        # changed when it did not: not an edit.
        if self._filling or self.ui.editor.highlighter.quiet:
            return
        self.edited.emit()

    def set_tag_completions(self, tags: list[str]) -> None:
        """The tag field's completions. One completion, its list replaced: a new completer set
        on the field takes the focus from it, and a save that changed the tags (counted again
        after it) sent the rest of what was being typed nowhere, or to the field's start."""
        self.tag_completion.set_tags(tags)

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.ui.titleEdit, self.ui.tagsEdit, self.ui.editor,
                       *(binding.widget for binding in self.bindings)):  # fmt: skip
            widget.setEnabled(enabled)

    def _show_fields_page(self, kind: Kind) -> None:
        """Show one kind's fields, the stack only as tall as that page (a QStackedWidget
        otherwise takes the tallest page's height, and a note would get the meeting's space).

        The stack's size hint counts only pages whose policy is not Ignored: the entry pane's
        layout is told it changed (updateGeometry) and gives the stack its full width again.
        Resizing the stack itself (adjustSize) would shrink it to that hint, about 100 px for
        a term's or a meeting's fields, until something else made the layout run.
        """
        for page in self._pages.values():
            policy = (QSizePolicy.Policy.Preferred if page is self._pages[kind]
                      else QSizePolicy.Policy.Ignored)  # fmt: skip
            page.setSizePolicy(policy, policy)
        stack = self.ui.kindFields
        stack.setCurrentWidget(self._pages[kind])
        stack.updateGeometry()

    def fill(self, entry: Entry | None) -> None:
        """Show ``entry`` (None empties the pane). Emits nothing."""
        ui = self.ui
        self._filling = True
        self.problems = []  # they were the last entry's
        blockers = [QSignalBlocker(w) for w in self._line_edits()]
        try:
            self.kind = entry.kind if entry else None
            self.set_enabled(entry is not None and entry.trashed is None)
            for binding in self.bindings:
                _show(binding, None if entry is None else getattr(entry, binding.field.name))
            if entry is None:
                ui.titleEdit.clear()
                ui.tagsEdit.clear()
                ui.editor.setPlainText("")
                return
            self._show_fields_page(entry.kind)
            ui.titleEdit.setText("" if entry.title == UNTITLED else entry.title)
            ui.tagsEdit.setText(" ".join(entry.tags))
            for line_edit in self._line_edits():
                line_edit.setCursorPosition(0)  # the start of a long value, not its end
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
        for binding in self.bindings:
            if self.kind in binding.kinds:
                try:
                    values[binding.field.name] = _read(binding)
                except InvalidEntryError as error:
                    self.problems.append(str(error))
        return values

    def focus_title(self) -> None:
        self.ui.titleEdit.setFocus()
        self.ui.titleEdit.selectAll()


def _show(binding: Binding, value: Any) -> None:
    """Put a field's value in its widget."""
    widget, codec = binding.widget, binding.field.codec
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QLineEdit):
        if value is None:
            text = ""
        elif codec is Codec.DAY:
            text = value.isoformat()
        elif codec is Codec.NAMES:
            text = ", ".join(value)
        elif codec is Codec.NUMBER:
            text = str(int(value)) if float(value).is_integer() else repr(value)
        else:
            text = str(value)
        widget.setText(text)


def _read(binding: Binding) -> Any:
    """A field's value as its widget holds it; InvalidEntryError if it cannot be one."""
    widget, field = binding.widget, binding.field
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText() or field.empty
    assert isinstance(widget, QLineEdit)
    text = widget.text().strip()
    if field.codec is Codec.NAMES:
        return [name.strip() for name in text.split(",") if name.strip()]
    if not text:
        return field.empty
    if field.codec is Codec.DAY:
        return parse_day(text)
    if field.codec is Codec.NUMBER:
        try:
            return float(text)
        except ValueError:
            raise InvalidEntryError(f"not a number: {text!r}") from None
    return text
