"""export --anki: the .apkg is the zip of an Anki collection (SQLite) holding our notes."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.learning.anki import (
    DECK_ID,
    MODEL_ID,
    anki_tag,
    definition_html,
    export_anki,
    note_guid,
)
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook


def collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        archive.extract("collection.anki2", tmp_path / apkg.stem)
    return sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        notebook.add_many([
            Entry(kind=Kind.TERM, title="Superposition", body="More *features* than $d$.",
                  tags=["ml/interpretability", "reading group"], aliases=["polysemanticity"]),
            Entry(kind=Kind.TERM, title="Softmax", body="$$\\sigma(z)_i = e^{z_i}$$ and `a $b$`",
                  tags=["math"]),
            Entry(kind=Kind.TERM, title="Grokking", body=""),
            Entry(kind=Kind.NOTE, title="Not a term", body="x"),
        ])  # fmt: skip
    return db


def test_notes_cards_guids_and_tags(glossary: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    assert main(["--db", str(glossary), "export", "--anki", str(first)]) == 0
    assert main(["--db", str(glossary), "export", "--anki", str(second)]) == 0
    with Notebook.open(glossary) as notebook:
        ids = {s.title: s.id for s in notebook.search("", limit=10)}
    conn = collection(first, tmp_path)
    notes = {row[2].split("\x1f")[0]: row for row in
             conn.execute("SELECT id, guid, flds, tags, mid FROM notes")}  # fmt: skip
    assert set(notes) == {"Superposition", "Softmax", "Grokking"}
    assert {row[4] for row in notes.values()} == {MODEL_ID}
    for title, row in notes.items():
        assert row[1] == note_guid(ids[title])
        assert row[2].split("\x1f")[3] == ids[title]
    assert notes["Superposition"][3].split() == ["ml::interpretability", "reading-group"]
    # Two cards a term; the term without a definition has no definition → term card.
    cards = dict(conn.execute("SELECT nid, count(*) FROM cards GROUP BY nid").fetchall())
    assert cards[notes["Superposition"][0]] == 2 and cards[notes["Softmax"][0]] == 2
    assert cards[notes["Grokking"][0]] == 1
    assert {row[0] for row in conn.execute("SELECT did FROM cards")} == {DECK_ID}
    superposition = notes["Superposition"][2].split("\x1f")
    assert superposition[1] == "polysemanticity"
    assert "<em>features</em>" in superposition[2] and "\\(d\\)" in superposition[2]
    softmax = notes["Softmax"][2].split("\x1f")[2]
    assert "\\[\\sigma(z)_i = e^{z_i}\\]" in softmax and "<code>a $b$</code>" in softmax
    # The same notes again: Anki updates them instead of adding copies.
    again = collection(second, tmp_path)
    assert sorted(row[0] for row in again.execute("SELECT guid FROM notes")) == sorted(
        row[1] for row in notes.values()
    )


def test_tag_filter(glossary: Path, tmp_path: Path) -> None:
    apkg = tmp_path / "ml.apkg"
    assert main(["--db", str(glossary), "export", "--anki", str(apkg), "--tag", "ml"]) == 0
    titles = [row[0].split("\x1f")[0] for row in collection(apkg, tmp_path).execute(
        "SELECT flds FROM notes")]  # fmt: skip
    assert titles == ["Superposition"]


def test_an_unwritable_path_is_one_line_and_exit_1(
    glossary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    for target in (tmp_path / "missing" / "g.apkg", tmp_path):
        assert main(["--db", str(glossary), "export", "--anki", str(target)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot write the deck" in err
    if os.geteuid() != 0:  # root writes anywhere
        locked.chmod(0o500)
        assert main(["--db", str(glossary), "export", "--anki", str(locked / "g.apkg")]) == 1
    assert list(locked.iterdir()) == []


def test_html_and_tags_helpers() -> None:
    assert anki_tag("a/b c") == "a::b_c"
    rendered = definition_html(lambda text: f"<p>{text}</p>", "x $a<b$ and $5 or $6")
    assert rendered == "<p>x \\(a&lt;b\\) and $5 or $6</p>"


def test_export_anki_counts_terms(glossary: Path, tmp_path: Path) -> None:
    with Notebook.open(glossary) as notebook:
        assert export_anki(notebook, tmp_path / "g.apkg") == (3, 5)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_definitions_images_go_into_the_decks_media(tmp_path: Path) -> None:
    from notebook_app.core.attachments.store import store_new_file

    png = b"\x89PNG\r\n\x1a\n" + b"figure bytes"
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        (term,) = notebook.add_many([
            Entry(kind=Kind.TERM, title="SAE", body="![a figure](my%20fig.png)\n\n![[my fig.png]]"
                  "\n\n![[gone.png]]\n\n`![[my fig.png]]`")
        ])  # fmt: skip
        store_new_file(notebook, "my fig.png", png, term.id)
        first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
        export_anki(notebook, first)
        export_anki(notebook, second)
    with zipfile.ZipFile(first) as archive:
        media = json.loads(archive.read("media"))
        assert len(media) == 1  # one file, however many times it is shown
        ((index, name),) = media.items()
        assert archive.read(index) == png
    (fields,) = collection(first, tmp_path).execute("SELECT flds FROM notes").fetchone()
    definition = fields.split("\x1f")[2]
    assert definition.count(f'src="{name}"') == 2 and "attachment:my" not in definition
    assert "<code>![[my fig.png]]</code>" in definition
    with zipfile.ZipFile(second) as archive:  # a later export names it the same
        assert json.loads(archive.read("media")) == media


def test_links_to_other_entries_stay_as_their_text(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with Notebook.open(db) as notebook:
        notebook.add(Entry(kind=Kind.TERM, title="SAE", body="See [[Superposition|this]] and "
                           "[the paper](https://arxiv.org/abs/2309.08600)."))  # fmt: skip
        export_anki(notebook, tmp_path / "d.apkg")
    (fields,) = (
        collection(tmp_path / "d.apkg", tmp_path).execute("SELECT flds FROM notes").fetchone()
    )
    definition = fields.split("\x1f")[2]
    assert "wiki:" not in definition and '<span class="wikilink">this</span>' in definition
    assert '<a href="https://arxiv.org/abs/2309.08600">the paper</a>' in definition
