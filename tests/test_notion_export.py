"""A Notion workspace exported as "Markdown & CSV" (tests/fixtures/notion-export, unzipped):
pages titled without the ids Notion adds to their names, a database row's properties read into
fields, and the folder given back by export as it came."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.page_properties import notion_front_matter
from notebook_app.core.model.entry import Entry, ReadingStatus
from notebook_app.core.storage.notebook import Notebook
from tests.test_vault import by_path, read_tree, run_import

EXPORT = Path(__file__).resolve().parent / "fixtures" / "notion-export"
BOOKS = "Books 9f8e7d6c5b4a39281706f5e4d3c2b1a0"
ROW = f"{BOOKS}/Deep Learning 22223333444455556666777788889999.md"


def imported(notebook: Notebook, tmp_path: Path) -> dict[str, Entry]:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    run_import(notebook, folder)
    return by_path(notebook)


def test_pages_are_titled_without_notions_ids(tmp_path: Path, notebook: Notebook) -> None:
    titles = {entry.title for entry in imported(notebook, tmp_path).values()}
    assert titles == {"Reading notes", "Other page", "연구 계획", "Deep Learning",
                      "Gödel, Escher, Bach"}  # fmt: skip


def test_a_database_rows_properties_set_its_fields(tmp_path: Path, notebook: Notebook) -> None:
    row = imported(notebook, tmp_path)[ROW]
    assert row.tags == ["ml", "textbook"]
    assert row.created == dt.datetime(2024, 9, 25, 15, 4, tzinfo=dt.UTC)
    assert row.url == "https://www.deeplearningbook.org"
    assert row.authors == "Goodfellow"
    assert row.reading_status is ReadingStatus.DONE
    assert "Tags: ml, textbook\n" in row.body  # the lines stay in the text as written


def test_the_export_comes_back_byte_for_byte(tmp_path: Path, notebook: Notebook) -> None:
    imported(notebook, tmp_path)
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == read_tree(EXPORT)


def test_only_a_page_named_by_notion_and_only_its_opening_lines_give_properties() -> None:
    body = "# Deep Learning\n\nTags: ml\nURL: https://a.example\n\nTags: later\n"
    assert notion_front_matter("Deep Learning.md", body) == {}
    page = "Deep Learning 22223333444455556666777788889999.md"
    assert notion_front_matter(page, body) == {"tags": ["ml"], "url": "https://a.example"}
    # Values Notion's other settings or a person wrote, which fit no field, are text only.
    odd = "Created: next week\nStatus: Blocked\nPriority: high\n"
    assert notion_front_matter(page, odd) == {}
    assert notion_front_matter(page, "Created: February 30, 2024\n") == {}
    assert notion_front_matter(page, "Created: March 1, 2024 12:05 AM\n") == {
        "created": dt.datetime(2024, 3, 1, 0, 5, tzinfo=dt.UTC)
    }
