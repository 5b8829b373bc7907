"""Import and export: the samples, a faithful round trip, and bad input refused untouched."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notebook_app.cli import main
from notebook_app.core.errors import ImportProblem, OperationCancelled
from notebook_app.core.formats.exporting import (
    VAULT_MARKER,
    ExportProblem,
    combined_document,
    entry_as_markdown,
    export_vault,
    select_entries,
)
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
)
from notebook_app.core.search.sql import Scope
from notebook_app.core.storage.notebook import Notebook

from conftest import Samples

# --- the round trip ------------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=80,
)
_title = _text.map(lambda s: s.replace("\n", " ").replace("\r", " ")).filter(lambda s: s.strip())
_body = st.one_of(
    _text,
    st.sampled_from(
        [
            "---\ntitle: fake\n---\nbody",
            "---",
            "id: x\n---\n",
            "  trailing  \n\n",
            "# Heading\n\n- [ ] task\n",
            "경력 개발경력 ✓ 📜",
            "a\r\nb",
        ]
    ),  # fmt: skip
)
_tag = st.from_regex(r"[a-z가-힣][a-z0-9가-힣_-]{0,8}(/[a-z][a-z0-9-]{0,6}){0,2}", fullmatch=True)
_day = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
_moment = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    kind = draw(st.sampled_from(list(Kind)))
    created = draw(_moment)
    entry = Entry(
        kind=kind,
        title=draw(_title),
        body=draw(_body),
        tags=draw(st.lists(_tag, max_size=4)),
        created=created,
        updated=created + dt.timedelta(seconds=draw(st.integers(0, 10**7))),
    )
    if kind is Kind.NOTE:
        entry.source_type = draw(st.none() | st.sampled_from(list(SourceType)))
        entry.url = draw(st.none() | st.just("https://arxiv.org/abs/2209.10652?a=1&b=ü"))
        entry.authors = draw(st.none() | _title)
        entry.read_on = draw(st.none() | _day)
        entry.reading_status = draw(st.none() | st.sampled_from(list(ReadingStatus)))
    elif kind is Kind.TERM:
        entry.aliases = draw(st.lists(_title.map(str.strip), max_size=3))
        entry.learning_status = draw(st.none() | st.sampled_from(list(LearningStatus)))
        entry.glossary_position = draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False))
    else:
        entry.met_on = draw(st.none() | _day)
        entry.who = draw(st.none() | _title)
        entry.action_items = draw(st.none() | st.just("- [ ] send notes\n- [x] read paper"))
    return entry


def comparable(entry: Entry) -> dict[str, object]:
    data = entry.to_dict()
    data.pop("version")
    return data


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(originals=st.lists(entries(), min_size=1, max_size=8))
def test_export_then_import_gives_equal_entries(tmp_path: Path, originals: list[Entry]) -> None:
    run = tmp_path / f"run-{os.urandom(4).hex()}"
    with Notebook.open(run / "source.db") as source:
        stored = source.add_many(originals)
        export_vault(select_entries(source), run / "vault")
        expected = sorted((comparable(source.get(e.id)) for e in stored), key=lambda d: d["id"])
    with Notebook.open(run / "target.db") as target:
        plan = plan_import(target, run / "vault")
        assert plan.ok, plan.summary()
        apply_import(target, plan)
        got = sorted((comparable(e) for e in target.iter_entries()), key=lambda d: d["id"])
    assert got == expected
    shutil.rmtree(run)


def test_reimporting_an_export_changes_nothing(tmp_path: Path, notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="More features."))
    notebook.add(Entry(kind=Kind.NOTE, title="superposition", body="Same title, other case."))
    export_vault(select_entries(notebook), tmp_path / "vault")
    files = sorted(p.name for p in (tmp_path / "vault").rglob("*.md"))
    assert files == ["Superposition.md", "superposition.md"] or len(set(map(str.lower, files))) == 2
    plan = plan_import(notebook, tmp_path / "vault")
    assert (len(plan.new), len(plan.updates), plan.unchanged) == (0, 0, 2)
    assert plan.file_counts()["skipped"] == 2
    assert notebook.count_entries() == 2


def test_an_edited_vault_file_updates_its_entry(tmp_path: Path, notebook: Notebook) -> None:
    entry = notebook.add(Entry(kind=Kind.NOTE, title="Draft", body="old text"))
    export_vault(select_entries(notebook), tmp_path / "vault")
    path = next((tmp_path / "vault" / "notes").glob("*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("old text", "new text"), "utf-8")
    report = apply_import(notebook, plan_import(notebook, tmp_path / "vault"))
    assert (report.imported, report.updated) == (0, 1)
    assert notebook.get(entry.id).body == "new text"
    assert notebook.history(entry.id)[0].entry.body == "old text"


# --- the samples ---------------------------------------------------------------------------------


def test_reading_log_sample_imports_every_dated_bullet(
    samples: Samples, notebook: Notebook
) -> None:
    plan = plan_import(notebook, samples.path / "reading-log.md")
    assert plan.ok
    report = apply_import(notebook, plan)
    count = notebook.count_entries()
    assert report.imported == count == samples.known(real=282, fixture=14)  # every dated bullet
    query, read_on, url, summary = samples.known(
        real=('"LLMs Still Can\'t Plan"', dt.date(2024, 9, 25), "https://arxiv.org/pdf/2409.13373",
              "Large Reasoning Model"),
        fixture=('"Locating and Editing"', dt.date(2024, 11, 14), "https://arxiv.org/abs/2202.05262",
                 "key–value stores"),
    )  # fmt: skip
    first = notebook.search(query)[0]
    entry = notebook.get(first.id)
    assert entry.read_on == read_on
    assert entry.source_type is SourceType.PAPER
    assert entry.url == url
    assert summary in entry.body
    # Re-importing updates or skips, never duplicates.
    again = plan_import(notebook, samples.path / "reading-log.md")
    assert len(again.new) == 0 and again.unchanged == count
    assert notebook.count_entries() == count
    # The mojibake is repaired: no Mac Roman debris in any title or body.
    for stored in notebook.iter_entries():
        assert "Ô£ø" not in stored.body and "\uf8ff" not in stored.title and "‚Ä" not in stored.body


def test_notion_page_keeps_dates_and_korean(samples: Samples, notebook: Notebook) -> None:
    apply_import(notebook, plan_import(notebook, samples.path / "notion-application-page.txt"))
    (hit,) = notebook.search("")
    entry = notebook.get(hit.id)
    title, created, updated = samples.known(
        real=("AISC 10th Application", dt.datetime(2024, 11, 18, 13, 40, tzinfo=dt.UTC),
              dt.datetime(2024, 11, 18, 22, 34, tzinfo=dt.UTC)),
        fixture=("Interpretability Fellowship Application",
                 dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC),
                 dt.datetime(2025, 3, 4, 18, 2, tzinfo=dt.UTC)),
    )  # fmt: skip
    assert entry.title == title
    assert entry.created == created
    assert entry.updated == updated
    assert "개발경력" in entry.body
    assert "\n- " in entry.body and "•" not in entry.body
    assert [h.title for h in notebook.search("경력")] == [title]


# ml-notebook-page.txt is split into terms, meetings and a note: see test_notebook_page.py.
@pytest.mark.parametrize("name", ["podcast-summary.txt"])
def test_other_text_samples_become_one_note(
    samples_dir: Path, notebook: Notebook, name: str
) -> None:
    report = apply_import(notebook, plan_import(notebook, samples_dir / name))
    assert report.imported == 1
    entry = next(notebook.iter_entries())
    original = (samples_dir / name).read_text(encoding="utf-8")
    # Every word of the original is kept; the first line is the title, not repeated below it.
    assert set(original.split()) <= set(entry.body.split()) | set(entry.title.split())
    assert entry.title == original.split("\n", 1)[0].strip()
    assert not entry.body.startswith(entry.title)


def test_all_samples_as_a_folder(samples_dir: Path, tmp_path: Path, notebook: Notebook) -> None:
    plan = plan_import(notebook, samples_dir)
    counts = plan.file_counts()
    assert counts["failed"] == 0
    # README.md is a markdown file too, so it comes in as a note; every file is accounted for.
    assert sum(counts.values()) == len(list(samples_dir.iterdir()))
    report = apply_import(notebook, plan)
    assert report.imported == notebook.count_entries()


def test_obsidian_style_vault_keeps_tags_aliases_and_links(
    tmp_path: Path, notebook: Notebook
) -> None:
    vault = tmp_path / "obsidian"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / "Superposition.md").write_text(
        "---\ntags: [mechinterp, ml/interp]\naliases: [polysemanticity]\n---\n"
        "More features than dimensions. See [[Sparse autoencoders]]. #toy-models\n",
        encoding="utf-8",
    )
    (vault / "attachments").mkdir()
    (vault / "attachments" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    plan = plan_import(notebook, vault)
    assert plan.ok
    # The image is kept too, as an attachment (core/attachments), named by no note.
    assert plan.file_counts() == {"imported": 2, "updated": 0, "skipped": 0, "failed": 0}
    assert "unreferenced attachment: attachments/figure.png" in plan.summary()
    assert "attachments: 1 file (1 new or changed), 1 named by no note" in plan.summary()
    apply_import(notebook, plan)
    entry = next(notebook.iter_entries())
    assert entry.title == "Superposition"
    assert set(entry.tags) == {"mechinterp", "ml/interp", "toy-models"}
    assert "[[Sparse autoencoders]]" in entry.body
    assert [h.title for h in notebook.search("polysemanticity")] == ["Superposition"]


# --- bad input -----------------------------------------------------------------------------------


def database_bytes(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


def test_a_file_that_is_not_text_is_skipped_and_the_rest_of_the_folder_imported(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "good.md").write_text("# A good note\n\ntext", encoding="utf-8")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02binary" * 100)
    with Notebook.open(db_path) as notebook:
        plan = plan_import(notebook, folder)
        assert plan.ok
        outcomes = {outcome.path: outcome for outcome in plan.files}
        assert outcomes["binary.md"].status == "skipped"
        assert outcomes["binary.md"].reason == "a binary file, not text"
        assert "skipped: binary.md: a binary file, not text" in plan.summary()
        apply_import(notebook, plan)
        assert [entry.title for entry in notebook.iter_entries()] == ["good"]


def test_a_binary_file_named_on_its_own_is_refused_and_nothing_changes(
    tmp_path: Path, db_path: Path
) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Existing"))
    before = database_bytes(db_path)
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02binary" * 100)
    with Notebook.open(db_path) as notebook:
        plan = plan_import(notebook, tmp_path / "binary.md")
        (failure,) = plan.failures
        assert failure.path == "binary.md" and failure.reason == "a binary file, not text"
        with pytest.raises(ImportProblem, match="nothing was imported"):
            apply_import(notebook, plan)
    assert database_bytes(db_path) == before


WORDS = "caf\xe9 na\xefve \u201cquoted\u201d\r\nline two"


@pytest.mark.parametrize(
    ("content", "text", "warning"),
    [
        # Windows-1252's curly quotes, and Latin-1's letters (the same bytes in both)
        (WORDS.encode("cp1252"), WORDS,
         "not UTF-8 text (invalid byte 0xe9 at offset 3); read as Windows-1252"),
        # 0x81 is undefined in Windows-1252: Latin-1 reads it (a C1 control)
        (b"caf\xe9 \x81", "caf\xe9 \x81",
         "not UTF-8 text (invalid byte 0xe9 at offset 3); read as Latin-1"),
        (WORDS.encode("utf-16"), WORDS, ""),  # with its byte-order mark
        (b"\xef\xbb\xbf" + WORDS.encode("utf-8"), WORDS, ""),
    ],
    ids=["windows-1252", "latin-1", "utf-16", "utf-8-bom"],
)  # fmt: skip
def test_text_in_another_encoding_is_imported_with_a_warning(
    tmp_path: Path, notebook: Notebook, content: bytes, text: str, warning: str
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "old.txt").write_bytes(content)
    plan = plan_import(notebook, folder)
    (outcome,) = plan.files
    assert outcome.status == "imported"
    assert outcome.warnings == ([f"{warning}: check its accented letters"] if warning else [])
    apply_import(notebook, plan)
    (entry,) = notebook.iter_entries()
    assert text.replace("\r\n", "\n") in f"{entry.title}\n{entry.body}"


def test_a_huge_file_is_refused(tmp_path: Path, notebook: Notebook) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    plan = plan_import(notebook, big)
    assert not plan.ok and "too large" in plan.failures[0].reason


def test_an_unreadable_folder_is_refused(
    tmp_path: Path, notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "fine.md").write_text("# Fine\n", encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:
        # Root reads any folder: refuse this one the way the system refuses other users.
        real_scandir = os.scandir

        def scandir(path):  # type: ignore[no-untyped-def]
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        with pytest.raises(ImportProblem, match="cannot be read"):
            plan_import(notebook, tmp_path)
    finally:
        locked.chmod(0o755)


def test_a_missing_path_is_a_clear_error(tmp_path: Path, notebook: Notebook) -> None:
    with pytest.raises(ImportProblem, match="no such file or folder"):
        plan_import(notebook, tmp_path / "nowhere")


def test_cancelling_an_import_changes_nothing(samples_dir: Path, db_path: Path) -> None:
    Notebook.open(db_path).close()
    before = database_bytes(db_path)
    with Notebook.open(db_path) as notebook:
        plan = plan_import(notebook, samples_dir / "reading-log.md")
        with pytest.raises(OperationCancelled):
            apply_import(notebook, plan, progress=lambda done, total, what: done < 1)
        assert notebook.count_entries() == 0
    assert database_bytes(db_path) == before


# --- export --------------------------------------------------------------------------------------


def test_vault_layout_and_safe_names(tmp_path: Path, notebook: Notebook) -> None:
    for title in ["../../etc/passwd", "CON", "a:b*c?", "x" * 300, "노트", "Same", "same"]:
        notebook.add(Entry(kind=Kind.NOTE, title=title))
    notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
    notebook.add(Entry(kind=Kind.MEETING, title="Call", who="an eval researcher"))
    report = export_vault(select_entries(notebook), tmp_path / "vault")
    assert report.by_kind == {"note": 7, "term": 1, "meeting": 1}
    vault = (tmp_path / "vault").resolve()
    files = list(vault.rglob("*.md"))
    assert len(files) == 9
    for path in files:
        assert path.resolve().is_relative_to(vault)
        assert len(path.name) <= 130
        assert path.stem.upper() not in {"CON", "PRN", "AUX", "NUL"}
    assert (vault / "glossary" / "Superposition.md").exists()
    assert (vault / VAULT_MARKER).exists()
    text = (vault / "meetings" / "Call.md").read_text(encoding="utf-8")
    assert text.startswith("---\n") and "who: an eval researcher" in text


def test_export_refuses_a_folder_with_other_files(tmp_path: Path, notebook: Notebook) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.tex").write_text("precious")
    with pytest.raises(ExportProblem, match="not empty"):
        export_vault(select_entries(notebook), folder)
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]


def test_export_follows_a_filter(tmp_path: Path, notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="In", tags=["ml/rl"]))
    notebook.add(Entry(kind=Kind.NOTE, title="Out", tags=["misc"]))
    chosen = list(select_entries(notebook, "", Scope(tags=("ml",))))
    assert [e.title for e in chosen] == ["In"]


def test_combined_document_in_the_samples_style(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Paper A", url="https://arxiv.org/abs/1",
                       source_type=SourceType.PAPER, read_on=dt.date(2024, 9, 25),
                       body="Summary of A."))  # fmt: skip
    notebook.add(Entry(kind=Kind.NOTE, title="Video B", url="https://youtu.be/x", body="B.",
                       source_type=SourceType.VIDEO, read_on=dt.date(2024, 9, 20)))  # fmt: skip
    notebook.add(Entry(kind=Kind.TERM, title="Second", glossary_position=2.0, body="def 2"))
    notebook.add(Entry(kind=Kind.TERM, title="First", glossary_position=1.0, body="def 1"))
    notebook.add(Entry(kind=Kind.MEETING, title="Chat", who="Jane Doe", met_on=dt.date(2024, 1, 2)))
    text = combined_document(select_entries(notebook), anonymise=True)
    assert text.index("09/25/2024") < text.index("09/20/2024")
    assert "- 📜[Paper A](https://arxiv.org/abs/1)\n    - Summary of A." in text
    assert "- 📺[Video B](https://youtu.be/x)" in text
    assert text.index("### First") < text.index("### Second")
    assert "Jane Doe" not in text and "Person A" in text
    assert "Jane Doe" in combined_document(select_entries(notebook))


def test_combined_document_anonymises_titles_and_nests_headings(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.MEETING, title="Meeting with an eval researcher",
                       who="an eval researcher", met_on=dt.date(2024, 3, 1),
                       body="- An Eval Researcher said: read the paper"))  # fmt: skip
    notebook.add(Entry(kind=Kind.NOTE, title="Long note",
                       body="# Part one\ntext\n```\n# a comment in code\n```\n#### Deep"),
                 )  # fmt: skip
    text = combined_document(select_entries(notebook), anonymise=True)
    assert "eval researcher" not in text.casefold()
    assert "### 2024-03-01: Meeting with Person A\n" in text
    assert "- Person A said: read the paper" in text
    # The note's own headings sit below its ### title; code is untouched.
    assert "#### Part one" in text and "###### Deep" in text
    assert "\n# a comment in code\n" in text
    assert "\n# Part one" not in text


def test_copy_as_markdown() -> None:
    entry = Entry(kind=Kind.NOTE, title="Paper", url="https://x.org", tags=["ml"], body="Body.")
    assert entry_as_markdown(entry) == "# Paper\n\n<https://x.org> · #ml\n\nBody.\n"


# --- the command line ----------------------------------------------------------------------------


def test_cli_import_dry_run_then_import_then_export(
    samples: Samples, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples_dir = samples.path
    db = ["--db", str(db_path)]
    Notebook.open(db_path).close()  # a dry run reads: it refuses a missing notebook
    assert main([*db, "import", str(samples_dir / "reading-log.md"), "--dry-run"]) == 0
    assert "dry run" in capsys.readouterr().out
    with Notebook.open(db_path) as notebook:
        assert notebook.count_entries() == 0
    assert main([*db, "import", str(samples_dir / "reading-log.md")]) == 0
    assert "imported" in capsys.readouterr().out
    assert main([*db, "export", str(tmp_path / "vault"), "--combined", str(tmp_path / "all.md"),
                 "--kind", "note"]) == 0  # fmt: skip
    capsys.readouterr()
    notes = list((tmp_path / "vault" / "notes").glob("*.md"))
    assert len(notes) > samples.known(real=250, fixture=12)
    assert (
        (tmp_path / "all.md")
        .read_text(encoding="utf-8")
        .startswith("<!-- notebook-app: combined document -->\n# Notebook")
    )
    assert main([*db, "list", "--json", "--limit", "5"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5


def test_cli_import_of_bad_input_says_which_file(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["--db", str(db_path), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == "notebook-app: bad.md: a binary file, not text; nothing was imported\n"
