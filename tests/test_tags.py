"""Tags: case-insensitive, nested with '/', counted, renamed and merged."""

from __future__ import annotations

import pytest

from notebook_app.core.errors import NotebookError
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.search.sql import Scope
from notebook_app.core.storage.notebook import Notebook


def add(notebook: Notebook, title: str, *tags: str) -> Entry:
    return notebook.add(Entry(kind=Kind.NOTE, title=title, tags=list(tags)))


def titles(notebook: Notebook, query: str = "", **scope: object) -> set[str]:
    return {hit.title for hit in notebook.search(query, scope=Scope(**scope))}  # type: ignore[arg-type]


def test_nested_filter_includes_children_not_lookalikes(notebook: Notebook) -> None:
    add(notebook, "parent", "ml")
    add(notebook, "child", "ml/interpretability")
    add(notebook, "grandchild", "ml/interpretability/sae")
    add(notebook, "lookalike", "mlops")
    assert titles(notebook, "tag:ml") == {"parent", "child", "grandchild"}
    assert titles(notebook, "tag:ml/interpretability") == {"child", "grandchild"}
    assert titles(notebook, tags=("ML",)) == {"parent", "child", "grandchild"}
    assert titles(notebook, "-tag:ml") == {"lookalike"}


def test_tags_are_case_insensitive_and_keep_first_spelling(notebook: Notebook) -> None:
    first = add(notebook, "a", "MechInterp")
    second = add(notebook, "b", "mechinterp")
    assert notebook.get(second.id).tags == ["MechInterp"]
    assert notebook.get(first.id).tags == ["MechInterp"]
    assert [(t.name, t.count) for t in notebook.tag_counts()] == [("MechInterp", 2)]


def test_several_tags_filter_together(notebook: Notebook) -> None:
    add(notebook, "both", "safety", "ml")
    add(notebook, "one", "safety")
    assert titles(notebook, "tag:safety tag:ml") == {"both"}
    assert titles(notebook, tags=("safety", "ml")) == {"both"}


def test_counts_include_nested_and_skip_trash(notebook: Notebook) -> None:
    add(notebook, "a", "ml")
    add(notebook, "b", "ml/rl")
    both = add(notebook, "c", "ml", "ml/rl")
    trashed = add(notebook, "d", "ml/evals")
    notebook.trash(trashed.id)
    counts = {t.name: (t.count, t.total) for t in notebook.tag_counts()}
    assert counts == {"ml": (2, 3), "ml/rl": (2, 2)}
    assert both.tags == ["ml", "ml/rl"]


def test_implicit_parents_are_listed(notebook: Notebook) -> None:
    add(notebook, "a", "safety/governance")
    counts = {t.name: (t.count, t.total) for t in notebook.tag_counts()}
    assert counts == {"safety": (0, 1), "safety/governance": (1, 1)}


def test_rename_moves_nested_tags_too(notebook: Notebook) -> None:
    entry = add(notebook, "a", "ml/interp")
    add(notebook, "b", "ml")
    assert notebook.rename_tag("ml", "machine-learning").entries == 2
    assert notebook.get(entry.id).tags == ["machine-learning/interp"]
    assert {t.name for t in notebook.tag_counts()} == {
        "machine-learning",
        "machine-learning/interp",
    }
    assert titles(notebook, "tag:ml") == set()
    assert titles(notebook, "tag:machine-learning") == {"a", "b"}


def test_rename_into_an_existing_tag_merges(notebook: Notebook) -> None:
    a = add(notebook, "a", "interp", "x")
    b = add(notebook, "b", "interpretability")
    c = add(notebook, "c", "interp", "interpretability")
    notebook.merge_tags(["interp"], "interpretability")
    assert notebook.get(a.id).tags == ["interpretability", "x"]
    assert notebook.get(b.id).tags == ["interpretability"]
    assert notebook.get(c.id).tags == ["interpretability"]
    assert [(t.name, t.count) for t in notebook.tag_counts()] == [
        ("interpretability", 3),
        ("x", 1),
    ]


def test_rename_invalidates_open_editors(notebook: Notebook) -> None:
    entry = add(notebook, "a", "old")
    notebook.rename_tag("old", "new")
    assert notebook.get(entry.id).version == entry.version + 1


def test_unused_tags_disappear(notebook: Notebook) -> None:
    entry = add(notebook, "a", "temporary", "kept")
    notebook.update(entry.id, entry.version, tags=["kept"])
    assert [t.name for t in notebook.tag_counts()] == ["kept"]
    rows = notebook.conn.execute("SELECT name FROM tags").fetchall()
    assert rows == [("kept",)]


def test_renaming_a_missing_tag_fails_and_changes_nothing(notebook: Notebook) -> None:
    entry = add(notebook, "a", "ml")
    with pytest.raises(NotebookError, match="no tag 'mll'"):
        notebook.rename_tag("mll", "x")
    assert notebook.get(entry.id).version == entry.version
    assert [t.name for t in notebook.tag_counts()] == ["ml"]


def test_rename_reports_the_names_as_stored(notebook: Notebook) -> None:
    add(notebook, "a", "ml/rl")
    add(notebook, "b", "Safety")
    result = notebook.rename_tag("ML", "a b")
    assert (result.old, result.new, result.entries, result.merged) == ("ml", "a-b", 1, False)
    assert {t.name for t in notebook.tag_counts()} == {"a-b", "a-b/rl", "Safety"}
    merged = notebook.rename_tag("a-b/rl", "safety")
    assert (merged.old, merged.new, merged.merged) == ("a-b/rl", "Safety", True)


def test_a_tag_cannot_move_under_itself(notebook: Notebook) -> None:
    entry = add(notebook, "a", "ml", "ml/rl")
    with pytest.raises(NotebookError, match="under itself"):
        notebook.rename_tag("ml", "ml/old")
    assert notebook.get(entry.id).tags == ["ml", "ml/rl"]
