"""The window's settings, declared once with their type and default.

Settings live in QSettings (the platform's place for them). Each is declared below as a
:class:`Setting`; the window reads and writes them only through :class:`Settings`, which
converts the stored value back to the declared type (QSettings' INI backend returns strings)
and falls back to the default when a stored value is missing or unreadable.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T


# Window state, restored at start.
GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
MAIN_SPLITTER = Setting("window/mainSplitter", QByteArray, QByteArray())
EDITOR_SPLITTER = Setting("window/editorSplitter", QByteArray, QByteArray())
SHOW_EDITOR = Setting("view/showEditor", bool, True)
SHOW_PREVIEW = Setting("view/showPreview", bool, True)
SHOW_SIDEBAR = Setting("view/showSidebar", bool, True)
# Whether the outline is wanted; it shows only while the entry has headings (pane_sync.py).
SHOW_OUTLINE = Setting("view/showOutline", bool, True)
LAST_ENTRY = Setting("session/lastEntry", str, "")
LAST_KIND_ROW = Setting("session/kindRow", int, 0)
# Each view's sort, as JSON: {"term": "glossary", "note": "title", ...} (gui/sort_choice.py).
VIEW_SORTS = Setting("view/sorts", str, "")
# A list sorted by day shows a header per "day", "week" or "month" ("none": no headers);
# View > Group by Day (gui/list_groups.py).
LIST_GROUPING = Setting("view/listGrouping", str, "week")
# Preferences.
EDITOR_FONT_FAMILY = Setting("editor/fontFamily", str, "")
EDITOR_FONT_SIZE = Setting("editor/fontSize", int, 11)
# The editor in the system's fixed-pitch font (View > Monospace Editor Font); code and tables
# are in it either way.
EDITOR_MONOSPACE = Setting("editor/monospace", bool, False)
THEME = Setting("view/theme", str, "system")  # system, light or dark
# Points added to the editor's and the preview's font (View > Zoom In / Out / Actual Size).
ZOOM = Setting("view/zoom", int, 0)
# Spell checking in the editor (Edit > Check Spelling), off by default: it loads a dictionary.
SPELL_CHECK = Setting("editor/spellCheck", bool, False)
SPELL_LANGUAGE = Setting("editor/spellLanguage", str, "en")  # a key of spelling.LANGUAGES
# The preview: a single newline inside a paragraph is a space (strict CommonMark), not a break.
STRICT_LINE_BREAKS = Setting("preview/strictLineBreaks", bool, False)
# Backups (File > Backup Settings…). "" is the core's folder: "backups" beside the notebook,
# where `notebook-app backups` looks too. The size limit is in MB; 0 is no limit (the core's).
BACKUP_FOLDER = Setting("backups/folder", str, "")
BACKUP_MAX_MB = Setting("backups/maxMegabytes", int, 0)
# Two-way sync with a markdown folder (File > Sync Folder…, Sync Now; gui/sync_control.py). ""
# is none; the interval, in minutes, syncs while the window is open (0: only on Sync Now).
SYNC_FOLDER = Setting("sync/folder", str, "")
SYNC_INTERVAL_MINUTES = Setting("sync/intervalMinutes", int, 0)
SYNC_AFTER_SAVE = Setting("sync/afterSave", bool, False)  # a quiet sync once typing pauses


class Settings:
    """Typed access to a QSettings store (the window gets one from ``main()``)."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def get(self, setting: Setting[T]) -> T:
        raw: Any = self.store.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            if setting.type is bool:
                if isinstance(raw, str):
                    return raw.lower() in ("true", "1", "yes")  # type: ignore[return-value]
                return bool(raw)  # type: ignore[return-value]
            if isinstance(raw, setting.type):
                return raw
            return setting.type(raw)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.key, value)

    def sync(self) -> None:
        self.store.sync()
