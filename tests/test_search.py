"""The query language, ranking, snippets, Korean, and paging."""

from __future__ import annotations

import datetime as dt

import pytest

from notebook_app.core.errors import QueryError
from notebook_app.core.model.entry import Entry, Kind, LearningStatus, ReadingStatus, SourceType
from notebook_app.core.search.query import parse_query
from notebook_app.core.search.sql import Scope, Sort
from notebook_app.core.storage.notebook import Notebook


@pytest.fixture
def filled(notebook: Notebook) -> Notebook:
    notebook.add_many(
        [
            Entry(
                kind=Kind.NOTE,
                title="Towards Monosemanticity",
                body="Sparse autoencoders decompose a language model into interpretable features.",
                tags=["ml/interpretability"],
                source_type=SourceType.PAPER,
                read_on=dt.date(2023, 10, 5),
                reading_status=ReadingStatus.DONE,
            ),
            Entry(
                kind=Kind.NOTE,
                title="Intro to Large Language Models",
                body="A large language model is a file of parameters and a run file.",
                tags=["llm"],
                source_type=SourceType.VIDEO,
                read_on=dt.date(2024, 1, 20),
                reading_status=ReadingStatus.READING,
            ),
            Entry(
                kind=Kind.TERM,
                title="Superposition",
                body="A model represents more features than it has dimensions.",
                tags=["ml/interpretability"],
                aliases=["polysemanticity"],
                learning_status=LearningStatus.LEARNING,
                glossary_position=1.0,
                created=dt.datetime(2024, 6, 2, tzinfo=dt.UTC),
            ),
            Entry(
                kind=Kind.MEETING,
                title="Call with an eval researcher",
                body="Discussed evaluation of language agents; survey of benchmarks.",
                met_on=dt.date(2024, 7, 1),
                who="an eval researcher",
                tags=["evals"],
            ),
        ]
    )
    return notebook


def titles(notebook: Notebook, query: str) -> list[str]:
    return [hit.title for hit in notebook.search(query)]


def test_plain_words_must_all_match(filled: Notebook) -> None:
    assert titles(filled, "language features") == ["Towards Monosemanticity"]
    assert set(titles(filled, "language")) == {
        "Towards Monosemanticity",
        "Intro to Large Language Models",
        "Call with an eval researcher",
    }


def test_exact_phrase(filled: Notebook) -> None:
    assert set(titles(filled, '"language model"')) == {
        "Towards Monosemanticity",
        "Intro to Large Language Models",
    }
    assert titles(filled, '"model language"') == []


def test_prefix(filled: Notebook) -> None:
    assert set(titles(filled, "interp*")) == {"Towards Monosemanticity"}
    assert titles(filled, "interp") == []


def test_excluded_words(filled: Notebook) -> None:
    assert set(titles(filled, "language -survey")) == {
        "Towards Monosemanticity",
        "Intro to Large Language Models",
    }
    assert "Call with an eval researcher" not in titles(filled, "-survey")
    assert len(titles(filled, "-survey")) == 3


def test_or(filled: Notebook) -> None:
    assert set(titles(filled, "monosemanticity OR superposition")) == {
        "Towards Monosemanticity",
        "Superposition",
    }
    # OR binds the words beside it; the next word is still required.
    assert titles(filled, "monosemanticity OR superposition dimensions") == ["Superposition"]


def test_filters_combine_with_words_and_each_other(filled: Notebook) -> None:
    assert titles(filled, "kind:term") == ["Superposition"]
    assert titles(filled, "type:paper") == ["Towards Monosemanticity"]
    assert titles(filled, "status:learning") == ["Superposition"]
    assert titles(filled, "status:reading") == ["Intro to Large Language Models"]
    assert titles(filled, "features tag:ml kind:note") == ["Towards Monosemanticity"]
    assert titles(filled, "before:2024-01-01") == ["Towards Monosemanticity"]
    assert set(titles(filled, "after:2024-06-02")) == {
        "Superposition",
        "Call with an eval researcher",
    }
    assert titles(filled, "after:2024-01 before:2024-02 language") == [
        "Intro to Large Language Models"
    ]


def test_aliases_and_meeting_people_are_searchable(filled: Notebook) -> None:
    assert titles(filled, "polysemanticity") == ["Superposition"]
    assert titles(filled, '"eval researcher"') == ["Call with an eval researcher"]


