"""The learning loop in the window: the glossary view, review, reading activity, the queue,
opening links. Driven from the keyboard (and the mouse where the issue says "click"), offscreen,
on a notebook file and an INI settings file in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notebook_app.cli import main as cli_main
from notebook_app.core.api import (
    Entry,
    Kind,
    Notebook,
    ReadingStatus,
    Scope,
    Sort,
    SourceType,
    reads_on,
)
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.gui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "samples"
WindowFactory = Callable[[], MainWindow]


def press(keys: str, widget=None) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(keys)[0]
    target = widget or QApplication.focusWidget()
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())


def settle(window: MainWindow) -> None:
    """The workers' results delivered, and the review window's follow-up reads (its card's
    back and the counts, asked for a moment after the card is shown) too."""
    assert window.runner.wait(10)
    review = window.learning.review_window
    if review is not None and review.follow_up.isActive():
        review.follow_up.stop()
        review._follow_up()
        assert window.runner.wait(10)


def glossary_titles(db_path: Path) -> list[str]:
    with Notebook.open(db_path) as notebook:
        rows = notebook.search("", scope=Scope(kinds=frozenset({Kind.TERM})), sort=Sort.GLOSSARY)
        return [row.title for row in rows]


def add_terms(db_path: Path, *titles: str) -> list[str]:
    with Notebook.open(db_path) as notebook:
        return [notebook.add(Entry(kind=Kind.TERM, title=t, body=f"{t} means.")).id for t in titles]


# --- the glossary view ---------------------------------------------------------------------


def open_glossary(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    press("Ctrl+Shift+G", window)
    settle(window)
    pane = window.learning.glossary
    assert pane is not None and window.learning.glossary_dock.isVisible()  # type: ignore[union-attr]
    assert QApplication.focusWidget() is pane.view
    return pane.view


def shown(view) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    model = view.glossary
    return [
        tuple(model.index(row, column).data() for column in range(3))
        for row in range(model.rowCount())
    ]


def test_reorder_terms_from_the_keyboard_and_the_order_survives_a_restart(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_terms(db_path, "Alignment", "Superposition", "Circuit")
    window = make_window()
    view = open_glossary(qtbot, window)
    assert shown(view) == [
        ("1", "Alignment", "—"),
        ("2", "Superposition", "—"),
        ("3", "Circuit", "—"),
    ]
    view.setCurrentIndex(view.glossary.index(2, 1))  # Circuit (opens it)
    settle(window)
    assert window.editing.current is not None and window.editing.current.title == "Circuit"
    press("Ctrl+Shift+Up", view)
    press("Ctrl+Shift+Up", view)
    # The view moves at once; the selection follows the term.
    assert [t for _n, t, _s in shown(view)] == ["Circuit", "Alignment", "Superposition"]
    assert view.selected_id() == window.editing.current.id
    press("Ctrl+Shift+Down", view)
    settle(window)
    assert [t for _n, t, _s in shown(view)] == ["Alignment", "Circuit", "Superposition"]
    assert [n for n, _t, _s in shown(view)] == ["1", "2", "3"]
    assert glossary_titles(db_path) == ["Alignment", "Circuit", "Superposition"]
    window.close()
    window = make_window()
    view = open_glossary(qtbot, window)
    assert [t for _n, t, _s in shown(view)] == ["Alignment", "Circuit", "Superposition"]


def test_dragging_a_term_moves_it_and_statuses_are_shown(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.core.api import LearningStatus

    add_terms(db_path, "A", "B", "C", "D")
    with Notebook.open(db_path) as notebook:
        hit = notebook.search("B", scope=Scope(kinds=frozenset({Kind.TERM})))[0]
        notebook.update(hit.id, hit.version, learning_status=LearningStatus.LEARNING)
    window = make_window()
    view = open_glossary(qtbot, window)
    assert shown(view)[1] == ("2", "B", "learning")
    model = view.glossary
    # What the view does on a drop between rows: the dragged row's data, dropped at row 3.
    data = model.mimeData([model.index(0, 1)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert [t for _n, t, _s in shown(view)] == ["B", "C", "A", "D"]
    settle(window)
    assert glossary_titles(db_path) == ["B", "C", "A", "D"]
    # Dropped on a row: before that row. Dropped below the last: to the end.
    model.dropMimeData(
        model.mimeData([model.index(3, 1)]), Qt.DropAction.MoveAction, -1, 0, model.index(0, 1)
    )
    settle(window)
    model.dropMimeData(
        model.mimeData([model.index(1, 1)]), Qt.DropAction.MoveAction, -1, 0, QModelIndex()
    )
    settle(window)
    assert glossary_titles(db_path) == ["D", "C", "A", "B"]
    assert [t for _n, t, _s in shown(view)] == ["D", "C", "A", "B"]


def test_a_new_term_goes_after_the_selected_one(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_terms(db_path, "First", "Second", "Third")
    window = make_window()
    view = open_glossary(qtbot, window)
    view.setCurrentIndex(view.glossary.index(0, 1))
    settle(window)
    press("Ctrl+Shift+T", window)
    QTest.keyClicks(window.ui.titleEdit, "Inserted")
    window.ui.editor.setFocus()  # leaving the title saves
    qtbot.waitUntil(lambda: "Inserted" in glossary_titles(db_path), timeout=5000)
    settle(window)
    qtbot.waitUntil(lambda: glossary_titles(db_path)[1] == "Inserted", timeout=5000)
    assert glossary_titles(db_path) == ["First", "Inserted", "Second", "Third"]


# --- review --------------------------------------------------------------------------------


def test_review_three_due_terms_from_the_keyboard(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = add_terms(db_path, "Alpha", "Beta", "Gamma")
    window = make_window()
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    window.learning.clock = lambda: now
    press("Ctrl+Shift+V", window)
    review = window.learning.review_window
    assert review is not None
    settle(window)
    qtbot.waitUntil(lambda: review.card is not None)
    qtbot.waitUntil(review.isActiveWindow)  # its keys are the window's shortcuts
    assert review.front.text() == "Alpha" and "3</b> new" in review.counts_label.text()
    assert not review.back.toPlainText()  # the answer is hidden
    press("3", review)  # rating before the answer is shown: refused
    settle(window)
    assert review.card.title == "Alpha" and review.done_count == 0
    for title, rating in (("Alpha", "3"), ("Beta", "1"), ("Gamma", "4")):
        assert review.front.text() == title
        press("Space", review)
        assert f"{title} means." in review.back.toPlainText()
        press(rating, review)
        settle(window)
    assert review.done_count == 3
    assert "3</b> done" in review.counts_label.text()
    assert review.card is None and review.front.text() == "Nothing to review now"
    conn = sqlite3.connect(db_path)
    log = conn.execute(
        "SELECT e.id, l.rating FROM review_log l JOIN entries e ON e.seq = l.entry ORDER BY l.id"
    ).fetchall()
    assert log == [(ids[0], 3), (ids[1], 1), (ids[2], 4)]
    due = dict(
        conn.execute(
            "SELECT e.id, r.due FROM review_cards r JOIN entries e ON e.seq = r.entry"
        ).fetchall()
    )
    statuses = dict(conn.execute("SELECT id, learning_status FROM entries").fetchall())
    conn.close()
    when = {
        entry_id: dt.datetime.fromisoformat(due[entry_id].replace("Z", "+00:00")) - now
        for entry_id in ids
    }
    # FSRS's learning steps: Again in a minute, Good in ten; Easy graduates to days.
    assert when[ids[1]] == dt.timedelta(minutes=1)
    assert when[ids[0]] == dt.timedelta(minutes=10)
    assert when[ids[2]] >= dt.timedelta(days=1)
    assert all(statuses[entry_id] == "learning" for entry_id in ids)
    # Ctrl+Z takes back the last rating: Gamma is shown again and its log line is gone.
    press("Ctrl+Z", review)
    settle(window)
    assert review.card is not None and review.card.title == "Gamma" and review.done_count == 2
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 2
    conn.close()
    press("Escape", review)
    assert not review.isVisible()
    assert window.learning.due_label.text() == "1 to review"


def test_the_back_is_rendered_as_the_preview_renders_it_formulas_included(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Loss", body="The **loss** $x^2 + 1$ grows."))
    window = make_window()
    press("Ctrl+Shift+V", window)
    review = window.learning.review_window
    settle(window)
    qtbot.waitUntil(review.isActiveWindow)
    press("Space", review)
    assert review.back_html is not None
    assert "<strong>loss</strong>" in review.back_html
    assert 'src="math:' in review.back_html  # a drawn formula, not the $ source
    assert review.back.math_image_keys(review.back.devicePixelRatioF())
    assert "x^2" not in review.back.toPlainText()


def test_the_back_shows_the_definitions_images(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage, QTextDocument

    from notebook_app.core.attachments.store import store_new_file

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    with Notebook.open(db_path) as notebook:
        term = notebook.add(Entry(kind=Kind.TERM, title="Pic", body="See ![[fig.png]] here."))
        store_new_file(notebook, "fig.png", bytes(buffer.data().data()), term.id)
    window = make_window()
    press("Ctrl+Shift+V", window)
    review = window.learning.review_window
    settle(window)
    qtbot.waitUntil(review.isActiveWindow)
    press("Space", review)
    settle(window)
    kind = QTextDocument.ResourceType.ImageResource.value
    shown = review.back.document().resource(kind, QUrl("attachment:fig.png"))
    assert isinstance(shown, QImage) and shown.size().width() == 40  # not an empty image


def test_s_suspends_the_term_on_screen(qtbot, make_window: WindowFactory, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = add_terms(db_path, "Kept", "Next")
    window = make_window()
    press("Ctrl+Shift+V", window)
    review = window.learning.review_window
    settle(window)
    qtbot.waitUntil(review.isActiveWindow)
    assert review.card is not None and review.card.title == "Kept"
    press("S", review)
    settle(window)
    assert review.card is not None and review.card.title == "Next"
    assert "Suspended" in review.hint.text()
    conn = sqlite3.connect(db_path)
    suspended = conn.execute(
        "SELECT e.id FROM review_cards r JOIN entries e ON e.seq = r.entry WHERE r.suspended = 1"
    ).fetchall()
    conn.close()
    assert suspended == [(ids[0],)]
    assert review.counts is not None and review.counts.suspended == 1


def test_a_term_trashed_while_on_screen_is_passed_over(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = add_terms(db_path, "Gone", "Next")
    window = make_window()
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    window.learning.clock = lambda: now
    press("Ctrl+Shift+V", window)
    review = window.learning.review_window
    settle(window)
    qtbot.waitUntil(review.isActiveWindow)
    assert review.card is not None and review.card.title == "Gone"
    with Notebook.open(db_path) as notebook:  # (as the main window's Delete would)
        notebook.trash(ids[0])
    press("Space", review)
    press("3", review)
    settle(window)
    # Not rated, said by its title, and the next card instead of a window stuck on it.
    assert review.card is not None and review.card.title == "Next"
    assert "'Gone' is in the trash" in review.hint.text() and review.done_count == 0
    press("Ctrl+Z", review)  # nothing of this sitting to take back
    settle(window)
    assert review.card is not None and review.card.title == "Next"


# --- reading activity ----------------------------------------------------------------------


@pytest.fixture
def reading_log_db(db_path: Path) -> Path:
    with Notebook.open(db_path) as notebook:
        apply_import(notebook, plan_import(notebook, FIXTURES / "reading-log.md"))
    return db_path


def test_the_chart_matches_stats_json_and_a_click_filters_the_timeline(
    qtbot, make_window: WindowFactory, reading_log_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    press("Ctrl+Shift+A", window)
    activity = window.learning.activity
    assert activity is not None
    settle(window)
    qtbot.waitUntil(activity.isActiveWindow)
    stats = activity.stats
    # The last twelve months hold no reads (the log is older): the chart opens on its year.
    assert stats is not None and stats.total > 0 and stats.last.month == 12
    capsys.readouterr()
    assert (
        cli_main(
            ["--db", str(reading_log_db), "stats", "--json", "--until", stats.last.isoformat()]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    chart = activity.chart
    assert [w.count for w in chart.weeks] == [w["total"] for w in printed["weeks"]]
    assert {d.first.isoformat(): d.count for d in chart.days if d.count} == printed["days"]
    assert sum(w.count for w in chart.weeks) == printed["total"] == len(activity.reads)
    # The timeline lists every read under a header per week.
    model = activity.model
    listed = sum(model.item(row).rowCount() for row in range(model.rowCount()))
    assert listed == printed["total"]
    # Clicking the busiest day narrows the list to that day's reads.
    busiest = max((d for d in chart.days), key=lambda d: d.count)
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=busiest.rect.center().toPoint())
    settle(window)  # the period's reads are read on the read lane
    with Notebook.open(reading_log_db) as notebook:
        expected = {s.id for s in reads_on(notebook, busiest.first)}
    assert len(expected) == busiest.count > 0
    assert model.rowCount() == 1
    group = model.item(0)
    listed_ids = {
        group.child(row).data(Qt.ItemDataRole.UserRole + 1) for row in range(group.rowCount())
    }
    assert listed_ids == expected
    words = f"{len(expected)} read" + ("s" if len(expected) > 1 else "")
    assert activity.filter_label.text().startswith(f"{words}, ")
    # Show in Entry List: the main list searches for that day's notes.
    assert activity.in_list_button.isEnabled(), activity.filter_label.text()
    # (Alt+L under a real display: the offscreen platform has no mnemonics.)
    activity.in_list_button.click()
    settle(window)
    day = busiest.first
    assert window.ui.searchBox.text() == (
        f"kind:note after:{day.isoformat()} before:{(day + dt.timedelta(1)).isoformat()}"
    )
    listed_in_main = {
        window.entry_list.entries.entry_id(row)
        for row in range(window.entry_list.entries.rowCount())
    }
    assert expected <= listed_in_main
    activity.activateWindow()
    qtbot.waitUntil(activity.isActiveWindow)
    # Esc goes back to the whole year; Enter on a read opens it.
    press("Escape", activity)
    assert activity.period is None and activity.isVisible()
    first_read = model.item(0).child(0)
    activity.timeline.setCurrentIndex(first_read.index())
    press("Return", activity.timeline)
    settle(window)
    assert window.editing.current is not None
    assert window.editing.current.id == first_read.data(Qt.ItemDataRole.UserRole + 1)


def test_the_chart_can_be_driven_from_the_keyboard(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    with Notebook.open(db_path) as notebook:
        for days_ago, kind in ((0, SourceType.PAPER), (0, SourceType.VIDEO), (7, None)):
            notebook.add(
                Entry(
                    kind=Kind.NOTE,
                    title=f"Read {days_ago} {kind}",
                    read_on=today - dt.timedelta(days=days_ago),
                    source_type=kind,
                )
            )
    window = make_window()
    press("Ctrl+Shift+A", window)
    activity = window.learning.activity
    settle(window)
    qtbot.waitUntil(activity.isActiveWindow)  # type: ignore[union-attr]
    chart = activity.chart  # type: ignore[union-attr]
    qtbot.waitUntil(chart.hasFocus)
    assert chart.picked is chart.weeks[-1]  # this week
    press("Return", chart)
    settle(window)
    assert activity.period == (chart.weeks[-1].first, chart.weeks[-1].last)  # type: ignore[union-attr]
    assert len(activity.shown_reads()) == 2  # type: ignore[union-attr]
    press("Left", chart)
    press("Return", chart)
    settle(window)
    # Seven days ago is always in the week before this one.
    assert [row.text for row in activity.shown_reads()] == ["Read 7 None"]  # type: ignore[union-attr]
    assert chart.picked is chart.weeks[-2]


def test_latest_reads_come_latest_day_first_and_stop_at_the_limit(db_path: Path) -> None:
    from notebook_app.core.api import latest_reads

    start = dt.date(2025, 1, 1)
    with Notebook.open(db_path) as notebook:
        for n in range(12):
            notebook.add(Entry(kind=Kind.NOTE, title=f"Day {n}", read_on=start + dt.timedelta(n)))
        notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Queued",
                read_on=start + dt.timedelta(20),
                reading_status=ReadingStatus.TO_READ,
            )
        )
        rows = latest_reads(notebook, start, start + dt.timedelta(30), limit=5)
        assert [r.title for r in rows] == ["Day 11", "Day 10", "Day 9", "Day 8", "Day 7"]
        rows = latest_reads(notebook, start + dt.timedelta(2), start + dt.timedelta(3))
        assert [r.title for r in rows] == ["Day 3", "Day 2"]


# --- the reading queue and links -----------------------------------------------------------


def test_reading_queue_lists_to_read_notes_oldest_first_and_next_opens_the_first(
    qtbot, make_window: WindowFactory, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        first = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Waited longest",
                url="https://arxiv.org/abs/2409.13373v2",
                source_type=SourceType.PAPER,
                reading_status=ReadingStatus.TO_READ,
            )
        )
        notebook.add(
            Entry(kind=Kind.NOTE, title="Queued later", reading_status=ReadingStatus.TO_READ)
        )
        notebook.add(Entry(kind=Kind.NOTE, title="Read already", reading_status=ReadingStatus.DONE))
    window = make_window()
    press("Ctrl+Shift+Q", window)
    settle(window)
    queue = window.learning.queue_window
    assert queue is not None
    qtbot.waitUntil(queue.isActiveWindow)
    texts = [queue.rows.item(row).text() for row in range(queue.rows.count())]
    assert len(texts) == 2
    assert texts[0].startswith("1. ") and "Waited longest" in texts[0]
    assert "arxiv.org" in texts[0] and "arXiv 2409.13373" in texts[0]
    assert "Queued later" in texts[1]
    queue.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press("Ctrl+Shift+N", window)
    settle(window)
    assert window.editing.current is not None and window.editing.current.id == first.id


def test_open_link_opens_only_web_links(
    qtbot, make_window: WindowFactory, db_path: Path, opened_urls: list[QUrl]
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        paper = notebook.add(
            Entry(kind=Kind.NOTE, title="Paper", url="https://arxiv.org/abs/2409.13373")
        )
        bad = notebook.add(Entry(kind=Kind.NOTE, title="Bad", url="javascript:alert(1)"))
    window = make_window()
    window.editing.open(paper.id)
    settle(window)
    press("Ctrl+Shift+O", window)
    assert [url.toString() for url in opened_urls] == ["https://arxiv.org/abs/2409.13373"]
    # Ctrl+Enter in the URL field opens what the field holds, saved or not.
    window.ui.urlEdit.setFocus()
    window.ui.urlEdit.setText("https://example.org/x")
    press("Ctrl+Return", window.ui.urlEdit)
    assert opened_urls[-1].toString() == "https://example.org/x"
    for refused in ("file:///etc/passwd", "ftp://example.org/x", "file://host/etc/passwd"):
        window.ui.urlEdit.setText(refused)
        press("Ctrl+Return", window.ui.urlEdit)
    assert len(opened_urls) == 2
    assert "only http and https" in window.statusBar().currentMessage()
    window.editing.open(bad.id)
    settle(window)
    press("Ctrl+Shift+O", window)
    assert len(opened_urls) == 2


def test_related_entries_and_the_exports_from_the_window(
    qtbot, make_window: WindowFactory, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        one = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Sparse autoencoders",
                body="sparse autoencoders dictionary features superposition",
                url="https://arxiv.org/abs/2309.08600",
                source_type=SourceType.PAPER,
            )
        )
        two = notebook.add(
            Entry(
                kind=Kind.NOTE,
                title="Dictionary learning",
                body="dictionary features superposition monosemantic",
            )
        )
        for n in range(12):
            notebook.add(Entry(kind=Kind.NOTE, title=f"Filler {n}", body=f"bread garden {n}"))
        notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="More features."))
    window = make_window()
    window.editing.open(one.id)
    settle(window)
    press("Ctrl+Shift+J", window)
    settle(window)
    related = window.learning.related_window
    assert related is not None and related.rows.count() >= 1
    assert related.rows.item(0).data(Qt.ItemDataRole.UserRole + 1) == two.id
    window.learning.export_anki_to(tmp_path / "deck.apkg")
    window.learning.export_bibtex_to(tmp_path / "papers.bib")
    settle(window)
    assert (tmp_path / "deck.apkg").read_bytes()[:2] == b"PK"  # a zip, as Anki's packages are
    assert "eprint = {2309.08600}" in (tmp_path / "papers.bib").read_text()
