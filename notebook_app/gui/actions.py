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
               "Help": "&Help"}  # fmt: skip

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
               lambda w: w.transfers.export_vault(*w.entry_list.filter()), ("Ctrl+Shift+E",)),
    ActionSpec("exportCombined", "File", "Export Combined &Document…",
               lambda w: w.transfers.export_combined(*w.entry_list.filter()), ("Ctrl+Alt+E",)),
    ActionSpec("copyMarkdown", "File", "Copy Entry as &Markdown",
               lambda w: w.commands.copy_as_markdown(), ("Ctrl+Shift+C",)),
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
    ActionSpec("focusSearch", "Edit", "&Find…", lambda w: w.focus_search(),
               (StdKey.Find, "Ctrl+L"), separator=True),
    ActionSpec("quickSwitch", "Edit", "&Go to Entry…", lambda w: w.switcher.open_switcher(),
               ("Ctrl+P",)),
    ActionSpec("showSidebar", "View", "&Sidebar", lambda w: w.apply_visibility("showSidebar"),
               ("Ctrl+1",), checkable=True),
    ActionSpec("showEditor", "View", "&Editor", lambda w: w.apply_visibility("showEditor"),
               ("Ctrl+2",), checkable=True),
    ActionSpec("showPreview", "View", "&Preview", lambda w: w.apply_visibility("showPreview"),
               ("Ctrl+3",), checkable=True),
    ActionSpec("showOutline", "View", "&Outline", None, ("Ctrl+4",),
               adopt=lambda w: w.ui.outlineDock.toggleViewAction()),
    ActionSpec("toggleEditorPreview", "View", "Toggle Editor / Preview",
               lambda w: w.toggle_editor_preview(), ("Ctrl+E",)),
    ActionSpec("nextEntry", "View", "&Next Entry", lambda w: w.entry_list.step(1),
               ("Ctrl+PgDown", "Alt+Down"), separator=True),
    ActionSpec("previousEntry", "View", "P&revious Entry", lambda w: w.entry_list.step(-1),
               ("Ctrl+PgUp", "Alt+Up")),
    ActionSpec("goBack", "View", "&Back", lambda w: w.links.go(-1), ("Alt+Left",)),
    ActionSpec("goForward", "View", "For&ward", lambda w: w.links.go(1), ("Alt+Right",)),
    ActionSpec("showBacklinks", "View", "Back&links", lambda w: w.links.panel.toggle(),
               ("Ctrl+5",)),
    ActionSpec("strictLineBreaks", "View", "Strict CommonMark Line &Breaks",
               lambda w: w.links.toggle_strict_breaks(), checkable=True),
    ActionSpec("focusList", "View", "Focus Entry &List", lambda w: w.ui.entryList.setFocus(),
               ("Ctrl+0",)),
    ActionSpec("chooseFont", "View", "Editor &Font…", lambda w: w.choose_font(),
               separator=True),
    ActionSpec("theme_system", "View/Theme", "&System", lambda w: w.set_theme("system"),
               checkable=True, group="theme"),
    ActionSpec("theme_light", "View/Theme", "&Light", lambda w: w.set_theme("light"),
               checkable=True, group="theme"),
    ActionSpec("theme_dark", "View/Theme", "&Dark", lambda w: w.set_theme("dark"),
               checkable=True, group="theme"),
    ActionSpec("shortcuts", "Help", "&Keyboard Shortcuts", lambda w: w.show_shortcuts(),
               (StdKey.HelpContents,)),
    ActionSpec("about", "Help", "&About notebook-app", lambda w: w.show_about()),
]  # fmt: skip

# Keys that are not menu commands, for the shortcut sheet.
EXTRA_KEYS = [
    ("Open the selected entry's editor", "Enter"),
    ("Move in the entry list", "Up / Down"),
    ("Move the selected entry to the trash (in the list)", "Delete"),
    ("Clear the search (in the search box)", "Esc"),
    ("New list item (continues - , 1. and - [ ])", "Enter in a list"),
    ("Indent / outdent a list item", "Tab / Shift+Tab"),
    ("Link to an entry: choose a title (in the editor)", "[[ then Up / Down, Enter"),
    ("Follow a link or tick a task box (in the preview)", "Tab, Enter"),
    ("Turn an unlinked mention into a link (in Backlinks)", "L"),
]


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
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        title = spec.menu.split("/")[0]
        name = spec.text.replace("&", "").replace("…", "")
        sections.setdefault(title, []).append((name, "  or  ".join(keys)))
    return list(sections.items())