def test_title_ranks_above_body(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Notes", body="Attention is discussed here."))
    notebook.add(Entry(kind=Kind.NOTE, title="Attention", body="Heads and layers."))
    assert titles(notebook, "attention") == ["Attention", "Notes"]


def test_snippet_highlights_the_match(filled: Notebook) -> None:
    hit = filled.search("autoencoders")[0]
    assert hit.snippet is not None
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "autoencoders"
    assert "[autoencoders]" in hit.snippet.marked()


def test_snippet_of_a_long_body_starts_near_the_match(notebook: Notebook) -> None:
    body = "filler words " * 500 + "the needle is here " + "more filler " * 50
    notebook.add(Entry(kind=Kind.NOTE, title="Haystack", body=body))
    snippet = notebook.search("needle")[0].snippet
    assert snippet is not None
    assert snippet.text.startswith("…") and "needle" in snippet.text
    assert len(snippet.text) <= 202


@pytest.mark.parametrize(
    "query",
    ["kind:alien", "before:yesterday", "status:someday", "type:tweet", "tag:", "-kind:term"],
)
def test_bad_filters_say_what_is_wrong(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


def test_punctuation_and_unknown_keys_are_words_not_syntax(filled: Notebook) -> None:
    filled.add(
        Entry(kind=Kind.NOTE, title="o1-preview results", body="see https://arxiv.org/abs/1")
    )
    assert titles(filled, "o1-preview") == ["o1-preview results"]
    assert titles(filled, "https://arxiv.org/abs/1") == ["o1-preview results"]
    for odd in ['"unclosed', "AND", "NOT NEAR(", "*", "(", "a:b:c", "'"]:
        filled.search(odd)  # must not raise


def test_korean_words_and_parts_of_words(notebook: Notebook, sample_text) -> None:  # type: ignore[no-untyped-def]
    page = sample_text("notion-application-page.txt")
    notebook.add(Entry(kind=Kind.NOTE, title="AISC 10th Application", body=page))
    notebook.add(Entry(kind=Kind.NOTE, title="Unrelated", body="nothing korean here"))
    queries = ["경력", "개발경력", "개발", "연구경력", "다양한 스킬셋", '"인공 지능"', "팀프로젝트"]
    for query in queries:
        assert titles(notebook, query) == ["AISC 10th Application"], query
    assert titles(notebook, "경험이") == ["AISC 10th Application"]
    assert titles(notebook, "없는단어") == []
    hit = notebook.search("경력")[0]
    assert hit.snippet is not None and hit.snippet.highlights
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "경력"


def test_korean_title_and_tag(notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.TERM, title="기계학습", tags=["한국어"]))
    assert titles(notebook, "학습") == ["기계학습"]
    assert titles(notebook, "tag:한국어") == ["기계학습"]


def test_titles_matching_finds_cjk_titles_and_aliases_by_any_part(notebook: Notebook) -> None:
    # The [[ completion and Ctrl+P: a part of two or more characters anywhere in a CJK word.
    notebook.add(Entry(kind=Kind.NOTE, title="초전도체"))
    notebook.add(Entry(kind=Kind.NOTE, title="GPT-4 초전도체 실험"))
    notebook.add(Entry(kind=Kind.TERM, title="Superconductor", aliases=["超伝導", "超导体"]))
    notebook.add(Entry(kind=Kind.NOTE, title="東京大学の講義"))
    notebook.add(Entry(kind=Kind.NOTE, title="전기 도체"))  # 전 and 도 apart: not "전도"

    def found(text: str) -> list[str]:
        return sorted(summary.title for summary in notebook.titles_matching(text))

    both = ["GPT-4 초전도체 실험", "초전도체"]
    for part in ("초전", "전도", "초전도체", "초", "전도체"):
        assert found(part) == both, part
    assert found("도체") == ["GPT-4 초전도체 실험", "전기 도체", "초전도체"]
    assert found("gpt-4 전도") == found("GPT 초전") == found("실험 전도") == ["GPT-4 초전도체 실험"]
    assert found("伝導") == found("超导") == found("导体") == ["Superconductor"]  # aliases
    assert found("大学") == found("講義") == found("京大") == ["東京大学の講義"]
    assert found("전도 없음") == found("체초") == []


def test_listing_pages_through_everything_once(notebook: Notebook) -> None:
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    notebook.add_many(
        Entry(kind=Kind.NOTE, title=f"entry {i:03}", created=base + dt.timedelta(minutes=i))
        for i in range(230)
    )
    seen: list[str] = []
    offset = 0
    while page := notebook.search("", limit=50, offset=offset):
        seen += [hit.title for hit in page]
        offset += len(page)
    assert len(seen) == 230 and len(set(seen)) == 230
    assert seen[0] == "entry 229"  # newest first
    assert notebook.count("") == 230
    by_title = notebook.search("", sort=Sort.TITLE, limit=3)
    assert [h.title for h in by_title] == ["entry 000", "entry 001", "entry 002"]


def test_search_pages_are_disjoint(notebook: Notebook) -> None:
    notebook.add_many(
        Entry(kind=Kind.NOTE, title=f"paper {i}", body="common word " * (i % 7 + 1))
        for i in range(120)
    )
    first = notebook.search("common", limit=50)
    second = notebook.search("common", limit=50, offset=50)
    third = notebook.search("common", limit=50, offset=100)
    ids = [h.id for h in first + second + third]
    assert len(ids) == 120 and len(set(ids)) == 120
    assert notebook.count("common") == 120


def test_glossary_order(notebook: Notebook) -> None:
    for title, position in [("Transformer", 2.0), ("Neural network", 1.0), ("Attention", 3.0)]:
        notebook.add(Entry(kind=Kind.TERM, title=title, glossary_position=position))
    notebook.add(Entry(kind=Kind.TERM, title="Unplaced"))
    hits = notebook.search("", scope=Scope(kinds=frozenset({Kind.TERM})), sort=Sort.GLOSSARY)
    assert [h.title for h in hits] == ["Neural network", "Transformer", "Attention", "Unplaced"]


def test_scope_and_query_kinds_intersect(filled: Notebook) -> None:
    scope = Scope(kinds=frozenset({Kind.NOTE}))
    assert filled.search("kind:term", scope=scope) == []
    assert len(filled.search("", scope=scope)) == 2


def test_edits_and_deletes_keep_the_index_in_step(filled: Notebook) -> None:
    hit = filled.search("superposition")[0]
    entry = filled.get(hit.id)
    filled.update(entry.id, entry.version, title="Feature superposition", body="Entirely new text")
    assert titles(filled, "dimensions") == []
    assert titles(filled, "entirely") == ["Feature superposition"]
    filled.trash(entry.id)
    filled.purge(entry.id)
    assert titles(filled, "entirely") == []
    integrity = filled.conn.execute(
        "INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 0)"
    )
    assert integrity is not None


def test_tiered_ranking_of_large_match_sets_pages_through_every_match(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notebook_app.core.storage import searching as searching_module

    # Make "large" small, so both tiers and the page boundary between them are exercised.
    monkeypatch.setattr(searching_module, "FULL_RANK_LIMIT", 5)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    notebook.add_many(
        Entry(
            kind=Kind.NOTE,
            title=f"Attention study {i}" if i % 4 == 0 else f"Study {i}",
            body="attention heads " * (i % 3 + 1),
            created=base + dt.timedelta(hours=i),
        )
        for i in range(40)
    )
    pages = [notebook.search("attention", limit=7, offset=o) for o in range(0, 42, 7)]
    hits = [hit for page in pages for hit in page]
    assert len(hits) == 40 and len({hit.id for hit in hits}) == 40
    title_hits = [hit.title for hit in hits[:10]]
    assert all(title.startswith("Attention") for title in title_hits)
    rest = [int(hit.title.split()[-1]) for hit in hits[10:]]
    assert rest == sorted(rest, reverse=True)  # newest first
    assert notebook.count("attention") == 40
    assert [h.title for h in notebook.search("attention kind:term")] == []


def test_many_korean_matches_rank_title_matches_first_each_once(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notebook_app.core.storage import searching as searching_module

    # Past "many", title matches come first from the title index; a CJK part found there is not
    # repeated among the rest (the body index's bigrams do not tell title from body).
    monkeypatch.setattr(searching_module, "FULL_RANK_LIMIT", 3)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    notebook.add_many(
        Entry(
            kind=Kind.NOTE,
            title="고온 초전도체" if i == 2 else f"메모 {i}",
            body="초전도체 실험 기록",
            created=base + dt.timedelta(hours=i),
        )
        for i in range(8)
    )
    titles = [hit.title for hit in notebook.search("전도", limit=50)]
    assert titles == ["고온 초전도체"] + [f"메모 {i}" for i in (7, 6, 5, 4, 3, 1, 0)]
    paged = [
        hit.title for o in range(0, 8, 3) for hit in notebook.search("전도", limit=3, offset=o)
    ]
    assert paged == titles


def test_a_phrase_with_many_matches_ranks_title_matches_first_then_newest(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notebook_app.core.storage import searching as searching_module

    # "Many" made small: past it, a phrase is not ranked by bm25 over every match (costly).
    monkeypatch.setattr(searching_module, "PHRASE_RANK_LIMIT", 5)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    notebook.add_many(
        Entry(
            kind=Kind.NOTE,
            title="A language model survey" if i == 3 else f"Note {i}",
            # Older entries repeat the phrase more: bm25 would put them first, newest-first not.
            body="language model " * (20 - i) if i % 2 == 0 else "a model of language",
            created=base + dt.timedelta(hours=i),
        )
        for i in range(20)
    )
    hits = notebook.search('"language model"', limit=50)
    # Every entry with the phrase, each once: the title match first, then the rest newest first.
    assert hits[0].title == "A language model survey"
    rest = [int(hit.title.split()[-1]) for hit in hits[1:]]
    assert rest == sorted(rest, reverse=True) and set(rest) == {i for i in range(0, 20, 2)}
    assert notebook.count('"language model"') == 11
