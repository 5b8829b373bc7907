"""The command line as a contract: output formats, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app import __version__
from notebook_app.cli import main
from notebook_app.core.storage.notebook import Notebook


def run(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process, as a script or a shell would."""
    env = {**os.environ, "NOTEBOOK_APP_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "notebook_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def cli_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> object:
    assert main(["--db", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_capture_list_search_show_as_a_user_would(db_path: Path) -> None:
    term = run(db_path, "capture", "--kind", "term", "--tag", "mechinterp",
               "Superposition\nMore features than dimensions.")  # fmt: skip
    assert term.returncode == 0, term.stderr
    term_id = term.stdout.strip()
    assert len(term_id) == 36

    note = run(db_path, "capture", "--tag", "ml/papers", "-",
               stdin="Towards Monosemanticity\n\nSparse autoencoders find features.\n")  # fmt: skip
    meeting = run(db_path, "capture", "--kind", "meeting", "Chat with an eval researcher")
    assert note.returncode == 0 and meeting.returncode == 0

    listed = json.loads(run(db_path, "list", "--json").stdout)
    assert {item["kind"] for item in listed} == {"note", "term", "meeting"}
    for item in listed:
        assert {"id", "kind", "title", "tags", "created", "updated"} <= set(item)

    found = json.loads(run(db_path, "search", "features", "--json").stdout)
    assert [item["title"] for item in found] == ["Superposition", "Towards Monosemanticity"] or [
        item["title"] for item in found
    ] == ["Towards Monosemanticity", "Superposition"]
    assert all("snippet" in item for item in found)

    by_tag = json.loads(run(db_path, "list", "--tag", "ml", "--json").stdout)
    assert [item["title"] for item in by_tag] == ["Towards Monosemanticity"]

    shown = json.loads(run(db_path, "show", term_id[:8], "--json").stdout)
    assert shown["title"] == "Superposition"
    assert shown["body"] == "More features than dimensions."
    assert shown["tags"] == ["mechinterp"]

    text = run(db_path, "show", term_id).stdout
    assert text.startswith("# Superposition") and "More features" in text


def test_korean_capture_and_search(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert main(["--db", str(db_path), "capture", "지원서 초안\n3년간 개발경력 있고"]) == 0
    capsys.readouterr()
    found = cli_json(capsys, db_path, "search", "경력")
    assert [item["title"] for item in found] == ["지원서 초안"]  # type: ignore[index]


def test_filters_on_the_command_line(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    main(["--db", str(db_path), "capture", "--kind", "term", "Attention\nweights over tokens"])
    main(["--db", str(db_path), "capture", "A note on attention"])
    capsys.readouterr()
    terms = cli_json(capsys, db_path, "search", "attention", "kind:term")
    assert [item["title"] for item in terms] == ["Attention"]  # type: ignore[index]
    notes = cli_json(capsys, db_path, "list", "--kind", "note")
    assert [item["title"] for item in notes] == ["A note on attention"]  # type: ignore[index]


def test_tags_trash_restore_history(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    main(["--db", str(db_path), "capture", "--tag", "ml/rl", "--tag", "safety", "Entry"])
    entry_id = capsys.readouterr().out.strip()
    tags = cli_json(capsys, db_path, "tags")
    assert {(t["name"], t["total"]) for t in tags} == {  # type: ignore[union-attr,index]
        ("ml", 1),
        ("ml/rl", 1),
        ("safety", 1),
    }

    assert main(["--db", str(db_path), "trash", entry_id]) == 0
    capsys.readouterr()
    assert cli_json(capsys, db_path, "list") == []
    trashed = cli_json(capsys, db_path, "trash")
    assert [item["id"] for item in trashed] == [entry_id]  # type: ignore[index]
    assert main(["--db", str(db_path), "restore", entry_id[:6]]) == 0
    capsys.readouterr()
    assert len(cli_json(capsys, db_path, "list")) == 1  # type: ignore[arg-type]
    assert cli_json(capsys, db_path, "history", entry_id) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nonexistent-id"], "no entry with id"),
        (["search", "kind:alien"], "unknown kind"),
        (["capture", "--kind", "poem", "x"], "unknown kind"),
        (["capture", "--tag", "bad tag!", "x"], "invalid tag"),
        (["capture", "   "], "nothing to capture"),
        (["restore", "ab"], "too short"),
    ],
)
def test_errors_are_one_line_without_traceback(
    db_path: Path, args: list[str], message: str
) -> None:
    Notebook.open(db_path).close()  # reading commands refuse a missing notebook
    result = run(db_path, *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_bad_database_is_reported_not_touched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00\x01 not sqlite at all" * 100)
    before = bad.read_bytes()
    result = run(bad, "list")
    assert result.returncode == 1
    assert "not a notebook" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes() == before


def test_version_and_db_option(tmp_path: Path) -> None:
    result = run(tmp_path / "unused.db", "--version")
    assert result.stdout.strip() == f"notebook-app {__version__}"
    explicit = tmp_path / "explicit.db"
    env_db = tmp_path / "env.db"
    created = run(env_db, "--db", str(explicit), "capture", "goes to --db")
    assert created.returncode == 0
    assert explicit.exists() and not env_db.exists()


def test_default_location_is_the_user_data_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NOTEBOOK_APP_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "notebook_app", "capture", "first entry"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "data").rglob("notebook.db")), "no database in the data directory"


def test_usage_errors_exit_2(db_path: Path) -> None:
    result = run(db_path, "frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_output_into_a_closed_pipe_is_quiet(db_path: Path) -> None:
    """`notebook-app list | head -1`: the reader leaves early; no error, no traceback."""
    from notebook_app.core.model.entry import Entry, Kind
    from notebook_app.core.storage.notebook import Notebook

    with Notebook.open(db_path) as notebook:
        notebook.add_many([Entry(kind=Kind.NOTE, title=f"Note {i}", body="x" * 200)
                           for i in range(3000)])  # fmt: skip
    result = subprocess.run(
        f'"{sys.executable}" -m notebook_app --db "{db_path}" list --limit 3000 | head -1',
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays")
@pytest.mark.parametrize("args", [[], ["capture", "--window"]])
def test_no_display_is_a_clear_message_not_a_crash(db_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "notebook_app", "--db", str(db_path), *args],
                            capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("notebook-app: there is no display")
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
