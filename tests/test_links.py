"""Wiki links: the parser, the link table kept on every write, resolution, backlinks, mentions,
the link commands (renames: test_rename_links.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_app.cli import main
from notebook_app.core.errors import NotebookError, StaleEntryError
from notebook_app.core.links.text import sentence_around
from notebook_app.core.links.wikilinks import link_text, links_in, parse_inner
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.links import LinkStore, link_rows
from notebook_app.core.storage.notebook import Notebook


def note(title: str, body: str = "", **fields: object) -> Entry:
    return Entry(kind=Kind.NOTE, title=title, body=body, **fields)  # type: ignore[arg-type]


def term(title: str, body: str = "", aliases: list[str] | None = None) -> Entry:
    return Entry(kind=Kind.TERM, title=title, body=body, aliases=aliases or [])


def table(notebook: Notebook) -> list[tuple[object, ...]]:
    return notebook.conn.execute(
        "SELECT s.title, l.target_text, t.title, l.candidates FROM links AS l "
        "JOIN entries AS s ON s.seq = l.source LEFT JOIN entries AS t ON t.seq = l.target "
        "ORDER BY s.seq, l.position"
    ).fetchall()


# --- parsing ------------------------------------------------------------------------------------


def test_links_with_text_headings_aliases_and_embeds() -> None:
    body = "See [[Superposition]], [[Sparse Coding#Intro|the intro]] and ![[Figure 1]]."
    links = links_in(body)
    assert [(link.target, link.heading, link.shown, link.embed) for link in links] == [
        ("Superposition", None, None, False),
        ("Sparse Coding", "Intro", "the intro", False),
        ("Figure 1", None, None, True),
    ]
    assert [body[link.start : link.end] for link in links] == [
        "[[Superposition]]", "[[Sparse Coding#Intro|the intro]]", "![[Figure 1]]",
    ]  # fmt: skip


def test_code_is_not_read_for_links() -> None:
    body = (
        "`[[span]]` and [[real]]\n\n```\n[[fenced]]\n```\n\n    [[indented]]\n\n"
        "~~~~\n[[tilde]]\n~~~~\n- item\n\n    [[item text]]\n"
    )
    assert [link.target for link in links_in(body)] == ["real", "item text"]


def test_unclosed_empty_and_broken_links_are_text() -> None:
    links = links_in("[[unclosed and [[closed]]")
    assert [(link.target, link.start) for link in links] == [("closed", 15)]
    assert links_in("[[]] [[|x]] [[a]b]] [[two\nlines]] [[no end") == []
    assert [link.heading for link in links_in("[[#Only a heading]]")] == ["Only a heading"]
    assert links_in("[[" + "x" * 5000 + "]]") == []  # over the length cap: text


def test_escaped_separators_in_titles() -> None:
    body = r"[[C\#]] [[A\|B|shown]] [[x\]y]] [[back\\slash]] [[plain\d]]"
    assert [(link.target, link.shown) for link in links_in(body)] == [
        ("C#", None), ("A|B", "shown"), ("x]y", None), ("back\\slash", None), ("plain\\d", None),
    ]  # fmt: skip
    assert parse_inner("Title#Head#ing|a|b") == ("Title", "Head#ing", "a|b")
    assert link_text("C#") == r"[[C\#]]"


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1))
def test_link_text_reads_back_as_the_title(title: str) -> None:
    title = " ".join(title.split())
    if not title:
        return
    links = links_in(link_text(title, heading="H#1", shown="see ]this["))
    assert [(link.target, link.heading, link.shown) for link in links] == [
        (title, "H#1", "see ]this[")
    ]


def test_sentence_around_a_place() -> None:
    text = "First one. We read [[Superposition]] today! Last.\n- a list item with [[X]]"
    start = text.index("[[Sup")
    sentence, begin, end = sentence_around(text, start, start + 17)
    assert sentence == "We read [[Superposition]] today!"
    assert sentence[begin:end] == "[[Superposition]]"
    start = text.index("[[X]]")
    assert sentence_around(text, start, start + 5)[0] == "a list item with [[X]]"
    long = "word " * 200 + "[[Target]]" + " word" * 200
    sentence, begin, end = sentence_around(long, 1000, 1010)
    assert len(sentence) < 300 and sentence.startswith("…") and sentence.endswith("…")
    assert sentence[begin:end] == "[[Target]]"


# --- the table and resolution ------------------------------------------------------------------


@pytest.fixture
def linked(notebook: Notebook) -> dict[str, Entry]:
    entries = {
        "sup": term("Superposition", "More features than dimensions.", ["polysemantic features"]),
        "sae": term("Sparse Autoencoder", "A dictionary learner.", ["SAE"]),
        "one": note("Note one", "We read [[superposition]] today. An [[SAE|autoencoder]] too."),
        "two": note("Note two", "See [[Polysemantic Features#Why]] and ![[Missing page]]."),
    }
    notebook.add_many(entries.values())
    return entries


def test_links_resolve_by_title_or_alias_case_insensitively(
    notebook: Notebook, linked: dict[str, Entry]
) -> None:
    assert table(notebook) == [
        ("Note one", "superposition", "Superposition", 1),
        ("Note one", "SAE", "Sparse Autoencoder", 1),
        ("Note two", "Polysemantic Features", "Superposition", 1),
        ("Note two", "Missing page", None, 0),
    ]
    resolved = notebook.resolve_names(["SUPERPOSITION", "missing page"])
    assert resolved["superposition"].entry_id == linked["sup"].id
    assert resolved["missing page"].entry_id is None


def test_a_new_entry_takes_the_links_waiting_for_it(
    notebook: Notebook, linked: dict[str, Entry]
) -> None:
    page = notebook.add(note("Missing Page"))
    assert table(notebook)[3] == ("Note two", "Missing page", "Missing Page", 1)
    # Renaming it away lets them go again; naming it back takes them again.
    notebook.update(page.id, 1, title="Elsewhere")
    assert table(notebook)[3] == ("Note two", "Missing page", None, 0)
    notebook.update(page.id, 2, aliases=[], title="missing   PAGE")
    assert table(notebook)[3][2] == "missing   PAGE"


def test_duplicate_titles_resolve_to_the_oldest_and_are_marked_ambiguous(
    notebook: Notebook, linked: dict[str, Entry]
) -> None:
    newer = notebook.add(term("superposition", "Another entry with the same title."))
    rows = table(notebook)
    assert rows[0] == ("Note one", "superposition", "Superposition", 2)
    assert [b.ambiguous for b in notebook.backlinks(linked["sup"].id)] == [False, True]
    assert notebook.backlinks(newer.id) == []
    # A title beats an alias, whatever their age.
    notebook.add(note("SAE"))
    assert table(notebook)[1] == ("Note one", "SAE", "SAE", 2)


def test_trash_moves_links_to_the_other_bearer_and_restore_brings_them_back(
    notebook: Notebook, linked: dict[str, Entry]
) -> None:
    newer = notebook.add(term("Superposition", "A second one."))
    notebook.trash(linked["sup"].id)
    assert table(notebook)[0][2:] == ("Superposition", 1)
    assert [b.source.title for b in notebook.backlinks(newer.id)] == ["Note one"]
    notebook.restore(linked["sup"].id)
    assert [b.source.title for b in notebook.backlinks(linked["sup"].id)] == [
        "Note two", "Note one",
    ]  # fmt: skip
    # A trashed source's links are kept but not listed.
    notebook.trash(linked["one"].id)
    assert [b.source.title for b in notebook.backlinks(linked["sup"].id)] == ["Note two"]


def test_editing_a_body_rereads_its_links(notebook: Notebook, linked: dict[str, Entry]) -> None:
    one = notebook.get(linked["one"].id)
    notebook.update(one.id, one.version, body="Now only [[Sparse Autoencoder]].")
    assert [row[1] for row in table(notebook) if row[0] == "Note one"] == ["Sparse Autoencoder"]
    assert notebook.backlinks(linked["sup"].id)[0].source.title == "Note two"


def test_purged_entries_leave_no_rows(notebook: Notebook, linked: dict[str, Entry]) -> None:
    for key in ("one", "sup"):
        notebook.trash(linked[key].id)
        notebook.purge(linked[key].id)
    dangling = notebook.conn.execute(
        "SELECT count(*) FROM links WHERE source NOT IN (SELECT seq FROM entries) "
        "OR target NOT IN (SELECT seq FROM entries)"
    ).fetchone()[0]
    names = notebook.conn.execute(
        "SELECT count(*) FROM entry_names WHERE entry NOT IN (SELECT seq FROM entries)"
    ).fetchone()[0]
    assert (dangling, names) == (0, 0)
    assert table(notebook) == [
        ("Note two", "Polysemantic Features", None, 0), ("Note two", "Missing page", None, 0),
    ]  # fmt: skip


def test_the_table_is_what_a_rebuild_gives(notebook: Notebook, linked: dict[str, Entry]) -> None:
    """Save-by-save maintenance and the migration's back-fill agree."""
    notebook.add(term("superposition"))
    notebook.trash(linked["sae"].id)
    one = notebook.get(linked["one"].id)
    notebook.update(one.id, one.version, body=one.body + " [[Note two]]")
    before = table(notebook)
    with notebook.transaction():
        LinkStore(notebook.conn).rebuild()
    assert table(notebook) == before


