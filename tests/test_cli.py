"""The command line as a contract: output formats, exit codes, errors without tracebacks.

Most tests call ``notebook_app.cli.main`` in-process (fast); a few run the real command in a
child process, as a script or a shell would, where the process boundary is what is tested.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notebook_app import __version__, cli
from notebook_app.cli import main
from notebook_app.core.attachments.store import store_new_file
from notebook_app.core.model.entry import ENTRY_JSON_KEYS, Entry, Kind
from notebook_app.core.model.listing import SUMMARY_JSON_KEYS
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


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


Cli = Callable[..., Result]


@pytest.fixture
def nb(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    """``nb("list", "--json")``: the command in-process on the test's notebook."""

    def call(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main(["--db", str(db_path), *args])
        finally:
            sys.stdin = sys.__stdin__
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return call


def fingerprint(db: Path) -> str:
    """The notebook's bytes (with its write-ahead log): equal means nothing was changed."""
    digest = hashlib.sha256()
    for path in (db, db.with_name(db.name + "-wal")):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.code == code, (result.code, result.err)
    assert result.err.count("\n") == 1 and result.err.startswith("notebook-app: "), result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err


def capture(nb: Cli, *args: str) -> str:
    result = nb("capture", *args)
    assert result.code == 0, result.err
    return result.out.strip()


# --- as a user would ---------------------------------------------------------------------------


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
    assert {item["title"] for item in found} == {"Superposition", "Towards Monosemanticity"}
    assert all("snippet" in item for item in found)

    by_tag = json.loads(run(db_path, "list", "--tag", "ml", "--json").stdout)
    assert [item["title"] for item in by_tag] == ["Towards Monosemanticity"]

    shown = json.loads(run(db_path, "show", term_id[:8], "--json").stdout)
    assert shown["title"] == "Superposition"
    assert shown["body"] == "More features than dimensions."
    assert shown["tags"] == ["mechinterp"]

    text = run(db_path, "show", term_id).stdout
    assert text.startswith("# Superposition") and "More features" in text


def test_korean_capture_and_search(nb: Cli) -> None:
    capture(nb, "지원서 초안\n3년간 개발경력 있고")
    found = nb("search", "경력", "--json").json()
    assert [item["title"] for item in found] == ["지원서 초안"]


def test_filters_on_the_command_line(nb: Cli) -> None:
    capture(nb, "--kind", "term", "Attention\nweights over tokens")
    capture(nb, "A note on attention")
    terms = nb("search", "attention", "kind:term", "--json").json()
    assert [item["title"] for item in terms] == ["Attention"]
    notes = nb("list", "--kind", "note", "--json").json()
    assert [item["title"] for item in notes] == ["A note on attention"]


def test_tags_trash_restore_history(nb: Cli) -> None:
    entry_id = capture(nb, "--tag", "ml/rl", "--tag", "safety", "Entry")
    tags = nb("tags", "--json").json()
    assert {(t["tag"], t["count"], t["total"]) for t in tags} == {
        ("ml", 0, 1),
        ("ml/rl", 1, 1),
        ("safety", 1, 1),
    }
    assert nb("trash", entry_id).code == 0
    assert nb("list", "--json").json() == []
    assert [item["id"] for item in nb("trash", "--json").json()] == [entry_id]
    assert nb("restore", entry_id[:6]).code == 0
    assert len(nb("list", "--json").json()) == 1
    assert nb("history", entry_id, "--json").json() == []


# --- queries and options: where they go, what starts with "-" ----------------------------------


def test_queries_starting_with_a_dash_are_queries(nb: Cli) -> None:
    capture(nb, "--tag", "ml", "A survey of interpretability")
    capture(nb, "Sparse autoencoders")
    for args in (["-survey"], ["-tag:ml"], ["--", "-survey"], ['-"a survey"']):
        result = nb("search", "--json", *args)
        assert result.code == 0, (args, result.err)
        assert [item["title"] for item in result.json()] == ["Sparse autoencoders"], args
    both = nb("search", "--json", "sparse", "OR", "survey").json()
    assert len(both) == 2  # words after an option still belong to the query, in order


def test_export_query_may_start_with_a_dash(nb: Cli, tmp_path: Path) -> None:
    capture(nb, "A survey of interpretability")
    capture(nb, "Sparse autoencoders")
    out = tmp_path / "combined.md"
    result = nb("export", "--query", "-survey", "--combined", str(out))
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "Sparse autoencoders" in text and "survey" not in text


def test_a_capture_text_after_double_dash_is_text(nb: Cli) -> None:
    one_line_error(nb("capture", "use", "--json"), 2, "unrecognized arguments: --json")
    entry_id = capture(nb, "--tag", "x", "--", "--json: use it in scripts")
    assert nb("show", entry_id, "--json").json()["title"].endswith("json: use it in scripts")


@pytest.mark.parametrize(
    "placement",
    [
        ["--db", "{db}", "list", "--json"],
        ["list", "--db", "{db}", "--json"],
        ["list", "--json", "--db={db}"],
        ["--json", "list", "--db", "{db}"],
        ["--kind", "term", "--db", "{db}", "list", "--json"],
    ],
)
def test_options_go_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], db_path: Path, placement: list[str]
) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
    assert main([word.format(db=db_path) for word in placement]) == 0
    assert [item["title"] for item in json.loads(capsys.readouterr().out)] == ["Superposition"]


