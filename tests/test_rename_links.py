"""Renaming an entry's links (``Notebook.link_rename`` and ``rename_links``, in
core/storage/linking.py; the text edits, core/links/wikilinks.py): which links were the
entry's, what they become, one history revision per changed entry. The window's offer:
test_rename_offer.py."""

from __future__ import annotations

import pytest

from notebook_app.core.errors import NotebookError
from notebook_app.core.links.wikilinks import apply_edits, retargeted
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook


def note(title: str, body: str = "") -> Entry:
    return Entry(kind=Kind.NOTE, title=title, body=body)


def term(title: str, body: str = "", aliases: list[str] | None = None) -> Entry:
    return Entry(kind=Kind.TERM, title=title, body=body, aliases=aliases or [])


def renamed(notebook: Notebook, entry: Entry, title: str, **changes: object) -> Entry:
    return notebook.update(entry.id, notebook.get(entry.id).version, title=title, **changes)


def test_rename_updates_links_with_one_revision_per_entry(notebook: Notebook) -> None:
    target = notebook.add(note("Old name"))
    one = notebook.add(note("One", "[[Old name]] and [[old NAME#Part|shown]] and ![[Old name]]"))
    two = notebook.add(note("Two", "Just [[Old name]]"))
    # Edited a moment ago: a save in the same burst would not be kept in history; a rename is.
    two = notebook.update(two.id, two.version, body="Just [[Old name]].")
    three = notebook.add(note("Three", "Links to [[Other]] only."))
    renamed(notebook, target, "New: name#1")
    plan = notebook.link_rename(target.id, ["Old name"], "New: name#1")
    assert (plan.links, plan.entries, plan.old_titles) == (4, 2, ("Old name",))
    assert dict(plan.sources) == {one.id: 3, two.id: 1}
    changed = notebook.rename_links(target.id, "Old name", "New: name#1")
    assert sorted(changed) == sorted([one.id, two.id])
    assert notebook.get(one.id).body == (
        r"[[New: name\#1]] and [[New: name\#1#Part|shown]] and ![[New: name\#1]]"
    )
    assert [r.entry.body for r in notebook.history(two.id)] == [
        "Just [[Old name]].",
        "Just [[Old name]]",
    ]
    assert [r.entry.body for r in notebook.history(one.id)] == [
        "[[Old name]] and [[old NAME#Part|shown]] and ![[Old name]]"
    ]
    assert notebook.history(three.id) == []
    assert [b.source.title for b in notebook.backlinks(target.id)] == ["Two", "One", "One", "One"]
    assert notebook.link_rename(target.id, ["Old name"], "New: name#1").links == 0


def test_aliases_code_and_case(notebook: Notebook) -> None:
    target = notebook.add(term("Old", aliases=["Nick"]))
    body = (
        "[[Nick]], [[old]], [[OLD|shown]] and `[[Old]]` in code.\n\n"
        "```\n[[Old]] fenced\n```\n\n    [[Old]] indented code\n"
    )
    source = notebook.add(note("Source", body))
    renamed(notebook, target, "New")
    assert notebook.link_rename(target.id, ["Old"], "New").links == 2
    assert notebook.rename_links(target.id, "Old", "New") == [source.id]
    assert notebook.get(source.id).body == body.replace(
        "[[old]], [[OLD|shown]]", "[[New]], [[New|shown]]"
    )


def test_an_old_title_kept_as_an_alias_needs_no_rename(notebook: Notebook) -> None:
    target = notebook.add(term("Old"))
    source = notebook.add(note("Source", "[[Old]]"))
    renamed(notebook, target, "New", aliases=["Old"])
    assert notebook.link_rename(target.id, ["Old"], "New").links == 0
    assert notebook.rename_links(target.id, "Old", "New") == []
    assert notebook.get(source.id).body == "[[Old]]"


