"""Section titles of plain-text exports become headings on import; nothing else changes."""

from __future__ import annotations

from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.markdown.renderer import MarkdownRenderer

from conftest import Samples


def test_podcast_sample_gets_its_dozens_of_sections(samples: Samples) -> None:
    original = samples.text("podcast-summary.txt")
    restored = restore_headings(original)
    headings = MarkdownRenderer().render(restored).headings
    assert len(headings) > samples.known(real=50, fixture=15)
    titles = [h.text for h in headings]
    assert titles[:3] == ["☀️ Quick Takes", "💨 tl;dr", "💡 Key Ideas"]
    subsection = samples.known(real="Challenges in AI Development", fixture="Prompt Sensitivity")
    assert subsection in titles
    assert next(h for h in headings if h.text == subsection).level == 3
    # Every word and every list item is still there.
    assert set(original.split()) == set(restored.split()) - {"##", "###"}
    items = lambda text: [line for line in text.splitlines() if line.startswith("- ")]  # noqa: E731
    assert items(original) == items(restored)


def test_text_with_markdown_headings_is_left_alone() -> None:
    text = "# Mine\n\nShort line\n- item\n"
    assert restore_headings(text) == text


def test_sentences_and_indented_lines_are_not_titles() -> None:
    text = "Intro sentence.\n- a\nRequired skills:\n- b\n  indented\n- c\nReal title\n- d\n"
    assert restore_headings(text) == (
        "Intro sentence.\n- a\n\nRequired skills:\n- b\n  indented\n- c\n### Real title\n- d\n"
    )


def test_each_line_of_text_stays_a_paragraph(sample_text) -> None:  # type: ignore[no-untyped-def]
    html = MarkdownRenderer().render(restore_headings(sample_text("podcast-summary.txt"))).html
    # Lines of the export that markdown would have run together into one paragraph.
    assert "<p>1-Sentence-Summary</p>" in html
    assert "<p>Favorite Quote from the Author</p>" in html
    # A line after a list is not folded into its last item.
    text = "- one\n- two\nAfter the list\n"
    assert "<p>After the list</p>" in MarkdownRenderer().render(restore_headings(text)).html