def test_db_after_the_command_wins_over_the_environment(tmp_path: Path) -> None:
    explicit, env_db = tmp_path / "explicit.db", tmp_path / "env.db"
    created = run(env_db, "capture", "goes to --db", "--db", str(explicit))
    assert created.returncode == 0, created.stderr
    assert explicit.exists() and not env_db.exists()


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


# --- exit codes: 1 for a bad value, 2 for usage, one line, nothing changed ---------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nonexistent-id"], "no entry with id"),
        (["search", "kind:alien"], "unknown kind"),
        (["list", "--kind", "poem"], "unknown kind 'poem'"),
        (["list", "--sort", "sideways"], "unknown sort 'sideways'"),
        (["list", "--tag", "bad tag!"], "invalid tag 'bad tag!'"),
        (["list", "--tag", ""], "empty tag"),
        (["show", "f" * 5000], "no entry with id ffff"),
        (["list", "--limit", "0"], "--limit"),
        (["search", "x", "--limit", "many"], "--limit"),
        (["export", "--kind", "poem", "--combined", "x.md"], "unknown kind"),
        (["capture", "--kind", "poem", "x"], "unknown kind"),
        (["capture", "--tag", "bad tag!", "x"], "invalid tag"),
        (["capture", "   "], "nothing to capture"),
        (["restore", "ab"], "too short"),
        (["history", "{id}", "--restore", "latest"], "--restore takes a revision"),
        (["history", "{id}", "--restore", "99"], "has no revision 99"),
        (["tag-rename", "nosuchtag", "x"], "no tag 'nosuchtag'"),
        (["tag-rename", "ml", "bad tag!"], "invalid tag"),
        (["restore", "{id}"], "is not in the trash"),
        (["purge", "{id}"], "not in the trash"),
        (["import", "{missing}"], "no such file or folder"),
        (["capture", "caf\udce9"], "not UTF-8 text: 'caf\ufffd'"),
        (["search", "\udcff"], "not UTF-8 text"),
        (["capture", "--tag", "\udcff", "x"], "invalid tag"),
    ],
)
def test_bad_values_exit_1_with_one_line_and_change_nothing(
    nb: Cli, db_path: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    entry_id = capture(nb, "--tag", "ml", "An entry")
    before = fingerprint(db_path)
    words = [w.format(id=entry_id, missing=tmp_path / "missing") for w in args]
    result = nb(*words)
    one_line_error(result, 1, message)
    assert len(result.err) < 300, "a message quotes what was typed, not all of it"
    assert fingerprint(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["list", "--jsn"], "list: unrecognized arguments: --jsn"),
        (["list", "extra"], "list: unrecognized arguments: extra"),
        (["show"], "show: the following arguments are required: ID"),
        (["search"], "search: the following arguments are required: QUERY"),
        (["list", "--kind"], "expected one argument"),
        (["--sort", "title"], "--sort belongs to a command"),
        (["--kind", "term", "frob"], "unknown command 'frob'"),
        (["tag-rename", "only-one"], "required: NEW"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "never-made.db"
    code = main(["--db", str(db), *args])
    result = Result(code, *capsys.readouterr())
    one_line_error(result, 2, message, "--help)")
    assert not db.exists(), "a usage error must not create a notebook"


def test_usage_error_in_a_real_process(db_path: Path) -> None:
    result = run(db_path, "list", "--sort")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_values_are_found_before_the_notebook_is_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "never-made.db"
    assert main(["--db", str(db), "list", "--sort", "sideways"]) == 1
    assert not db.exists()


def test_an_unexpected_error_is_one_line_not_a_traceback(
    nb: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("something\nwent wrong")

    capture(nb, "An entry")
    monkeypatch.setattr(Notebook, "tag_counts", broken)
    one_line_error(nb("tags"), 1, "unexpected RuntimeError: something went wrong", "check)")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["show", "nonexistent-id"], "no entry with id"), (["list", "--sort", "sideways"], "sort")],
)
def test_errors_are_one_line_without_traceback_in_a_real_process(
    db_path: Path, args: list[str], message: str
) -> None:
    Notebook.open(db_path).close()  # reading commands refuse a missing notebook
    result = run(db_path, *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_standard_input_that_is_not_utf8_is_refused(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "notebook_app", "--db", str(db_path), "capture", "-"],
        input=b"caf\xe9 au lait\n", capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "notebook-app: standard input is not UTF-8 text (byte 0xe9 at offset 3); "
        "nothing was captured\n"
    )
    if db_path.exists():
        with Notebook.open(db_path) as notebook:
            assert notebook.count_entries() == 0