# --- backlinks, mentions, renames -------------------------------------------------------------


def test_backlinks_carry_the_sentence(notebook: Notebook, linked: dict[str, Entry]) -> None:
    found = notebook.backlinks(linked["sae"].id)
    assert [(b.source.title, b.passage.sentence, b.shown) for b in found] == [
        ("Note one", "An [[SAE|autoencoder]] too.", "autoencoder")
    ]
    begin, end = found[0].passage.highlight
    assert found[0].passage.sentence[begin:end] == "[[SAE|autoencoder]]"


def test_unlinked_mentions_and_turning_one_into_a_link(notebook: Notebook) -> None:
    sup = notebook.add(term("Superposition", aliases=["polysemantic features"]))
    sae = notebook.add(term("SAE"))
    text = (
        "Superposition explains it. Linked: [[Superposition]]. `superposition` in code.\n"
        "Also polysemantic\nfeatures here, superpositions (a plural) and a sae in lower case."
    )
    source = notebook.add(note("Reading", text))
    mentions = notebook.unlinked_mentions(sup.id)
    assert [(m.text, m.name, m.passage.offset) for m in mentions] == [
        ("Superposition", "Superposition", 0),
        ("polysemantic\nfeatures", "polysemantic features", text.index("polysemantic")),
    ]
    assert mentions[1].passage.sentence == (
        "Also polysemantic features here, superpositions (a plural) and a sae in lower case."
    )
    assert notebook.unlinked_mentions(sae.id) == []  # an acronym keeps its case
    with pytest.raises(StaleEntryError):
        notebook.link_mention(source.id, 0, sup.id, base_version=source.version - 1)
    with pytest.raises(NotebookError):
        notebook.link_mention(source.id, 1, sup.id, base_version=source.version)
    updated = notebook.link_mention(
        source.id, mentions[1].passage.offset, sup.id, base_version=source.version
    )
    assert "Also [[Superposition|polysemantic features]] here" in updated.body
    updated = notebook.link_mention(source.id, 0, sup.id, base_version=updated.version)
    assert updated.body.startswith("[[Superposition]] explains it.")
    assert notebook.unlinked_mentions(sup.id) == []
    assert len(notebook.backlinks(sup.id)) == 3


