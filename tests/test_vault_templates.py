"""A template's front matter, which is not YAML (``created: {{date}}``): kept atop the entry's
text, its readable keys read, and a change made in the app written into that one block, line by
line, by export and sync alike (loose_front_matter)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder

DAILY = (
    "---\n"
    "created: {{date}}\n"
    "title: {{title}}\n"
    "# set by Templater\n"
    "tags: [daily]\n"
    "aliases:\n"
    "  - today\n"
    "---\n"
    "# {{title}}\n"
    "\n"
    "## Log\n"
)
PLAIN = "---\ndate: {{date:YYYY-MM-DD}}\n---\nA meeting on {{date}}\n"


def imported(notebook: Notebook, folder: Path) -> None:
    plan = plan_import(notebook, folder)
    assert plan.ok, plan.summary()
    apply_import(notebook, plan)


def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    (folder / "Templates").mkdir(parents=True)
    (folder / "Templates" / "daily.md").write_text(DAILY, encoding="utf-8")
    (folder / "Templates" / "meeting.md").write_text(PLAIN, encoding="utf-8")
    return folder


def retag(notebook: Notebook, name: str, tags: list[str]) -> None:
    entry = next(e for e in notebook.iter_entries() if e.file_name == name)
    notebook.update(entry.id, entry.version, tags=tags)


def test_a_template_keeps_one_block_when_tagged_in_the_app(
    tmp_path: Path, notebook: Notebook
) -> None:
    imported(notebook, vault(tmp_path))
    daily = next(e for e in notebook.iter_entries() if e.file_name == "daily.md")
    # The block stays in the text; its keys that read are read.
    assert daily.body == DAILY and daily.tags == ["daily"] and daily.aliases == ["today"]
    retag(notebook, "daily.md", ["daily", "journal"])
    retag(notebook, "meeting.md", ["meeting"])
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = (tmp_path / "out" / "Templates" / "daily.md").read_text(encoding="utf-8")
    # One block: the tags key written again in its place, every other line as it was.
    assert written == DAILY.replace("tags: [daily]\n", "tags: [daily, journal]\n")
    meeting = (tmp_path / "out" / "Templates" / "meeting.md").read_text(encoding="utf-8")
    assert meeting == PLAIN.replace("\n---\nA", "\ntags:\n- meeting\n---\nA")
    # What was written reads back as it was meant.
    with Notebook.open(tmp_path / "other.db") as other:
        imported(other, tmp_path / "out")
        tags = {e.file_name: e.tags for e in other.iter_entries()}
        assert tags == {"daily.md": ["daily", "journal"], "meeting.md": ["meeting"]}
    # An empty list takes no key out of the block: an entry imported before its keys were
    # read holds none, and its template keeps them.
    retag(notebook, "daily.md", [])
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert (tmp_path / "out" / "Templates" / "daily.md").read_text(encoding="utf-8") == DAILY


def test_a_sync_writes_a_template_tagged_in_the_app_into_its_own_block(
    tmp_path: Path, notebook: Notebook
) -> None:
    folder = vault(tmp_path)
    imported(notebook, folder)
    assert not sync_folder(notebook, folder).written
    retag(notebook, "daily.md", ["daily", "journal"])
    report = sync_folder(notebook, folder)
    assert report.written == ["Templates/daily.md"], report.lines()
    path = folder / "Templates" / "daily.md"
    tagged = DAILY.replace("tags: [daily]\n", "tags: [daily, journal]\n")
    assert path.read_text(encoding="utf-8") == tagged
    # The template edited in Obsidian afterwards: the edit comes in, the tags stay.
    path.write_text(tagged + "- \n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    report = sync_folder(notebook, folder)
    assert report.updated == ["Templates/daily.md"] and not report.written, report.lines()
    daily = next(e for e in notebook.iter_entries() if e.file_name == "daily.md")
    assert daily.tags == ["daily", "journal"] and daily.body == tagged + "- \n"