def test_a_bad_database_is_reported_not_touched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00\x01 not sqlite at all" * 100)
    before = bad.read_bytes()
    result = run(bad, "list")
    assert result.returncode == 1
    assert "not a notebook" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes() == before


# --- --limit: cut lists say so -----------------------------------------------------------------


def fill(db_path: Path, count: int, title: str = "Note") -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add_many([Entry(kind=Kind.NOTE, title=f"{title} {i}") for i in range(count)])


def test_a_cut_list_says_so_on_stderr(nb: Cli, db_path: Path) -> None:
    fill(db_path, 5)
    cut = nb("list", "--limit", "2", "--json")
    assert cut.code == 0 and len(cut.json()) == 2
    assert cut.err == "notebook-app: showing 2 of 5 entries; --limit N or --limit all shows more\n"
    whole = nb("list", "--limit", "5")
    assert whole.out.count("\n") == 5 and whole.err == ""
    assert len(nb("list", "--limit", "all", "--json").json()) == 5
    assert len(nb("list", "--limit", "9" * 30, "--json").json()) == 5


def test_a_cut_search_says_so_and_the_default_is_50(nb: Cli, db_path: Path) -> None:
    fill(db_path, 60, title="Attention")
    default = nb("search", "attention", "--json")
    assert len(default.json()) == 50
    assert "showing 50 of 60 entries" in default.err
    assert len(nb("search", "attention", "--limit", "all", "--json").json()) == 60
    assert nb("search", "attention", "--limit", "60").err == ""


def test_the_trash_listing_is_cut_with_a_notice_too(nb: Cli, db_path: Path) -> None:
    fill(db_path, 3)
    with Notebook.open(db_path) as notebook:
        for summary in notebook.search(""):
            notebook.trash(summary.id)
    result = nb("trash", "--limit", "1", "--json")
    assert len(result.json()) == 1 and "showing 1 of 3 entries" in result.err


# --- --json: every command's objects have exactly the documented keys --------------------------

