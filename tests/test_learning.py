"""Spaced repetition of glossary terms: scheduling, statuses, safety, the CLI, round trips."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.formats.exporting import export_vault, select_entries
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.learning import front_matter
from notebook_app.core.learning.cards import CardState, Rating, read_card, read_log, term_seq
from notebook_app.core.learning.queue import ReviewSession, due_counts, due_terms, next_card
from notebook_app.core.learning.scheduling import (
    LEARNED_STABILITY_DAYS,
    StaleReviewError,
    follow_review,
    review_term,
    set_suspended,
    undo_last_review,
)
from notebook_app.core.model.entry import Entry, Kind, LearningStatus
from notebook_app.core.storage import migrations
from notebook_app.core.storage.notebook import Notebook

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def term(notebook: Notebook, title: str = "Superposition", body: str = "More features.",
         **fields: object) -> str:  # fmt: skip
    return notebook.add(Entry(kind=Kind.TERM, title=title, body=body, **fields)).id  # type: ignore[arg-type]


def log_of(notebook: Notebook, entry_id: str) -> list[object]:
    return list(read_log(notebook.conn, term_seq(notebook.conn, entry_id)))


# --- scheduling --------------------------------------------------------------------------------


def test_good_ratings_push_the_due_date_further_each_time(notebook: Notebook) -> None:
    entry_id = term(notebook)
    now, intervals = T0, []
    for _ in range(6):
        result = review_term(notebook, entry_id, Rating.GOOD, now)
        assert result.card.due is not None and result.card.due > now
        intervals.append(result.log.interval_seconds)
        now = result.card.due
    assert intervals == sorted(intervals) and intervals[-1] > intervals[2] > intervals[0]
    assert intervals[0] < 3600  # the first step is minutes, not days
    assert intervals[-1] > 30 * 86400


def test_again_resets_to_minutes_and_counts_a_lapse(notebook: Notebook) -> None:
    entry_id = term(notebook)
    now = T0
    for _ in range(4):
        now = review_term(notebook, entry_id, "good", now).card.due  # type: ignore[assignment]
    before = read_card(notebook.conn, term_seq(notebook.conn, entry_id))
    assert before.state is CardState.REVIEW
    lapse = review_term(notebook, entry_id, Rating.AGAIN, now)
    assert lapse.card.state is CardState.RELEARNING
    assert lapse.log.interval_seconds < 3600
    assert lapse.card.lapses == 1
    assert lapse.card.stability is not None and before.stability is not None
    assert lapse.card.stability < before.stability


def test_easy_schedules_further_than_hard(notebook: Notebook) -> None:
    hard, easy = term(notebook, "Hard one"), term(notebook, "Easy one")
    assert (review_term(notebook, easy, 4, T0).log.interval_seconds
            > review_term(notebook, hard, 2, T0).log.interval_seconds)  # fmt: skip


def test_ratings_are_checked(notebook: Notebook) -> None:
    entry_id = term(notebook)
    note = notebook.add(Entry(kind=Kind.NOTE, title="a note")).id
    with pytest.raises(InvalidEntryError, match="unknown rating"):
        review_term(notebook, entry_id, 5, T0)
    with pytest.raises(InvalidEntryError, match="only glossary terms"):
        review_term(notebook, note, 3, T0)
    notebook.trash(entry_id)
    with pytest.raises(InvalidEntryError, match="trash"):
        review_term(notebook, entry_id, 3, T0)
    assert log_of(notebook, entry_id) == []


# --- what is due -------------------------------------------------------------------------------


def test_due_terms_new_ones_in_glossary_order_then_due_ones_first(notebook: Notebook) -> None:
    a, b, c = term(notebook, "A"), term(notebook, "B"), term(notebook, "C")
    notebook.move_term(c, position=1)
    assert [t.title for t in due_terms(notebook, T0)] == ["C", "A", "B"]
    review_term(notebook, a, Rating.AGAIN, T0)  # due again in a minute
    later = T0 + dt.timedelta(minutes=5)
    assert [t.title for t in due_terms(notebook, later)][0] == "A"
    assert [t.title for t in due_terms(notebook, later, new_per_day=1)] == ["A"]
    counts = due_counts(notebook, later)
    assert (counts.due, counts.new_waiting) == (1, 2)
    set_suspended(notebook, b, True)
    assert "B" not in [t.title for t in due_terms(notebook, later)]
    assert due_counts(notebook, later).suspended == 1
    set_suspended(notebook, b, False)
    assert "B" in [t.title for t in due_terms(notebook, later)]


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The local time zone is Berlin's (clocks forward on 2026-03-29 02:00, back on 10-25)."""
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_review_day_starts_at_four_local_across_clock_changes(
    notebook: Notebook, berlin: None
) -> None:
    from notebook_app.core.learning.queue import day_end, day_start

    # 03:30 on the night the clocks go forward is still the 28th's day, which began at
    # 04:00 CET (03:00 UTC) and ends at 04:00 CEST (02:00 UTC): 23 hours.
    night = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # 03:30 CEST
    assert day_start(night) == dt.datetime(2026, 3, 28, 3, 0, tzinfo=dt.UTC)
    assert day_end(night) == dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC)
    # 03:30 after the clocks went back: the 24th's day, from 04:00 CEST (02:00 UTC).
    autumn = dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC)  # 03:30 CET
    assert day_start(autumn) == dt.datetime(2026, 10, 24, 2, 0, tzinfo=dt.UTC)
    # A new term brought in at 03:30 CET on the 28th was the 27th's: the 28th still brings 20.
    first, *_rest = (term(notebook, f"T{n}") for n in range(25))
    review_term(notebook, first, Rating.GOOD, dt.datetime(2026, 3, 28, 2, 30, tzinfo=dt.UTC))
    assert due_counts(notebook, night).new == 20


