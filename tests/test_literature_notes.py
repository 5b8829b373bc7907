"""Literature notes from Zotero's Obsidian plugins (Zotero Integration, Citations) and templates:
their authors, listed one a line, fill the note's authors field, and go back in the file's shape."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml

from notebook_app.cli import main
from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder

ZOTERO_NOTE = """\
---
title: "Attention Is All You Need"
authors:
  - Ashish Vaswani
  - Noam Shazeer
year: 2017
citekey: vaswani2017attention
doi: 10.48550/arXiv.1706.03762
url: https://arxiv.org/abs/1706.03762
tags: [paper, transformers]
---
The transformer.
"""


def vault(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "vault"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def imported(notebook: Notebook, folder: Path) -> str:
    plan = plan_import(notebook, folder)
    assert plan.ok, plan.summary()
    return apply_import(notebook, plan).summary()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_a_zotero_note_gives_its_authors_and_comes_back_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = vault(tmp_path, {"Literature/vaswani2017attention.md": ZOTERO_NOTE})
    db = str(tmp_path / "nb.db")
    report = run(capsys, "--db", db, "import", str(folder))
    assert "warning" not in report  # nothing about the authors left aside
    (listed,) = json.loads(run(capsys, "--db", db, "list", "--json"))
    shown = json.loads(run(capsys, "--db", db, "show", listed["id"], "--json"))
    assert shown["authors"] == "Ashish Vaswani and Noam Shazeer"
    (found,) = json.loads(run(capsys, "--db", db, "search", "Shazeer", "--json"))
    assert found["id"] == shown["id"]
    run(capsys, "--db", db, "export", str(tmp_path / "out"), "--bibtex", str(tmp_path / "a.bib"))
    written = tmp_path / "out" / "Literature" / "vaswani2017attention.md"
    assert written.read_bytes() == ZOTERO_NOTE.encode("utf-8")
    bib = (tmp_path / "a.bib").read_text(encoding="utf-8")
    assert "author = {Ashish Vaswani and Noam Shazeer}" in bib
    assert "@misc{vaswani2017" in bib  # the first author's family name starts the key


SHAPES = {
    # Obsidian Web Clipper's default template: author, singular, a list of links.
    "clipped.md": '---\nauthor:\n  - "[[Chris Olah]]"\n  - "[[Shan Carter]]"\n---\nx\n',
    "and.md": '---\nauthors: "Ashish Vaswani and Noam Shazeer"\n---\nx\n',
    # The Citations plugin's default template: {{authorString}}, names between commas.
    "citations.md": "---\nauthors: Ashish Vaswani, Noam Shazeer\n---\nx\n",
    "family first.md": "---\nauthors:\n- Vaswani, Ashish\n- Shazeer, Noam\n---\nx\n",
    "mixed.md": "---\nauthors:\n- Vaswani, Ashish\n- Noam Shazeer\n---\nx\n",
    # Zotero's creators (with their roles) are no list of names: kept as a property.
    "creators.md": "---\ncreators:\n- {firstName: Ashish, lastName: Vaswani}\n---\nx\n",
    "odd.md": "---\nauthors:\n- {name: Ashish Vaswani}\n---\nx\n",
    "empty.md": "---\nauthors: []\n---\nx\n",
    "blank item.md": "---\nauthors:\n  - Ashish Vaswani\n  -\n---\nx\n",
}


def test_the_common_shapes_of_authors(tmp_path: Path, notebook: Notebook) -> None:
    report = imported(notebook, vault(tmp_path, SHAPES))
    authors = {e.file_name: e.authors for e in notebook.iter_entries()}
    assert authors == {
        "clipped.md": "Chris Olah and Shan Carter",
        "and.md": "Ashish Vaswani and Noam Shazeer",
        "citations.md": "Ashish Vaswani, Noam Shazeer",
        "family first.md": "Vaswani, Ashish and Shazeer, Noam",
        "mixed.md": "Vaswani, Ashish; Noam Shazeer",
        "creators.md": None,
        "odd.md": None,
        "empty.md": None,
        "blank item.md": "Ashish Vaswani",
    }
    assert "warning: odd.md: front matter 'authors' should be text or a list of names" in report
    export_vault(notebook.iter_entries(), tmp_path / "out")
    for name, text in SHAPES.items():
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == text, name


def test_an_authors_edit_in_the_app_stays_a_list(tmp_path: Path, notebook: Notebook) -> None:
    imported(notebook, vault(tmp_path, {"n.md": ZOTERO_NOTE, "clipped.md": SHAPES["clipped.md"]}))
    entries = {e.file_name: e for e in notebook.iter_entries()}
    note, clipped = entries["n.md"], entries["clipped.md"]
    notebook.update(note.id, note.version, authors=note.authors + " and Niki Parmar")
    notebook.update(clipped.id, clipped.version, authors="Chris Olah, Ludwig Schubert")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    head = yaml.safe_load((tmp_path / "out" / "n.md").read_text(encoding="utf-8").split("---")[1])
    assert head["authors"] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    before = yaml.safe_load(ZOTERO_NOTE.split("---")[1])
    assert {k: v for k, v in head.items() if k != "authors"} == {
        k: v for k, v in before.items() if k != "authors"
    }
    # A name the file gave as a link stays the link; a new one is a name.
    head = yaml.safe_load((tmp_path / "out" / "clipped.md").read_text("utf-8").split("---")[1])
    assert head == {"author": ["[[Chris Olah]]", "Ludwig Schubert"]}


def test_authors_sync_both_ways_as_a_list(tmp_path: Path, notebook: Notebook) -> None:
    folder = vault(tmp_path, {"n.md": ZOTERO_NOTE})
    sync_folder(notebook, folder)
    (entry,) = notebook.iter_entries()
    assert entry.authors == "Ashish Vaswani and Noam Shazeer"
    # Edited in Obsidian: a third author on a line of its own.
    edited = ZOTERO_NOTE.replace("  - Noam Shazeer\n", "  - Noam Shazeer\n  - Niki Parmar\n")
    (folder / "n.md").write_text(edited, encoding="utf-8")
    later = time.time() + 5
    os.utime(folder / "n.md", (later, later))
    report = sync_folder(notebook, folder)
    assert report.updated == ["n.md"], report.lines()
    (entry,) = notebook.iter_entries()
    assert entry.authors == "Ashish Vaswani and Noam Shazeer and Niki Parmar"
    # Edited in the app: the file's list follows.
    notebook.update(entry.id, entry.version, authors="Ashish Vaswani and Niki Parmar")
    report = sync_folder(notebook, folder)
    assert report.written == ["n.md"], report.lines()
    head = yaml.safe_load((folder / "n.md").read_text(encoding="utf-8").split("---")[1])
    assert head["authors"] == ["Ashish Vaswani", "Niki Parmar"]
    assert not sync_folder(notebook, folder).lines()[1:]  # and the next sync has nothing to do


def test_an_edit_in_the_app_writes_only_its_keys_lines_again(
    tmp_path: Path, notebook: Notebook
) -> None:
    commented = "---\n# from Zotero\nauthors:\n    - A. Author\nstatus: 'to-read'\n---\nx\n"
    anchored = "---\nfirst: &first Ashish Vaswani\nauthors:\n- *first\n- Noam Shazeer\n---\nx\n"
    files = {"n.md": ZOTERO_NOTE, "commented.md": commented, "anchored.md": anchored}
    imported(notebook, vault(tmp_path, files))
    entries = {e.file_name: e for e in notebook.iter_entries()}
    note = entries["n.md"]
    notebook.update(note.id, note.version, authors=note.authors + " and Niki Parmar",
                    tags=["paper"])  # fmt: skip
    notebook.update(entries["commented.md"].id, 1, authors=None, url="https://example.org")
    notebook.update(entries["anchored.md"].id, 1, authors="Ashish Vaswani")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = {name: (tmp_path / "out" / name).read_text(encoding="utf-8") for name in files}
    # The list as the file indented it, its tags still in brackets, the title still quoted.
    assert written["n.md"] == ZOTERO_NOTE.replace(
        "  - Noam Shazeer\n", "  - Noam Shazeer\n  - Niki Parmar\n"
    ).replace("tags: [paper, transformers]", "tags: [paper]")
    # A key emptied in the app is taken out; comments and quoting stay; a new key goes last.
    assert written["commented.md"] == (
        "---\n# from Zotero\nstatus: 'to-read'\nurl: https://example.org\n---\nx\n"
    )
    # A list that uses an anchor cannot be written alone: the block is written again whole.
    head = yaml.safe_load(written["anchored.md"].split("---")[1])
    assert head == {"first": "Ashish Vaswani", "authors": ["Ashish Vaswani"]}