HISTORY_KEYS = ["revision", "version", "saved", "recorded", "title", "kind"]
TAG_KEYS = ["tag", "count", "total"]
CHECK_KEYS = ["path", "sound", "checked", "problems", "entries"]
BACKUP_KEYS = ["name", "time", "reason", "size", "path"]
DUE_KEYS = ["id", "title", "aliases", "state", "due", "empty_definition"]
REVIEW_LOG_KEYS = ["id", "card", "log"]
CARD_KEYS = ["state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
             "suspended", "status_manual", "auto_status"]  # fmt: skip
RATING_KEYS = ["reviewed", "rating", "state_before", "state_after", "interval_days", "due"]
STATS_KEYS = ["first", "last", "total", "types", "by_type", "weeks", "days"]
WEEK_KEYS = ["week", "start", "total", "by_type"]
RELATED_KEYS = ["id", "kind", "title", "score", "shared"]
LINKED_ENTRY_KEYS = ["id", "kind", "title", "tags", "created", "updated"]
BACKLINK_KEYS = [*LINKED_ENTRY_KEYS, "linked", "offset", "length", "sentence", "highlight",
                 "heading", "shown", "embed", "ambiguous", "name", "text"]  # fmt: skip
TERM_USE_KEYS = [*LINKED_ENTRY_KEYS, "name", "offset", "length", "text"]
UNDEFINED_KEYS = ["phrase", "entries", "occurrences", "examples"]
ATTACHMENT_KEYS = ["path", "sha256", "size", "mime", "entries", "in_history"]
PURGE_KEYS = ["purged", "blobs", "bytes", "dry_run"]


