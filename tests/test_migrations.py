"""Every earlier schema version opens, migrates to the current one, and keeps its data."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app.core.storage import database, migrations
from notebook_app.core.storage.notebook import Notebook

NAMES = migrations.migration_names()


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


def index_as_version(conn: sqlite3.Connection, version_index: int, first_seq: int) -> None:
    """Index the rows from ``first_seq`` on as that version of the app did: from version 2 it
    indexed each new row; the URL joined the index in version 4, the title's CJK bigrams the
    title index in version 13."""
    if version_index < 2:
        return
    values = migrations.FTS_VALUES if version_index >= 4 else migrations.FTS_VALUES_0002
    title_fts = None
    if version_index < NAMES.index("0013_cjk_titles") + 1:
        title_fts = (migrations.TITLE_FTS_COLUMNS_0002, migrations.TITLE_FTS_VALUES_0002)
    for statement in migrations.index_new_entries_sql(values, title_fts):
        conn.execute(statement, {"first_seq": first_seq})


def make_database_at(path: Path, version_index: int) -> None:
    """A database with the first ``version_index`` migrations applied, holding one entry."""
    conn = database.connect(path, migrate=False)
    if version_index < len(NAMES):
        migrations.apply(conn, stop_before=NAMES[version_index])
    if version_index >= 1:
        # Written with plain SQL, as that version of the app would have written it.
        # From version 2 the app wrote the CJK bigrams with the row and indexed it.
        cjk_column, cjk_value = ("", "")
        if version_index >= 2:
            cjk_column, cjk_value = (", search_cjk", ", '개발 발경 경력 |'")
        conn.execute(
            f"INSERT INTO entries (id, kind, title, body, created, updated, version, aliases"
            f"{cjk_column}) VALUES ('9c1f0a52-0000-4000-8000-000000000001', 'term', "
            "'Superposition', 'More features than dimensions; 개발경력', "
            f"'2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', 1, ?{cjk_value})",
            [json.dumps(["polysemanticity"])],
        )
        index_as_version(conn, version_index, first_seq=1)
        conn.execute("INSERT INTO tags (id, name) VALUES (1, 'mechinterp')")
        conn.execute("INSERT INTO entry_tags (entry, tag, position) VALUES (1, 1, 0)")
        conn.commit()
    conn.close()


def test_there_are_numbered_migrations() -> None:
    numbers = [int(name.split("_", 1)[0]) for name in NAMES]
    assert numbers == list(range(1, len(NAMES) + 1))


@pytest.mark.parametrize("version_index", range(len(NAMES)))
def test_every_earlier_version_migrates(tmp_path: Path, version_index: int) -> None:
    fresh = tmp_path / "fresh.db"
    Notebook.open(fresh).close()

    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    with Notebook.open(old) as notebook:
        assert notebook.schema_version == len(NAMES)
        if version_index >= 1:
            entry = notebook.get("9c1f0a52-0000-4000-8000-000000000001")
            assert entry.tags == ["mechinterp"]
            assert entry.aliases == ["polysemanticity"]
            assert [h.title for h in notebook.search("features")] == ["Superposition"]
            assert [h.title for h in notebook.search("polysemanticity")] == ["Superposition"]
            assert [h.title for h in notebook.search("경력")] == ["Superposition"]
            updated = notebook.update(entry.id, entry.version, body="edited after migrating")
            assert notebook.history(entry.id)[0].entry.body.startswith("More features")
            assert updated.version == 2
    assert schema(old) == schema(fresh)


def test_opening_twice_applies_nothing_more(db_path: Path) -> None:
    Notebook.open(db_path).close()
    before = schema(db_path)
    with Notebook.open(db_path) as notebook:
        applied = migrations.applied_names(notebook.conn)
    assert applied == NAMES
    assert schema(db_path) == before


def test_the_migrations_table_is_the_one_sqlite_utils_keeps() -> None:
    from sqlite_utils.migrations import Migrations

    assert Migrations.migrations_table == migrations.MIGRATIONS_TABLE


def test_an_up_to_date_notebook_opens_without_importing_sqlite_utils(db_path: Path) -> None:
    # Every start reads the applied migrations itself; sqlite-utils loads only to migrate.
    code = (
        "import sys; from notebook_app.core.storage.notebook import Notebook; "
        "Notebook.open(sys.argv[1]).close(); print('sqlite_utils' in sys.modules)"
    )
    run = [sys.executable, "-c", code, str(db_path)]
    first = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    again = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    assert (first, again) == (["True"], ["False"])


# The versions before the link table: its migration fills it from the rows already there (from
# 0006 on, the app writes a row's links with the row).
@pytest.mark.parametrize("version_index", range(1, NAMES.index("0006_links") + 1))
def test_links_are_filled_in_from_every_earlier_version(tmp_path: Path, version_index: int) -> None:
    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    conn = sqlite3.connect(old)
    conn.execute(
        "INSERT INTO entries (id, kind, title, body, created, updated, version) VALUES "
        "('9c1f0a52-0000-4000-8000-000000000002', 'note', 'Reading', "
        "'On [[Polysemanticity]] and [[Nowhere]]. `[[code]]`', "
        "'2024-01-02T00:00:00.000000Z', '2024-01-02T00:00:00.000000Z', 1)"
    )
    index_as_version(conn, version_index, first_seq=2)
    conn.commit()
    conn.close()
    with Notebook.open(old) as notebook:
        backlinks = notebook.backlinks("9c1f0a52-0000-4000-8000-000000000001")
        assert [b.passage.sentence for b in backlinks] == [
            "On [[Polysemanticity]] and [[Nowhere]]."
        ]
        rows = notebook.conn.execute("SELECT target_text, target FROM links").fetchall()
        assert rows == [("Polysemanticity", 1), ("Nowhere", None)]


# Every version before the queue's order: the notes to read keep the oldest-first order (no
# position yet), and a move places one of them.
@pytest.mark.parametrize("version_index", range(1, NAMES.index("0011_queue_position") + 1))
def test_the_reading_queue_keeps_its_order_from_every_earlier_version(
    tmp_path: Path, version_index: int
) -> None:
    from notebook_app.core.papers.reading_queue import move_in_queue, reading_queue

    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    conn = sqlite3.connect(old)
    for n, title in enumerate(("Older", "Newer"), start=2):
        conn.execute(
            "INSERT INTO entries (id, kind, title, body, created, updated, version, "
            f"reading_status) VALUES ('9c1f0a52-0000-4000-8000-00000000000{n}', 'note', ?, '', "
            f"'2024-01-0{n}T00:00:00.000000Z', '2024-01-0{n}T00:00:00.000000Z', 1, 'to-read')",
            [title],
        )
    index_as_version(conn, version_index, first_seq=2)
    conn.commit()
    conn.close()
    with Notebook.open(old) as notebook:
        assert [s.title for s in reading_queue(notebook)] == ["Older", "Newer"]
        newer = "9c1f0a52-0000-4000-8000-000000000003"
        assert move_in_queue(notebook, newer, position=1) == 1
    with Notebook.open(old) as notebook:
        assert [s.title for s in reading_queue(notebook)] == ["Newer", "Older"]


# Every version before the title index had the CJK bigrams: an old notebook's Korean, Japanese and
# Chinese titles and aliases are found by any part of two or more characters after migrating,
# and the rebuilt index stays in step through an edit, the trash and a purge.
@pytest.mark.parametrize("version_index", range(1, NAMES.index("0013_cjk_titles") + 1))
def test_cjk_titles_are_found_by_parts_from_every_earlier_version(
    tmp_path: Path, version_index: int
) -> None:
    from notebook_app.core.search.index_text import cjk_index_text

    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    conn = sqlite3.connect(old)
    title, aliases = "GPT-4 초전도체", json.dumps(["超伝導"], ensure_ascii=False)
    cjk_column, cjk_value = ("", "")
    if version_index >= 2:  # as that version wrote it (the body is empty)
        cjk_column, cjk_value = (", search_cjk", ", ?")
    conn.execute(
        f"INSERT INTO entries (id, kind, title, created, updated, version, aliases{cjk_column}) "
        "VALUES ('9c1f0a52-0000-4000-8000-000000000002', 'note', ?, "
        f"'2024-01-02T00:00:00.000000Z', '2024-01-02T00:00:00.000000Z', 1, ?{cjk_value})",
        [title, aliases] + ([cjk_index_text(title, aliases)] if cjk_column else []),
    )
    index_as_version(conn, version_index, first_seq=2)
    conn.commit()
    conn.close()
    with Notebook.open(old) as notebook:
        for part in ("초전", "전도", "도체", "gpt-4 전도", "伝導"):
            assert [s.title for s in notebook.titles_matching(part)] == [title], part
        entry = notebook.get("9c1f0a52-0000-4000-8000-000000000002")
        notebook.update(entry.id, entry.version, title="초전도 자석", aliases=[])
        assert [s.title for s in notebook.titles_matching("전도")] == ["초전도 자석"]
        assert notebook.titles_matching("도체") == notebook.titles_matching("伝導") == []
        notebook.trash(entry.id)
        assert notebook.titles_matching("전도") == []
        notebook.purge(entry.id)
        for index in ("titles_fts", "entries_fts"):
            notebook.conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
        count = notebook.conn.execute("SELECT count(*) FROM titles_fts").fetchone()[0]
        assert count == notebook.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
