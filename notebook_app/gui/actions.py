"""The window's commands, declared once: name, menu, text, keys and handler.

The menus are built from this table and so is the F1 shortcut sheet (from the built actions'
real shortcuts), so neither can disagree with what the keys do. Each action is also added to
the window itself, so its shortcut works with the menu bar hidden.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from notebook_app.core.api import Kind
from notebook_app.gui.editor_font import choose_font, monospace_action
from notebook_app.gui.list_groups import set_list_grouping
from notebook_app.gui.window_keys import focus_sidebar

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

Keys = tuple[str | QKeySequence.StandardKey, ...]
StdKey = QKeySequence.StandardKey


@dataclasses.dataclass(frozen=True)
class ActionSpec:
    name: str  # the QAction's objectName
    menu: str  # "File", "Edit", "View", "View/Theme", "Help"
    text: str
    handler: Callable[[MainWindow], object] | None
    keys: Keys = ()
    checkable: bool = False
    separator: bool = False  # a separator before it in its menu
    group: str = ""  # checkable actions of one group exclude each other
    application_wide: bool = False  # works in any of the app's windows
    # An action another widget already has (the outline dock's toggle): used, not made.
    adopt: Callable[[MainWindow], QAction] | None = None


MENU_TITLES = {"File": "&File", "Edit": "&Edit", "View": "&View", "View/Theme": "&Theme",
               "View/Group": "Group by Da&y", "Help": "&Help"}  # fmt: skip


def _group_list(grouping: str) -> Callable[[MainWindow], object]:
    return lambda window: set_list_grouping(window, grouping)


def _show_about(window: MainWindow) -> None:
    from notebook_app.gui.shortcut_sheet import show_about  # loaded when asked for

    show_about(window)


ACTIONS: list[ActionSpec] = [
    ActionSpec("newNote", "File", "New &Note", lambda w: w.commands.new_entry(Kind.NOTE),
               (StdKey.New,)),
    ActionSpec("newTerm", "File", "New &Term", lambda w: w.commands.new_entry(Kind.TERM),
               ("Ctrl+Shift+T",)),
    ActionSpec("newMeeting", "File", "New &Meeting",
               lambda w: w.commands.new_entry(Kind.MEETING), ("Ctrl+Shift+M",)),
    ActionSpec("quickCapture", "File", "Quick &Capture…", lambda w: w.capture_box.start(),
               ("Ctrl+Shift+Space",), application_wide=True),
    ActionSpec("importFolder", "File", "&Import Folder…", lambda w: w.transfers.import_folder(),
               ("Ctrl+Shift+I",), separator=True),
    ActionSpec("importFile", "File", "Import &File…", lambda w: w.transfers.import_file(),
               ("Ctrl+Alt+I",)),
    ActionSpec("exportVault", "File", "&Export to Folder…",
               lambda w: w.transfers.export_vault(*w.entry_list.filter(), w.ui.resultLabel.text()),
               ("Ctrl+Shift+E",)),
    ActionSpec("exportCombined", "File", "Export Combined &Document…",
               lambda w: w.transfers.export_combined(
                   *w.entry_list.filter(), w.ui.resultLabel.text()
               ), ("Ctrl+Alt+E",)),
    ActionSpec("syncNow", "File", "S&ync Now", lambda w: w.sync.sync_now(), ("Ctrl+Shift+Y",),
               separator=True),
    ActionSpec("syncFolder", "File", "Sync F&older…", lambda w: w.sync.choose_folder()),
    ActionSpec("copyMarkdown", "File", "Copy Entry as Ma&rkdown",
               lambda w: w.commands.copy_as_markdown(), ("Ctrl+Shift+C",)),
    ActionSpec("exportAnki", "File", "Export Glossary as &Anki Deck…",
               lambda w: w.learning.export_anki()),
    ActionSpec("exportBibtex", "File", "Export &Papers as BibTeX…",
               lambda w: w.learning.export_bibtex()),
    ActionSpec("backups", "File", "&Backups…", lambda w: w.safety.show_backups(),
               separator=True),
    ActionSpec("backupSettings", "File", "Backup &Settings…",
               lambda w: w.safety.edit_backup_settings()),
    ActionSpec("checkNotebook", "File", "C&heck Notebook", lambda w: w.safety.check()),
    ActionSpec("recoverNotebook", "File", "Reco&ver Notebook…", lambda w: w.safety.recover()),
    ActionSpec("quit", "File", "&Quit", lambda w: w.close(), (StdKey.Quit,), separator=True),
    ActionSpec("undoTrash", "Edit", "&Undo Move to Trash", lambda w: w.commands.undo_trash(),
               (StdKey.Undo,)),
    ActionSpec("trashEntry", "Edit", "Move to &Trash", lambda w: w.commands.trash_current(),
               ("Ctrl+Delete",), separator=True),
    ActionSpec("restoreEntry", "Edit", "&Restore from Trash",
               lambda w: w.commands.restore_current(), ("Ctrl+Shift+R",)),
    ActionSpec("focusSearch", "Edit", "&Search the Notebook…", lambda w: w.focus_search(),
               ("Ctrl+K", "Ctrl+L"), separator=True),
    ActionSpec("quickSwitch", "Edit", "&Go to Entry…", lambda w: w.switcher.open_switcher(),
               ("Ctrl+P",)),
    ActionSpec("findInEntry", "Edit", "&Find in Entry…", lambda w: w.editor_tools.find(),
               (StdKey.Find,), separator=True),
    ActionSpec("replaceInEntry", "Edit", "R&eplace in Entry…",
               lambda w: w.editor_tools.find(replace=True), ("Ctrl+H",)),
    ActionSpec("findNext", "Edit", "Find &Next", lambda w: w.editor_tools.find_again(),
               ("F3",)),
    ActionSpec("findPrevious", "Edit", "Find Pre&vious",
               lambda w: w.editor_tools.find_again(backward=True), ("Shift+F3",)),
    ActionSpec("entryHistory", "Edit", "Entry &History…", lambda w: w.editor_tools.show_history(),
               ("Ctrl+Shift+H",), separator=True),
    ActionSpec("spellCheck", "Edit", "Check S&pelling",
               lambda w: w.editor_tools.spell_check_toggled(), ("F7",), checkable=True),
    ActionSpec("spellLanguage", "Edit", "Spelling &Language…",
               lambda w: w.editor_tools.choose_spelling_language()),
    ActionSpec("reviewTerms", "Edit", "Revie&w Due Terms…", lambda w: w.learning.review(),
               ("Ctrl+Shift+V",), separator=True),
    ActionSpec("nextToRead", "Edit", "Open Next to Rea&d", lambda w: w.learning.next_to_read(),
               ("Ctrl+Shift+N",)),
    ActionSpec("openLink", "Edit", "Open Lin&k in Browser", lambda w: w.learning.open_link(),
               ("Ctrl+Shift+O",)),
    ActionSpec("relatedEntries", "Edit", "Related Entr&ies…", lambda w: w.learning.related(),
               ("Ctrl+Shift+J",)),
    ActionSpec("showSidebar", "View", "&Sidebar", lambda w: w.apply_visibility("showSidebar"),
               ("Ctrl+1",), checkable=True),
    ActionSpec("showEditor", "View", "&Editor", lambda w: w.apply_visibility("showEditor"),
               ("Ctrl+2",), checkable=True),
    ActionSpec("showPreview", "View", "&Preview", lambda w: w.apply_visibility("showPreview"),
               ("Ctrl+3",), checkable=True),
    ActionSpec("showOutline", "View", "&Outline", lambda w: w.pane_sync.fit_outline(),
               ("Ctrl+4",), checkable=True),
    ActionSpec("toggleEditorPreview", "View", "Cycle Editor / Bot&h / Preview",
               lambda w: w.toggle_editor_preview(), ("Ctrl+E",)),
    ActionSpec("nextEntry", "View", "&Next Entry", lambda w: w.entry_list.step(1),
               ("Ctrl+PgDown", "Alt+Down"), separator=True),
    ActionSpec("previousEntry", "View", "P&revious Entry", lambda w: w.entry_list.step(-1),
               ("Ctrl+PgUp", "Alt+Up")),
    ActionSpec("goBack", "View", "&Back", lambda w: w.links.go(-1), ("Alt+Left",)),
    ActionSpec("goForward", "View", "For&ward", lambda w: w.links.go(1), ("Alt+Right",)),
    ActionSpec("showBacklinks", "View", "Bac&klinks", lambda w: w.links.panel.toggle(),
               ("Ctrl+5",)),
    ActionSpec("strictLineBreaks", "View", "Stri&ct CommonMark Line Breaks",
               lambda w: w.links.toggle_strict_breaks(), checkable=True),
    ActionSpec("focusList", "View", "Focus Entry &List",
               lambda w: w.entry_list.focus_open_entry(), ("Ctrl+0",)),
    ActionSpec("focusSidebar", "View", "Focus Si&debar", focus_sidebar,
               ("Ctrl+9",)),
    ActionSpec("showGlossary", "View", "&Glossary", lambda w: w.learning.toggle_glossary(),
               ("Ctrl+Shift+G",), separator=True),
    ActionSpec("readingActivity", "View", "Reading &Activity…",
               lambda w: w.learning.reading_activity(), ("Ctrl+Shift+A",)),
    ActionSpec("readingQueue", "View", "Reading &Queue…", lambda w: w.learning.reading_queue(),
               ("Ctrl+Shift+Q",)),
    ActionSpec("chooseFont", "View", "Editor &Font…", choose_font,
               separator=True),
    ActionSpec("monospaceEditor", "View", "&Monospace Editor Font", None,
               adopt=lambda w: monospace_action(w)),
    ActionSpec("zoomIn", "View", "Zoom &In", lambda w: w.editor_tools.zoom_by(1),
               ("Ctrl+=", "Ctrl++")),
    ActionSpec("zoomOut", "View", "Zoom O&ut", lambda w: w.editor_tools.zoom_by(-1),
               ("Ctrl+-",)),
    ActionSpec("zoomReset", "View", "Actual Si&ze", lambda w: w.editor_tools.set_zoom(0),
               ("Ctrl+Alt+0",)),
    ActionSpec("theme_system", "View/Theme", "&System", lambda w: w.set_theme("system"),
               checkable=True, group="theme"),
    ActionSpec("theme_light", "View/Theme", "&Light", lambda w: w.set_theme("light"),
               checkable=True, group="theme"),
    ActionSpec("theme_dark", "View/Theme", "&Dark", lambda w: w.set_theme("dark"),
               checkable=True, group="theme"),
    ActionSpec("group_day", "View/Group", "&Day", _group_list("day"), checkable=True,
               group="listGrouping"),
    ActionSpec("group_week", "View/Group", "&Week", _group_list("week"), checkable=True,
               group="listGrouping"),
    ActionSpec("group_month", "View/Group", "&Month", _group_list("month"), checkable=True,
               group="listGrouping"),
    ActionSpec("group_none", "View/Group", "&No Headers", _group_list("none"), checkable=True,
               group="listGrouping"),
    ActionSpec("shortcuts", "Help", "&Keyboard Shortcuts", lambda w: w.show_shortcuts(),
               (StdKey.HelpContents,)),
    ActionSpec("about", "Help", "&About notebook-app", lambda w: _show_about(w)),
]  # fmt: skip

# Keys that are not menu commands, for the shortcut sheet (window_keys.py binds most of them).
EXTRA_KEYS = [
    ("Next pane: search, kinds, tags, sort, list, title, fields, editor", "Tab / Shift+Tab"),
    ("Open the selected entry's editor", "Enter"),
    ("Move in the entry list", "Up / Down"),
    ("Move the selected entry to the trash (in the list)", "Delete"),
    ("Clear the search (in the search box)", "Esc"),
    ("Select or deselect a tag (in the tag tree)", "Space"),
    ("Open a list of choices (on a focused box)", "Alt+Down"),
    ("Close the capture box or a dialog without saving", "Esc"),
    ("New list item (continues - , 1. and - [ ])", "Enter in a list"),
    ("Indent / outdent a list item (in the editor)", "Tab / Shift+Tab"),
    ("Find bar: next / previous match, replace (in the replace field)", "Enter / Shift+Enter"),
    ("Close the find bar, back to the editor", "Esc"),
    ("Move the selected term up / down (in the glossary)", "Ctrl+Shift+Up / Ctrl+Shift+Down"),
    ("Open the link (in the URL field)", "Ctrl+Enter"),
    ("Review: show the answer; rate Again, Hard, Good, Easy", "Space; 1 – 4"),
    ("Link to an entry: choose a title (in the editor)", "[[ then Up / Down, Enter"),
    ("Complete a tag (in the tag field, after tag: in the search box)", "Up / Down, Enter, Tab"),
    ("Follow a link or tick a task box (in the preview)", "Tab, Enter"),
    ("Turn an unlinked mention into a link (in Backlinks)", "L"),
]
# Keys a shortcut may also have that a user's keyboard does not: the Sun "Undo" and "Find"
# keys, F13 and up. The sheet leaves them out (the actions keep them).
_PORTABLE_SPECIAL_KEYS = {
    Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backspace,
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Insert, Qt.Key.Key_Delete,
    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right,
    Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    *(Qt.Key(Qt.Key.Key_F1.value + n) for n in range(12)),
}  # fmt: skip


def _key_sequences(keys: Keys) -> list[QKeySequence]:
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences.extend(QKeySequence.keyBindings(key))
        else:
            sequences.append(QKeySequence(key))
    return sequences


def build_actions(window: MainWindow, table: list[ActionSpec] = ACTIONS) -> dict[str, QAction]:
    """Make the actions of ``table`` and the menus that hold them; returns them by name."""
    menus: dict[str, QMenu] = {}
    groups: dict[str, QActionGroup] = {}
    actions: dict[str, QAction] = {}
    bar = window.menuBar()
    for spec in table:
        menu = menus.get(spec.menu)
        if menu is None:
            parent_name, _, _ = spec.menu.rpartition("/")
            title = MENU_TITLES[spec.menu]
            menu = menus[parent_name].addMenu(title) if parent_name else bar.addMenu(title)
            menus[spec.menu] = menu
        if spec.separator:
            menu.addSeparator()
        action = spec.adopt(window) if spec.adopt else QAction(spec.text, window)
        action.setObjectName(spec.name)
        action.setText(spec.text)
        if spec.keys:
            action.setShortcuts(_key_sequences(spec.keys))
        if spec.application_wide:
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        handler = spec.handler
        if handler is not None:
            action.setCheckable(spec.checkable)
            if spec.checkable and not spec.group:
                action.toggled.connect(lambda _checked, h=handler: h(window))
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h(window))
        if spec.group:
            group = groups.get(spec.group) or groups.setdefault(spec.group, QActionGroup(window))
            group.addAction(action)
        menu.addAction(action)
        if not spec.group:
            window.addAction(action)  # shortcuts work even with the menu bar hidden
        actions[spec.name] = action
    return actions


def portable_keys(action: QAction, spec: ActionSpec | None = None) -> list[str]:
    """The action's shortcuts as this platform writes them, without keys few keyboards have
    (``Ctrl+Z`` for Undo, not ``Ctrl+Z, F14, Undo``) and without repeats. With its ``spec``,
    a standard key shows only its first binding, the one the platform names first."""
    sequences = action.shortcuts()
    if spec is not None and spec.keys:
        primary = [_key_sequences((key,))[:1] for key in spec.keys]
        sequences = [s for keys in primary for s in keys if s in sequences]
    texts: list[str] = []
    for sequence in sequences:
        keys = [sequence[i].key() for i in range(sequence.count())]  # type: ignore[index]
        if any(key.value >= Qt.Key.Key_Escape.value and key not in _PORTABLE_SPECIAL_KEYS
               for key in keys):  # fmt: skip
            continue
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if text and text not in texts:
            texts.append(text)
    return texts


def shortcut_sections(
    actions: dict[str, QAction], table: list[ActionSpec] = ACTIONS
) -> list[tuple[str, list[tuple[str, str]]]]:
    """For the shortcut sheet: per top menu, each command and its keys as the action has
    them now."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for spec in table:
        if spec.group:
            continue  # the theme choices have no keys
        action = actions[spec.name]
        title = spec.menu.split("/")[0]
        name = spec.text.replace("&", "").replace("…", "")
        sections.setdefault(title, []).append((name, ", ".join(portable_keys(action, spec))))
    return list(sections.items())