def test_a_suspended_card_keeps_its_schedule(notebook: Notebook) -> None:
    entry_id = term(notebook)
    result = review_term(notebook, entry_id, Rating.GOOD, T0)
    set_suspended(notebook, entry_id, True)
    assert due_terms(notebook, T0 + dt.timedelta(days=400)) == []
    set_suspended(notebook, entry_id, False)
    card = read_card(notebook.conn, term_seq(notebook.conn, entry_id))
    assert card.due == result.card.due and card.reps == 1


def test_empty_definition_is_reviewable_and_said(notebook: Notebook) -> None:
    entry_id = term(notebook, "Grokking", body="  \n")
    [due] = due_terms(notebook, T0)
    assert due.empty_definition
    card = next_card(notebook, T0)
    assert card is not None and card.empty_definition and card.front == "Grokking"
    review_term(notebook, entry_id, Rating.AGAIN, T0)
    assert len(log_of(notebook, entry_id)) == 1


def test_review_session_front_back_rate_undo(notebook: Notebook) -> None:
    term(notebook, "Superposition", "More *features* than dimensions", aliases=["polysemanticity"])
    term(notebook, "Grokking", "Late generalisation")
    clock = [T0]
    session = ReviewSession(notebook, clock=lambda: clock[0])
    assert session.counts().total == 2
    assert session.current is not None
    assert session.current.front == "Superposition (polysemanticity)"
    assert session.current.definition == "More *features* than dimensions"
    first = session.current.entry_id
    session.rate(Rating.GOOD)
    assert session.current is not None and session.current.title == "Grokking"
    session.rate(Rating.EASY)
    # Superposition's learning step (10 minutes) is not yet due; Grokking graduated.
    assert session.current is None
    clock[0] = T0 + dt.timedelta(minutes=11)
    assert session.advance() is not None and session.current.entry_id == first
    again = session.undo()
    assert again is not None and again.title == "Grokking"
    assert log_of(notebook, again.entry_id) == []
    assert read_card(notebook.conn, term_seq(notebook.conn, again.entry_id)).state is CardState.NEW


# --- statuses ----------------------------------------------------------------------------------


def test_status_follows_review_first_learning_then_learned(notebook: Notebook) -> None:
    entry_id = term(notebook, learning_status=LearningStatus.WANT)
    now = T0
    result = review_term(notebook, entry_id, Rating.GOOD, now)
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNING
    assert notebook.history(entry_id)[0].entry.learning_status is LearningStatus.WANT
    while result.card.stability is not None and result.card.stability < LEARNED_STABILITY_DAYS:
        assert notebook.get(entry_id).learning_status is LearningStatus.LEARNING
        now = result.card.due  # type: ignore[assignment]
        result = review_term(notebook, entry_id, Rating.GOOD, now)
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNED
    # A lapse brings the stability, and so the status, down again.
    review_term(notebook, entry_id, Rating.AGAIN, result.card.due)
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNING


