"""An edit of a long note is rendered from the blocks it changed (incremental.py, chunks.py):
the result must be exactly what a fresh renderer gives for the edited text.

The chunks are made tiny here (the real ones are 16 KB and more) and the anchor limit small, so
that short notes have many blocks and headings past the limit: every kind of line meets a cut.
Speed is measured by benchmarks/bench_preview_bounds.py, never asserted here.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.markdown import chunks, headings, incremental, renderer, sections
from notebook_app.core.markdown.renderer import MarkdownRenderer, RenderedMarkdown

LINES = [
    "", "", "", "para", "*em* text", "# H", "## H", "Title", "===", "---", "- item", "  - nested",
    "1. one", "2) two", "• dot", "-", "  more", "    code", "```", "```python", "~~~", "    ```",
    "   ```", "````", "```{.py}", "> quote", "> ```", "| a | b |", "|---|---|", "#tag", "$$",
    "$$ x^2 $$", "\\[", "\\]", "`code", "para\n    ```", "\u00a0 ", "\tTab", "- [ ] task",
    "## Same", "## Same", "> ~~~py", "> > ```", "> # H", ">", "> - item", "> [!note] Title",
    "  > quote", "- > quote", "  > ```", "1. > [!tip] T", ">   - nested", "> 1. one", "> Title",
    "> ===", "> > deeper", "%%", "%% aside %%", "a %%b%% c", "  id:: 64a1b2c3", "collapsed:: true",
]  # fmt: skip
SAMPLES = ["ml-notebook-page.txt", "notion-application-page.txt", "podcast-summary.txt",
           "reading-log.md"]  # fmt: skip

_fixture_ok = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks cut at (almost) every candidate line; ids dropped after three headings."""
    monkeypatch.setattr(chunks, "_CHUNK_MIN", 1)
    monkeypatch.setattr(chunks, "_CHUNK_ODDS", 2)
    for module in (headings, sections, incremental, renderer):
        monkeypatch.setattr(module, "MAX_ANCHORS", 3)


def fresh(text: str) -> RenderedMarkdown:
    return MarkdownRenderer().render_sectioned(text, budget=None)


def assert_same(kept: RenderedMarkdown, new: RenderedMarkdown) -> None:
    assert kept.html == new.html
    assert kept.headings == new.headings
    assert kept.sections == new.sections
    assert kept.complete and new.complete


def edit(text: str, rng: random.Random) -> str:
    """One random edit: a character typed or deleted, a line inserted, deleted or replaced."""
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        column = rng.randint(0, len(lines[at]))
        lines[at] = lines[at][:column] + rng.choice("x #-`$\n") + lines[at][column:]
    elif kind == 1 and lines[at]:
        column = rng.randrange(len(lines[at]))
        lines[at] = lines[at][:column] + lines[at][column + 1 :]
    elif kind == 2:
        lines.insert(at, rng.choice(LINES))
    elif kind == 3 and len(lines) > 1:
        del lines[at]
    else:
        lines[at] = rng.choice(LINES)
    return "\n".join(lines)


@_fixture_ok
@given(
    start=st.lists(st.sampled_from(LINES), min_size=1, max_size=40),
    seed=st.integers(0, 2**32),
)
def test_random_edits_render_as_a_fresh_renderer_does(
    small_blocks: None, start: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    kept = MarkdownRenderer()
    text = "\n".join(start)
    for _ in range(6):
        assert_same(kept.render_sectioned(text, budget=None), fresh(text))
        text = edit(text, rng)
    result = kept.render_sectioned(text, budget=None)
    assert_same(result, fresh(text))
    assert result.html == kept.render(text).html  # rendered in one piece, no blocks


@pytest.mark.parametrize("name", SAMPLES)
def test_edits_of_the_samples_render_as_a_fresh_renderer_does(
    small_blocks: None, sample_text, name: str
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(name)
    text = restore_headings(sample_text(name))
    kept = MarkdownRenderer()
    kept.render_sectioned(text, budget=None)
    for _ in range(8):
        text = edit(text, rng)
        assert_same(kept.render_sectioned(text, budget=None), fresh(text))
    # And the whole render agrees on the HTML (the sectioned render's own test checks more).
    assert kept.render(text).html == fresh(text).html


def long_note(sample_text) -> str:  # type: ignore[no-untyped-def]
    """The samples one after another, then 3,000 short parts: ~300 KB, several chunks of the
    real size, and more than MAX_ANCHORS headings."""
    text = "\n\n".join(restore_headings(sample_text(name)) for name in SAMPLES)
    return text + "".join(
        f"\n\n## Heading {n}\n\nText {n}, {'and more words ' * 5}\n- a point" for n in range(3000)
    )


def test_a_long_note_in_real_chunks_renders_as_a_fresh_renderer_does(sample_text) -> None:  # type: ignore[no-untyped-def]
    text = long_note(sample_text)
    kept = MarkdownRenderer()
    kept.render_sectioned(text, budget=None)
    rng = random.Random(3)
    for _ in range(4):
        text = edit(text, rng)
        assert_same(kept.render_sectioned(text, budget=None), fresh(text))


def test_an_edit_normalizes_plans_and_renders_only_the_block_it_touched(sample_text) -> None:  # type: ignore[no-untyped-def]
    text = long_note(sample_text)
    kept = MarkdownRenderer()
    kept.render_sectioned(text, budget=None)
    planner = kept._planner
    normalized, planned, rendered = (
        planner.normalizer.chunks_normalized, planner.blocks_planned, kept.section_renders
    )  # fmt: skip
    assert planned > 5  # the note is cut into blocks

    middle = text.index("\n", len(text) // 2)
    kept.render_sectioned(text[:middle] + " typed" + text[middle:], budget=None)

    assert planner.normalizer.chunks_normalized == normalized + 1
    assert planner.blocks_planned == planned + 1
    assert kept.section_renders == rendered + 1


@pytest.mark.parametrize(
    "text",
    [
        "para\n    ```\n\nText\n\n# H\n\npara\n    ```\n\nEnd",
        "para\n    ```\n\nText $$a$$\n\n# H\n\n```\ncode\n```\n\nEnd $$b$$",
    ],
)
def test_a_fence_opened_in_an_early_block_reaches_the_blocks_after_it(
    small_blocks: None, text: str
) -> None:
    # An indented ``` under a paragraph line is re-emitted unindented, and Python-Markdown reads
    # it as a fence closing at the next one, blocks later: planned alone, the blocks would cut
    # the code block (and the formula finder would look into it).
    kept = MarkdownRenderer()
    kept.render_sectioned(text.replace("para", "Start"), budget=None)
    result = kept.render_sectioned(text, budget=None)
    assert result.html == kept.render(text).html
    assert "<code>Text" in result.html
    assert_same(result, fresh(text))
