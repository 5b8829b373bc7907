"""Odd things handed to the command line: a path that is not a notebook (another program's
database, a link to a missing file), a closed standard input or standard error. A refusal is
one line, exit status 1, and nothing written."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


@pytest.fixture
def other_database(tmp_path: Path) -> Path:
    """Another program's SQLite database, sound."""
    path = tmp_path / "invoices.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("json", [[], ["--json"]])
def test_check_calls_another_program_s_database_not_a_notebook_not_damaged(
    capsys: pytest.CaptureFixture[str], other_database: Path, json: list[str]
) -> None:
    before = files_in(other_database.parent)
    assert main(["--db", str(other_database), "check", *json]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"notebook-app: {other_database} is an SQLite database, but not a notebook\n"
    )
    assert files_in(other_database.parent) == before  # no -damaged marker beside it


def test_recover_refuses_another_program_s_database(
    capsys: pytest.CaptureFixture[str], other_database: Path
) -> None:
    out = other_database.parent / "recovered.db"
    assert main(["--db", str(other_database), "recover", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"notebook-app: {other_database} is an SQLite database, but not a notebook\n"
    assert not out.exists()


@pytest.mark.parametrize("command", [["capture", "typed"], ["list"], ["check"]])
def test_a_link_to_a_missing_notebook_is_not_called_read_only_nor_made_into_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    link = tmp_path / "notebook.db"
    link.symlink_to(tmp_path / "moved" / "notebook.db")
    (tmp_path / "moved").mkdir()
    assert main(["--db", str(link), *command]) == 1
    assert capsys.readouterr().err == (
        f"notebook-app: no notebook at {link}: it is a link to "
        f"{tmp_path / 'moved' / 'notebook.db'}, which does not exist\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moved", "notebook.db"]
    assert list((tmp_path / "moved").iterdir()) == []


def test_capture_from_a_closed_standard_input_says_so(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "notebook_app", "--db", str(db_path), "capture", "-"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: os.close(0),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "notebook-app: standard input is closed; nothing was captured\n"


def test_with_standard_error_closed_standard_output_holds_only_the_json(db_path: Path) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"entry {i}") for i in range(3))
    result = subprocess.run(
        [sys.executable, "-m", "notebook_app", "--db", str(db_path), "list", "--limit", "1",
         "--json"],
        capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.close(2),
    )  # fmt: skip
    assert result.returncode == 0
    assert [entry["title"] for entry in json.loads(result.stdout)] == ["entry 2"]


def test_recover_into_a_missing_folder_names_the_folder(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    Notebook.open(db_path).close()
    out = tmp_path / "no such folder" / "recovered.db"
    assert main(["--db", str(db_path), "recover", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"notebook-app: cannot write {out}: no folder {out.parent}\n"
    )
    assert not out.parent.exists()


def test_check_lists_each_problem_on_a_line_of_its_own(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"entry {i}", body="x " * 500)
                          for i in range(200))  # fmt: skip
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
    conn.close()
    with db_path.open("r+b") as file:  # a page of the entries' table overwritten
        file.seek((root - 1) * 4096)
        file.write(b"\xde\xad" * 2048)
    assert main(["--db", str(db_path), "check", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert len(problems) > 1
    assert all("\n" not in problem and not problem.startswith("***") for problem in problems)


def test_json_is_utf8_and_text_does_not_fail_where_the_locale_is_not(db_path: Path) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Scroll 📜 and 한국어"))
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}  # as a Latin-1 locale, a Windows pipe
    command = [sys.executable, "-m", "notebook_app", "--db", str(db_path), "list"]
    as_json = subprocess.run([*command, "--json"], capture_output=True, env=env, timeout=60)
    assert as_json.returncode == 0 and as_json.stderr == b""
    assert json.loads(as_json.stdout.decode("utf-8"))[0]["title"] == "Scroll 📜 and 한국어"
    as_text = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert as_text.returncode == 0 and as_text.stderr == b""
    assert as_text.stdout.decode("latin-1").rstrip().endswith("Scroll ? and ???")


def test_check_with_a_full_temporary_disk_does_not_blame_the_notebook(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notebook_app.core.storage import backups

    Notebook.open(db_path).close()

    def disk_full(*_args: object, **_kwargs: object) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # type: ignore[attr-defined]  # SQLITE_FULL
        raise error

    monkeypatch.setattr(backups, "copy_database", disk_full)
    assert main(["--db", str(db_path), "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "temporary folder" in err and "its disk is full" in err
    assert f"cannot write {db_path}" not in err
    assert not (db_path.parent / "notebook.db-damaged").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("words", [["list", "--json"], ["show", "entr"], ["--version"]])
def test_output_to_a_full_disk_is_said_of_the_output_not_of_the_notebook(
    db_path: Path, words: list[str]
) -> None:
    with Notebook.open(db_path) as notebook:
        entry = notebook.add(Entry(kind=Kind.NOTE, title="entry", body="text " * 3000))
    words = [entry.id if word == "entr" else word for word in words]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "notebook_app", "--db", str(db_path), *words],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "notebook-app: cannot write the output (No space left on device)\n"


def test_capture_reads_no_more_than_a_note_may_hold_from_standard_input(db_path: Path) -> None:
    Notebook.open(db_path).close()
    endless = b"Title\n" + b"y\n" * (10 * 1024 * 1024)  # as `yes | notebook-app capture -`
    result = subprocess.run(
        [sys.executable, "-m", "notebook_app", "--db", str(db_path), "capture", "-"],
        input=endless, capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr == (
        b"notebook-app: standard input is too large for a note (the limit is 20 MB); "
        b"nothing was captured\n"
    )
    with Notebook.open(db_path) as notebook:
        assert notebook.count_entries() == 0


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_is_shown_a_note_s_control_characters_not_made_to_obey_them(
    db_path: Path,
) -> None:
    import pty

    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Evil \x1b[2J\x1b]0;owned\x07 title"))
    command = [sys.executable, "-m", "notebook_app", "--db", str(db_path), "list"]
    main_end, terminal = pty.openpty()
    try:
        result = subprocess.run(command, stdout=terminal, stderr=subprocess.PIPE, timeout=60)
        shown = os.read(main_end, 65536).decode("utf-8")
    finally:
        os.close(main_end)
        os.close(terminal)
    assert result.returncode == 0
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Evil \ufffd[2J\ufffd]0;owned\ufffd title" in shown
    piped = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert "Evil \x1b[2J\x1b]0;owned\x07 title" in piped.stdout  # a script gets it as stored


def test_an_interrupted_recover_leaves_nothing_at_out(db_path: Path, tmp_path: Path) -> None:
    from notebook_app.core.storage.recover import recover_notebook

    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"entry {i}") for i in range(5))
    out = tmp_path / "recovered.db"

    def interrupted(table: str) -> None:
        if table == "entry_tags":  # tags and entries are copied: Ctrl+C
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        recover_notebook(db_path, out, progress=interrupted)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebook.db"]
    report = recover_notebook(db_path, out)  # the same name again: nothing in the way
    assert report.copied["entries"] == 5 and out.exists()


@pytest.mark.parametrize("words", [["capture", "typed"], ["capture", "--create", "typed"], []])
def test_a_path_through_a_file_gets_no_create_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, words: list[str]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    path = blocker / "sub" / "notebook.db"
    assert main(["--db", str(path), *words]) == 1
    assert capsys.readouterr().err == (
        f"notebook-app: no notebook at {path} (a part of the path is a file)\n"
    )
