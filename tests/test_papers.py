"""Papers know they are papers: arXiv ids from URLs, the URL in search, the default day read,
the reading statistics and related entries (core and command line)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from notebook_app.cli import main
from notebook_app.core.formats.capture import capture_entry
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.model.entry import Entry, Kind, ReadingStatus, SourceType
from notebook_app.core.papers.arxiv import ArxivId, arxiv_from_url, paper_day, url_host
from notebook_app.core.papers.related import RELATED_JSON_KEYS, related_entries, words
from notebook_app.core.papers.stats import (
    STATS_JSON_KEYS,
    WEEK_JSON_KEYS,
    reading_stats,
    reads_on,
    window,
)
from notebook_app.core.storage import database, migrations
from notebook_app.core.storage.notebook import Notebook

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "samples"

# --- arXiv ids -------------------------------------------------------------------------------

ARXIV_URLS = [
    ("https://arxiv.org/abs/2409.13373", ArxivId("2409.13373")),
    ("https://arxiv.org/abs/2409.13373v2", ArxivId("2409.13373", 2)),
    ("http://arxiv.org/abs/2409.13373v12", ArxivId("2409.13373", 12)),
    ("https://arxiv.org/pdf/2409.13373", ArxivId("2409.13373")),
    ("https://arxiv.org/pdf/2409.13373v1", ArxivId("2409.13373", 1)),
    ("https://arxiv.org/pdf/2409.13373v3.pdf", ArxivId("2409.13373", 3)),
    ("https://arxiv.org/pdf/1706.03762.pdf", ArxivId("1706.03762")),
    ("https://arxiv.org/html/2409.13373v1", ArxivId("2409.13373", 1)),
    ("https://www.arxiv.org/abs/0704.0001", ArxivId("0704.0001")),
    ("https://export.arxiv.org/abs/2409.13373", ArxivId("2409.13373")),
    ("http://export.arxiv.org/abs/hep-th/9901001v1", ArxivId("hep-th/9901001", 1)),
    ("https://arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
    ("https://arxiv.org/pdf/cond-mat/0211034v2.pdf", ArxivId("cond-mat/0211034", 2)),
    ("https://arxiv.org/abs/math.GT/0309136", ArxivId("math.GT/0309136")),
    ("arxiv.org/abs/2409.13373", ArxivId("2409.13373")),
    ("https://arxiv.org/abs/2409.13373?context=cs", ArxivId("2409.13373")),
    ("https://arxiv.org/abs/2409.13373#S3", ArxivId("2409.13373")),
    ("https://arxiv.org/abs/2409.13373/", ArxivId("2409.13373")),
    ("  https://ArXiv.org/abs/2409.13373  ", ArxivId("2409.13373")),
    ("https://www.alphaxiv.org/abs/2409.13373", ArxivId("2409.13373")),
    ("https://www.alphaxiv.org/overview/2409.13373v2", ArxivId("2409.13373", 2)),
    ("https://ar5iv.labs.arxiv.org/html/1706.03762", ArxivId("1706.03762")),
    ("https://ar5iv.org/abs/1706.03762", ArxivId("1706.03762")),
]
NOT_ARXIV = [
    None,
    "",
    "https://example.org/abs/2409.13373",
    "https://notarxiv.org/abs/2409.13373",
    "https://arxiv.org.evil.com/abs/2409.13373",
    "https://arxiv.org/",
    "https://arxiv.org/abs/",
    "https://arxiv.org/list/cs.AI/recent",
    "https://arxiv.org/abs/2413.00001",  # month 13
    "https://arxiv.org/abs/2409.133",  # too short
    "https://arxiv.org/a/smith_j_1",
    "https://openreview.net/forum?id=abc",
    "https://www.youtube.com/watch?v=aircAruvnKk",
    "http://[broken",
    "./projects/cartpole/ppo.py",
]


@pytest.mark.parametrize(("url", "expected"), ARXIV_URLS)
def test_arxiv_ids_are_read_from_every_shape_of_link(url: str, expected: ArxivId) -> None:
    assert arxiv_from_url(url) == expected


@pytest.mark.parametrize("url", NOT_ARXIV)
def test_other_links_are_not_arxiv_papers(url: str | None) -> None:
    assert arxiv_from_url(url) is None
    assert paper_day(url) is None


def test_the_paper_month_is_the_first_of_the_ids_month() -> None:
    assert paper_day("https://arxiv.org/abs/2409.13373v2") == dt.date(2024, 9, 1)
    assert paper_day("https://arxiv.org/abs/0704.0001") == dt.date(2007, 4, 1)
    assert paper_day("https://arxiv.org/abs/hep-th/9901001") == dt.date(1999, 1, 1)
    assert paper_day("https://arxiv.org/abs/math.GT/0309136") == dt.date(2003, 9, 1)


def test_summaries_show_the_arxiv_id_and_the_site(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Paper", url="https://arxiv.org/pdf/2409.13373v2"))
    notebook.add(Entry(kind=Kind.NOTE, title="Talk", url="https://www.youtube.com/watch?v=x"))
    shown = {hit.title: hit for hit in notebook.search("")}
    assert shown["Paper"].arxiv is not None and shown["Paper"].arxiv.label == "arXiv 2409.13373"
    assert (shown["Paper"].site, shown["Talk"].site) == ("arxiv.org", "youtube.com")
    assert shown["Talk"].arxiv is None
    assert url_host(None) is None


# --- the URL in search ---------------------------------------------------------------------


@pytest.fixture
def linked(notebook: Notebook) -> Notebook:
    notebook.add(Entry(kind=Kind.NOTE, title="Paper one", url="https://arxiv.org/abs/2409.13373v2"))
    notebook.add(
        Entry(kind=Kind.NOTE, title="Paper two", url="https://arxiv.org/abs/hep-th/9901001")
    )
    notebook.add(Entry(kind=Kind.NOTE, title="A talk", url="https://www.youtube.com/watch?v=abc"))
    notebook.add(Entry(kind=Kind.NOTE, title="No link", body="nothing here"))
    return notebook


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("2409.13373", {"Paper one"}),
        ("2409.13373v2", {"Paper one"}),
        ("arXiv:2409.13373", {"Paper one"}),
        ("hep-th/9901001", {"Paper two"}),
        ("arxiv.org", {"Paper one", "Paper two"}),
        ("youtube.com", {"A talk"}),
        ("2409.99999", set()),
    ],
)
def test_the_url_is_searched(linked: Notebook, query: str, titles: set[str]) -> None:
    assert {hit.title for hit in linked.search(query)} == titles


def test_a_changed_url_is_searched_by_its_new_id(linked: Notebook) -> None:
    (hit,) = linked.search("2409.13373")
    entry = linked.get(hit.id)
    linked.update(entry.id, entry.version, url="https://arxiv.org/abs/2501.00001")
    assert linked.search("2409.13373") == []
    assert [h.title for h in linked.search("2501.00001")] == ["Paper one"]
    linked.trash(entry.id)
    assert linked.search("2501.00001") == []


def test_migrating_indexes_the_urls_of_existing_notes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = database.connect(path, migrate=False)
    migrations.apply(conn, stop_before="0004_url_in_search")
    conn.execute(
        "INSERT INTO entries (id, kind, title, created, updated, url) VALUES ('a', 'note', "
        "'Old paper', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', "
        "'https://arxiv.org/pdf/2409.13373v3')"
    )
    old_titles = (migrations.TITLE_FTS_COLUMNS_0002, migrations.TITLE_FTS_VALUES_0002)
    for statement in migrations.index_new_entries_sql(migrations.FTS_VALUES_0002, old_titles):
        conn.execute(statement, {"first_seq": 1})
    conn.commit()
    assert (
        conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'arxiv'").fetchone()[
            0
        ]
        == 0
    )
    conn.close()
    with Notebook.open(path) as notebook:
        assert [h.title for h in notebook.search("2409.13373")] == ["Old paper"]
        assert [h.title for h in notebook.search("arxiv.org")] == ["Old paper"]
        notebook.trash("a")
        notebook.purge("a")  # the delete trigger re-tokenises the new index text exactly
        check = "INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 0)"
        notebook.conn.execute(check)


# --- the default day read ------------------------------------------------------------------


def test_a_captured_arxiv_link_is_dated_by_its_month() -> None:
    entry = capture_entry("https://arxiv.org/abs/2409.13373 Some paper")
    assert entry.read_on == dt.date(2024, 9, 1)
    assert capture_entry("https://example.org/post A post").read_on is None


def test_an_imported_note_without_a_day_takes_its_papers_month(
    notebook: Notebook, tmp_path: Path
) -> None:
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "Undated.md").write_text(
        "---\ntitle: Undated\nurl: https://arxiv.org/abs/2201.11903\n---\nbody\n"
    )
    (tmp_path / "vault" / "Dated.md").write_text(
        "---\ntitle: Dated\nurl: https://arxiv.org/abs/2201.11903\nread_on: 2024-03-05\n---\nx\n"
    )
    apply_import(notebook, plan_import(notebook, tmp_path / "vault"))
    days = {hit.title: notebook.get(hit.id).read_on for hit in notebook.search("")}
    assert days == {"Undated": dt.date(2022, 1, 1), "Dated": dt.date(2024, 3, 5)}


# --- reading statistics --------------------------------------------------------------------


@pytest.fixture
def reading_log(notebook: Notebook) -> Notebook:
    apply_import(notebook, plan_import(notebook, FIXTURES / "reading-log.md"))
    return notebook


def test_stats_on_the_reading_log_match_its_entries(reading_log: Notebook) -> None:
    notes = [reading_log.get(h.id) for h in reading_log.search("", limit=1000)]
    assert notes and all(n.read_on is not None for n in notes)
    until = max(n.read_on for n in notes if n.read_on)
    stats = reading_stats(reading_log, until=until)
    assert stats.total == len(notes)
    assert stats.days == dict(Counter(n.read_on for n in notes))
    expected_types = Counter(n.source_type.value if n.source_type else "none" for n in notes)
    assert stats.by_type == dict(expected_types)
    assert sum(w.total for w in stats.weeks) == len(notes)
    assert len(stats.weeks) == 53 and stats.weeks[0].start == stats.first
    assert all(w.start.weekday() == 0 for w in stats.weeks)
    for week in stats.weeks:
        in_week = [n for n in notes if week.start <= n.read_on < week.start + dt.timedelta(7)]  # type: ignore[operator]
        assert week.total == len(in_week)
    busiest = max(stats.days, key=lambda day: stats.days[day])
    assert {h.title for h in reads_on(reading_log, busiest)} == {
        n.title for n in notes if n.read_on == busiest
    }


def test_stats_leave_out_the_trash_the_queue_terms_and_days_outside(notebook: Notebook) -> None:
    day = dt.date(2025, 3, 12)  # a Wednesday
    note = notebook.add(
        Entry(kind=Kind.NOTE, title="Read", read_on=day, source_type=SourceType.VIDEO)
    )
    notebook.add(
        Entry(kind=Kind.NOTE, title="Queued", read_on=day, reading_status=ReadingStatus.TO_READ)
    )
    gone = notebook.add(Entry(kind=Kind.NOTE, title="Gone", read_on=day))
    notebook.trash(gone.id)
    notebook.add(Entry(kind=Kind.TERM, title="A term"))
    notebook.add(Entry(kind=Kind.NOTE, title="Old", read_on=dt.date(2020, 1, 1)))
    notebook.add(Entry(kind=Kind.NOTE, title="Untyped", read_on=day - dt.timedelta(days=7)))
    stats = reading_stats(notebook, until=day, weeks=2)
    assert stats.first == dt.date(2025, 3, 3) and stats.last == day
    assert stats.days == {day: 1, day - dt.timedelta(days=7): 1}
    assert [w.by_type for w in stats.weeks] == [{"none": 1}, {"video": 1}]
    assert [h.id for h in reads_on(notebook, day)] == [note.id]
    assert window(dt.date(2025, 3, 9), 1) == (dt.date(2025, 3, 3), dt.date(2025, 3, 9))


# --- related entries -----------------------------------------------------------------------


FILLER = ["boats sail the harbour", "a recipe for bread", "mountain walks in spring",
          "the history of clocks", "gardening with tomatoes", "jazz records of the fifties",
          "bicycle repair basics", "knitting a scarf", "the rules of chess", "birds of the coast",
          "painting with watercolours", "a train journey north"]  # fmt: skip


def test_related_entries_share_distinctive_words(notebook: Notebook) -> None:
    # Enough unrelated entries that a shared word is rare, as in a real notebook (bm25 gives
    # no weight to a word in over half the entries).
    notebook.add_many([Entry(kind=Kind.NOTE, title=text.title(), body=text) for text in FILLER])

    def note(title: str, body: str, kind: Kind = Kind.NOTE) -> Entry:
        return notebook.add(Entry(kind=kind, title=title, body=body))

    sae = note(
        "Sparse autoencoders find features",
        "Sparse autoencoders decompose activations into monosemantic features by dictionary "
        "learning.",
    )
    close = note(
        "Dictionary learning for interpretability",
        "Monosemantic features from sparse dictionary learning.",
    )
    term = note(
        "Superposition", "More features than dimensions, so activations are sparse.", Kind.TERM
    )
    note("Cooking pasta", "Boil water, add salt.")
    trashed = note("Monosemantic dictionary", "monosemantic dictionary learning sparse features")
    notebook.trash(trashed.id)
    related = related_entries(notebook, sae.id)
    assert [r.entry.id for r in related] == [close.id, term.id]
    assert {"monosemantic", "dictionary", "learning"} <= set(related[0].shared)
    assert set(related[1].shared) <= {"features", "sparse", "activations"}
    assert related[0].score > related[1].score > 0
    assert related_entries(notebook, sae.id, limit=1)[0].entry.id == close.id


def test_an_entry_with_no_shared_words_has_no_related(notebook: Notebook) -> None:
    alone = notebook.add(Entry(kind=Kind.NOTE, title="Zyxwv", body="qwerty"))
    notebook.add(Entry(kind=Kind.NOTE, title="Other", body="something else entirely"))
    assert related_entries(notebook, alone.id) == []


def test_words_are_split_as_the_index_splits_them() -> None:
    assert words("Café_au-lait GPT-4 o1") == ["cafe", "au", "lait", "gpt", "4", "o1"]


# --- the command line ----------------------------------------------------------------------


def run_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Any:
    capsys.readouterr()
    assert main(["--db", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_stats_and_related_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "nb.db"
    assert main(["--db", str(db), "import", str(FIXTURES / "reading-log.md")]) == 0
    with Notebook.open(db) as notebook:
        notes = [notebook.get(h.id) for h in notebook.search("", limit=1000)]
    until = max(n.read_on for n in notes if n.read_on).isoformat()
    data = run_json(capsys, db, "stats", "--until", until)
    assert tuple(data) == STATS_JSON_KEYS
    assert tuple(data["weeks"][0]) == WEEK_JSON_KEYS
    assert data["total"] == len(notes) == sum(data["days"].values())
    day = max(data["days"], key=data["days"].get)
    listed = run_json(capsys, db, "stats", "--day", day)
    assert len(listed) == data["days"][day]
    related = run_json(capsys, db, "related", notes[0].id[:8])
    assert related and all(tuple(item) == RELATED_JSON_KEYS for item in related)
    assert notes[0].id not in {item["id"] for item in related}
    capsys.readouterr()
    assert main(["--db", str(db), "related", notes[0].id, "--limit", "0"]) == 1
    assert "--limit" in capsys.readouterr().err


def test_stats_and_related_only_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nb.db"
    assert main(["--db", str(db), "import", str(FIXTURES / "reading-log.md")]) == 0
    with Notebook.open(db) as notebook:
        first = notebook.search("", limit=1)[0].id
        data_version = notebook.conn.execute("SELECT count(*) FROM entry_history").fetchone()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert run_json(capsys, db, "related", first)
    assert run_json(capsys, db, "stats")
    # No backup made, nothing written (the vocabulary is a view of the index, made by migration).
    assert sorted(p.name for p in tmp_path.rglob("*") if not p.name.endswith(("-wal", "-shm"))) == [
        name for name in before if not name.endswith(("-wal", "-shm"))
    ]
    with Notebook.open(db) as notebook:
        assert (
            notebook.conn.execute("SELECT count(*) FROM entry_history").fetchone() == data_version
        )


def test_a_bad_day_is_a_bad_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A bad value is exit 1 (2 is for usage), one line, checked before any notebook is opened.
    assert main(["--db", str(tmp_path / "nb.db"), "stats", "--day", "2024-13-01"]) == 1
    err = capsys.readouterr().err
    assert "not a date" in err and err.count("\n") == 1
    assert not (tmp_path / "nb.db").exists()
