"""When a backup cannot be made (a full disk, a folder that cannot be written, Ctrl+C), the
notebook stays where it is, as it was, and the message names what failed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.model.entry import Entry, Kind, parse_timestamp
from notebook_app.core.storage import backups
from notebook_app.core.storage.notebook import Notebook

SQLITE_FULL = 13


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_notebook(path: Path, entries: int = 3) -> None:
    with Notebook.open(path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"entry {i}") for i in range(entries))


def titles(path: Path) -> set[str]:
    with Notebook.open(path) as notebook:
        return {hit.title for hit in notebook.search("", limit=1000)}


def disk_full(*_args: object, **_kwargs: object) -> None:
    """What SQLite raises when the disk a copy is written to has no room left."""
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = SQLITE_FULL  # type: ignore[attr-defined]
    raise error


def test_a_full_backups_disk_lets_a_capture_in_and_says_no_backup_was_made(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notebook(db_path)
    monkeypatch.setattr(backups, "copy_database", disk_full)
    assert main(["--db", str(db_path), "capture", "typed while the disk was full"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no daily backup made in" in err and str(db_path.parent / "backups") in err
    assert "typed while the disk was full" in titles(db_path)
    assert not [p for p in (db_path.parent / "backups").iterdir()]  # no partial copy left


def test_an_import_is_refused_when_its_backup_cannot_be_made(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_notebook(db_path)
    backups.make_backup(db_path, "daily")  # today's: the import's own backup is the one failing
    note = tmp_path / "note.md"
    note.write_text("# Imported\n\ntext\n", encoding="utf-8")
    before = sha(db_path)
    monkeypatch.setattr(backups, "copy_database", disk_full)
    assert main(["--db", str(db_path), "import", str(note)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no backup could be made in" in err
    assert "nothing was imported" in err and "notebook.db: the disk is full" not in err
    assert sha(db_path) == before


def test_an_interrupted_backup_leaves_no_partial_copy(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notebook(db_path)

    def interrupted(source: sqlite3.Connection, target: Path, **_kwargs: object) -> None:
        target.write_bytes(b"half a copy")
        raise KeyboardInterrupt

    monkeypatch.setattr(backups, "copy_database", interrupted)
    with pytest.raises(KeyboardInterrupt):
        backups.make_backup(db_path, "daily")
    assert list((db_path.parent / "backups").iterdir()) == []


def test_a_restore_on_a_full_disk_leaves_the_notebook_in_place(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notebook(db_path)
    made = backups.make_backup(db_path, "daily")
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="written after the backup"))
    before = sha(db_path)
    monkeypatch.setattr(backups, "copy_database", disk_full)
    assert main(["--db", str(db_path), "restore-backup", "latest"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was restored" in err
    assert sha(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", "notebook.db"]
    assert [p.name for p in made.path.parent.iterdir()] == [made.name]


def test_a_restore_that_cannot_write_the_backup_in_puts_the_notebook_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notebook that cannot be read is moved aside for the backup; if the backup cannot be
    written in its place, the notebook goes back where it was."""
    make_notebook(db_path)
    made = backups.make_backup(db_path, "daily")
    db_path.write_bytes(b"garbage" * 2000)
    real_copy = backups.copy_database

    def full_in_the_notebook_s_folder(
        source: sqlite3.Connection, target: Path, **kwargs: object
    ) -> None:
        if target.parent == db_path.parent:
            disk_full()
        real_copy(source, target)

    monkeypatch.setattr(backups, "copy_database", full_in_the_notebook_s_folder)
    with pytest.raises(sqlite3.OperationalError):
        backups.restore_backup(db_path, made)
    assert db_path.read_bytes() == b"garbage" * 2000
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", "notebook.db"]


def test_restoring_an_old_backup_of_a_busy_day_does_not_rotate_it_away(db_path: Path) -> None:
    """The copy kept aside before a restore is not followed by a rotation, which could delete
    the very backup being restored (here the oldest of today's newest five)."""
    make_notebook(db_path, 1)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    made = []
    for minute in range(5):
        with Notebook.open(db_path) as notebook:
            notebook.add(Entry(kind=Kind.NOTE, title=f"after backup {minute}"))
        moment = start + dt.timedelta(minutes=minute)
        made.append(backups.make_backup(db_path, "import", now=lambda moment=moment: moment))
    oldest = made[0]
    later = start + dt.timedelta(minutes=10)
    aside = backups.restore_backup(db_path, oldest, now=lambda: later)
    assert aside is not None and aside.exists()
    assert titles(db_path) == {"entry 0", "after backup 0"}


def test_a_save_while_the_restore_copies_the_notebook_aside_is_not_lost(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window saving while the notebook is copied aside: its save either waits for the
    restore (and goes in after it) or is in the copy kept aside, never in neither."""
    make_notebook(db_path, 2)
    made = backups.make_backup(db_path, "daily")
    real_make_backup = backups.make_backup
    saved: list[bool] = []

    def a_window_saves_meanwhile(notebook: Path, reason: str, **kwargs: object) -> backups.Backup:
        copy = real_make_backup(notebook, reason, **kwargs)  # type: ignore[arg-type]
        window = sqlite3.connect(notebook, timeout=0)
        try:
            window.execute("INSERT INTO tags (name) VALUES ('saved during the copy')")
            window.commit()
            saved.append(True)
        except sqlite3.OperationalError:  # locked: the window saves again after the restore
            saved.append(False)
        finally:
            window.close()
        return copy

    monkeypatch.setattr(backups, "make_backup", a_window_saves_meanwhile)
    aside = backups.restore_backup(db_path, made)
    assert aside is not None
    conn = sqlite3.connect(aside)
    kept = conn.execute("SELECT count(*) FROM tags WHERE name = 'saved during the copy'")
    assert saved == [False] or kept.fetchone()[0] == 1
    conn.close()


def test_two_notebooks_with_one_stem_keep_their_backups_apart(tmp_path: Path) -> None:
    """work.db and work.sqlite in one folder: each lists, restores and rotates its own."""
    first, second = tmp_path / "work.db", tmp_path / "work.sqlite"
    make_notebook(first, 1)
    make_notebook(second, 2)
    morning = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    mine = backups.make_backup(first, "daily", now=lambda: morning)
    later = morning + dt.timedelta(hours=1)
    theirs = backups.make_backup(second, "daily", now=lambda: later)
    assert backups.list_backups(first) == [mine]
    assert backups.list_backups(second) == [theirs]
    backups.restore_backup(first, backups.find_backup(first, "latest"))
    assert titles(first) == {"entry 0"}


def test_a_backup_named_after_the_stem_before_still_belongs_to_its_notebook(
    tmp_path: Path,
) -> None:
    notebook = tmp_path / "work.sqlite"
    make_notebook(notebook, 1)
    made = backups.make_backup(notebook, "daily")
    earlier = made.path.with_name(made.name.replace("work.sqlite-", "work-", 1))
    made.path.rename(earlier)  # as backups were named before
    assert [b.name for b in backups.list_backups(notebook)] == [earlier.name]


def test_backups_json_times_read_as_every_other_time_the_command_line_prints(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    make_notebook(db_path, 1)
    backups.make_backup(
        db_path, "daily", now=lambda: dt.datetime(2026, 3, 2, 9, 5, 7, tzinfo=dt.UTC)
    )
    capsys.readouterr()
    assert main(["--db", str(db_path), "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["time"] for item in listed] == ["2026-03-02T09:05:07.000000Z"]
    assert parse_timestamp(listed[0]["time"]) == dt.datetime(2026, 3, 2, 9, 5, 7, tzinfo=dt.UTC)