def test_a_status_set_by_hand_wins(notebook: Notebook) -> None:
    entry_id = term(notebook)
    review_term(notebook, entry_id, Rating.GOOD, T0)
    entry = notebook.get(entry_id)
    notebook.update(entry_id, entry.version, learning_status=LearningStatus.LEARNED)
    result = review_term(notebook, entry_id, Rating.AGAIN, T0 + dt.timedelta(minutes=20))
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNED
    assert result.card.status_manual
    # ...remembered, even when set back to what reviews would say, until handed back.
    entry = notebook.get(entry_id)
    notebook.update(entry_id, entry.version, learning_status=LearningStatus.LEARNING)
    assert follow_review(notebook, entry_id) is LearningStatus.LEARNING
    assert not read_card(notebook.conn, term_seq(notebook.conn, entry_id)).status_manual


def test_learned_before_any_review_is_a_hand_set_status(notebook: Notebook) -> None:
    entry_id = term(notebook, learning_status=LearningStatus.LEARNED)
    review_term(notebook, entry_id, Rating.GOOD, T0)
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNED
    assert notebook.get(entry_id).version == 1


# --- safety: clocks, repeats, kills ------------------------------------------------------------


def test_clock_going_backwards(notebook: Notebook) -> None:
    entry_id = term(notebook)
    first = review_term(notebook, entry_id, Rating.GOOD, T0)
    earlier = T0 - dt.timedelta(days=3)
    second = review_term(notebook, entry_id, Rating.GOOD, earlier)
    assert second.log.reviewed == earlier  # logged as the clock said
    assert second.card.last_review == first.card.last_review == T0  # scheduled from T0
    assert second.card.due is not None and second.card.due > T0
    assert [item.reviewed for item in log_of(notebook, entry_id)] == [T0, earlier]  # type: ignore[attr-defined]


def test_a_token_sent_twice_counts_once(notebook: Notebook) -> None:
    entry_id = term(notebook)
    first = review_term(notebook, entry_id, Rating.GOOD, T0, token="answer-1")
    again = review_term(notebook, entry_id, Rating.GOOD, T0 + dt.timedelta(minutes=1),
                        token="answer-1")  # fmt: skip
    assert again.repeated and not first.repeated
    assert again.card == first.card
    assert len(log_of(notebook, entry_id)) == 1


def test_expected_last_review_refuses_a_stale_card(notebook: Notebook) -> None:
    entry_id = term(notebook)
    review_term(notebook, entry_id, Rating.GOOD, T0, expected_last_review=None)
    with pytest.raises(StaleReviewError):
        review_term(notebook, entry_id, Rating.GOOD, T0, expected_last_review=None)
    assert len(log_of(notebook, entry_id)) == 1


_KILLED_RATING = """
import datetime as dt, os, signal, sys
from notebook_app.core.learning import scheduling
from notebook_app.core.storage import migrations
from notebook_app.core.storage.notebook import Notebook
when = sys.argv[3]
if when == "before-commit":
    original = scheduling.append_log
    def append_then_die(*args, **kwargs):
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    scheduling.append_log = append_then_die
notebook = Notebook.open(sys.argv[1])
scheduling.review_term(notebook, sys.argv[2], 3,
                       dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), token="the-answer")
os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any clean exit
"""


@pytest.mark.parametrize("when", ["before-commit", "after-commit"])
def test_a_review_killed_keeps_the_rating_once_or_not_at_all(tmp_path: Path, when: str) -> None:
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        entry_id = term(notebook)
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILLED_RATING), str(db), entry_id, when],
        cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    with Notebook.open(db) as notebook:
        kept = len(log_of(notebook, entry_id))
        assert kept == (1 if when == "after-commit" else 0)
        # The window sends the answer again after a restart: it is stored once.
        review_term(notebook, entry_id, 3, T0, token="the-answer")
        assert len(log_of(notebook, entry_id)) == 1
        assert read_card(notebook.conn, term_seq(notebook.conn, entry_id)).reps == 1
        assert notebook.get(entry_id).version == 2  # want/None -> learning, once


