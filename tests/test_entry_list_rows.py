"""The entry list's rows: a note's link (arXiv id or site) and status on its second line."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from notebook_app.core.api import (
    Entry,
    Kind,
    LearningStatus,
    Notebook,
    ReadingStatus,
    SourceType,
)
from notebook_app.gui.entry_delegate import EntryDelegate
from notebook_app.gui.main_window import MainWindow

DAY = dt.date(2024, 9, 25)


def test_a_row_shows_its_arxiv_id_or_site_and_its_status(
    qtbot, make_window: Callable[[], MainWindow], db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Paper", source_type=SourceType.PAPER,
                           url="https://arxiv.org/pdf/2409.13373v2.pdf", read_on=DAY,
                           reading_status=ReadingStatus.TO_READ, tags=("planning",)))  # fmt: skip
        notebook.add(Entry(kind=Kind.NOTE, title="Talk", source_type=SourceType.VIDEO,
                           url="https://www.youtube.com/watch?v=abc", read_on=DAY,
                           reading_status=ReadingStatus.DONE))  # fmt: skip
        notebook.add(Entry(kind=Kind.NOTE, title="Plain", read_on=DAY))
        notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="Many features.",
                           learning_status=LearningStatus.LEARNING))  # fmt: skip
    window = make_window()
    view = window.ui.entryList
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=5000)
    delegate = view.itemDelegate()
    assert isinstance(delegate, EntryDelegate)
    rows = {model.index(r, 0).data(): model.index(r, 0) for r in range(model.rowCount())}
    assert delegate.details(rows["Paper"]) == "2024-09-25 · arXiv 2409.13373 · to read  #planning"
    assert delegate.details(rows["Talk"]) == "2024-09-25 · youtube.com · done"
    assert delegate.details(rows["Plain"]) == "2024-09-25"
    assert delegate.details(rows["Superposition"]).endswith(" · learning")

    # What is drawn is that text: the row looks different when its details are taken away.
    viewport = view.viewport()
    rect = view.visualRect(rows["Paper"])
    drawn = viewport.grab(rect).toImage()
    delegate.details = lambda _index: ""  # type: ignore[method-assign]
    assert viewport.grab(rect).toImage() != drawn


def choose_sort(window: MainWindow, label: str) -> None:
    combo = window.ui.sortCombo
    combo.setCurrentIndex(combo.findText(label))
    combo.activated.emit(combo.currentIndex())  # as the user chooses it


def test_a_list_sorted_by_day_has_a_header_per_week_or_the_chosen_period(
    qtbot, make_window: Callable[[], MainWindow], db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    days = [dt.date(2024, 9, 30), dt.date(2024, 9, 25), dt.date(2024, 9, 23), dt.date(2024, 8, 1)]
    with Notebook.open(db_path) as notebook:
        for day in days:
            notebook.add(Entry(kind=Kind.NOTE, title=f"Read {day}", read_on=day))
    window = make_window()
    window.ui.kindList.setCurrentIndex(window.entry_list.kinds.index(1, 0))  # Notes
    view, model = window.ui.entryList, window.entry_list.entries
    delegate = view.itemDelegate()
    assert isinstance(delegate, EntryDelegate)
    choose_sort(window, "Title")
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=5000)
    assert delegate.grouping == "week"  # the default, ticked in the menu
    assert window.named_actions["group_week"].isChecked()

    def headers() -> list[str | None]:
        return [delegate.header(model.index(row, 0)) for row in range(model.rowCount())]

    assert headers() == [None] * 4  # sorted by title: no groups
    choose_sort(window, "Day")
    qtbot.waitUntil(lambda: model.rowCount() == 4 and model.rows[0].day == days[0], timeout=5000)
    assert headers() == [
        "Week 40, 2024 (30 Sep – 06 Oct)",
        "Week 39, 2024 (23 Sep – 29 Sep)",
        None,
        "Week 31, 2024 (29 Jul – 04 Aug)",
    ]
    # A row under a header is taller by the header's band, and the band is drawn.
    first, third = view.visualRect(model.index(0, 0)), view.visualRect(model.index(2, 0))
    assert first.height() > third.height()
    window.named_actions["group_month"].trigger()  # View > Group by Day > Month
    assert headers() == ["September 2024", None, None, "August 2024"]
    assert view.visualRect(model.index(1, 0)).height() == third.height()  # laid out again
    window.named_actions["group_none"].trigger()
    assert headers() == [None] * 4
    window.named_actions["group_day"].trigger()
    assert headers()[:2] == ["Monday 30 September 2024", "Wednesday 25 September 2024"]
    # The choice is remembered.
    window.close()
    again = make_window()
    again_delegate = again.ui.entryList.itemDelegate()
    assert isinstance(again_delegate, EntryDelegate) and again_delegate.grouping == "day"
    assert again.named_actions["group_day"].isChecked()
