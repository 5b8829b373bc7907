"""Plain-text notes in a folder (nvALT's and Notational Velocity's ``.txt`` notes, a few ``.txt``
files in an Obsidian vault): import, export and sync treat them as the vault's markdown files,
each at its own path, under its own name and suffix, written back in place."""

from __future__ import annotations

import os
import time
from pathlib import Path

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.sample_formats import parse_notion_page
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder
from tests.conftest import Samples

# An nvALT folder: no front matter, the first line often a title of its own, a subfolder, a
# Windows file, one with a byte-order mark; and a markdown note beside them.
NV_FOLDER = {
    "groceries.txt": b"Shopping list\nmilk\neggs\n",
    "projects/idea.txt": b"deep thought\r\nsecond line\r\n",
    "projects/2024/plan.text": b"\xef\xbb\xbfplan for the year #goals\n",
    "Inbox.md": b"# Inbox\nsee [[groceries]]\n",
}


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the export's own list -> its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".notebook-app-export"
    }


def touch_later(path: Path) -> None:
    """A modification time a sync cannot miss on a coarse file system."""
    later = time.time() + 5
    os.utime(path, (later, later))


def imported(notebook: Notebook, folder: Path) -> None:
    plan = plan_import(notebook, folder)
    assert plan.ok, plan.summary()
    apply_import(notebook, plan)


def test_text_notes_keep_their_paths_and_come_back_byte_for_byte(
    tmp_path: Path, notebook: Notebook
) -> None:
    write_tree(tmp_path / "nv", NV_FOLDER)
    imported(notebook, tmp_path / "nv")
    entries = {(e.folder, e.file_name): e for e in notebook.iter_entries()}
    idea = entries[("projects", "idea.txt")]
    # Titled by its name, as nvALT shows it; its first line stays in the text.
    assert idea.title == "idea" and idea.body == "deep thought\nsecond line\n"
    assert entries[("projects/2024", "plan.text")].tags == ["goals"]
    assert entries[("", "groceries.txt")].body == "Shopping list\nmilk\neggs\n"
    # Importing it again finds every file where it was: nothing new, nothing updated.
    again = plan_import(notebook, tmp_path / "nv")
    assert (len(again.new), len(again.updates), again.unchanged) == (0, 0, len(NV_FOLDER))
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = read_tree(tmp_path / "out")
    assert {path: written[path] for path in NV_FOLDER} == NV_FOLDER
    # A title changed in the app gives a new name in the same folder, with the same suffix.
    notebook.update(idea.id, idea.version, title="better idea")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert "projects/better idea.txt" in read_tree(tmp_path / "out")
    assert "projects/idea.txt" not in read_tree(tmp_path / "out")


def test_a_sync_after_the_import_writes_no_copy_of_a_text_note(
    tmp_path: Path, notebook: Notebook
) -> None:
    folder = tmp_path / "nv"
    write_tree(folder, NV_FOLDER)
    imported(notebook, folder)
    report = sync_folder(notebook, folder)
    assert not report.written and not report.added, report.lines()
    assert read_tree(folder) == NV_FOLDER
    assert notebook.count_entries() == len(NV_FOLDER)


def test_text_notes_sync_both_ways_in_place(tmp_path: Path, notebook: Notebook) -> None:
    folder = tmp_path / "nv"
    write_tree(folder, NV_FOLDER)
    imported(notebook, folder)
    sync_folder(notebook, folder)
    idea = next(e for e in notebook.iter_entries() if e.file_name == "idea.txt")
    # An edit in the app goes into the same .txt file, its Windows line ends kept.
    notebook.update(idea.id, idea.version, body="deep thought, revised\n")
    report = sync_folder(notebook, folder)
    assert report.written == ["projects/idea.txt"], report.lines()
    assert (folder / "projects" / "idea.txt").read_bytes() == b"deep thought, revised\r\n"
    # An edit in the file comes in.
    (folder / "groceries.txt").write_bytes(b"Shopping list\nmilk\neggs\nbread\n")
    touch_later(folder / "groceries.txt")
    report = sync_folder(notebook, folder)
    assert report.updated == ["groceries.txt"] and not report.written, report.lines()
    groceries = next(e for e in notebook.iter_entries() if e.file_name == "groceries.txt")
    assert groceries.body.endswith("bread\n")
    # A title changed in the app renames the file in its folder, keeping its suffix.
    notebook.update(idea.id, notebook.get(idea.id).version, title="better idea")
    report = sync_folder(notebook, folder)
    assert report.renamed == [("projects/idea.txt", "projects/better idea.txt")]
    assert sorted(read_tree(folder)) == sorted(
        ["groceries.txt", "projects/better idea.txt", "projects/2024/plan.text", "Inbox.md"]
    )


def test_a_text_file_made_in_the_folder_comes_in_by_a_sync(
    tmp_path: Path, notebook: Notebook
) -> None:
    folder = tmp_path / "nv"
    write_tree(folder, {"new.txt": b"written in nvALT\n"})
    report = sync_folder(notebook, folder)
    assert report.added == ["new.txt"] and not report.written, report.lines()
    (entry,) = notebook.iter_entries()
    assert (entry.title, entry.file_name, entry.body) == ("new", "new.txt", "written in nvALT\n")


def test_a_notion_page_in_a_folder_is_still_read_as_one(
    samples: Samples, tmp_path: Path, notebook: Notebook
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    name = "notion-application-page.txt"
    (folder / name).write_bytes((samples.path / name).read_bytes())
    imported(notebook, folder)
    (entry,) = notebook.iter_entries()
    assert entry.title == parse_notion_page(samples.text(name)).title
