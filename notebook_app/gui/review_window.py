"""The review window: the due glossary terms one at a time, rated from the keyboard.

Review > Review Due Terms (Ctrl+Shift+V). Space shows the answer, 1-4 rate it (Again, Hard,
Good, Easy) through the core's FSRS scheduler, Ctrl+Z takes the last rating back, S suspends
the term (never due until unsuspended), Esc stops.
The counts (due, new, done in this sitting) are above the card.

Each rating is one task on the write lane: the rating (with the card's token, so a rating sent
twice counts once), then the next card, read by the same connection right after the rating is
committed, so one round trip shows the next card. Its back (the definition) is rendered on the
preview's render lane, formulas included, while the front is shown; the counts follow from the
count lane. The window's first card is read on the read lane.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notebook_app.core.api import Notebook
from notebook_app.gui.attachments import PreviewImages
from notebook_app.gui.preview_math import math_style
from notebook_app.gui.safe_browser import SafeBrowser
from notebook_app.gui.theme import preview_css

if TYPE_CHECKING:
    from notebook_app.core.api import CardView, DueCounts
    from notebook_app.gui.preview_math import Rendered
    from notebook_app.gui.tasks import TaskRunner

RATINGS = (("Again", 1), ("Hard", 2), ("Good", 3), ("Easy", 4))
FOLLOW_UP_MS = 30  # after a card is shown, its back and the counts (see _show)


@dataclasses.dataclass(frozen=True, slots=True)
class Shown:
    """What the window shows next: the card (None: nothing due)."""

    card: CardView | None
    rated: int = 0  # 1 when this came with a rating, -1 with an undo
    note: str = ""  # what became of the card before, when it was not rated


def read_next(notebook: Notebook, now: dt.datetime) -> Shown:
    """The card to show now (on any lane)."""
    from notebook_app.core.api import next_card

    return Shown(next_card(notebook, now))


def read_counts(notebook: Notebook, now: dt.datetime) -> DueCounts:
    """The counts above the card: read after the card is shown (they take longer than the
    card itself: ~10 ms at 10,000 terms), on the count lane."""
    from notebook_app.core.api import due_counts

    return due_counts(notebook, now)


def rate_and_read_next(notebook: Notebook, card: CardView, rating: int, now: dt.datetime) -> Shown:
    """Store the rating of ``card`` (once, by its token), then read what comes next."""
    from notebook_app.core.api import EntryNotFoundError, InvalidEntryError, review_term

    try:
        review_term(notebook, card.entry_id, rating, now, token=card.token)
    except (EntryNotFoundError, InvalidEntryError) as error:  # trashed or purged meanwhile
        return dataclasses.replace(read_next(notebook, now), note=f"Not rated: {error}.")
    return dataclasses.replace(read_next(notebook, now), rated=1)


def suspend_and_read_next(notebook: Notebook, card: CardView, now: dt.datetime) -> Shown:
    """Suspend the term (never due until `notebook-app unsuspend`) and read what comes next."""
    from notebook_app.core.api import set_suspended

    set_suspended(notebook, card.entry_id, True)
    note = f"Suspended “{card.title}”: `notebook-app unsuspend` brings it back."
    return dataclasses.replace(read_next(notebook, now), note=note)


def undo_and_show(notebook: Notebook, entry_id: str, now: dt.datetime) -> Shown:
    """Take back the last rating of ``entry_id`` and show that card again."""
    from notebook_app.core.api import card_view, undo_last_review

    undo_last_review(notebook, entry_id)
    return Shown(card_view(notebook, entry_id), rated=-1)


class ReviewWindow(QDialog):
    """Non-modal: the main window stays usable (to fix a definition) while reviewing."""

    countsChanged = Signal(object)  # DueCounts, after each card (the status bar's count)
    reviewed = Signal(str)  # the id of a term just rated (its status may have changed)

    def __init__(
        self,
        submit: Callable[..., object],
        write: Callable[..., None],
        clock: Callable[[], dt.datetime],
        parent: QWidget | None = None,
    ) -> None:
        """``submit``: the runner's; ``write``: ``OpenEntry.write`` (ratings wait for saves of
        the term being edited, and its reads wait for them)."""
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Review")
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(620, 520)
        self._submit, self._write, self._clock = submit, write, clock
        self.card: CardView | None = None
        self.revealed = False
        self.busy = False  # a rating is on its way: keys wait for the next card
        self.done_count = 0
        self.counts: DueCounts | None = None  # (the count lane's answer; None until it comes)
        self.back_html: str | None = None  # the back, once the render lane has drawn it
        self._rated: list[str] = []  # this sitting's ratings, for Ctrl+Z
        self.follow_up = QTimer(self, singleShot=True, interval=FOLLOW_UP_MS)
        self.follow_up.timeout.connect(self._follow_up)
        self._build()
        self._keys()
        # The definition's own images (attachment: URLs), answered as the preview answers them.
        lanes = cast("TaskRunner", types.SimpleNamespace(submit=submit))  # (its submit alone)
        self.images = PreviewImages(self.back, lanes, lambda: getattr(self.card, "entry_id", None))

    def _build(self) -> None:
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("reviewCounts")
        self.front = QLabel(self)
        self.front.setObjectName("reviewFront")
        self.front.setWordWrap(True)
        self.front.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.front.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.front.setFont(font)
        self.front.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.state_label = QLabel(self)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setEnabled(False)  # drawn muted
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        self.back = SafeBrowser(self)
        self.back.setObjectName("reviewBack")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space is "show", never "scroll"
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reveal_button = QPushButton("Show Answer  (Space)", self)
        self.reveal_button.clicked.connect(self.reveal)
        self.rate_buttons: list[QPushButton] = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.reveal_button)
        for name, value in RATINGS:
            button = QPushButton(f"{name}  ({value})", self)
            button.setObjectName(f"rate{name}")
            button.clicked.connect(lambda _checked=False, value=value: self.rate(value))
            self.rate_buttons.append(button)
            buttons.addWidget(button)
        for button in (self.reveal_button, *self.rate_buttons):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys are the window's, not a button's
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        layout.addStretch(1)
        layout.addWidget(self.front)
        layout.addWidget(self.state_label)
        layout.addWidget(line)
        layout.addWidget(self.back, 3)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)

    def _keys(self) -> None:
        bindings: list[tuple[str, Callable[[], object]]] = [
            ("Space", self.reveal),
            ("Return", self.reveal),
            ("Ctrl+Z", self.undo),
            ("S", self.suspend),
        ]
        for _name, value in RATINGS:
            bindings.append((str(value), functools.partial(self.rate, value)))
        for keys, handler in bindings:
            QShortcut(QKeySequence(keys), self).activated.connect(handler)
        # Esc closes (QDialog's own), so does Ctrl+W.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self).activated.connect(self.close)

    # --- the session ---------------------------------------------------------------------------

    def start(self) -> None:
        """Show the window and its first card (read on the read lane)."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.busy = True
        self._show_waiting("Finding the due terms…")
        now = self._clock()
        self._submit(
            "read",
            lambda notebook: read_next(notebook, now),
            done=self._show,
            failed=self._failed,
            key="review",
        )

    def reveal(self) -> None:
        if self.card is None or self.busy or self.revealed:
            return
        self.revealed = True
        self._update()

    def rate(self, rating: int) -> None:
        card = self.card
        if card is None or self.busy:
            return
        if not self.revealed:
            self.hint.setText("Show the answer first: Space.")
            return
        self.busy = True
        now = self._clock()
        self.reviewed.emit(card.entry_id)
        self._write(
            card.entry_id,
            lambda notebook: rate_and_read_next(notebook, card, rating, now),
            done=functools.partial(self._show, rated_id=card.entry_id),
            failed=self._failed,
        )

    def suspend(self) -> None:
        """S: this term is never due again until it is unsuspended."""
        card = self.card
        if card is None or self.busy:
            return
        self.busy = True
        now = self._clock()
        self._write(
            card.entry_id,
            lambda notebook: suspend_and_read_next(notebook, card, now),
            done=self._show,
            failed=self._failed,
        )

    def undo(self) -> None:
        if not self._rated or self.busy:
            return
        entry_id = self._rated.pop()
        self.busy = True
        now = self._clock()
        self._write(
            entry_id,
            lambda notebook: undo_and_show(notebook, entry_id, now),
            done=self._show,
            failed=self._failed,
        )
        self.reviewed.emit(entry_id)

    def _show(self, shown: Shown, rated_id: str | None = None) -> None:
        self.busy = False
        self.done_count += shown.rated
        if rated_id is not None and shown.rated:
            self._rated.append(rated_id)  # (a rating refused is no rating for Ctrl+Z to undo)
        self.card = shown.card
        self.revealed = False
        self.back_html = None
        self._update()
        if shown.note:
            self.hint.setText(f"{shown.note} {self.hint.text()}")
        # The back and the counts once the front is on screen: their work on other threads
        # would hold the GIL while this frame is drawn (20 ms instead of 7 at 10,000 terms).
        self.follow_up.start()

    def _follow_up(self) -> None:
        self._render_back(self.card)
        now = self._clock()
        self._submit(
            "count",
            lambda notebook: read_counts(notebook, now),
            done=self._show_counts,
            key="reviewCounts",
        )

    def _show_counts(self, counts: DueCounts) -> None:
        self.counts = counts
        self.countsChanged.emit(counts)
        self._show_count_line()
        if self.card is None:
            self._update()  # "n come due later today"

    def _show_count_line(self) -> None:
        counts = self.counts
        if counts is None:
            self.counts_label.setText(f"<b>{self.done_count}</b> done")
            return
        self.counts_label.setText(
            f"<b>{counts.due}</b> due · <b>{counts.new}</b> new · <b>{self.done_count}</b> done"
            + (f" · {counts.later_today} later today" if counts.later_today else "")
        )

    def _render_back(self, card: CardView | None) -> None:
        """The definition rendered as the preview renders it, formulas drawn, on the preview's
        render lane (while the front is read, so Space shows it at once)."""
        if card is None or card.empty_definition:
            return
        style = math_style(self.back)
        have = self.back.math_image_keys(style.ratio)
        text = card.definition
        self._submit(
            "render",
            lambda context: context.render(text, style, have),
            done=lambda rendered: self._back_rendered(card, rendered, style.ratio),
            key="reviewBack",
        )

    def _back_rendered(self, card: CardView, rendered: Rendered, ratio: float) -> None:
        if card is not self.card:
            return  # rated meanwhile
        self.back.set_math_images(rendered.keys, rendered.images, ratio)
        self.back.document().setDefaultStyleSheet(preview_css(self))
        self.back_html = str(rendered.result.html)
        if self.revealed:
            self._update()

    def _failed(self, error: Exception) -> None:
        self.busy = False
        self.hint.setText(f"Not rated: {error}")

    # --- drawing -------------------------------------------------------------------------------

    def _show_waiting(self, text: str) -> None:
        self.front.setText("")
        self.state_label.setText("")
        self.back.setHtml("")
        self.hint.setText(text)
        self._enable(False, False)

    def _enable(self, reveal: bool, rate: bool) -> None:
        self.reveal_button.setVisible(reveal)
        for button in self.rate_buttons:
            button.setVisible(rate)

    def _update(self) -> None:
        self._show_count_line()
        counts, card = self.counts, self.card
        if card is None:
            self.front.setText("Nothing to review now")
            self.state_label.setText("")
            self.back.setHtml("")
            later = (
                f"{counts.later_today} come due later today. "
                if counts is not None and counts.later_today
                else ""
            )
            self.hint.setText(f"{later}Esc closes the window.")
            self._enable(False, False)
            return
        self.front.setText(html.escape(card.front))
        self.state_label.setText(_state_text(card))
        if not self.revealed:
            self.back.setHtml("")
            self.hint.setText("Space shows the answer · S suspends the term")
            self._enable(True, False)
            return
        if card.empty_definition:
            self.back.setHtml(
                "<p><i>(no definition yet: edit the term to add one; it can be rated all "
                "the same)</i></p>"
            )
        elif self.back_html is None:
            self.back.setHtml("<p><i>Rendering…</i></p>")
        else:
            self.back.setHtml(self.back_html)
        self.hint.setText(
            "1 Again · 2 Hard · 3 Good · 4 Easy · S suspends · Ctrl+Z takes back the last"
        )
        self._enable(False, True)


def _state_text(card: Any) -> str:
    """ "new", or when it was last reviewed."""
    if card.last_review is None:
        return "new term"
    days = max(0, (dt.datetime.now(dt.UTC) - card.last_review).days)
    when = "today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
    return f"{card.state.value}, last reviewed {when}"
