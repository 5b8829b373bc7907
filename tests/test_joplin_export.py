"""A Joplin export ("MD - Markdown + Front Matter", tests/fixtures/joplin-export): one folder
per notebook, its times, tags and author read into fields, a clipped note's ``source`` as its
URL, and the folder given back by export as it came."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.markdown_files import markdown_to_entry
from notebook_app.core.model.entry import Entry
from notebook_app.core.storage.notebook import Notebook
from tests.test_vault import by_path, read_tree, run_import

EXPORT = Path(__file__).resolve().parent / "fixtures" / "joplin-export"
PAPER = "Research/Papers/Sparse autoencoders.md"


def imported(notebook: Notebook, tmp_path: Path) -> dict[str, Entry]:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    run_import(notebook, folder)
    return by_path(notebook)


def test_a_notes_front_matter_sets_its_fields(tmp_path: Path, notebook: Notebook) -> None:
    paper = imported(notebook, tmp_path)[PAPER]
    assert paper.title == "Sparse autoencoders"
    assert paper.tags == ["interpretability", "sae"]
    assert paper.created == dt.datetime(2024, 9, 25, 15, 4, 10, tzinfo=dt.UTC)
    assert paper.authors == "Seonglae Cho"
    assert paper.folder == "Research/Papers"


def test_a_clipped_notes_source_is_its_url(tmp_path: Path, notebook: Notebook) -> None:
    entries = imported(notebook, tmp_path)
    assert entries[PAPER].url == "https://arxiv.org/abs/2309.08600"  # Joplin's `source:`
    assert entries["Inbox/Clipped.md"].url == "https://example.org/post"  # `source_url:`
    assert entries["Inbox/Book quote.md"].url is None  # a source that is no address
    assert "source: Gödel, Escher, Bach (p. 709)" in (entries["Inbox/Book quote.md"].front_matter
                                                      or "")  # fmt: skip


def test_the_export_comes_back_byte_for_byte(tmp_path: Path, notebook: Notebook) -> None:
    imported(notebook, tmp_path)
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == read_tree(EXPORT)


def test_a_file_named_on_its_own_gives_the_same_url() -> None:
    text = (EXPORT / "Inbox" / "Clipped.md").read_text(encoding="utf-8")
    assert markdown_to_entry(text, fallback_title="Clipped").url == "https://example.org/post"
