"""Folded callouts in the preview: which are folded, and following a fold mark.

A foldable callout (``> [!note]-`` folded, ``> [!note]+`` open) shows its title with a ``▸`` /
``▾`` link (``fold:KEY``, core/markdown/callout_folds.py); following it (a click, or Tab to it
and Enter) folds or unfolds that callout and shows the note again. What the reader chose is
view state, kept in memory for the session by entry and callout (its number among the note's
foldable callouts; ``e.ID.N`` for those of an embedded note): the note's text never changes.
After a toggle from the keyboard, the mark keeps the focus, so Enter toggles it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import unquote

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

# (Plain string work, no Markdown: fine at start-up.)
from notebook_app.core.api import FOLD_MARK, fold_callouts
from notebook_app.gui.safe_browser import SafeBrowser, text_fragments


class CalloutFolds(QObject):
    changed = Signal()  # a callout was folded or unfolded: show the note again

    def __init__(self, preview: SafeBrowser, current: Callable[[], str | None]) -> None:
        """``current()``: the open entry's id (None for none)."""
        super().__init__(preview)
        self.preview, self._current = preview, current
        self._chosen: dict[str, dict[str, bool]] = {}  # entry id -> key -> folded
        self._shown: dict[str, bool] = {}  # key -> folded, as last shown (the open entry)
        self._refocus: str | None = None  # the href to select again once shown
        preview.foldActivated.connect(self.toggle)

    def apply(self, parts: Sequence[str], whole: str) -> list[str]:
        """The note's ``parts`` (``whole`` joined) with its callouts folded as chosen."""
        self._shown = {}
        if FOLD_MARK not in whole:  # one scan of the page, most often all it takes
            return list(parts)
        return [self._fold(part, len(self._shown)) if FOLD_MARK in part else part for part in parts]

    def apply_embedded(self, body: str, entry_id: str) -> str:
        """An embedded note's HTML with its callouts folded as chosen (keys ``e.ID.N``), after
        :meth:`apply` of the page it is in."""
        return self._fold(body, 0, f"e.{entry_id}.") if FOLD_MARK in body else body

    def _fold(self, html: str, first: int, prefix: str = "") -> str:
        """``html`` folded as chosen for the open entry (see fold_callouts), its callouts'
        state kept as shown."""
        chosen = self._chosen.get(self._current() or "", {})
        html, made = fold_callouts(
            html, first, lambda key, written: chosen.get(key, written), prefix
        )
        self._shown.update(made)
        return html

    def toggle(self, href: str) -> None:
        """A ``fold:KEY`` link followed: that callout the other way, and the note shown again
        (the mark selected again then, if the keyboard had it)."""
        key = unquote(href.partition(":")[2])
        current = self._current()
        if current is None or key not in self._shown:
            return
        self._chosen.setdefault(current, {})[key] = not self._shown[key]
        self._refocus = href if self.preview.hasFocus() else None
        self.changed.emit()

    def shown(self) -> None:
        """The note was shown again: after a toggle from the keyboard, select its mark."""
        href, self._refocus = self._refocus, None
        if href is None:
            return
        document = self.preview.document()
        for fragment in text_fragments(document):
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                end = fragment.position() + fragment.length()
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                self.preview.setTextCursor(cursor)
                # Its new tooltip ("Fold…" / "Show…"), as Tab to it would show it.
                self.preview.linkFocused.emit(href)
                return
