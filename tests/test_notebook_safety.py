"""The notebook file at the edges: missing paths, odd files, read-only and damaged notebooks.

Every case asserts the one-line message, the exit status and, where a notebook exists, that its
file is byte for byte unchanged (sha256). Commands run in-process through ``cli.main`` (a
traceback there fails the test) and, for a few, as a real child process.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage import database, problems
from notebook_app.core.storage.notebook import Notebook

ENTRIES = 300
PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("notebook-app: ") and "Traceback" not in err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A notebook of a few hundred entries with tags and revisions, built once."""
    path = tmp_path_factory.mktemp("template") / "notebook.db"
    with Notebook.open(path) as notebook:
        entries = notebook.add_many(
            Entry(kind=Kind.NOTE, title=f"entry {i}", body=f"word{i} " * 150, tags=[f"t{i % 7}"])
            for i in range(ENTRIES)
        )
        for entry in entries[:40]:
            notebook.update(entry.id, entry.version, body="edited")
    return path, [entry.id for entry in entries]


@pytest.fixture
def copy(template: tuple[Path, list[str]], tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    path = tmp_path / "notebook.db"
    shutil.copy(template[0], path)
    yield path, template[1]


def root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        )
    finally:
        conn.close()


def overwrite_page(path: Path, page: int, seed: int = 0) -> None:
    """Overwrite page ``page`` (1-based, as SQLite numbers them) with random bytes."""
    import random

    with path.open("r+b") as file:
        file.seek((page - 1) * PAGE)
        file.write(random.Random(seed).randbytes(PAGE))


# --- paths ---------------------------------------------------------------------------------------

READING = [
    ["list"],
    ["search", "word"],
    ["show", "abcd1234"],
    ["tags"],
    ["history", "abcd1234"],
    ["trash"],
    ["export", "OUT"],
    ["import", "IN", "--dry-run"],
]


@pytest.mark.parametrize("args", READING, ids=lambda a: "-".join(a))
def test_reading_commands_on_a_missing_notebook_create_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "in.md").write_text("# A note\n", encoding="utf-8")
    args = [a.replace("OUT", str(tmp_path / "out")).replace("IN", str(tmp_path / "in.md"))
            for a in args]  # fmt: skip
    before = sorted(os.listdir(tmp_path))
    code, out, err = cli(capsys, tmp_path / "missing.db", *args)
    assert code == 1
    assert one_line(err) and f"no notebook at {tmp_path / 'missing.db'}" in err
    assert sorted(os.listdir(tmp_path)) == before


def test_a_mistyped_folder_is_not_made_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "typo" / "sub" / "notebok.db"
    code, _out, err = cli(capsys, typo, "search", "anything")
    assert code == 1 and one_line(err) and "no notebook at" in err
    code, _out, err = cli(capsys, typo, "capture", "a thought")
    assert code == 1 and one_line(err) and "--create makes it" in err
    assert not (tmp_path / "typo").exists()
    assert main(["--db", str(typo), "--create", "capture", "a thought"]) == 0
    with Notebook.open(typo) as notebook:
        assert notebook.count_entries() == 1


def test_the_window_is_not_opened_on_a_mistyped_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import notebook_app.cli as cli_module

    opened: list[Path] = []
    monkeypatch.setattr(cli_module, "open_window", lambda path: opened.append(path) or 0)
    typo = tmp_path / "typo" / "notebok.db"
    assert main(["--db", str(typo)]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and "--create makes it" in err
    assert opened == [] and not (tmp_path / "typo").exists()
    assert main(["--db", str(tmp_path / "new.db")]) == 0  # an existing folder: the window opens
    assert opened == [tmp_path / "new.db"]


def test_a_writing_command_makes_a_new_notebook_in_an_existing_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, _err = cli(capsys, tmp_path / "new.db", "capture", "first")
    assert code == 0
    # Built aside and linked into place: nothing else is left in the folder.
    assert sorted(os.listdir(tmp_path)) == ["new.db"]


def _special(kind: str, tmp_path: Path) -> Path:
    if kind == "null":
        return Path("/dev/null")
    if kind == "folder":
        return tmp_path
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    return fifo


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("kind", ["null", "fifo", "folder"])
@pytest.mark.parametrize("command", [["list"], ["capture", "x"], ["check"], ["recover", "OUT"]])
def test_special_files_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, command: list[str]
) -> None:
    path = _special(kind, tmp_path)
    command = [c.replace("OUT", str(tmp_path / "out.db")) for c in command]
    code, _out, err = cli(capsys, path, *command)
    assert code == 1 and one_line(err)
    assert "not a regular file" in err or "is a folder" in err
    assert not (tmp_path / "out.db").exists()


def test_an_empty_file_is_refused_and_left_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (["capture", "x"], ["list"]):
        code, _out, err = cli(capsys, empty, *args)
        assert code == 1 and one_line(err) and "is an empty file" in err
    assert empty.stat().st_size == 0
    assert sorted(os.listdir(tmp_path)) == ["empty.db"]


def test_an_sqlite_file_with_no_tables_is_completed(tmp_path: Path) -> None:
    # What an earlier version left when stopped while making a new notebook.
    path = tmp_path / "unfinished.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with Notebook.open(path) as notebook:
        assert notebook.add(Entry(kind=Kind.NOTE, title="kept")).version == 1


# --- read-only notebooks ---------------------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand a read-only notebook in for a real one: root (as in CI) may write any file."""
    monkeypatch.setattr(database, "writable", lambda path: False)


