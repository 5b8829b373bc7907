"""Benchmark of the learning loop: the next due card after a rating, glossary moves, Anki export.

    .venv/bin/python benchmarks/bench_learning.py              # 10,000 terms, 5,000 exported
    .venv/bin/python benchmarks/bench_learning.py --terms 2000 --anki-terms 1000 --runs 3

It builds a notebook of ``--terms`` glossary terms from ``corpus.generate_entries`` (their words,
tags and paragraph lengths), reviews a third of them so that cards are due, learning and new at
once, then reports medians and 95th percentiles of:

* a rating and the next due card after it (``ReviewSession.rate``: the rating's transaction,
  then the query and read of the next card) and, alone, showing the next card (``next_card``);
* moving a term (to the top, to the middle, one step), the renumbering a full gap forces;
* exporting ``--anki-terms`` terms as an Anki deck (rendering every definition included).

Targets (issue 14): next card after a rating ≤ 16 ms at 10,000 terms; Anki export of 5,000
terms ≤ 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_entries  # noqa: E402

from notebook_app.core.learning.anki import export_anki  # noqa: E402
from notebook_app.core.learning.queue import ReviewSession, next_card  # noqa: E402
from notebook_app.core.learning.scheduling import review_term  # noqa: E402
from notebook_app.core.model.entry import Entry, Kind  # noqa: E402
from notebook_app.core.model.listing import Scope, Sort  # noqa: E402
from notebook_app.core.storage import glossary_order  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def glossary(count: int) -> list[Entry]:
    terms: list[Entry] = []
    for entry in generate_entries(count * 9):  # about 13 % of the corpus are terms
        if entry.kind is Kind.TERM:
            entry.glossary_position = None  # the notebook places them at the end
            terms.append(entry)
            if len(terms) == count:
                break
    return terms


def timed(runs: int, work: Callable[[int], object]) -> tuple[float, float]:
    seconds = []
    for run in range(runs):
        started = time.perf_counter()
        work(run)
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return statistics.median(seconds) * 1000, p95 * 1000


def report(label: str, median: float, p95: float, target: str = "") -> None:
    print(f"{label:<44} {median:>9.2f} {p95:>9.2f}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--anki-terms", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=200, help="runs of the fast measures")
    parser.add_argument("--anki-runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        notebook = Notebook.open(Path(scratch) / "learning.db")
        started = time.perf_counter()
        notebook.add_many(glossary(args.terms))
        print(f"{args.terms:,} terms added in {time.perf_counter() - started:.2f} s")
        ids = [s.id for s in notebook.search("", scope=Scope(kinds=frozenset({Kind.TERM})),
                                             sort=Sort.GLOSSARY, limit=args.terms)]  # fmt: skip
        with notebook.transaction():
            for index, entry_id in enumerate(ids[: args.terms // 3]):
                review_term(notebook, entry_id, 1 + index % 4, T0 - dt.timedelta(days=30))
        now = T0 + dt.timedelta(days=1)
        print(f"{'measure (ms)':<44} {'median':>9} {'p95':>9}  target")
        session = ReviewSession(notebook, clock=lambda: now, new_per_day=10**9)
        report("rate + next due card", *timed(args.runs, lambda _r: session.rate(3)), "≤ 16")
        report("next due card alone", *timed(args.runs, lambda _r: next_card(notebook, now)))

        def move(run: int) -> None:
            target = ids[(run * 7919) % len(ids)]
            notebook.move_term(ids[run % len(ids)], before=target)

        report("move a term (anywhere)", *timed(args.runs, move), "a few ms")
        report("move a term one step up", *timed(args.runs, lambda r: notebook.move_term(
            ids[1 + r % 50], position=1 + r % 50)))  # fmt: skip

        def renumber(_run: int) -> None:
            with notebook.transaction():
                glossary_order.renumber(notebook.conn)

        report("renumber the whole glossary", *timed(max(3, args.runs // 20), renumber))
        notebook.close()

        small = Notebook.open(Path(scratch) / "anki.db")
        small.add_many(glossary(args.anki_terms))
        target = Path(scratch) / "glossary.apkg"
        median, p95 = timed(args.anki_runs, lambda _r: export_anki(small, target))
        report(f"Anki export of {args.anki_terms:,} terms", median, p95, "≤ 2000")
        print(f"deck size: {target.stat().st_size / 1e6:.1f} MB")
        small.close()


if __name__ == "__main__":
    main()
