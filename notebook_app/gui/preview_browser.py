"""The preview: shows rendered markdown, never holding the GUI thread for long.

An edit replaces only the sections that changed, a long note is laid out a few sections per
turn of the event loop, and what one section may hold is bounded by the renderer
(core/markdown/bounds.py). What it may load and where its links go: its base, safe_browser.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QWidget

from notebook_app.gui.safe_browser import SafeBrowser

_MAX_KNOWN_SECTIONS = 65_536  # a note at the 20 MB limit has ~30,000
_WHOLE_SHARE = 0.5  # replace the whole document when more than this share of it changed
# A note's HTML above this size, or with more sections, is loaded a step at a time.
_PROGRESSIVE_CHARS = 150_000
_PROGRESSIVE_SECTIONS = 400
# Qt's insertions slow down as a document grows (to tens of ms per section past ~2 MB of HTML):
# the preview shows at most this much of a note, then a notice.
_MAX_SHOWN_CHARS = 1_500_000
_NOT_SHOWN = (
    '<p class="render-notice"><i>The preview shows the beginning of this note: the rest is too '
    "long to lay out here. The editor holds all of it.</i></p>"
)
_NEW_SECTIONS = 64  # more new sections (each parsed to see how it ends): load the note anew
_TRIM_POSITIONS = 20_000  # removed at once when a load cuts the document's end off
_STEP_SECONDS = 0.02  # GUI-thread time one loading step may take (it stops after a section)


# (html, sections) -> the same with the notebook's answers applied (see set_rendered).
Decorate = Callable[[str, Sequence[str] | None], tuple[str, Sequence[str] | None]]


def _beginning(sections: Sequence[str]) -> list[str]:
    """The sections that fit in _MAX_SHOWN_CHARS, then the notice that the rest is not shown."""
    shown: list[str] = []
    total = 0
    for section in sections:
        total += len(section) + 1
        if total > _MAX_SHOWN_CHARS:
            break
        shown.append(section)
    return [*shown, _NOT_SHOWN]


class PreviewBrowser(SafeBrowser):
    """The preview of one note, updated section by section as it is edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The preview is rewritten in place on every edit (see set_rendered): no undo history.
        self.document().setUndoRedoEnabled(False)
        # What the document shows, unit by unit (None: not known, replace it all): the HTML of
        # each unit (see _units) and how many characters (positions) it takes in the document
        # (None until the first edit needs them: see _measure).
        self._shown: list[str] | None = None
        self._loaded: list[str] | None = None  # the sections of the last whole load
        self._ends_empty: dict[str, bool] = {}  # section HTML -> its last block is empty
        self._lengths: list[int] | None = None
        self._stylesheet: str | None = None
        # Parses one section at a time; kept, so its stylesheet is parsed once, not per section.
        self._scratch = QTextDocument(self)
        self._scratch.setUndoRedoEnabled(False)
        self._scratch_source: str | None = None  # the HTML the scratch document holds
        # A load under way (see _start_load): the sections to show, how many are in the
        # document, and the units made of them so far with their sizes (sections) and lengths.
        self._pending: list[str] | None = None
        self._next = 0
        self._load_units: list[str] = []
        self._load_sizes: list[int] = []
        self._load_lengths: list[int] = []
        self._fraction = 0.0  # where to scroll when the load ends
        self._trim_to: int | None = None  # the length to cut the document down to first
        self._load_timer = QTimer(self, singleShot=True, interval=0)
        self._load_timer.timeout.connect(self._load_step)
        # What only the notebook knows, applied to each render (links resolved, glossary
        # terms: gui/preview_links.py), and the stylesheet rules for it.
        self.decorate: Decorate | None = None
        self.decorate_css: Callable[[str], str] = lambda css: css

    def set_rendered(
        self, html: str, stylesheet: str, sections: Sequence[str] | None = None
    ) -> None:
        """Show ``html``, keeping the reader's place (proportionally).

        With ``sections`` (the HTML of each section, ``"\n".join(sections) == html``, as
        ``MarkdownRenderer.render_sectioned`` gives), only the sections that differ from the
        ones shown are replaced: laying out a long note again takes tens of milliseconds on
        the GUI thread, one section well under one.
        """
        if self.decorate is not None:
            html, sections = self.decorate(html, sections)
            stylesheet = self.decorate_css(stylesheet)
        if sections and sum(map(len, sections)) > _MAX_SHOWN_CHARS:
            sections = _beginning(sections)
            html = "\n".join(sections)
        if self._pending is not None:
            if sections and stylesheet == self._stylesheet:
                self._continue_load(list(sections))
                return
            self._pending = None
            self._load_timer.stop()
        scrollbar = self.verticalScrollBar()
        fraction = scrollbar.value() / scrollbar.maximum() if scrollbar.maximum() else 0.0
        if (
            sections
            and (self._shown or self._loaded)
            and stylesheet == self._stylesheet
            and self._new_sections(sections) <= _NEW_SECTIONS
        ):
            self._replace_changed(self._units(sections))
        else:
            self._set_all(html, stylesheet, sections)
        if self._pending is None:
            self.scroll_to_fraction(fraction)
        else:
            self._fraction = fraction

    def _new_sections(self, sections: Sequence[str]) -> int:
        """How many of ``sections`` are new to the preview (a whole load's are parsed on the
        first edit, as they always were)."""
        loaded = set(self._loaded) if self._loaded else ()
        return sum(s not in self._ends_empty and s not in loaded for s in sections)

    def is_loading(self) -> bool:  # a long note is being laid out a step at a time
        return self._pending is not None

    def _set_all(self, html: str, stylesheet: str, sections: Sequence[str] | None) -> None:
        document = self.document()
        document.setDefaultStyleSheet(stylesheet)
        if stylesheet != self._stylesheet:
            self._scratch.setDefaultStyleSheet(stylesheet)
            self._scratch_source = None
            self._ends_empty.clear()
        self._stylesheet = stylesheet
        if sections and (len(html) > _PROGRESSIVE_CHARS or len(sections) > _PROGRESSIVE_SECTIONS):
            self._start_load(list(sections))
            return
        document.setHtml(html)
        # Its units and their lengths are worked out when an edit first needs them, not here: a
        # note is opened far more often than edited, and both parse every section once more.
        self._loaded = list(sections) if sections else None
        self._shown = self._lengths = None

    def _measure(self, units: list[str]) -> list[int] | None:
        """How many positions each unit takes in the document; None if they do not add up."""
        lengths = [self._parse(unit).characterCount() for unit in units]
        # Each unit takes its characters plus one block separator, which is how the whole
        # HTML imports too; if Qt ever imports it otherwise, don't guess.
        return lengths if sum(lengths) == self.document().characterCount() else None

    def _units(self, sections: Sequence[str]) -> list[str]:
        """The sections, with each one whose last block is empty joined to the next one.

        Qt's HTML import puts the next block into an empty block (an empty list item, the
        block after a table) instead of starting one: such sections must be parsed together,
        as they are in the whole document, to come out the same.
        """
        units: list[str] = []
        pending: list[str] = []
        for section in sections:
            pending.append(section)
            if not self._section_ends_empty(section):
                units.append("\n".join(pending))
                pending = []
        if pending:
            units.append("\n".join(pending))
        return units

    def _section_ends_empty(self, section: str) -> bool:
        known = self._ends_empty.get(section)
        if known is None:
            if len(self._ends_empty) > _MAX_KNOWN_SECTIONS:
                self._ends_empty.clear()
            known = self._ends_empty[section] = self._parse(section).lastBlock().length() <= 1
        return known

    def _parse(self, section: str) -> QTextDocument:
        """A section on its own, parsed with the preview's stylesheet, in the scratch document
        (valid until the next call). It is never laid out, so it loads no resource: the
        preview loads them, through loadResource, when it shows them."""
        if section is not self._scratch_source:
            self._scratch.setHtml(section)
            self._scratch_source = section
        return self._scratch

    # -- a long note, a step at a time ---------------------------------------------------------

    def _start_load(self, sections: list[str]) -> None:
        """Empty the document and lay ``sections`` out over the next turns of the event loop."""
        self._loaded = self._shown = self._lengths = None
        self._pending, self._next, self._trim_to = sections, 0, 1
        self._load_units, self._load_sizes, self._load_lengths = [], [], []
        self._fraction = 0.0
        self._load_step()  # the first step now: the top of the note shows soon

    def _resume_load(self, units: list[str], keep: int) -> None:
        """Keep the first ``keep`` shown units (the same as ``units``'), load the rest."""
        assert self._lengths is not None
        lengths = self._lengths[:keep]
        self._loaded = self._shown = self._lengths = None
        self._pending, self._next, self._trim_to = units, keep, max(sum(lengths), 1)
        self._load_units, self._load_sizes, self._load_lengths = units[:keep], [1] * keep, lengths
        self._load_step()

    def _continue_load(self, sections: list[str]) -> None:
        """A newer render arrived during a load: keep the units it shares, load the rest."""
        assert self._pending is not None
        limit = min(self._next, len(sections))
        same = 0
        while same < limit and self._pending[same] == sections[same]:
            same += 1
        kept, consumed = 0, 0
        while kept < len(self._load_sizes) and consumed + self._load_sizes[kept] <= same:
            consumed += self._load_sizes[kept]
            kept += 1
        if kept < len(self._load_units):
            del self._load_units[kept:], self._load_sizes[kept:], self._load_lengths[kept:]
            self._trim_to = max(sum(self._load_lengths), 1)
        self._pending, self._next = sections, consumed
        self._load_timer.start()

    def _load_step(self) -> None:
        pending = self._pending
        if pending is None:
            return
        deadline = time.perf_counter() + _STEP_SECONDS
        if self._trim_to is not None and not self._trim(deadline):
            self._load_timer.start()
            return
        # No edit block: each section is laid out as it is inserted, so the deadline counts it.
        cursor = QTextCursor(self.document())
        while self._next < len(pending):
            start = end = self._next
            # A unit: sections whose last block is empty, joined to the next (see _units).
            while end < len(pending) - 1 and self._section_ends_empty(pending[end]):
                end += 1
            end += 1
            unit = pending[start] if end == start + 1 else "\n".join(pending[start:end])
            scratch = self._parse(unit)
            head = scratch.firstBlock()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            if self._load_units:
                cursor.insertBlock(head.blockFormat(), head.charFormat())
            else:
                cursor.setBlockFormat(head.blockFormat())
                cursor.setBlockCharFormat(head.charFormat())
            cursor.insertFragment(QTextDocumentFragment(scratch))
            self._load_units.append(unit)
            self._load_sizes.append(end - start)
            self._load_lengths.append(scratch.characterCount())
            self._next = end
            if time.perf_counter() > deadline:
                break  # (after one unit at least: a load always moves on)
        if self._next < len(pending):
            self._load_timer.start()
            return
        self._pending = None
        self._shown, self._lengths = self._load_units, self._load_lengths
        if sum(self._lengths) != self.document().characterCount():
            self._lengths = None  # an edit then replaces the whole (see _replace_changed)
        self.scroll_to_fraction(self._fraction)

    def _trim(self, deadline: float) -> bool:
        """Remove the document's end down to ``_trim_to`` positions, a slice at a time (Qt
        takes ~0.1 s to remove 100,000 positions); True when done."""
        assert self._trim_to is not None
        document = self.document()
        cursor = QTextCursor(document)
        while (count := document.characterCount()) > self._trim_to:
            # A unit's first block starts after the separator at (its start - 1): remove from
            # there, so the document ends where the unit before it ends.
            cursor.setPosition(max(self._trim_to - 1, count - 1 - _TRIM_POSITIONS))
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if document.characterCount() >= count:
                break  # nothing removed: never spin (Qt keeps the last block's separator)
            if document.characterCount() > self._trim_to and time.perf_counter() > deadline:
                return False
        self._trim_to = None
        return True

    def _replace_changed(self, new: list[str]) -> None:
        """Replace the run of shown sections that differs from ``new`` by ``new``'s run."""
        if self._shown is None:
            assert self._loaded is not None
            self._shown = self._units(self._loaded)
            self._lengths = self._measure(self._shown)
        old = self._shown
        if self._lengths is None:
            self._set_all("\n".join(new), self._stylesheet or "", new)
            return
        first = 0
        limit = min(len(old), len(new))
        while first < limit and old[first] == new[first]:
            first += 1
        if first == len(old) == len(new):
            return
        last = 0  # sections equal at the end, not overlapping the equal start
        while last < limit - first and old[-1 - last] == new[-1 - last]:
            last += 1
        # Replace at least one section on each side: then the edit is always "these blocks
        # become those", with no insertion between two untouched sections to special-case.
        if first == len(old) - last or first == len(new) - last:
            if first:
                first -= 1
            else:
                last -= 1
        old_end, new_end = len(old) - last, len(new) - last
        changed = sum(map(len, new[first:new_end]))
        if first in (old_end, new_end) or changed > _WHOLE_SHARE * sum(map(len, new)):
            # One side empty (nothing to anchor to), or most of it new (another note): one
            # parse of the whole is cheaper than many section inserts.
            self._set_all("\n".join(new), self._stylesheet or "", new)
            return
        if changed > _PROGRESSIVE_CHARS or new_end - first > _PROGRESSIVE_SECTIONS:
            # Too much to lay out at once: keep the start, load the rest a step at a time.
            self._resume_load(new, first)
            return
        start = sum(self._lengths[:first])
        span = sum(self._lengths[first:old_end])
        lengths = self._insert_sections(start, span, new[first:new_end])
        self._shown = new
        self._lengths[first:old_end] = lengths
        if sum(self._lengths) != self.document().characterCount():
            # Qt inserted a section differently from how the whole parse imports it (a section
            # that starts with a list, after an empty heading Qt drops, gains an empty block):
            # show the whole parse rather than a preview that differs from it.
            self._set_all("\n".join(new), self._stylesheet or "", new)

    def _insert_sections(self, start: int, span: int, sections: list[str]) -> list[int]:
        """Replace the ``span`` positions from ``start`` (whole sections, each with its
        trailing separator) by ``sections``; return their lengths."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one layout pass for the whole change
        cursor.setPosition(start)
        # Keep the last separator: it starts the next section's first block and holds its
        # format (the document's end for the last section).
        cursor.setPosition(start + span - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        lengths: list[int] = []
        for index, section in enumerate(sections):
            scratch = self._parse(section)
            head = scratch.firstBlock()
            # A fragment's first block joins the block at the cursor without its format: give
            # that block the format it has in the section, as a whole-document parse would.
            if index:
                cursor.insertBlock(head.blockFormat(), head.charFormat())
            else:
                cursor.setBlockFormat(head.blockFormat())
                cursor.setBlockCharFormat(head.charFormat())
            cursor.insertFragment(QTextDocumentFragment(scratch))
            lengths.append(scratch.characterCount())
        cursor.endEditBlock()
        return lengths

    def plain_document(self) -> QTextDocument:
        return self.document()