def test_undo_last_review_restores_card_and_status(notebook: Notebook) -> None:
    entry_id = term(notebook)
    review_term(notebook, entry_id, Rating.GOOD, T0)
    assert notebook.get(entry_id).learning_status is LearningStatus.LEARNING
    assert undo_last_review(notebook, entry_id)
    assert notebook.get(entry_id).learning_status is None
    assert log_of(notebook, entry_id) == []
    assert not undo_last_review(notebook, entry_id)


# --- command line ------------------------------------------------------------------------------


def test_due_json_schema_and_review_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        entry_id = term(notebook, aliases=["polysemanticity"])
        term(notebook, "Empty", "")
        review_term(notebook, entry_id, Rating.AGAIN, T0)
    assert main(["--db", str(db), "due", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert isinstance(due, list) and len(due) == 2
    for item in due:
        assert set(item) == {"id", "title", "aliases", "state", "due", "empty_definition"}
        assert item["state"] in {"new", "learning", "review", "relearning"}
    assert due[0]["title"] == "Superposition" and due[0]["aliases"] == ["polysemanticity"]
    assert due[0]["due"].endswith("Z") and due[1]["due"] is None and due[1]["empty_definition"]
    assert main(["--db", str(db), "review-log", entry_id[:8], "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert log["card"]["state"] == "learning" and log["card"]["reps"] == 1
    assert [item["rating"] for item in log["log"]] == ["again"]
    assert main(["--db", str(db), "suspend", entry_id[:8]]) == 0
    assert main(["--db", str(db), "due", "--json"]) == 0
    assert [item["title"] for item in json.loads(capsys.readouterr().out.split("\n", 1)[1])] == [
        "Empty"
    ]
    assert main(["--db", str(db), "unsuspend", entry_id[:8]]) == 0
    assert main(["--db", str(db), "due"]) == 0
    assert "Superposition" in capsys.readouterr().out


def test_due_does_not_create_a_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.db"
    assert main(["--db", str(missing), "due"]) == 1
    assert not missing.exists()
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


# --- export and import -------------------------------------------------------------------------


def test_review_state_round_trips_through_a_vault(tmp_path: Path, notebook: Notebook) -> None:
    reviewed = term(notebook, learning_status=LearningStatus.WANT)
    suspended = term(notebook, "Grokking")
    untouched = term(notebook, "Never reviewed")
    now = T0
    for rating in (3, 3, 1, 3):
        now = review_term(notebook, reviewed, rating, now).card.due  # type: ignore[assignment]
    review_term(notebook, reviewed, 3, T0 - dt.timedelta(days=1))  # a clock gone back
    set_suspended(notebook, suspended, True)
    export_vault(select_entries(notebook), tmp_path / "vault",
                 extra_front_matter=front_matter.review_front_matter(notebook))  # fmt: skip
    text = next((tmp_path / "vault" / "glossary").glob("Superposition*.md")).read_text()
    assert "review_log:" in text and "review_state: review" in text
    assert "review_" not in next((tmp_path / "vault" / "glossary").glob("Never*.md")).read_text()

    with Notebook.open(tmp_path / "other.db") as other:
        apply_import(other, plan_import(other, tmp_path / "vault"))
        for entry_id in (reviewed, suspended, untouched):
            seq_a, seq_b = term_seq(notebook.conn, entry_id), term_seq(other.conn, entry_id)
            assert read_card(other.conn, seq_b) == read_card(notebook.conn, seq_a)
            assert read_log(other.conn, seq_b) == read_log(notebook.conn, seq_a)
        assert other.get(reviewed).learning_status is LearningStatus.LEARNING
        # Importing the same vault again adds nothing to the log.
        apply_import(other, plan_import(other, tmp_path / "vault"))
        assert len(read_log(other.conn, term_seq(other.conn, reviewed))) == 5


def test_import_keeps_the_newer_card_and_merges_logs(tmp_path: Path, notebook: Notebook) -> None:
    entry_id = term(notebook)
    review_term(notebook, entry_id, 3, T0)
    export_vault(select_entries(notebook), tmp_path / "vault",
                 extra_front_matter=front_matter.review_front_matter(notebook))  # fmt: skip
    later = review_term(notebook, entry_id, 3, T0 + dt.timedelta(hours=1))
    apply_import(notebook, plan_import(notebook, tmp_path / "vault"))  # the older export
    assert read_card(notebook.conn, term_seq(notebook.conn, entry_id)) == later.card
    assert len(log_of(notebook, entry_id)) == 2


def test_an_anonymised_export_keeps_review_state_under_its_new_ids(
    tmp_path: Path, notebook: Notebook
) -> None:
    # The copies get ids of their own; their review keys (which name nobody) still come from
    # the real terms, and an import puts them on the copies.
    entry_id = term(notebook, body="Explained by Alice Smith.")
    review_term(notebook, entry_id, 3, T0)
    export_vault(select_entries(notebook), tmp_path / "vault", anonymise=True,
                 anonymise_names=["Alice Smith"],
                 extra_front_matter=front_matter.review_front_matter(notebook))  # fmt: skip
    text = next((tmp_path / "vault" / "glossary").glob("*.md")).read_text()
    assert "Alice" not in text and entry_id not in text
    assert "review_state: learning" in text and "review_log:" in text

    with Notebook.open(tmp_path / "other.db") as other:
        apply_import(other, plan_import(other, tmp_path / "vault"))
        (copy,) = select_entries(other)
        assert copy.id != entry_id
        seq_a, seq_b = term_seq(notebook.conn, entry_id), term_seq(other.conn, copy.id)
        assert read_card(other.conn, seq_b) == read_card(notebook.conn, seq_a)
        assert read_log(other.conn, seq_b) == read_log(notebook.conn, seq_a)


def test_a_file_with_broken_review_keys_is_skipped(tmp_path: Path, notebook: Notebook) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "t.md").write_text(
        "---\nid: 9c1f0a52-0000-4000-8000-00000000000a\nkind: term\ntitle: T\ntags: []\n"
        "review_log:\n- yesterday good\n---\nbody\n",
        encoding="utf-8",
    )
    plan = plan_import(notebook, vault)
    (outcome,) = plan.files
    assert outcome.status == "skipped" and "review_log" in outcome.reason
    assert not plan.new and not plan.reviews


def test_start_up_does_not_load_fsrs_or_genanki() -> None:
    code = (
        "import sys, notebook_app.cli, notebook_app.core.api as api; "
        "api.Notebook; print([m for m in sys.modules if m.split('.')[0] in "
        "('fsrs', 'genanki')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=60)  # fmt: skip
    assert out.stdout.strip() == "[]", out.stderr


# --- migration ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version_index", range(len(migrations.migration_names()) - 1))
def test_every_earlier_version_gets_review_tables(tmp_path: Path, version_index: int) -> None:
    from test_migrations import make_database_at

    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    with Notebook.open(old) as notebook:
        assert "0005_review_state" in migrations.applied_names(notebook.conn)
        if version_index >= 1:
            entry_id = "9c1f0a52-0000-4000-8000-000000000001"
            result = review_term(notebook, entry_id, Rating.GOOD, T0)
            assert result.card.reps == 1
            assert [t.title for t in due_terms(notebook, T0)] == []
            notebook.move_term(entry_id, position=1)
            notebook.trash(entry_id)
            notebook.purge(entry_id)  # the card and log go with the term
            assert notebook.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
            assert notebook.conn.execute("SELECT count(*) FROM review_cards").fetchone()[0] == 0


def test_recover_copies_review_state(tmp_path: Path) -> None:
    from notebook_app.core.storage.recover import recover_notebook

    source = tmp_path / "n.db"
    with Notebook.open(source) as notebook:
        entry_id = term(notebook)
        review_term(notebook, entry_id, Rating.GOOD, T0)
        card = read_card(notebook.conn, term_seq(notebook.conn, entry_id))
    report = recover_notebook(source, tmp_path / "out.db")
    assert report.complete and "1 review card, 1 rating" in report.lines()[0]
    with Notebook.open(tmp_path / "out.db") as recovered:
        assert read_card(recovered.conn, term_seq(recovered.conn, entry_id)) == card
        assert len(log_of(recovered, entry_id)) == 1


def test_recover_an_older_notebook_without_review_tables(tmp_path: Path) -> None:
    from test_migrations import make_database_at

    from notebook_app.core.storage.recover import recover_notebook

    old = tmp_path / "v3.db"
    make_database_at(old, 3)
    report = recover_notebook(old, tmp_path / "out.db")
    assert report.complete and "review" not in report.lines()[0]