# --- the commands -------------------------------------------------------------------------------


def test_backlinks_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Notebook.open(db_path) as notebook:
        target = notebook.add(term("Superposition"))
        notebook.add(note("Linker", "We read about [[Superposition]] today."))
        notebook.add(note("Mentioner", "Superposition is everywhere."))
    assert main(["--db", str(db_path), "backlinks", target.id[:8], "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["linked"], r["sentence"]) for r in rows] == [
        ("Linker", True, "We read about [[Superposition]] today."),
        ("Mentioner", False, "Superposition is everywhere."),
    ]
    assert {"id", "kind", "title", "tags", "created", "updated"} <= set(rows[0])
    assert main(["--db", str(db_path), "backlinks", target.id]) == 0
    assert "«[[Superposition]]»" in capsys.readouterr().out
    assert main(["--db", str(db_path), "backlinks", "zzzzzzzz"]) == 1
    assert "no entry" in capsys.readouterr().err


@given(
    st.lists(
        st.sampled_from(["[[", "]]", "!", "\\", "|", "#", "a", " ", "B c", "\n", "[", "]"]),
        max_size=30,
    )
)
def test_the_bulk_reader_agrees_with_links_in(pieces: list[str]) -> None:
    text = "".join(pieces)
    rows = link_rows(1, text)
    assert rows == [
        (1, link.start, link.end - link.start, link.embed, link.target, link.key, link.heading,
         link.shown)
        for link in links_in(text)
        if link.target
    ]  # fmt: skip


def test_export_keeps_links_as_text_and_import_fills_the_table(
    notebook: Notebook, linked: dict[str, Entry], tmp_path: Path
) -> None:
    from notebook_app.core.formats.exporting import export_vault, select_entries
    from notebook_app.core.formats.importing import apply_import, plan_import

    export_vault(select_entries(notebook), tmp_path / "vault")
    written = (tmp_path / "vault" / "notes" / "Note two.md").read_text(encoding="utf-8")
    assert "See [[Polysemantic Features#Why]] and ![[Missing page]]." in written
    with Notebook.open(tmp_path / "again.db") as again:
        apply_import(again, plan_import(again, tmp_path / "vault"))
        assert table(again) == table(notebook)


_NAMES = ["Alpha", "alpha ", "Beta", "Gamma"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES),  # title
            st.lists(st.sampled_from(_NAMES), max_size=2),  # aliases
            st.integers(0, 2),  # created: three days, so that ties happen
            st.lists(st.sampled_from(_NAMES), max_size=3),  # what the body links to
            st.booleans(),  # trashed
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 8),
)
def test_a_batch_resolves_its_links_as_a_rebuild_does(
    specs: list[tuple[str, list[str], int, list[str], bool]], split: int
) -> None:
    """add_many resolves a batch's links in Python (storage/links.py); whatever the titles,
    aliases, creation times, trash and earlier batches, the table is the one the SQL of a
    rebuild makes."""
    import datetime as dt
    import tempfile

    entries = [
        note(
            title,
            " ".join(f"[[{name}]]" for name in linked),
            aliases=aliases,
            created=dt.datetime(2026, 1, 1 + day, tzinfo=dt.UTC),
            trashed=dt.datetime(2026, 2, 1, tzinfo=dt.UTC) if trashed else None,
        )
        for title, aliases, day, linked, trashed in specs
    ]
    with tempfile.TemporaryDirectory() as folder, Notebook.open(Path(folder) / "n.db") as notebook:
        for batch in (entries[:split], entries[split:]):
            if batch:
                notebook.add_many(batch)
        stored = notebook.conn.execute("SELECT * FROM links ORDER BY source, position").fetchall()
        with notebook.transaction():
            LinkStore(notebook.conn).rebuild()
        rebuilt = notebook.conn.execute("SELECT * FROM links ORDER BY source, position").fetchall()
    assert stored == rebuilt