def test_every_json_command_prints_exactly_the_documented_keys(nb: Cli, db_path: Path) -> None:
    """The schema test: every command with --json, every object, the exact keys in order."""
    from notebook_app.core.api import Rating, review_term

    note = capture(nb, "--tag", "ml/rl", "Towards Monosemanticity https://arxiv.org/abs/1\n"
                   "We read about [[Superposition]] in features, then RLHF.")  # fmt: skip
    term = capture(nb, "--kind", "term", "Superposition\nmore features than dimensions")
    meeting = capture(nb, "--kind", "meeting", "Call with an eval researcher\n"
                      "RLHF came up, and superposition in features too.")  # fmt: skip
    capture(nb, "--kind", "term", "Polysemanticity")  # new: due today
    read = capture(nb, "Notes on sparse coding")  # a read (the paper above is still to read)
    trashed = capture(nb, "Gone soon")
    assert nb("trash", trashed).code == 0
    with Notebook.open(db_path) as notebook:
        entry = notebook.get(term)
        notebook.update(term, entry.version, checkpoint=True, body="a new definition")
        review_term(notebook, term, Rating.GOOD)
        store_new_file(notebook, "figure.png", b"\x89PNG\r\n\x1a\n", note)
    day = next(item["day"] for item in nb("list", "--json").json() if item["id"] == read)

    arrays = {
        "list": (nb("list", "--json").json(), list(SUMMARY_JSON_KEYS)),
        "search": (
            nb("search", "--json", "monosemanticity OR superposition OR eval").json(),
            list(SUMMARY_JSON_KEYS),
        ),
        "trash": (nb("trash", "--json").json(), list(SUMMARY_JSON_KEYS)),
        "tags": (nb("tags", "--json").json(), TAG_KEYS),
        "history": (nb("history", term, "--json").json(), HISTORY_KEYS),
        "backups": (nb("backups", "--json").json(), BACKUP_KEYS),  # made before the writes
        "due": (nb("due", "--json", "--limit", "all").json(), DUE_KEYS),
        "stats --day": (nb("stats", "--day", day, "--json").json(), list(SUMMARY_JSON_KEYS)),
        "related": (nb("related", meeting, "--json").json(), RELATED_KEYS),
        "backlinks": (nb("backlinks", term, "--json").json(), BACKLINK_KEYS),
        "terms-used": (nb("terms-used", note, "--json").json(), TERM_USE_KEYS),
        "undefined": (nb("undefined", "--json").json(), UNDEFINED_KEYS),
        "attachments": (nb("attachments", "--json").json(), ATTACHMENT_KEYS),
    }
    for name, (items, keys) in arrays.items():
        assert isinstance(items, list) and items, name
        for item in items:
            assert list(item) == keys, (name, item)
    # backlinks: a link and an unlinked mention, in one array with the same keys.
    assert [item["linked"] for item in arrays["backlinks"][0]] == [True, False]
    assert [item["phrase"] for item in arrays["undefined"][0]] == ["RLHF"]
    review_log = nb("review-log", term, "--json").json()
    assert list(review_log) == REVIEW_LOG_KEYS and list(review_log["card"]) == CARD_KEYS
    assert review_log["log"] and all(list(item) == RATING_KEYS for item in review_log["log"])
    stats = nb("stats", "--json").json()
    assert list(stats) == STATS_KEYS and stats["total"] == 1
    assert stats["weeks"] and all(list(week) == WEEK_KEYS for week in stats["weeks"])
    # Every command that takes --json is above: a new one must be added here.
    covered = {name.split()[0] for name in arrays} | {"show", "check", "review-log", "stats"}
    parser = cli.build_parser()
    assert {name for name, sub in parser.commands.items() if "--json" in sub.takes_value} == covered
    assert len(arrays["list"][0]) == 5 and len(arrays["search"][0]) == 3
    assert {item["tag"] for item in arrays["tags"][0]} == {"ml", "ml/rl"}
    for entry_id in (note, term, meeting, trashed):
        shown = nb("show", entry_id, "--json").json()
        assert isinstance(shown, dict) and list(shown) == list(ENTRY_JSON_KEYS), shown
    assert list(nb("check", "--json").json()) == CHECK_KEYS
    purge = nb("attachments", "--purge-orphans", "--dry-run", "--json").json()
    assert list(purge) == PURGE_KEYS and purge["dry_run"] is True
    # The documented minimum, whatever the field table grows into.
    assert {"id", "kind", "title", "tags", "created", "updated"} <= set(SUMMARY_JSON_KEYS)
    assert {"snippet", "highlights"} <= set(SUMMARY_JSON_KEYS)
    assert {"id", "kind", "title", "body", "tags", "created", "updated"} <= set(ENTRY_JSON_KEYS)


def test_history_json_values(nb: Cli, db_path: Path) -> None:
    entry_id = capture(nb, "First title")
    with Notebook.open(db_path) as notebook:
        notebook.update(entry_id, 1, checkpoint=True, title="Second title")
    (item,) = nb("history", entry_id, "--json").json()
    assert item["title"] == "First title" and item["version"] == 1 and item["kind"] == "note"
    assert isinstance(item["revision"], int)
    assert item["saved"] <= item["recorded"]
    restored = nb("history", entry_id, "--restore", str(item["revision"]))
    assert restored.code == 0
    assert nb("show", entry_id, "--json").json()["title"] == "First title"


# --- messages: plurals, honesty ----------------------------------------------------------------


def test_tag_rename_reports_what_it_stored(nb: Cli, db_path: Path) -> None:
    capture(nb, "--tag", "ml", "One")
    result = nb("tag-rename", "ml", "a b")
    assert result.out == "renamed ml to a-b on 1 entry\n"
    assert [t["tag"] for t in nb("tags", "--json").json()] == ["a-b"]
    capture(nb, "--tag", "Other", "Two")
    capture(nb, "--tag", "x", "Three")
    assert nb("tag-rename", "a-b", "other").out == "renamed a-b to Other (merged) on 1 entry\n"
    assert nb("tag-rename", "x", "y").out == "renamed x to y on 1 entry\n"


def test_tag_rename_counts_in_the_plural(nb: Cli) -> None:
    capture(nb, "--tag", "ml", "One")
    capture(nb, "--tag", "ml/rl", "Two")
    assert nb("tag-rename", "ml", "learning").out == "renamed ml to learning on 2 entries\n"


