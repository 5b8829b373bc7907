"""The sample formats parsed on their own: mojibake, legend, odd bullets, Notion metadata."""

from __future__ import annotations

import collections
import datetime as dt

from notebook_app.core.formats.sample_formats import (
    looks_like_notion_page,
    looks_like_reading_log,
    parse_notion_page,
    parse_reading_log,
    repair_mac_roman_mojibake,
)
from notebook_app.core.model.entry import SourceType


def test_mojibake_repair_restores_emoji_and_punctuation(sample_text) -> None:  # type: ignore[no-untyped-def]
    repaired = repair_mac_roman_mojibake(sample_text("reading-log.md"))
    legend = repaired.split("\n")[1:7]
    assert [line[2] for line in legend] == ["📜", "📰", "📖", "🌐", "🧪", "📺"]
    assert "\uf8ff" not in repaired and "‚Ä" not in repaired
    assert "’" in repaired or "“" in repaired
    # Text that was never mojibake is left alone.
    assert repair_mac_roman_mojibake("café, naïve, 개발경력 — ok") == "café, naïve, 개발경력 — ok"


def test_reading_log_types_dates_and_irregular_bullets(sample_text) -> None:  # type: ignore[no-untyped-def]
    text = sample_text("reading-log.md")
    assert looks_like_reading_log(text) and not looks_like_notion_page(text)
    entries = parse_reading_log(text)
    assert len(entries) == 282
    types = collections.Counter(entry.source_type for entry in entries)
    assert types == {SourceType.PAPER: 181, SourceType.POST: 42, SourceType.CODE: 26,
                     SourceType.BOOK: 13, SourceType.RESOURCE: 12, SourceType.VIDEO: 8}  # fmt: skip
    no_link = [entry for entry in entries if entry.url is None]
    assert [entry.title for entry in no_link] == [
        "Experiments with local models: oobabooga & a1111"
    ]
    assert no_link[0].read_on == dt.date(2024, 4, 25)
    video = next(e for e in entries if e.source_type is SourceType.VIDEO)
    assert video.url and video.url.startswith("http")
    # A summary of several sub-bullets stays a list; a single one becomes a paragraph.
    scientist = next(e for e in entries if e.title.startswith("The AI Scientist"))
    assert scientist.body.startswith("- ") and scientist.body.count("\n- ") >= 2
    assert not entries[0].body.startswith("- ")
    relative = [e for e in entries if e.url and e.url.startswith("./")]
    assert relative and all(e.source_type is SourceType.CODE for e in relative)


def test_notion_page_metadata_and_bullets(sample_text) -> None:  # type: ignore[no-untyped-def]
    page = parse_notion_page(sample_text("notion-application-page.txt"))
    assert page.title == "AISC 10th Application"
    assert page.created == dt.datetime(2024, 11, 18, 13, 40, tzinfo=dt.UTC)
    assert page.updated == dt.datetime(2024, 11, 18, 22, 34, tzinfo=dt.UTC)
    assert page.body.startswith("What skills and experiences are you bringing?")
    assert "Seonglae" not in page.body  # the Creator line is metadata, not text
    assert "- 3년간 software engineer로 개발경력 있고" in page.body
    assert "  - Comfortable with PyTorch" in page.body  # nested bullets keep their level
