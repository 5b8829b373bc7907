"""The command line's contract on the commands of the learning, papers, links and notebook-file
modules: options on either side, one-line errors with exit 1 (bad value) or 2 (usage), before
any notebook is made; ``--limit N|all`` with a notice; ``export``'s outputs all written."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app import __version__
from notebook_app.cli import main
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook


class Run:
    def __init__(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
        self.capsys, self.db = capsys, db

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args[:1], "--db", str(self.db), *args[1:]])  # --db after the command
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], db_path: Path) -> Run:
    return Run(capsys, db_path)


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("notebook-app: ") and "Traceback" not in err


def fill(db: Path) -> dict[str, str]:
    """Three terms, notes that link one and mention it, two jargon phrases, a paper."""
    with Notebook.open(db) as notebook:
        ids = {
            entry.title: entry.id
            for entry in notebook.add_many([
                Entry(kind=Kind.TERM, title="Superposition", body="more features than dims"),
                Entry(kind=Kind.TERM, title="Polysemanticity", body="one neuron, many features"),
                Entry(kind=Kind.TERM, title="Grokking", body="late generalisation"),
                Entry(kind=Kind.NOTE, title="Linker",
                      body="we read about [[Superposition]] and then about RLHF."),
                Entry(kind=Kind.NOTE, title="Linker two",
                      body="this one links [[Superposition]] and uses PPO."),
                Entry(kind=Kind.NOTE, title="Mentioner",
                      body="there is Superposition here, with RLHF and PPO."),
                Entry(kind=Kind.NOTE, title="Attention Is All You Need",
                      url="https://arxiv.org/abs/1706.03762", authors="Vaswani, Ashish",
                      body="Superposition of heads."),
            ])
        }  # fmt: skip
    return ids


def test_options_go_on_either_side_of_the_new_commands(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    ids = fill(db_path)
    for words in (
        ["--json", "due", "--db", str(db_path)],
        ["due", "--db", str(db_path), "--json"],
        ["--db", str(db_path), "--json", "backlinks", ids["Superposition"][:8]],
        ["backlinks", "--json", ids["Superposition"][:8], "--db", str(db_path)],
        ["--limit", "1", "undefined", "--json", "--db", str(db_path)],
        ["--json", "stats", "--weeks", "2", "--db", str(db_path)],
        ["--json", "check", "--db", str(db_path)],
    ):
        capsys.readouterr()
        assert main(words) == 0, (words, capsys.readouterr().err)
        assert isinstance(json.loads(capsys.readouterr().out), list | dict), words


def test_lists_are_cut_at_the_limit_with_one_notice(run: Run, db_path: Path) -> None:
    ids = fill(db_path)
    code, out, err = run("due", "--json", "--limit", "2")
    assert code == 0 and len(json.loads(out)) == 2
    assert err == "notebook-app: showing 2 of 3 terms; --limit N or --limit all shows more\n"
    code, out, err = run("due", "--json", "--limit", "all")
    assert code == 0 and len(json.loads(out)) == 3 and err == ""
    code, out, err = run("undefined", "--json", "--limit", "1")
    assert code == 0 and len(json.loads(out)) == 1
    assert "showing the first 1 phrase;" in err and one_line(err)
    assert len(json.loads(run("undefined", "--json", "--limit", "all")[1])) == 2
    code, out, err = run("backlinks", ids["Superposition"], "--json", "--limit", "1")
    rows = json.loads(out)
    assert [row["linked"] for row in rows] == [True, False]  # one of each list
    assert err.startswith("notebook-app: showing the first 1 link and 1 unlinked mention;")
    assert one_line(err)
    code, out, err = run("backlinks", ids["Superposition"], "--limit", "all")
    assert code == 0 and "linked from 2:" in out and err == ""
    code, out, err = run("related", ids["Mentioner"], "--json", "--limit", "1")
    assert code == 0 and len(json.loads(out)) == 1 and "showing the first 1 entry;" in err


@pytest.mark.parametrize(
    "words",
    [
        "due --limit 0",
        "undefined --limit none",
        "undefined --min-entries 0",
        "related abcd --limit -3",
        "stats --weeks 0",
        "stats --weeks 99999999",
        "stats --until 2024-02-30",
        "stats --day yesterday",
        "move abcd --position first",
        "move abcd --position 0",
    ],
)
def test_a_bad_value_is_exit_1_before_any_notebook_is_made(
    run: Run, db_path: Path, words: str
) -> None:
    code, _out, err = run(*words.split())
    assert code == 1 and one_line(err), err
    assert not db_path.exists()


@pytest.mark.parametrize(
    "words",
    [
        "move abcd",
        "move abcd --before efgh --after ijkl",
        "related",
        "terms-used abcd efgh",
        "due now",
        "review-log",
        "backlinks --jsn abcd",
        "recover",
        "restore-backup",
        "capture",
        "capture --tag ml --kind term",
        "due --limit --",
        "stats --day=--",
        "move abcd --before --",
        "capture --tag -- words",
        "trash abcd --json",  # --json is the trash listing's: moving prints one line
        "attachments --dry-run",  # without --purge-orphans it would change nothing, silently
    ],
)
def test_a_usage_error_is_exit_2_before_any_notebook_is_made(
    run: Run, db_path: Path, words: str
) -> None:
    code, _out, err = run(*words.split())
    assert code == 2 and one_line(err) and "--help)" in err, err
    assert not db_path.exists()


@pytest.mark.parametrize(
    "words", ["review-log zzzz", "suspend zzzz", "move zzzz --position 1", "related zzzz",
              "terms-used zzzz", "backlinks zzzz"],
)  # fmt: skip
def test_an_unknown_id_is_one_line(run: Run, db_path: Path, words: str) -> None:
    fill(db_path)
    code, _out, err = run(*words.split())
    assert code == 1 and one_line(err) and "no entry" in err, err


def test_review_log_of_a_note_is_one_line(run: Run, db_path: Path) -> None:
    ids = fill(db_path)
    code, _out, err = run("review-log", ids["Linker"])
    assert code == 1 and one_line(err), err


def test_export_writes_every_output_asked_for(run: Run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path)
    bib, deck = tmp_path / "refs.bib", tmp_path / "glossary.apkg"
    code, out, err = run("export", "--bibtex", str(bib), "--anki", str(deck))
    assert code == 0, err
    assert bib.read_text(encoding="utf-8").count("@") == 1 and deck.stat().st_size > 0
    assert "wrote 1 paper to" in out and "wrote 3 terms (" in out
    vault, combined = tmp_path / "vault", tmp_path / "all.md"
    bib.unlink()
    deck.unlink()
    code, out, err = run("export", str(vault), "--combined", str(combined), "--bibtex",
                         str(bib), "--anki", str(deck))  # fmt: skip
    assert code == 0, err
    assert len(list(vault.rglob("*.md"))) == 7 and combined.exists()
    assert bib.exists() and deck.exists()
    assert len(out.splitlines()) >= 4


def test_export_refuses_an_output_it_cannot_write_before_writing_any(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    fill(db_path)
    vault, bib = tmp_path / "vault", tmp_path / "refs.bib"
    code, _out, err = run("export", str(vault), "--bibtex", str(bib), "--anki", str(bib))
    assert code == 1 and one_line(err) and "--bibtex and --anki name the same file" in err
    code, _out, err = run("export", str(vault), "--bibtex", str(bib), "--anki",
                          str(tmp_path / "missing" / "g.apkg"))  # fmt: skip
    assert code == 1 and one_line(err) and "cannot write the deck" in err
    code, _out, err = run("export", "--combined", str(tmp_path), "--bibtex", str(bib))
    assert code == 1 and one_line(err) and "it is a folder" in err
    assert not vault.exists() and not bib.exists()
    code, _out, err = run("export", "--kind", "term")
    assert code == 1 and one_line(err) and "--anki FILE" in err


def test_the_reading_commands_write_nothing(run: Run, db_path: Path) -> None:
    ids = fill(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    for words in (["due"], ["review-log", ids["Grokking"]], ["stats"], ["undefined"],
                  ["related", ids["Linker"]], ["backlinks", ids["Superposition"]],
                  ["terms-used", ids["Mentioner"]], ["check"], ["backups"]):  # fmt: skip
        code, _out, err = run(*words)
        assert code == 0, (words, err)
    assert db_path.read_bytes() == before


def test_suspending_twice_fails_honestly(run: Run, db_path: Path) -> None:
    ids = fill(db_path)
    term = ids["Grokking"][:8]
    code, _out, err = run("unsuspend", term)
    assert code == 1 and one_line(err) and "is not suspended" in err
    assert run("suspend", term)[0] == 0
    code, _out, err = run("suspend", term)
    assert code == 1 and one_line(err) and "is already suspended" in err
    code, out, _err = run("unsuspend", term)
    assert code == 0 and "is reviewed again" in out


def test_the_package_runs_as_a_module() -> None:
    """``python -m notebook_app.cli`` runs the same command line as the script."""
    result = subprocess.run([sys.executable, "-m", "notebook_app.cli", "--version"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and result.stdout == f"notebook-app {__version__}\n"


@pytest.mark.parametrize(
    "words", ["export --bibtex --help", "export --combined -h", "export --anki --help",
              "list --limit --help", "recover --db --help"],
)  # fmt: skip
def test_help_after_an_option_that_takes_a_value_is_the_help_not_the_value(
    run: Run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    Notebook.open(db_path).close()
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*words.split())
    assert code == 0 and out.startswith(f"usage: notebook-app {words.split()[0]} ") and err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebook.db"]  # no file "--help"


def test_stats_reaching_past_the_calendar_s_first_day_is_a_bad_value(
    run: Run, db_path: Path
) -> None:
    Notebook.open(db_path).close()
    code, out, err = run("stats", "--until", "0001-01-01")
    assert code == 1 and one_line(err) and out == "", err
    assert "would begin before the calendar's first day" in err and "damaged" not in err
    code, out, _err = run("stats", "--until", "0001-01-01", "--weeks", "1")
    assert code == 0 and out.startswith("0 reads from 0001-01-01 to 0001-01-01")


def test_move_to_a_position_past_any_number_sqlite_holds_is_last(run: Run, db_path: Path) -> None:
    ids = fill(db_path)
    code, out, err = run("move", ids["Superposition"], "--position", "9" * 30)
    assert (
        code == 0 and err == "" and out == "moved 'Superposition' to position 3 in the glossary\n"
    )


@pytest.mark.parametrize(
    "words",
    ["trash abcd", "restore abcd", "purge abcd", "tag-rename ml ai", "history abcd --restore 1",
     "move abcd --position 1", "suspend abcd", "unsuspend abcd", "review",
     "attachments --purge-orphans"],
)  # fmt: skip
def test_a_command_on_what_must_exist_makes_no_notebook_at_a_new_path(
    run: Run, db_path: Path, words: str
) -> None:
    code, out, err = run(*words.split())
    assert code == 1 and out == "" and err == f"notebook-app: no notebook at {db_path}\n"
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("words", "line"),
    [("import {missing}", "no such file or folder"),
     ("sync {missing}", "no such folder; nothing was synced"),
     ("sync {file}", "not a folder; nothing was synced")],
)  # fmt: skip
def test_an_import_or_sync_of_nothing_makes_no_notebook_at_a_new_path(
    run: Run, db_path: Path, tmp_path: Path, words: str, line: str
) -> None:
    (tmp_path / "a file").write_text("x")
    named = words.format(missing=tmp_path / "gone", file=tmp_path / "a file").split(" ", 1)
    code, out, err = run(*named)
    assert code == 1 and out == "" and one_line(err) and err.rstrip().endswith(line), err
    assert not db_path.exists()  # not an empty notebook left behind
