"""Logseq pages and daily notes in a vault: what their properties and names give the entry,
and the file given back unchanged by export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.markdown_files import markdown_to_entry
from notebook_app.core.formats.page_properties import day_of_name, page_properties
from notebook_app.core.model.entry import Entry, ReadingStatus
from notebook_app.core.storage.notebook import Notebook
from tests.test_vault import by_path, read_tree, run_import

LOGSEQ_PAGE = (
    "title:: ml/Sparse autoencoders\n"
    "tags:: interpretability, [[dictionary learning]], #sae\n"
    "alias:: SAE, [[dictionary learning models]]\n"
    "url:: https://example.org/sae\n"
    "status:: reading\n"
    "\n"
    "- first block #toy\n"
    "  id:: 64a1b2c3-0000-4000-8000-000000000001\n"
)
VAULT = {
    "pages/ml___Sparse autoencoders.md": LOGSEQ_PAGE,
    "journals/2024_01_15.md": "- worked on [[Sparse autoencoders]]\n",
    "Daily Notes/2024-02-29.md": "---\ntags: [daily]\n---\nToday.\n",
    "Daily Notes/2024-03-01.md": "---\ncreated: 2023-12-31T08:00:00Z\n---\nWritten ahead.\n",
    "2024-13-40.md": "no day\n",
    "papers/rlhf.md": "---\nurl: https://arxiv.org/abs/2203.02155\naliases: a,  b ,\n---\nx\n",
    "yaml wins.md": "---\nurl: https://example.org/yaml\n---\nurl:: https://example.org/page\n",
}


def written(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def imported(notebook: Notebook, folder: Path, files: dict[str, bytes]) -> dict[str, Entry]:
    """The entries of a folder of ``files``, imported, by their paths."""
    run_import(notebook, written(folder, files))
    return by_path(notebook)


def utf8(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def test_a_logseq_page_gives_its_tags_aliases_and_fields(
    tmp_path: Path, notebook: Notebook
) -> None:
    entries = imported(notebook, tmp_path / "v", utf8(VAULT))
    page = entries["pages/ml___Sparse autoencoders.md"]
    assert page.title == "ml___Sparse autoencoders"  # the file's name, as export writes it back
    assert page.tags == ["interpretability", "dictionary-learning", "sae", "toy"]
    # ... and the name Logseq's links give it (its title::, its namespace) an alias.
    assert page.aliases == ["SAE", "dictionary learning models", "ml/Sparse autoencoders"]
    assert page.url == "https://example.org/sae"
    assert page.reading_status is ReadingStatus.READING
    assert page.body == LOGSEQ_PAGE  # the properties stay in the text, as written
    assert entries["yaml wins.md"].url == "https://example.org/yaml"  # YAML outranks the page


def test_a_daily_notes_name_gives_its_day(tmp_path: Path, notebook: Notebook) -> None:
    entries = imported(notebook, tmp_path / "v", utf8(VAULT))
    created = {path: entry.created for path, entry in entries.items()}
    assert created["journals/2024_01_15.md"] == dt.datetime(2024, 1, 15, tzinfo=dt.UTC)
    assert created["Daily Notes/2024-02-29.md"] == dt.datetime(2024, 2, 29, tzinfo=dt.UTC)
    # The front matter's own time wins; a name that is no day gives none.
    assert created["Daily Notes/2024-03-01.md"] == dt.datetime(2023, 12, 31, 8, tzinfo=dt.UTC)
    assert created["2024-13-40.md"].date() == dt.datetime.now(dt.UTC).date()


def test_such_a_vault_comes_back_from_export_byte_for_byte(
    tmp_path: Path, notebook: Notebook
) -> None:
    """Nothing the import read from page properties, names or an arXiv link (the note's day
    read, its paper's month) is written back as a change."""
    entries = imported(notebook, tmp_path / "v", utf8(VAULT))
    assert entries["papers/rlhf.md"].read_on == dt.date(2022, 3, 1)
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == VAULT


def test_a_logseq_page_named_on_its_own_gives_the_same() -> None:
    entry = markdown_to_entry(LOGSEQ_PAGE, fallback_title="page")
    assert entry.tags == ["interpretability", "dictionary-learning", "sae", "toy"]
    assert entry.aliases == ["SAE", "dictionary learning models"]
    assert entry.url == "https://example.org/sae"


@pytest.mark.parametrize(
    ("body", "properties"),
    [
        ("a:: 1\nB-c:: two [[x]]\n\n- a:: 3\n", {"a": "1", "b-c": "two x"}),
        ("a:: 1\na:: 2\n", {"a": "1"}),  # the first of a key
        ("empty::\n", {"empty": ""}),
        ("std::vector<int> v;\n", {}),  # code, not a property: no space after "::"
        ("text first\ntags:: late\n", {}),  # properties open the text or are none
        ("- tags:: a block's\n", {}),
        ("", {}),
    ],
)
def test_page_properties_are_the_lines_a_text_opens_with(
    body: str, properties: dict[str, str]
) -> None:
    assert page_properties(body) == properties


def test_page_properties_are_looked_for_in_a_bounded_head() -> None:
    body = "".join(f"k{n}:: {n}\n" for n in range(1000))
    assert len(page_properties(body)) == 64


@pytest.mark.parametrize(
    ("stem", "day"),
    [
        ("2024-01-15", dt.date(2024, 1, 15)),
        ("2024_01_15", dt.date(2024, 1, 15)),
        ("2024-01_15", None),
        ("2023-02-29", None),
        ("2024-01-15 meeting", None),
        ("20240115", None),
    ],
)
def test_a_days_name(stem: str, day: dt.date | None) -> None:
    found = day_of_name(stem)
    assert (found.date() if found else None) == day


# --- how a file spells its text ------------------------------------------------------------------

STYLED = {
    "windows.md": b"---\r\ntags: [a]\r\n---\r\n# Title\r\n\r\ntext #b\r\n",
    "marked.md": b"\xef\xbb\xbf# Marked\n\ntext\n",
    "both.md": b"\xef\xbb\xbfline one\r\nline two\r\n",
    "plain.md": b"line\n",
}


def test_line_ends_and_the_byte_order_mark_come_back_as_they_were(
    tmp_path: Path, notebook: Notebook
) -> None:
    entries = imported(notebook, tmp_path / "v", STYLED)
    assert {path: e.file_style for path, e in entries.items()} == {
        "windows.md": "crlf", "marked.md": "bom", "both.md": "bom crlf", "plain.md": None
    }  # fmt: skip
    assert entries["windows.md"].body == "# Title\n\ntext #b\n"  # the app reads "\n"
    assert entries["windows.md"].tags == ["a", "b"]
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.md")} == STYLED
    # An edit in the app keeps the file's spelling.
    entry = entries["windows.md"]
    notebook.update(entry.id, entry.version, body="# Title\n\nedited #b\n")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert (tmp_path / "out" / "windows.md").read_bytes() == (
        b"---\r\ntags: [a]\r\n---\r\n# Title\r\n\r\nedited #b\r\n"
    )


def test_a_file_that_mixes_line_ends_is_given_newlines(tmp_path: Path, notebook: Notebook) -> None:
    (entry,) = imported(notebook, tmp_path / "v", {"mixed.md": b"one\r\ntwo\nthree\r\n"}).values()
    assert entry.body == "one\ntwo\nthree\n" and entry.file_style is None


def test_a_sync_writes_an_edited_file_back_as_it_was_spelt(
    tmp_path: Path, notebook: Notebook
) -> None:
    from notebook_app.core.sync.engine import sync_folder

    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "windows.md").write_bytes(STYLED["windows.md"])
    sync_folder(notebook, folder)
    (entry,) = notebook.iter_entries()
    assert entry.file_style == "crlf"
    notebook.update(entry.id, entry.version, body="# Title\n\nedited here #b\n")
    sync_folder(notebook, folder)
    written = (folder / "windows.md").read_bytes()
    assert written == b"---\r\ntags: [a]\r\n---\r\n# Title\r\n\r\nedited here #b\r\n"
    assert not sync_folder(notebook, folder).updated  # and the next sync finds nothing to do


