"""What every editor has, for the open entry: find and replace, zoom, spell checking and the
entry's history. The window makes one ``EditorTools``; the commands' table (actions.py)
reaches these through it.

* Find (Ctrl+F) and replace (Ctrl+H) in the entry: a bar under the editor (find_bar.py); with
  no entry open, Ctrl+F goes to the notebook's search box (whose own keys are Ctrl+K, Ctrl+L).
* Zoom: Ctrl+= / Ctrl++ and Ctrl+- add or take a point from the editor's and the preview's
  fonts, Ctrl+Alt+0 goes back to their size (Ctrl+0 is the entry list); remembered.
* Spell checking (F7; the language in Edit > Spelling Language…): spelling.py; remembered.
* History (Ctrl+Shift+H): history_dialog.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QWidget

from notebook_app.gui import settings as S
from notebook_app.gui.spelling import LANGUAGES, Spelling

if TYPE_CHECKING:
    from notebook_app.gui.entry_form import EntryForm
    from notebook_app.gui.find_bar import FindBar
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.open_entry import OpenEntry
    from notebook_app.gui.settings import Settings
    from notebook_app.gui.tasks import TaskRunner

ZOOM_MIN, ZOOM_MAX = -6, 16  # points, from the chosen size
SPELLING_AFTER_MS = 1500  # after start-up, the dictionary is loaded (when checking is on)


class EditorTools(QObject):
    def __init__(
        self,
        window: QWidget,
        ui: Ui_MainWindow,
        settings: Settings,
        runner: TaskRunner,
        editing: OpenEntry,
        form: EntryForm,
    ) -> None:
        super().__init__(window)
        self.window, self.ui, self.settings = window, ui, settings
        self.runner, self.editing, self.form = runner, editing, form
        self._find_bar: FindBar | None = None  # made on first use
        # The preview's size before any zoom (the editor keeps its own: set_editor_font).
        self._preview_points = ui.preview.font().pointSizeF()
        self.zoom = 0
        self.set_zoom(settings.get(S.ZOOM))
        self.spelling = Spelling(runner, self)
        ui.editor.highlighter.spelling = self.spelling
        self.spelling.highlighter = ui.editor.highlighter
        spell_action = self._spell_action = window.findChild(QAction, "spellCheck")
        if spell_action is not None and settings.get(S.SPELL_CHECK):
            # Checked without its handler (no load yet): the dictionary is loaded once the
            # window is up, not while its first frame is being made.
            blocker = QSignalBlocker(spell_action)
            spell_action.setChecked(True)
            del blocker
            QTimer.singleShot(SPELLING_AFTER_MS, self.apply_spelling)

    # --- find and replace ----------------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        if self._find_bar is None:
            from notebook_app.gui.find_bar import FindBar
            from notebook_app.gui.window_keys import KeyRules

            self._find_bar = FindBar(self.ui.editor, self.ui.entryPane)
            # Made after the window's fields got their key rules: Ctrl+K, Ctrl+E are the window's.
            rules = KeyRules(self._find_bar)
            for field in (self._find_bar.find_edit, self._find_bar.replace_edit):
                field.installEventFilter(rules)
            layout = self.ui.entryLayout
            layout.insertWidget(layout.indexOf(self.ui.editorSplitter) + 1, self._find_bar)
        return self._find_bar

    def find(self, *, replace: bool = False) -> None:
        """Ctrl+F / Ctrl+H: find in the open entry; with none open, the notebook's search."""
        if self.editing.current is None or not self.ui.editor.isEnabled():
            if not replace:
                self.ui.searchBox.setFocus()
                self.ui.searchBox.selectAll()
            return
        if self.ui.editor.isHidden():
            self.ui.editor.show()
        self.find_bar.open(replace=replace)

    def find_again(self, *, backward: bool = False) -> None:
        """F3 / Shift+F3."""
        bar = self.find_bar
        if not bar.find_edit.text():
            self.find()
        elif backward:
            bar.find_previous()
        else:
            bar.find_next()

    # --- zoom ----------------------------------------------------------------------------------

    def set_zoom(self, points: int) -> None:
        """Editor and preview ``points`` larger (or smaller) than their chosen size."""
        self.zoom = max(ZOOM_MIN, min(ZOOM_MAX, points))
        self.ui.editor.set_zoom(self.zoom)
        font = self.ui.preview.font()
        font.setPointSizeF(max(self._preview_points + self.zoom, 4.0))
        self.ui.preview.setFont(font)
        if self.settings.get(S.ZOOM) != self.zoom:
            self.settings.set(S.ZOOM, self.zoom)

    def zoom_by(self, step: int) -> None:
        self.set_zoom(self.zoom + step)

    # --- spelling ------------------------------------------------------------------------------

    def apply_spelling(self) -> None:
        """As the settings say (at start, and after a change)."""
        on = self.settings.get(S.SPELL_CHECK)
        language = self.settings.get(S.SPELL_LANGUAGE)
        self.spelling.set_language(language if on and language in LANGUAGES else "")

    def spell_check_toggled(self) -> None:
        """Edit > Check Spelling (F7) was checked or unchecked."""
        if self._spell_action is not None:
            self.set_spell_check(self._spell_action.isChecked())

    def set_spell_check(self, on: bool) -> None:
        self.settings.set(S.SPELL_CHECK, on)
        self.apply_spelling()

    def choose_spelling_language(self) -> None:
        names = list(LANGUAGES.values())
        current = LANGUAGES.get(self.settings.get(S.SPELL_LANGUAGE), names[0])
        name, ok = QInputDialog.getItem(
            self.window, "Spelling language", "Check spelling in:", names,
            names.index(current), False,
        )  # fmt: skip
        if ok:
            code = next(code for code, label in LANGUAGES.items() if label == name)
            self.settings.set(S.SPELL_LANGUAGE, code)
            self.apply_spelling()

    # --- history -------------------------------------------------------------------------------

    def show_history(self) -> None:
        if self.editing.current is None:
            return
        from notebook_app.gui.history_dialog import HistoryDialog

        entry = self.editing.current
        dialog = HistoryDialog(
            self.editing, self.runner, lambda: entry.replace(**self.form.changes()), self.window
        )
        if self.editing.refused:
            dialog.restore_button.hide()  # read-only or damaged: nothing can be restored
        dialog.exec()
