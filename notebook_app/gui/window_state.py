"""What the window remembers between runs, kept by name: geometry, docks, splitters, which
panes show, the sort, the kind row and the last entry.

Each remembered thing is one line: ``state.keep(name, setting, read, write)``; ``restore``
writes every stored value back (in the order they were kept) and ``save`` reads them all. A
value never stored is left to the widget's own default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QWidget

from notebook_app.gui.settings import Setting, Settings


@dataclasses.dataclass
class _Kept:
    setting: Setting[Any]
    read: Callable[[], Any]
    write: Callable[[Any], object]


class WindowState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._kept: dict[str, _Kept] = {}

    def keep(
        self, name: str, setting: Setting[Any], read: Callable[[], Any],
        write: Callable[[Any], object],
    ) -> None:  # fmt: skip
        self._kept[name] = _Kept(setting, read, write)

    def keep_splitter(self, name: str, setting: Setting[QByteArray], splitter: QSplitter) -> None:
        self.keep(name, setting, splitter.saveState, splitter.restoreState)

    def keep_checked(self, name: str, setting: Setting[bool], action: QAction) -> None:
        self.keep(name, setting, action.isChecked, action.setChecked)

    def stored(self, name: str) -> bool:
        """Whether a value for ``name`` was saved by an earlier run."""
        value = self.settings.get(self._kept[name].setting)
        return not (isinstance(value, QByteArray) and value.isEmpty())

    def restore(self, *names: str) -> None:
        """Write the stored values back: those of ``names``, or all in the order kept."""
        for name in names or tuple(self._kept):
            kept = self._kept[name]
            if self.stored(name):
                kept.write(self.settings.get(kept.setting))

    def save(self) -> None:
        for kept in self._kept.values():
            self.settings.set(kept.setting, kept.read())
        self.settings.sync()


# The entry pane (form, editor and preview) never narrower than this: a window made small
# takes the room from the sidebar and the list first, so the editor and preview keep about
# 170 px each and the fields their text. Small enough for a window tiled on half of a 1280 px
# screen (the whole window's minimum is about 630 px with the outline shown).
ENTRY_PANE_MIN_WIDTH = 360


def first_run_columns(width: int) -> tuple[list[int], int]:
    """A first run's widths: the sidebar, the list and the entry pane (the main splitter), and
    the outline. The side columns are narrower on a small screen, never under what their text
    needs; the entry pane (editor and preview) gets the rest."""
    sidebar = 150 if width < 1200 else 190
    entries = 250 if width < 1200 else 330
    outline = 160 if width < 1200 else 210
    return [sidebar, entries, max(width - sidebar - entries - outline, 300)], outline


# Room left for the window manager's frame and title bar before the window is first shown.
FRAME_ALLOWANCE = (16, 40)


def fit_to_screen(window: QWidget, available: QRect) -> None:
    """Keep ``window`` within ``available`` (the screen's geometry less panels and docks): a
    first run's 1280×800 on a 1024×700 screen, or a window remembered from a larger screen,
    shrinks to fit and is centred; a window that fits stays where it is."""
    if window.isMaximized() or window.isFullScreen() or available.isEmpty():
        return
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    if not window.isVisible():  # the frame is not known before the window is shown
        extra_w, extra_h = max(extra_w, FRAME_ALLOWANCE[0]), max(extra_h, FRAME_ALLOWANCE[1])
    width = min(window.width(), available.width() - extra_w)
    height = min(window.height(), available.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    if not available.contains(frame):
        frame.moveCenter(available.center())
        frame.moveLeft(max(frame.left(), available.left()))
        frame.moveTop(max(frame.top(), available.top()))
        window.move(frame.topLeft())