def test_trashing_twice_and_restoring_a_live_entry_fail_honestly(nb: Cli, db_path: Path) -> None:
    entry_id = capture(nb, "An entry")
    before = fingerprint(db_path)
    one_line_error(nb("restore", entry_id), 1, "is not in the trash")
    assert fingerprint(db_path) == before
    assert nb("trash", entry_id[:8]).code == 0
    before = fingerprint(db_path)
    one_line_error(nb("trash", entry_id[:8]), 1, "is already in the trash")
    assert fingerprint(db_path) == before
    assert nb("restore", entry_id).out == f"restored {entry_id}\n"


def test_an_ambiguous_prefix_lists_the_candidates(nb: Cli, db_path: Path) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(
            Entry(kind=Kind.NOTE, title="First", id="abcd1111-0000-4000-8000-000000000000")
        )
        notebook.add(
            Entry(kind=Kind.TERM, title="Second", id="abcd2222-0000-4000-8000-000000000000")
        )
    result = nb("show", "abcd")
    one_line_error(result, 1, "id prefix abcd matches several entries",
                   "abcd1111 note 'First'", "abcd2222 term 'Second'")  # fmt: skip
    assert nb("show", "abcd2", "--json").json()["title"] == "Second"


def test_import_and_export_messages_are_singular_for_one(nb: Cli, tmp_path: Path) -> None:
    source = tmp_path / "one.md"
    source.write_text("# A single note\n\nbody\n", encoding="utf-8")
    result = nb("import", str(source))
    assert result.code == 0, result.err
    assert "imported 1 entry," in result.out and "1 file seen" in result.out
    assert "entries" not in result.out.splitlines()[0]
    exported = nb("export", str(tmp_path / "vault"), "--combined", str(tmp_path / "all.md"))
    assert exported.code == 0, exported.err
    assert "exported 1 entry (1 note, 0 terms, 0 meetings)" in exported.out
    assert "wrote 1 entry to" in exported.out


def test_an_import_failure_is_one_line_and_imports_nothing(nb: Cli, db_path: Path,
                                                          tmp_path: Path) -> None:  # fmt: skip
    capture(nb, "Existing")
    (tmp_path / "a.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    before = fingerprint(db_path)
    one_line_error(nb("import", str(tmp_path / "a.md")), 1,
                   "a.md: a binary file, not text; nothing was imported")  # fmt: skip
    assert fingerprint(db_path) == before


def test_odd_files_in_a_folder_are_reported_and_the_rest_imported(
    nb: Cli, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n", encoding="utf-8")
    (folder / "a.md").write_bytes(b"\x00binary\x00")
    (folder / "b.md").write_bytes(b"caf\xe9 latin-1\n")
    result = nb("import", str(folder))
    assert result.code == 0, result.err
    assert "3 files seen: 2 to import, 0 updating, 1 skipped, 0 failed" in result.out
    assert "skipped: a.md: a binary file, not text" in result.out
    assert (
        "warning: b.md: not UTF-8 text (invalid byte 0xe9 at offset 3); read as Windows-1252: "
        "check its accented letters"
    ) in result.out
    listed = nb("list").out
    assert "good" in listed and "b" in listed.split() and "a" not in listed.split()
    found = nb("search", "caf\xe9").out  # its word read as it was written
    assert found.splitlines()[0].split()[-1] == "b" and "\xabcaf\xe9\xbb latin-1" in found


def test_a_captured_term_goes_to_the_end_of_the_glossary(nb: Cli, db_path: Path) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="Imported", glossary_position=16.5))
    first = capture(nb, "t: Superposition — more features than dimensions")
    second = capture(nb, "--kind", "term", "Polysemanticity")
    # Where exactly is glossary_order's business (GAP apart); here: whole numbers, in order,
    # printed as whole numbers (1024, not 1024.0).
    shown = re.search(r"^glossary_position: (.*)$", nb("show", first).out, re.MULTILINE)
    assert shown is not None and shown.group(1).isdigit()
    positions = [nb("show", entry_id, "--json").json()["glossary_position"]
                 for entry_id in (first, second)]  # fmt: skip
    assert all(type(position) is int for position in positions)
    assert int(shown.group(1)) == positions[0] < positions[1]
    order = nb("list", "--sort", "glossary", "--json").json()
    assert [item["title"] for item in order] == ["Imported", "Superposition", "Polysemanticity"]
    note = capture(nb, "A note")
    assert nb("show", note, "--json").json().get("glossary_position") is None


