"""Search excerpts and hit spans (core/search/snippets.py): what a result row and the open
entry show of where the query's words are."""

from __future__ import annotations

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.search.query import parse_query
from notebook_app.core.search.snippets import (
    SNIPPET_LEAD,
    fold_accents,
    make_snippet,
    plain_excerpt,
    search_hits,
)
from notebook_app.core.storage.notebook import Notebook


def snippet(body: str, query: str):  # type: ignore[no-untyped-def]
    return make_snippet(body, parse_query(query).positive_terms)


def test_accent_insensitive_hits_are_highlighted(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Paris", body="We met at the Café de Flore."))
    (hit,) = notebook.search("cafe")
    assert hit.snippet is not None and hit.snippet.highlights
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "Café"
    # And the other way round, and with a decomposed accent (e + U+0301).
    assert search_hits("a cafe here", "café") == [(2, 6)]
    assert search_hits("cafe\u0301 noir", "cafe") == [(0, 5)]


def test_a_hit_inside_a_korean_word_is_near_the_start() -> None:
    body = (
        "## 지원 동기\n\n저는 인공지능 안전 분야에서 "
        "다양한 프로젝트를 진행하면서 개발경력을 쌓았습니다."
    )
    result = snippet(body, "경력")
    (start, end), *_ = result.highlights
    assert result.text[start:end] == "경력"
    # A list row shows about forty characters: the hit and its word must be among them.
    assert start <= SNIPPET_LEAD + 1
    assert "개발경력을" in result.text


def test_an_excerpt_starts_at_a_word_and_shows_no_markdown() -> None:
    body = "filler words " * 40 + "the needle is here"
    result = snippet(body, "needle")
    assert result.text.startswith("…")
    assert result.text[1:].split()[0] in ("filler", "words", "the")  # a whole word
    start, end = result.highlights[0]
    assert result.text[start:end] == "needle" and start <= SNIPPET_LEAD + 1
    marked = snippet(
        "## Heading bold\nSome **bold** [link](https://x.org) and [[Target|a]]", "bold"
    )
    assert marked.text == "Heading bold Some bold link and a"
    assert marked.text[slice(*marked.highlights[0])] == "bold"


def test_plain_excerpt_drops_block_and_inline_marks() -> None:
    assert (
        plain_excerpt("> quoted\n- [ ] task\n1. `code` ~~gone~~ *it*") == "quoted task code gone it"
    )


def test_search_hits_mark_words_not_filters() -> None:
    text = "Sparse autoencoders find features; sparse coding too."
    assert search_hits(text, "sparse tag:ml kind:note") == [(0, 6), (35, 41)]
    assert search_hits(text, "autoenc*") == [(7, 19)]
    assert search_hits(text, "tag:ml") == []
    assert search_hits(text, '"unclosed') == []
    assert len(search_hits("a " * 5000, "a", limit=10)) == 10


def test_fold_accents_keeps_offsets() -> None:
    assert fold_accents("Café Ørsted naïve") == "Cafe Ørsted naive"
    assert len(fold_accents("Crème brûlée")) == len("Crème brûlée")
