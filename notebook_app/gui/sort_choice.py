"""The sort box: each view (All, Notes, Glossary, Meetings, Trash) keeps a sort of its own,
remembered between runs; "Best match" is offered only while searching, where it is the default.

A glossary reads in your order, meetings by day, notes newest first; choosing another sort in
one view leaves the others as they were. The sort chosen while searching is one for all views
(a search is about the words, not the view) and is not remembered: a new search starts on the
best match.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QComboBox

from notebook_app.core.api import Sort
from notebook_app.gui.kind_list_model import ROWS

BEST_MATCH = "Best match"
LABELS: list[tuple[str, Sort]] = [
    ("Last updated", Sort.UPDATED),
    ("Created", Sort.CREATED),
    ("Day", Sort.DAY),
    ("Title", Sort.TITLE),
    ("Glossary order", Sort.GLOSSARY),
]


def _view_key(row: int) -> str:
    return ROWS[row].icon_name  # "all", "note", "term", "meeting", "trash": stable names


class SortChoice:
    """Fills ``combo`` for the view and search shown, and keeps what the user picks."""

    def __init__(self, combo: QComboBox) -> None:
        self.combo = combo
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._per_view: dict[str, str] = {}
        self._search_sort: Sort | None = None
        self._shown: tuple[int, bool] | None = None

    # --- what is remembered --------------------------------------------------------------------

    def saved(self) -> str:
        return json.dumps(self._per_view, sort_keys=True)

    def restore(self, stored: str) -> None:
        try:
            loaded = json.loads(stored) if stored else {}
        except ValueError:
            loaded = {}
        known = {sort.value for _label, sort in LABELS}
        if isinstance(loaded, dict):
            self._per_view = {str(k): v for k, v in loaded.items() if v in known}
        if self._shown is not None:
            self.show_for(*self._shown, force=True)

    # --- the box -------------------------------------------------------------------------------

    def sort_for(self, row: int, searching: bool) -> Sort | None:
        """The sort in force (None: best match)."""
        if searching:
            return self._search_sort
        value = self._per_view.get(_view_key(row))
        return Sort(value) if value else ROWS[row].sort

    def show_for(self, row: int, searching: bool, *, force: bool = False) -> None:
        """Offer the sorts that make sense in view ``row``, with its choice selected."""
        if self._shown == (row, searching) and not force:
            return
        self._shown = (row, searching)
        combo = self.combo
        combo.clear()
        if searching:
            combo.addItem(BEST_MATCH, "")
        glossary = ROWS[row].sort is Sort.GLOSSARY
        for label, sort in LABELS:
            if sort is not Sort.GLOSSARY or glossary:
                combo.addItem(label, sort.value)
        current = self.sort_for(row, searching)
        index = combo.findData(current.value if current else "")
        combo.setCurrentIndex(max(index, 0))
        # Never narrower than its longest label ("Glossary order" stays whole).
        combo.setMinimumWidth(combo.sizeHint().width())

    def chosen(self) -> None:
        """The user picked an item: it is this view's sort (or the search's) from now on."""
        if self._shown is None:
            return
        row, searching = self._shown
        value = self.combo.currentData() or ""
        if searching:
            self._search_sort = Sort(value) if value else None
        else:
            self._per_view[_view_key(row)] = value
