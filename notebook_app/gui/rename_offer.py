"""Renaming an entry offers to update the links that point at it.

When a save of the open entry stores another title (``OpenEntry.retitled``), the links naming
the title it had are counted on the read lane (``Notebook.link_rename``: only the links that
were the entry's, not those via an alias, in code, or that another entry answered). If there
are any, a slim bar under the title asks "3 links in 2 entries still name “Old”. Update them
to “New”?" with **Update Links** (Alt+U) and **Don't Update** (Alt+D); the bar takes no focus,
so typing goes on, and its buttons are in the Tab chain.

The old title is the one the entry had when this renaming began: renamed A→B→C before an
answer, the offer is for the links naming A (the links still hold A), to C. Updating or not
ends that renaming; so does a count that finds nothing.

**Update Links** runs ``Notebook.rename_links`` on the write lane: one transaction, each changed
entry saved once with its previous text in its history. The entry open in the editor is left
out of it and its links are rewritten in the editor instead, as one undoable edit that
autosaves as typing does: the update never writes over text typed there, before or while it
runs. Reads of the changed entries wait for the write (``OpenEntry.write``); afterwards the
list, the preview's links and the open entry refresh as for any change made elsewhere.
**Don't Update** leaves the links, which the preview then shows as missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from notebook_app.core.api import Entry, LinkRename, name_key, plural, retargeted
from notebook_app.gui.entry_form import UNTITLED
from notebook_app.gui.safety_banner import ColouredBar
from notebook_app.gui.search_marks import utf16_spans

if TYPE_CHECKING:
    from notebook_app.gui.main_window import MainWindow


def offer_text(plan: LinkRename) -> str:
    old = "”, “".join(plan.old_titles)
    links, entries = plural(plan.links, "link"), plural(plan.entries, "entry")
    return f"{links} in {entries} still name “{old}”. Update them to “{plan.new_title}”?"


class RenameBar(ColouredBar):
    """The offer: a line of text and two buttons; hidden until ``offer``."""

    accepted = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("renameBar", (10, 3, 6, 3), parent)
        self.update_button = self.add_button("&Update Links", "renameUpdate", self.accepted)
        self.keep_button = self.add_button("&Don't Update", "renameKeep", self.declined)

    def offer(self, text: str) -> None:
        self.label.setText(text)
        self.update_button.setToolTip("Alt+U")
        self.keep_button.setToolTip("Alt+D")
        self.apply_colours()
        self.show()


class RenameOffer:
    """Listens for renames of the open entry, counts, offers, updates (see the module's doc)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        ui = window.ui
        self.bar = RenameBar(ui.entryPane)
        ui.entryLayout.insertWidget(ui.entryLayout.indexOf(ui.titleEdit) + 1, self.bar)
        self.bar.accepted.connect(self.accept)
        self.bar.declined.connect(self.decline)
        self.entry_id: str | None = None  # the entry being renamed...
        self.old_title = ""  # ...and the title it had when the renaming began
        self.plan: LinkRename | None = None  # what the bar offers
        window.editing.retitled.connect(self.retitled)

    def retitled(self, entry: Entry, before: str) -> None:
        """A save stored the open entry's new title: count the links naming the old one."""
        if self.entry_id != entry.id:
            if before == UNTITLED or name_key(before) == name_key(entry.title):
                return  # a new entry's first title; a change of case (links still lead here)
            self._end()
            self.entry_id, self.old_title = entry.id, before
        entry_id, old, new = entry.id, self.old_title, entry.title
        self.window.runner.submit(
            "read",
            lambda notebook: notebook.link_rename(entry_id, [old], new),
            done=self._counted,
            failed=lambda _error: None,  # renamed again meanwhile: that save counts anew
            key="rename-links",
        )

    def _counted(self, plan: LinkRename) -> None:
        if plan.entry_id != self.entry_id:
            return
        if not plan.links:
            self._end()
            return
        if plan.name is None:
            self.window.say(
                f"Links naming “{self.old_title}” were left: an older entry is also called "
                f"“{plan.new_title}”, so they would lead there. An alias would let them follow.",
                12000,
            )
            self._end()
            return
        self.plan = plan
        self.bar.offer(offer_text(plan))

    def accept(self) -> None:
        plan = self.plan
        editing = self.window.editing
        if plan is None or plan.name is None:
            return
        open_entry = editing.current
        if open_entry is not None and open_entry.id == plan.entry_id:
            typed = self.window.ui.titleEdit.text().strip() or UNTITLED
            if typed != plan.new_title:  # retitled since: that save's count makes a new offer
                editing.flush()
                return
        editing.flush()  # the open entry's text goes first
        self._end()
        keys = {name_key(title) for title in plan.old_titles}
        exclude: set[str] = set()
        if open_entry is not None and open_entry.trashed is None:
            exclude.add(open_entry.id)
            self._rewrite_editor(keys, plan.name)
        entry_id, olds, new_title = plan.entry_id, list(plan.old_titles), plan.new_title
        sources = [source for source, _ in plan.sources if source not in exclude]

        def done(changed: list[str]) -> None:
            written = len(changed) + (
                open_entry is not None and open_entry.id in dict(plan.sources)
            )
            self.window.say(f"Updated the links in {plural(written, 'entry')}.")
            editing.check_outside_changes(force=True)

        editing.write(
            sources or [entry_id],
            lambda notebook: notebook.rename_links(entry_id, olds, new_title, exclude=exclude),
            done=done,
            failed=lambda error: self.window.say(f"Links not updated: {error}", 12000),
        )

    def _rewrite_editor(self, keys: set[str], name: str) -> None:
        """The open entry's links, rewritten where they are: one undo step, typed text kept."""
        editor = self.window.ui.editor
        text = editor.toPlainText()
        edits = retargeted(text, keys, name)
        if not edits:
            return
        spans = utf16_spans(text, [(start, end) for start, end, _ in edits])
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        for (start, end), (_, _, replacement) in reversed(list(zip(spans, edits, strict=True))):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement)
        cursor.endEditBlock()

    def decline(self) -> None:
        self._end()

    def _end(self) -> None:
        """This renaming is over (updated, declined, nothing to update, another entry's)."""
        refocus = self.bar.isAncestorOf(self.window.focusWidget())
        self.entry_id, self.old_title, self.plan = None, "", None
        self.bar.hide()
        if refocus:
            self.window.ui.editor.setFocus(Qt.FocusReason.OtherFocusReason)


def install_rename_offer(window: MainWindow) -> RenameOffer:
    return RenameOffer(window)
