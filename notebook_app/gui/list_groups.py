"""View > Group by Day: headers per day, week or month in a list sorted by day.

The entry list's delegate draws them (gui/entry_delegate.py); this keeps the choice in the
settings (``LIST_GROUPING``), ticks it in the menu and lays the list out again, as its rows'
heights change with the headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notebook_app.gui import settings as S
from notebook_app.gui.entry_delegate import EntryDelegate

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow

GROUPINGS = ("day", "week", "month", "none")


def restore_list_grouping(window: MainWindow) -> None:
    """At start: the grouping chosen before (an unknown stored value: the default)."""
    grouping = window.settings.get(S.LIST_GROUPING)
    show_grouping(window, grouping if grouping in GROUPINGS else S.LIST_GROUPING.default)


def set_list_grouping(window: MainWindow, grouping: str) -> None:
    """The menu's choice: kept for the next runs, shown now."""
    window.settings.set(S.LIST_GROUPING, grouping)
    show_grouping(window, grouping)


def show_grouping(window: MainWindow, grouping: str) -> None:
    view = window.ui.entryList
    delegate = view.itemDelegate()
    assert isinstance(delegate, EntryDelegate)
    delegate.grouping = grouping
    window.named_actions[f"group_{grouping}"].setChecked(True)
    view.doItemsLayout()  # headers come or go: the rows' heights change
    view.viewport().update()
