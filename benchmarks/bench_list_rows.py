"""Benchmark of the entry list's rows: their second line (link, status) and the day headers.

    .venv/bin/python benchmarks/bench_list_rows.py               # 10,000 notes, 1,000 loaded
    .venv/bin/python benchmarks/bench_list_rows.py --notes 2000 --runs 20

Offscreen: the entry list's model and delegate in a 400×700 list, the Notes sorted by Day, a
third of the notes arXiv papers, a third videos, a third without a link. Timed (median and
95th percentile, ms), each with the headers off ("none") and by week ("week"), and with the
second line as it was before the link and status were added ("day + tags"):

* repaint: the list's viewport drawn once (the rows on screen);
* layout: every loaded row's height asked for again (View > Group by Day does this; a reset
  of the list too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile  # noqa: E402
from PySide6.QtWidgets import QApplication, QListView  # noqa: E402

from notebook_app.core.model.entry import Entry, Kind, ReadingStatus, SourceType  # noqa: E402
from notebook_app.core.model.listing import Scope, Sort  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402
from notebook_app.gui.entry_delegate import EntryDelegate  # noqa: E402
from notebook_app.gui.entry_list_model import EntryListModel, EntryRoles  # noqa: E402


def report(label: str, samples: list[float]) -> None:
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{label:<40} {median:>9.2f} {p95:>9.2f}")


def notes(count: int) -> list[Entry]:
    first = dt.date(2024, 1, 1)
    made = []
    for n in range(count):
        url, source = (
            (f"https://arxiv.org/abs/24{n % 12 + 1:02d}.{n:05d}v2", SourceType.PAPER),
            (f"https://www.youtube.com/watch?v=v{n}", SourceType.VIDEO),
            (None, None),
        )[n % 3]
        made.append(Entry(kind=Kind.NOTE, title=f"Read number {n}", url=url, source_type=source,
                          read_on=first + dt.timedelta(days=n % 365), tags=("ml", "reading"),
                          reading_status=ReadingStatus.DONE))  # fmt: skip
    return made


def old_details(index) -> str:  # type: ignore[no-untyped-def]
    """The second line before: the day and the tags."""
    day = index.data(EntryRoles.DAY)
    tags = index.data(EntryRoles.TAGS) or ()
    return "  ".join([day.isoformat() if day else "", *(f"#{tag}" for tag in tags)])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--loaded", type=int, default=1_000, help="rows scrolled into the list")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder, Notebook.open(Path(folder) / "n.db") as nb:
        nb.add_many(notes(args.notes))
        model = EntryListModel(nb, {})
        model.set_query("", Scope(kinds=frozenset({Kind.NOTE})), Sort.DAY)
        while model.rowCount() < args.loaded and model.canFetchMore():
            model.fetch_more()
        view = QListView()
        view.setUniformItemSizes(False)
        delegate = EntryDelegate(view)
        view.setItemDelegate(delegate)
        view.setModel(model)
        view.resize(400, 700)
        view.show()
        app.processEvents()
        print(f"{args.notes:,} notes, {model.rowCount():,} rows loaded, {args.runs} runs")
        print(f"{'':<40} {'median':>9} {'p95':>9}")
        for label, grouping, details in (
            ("day + tags, no headers (before)", "none", old_details),
            ("link and status, no headers", "none", None),
            ("link and status, headers by week", "week", None),
        ):
            delegate.grouping = grouping
            if details is not None:
                delegate.details = details  # type: ignore[method-assign]
            elif "details" in vars(delegate):
                del delegate.details
            view.doItemsLayout()
            repaint, layout = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                view.viewport().grab()
                repaint.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                view.doItemsLayout()
                layout.append((time.perf_counter() - start) * 1000)
            report(f"repaint: {label}", repaint)
            report(f"layout: {label}", layout)
        view.close()


if __name__ == "__main__":
    main()