def test_a_logseq_tag_of_several_words_stays_in_the_text(
    tmp_path: Path, notebook: Notebook
) -> None:
    """``#[[deep learning]]`` is the tag ``deep-learning``; a tag added in the app goes to the
    front matter, where the text's tag does not follow it."""
    text = "---\ntags: [a]\n---\nOn #[[deep learning]].\n"
    (entry,) = imported(notebook, tmp_path / "v", {"n.md": text.encode()}).values()
    assert entry.tags == ["a", "deep-learning"]
    notebook.update(entry.id, entry.version, tags=[*entry.tags, "new"])
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = (tmp_path / "out" / "n.md").read_text(encoding="utf-8")
    assert written == "---\ntags: [a, new]\n---\nOn #[[deep learning]].\n"


DATED = {
    "post.md": "---\ntitle: A post\ndate: 2021-05-04\n---\nJekyll and Hugo write this.\n",
    "timed.md": "---\ndate: 2021-05-04T10:30:00Z\n---\nx\n",
    "both.md": "---\ncreated: 2020-01-01\ndate: 2021-05-04\n---\ncreated wins\n",
    "words.md": "---\ndate: next week\n---\nnot a date\n",
    "year.md": "---\ndate: 2024\n---\na number is no date here\n",
    "meeting.md": "---\nkind: meeting\ndate: 2023-03-02\n---\nmet\n",
    "logseq.md": "date:: 2021-06-07\n\n- a page property says it\n",
}


