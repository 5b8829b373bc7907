"""Glossary terms in notes (terms_used, notes_using) and candidate jargon (undefined)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.links.jargon import jargon_candidates
from notebook_app.core.links.text import is_case_sensitive
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook

from conftest import Samples


def term(title: str, aliases: list[str] | None = None, body: str = "") -> Entry:
    return Entry(kind=Kind.TERM, title=title, body=body, aliases=aliases or [])


def note(title: str, body: str) -> Entry:
    return Entry(kind=Kind.NOTE, title=title, body=body)


@pytest.fixture
def glossary(notebook: Notebook) -> dict[str, Entry]:
    terms = {
        "sup": term("Superposition"),
        "sae": term("Sparse autoencoder", ["SAE"]),
        "sparse": term("Sparse"),
        "cpp": term("C++"),
        "lora": term("LoRA"),
    }
    notebook.add_many(terms.values())
    return terms


def uses(notebook: Notebook, body: str) -> list[tuple[str, str, int]]:
    entry = notebook.add(note("Probe", body))
    return [(u.term.title, u.text, u.offset) for u in notebook.terms_used(entry.id)]


def test_case_rule() -> None:
    assert [is_case_sensitive(n) for n in ("SAE", "LoRA", "iPhone", "GPT-4", "Superposition")] == [
        True, True, True, True, False,
    ]  # fmt: skip


def test_terms_used_on_tricky_text(notebook: Notebook, glossary: dict[str, Entry]) -> None:
    body = (
        "`Superposition` in code. SUPERPOSITIONS is a plural; superposition-like counts.\n"
        "A sparse\nautoencoder (an sae, then an SAE) and sparse alone. lora, then LoRA.\n"
        "Written in C++ and https://example.org/Superposition.\n"
        "```\nLoRA\n```\n"
    )
    assert uses(notebook, body) == [
        ("Superposition", "superposition", body.index("superposition-like")),
        ("Sparse autoencoder", "sparse\nautoencoder", body.index("sparse\nauto")),
        ("Sparse", "sparse", body.index("sparse alone")),
        ("LoRA", "LoRA", body.index("LoRA")),
        ("C++", "C++", body.index("C++")),
    ]


def test_a_term_does_not_use_itself_and_trashed_terms_are_gone(
    notebook: Notebook, glossary: dict[str, Entry]
) -> None:
    sup = glossary["sup"]
    notebook.update(sup.id, sup.version, body="Superposition: a Sparse idea.")
    assert [u.term.title for u in notebook.terms_used(sup.id)] == ["Sparse"]
    notebook.trash(glossary["sparse"].id)
    assert notebook.terms_used(sup.id) == []
    # The cached glossary follows a rename and a new term.
    sae = notebook.get(glossary["sae"].id)
    notebook.update(sae.id, sae.version, aliases=["idea"])
    assert [u.text for u in notebook.terms_used(sup.id)] == ["idea"]


def test_notes_using_a_term(notebook: Notebook, glossary: dict[str, Entry]) -> None:
    old = notebook.add(note("Old", "An SAE, trained. And another SAE."))
    notebook.add(note("Lower", "an sae in lower case is no use"))
    new = notebook.add(note("New", "We link [[Sparse autoencoder]] here."))
    found = notebook.notes_using(glossary["sae"].id)
    assert [(m.source.id, m.text) for m in found] == [
        (new.id, "Sparse autoencoder"), (old.id, "SAE"),
    ]  # fmt: skip
    assert found[1].passage.sentence == "An SAE, trained."


def test_terms_used_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Notebook.open(db_path) as notebook:
        notebook.add(term("Superposition", ["polysemanticity"]))
        entry = notebook.add(note("N", "Polysemanticity and superposition."))
    assert main(["--db", str(db_path), "terms-used", entry.id, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["name"], r["offset"]) for r in rows] == [
        ("Superposition", "polysemanticity", 0)
    ]


# --- undefined ---------------------------------------------------------------------------------


def test_jargon_rules() -> None:
    bodies = [
        (1, "We trained Sparse Autoencoders on GPT-2. The Key Ideas were clear. RLHF helps."),
        (2, "Sparse Autoencoders again, with RLHF and SAEs. NOT shouting. In the US."),
        (3, "Sparse Autoencoders are neat, as are SAE features and Mixture of Experts models."),
        (4, "A Mixture of Experts model.\n# A Heading With Many Capital Words\nGPT-2 too."),
        (5, "# Reinforcement Learning\n```\nCode Phrase Here, CODEX\n```\n[[Linked Title]]"),
        (6, "Reading About Title Case Lines Is Skipped\nSee [Linked Title](https://x.org/ABC)."),
        (7, "Beyond this, Linked Title and ABC once more."),
    ]
    found = {phrase: (entries, uses) for phrase, entries, uses, _ in jargon_candidates(
        bodies, known_names=["gpt-2"], min_entries=2
    )}  # fmt: skip
    assert found == {
        "Sparse Autoencoders": (3, 3),
        "SAE": (2, 2),
        "RLHF": (2, 2),
        "Mixture of Experts": (2, 2),
    }


def test_jargon_reads_a_body_without_code_line_by_line() -> None:
    # Such a body reaches the reader as one piece: a heading or a #tag at its start must not
    # hide the rest, and a title-case line or a line's first capital is judged by its own line.
    bodies = [
        (1, "# Reading notes\nWe studied Sparse Autoencoders today"),
        (2, "#interp notes: Sparse Autoencoders again\nCircuit Tracing Methods Are Next Up"),
        (3, "Circuit Tracing Methods Are Next Up\nSee [the page](https://x.org/Linked) for Sparse"),
        (4, "a line without a stop\nTransformer Lens helps, and Transformer Lens is good"),
        (5, "Thanks to Transformer Lens we saw it"),
    ]
    found = {phrase: (entries, uses) for phrase, entries, uses, _ in jargon_candidates(
        bodies, known_names=[], min_entries=2
    )}  # fmt: skip
    assert found == {"Sparse Autoencoders": (2, 2), "Transformer Lens": (2, 3)}


def import_samples(notebook: Notebook, folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        if path.name != "README.md":
            apply_import(notebook, plan_import(notebook, path))


def test_undefined_on_the_samples(notebook: Notebook, samples_dir: Path, samples: Samples) -> None:
    import_samples(notebook, samples_dir)
    real = samples.real
    found = notebook.undefined_terms(limit=None, min_entries=2 if real else 1)
    phrases = [candidate.phrase for candidate in found]
    if real:
        assert {"LLM", "RLHF", "GPT-4"} <= set(phrases[:10])
    else:
        assert {"MLP", "GPT-3"} <= set(phrases)
        assert found[phrases.index("MLP")].occurrences == 2  # "MLPs" counts as MLP
        # Defined by the glossary (the term "Sparse autoencoder (SAE)").
        assert "SAE" not in phrases
    assert not {"AI", "ML"} & set(phrases)  # too common to suggest
    assert all(len(candidate.examples) >= 1 for candidate in found)
