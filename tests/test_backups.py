"""Backups (rotation on an injected clock, restore keeping the current file aside), ``check``
and ``recover``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage import backups, database, migrations, problems
from notebook_app.core.storage.check import check_notebook
from notebook_app.core.storage.notebook import Notebook

PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clock(moment: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: moment


def make_notebook(path: Path, entries: int = 3) -> list[str]:
    with Notebook.open(path) as notebook:
        added = notebook.add_many(
            Entry(kind=Kind.NOTE, title=f"entry {i}", body=f"body{i} " * 100, tags=[f"t{i % 3}"])
            for i in range(entries)
        )
        return [entry.id for entry in added]


def titles(path: Path) -> set[str]:
    with Notebook.open(path) as notebook:
        return {hit.title for hit in notebook.search("", limit=100_000)}


# --- making and keeping --------------------------------------------------------------------------


def test_backup_is_a_complete_checked_notebook(db_path: Path) -> None:
    make_notebook(db_path, 5)
    made = backups.make_backup(db_path, "daily")
    assert made.path.parent == db_path.parent / "backups"
    assert made.path.name.startswith("notebook-") and made.reason == "daily"
    assert not made.damaged
    assert titles(made.path) == titles(db_path)


def test_daily_backup_only_when_none_today(db_path: Path) -> None:
    make_notebook(db_path)
    monday = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert backups.backup_if_due(db_path, now=clock(monday)) is not None
    assert backups.backup_if_due(db_path, now=clock(monday + dt.timedelta(hours=8))) is None
    assert backups.backup_if_due(db_path, now=clock(monday + dt.timedelta(days=1))) is not None
    assert len(backups.list_backups(db_path)) == 2


def test_rotation_keeps_seven_daily_four_weekly(db_path: Path) -> None:
    make_notebook(db_path)
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    days = [start + dt.timedelta(days=n) for n in range(60)]
    for moment in days:
        backups.backup_if_due(db_path, now=clock(moment))
    kept = sorted(b.time.date() for b in backups.list_backups(db_path))
    last = days[-1].date()
    # The last 7 days...
    assert kept[-7:] == [last - dt.timedelta(days=n) for n in range(6, -1, -1)]
    # ...and the newest day of each of the last 4 ISO weeks (Sundays before this week's).
    weeks = {d.isocalendar()[:2] for d in kept}
    assert len(weeks) == 4
    older = [d for d in kept if d < last - dt.timedelta(days=6)]
    assert older and all(d.isoweekday() == 7 for d in older)
    assert kept[0] >= last - dt.timedelta(weeks=4)


def test_rotation_keeps_the_day_s_import_backups_and_a_size_limit_spares_the_newest(
    db_path: Path,
) -> None:
    make_notebook(db_path)
    morning = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    for hour in range(4):
        backups.backup_before(db_path, "import", now=clock(morning + dt.timedelta(hours=hour)))
    assert [b.reason for b in backups.list_backups(db_path)] == ["import"] * 4
    newest = backups.list_backups(db_path)[0]
    removed = backups.rotate(db_path, max_bytes=1)
    assert len(removed) == 3
    assert backups.list_backups(db_path) == [newest]


def test_a_damaged_copy_marks_the_notebook_and_pushes_no_sound_backup_out(db_path: Path) -> None:
    make_notebook(db_path, 200)
    day = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    sound = [backups.make_backup(db_path, "daily", now=clock(day - dt.timedelta(days=n)))
             for n in range(1, 8)]  # fmt: skip
    overwrite_page(db_path, root_page(db_path, "entries"))
    made = backups.make_backup(db_path, "daily", now=clock(day))
    assert made.damaged and made.name.endswith("-daily-damaged.db")
    assert problems.known_damage(db_path) is not None
    left = {b.path for b in backups.list_backups(db_path)}
    assert {b.path for b in sound} <= left
    assert backups.find_backup(db_path, "latest") == sound[0]


def test_a_migration_is_preceded_by_a_backup_of_the_old_notebook(db_path: Path) -> None:
    conn = database.connect(db_path, migrate=False)
    migrations.apply(conn, stop_before=migrations.migration_names()[2])
    conn.close()
    Notebook.open(db_path).close()
    [made] = backups.list_backups(db_path)
    assert made.reason == "migration"
    conn = sqlite3.connect(made.path)
    try:
        assert migrations.schema_version(conn) == 2
    finally:
        conn.close()
    Notebook.open(db_path).close()  # up to date: no second backup
    assert len(backups.list_backups(db_path)) == 1


# --- the commands ---------------------------------------------------------------------------------


def test_writing_commands_back_up_daily_and_before_import(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    assert main(["--db", str(db_path), "capture", "first"]) == 0  # new: nothing to back up
    assert backups.list_backups(db_path) == []
    assert main(["--db", str(db_path), "capture", "second"]) == 0
    assert [b.reason for b in backups.list_backups(db_path)] == ["daily"]
    assert main(["--db", str(db_path), "list"]) == 0  # reading: no backup
    note = tmp_path / "note.md"
    note.write_text("# Imported\n\ntext\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", str(note)]) == 0
    assert [b.reason for b in backups.list_backups(db_path)] == ["import", "daily"]
    capsys.readouterr()
    assert main(["--db", str(db_path), "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [sorted(item) for item in listed] == [["name", "path", "reason", "size", "time"]] * 2
    assert listed[0]["reason"] == "import" and listed[0]["size"] > 0


def test_restore_backup_keeps_the_current_notebook_aside(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path, 2)
    made = backups.make_backup(db_path, "daily", now=clock(dt.datetime(2026, 3, 1, tzinfo=dt.UTC)))
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="written after the backup"))
    # A window keeps the notebook open meanwhile: it must see the restored entries.
    window = Notebook.open(db_path)
    try:
        capsys.readouterr()
        assert main(["--db", str(db_path), "restore-backup", made.name[:20]]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"restored {made.name} into {db_path}")
        aside = Path(out.rsplit("kept in ", 1)[1].strip())
        assert "before-restore" in aside.name and aside.parent == made.path.parent
        assert "written after the backup" in titles(aside)
        assert titles(db_path) == {"entry 0", "entry 1"}
        assert window.count_entries() == 2
    finally:
        window.close()


def test_restore_over_a_file_that_is_not_a_database_moves_it_aside(db_path: Path) -> None:
    make_notebook(db_path, 2)
    made = backups.make_backup(db_path, "daily")
    db_path.write_bytes(b"garbage" * 2000)
    aside = backups.restore_backup(db_path, made)
    assert aside is not None and aside.read_bytes() == b"garbage" * 2000
    assert titles(db_path) == {"entry 0", "entry 1"}


def test_restore_with_no_backup_is_one_line(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path)
    assert main(["--db", str(db_path), "restore-backup", "latest"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no backups" in err


# --- check and recover ---------------------------------------------------------------------------


def root_page(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        return int(conn.execute(sql, [name]).fetchone()[0])
    finally:
        conn.close()


def overwrite_page(path: Path, page: int) -> None:
    with path.open("r+b") as file:
        file.seek((page - 1) * PAGE)
        file.write(bytes(range(256)) * (PAGE // 256))


def test_check_reports_a_sound_notebook_and_clears_old_damage(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path, 10)
    problems.mark_damaged(db_path, "earlier")
    assert main(["--db", str(db_path), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sound"] is True and report["entries"] == 10
    assert report["checked"] == ["integrity_check", "entries_fts", "titles_fts", "attachments"]
    assert problems.known_damage(db_path) is None


def test_check_reports_a_damaged_full_text_index(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path, 50)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE entries_fts_data SET block = zeroblob(length(block)) "
        "WHERE id = (SELECT max(id) FROM entries_fts_data)"
    )
    conn.commit()
    conn.close()
    before = sha(db_path)
    assert main(["--db", str(db_path), "check"]) == 1
    captured = capsys.readouterr()
    assert "the full-text index entries_fts is damaged" in captured.out
    assert "titles_fts" not in captured.out
    assert captured.err.count("\n") == 1 and "recover" in captured.err
    assert sha(db_path) == before


def test_check_reports_a_damaged_page(db_path: Path) -> None:
    make_notebook(db_path, 200)
    overwrite_page(db_path, root_page(db_path, "entries_by_title"))
    before = sha(db_path)
    report = check_notebook(db_path)
    assert not report.sound and report.problems
    assert sha(db_path) == before


def test_recover_gets_the_readable_entries_back(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    ids = make_notebook(db_path, 400)
    with Notebook.open(db_path) as notebook:
        for entry_id in ids[-5:]:
            notebook.update(entry_id, 1, body="revised", checkpoint=True)
    # Damage one leaf page of the entries table (not its root): only its rows are lost.
    conn = sqlite3.connect(db_path)
    leaf = conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' "
        "ORDER BY pageno LIMIT 1 OFFSET 3"
    ).fetchone()
    conn.close()
    if leaf is None:
        pytest.skip("this SQLite has no dbstat table")
    overwrite_page(db_path, int(leaf[0]))
    before = sha(db_path)
    out = tmp_path / "recovered.db"
    assert main(["--db", str(db_path), "recover", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("recovered ") and str(out) in lines[0]
    assert any(line.startswith("could not read entries with keys") for line in lines)
    assert sha(db_path) == before
    with Notebook.open(out) as recovered:
        count = recovered.count_entries()
        assert 300 < count < 400
        # Tags and the search index came along for the entries that did.
        assert sum(t.count for t in recovered.tag_counts()) == count
        assert [h.title for h in recovered.search("body1")] == ["entry 1"]
        # Revisions came along too (the revised entries sit in the last page, not damaged).
        assert recovered.history(ids[-1])[0].entry.body.startswith("body399")
    assert check_notebook(out).sound


def test_recover_from_a_notebook_before_cjk_titles_finds_them_by_parts(
    db_path: Path, tmp_path: Path
) -> None:
    # The title bigrams are derived: a source from before them gets them in the recovered copy.
    conn = database.connect(db_path, migrate=False)
    migrations.apply(conn, stop_before="0013_cjk_titles")
    conn.execute(
        "INSERT INTO entries (id, kind, title, created, updated) VALUES ('a', 'note', "
        "'초전도체', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z')"
    )
    old_titles = (migrations.TITLE_FTS_COLUMNS_0002, migrations.TITLE_FTS_VALUES_0002)
    for statement in migrations.index_new_entries_sql(None, old_titles):
        conn.execute(statement, {"first_seq": 1})
    conn.commit()
    conn.close()
    out = tmp_path / "recovered.db"
    assert main(["--db", str(db_path), "recover", str(out)]) == 0
    with Notebook.open(out) as recovered:
        assert [s.title for s in recovered.titles_matching("전도")] == ["초전도체"]
    assert check_notebook(out).sound


def test_recover_refuses_an_existing_target(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    make_notebook(db_path)
    target = tmp_path / "exists.db"
    target.write_text("mine", encoding="utf-8")
    assert main(["--db", str(db_path), "recover", str(target)]) == 1
    assert "exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_backup_is_one_snapshot_while_another_connection_writes(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notebook(db_path, 300)
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 8)
    writer = Notebook.open(db_path)
    steps: list[int] = []

    def write_between_steps(done: int, total: int) -> None:
        # An autosave lands between every two steps; without a snapshot each one would
        # restart the copy from the first page.
        steps.append(done)
        if len(steps) <= 40:
            writer.add(Entry(kind=Kind.NOTE, title=f"written during step {len(steps)}"))

    source = sqlite3.connect(db_path)
    try:
        backups.copy_database(source, tmp_path / "copy.db", progress=write_between_steps)
    finally:
        source.close()
        writer.close()
    pages = (tmp_path / "copy.db").stat().st_size // PAGE
    assert len(steps) <= pages // 8 + 2  # no restart
    assert steps == sorted(steps)
    assert len(titles(tmp_path / "copy.db")) == 300  # the snapshot: none of the later writes


def test_recover_from_a_file_that_is_no_database_says_so(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    make_notebook(db_path)
    overwrite_page(db_path, 1)  # the header and the schema
    assert main(["--db", str(db_path), "recover", str(tmp_path / "out.db")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing to recover" in err and "backups" in err
    assert not (tmp_path / "out.db").exists()


def test_a_notebook_with_backups_whose_header_is_damaged_points_to_them(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path)
    backups.make_backup(db_path, "daily")
    overwrite_page(db_path, 1)
    assert main(["--db", str(db_path), "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "restore-backup latest" in err
    assert main(["--db", str(db_path), "restore-backup", "latest"]) == 0
    assert len(titles(db_path)) == 3


def test_backups_check_and_restore_leave_no_stray_files(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path)
    made = backups.make_backup(db_path, "daily")
    assert main(["--db", str(db_path), "check"]) == 0
    assert main(["--db", str(db_path), "restore-backup", "latest"]) == 0
    folder = made.path.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        b.name for b in backups.list_backups(db_path)
    )  # no -wal, -shm or partial files beside the copies
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", "notebook.db"]