def test_output_into_a_closed_pipe_is_quiet(db_path: Path) -> None:
    """`notebook-app list | head -1`: the reader leaves early; no error, no traceback."""
    with Notebook.open(db_path) as notebook:
        notebook.add_many([Entry(kind=Kind.NOTE, title=f"Note {i}", body="x" * 200)
                           for i in range(3000)])  # fmt: skip
    result = subprocess.run(
        f'"{sys.executable}" -m notebook_app --db "{db_path}" list --limit 3000 | head -1',
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_every_command_is_one_registration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The parser is built from COMMANDS alone: a new command is one entry there."""
    parser = cli.build_parser()
    names = [command.name for command in cli.COMMANDS]
    assert list(parser.commands)[: len(names)] == names
    assert {"check", "recover", "backups", "restore-backup"} <= set(parser.commands)
    hello = cli.Command("hello", "say hello", None, run_on_file=lambda path, args: 7)
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, hello))
    assert main(["hello", "--db", str(tmp_path / "not-opened.db")]) == 7
    assert not (tmp_path / "not-opened.db").exists()


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


@pytest.mark.parametrize(
    ("words", "writes"),
    [
        ("list --json", False),
        ("search x", False),
        ("show abcd", False),
        ("tags", False),
        ("export --combined x.md", False),
        ("trash", False),
        ("trash abcd", True),
        ("history abcd", False),
        ("history abcd --restore 3", True),
        ("import x.md --dry-run", False),
        ("import x.md", True),
        ("capture hello", True),
        ("restore abcd", True),
        ("purge abcd", True),
        ("tag-rename a b", True),
        ("export --anki x.apkg --bibtex x.bib", False),
        ("check", False),
        ("recover out.db", False),
        ("backups", False),
        ("restore-backup latest", True),
        ("move abcd --position 2", True),
        ("due", False),
        ("review", True),
        ("review-log abcd", False),
        ("suspend abcd", True),
        ("unsuspend abcd", True),
        ("stats", False),
        ("related abcd", False),
        ("backlinks abcd", False),
        ("terms-used abcd", False),
        ("undefined", False),
    ],
)
def test_each_command_says_whether_it_writes(words: str, writes: bool) -> None:
    """What the notebook-opening rules rely on: reading calls never create or change one."""
    parser = cli.build_parser()
    args = parser.parse_args(cli.normalise_argv(parser, words.split()))
    assert args.command_spec.writes(args) is writes


def test_every_command_is_a_row_of_the_table() -> None:
    """One registration per command: every sub-parser comes from a Command row."""
    parser = cli.build_parser()
    assert set(parser.commands) == {command.name for command in cli.COMMANDS}
    assert len(cli.COMMANDS) == len(parser.commands)  # no name twice
    for name in ("move", "due", "stats", "related", "backlinks", "undefined", "check"):
        assert parser.commands[name].get_default("command_spec").name == name


def test_create_and_the_file_commands_take_options_on_either_side(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "new" / "sub" / "notebook.db"
    assert main(["capture", "first", "--db", str(db)]) == 1
    assert not db.parent.exists()
    assert "--create makes it" in capsys.readouterr().err
    assert main(["capture", "first", "--db", str(db), "--create"]) == 0
    assert db.exists()
    capsys.readouterr()
    assert main(["check", "--json", "--db", str(db)]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)
    assert main(["--db", str(db), "backups", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)
