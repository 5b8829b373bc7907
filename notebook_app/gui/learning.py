"""The learning loop in the window: the glossary view, review, reading activity, the reading
queue, related entries, opening a note's link, and the Anki and BibTeX exports.

``Learning`` is built by the main window (one line) and reached by the commands' table
(actions.py) as ``window.learning``. Every window it opens is made on first use: a start-up
builds only the status bar's count of due terms, which is read on the count lane a moment after
the first frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QLineEdit, QStyle

from notebook_app.core.api import Entry, Kind, Notebook

if TYPE_CHECKING:
    from notebook_app.core.api import DueCounts
    from notebook_app.gui.glossary_view import GlossaryPane
    from notebook_app.gui.learning_lists import EntryListWindow, QueueWindow
    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.reading_timeline import ReadingActivity
    from notebook_app.gui.review_window import ReviewWindow

WEB_SCHEMES = ("http", "https")  # the preview's rule (safe_browser.py): nothing else opens
DUE_COUNT_DELAY_MS = 1500  # after start-up's own reads


def web_link(text: str) -> QUrl | None:
    """The URL ``text`` names if it is an http(s) link, else None."""
    url = QUrl(text.strip(), QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in WEB_SCHEMES or not url.host():
        return None
    return url


class Learning(QObject):
    def __init__(self, window: MainWindow, open_url: Callable[[QUrl], object]) -> None:
        super().__init__(window)
        self.window, self._open_url = window, open_url
        self.runner = window.runner
        self.glossary: GlossaryPane | None = None
        self.glossary_dock: QDockWidget | None = None
        self.review_window: ReviewWindow | None = None
        self.activity: ReadingActivity | None = None
        self.queue_window: QueueWindow | None = None
        self.related_window: EntryListWindow | None = None
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.due_label = QLabel("", window)
        self.due_label.setObjectName("dueCount")
        window.ui.statusBar.addPermanentWidget(self.due_label)
        self._install_url_field()
        QTimer.singleShot(DUE_COUNT_DELAY_MS, self, self.count_due)

    def _say(self, text: str, milliseconds: int = 5000) -> None:
        self.window.say(text, milliseconds)

    # --- the due count -------------------------------------------------------------------------

    def count_due(self) -> None:
        from notebook_app.core.api import due_counts

        if not self.window.isVisible():
            return  # closed meanwhile: its lanes are stopped
        now = self.clock()
        self.runner.submit(
            "count",
            lambda notebook: due_counts(notebook, now),
            done=self.show_due,
            failed=lambda _error: None,
            key="dueCount",
        )

    def show_due(self, counts: DueCounts) -> None:
        total = counts.total
        self.due_label.setText(f"{total} to review" if total else "")
        self.due_label.setToolTip(
            f"{counts.due} due, {counts.new} new today; Ctrl+Shift+V reviews them"
        )

    # --- the glossary view ---------------------------------------------------------------------

    def toggle_glossary(self) -> None:
        """Show the glossary and go to it; from the glossary itself, hide it."""
        if self.glossary_dock is None:
            self._build_glossary()
        assert self.glossary_dock is not None and self.glossary is not None
        view = self.glossary.view
        if self.glossary_dock.isVisible() and view.hasFocus():
            self.glossary_dock.hide()
            return
        self.glossary_dock.show()
        self.glossary_dock.raise_()  # its tab in front of the outline's
        self.glossary.reload()
        view.setFocus()

    def _build_glossary(self) -> None:
        from notebook_app.gui.glossary_view import GlossaryPane, GlossaryView

        window = self.window
        dock = self.glossary_dock = QDockWidget("Glossary", window)
        dock.setObjectName("glossaryDock")
        view = GlossaryView(dock)
        dock.setWidget(view)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        # A tab beside the outline: the full height of the window for a long glossary.
        window.tabifyDockWidget(window.ui.outlineDock, dock)
        window.resizeDocks([dock], [300], Qt.Orientation.Horizontal)
        pane = self.glossary = GlossaryPane(view, self.runner.submit, window.editing.write, self)
        pane.message.connect(self._say)
        pane.termChosen.connect(lambda entry_id: window.editing.open(entry_id, reveal=False))
        pane.moved.connect(lambda _id: window.entry_list.refresh())
        window.editing.opened.connect(lambda entry, _reveal: pane.entry_opened(entry))
        window.editing.stored.connect(self._stored)
        if window.editing.current is not None:
            pane.entry_opened(window.editing.current)

    def _stored(self, entry: Entry, _tags_changed: bool) -> None:
        if (
            self.glossary is None
            or self.glossary_dock is None
            or not self.glossary_dock.isVisible()
        ):
            return
        if entry.kind is Kind.TERM:
            self.glossary.place_new_term(entry)
            self.glossary.reload()  # a title or status changed

    # --- review --------------------------------------------------------------------------------

    def review(self) -> None:
        if self.window.safety.read_only:
            self._say("This notebook is read-only: reviews cannot be stored.")
            return
        if self.review_window is None:
            from notebook_app.gui.review_window import ReviewWindow

            review = self.review_window = ReviewWindow(
                self.runner.submit, self.window.editing.write, lambda: self.clock(), self.window
            )
            review.countsChanged.connect(self._reviewed)
        self.review_window.start()

    def _reviewed(self, counts: DueCounts) -> None:
        self.show_due(counts)
        # A rating can change a term's learning status (a new version): show it.
        self.window.editing.check_outside_changes(force=True)
        self.window.entry_list.refresh()
        dock = self.glossary_dock
        if self.glossary is not None and dock is not None and dock.isVisible():
            self.glossary.reload()

    # --- reading -------------------------------------------------------------------------------

    def reading_activity(self) -> None:
        if self.activity is None:
            from notebook_app.gui.reading_timeline import ReadingActivity

            self.activity = ReadingActivity(self.runner.submit, parent=self.window)
            self.activity.entryChosen.connect(self._open_entry)
            self.activity.searchChosen.connect(self._search_list)
        self.activity.start()

    def reading_queue(self) -> None:
        from notebook_app.gui.learning_lists import QueueWindow

        if self.queue_window is None:
            self.queue_window = QueueWindow(
                self.runner.submit, self.window.editing.write, self.window
            )
            self.queue_window.entryChosen.connect(self._open_entry)
            self.queue_window.message.connect(self._say)
        self.queue_window.show_queue()

    def next_to_read(self) -> None:
        """Open the first note of the reading queue (in the user's order)."""
        from notebook_app.core.api import reading_queue

        def found(rows: list[Any]) -> None:
            if not rows:
                self._say("The reading queue is empty: no note is “to read”.")
                return
            self._open_entry(rows[0].id)
            self._say(f"Next to read: {rows[0].title}")

        self.runner.submit(
            "read", lambda notebook: reading_queue(notebook, 1), done=found, key="nextToRead"
        )

    def related(self) -> None:
        from notebook_app.gui.learning_lists import EntryListWindow, show_related

        current = self.window.editing.current
        if current is None:
            self._say("Open an entry to see the entries related to it.")
            return
        if self.related_window is None:
            self.related_window = EntryListWindow(
                "relatedEntries", "Related Entries", self.runner.submit, self.window
            )
            self.related_window.entryChosen.connect(self._open_entry)
        show_related(self.related_window, current.id, current.title)

    def _search_list(self, query: str) -> None:
        """The main list shows what ``query`` finds (the chart's period, from Reading Activity)."""
        window = self.window
        window.ui.searchBox.setText(query)
        window.entry_list.apply_query()
        window.activateWindow()
        window.ui.entryList.setFocus()

    def _open_entry(self, entry_id: str) -> None:
        self.window.editing.open(entry_id)
        self.window.activateWindow()

    # --- the link ------------------------------------------------------------------------------

    def _install_url_field(self) -> None:
        """Ctrl+Enter in the URL field, and a button at its end, open the link."""
        field: QLineEdit = self.window.ui.urlEdit
        icon = QIcon.fromTheme("internet-web-browser")
        if icon.isNull():
            icon = field.style().standardIcon(QStyle.StandardPixmap.SP_ArrowRight)
        action = QAction(icon, "Open link in the browser (Ctrl+Enter)", field)
        action.setObjectName("openUrlButton")
        action.triggered.connect(self.open_link)
        field.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            key = QShortcut(QKeySequence(keys), field)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(self.open_link)

    def open_link(self) -> None:
        """Open the entry's URL (as the field shows it, saved or not) in the browser, if it is
        an http(s) link."""
        current = self.window.editing.current
        if current is None:
            self._say("Open a note to open its link.")
            return
        text = self.window.ui.urlEdit.text() if current.kind is Kind.NOTE else ""
        text = text.strip() or (current.url or "").strip()
        if not text:
            self._say("This entry has no link.")
            return
        url = web_link(text)
        if url is None:
            self._say(f"Not opened: only http and https links open ({text[:80]}).", 8000)
            return
        self._open_url(url)
        self._say(f"Opened {url.toString()} in the browser", 4000)

    # --- exports -------------------------------------------------------------------------------

    def export_anki(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window,
            "Export the glossary as an Anki deck",
            "glossary.apkg",
            "Anki deck (*.apkg)",
        )
        if path:
            self.export_anki_to(Path(path))

    def export_anki_to(self, path: Path) -> None:
        from notebook_app.core.api import export_anki

        def done(counts: tuple[int, int]) -> None:
            self._say(f"Exported {counts[0]} terms ({counts[1]} cards) to {path.name}", 8000)

        self.runner.submit(
            "transfer",
            lambda notebook: export_anki(notebook, path),
            done=done,
            failed=lambda error: self._say(f"Not exported: {error}", 8000),
        )

    def export_bibtex(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window, "Export the papers as BibTeX", "papers.bib", "BibTeX (*.bib)"
        )
        if path:
            self.export_bibtex_to(Path(path))

    def export_bibtex_to(self, path: Path) -> None:
        def work(notebook: Notebook) -> int:
            from notebook_app.core.api import bibtex_document, select_entries

            text, count = bibtex_document(select_entries(notebook))
            aside = path.with_name(f".{path.name}.part")
            aside.write_text(text, encoding="utf-8")
            aside.replace(path)  # all or nothing
            return count

        self.runner.submit(
            "transfer",
            work,
            done=lambda count: self._say(f"Exported {count} papers to {path.name}"),
            failed=lambda error: self._say(f"Not exported: {error}", 8000),
        )


def install_learning(window: MainWindow, open_url: Callable[[QUrl], object]) -> Learning:
    return Learning(window, open_url)