def test_a_files_date_property_is_its_creation_day(tmp_path: Path, notebook: Notebook) -> None:
    entries = imported(notebook, tmp_path / "v", utf8(DATED))
    created = {path: entry.created for path, entry in entries.items()}
    assert created["post.md"] == dt.datetime(2021, 5, 4, tzinfo=dt.UTC)
    assert created["timed.md"] == dt.datetime(2021, 5, 4, 10, 30, tzinfo=dt.UTC)
    assert created["both.md"] == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    today = dt.datetime.now(dt.UTC).date()
    assert created["words.md"].date() == today and created["year.md"].date() == today
    assert created["meeting.md"] == dt.datetime(2023, 3, 2, tzinfo=dt.UTC)
    assert entries["meeting.md"].met_on == dt.date(2023, 3, 2)
    assert created["logseq.md"] == dt.datetime(2021, 6, 7, tzinfo=dt.UTC)
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == DATED  # read, never written back
    named = markdown_to_entry(DATED["post.md"], fallback_title="post")
    assert named.created == dt.datetime(2021, 5, 4, tzinfo=dt.UTC)


def test_a_logseq_graphs_own_folder_is_left_out(tmp_path: Path, notebook: Notebook) -> None:
    """Its settings and its backup copies of pages (logseq/bak/) would come in as duplicates of
    the pages; a folder named so that is no graph's (no config.edn) is the user's own."""
    from notebook_app.core.formats.importing import plan_import
    from notebook_app.core.sync.engine import sync_folder

    graph = tmp_path / "graph"
    files = {
        "pages/Note.md": b"tags:: x\n\n- the page\n",
        "logseq/config.edn": b"{}",
        "logseq/bak/pages/Note/2024_01_01.md": b"tags:: x\n\n- an old copy\n",
        "notes/logseq/mine.md": b"a folder of mine\n",
    }
    summary = plan_import(notebook, written(graph, files)).summary()
    assert "skipped: logseq/: Logseq's own folder" in summary and "bak" not in summary
    entries = imported(notebook, graph, {})
    assert sorted(entries) == ["notes/logseq/mine.md", "pages/Note.md"]
    report = sync_folder(notebook, graph, dry_run=True)
    assert [path for path, _ in report.skipped] == ["logseq/"]


def test_logseq_links_find_journals_namespaces_and_titled_pages(
    tmp_path: Path, notebook: Notebook
) -> None:
    files = {
        "journals/2024_01_01.md": b"- new year\n",
        "journals/2024_01_02.md": b"- second\n",
        "journals/2024_01_13.md": b"alias:: Friday\n\n- thirteenth\n",
        "journals/2024_01_23.md": b"- twenty-third\n",
        "pages/Plan.md": b"- see [[Jan 1st, 2024]], [[Jan 13th, 2024]], [[ml/sae]], [[Titled]]\n",
        "pages/ml___sae.md": b"- a namespaced page\n",
        "pages/titled-file.md": b"title:: Titled\n\n- named by its title::\n",
        "notes/2024_01_03.md": b"- not a journal: no alias\n",
    }
    entries = imported(notebook, tmp_path / "v", files)
    aliases = {path: entry.aliases for path, entry in entries.items()}
    assert aliases["journals/2024_01_01.md"] == ["Jan 1st, 2024"]
    assert aliases["journals/2024_01_02.md"] == ["Jan 2nd, 2024"]
    assert aliases["journals/2024_01_13.md"] == ["Friday", "Jan 13th, 2024"]
    assert aliases["journals/2024_01_23.md"] == ["Jan 23rd, 2024"]
    assert aliases["notes/2024_01_03.md"] == []
    plan = entries["pages/Plan.md"]
    assert aliases["pages/ml___sae.md"] == ["ml/sae"]
    assert aliases["pages/titled-file.md"] == ["Titled"]
    linked = ("journals/2024_01_01.md", "journals/2024_01_13.md", "pages/ml___sae.md",
              "pages/titled-file.md")  # fmt: skip
    for path in linked:
        linking = notebook.backlinks(entries[path].id)
        assert [b.source.id for b in linking] == [plan.id]
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert {p: d.decode() for p, d in files.items()} == read_tree(tmp_path / "out")