@pytest.mark.usefixtures("read_only")
def test_a_read_only_notebook_reads_and_refuses_writes(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, ids = copy
    before = sha(path)
    for args in (["list"], ["search", "word77"], ["show", ids[77]], ["tags"], ["history", ids[0]],
                 ["export", str(tmp_path / "out")], ["check"], ["backups"]):  # fmt: skip
        code, out, err = cli(capsys, path, *args)
        assert (code, err) == (0, ""), args
        assert out, args
    for args in (["capture", "x"], ["trash", ids[0]], ["tag-rename", "t1", "t9"],
                 ["history", ids[0], "--restore", "1"], ["restore-backup", "latest"]):  # fmt: skip
        code, _out, err = cli(capsys, path, *args)
        assert code == 1 and one_line(err), args
        assert "read-only" in err or "no backups" in err, args
    assert sha(path) == before


@pytest.mark.usefixtures("read_only")
def test_a_read_only_connection_cannot_write(copy: tuple[Path, list[str]]) -> None:
    path, ids = copy
    conn = database.connect(path, write=False)
    try:
        assert database.is_read_only(conn)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM entries")
    finally:
        conn.close()
    with pytest.raises(problems.ReadOnlyNotebookError):
        database.connect(path)


def test_a_read_only_folder_is_read_as_immutable(
    capsys: pytest.CaptureFixture[str],
    copy: tuple[Path, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No -shm file can be made in a read-only folder: the notebook is then read as immutable.
    path, _ids = copy
    folder = str(path.parent)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK and str(p).startswith(folder)
        else real_access(p, mode)
    )  # fmt: skip
    before = sorted(os.listdir(path.parent))
    code, out, err = cli(capsys, path, "search", "word123")
    assert code == 0 and err == "" and "entry 123" in out
    assert sorted(os.listdir(path.parent)) == before  # not even a -shm file


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root writes read-only files and folders; the tests above stand one in for it",
)
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_really_read_only_notebook(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, list[str]], what: str
) -> None:
    path, _ids = copy
    target = path if what == "file" else path.parent
    target.chmod(0o555 if what == "folder" else 0o444)
    try:
        before = sha(path)
        assert cli(capsys, path, "list")[0] == 0
        code, _out, err = cli(capsys, path, "capture", "x")
        assert code == 1 and one_line(err) and "read-only" in err
        assert sha(path) == before
    finally:
        target.chmod(0o755 if what == "folder" else 0o644)


# --- damaged notebooks -----------------------------------------------------------------------

# Commands that read the entries table itself (tags and history read other tables).
ENTRIES_READING = [["list"], ["search", "word77"], ["show", "ID"], ["export", "OUT"]]
DAMAGE_READING = [*ENTRIES_READING, ["tags"], ["history", "ID"], ["trash"]]


def _args(args: list[str], ids: list[str], tmp_path: Path) -> list[str]:
    return [a.replace("ID", ids[77]).replace("OUT", str(tmp_path / "out")) for a in args]


@pytest.mark.parametrize("args", ENTRIES_READING, ids=lambda a: a[0])
def test_a_damaged_table_gives_one_line_and_leaves_the_file(
    capsys: pytest.CaptureFixture[str],
    copy: tuple[Path, list[str]],
    tmp_path: Path,
    args: list[str],
) -> None:
    path, ids = copy
    overwrite_page(path, root_page(path, "entries"))
    before = sha(path)
    code, _out, err = cli(capsys, path, *_args(args, ids, tmp_path))
    assert code == 1 and one_line(err)
    assert f"the notebook {path} is damaged" in err
    assert "check" in err and "recover" in err
    assert sha(path) == before
    assert problems.known_damage(path) is not None


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95])
def test_one_overwritten_page_anywhere_never_gives_a_traceback(
    capsys: pytest.CaptureFixture[str],
    copy: tuple[Path, list[str]],
    tmp_path: Path,
    fraction: float,
) -> None:
    path, ids = copy
    pages = path.stat().st_size // PAGE
    overwrite_page(path, max(2, int(pages * fraction)), seed=int(fraction * 100))
    before = sha(path)
    for args in [*DAMAGE_READING, ["check"]]:
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        code, _out, err = cli(capsys, path, *_args(args, ids, tmp_path))
        assert code in (0, 1), args
        assert code == 0 or one_line(err), (args, err)
        assert sha(path) == before, args


def test_capture_refuses_a_notebook_found_damaged(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, list[str]]
) -> None:
    path, _ids = copy
    overwrite_page(path, root_page(path, "entries"))
    before = sha(path)
    # No backup yet today: the daily backup made before writing finds the damage.
    code, _out, err = cli(capsys, path, "capture", "a thought")
    assert code == 1 and one_line(err) and "is damaged" in err and "refused" in err
    assert sha(path) == before
    # Found: later writes are refused at once, without a backup.
    code, _out, err = cli(capsys, path, "tag-rename", "t1", "t2")
    assert code == 1 and one_line(err) and "refused" in err
    assert sha(path) == before


def test_capture_refuses_after_a_read_saw_the_damage(
    capsys: pytest.CaptureFixture[str], copy: tuple[Path, list[str]]
) -> None:
    path, _ids = copy
    assert cli(capsys, path, "capture", "before the damage")[0] == 0  # today's backup is made
    overwrite_page(path, root_page(path, "entries_by_updated"))
    before = sha(path)
    assert cli(capsys, path, "list")[0] == 1
    code, _out, err = cli(capsys, path, "capture", "after the damage")
    assert code == 1 and "refused" in err
    assert sha(path) == before


def test_a_damaged_notebook_as_a_real_process(copy: tuple[Path, list[str]]) -> None:
    path, _ids = copy
    overwrite_page(path, root_page(path, "entries"))
    before = sha(path)
    for args in (["list"], ["capture", "x"]):
        result = subprocess.run(
            [sys.executable, "-m", "notebook_app", "--db", str(path), *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 1
        assert one_line(result.stderr) and "is damaged" in result.stderr
    assert sha(path) == before
