"""A folder's whole-page files (a reading log, a notebook page, a Notion page) in a sync: import
splits each into entries of its own, and sync, classifying the folder's files as import does
(formats/whole_pages), never takes one in as a note of its own (a duplicate of all it holds),
never writes it, and never writes its entries out to ``notes/`` (the file holds them)."""

from __future__ import annotations

import shutil
from pathlib import Path

from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder
from tests.conftest import Samples

PAGES = ("reading-log.md", "ml-notebook-page.txt", "notion-application-page.txt")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def vault(tmp_path: Path, samples: Samples) -> Path:
    """The three whole-page samples, a plain-text sample and a note of the user's."""
    folder = tmp_path / "vault"
    folder.mkdir()
    for name in (*PAGES, "podcast-summary.txt"):
        shutil.copyfile(samples.path / name, folder / name)
    (folder / "Plain.md").write_text("# Plain\n\nsome note\n", encoding="utf-8")
    return folder


def test_a_synced_folder_s_whole_pages_are_neither_duplicated_nor_written_out(
    tmp_path: Path, samples: Samples
) -> None:
    folder = vault(tmp_path, samples)
    before = tree(folder)
    with Notebook.open(tmp_path / "nb.db") as notebook:
        apply_import(notebook, plan_import(notebook, folder))
        imported = notebook.count_entries()
        for dry_run in (True, False, False):
            report = sync_folder(notebook, folder, dry_run=dry_run)
            assert report.added == [] and report.written == [] and not report.changed
            assert notebook.count_entries() == imported  # no entry holding a whole page again
            assert tree(folder) == before  # nothing written out to notes/, no file rewritten
            skipped = dict(report.skipped)
            assert sorted(skipped) == sorted(PAGES)  # one line each, saying what and why
            assert skipped["reading-log.md"].startswith("a reading log (")
            assert skipped["ml-notebook-page.txt"].startswith("a notebook page (")
            assert skipped["notion-application-page.txt"].startswith("a Notion page (1 entry, ")
            for why in skipped.values():
                assert "all in the notebook): read by import, not synced" in why


def _a_log_entry(notebook: Notebook) -> Entry:
    return next(e for e in notebook.iter_entries() if e.kind is Kind.NOTE and e.read_on)


def test_an_entry_of_a_reading_log_edited_here_stays_here_and_the_log_is_untouched(
    tmp_path: Path, samples: Samples
) -> None:
    folder = vault(tmp_path, samples)
    log = (folder / "reading-log.md").read_bytes()
    with Notebook.open(tmp_path / "nb.db") as notebook:
        apply_import(notebook, plan_import(notebook, folder))
        entry = _a_log_entry(notebook)
        notebook.update(entry.id, entry.version, body="my own summary")
        made = notebook.add(Entry(kind=Kind.NOTE, title="Made here", body="new"))
        report = sync_folder(notebook, folder)
        assert report.written == ["notes/Made here.md"]  # an entry made here still goes out
        assert notebook.get(entry.id).body == "my own summary"  # nothing typed is lost
        assert notebook.get(made.id).body == "new"
    assert (folder / "reading-log.md").read_bytes() == log


def test_a_whole_page_synced_before_it_is_imported_says_to_import_it(
    tmp_path: Path, samples: Samples
) -> None:
    folder = vault(tmp_path, samples)
    with Notebook.open(tmp_path / "nb.db") as notebook:
        report = sync_folder(notebook, folder)
        assert sorted(report.added) == ["Plain.md", "podcast-summary.txt"]
        why = dict(report.skipped)["reading-log.md"]
        assert "none in the notebook): read by import, not synced; import it to take" in why
        assert notebook.count_entries() == 2
        apply_import(notebook, plan_import(notebook, folder))  # the import splits it
        assert notebook.count_entries() > 3
        assert sync_folder(notebook, folder).changed is False


def test_the_combined_document_in_a_synced_folder_is_refused_as_import_refuses_it(
    tmp_path: Path,
) -> None:
    from notebook_app.core.formats.exporting import combined_document

    folder = tmp_path / "vault"
    folder.mkdir()
    with Notebook.open(tmp_path / "nb.db") as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="A note", body="text"))
        text = combined_document(notebook.iter_entries())
        (folder / "all.md").write_text(text, encoding="utf-8")
        report = sync_folder(notebook, folder)
        assert report.added == []  # not one more note holding every other one
        assert (
            "not synced: this is the notebook's combined document" in dict(report.skipped)["all.md"]
        )