def test_duplicate_titles_only_the_links_that_were_the_entrys(notebook: Notebook) -> None:
    # An older namesake had the links: renaming the younger one leaves them.
    older = notebook.add(note("Shared"))
    younger = notebook.add(note("Shared"))
    source = notebook.add(note("Source", "[[Shared]]"))
    renamed(notebook, younger, "Younger")
    assert notebook.link_rename(younger.id, ["Shared"], "Younger").links == 0
    assert notebook.rename_links(younger.id, "Shared", "Younger") == []
    assert notebook.backlinks(older.id)[0].source.id == source.id
    # The older one had them (the younger namesake answers now): they follow the rename.
    twin = notebook.add(note("Twin"))
    notebook.add(note("Twin"))
    linker = notebook.add(note("Linker", "[[Twin]] and [[Shared]]"))
    renamed(notebook, twin, "First twin")
    assert notebook.rename_links(twin.id, "Twin", "First twin") == [linker.id]
    assert notebook.get(linker.id).body == "[[First twin]] and [[Shared]]"


def test_links_an_alias_of_another_entry_now_answers_follow(notebook: Notebook) -> None:
    # A title comes before an alias, so [[Old]] led to the entry titled Old, not the term.
    target = notebook.add(note("Old"))
    notebook.add(term("Term", aliases=["Old"]))
    source = notebook.add(note("Source", "[[Old]]"))
    renamed(notebook, target, "New")
    assert notebook.rename_links(target.id, "Old", "New") == [source.id]
    assert notebook.get(source.id).body == "[[New]]"


def test_a_stale_rename_changes_nothing(notebook: Notebook) -> None:
    target = notebook.add(note("A"))
    source = notebook.add(note("Source", "[[A]] [[B]]"))
    renamed(notebook, target, "B")
    renamed(notebook, target, "C")
    with pytest.raises(NotebookError, match="called 'C' now"):
        notebook.rename_links(target.id, "A", "B")  # B is no longer its title
    with pytest.raises(NotebookError):
        notebook.rename_links(target.id, "A", "  ")
    # Renamed back: the links lead to it again, nothing to do.
    renamed(notebook, target, "a")
    assert notebook.rename_links(target.id, ["B", "C"], "a") != []  # [[B]] was its too
    assert notebook.get(source.id).body == "[[A]] [[a]]"
    assert notebook.rename_links(target.id, "A", "a") == []


def test_exclude_and_trash(notebook: Notebook) -> None:
    target = notebook.add(note("Old"))
    open_one = notebook.add(note("Open", "[[Old]]"))
    trashed = notebook.add(note("Trashed", "[[Old]]"))
    plain = notebook.add(note("Plain", "[[Old]]"))
    notebook.trash(trashed.id)
    renamed(notebook, target, "New")
    assert dict(notebook.link_rename(target.id, ["Old"], "New").sources) == {
        open_one.id: 1,
        plain.id: 1,
    }
    assert notebook.rename_links(target.id, "Old", "New", exclude={open_one.id}) == [plain.id]
    assert notebook.get(open_one.id).body == notebook.get(trashed.id).body == "[[Old]]"


def test_an_older_entry_with_the_new_title_takes_an_alias_or_refuses(notebook: Notebook) -> None:
    notebook.add(note("New"))
    target = notebook.add(term("Old"))
    source = notebook.add(note("Source", "[[Old]]"))
    renamed(notebook, target, "New")
    plan = notebook.link_rename(target.id, ["Old"], "New")
    assert (plan.links, plan.name) == (1, None)
    with pytest.raises(NotebookError, match="older entry is also called"):
        notebook.rename_links(target.id, "Old", "New")
    assert notebook.get(source.id).body == "[[Old]]"
    notebook.update(target.id, notebook.get(target.id).version, aliases=["New term"])
    assert notebook.rename_links(target.id, "Old", "New") == [source.id]
    assert notebook.get(source.id).body == "[[New term]]"


def test_retargeted_text_edits() -> None:
    text = "[[A]] `[[A]]` [[a#H|x]] ![[A]] [[B]] 💡 [[ a ]]"
    edits = retargeted(text, {"a"}, "C|D")
    assert apply_edits(text, edits) == (
        r"[[C\|D]] `[[A]]` [[C\|D#H|x]] ![[C\|D]] [[B]] 💡 [[C\|D]]"
    )
    assert retargeted(text, set(), "C") == []
