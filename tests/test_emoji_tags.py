"""Emoji tags (#🌲, #0🌲, #🤖-safety) are tags everywhere, by the one rule in
core/markdown/syntax.py: import, capture, search, tag counts, export and sync."""

from __future__ import annotations

from pathlib import Path

from notebook_app.core.formats.capture import parse_capture
from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.storage.notebook import Notebook

VAULT = {
    "forest.md": "---\ntags: [0🌲, ok]\n---\nTrees #🌲 and #🤖-safety, not `#🌳` in code.\n",
    "plain.md": "No tags but #1984.\n",
}


def test_a_vault_with_emoji_tags_imports_without_warnings_and_exports_as_it_was(
    tmp_path: Path, notebook: Notebook
) -> None:
    for name, text in VAULT.items():
        (tmp_path / "v").mkdir(exist_ok=True)
        (tmp_path / "v" / name).write_text(text, encoding="utf-8")
    plan = plan_import(notebook, tmp_path / "v")
    assert "warning" not in plan.summary()
    apply_import(notebook, plan)
    forest = next(e for e in notebook.iter_entries() if e.title == "forest")
    assert forest.tags == ["0🌲", "ok", "🌲", "🤖-safety"]
    hits = notebook.search("tag:🌲")
    assert [hit.title for hit in hits] == ["forest"]
    assert [hit.title for hit in notebook.search("tag:🤖-safety")] == ["forest"]
    counts = {count.name: count.count for count in notebook.tag_counts()}
    assert counts["0🌲"] == counts["🌲"] == 1 and "1984" not in counts
    export_vault(notebook.iter_entries(), tmp_path / "out")
    for name, text in VAULT.items():
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == text


def test_capture_and_renaming_take_emoji_tags(notebook: Notebook) -> None:
    parsed = parse_capture("Walk in the woods #🌲\nsaw a #🦉 and #ml/🌲")
    assert parsed.tags == ["🌲", "🦉", "ml/🌲"]
    from notebook_app.core.model.entry import Entry, Kind

    notebook.add(Entry(kind=Kind.NOTE, title=parsed.title, body=parsed.body, tags=parsed.tags))
    notebook.rename_tag("🦉", "birds/🦉")
    assert notebook.search("tag:birds")[0].title == parsed.title
    counts = {count.name: count.total for count in notebook.tag_counts()}
    assert counts["ml"] == 1 and counts["birds"] == 1
