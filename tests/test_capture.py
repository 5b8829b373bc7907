"""The quick-capture grammar: kinds, tags, URLs and their types."""

from __future__ import annotations

import datetime as dt

import pytest

from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.formats.capture import capture_entry, guess_source_type, parse_capture
from notebook_app.core.model.entry import Kind, ReadingStatus, SourceType


def test_the_issue_example_becomes_a_glossary_term() -> None:
    entry = capture_entry("t: Superposition — more features than dimensions #mechinterp")
    assert entry.kind is Kind.TERM
    assert entry.title == "Superposition"
    assert entry.body == "more features than dimensions"
    assert entry.tags == ["mechinterp"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("term: X", Kind.TERM), ("T: X", Kind.TERM), ("m: X", Kind.MEETING),
     ("meeting: X", Kind.MEETING), ("n: X", Kind.NOTE), ("X", Kind.NOTE)],
)  # fmt: skip
def test_prefixes_choose_the_kind(text: str, kind: Kind) -> None:
    parsed = parse_capture(text)
    assert parsed.kind is kind and parsed.title == "X"


def test_an_explicit_kind_wins_over_the_prefix() -> None:
    assert parse_capture("t: X", kind=Kind.MEETING).kind is Kind.MEETING


def test_first_line_title_rest_body_and_tags_anywhere() -> None:
    entry = capture_entry("Reading list idea #to-read\nsecond line #ml/rl\n# not a tag, C# neither")
    assert entry.title == "Reading list idea"
    assert entry.body == "second line #ml/rl\n# not a tag, C# neither"
    assert entry.tags == ["to-read", "ml/rl"]


@pytest.mark.parametrize(
    ("url", "source_type"),
    [
        ("https://arxiv.org/abs/2209.10652", SourceType.PAPER),
        ("https://openreview.net/forum?id=abc", SourceType.PAPER),
        ("https://www.youtube.com/watch?v=zjkBMFhNj_g", SourceType.VIDEO),
        ("https://youtu.be/zjkBMFhNj_g", SourceType.VIDEO),
        ("https://github.com/openai/evals", SourceType.CODE),
        ("https://podcasts.apple.com/us/podcast/x/id1", SourceType.PODCAST),
        ("https://open.spotify.com/episode/abc", SourceType.PODCAST),
        ("https://www.lesswrong.com/posts/abc", SourceType.POST),
    ],
)
def test_source_type_is_guessed_from_the_url(url: str, source_type: SourceType) -> None:
    assert guess_source_type(url) is source_type


def test_a_pasted_url_becomes_the_notes_source() -> None:
    entry = capture_entry("https://arxiv.org/abs/2209.10652 Toy models of superposition #papers")
    assert entry.url == "https://arxiv.org/abs/2209.10652"
    assert entry.source_type is SourceType.PAPER
    assert entry.title == "Toy models of superposition"
    assert entry.reading_status is ReadingStatus.TO_READ
    alone = capture_entry("https://github.com/openai/evals")
    assert alone.title == "github.com/openai/evals" and alone.source_type is SourceType.CODE


def test_a_url_alone_below_the_title_is_the_source_too() -> None:
    entry = capture_entry(
        "Toy Models of Superposition\nhttps://arxiv.org/abs/2209.10652\n\n## Problem\nwhy"
    )
    assert entry.url == "https://arxiv.org/abs/2209.10652"
    assert entry.source_type is SourceType.PAPER
    assert entry.body == "## Problem\nwhy"
    # A link inside the notes is only text.
    inline = capture_entry("A post\nsee https://example.org/a for more")
    assert inline.url is None and inline.body == "see https://example.org/a for more"


def test_meetings_are_dated_today_and_terms_keep_links_in_the_body() -> None:
    meeting = capture_entry("m: Call with an eval researcher")
    assert meeting.met_on == dt.date.today()
    term = capture_entry("t: SAE https://arxiv.org/abs/1")
    assert term.url is None and term.body.endswith("https://arxiv.org/abs/1")


@pytest.mark.parametrize("text", ["", "   \n  ", "#only-a-tag", "t:  "])
def test_nothing_to_capture_is_an_error(text: str) -> None:
    with pytest.raises(InvalidEntryError, match="nothing to capture"):
        capture_entry(text)
