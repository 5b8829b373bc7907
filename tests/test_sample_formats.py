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

from conftest import Samples


def test_mojibake_repair_restores_emoji_and_punctuation(sample_text) -> None:  # type: ignore[no-untyped-def]
    repaired = repair_mac_roman_mojibake(sample_text("reading-log.md"))
    legend = repaired.split("\n")[1:7]
    assert [line[2] for line in legend] == ["📜", "📰", "📖", "🌐", "🧪", "📺"]
    assert "\uf8ff" not in repaired and "‚Ä" not in repaired
    assert "’" in repaired or "“" in repaired
    # Text that was never mojibake is left alone.
    assert repair_mac_roman_mojibake("café, naïve, 개발경력 — ok") == "café, naïve, 개발경력 — ok"


def test_reading_log_types_dates_and_irregular_bullets(samples: Samples) -> None:
    text = samples.text("reading-log.md")
    assert looks_like_reading_log(text) and not looks_like_notion_page(text)
    entries = parse_reading_log(text)
    assert len(entries) == samples.known(real=282, fixture=14)
    types = collections.Counter(entry.source_type for entry in entries)
    assert types == samples.known(
        real={SourceType.PAPER: 181, SourceType.POST: 42, SourceType.CODE: 26,
              SourceType.BOOK: 13, SourceType.RESOURCE: 12, SourceType.VIDEO: 8},
        fixture={SourceType.PAPER: 5, SourceType.POST: 3, SourceType.CODE: 3,
                 SourceType.BOOK: 1, SourceType.RESOURCE: 1, SourceType.VIDEO: 1},
    )  # fmt: skip
    no_link = [entry for entry in entries if entry.url is None]
    assert [(entry.title, entry.read_on) for entry in no_link] == samples.known(
        real=[("Experiments with local models: oobabooga & a1111", dt.date(2024, 4, 25))],
        fixture=[("Sketched a byte-pair tokenizer in plain Python", dt.date(2024, 11, 3))],
    )
    video = next(e for e in entries if e.source_type is SourceType.VIDEO)
    assert video.url and video.url.startswith("http")
    # A summary of several sub-bullets stays a list; a single one becomes a paragraph.
    listed = samples.known(real="The AI Scientist", fixture="Chain-of-Thought Prompting")
    several = next(e for e in entries if e.title.startswith(listed))
    assert several.body.startswith("- ") and several.body.count("\n- ") >= 2
    assert not entries[0].body.startswith("- ")
    relative = [e for e in entries if e.url and e.url.startswith("./")]
    assert relative and all(e.source_type is SourceType.CODE for e in relative)


def test_notion_page_metadata_and_bullets(samples: Samples) -> None:
    page = parse_notion_page(samples.text("notion-application-page.txt"))
    assert page.title == samples.known(
        real="AISC 10th Application", fixture="Interpretability Fellowship Application"
    )
    assert (page.created, page.updated) == samples.known(
        real=(dt.datetime(2024, 11, 18, 13, 40, tzinfo=dt.UTC),
              dt.datetime(2024, 11, 18, 22, 34, tzinfo=dt.UTC)),
        fixture=(dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC),
                 dt.datetime(2025, 3, 4, 18, 2, tzinfo=dt.UTC)),
    )  # fmt: skip
    first_question = samples.known(
        real="What skills and experiences are you bringing?",
        fixture="What background would you bring to the project?",
    )
    assert page.body.startswith(first_question)
    assert samples.known(real="Seonglae", fixture="Jiwoo") not in page.body  # Creator: metadata
    korean = samples.known(
        real="- 3년간 software engineer로 개발경력 있고",
        fixture="- 백엔드 개발자로 4년간 개발경력이",
    )
    assert korean in page.body
    nested = samples.known(real="  - Comfortable with PyTorch", fixture="  - Writes tested Python")
    assert nested in page.body  # nested bullets keep their level