def test_a_large_batch_reads_its_links_beside_the_insert_and_lands_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From BATCH_READ_BESIDE entries on, add_many reads the names and links on a second
    thread: the table is the one a rebuild makes, and an error there stores nothing."""
    import gc
    import threading

    from notebook_app.core.storage import notebook as notebook_module

    count = notebook_module.BATCH_READ_BESIDE
    entries = [
        note(f"Note {n}", f"See [[Note {(n * 7) % count}]] and [[note {n + 1}|next]].")
        for n in range(count)
    ]
    threads: list[str] = []
    read_batch = notebook_module.read_batch

    def watched(added):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return read_batch(added)

    monkeypatch.setattr(notebook_module, "read_batch", watched)
    with Notebook.open(tmp_path / "n.db") as notebook:
        notebook.add_many(entries)
        assert threads and threads[0] != threading.main_thread().name
        stored = notebook.conn.execute("SELECT * FROM links ORDER BY source, position").fetchall()
        assert len(stored) == 2 * count
        unresolved = notebook.conn.execute("SELECT count(*) FROM links WHERE target IS NULL")
        assert unresolved.fetchone()[0] == 1  # the last note's [[note {count}]]: no such entry
        with notebook.transaction():
            LinkStore(notebook.conn).rebuild()
        assert (
            notebook.conn.execute("SELECT * FROM links ORDER BY source, position").fetchall()
            == stored
        )

    def broken(added):  # type: ignore[no-untyped-def]
        raise RuntimeError("reading failed")

    monkeypatch.setattr(notebook_module, "read_batch", broken)
    with Notebook.open(tmp_path / "other.db") as notebook:
        with pytest.raises(RuntimeError, match="reading failed"):
            notebook.add_many(note(entry.title, entry.body) for entry in entries)
        assert notebook.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    assert gc.isenabled()  # the collector, paused for the batch, is on again
