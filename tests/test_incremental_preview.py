"""The incremental preview: sectioned rendering (core) and in-place section replacement (widget).

A sectioned render must give exactly what a whole-document render gives, and the preview after a
series of incremental updates must hold exactly what a fresh ``setHtml`` of the final text holds.
Speed is measured by benchmarks/bench_gui.py, never asserted here.
"""

from __future__ import annotations

import random

import pytest

from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.markdown.rendering import (
    MarkdownRenderer,
    RenderedMarkdown,
    split_sections,
)

from conftest import Samples

SAMPLES = [
    "ml-notebook-page.txt",
    "notion-application-page.txt",
    "podcast-summary.txt",
    "reading-log.md",
]

TRICKY = {
    "list continues across a blank line": "Intro\n- one\n- two\n\n- three\n\nAfter\n- four",
    "loose list with a second paragraph": "- one\n\n    more of one\n\n- two\n\nText\n",
    "code fence containing '# '": "# Real\n\n```\n# not a heading\n\n## nor this\n```\n\n# Too",
    "unclosed fence runs to the end": "# A\n\ntext\n\n```python\n# x\n\n## y\n\nz",
    "setext headings": "Title\n=====\n\ntext\n\nSub\n---\n\n---\n---\n\nend",
    "html blocks are text": "<div>\n\n# inside?\n\n</div>\n\n<!-- c -->\n\n# after",
    "tables": "| a | b |\n|---|---|\n| 1 | 2 |\n## not split off\n\n| c |\n|---|\n| 3 |\n\n# H",
    "indented fence after a paragraph": "para\n    ```\n## inside a fence\n\n    ```\n\n# out",
    "quotes merge across blank lines": "> one\n\n> two\n## H\n\n> # quoted\n\nend",
    "duplicate headings": "# Summary\n\n## Summary\n\n# Summary_1\n\n# Summary\n\n#\n\n# ",
    "heading under a paragraph": "para\n## H1\n## H2\ntext\n# H3",
    "indented block after a list": "- a\n\n    x\npara\n## H\n\nend",
    "empty items and bullets": "-\nTitle\n• a\n  • b\n-\nNext title\n1) x\n2) y",
    "crlf, bom and tabs": "\ufeff# One\r\n\r\n\tcode\r\n## Two\r\n- a\r\n\t- b\r\n",
    "footnotes (whole-document fallback)": "# A\n\nText[^1]\n\n# B\n\n[^1]: note",
    "reference links (whole-document fallback)": "# A\n\n[x][id]\n\n# B\n\n[id]: https://a.b",
}


def assert_same(whole: RenderedMarkdown, sectioned: RenderedMarkdown) -> None:
    assert sectioned.html == whole.html
    assert sectioned.headings == whole.headings
    assert "\n".join(sectioned.sections) == sectioned.html


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("restored", [False, True], ids=["raw", "as imported"])
def test_sectioned_render_equals_whole_render_on_samples(
    sample_text, name: str, restored: bool
) -> None:  # type: ignore[no-untyped-def]
    text = sample_text(name)
    if restored:
        text = restore_headings(text)
    renderer = MarkdownRenderer()

    sectioned = renderer.render_sectioned(text)

    assert len(sectioned.sections) > 1
    assert_same(renderer.render(text), sectioned)


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_sectioned_render_equals_whole_render_on_tricky_inputs(text: str) -> None:
    renderer = MarkdownRenderer()
    assert_same(renderer.render(text), renderer.render_sectioned(text))


def test_random_line_soup_renders_the_same_in_sections() -> None:
    pool = [
        "", "", "para", "*em* text", "# H", "## H", "Title", "===", "---", "***", "- item",
        "  - nested", "    - deep", "1. one", "2) two", "• dot", "-", "  more", "    code",
        "```", "```python", "~~~", "    ```", "> quote", "> # qh", "| a | b |", "|---|---|",
        "<div>x</div>", "#tag", "\u00a0 ", "\tTab", "- [ ] task", "## ", "text  ",
    ]  # fmt: skip
    rng = random.Random(7)
    renderer = MarkdownRenderer()
    for _ in range(300):
        text = "\n".join(rng.choice(pool) for _ in range(rng.randint(1, 30)))
        whole, sectioned = renderer.render(text), renderer.render_sectioned(text)
        assert sectioned.html == whole.html, text
        # Lines may differ only where the normalizer missed a heading (a heading swallowed by a
        # fence Python-Markdown sees), where the sectioned guess is the better one.
        key = [(h.level, h.text, h.anchor) for h in whole.headings]
        assert [(h.level, h.text, h.anchor) for h in sectioned.headings] == key, text


def test_notes_with_cross_block_constructs_are_not_split() -> None:
    assert split_sections("# A\n\nText[^1]\n\n[^1]: note") is None
    assert split_sections("# A\n\n[x][id]\n\n[id]: https://a.b") is None
    assert split_sections("# A\n\ntext\n\n# B") == [(0, "# A\n"), (2, "text\n"), (4, "# B")]


def test_no_section_starts_inside_a_fence() -> None:
    text = "# A\n\n```\n# not\n\ntext\n```\n\n# B"
    assert [start for start, _ in split_sections(text) or []] == [0, 2, 8]


def test_editing_one_section_renders_only_that_section(sample_text) -> None:  # type: ignore[no-untyped-def]
    text = restore_headings(sample_text("podcast-summary.txt"))
    renderer = MarkdownRenderer()
    first = renderer.render_sectioned(text)
    rendered = renderer.section_renders
    assert rendered == len(split_sections(text) or [])

    middle = len(text) // 2
    edited = renderer.render_sectioned(text[:middle] + "x" + text[middle:])

    assert renderer.section_renders == rendered + 1
    changed = [a != b for a, b in zip(first.sections, edited.sections, strict=True)]
    assert changed.count(True) == 1
    assert_same(renderer.render(text[:middle] + "x" + text[middle:]), edited)


def test_heading_ids_stay_unique_across_sections() -> None:
    text = "# Notes\n\ntext\n\n# Notes\n\n## Notes\n\nmore\n\n# Notes_1"
    renderer = MarkdownRenderer()

    result = renderer.render_sectioned(text)

    anchors = [heading.anchor for heading in result.headings]
    assert anchors == [heading.anchor for heading in renderer.render(text).headings]
    assert anchors[:3] == ["notes", "notes_1", "notes_2"]
    assert [heading.line for heading in result.headings] == [0, 4, 6, 10]
    for anchor in anchors:
        assert result.html.count(f'id="{anchor}"') == 1


def test_outline_headings_keep_their_lines(samples: Samples) -> None:
    text = restore_headings(samples.text("podcast-summary.txt"))
    lines = text.split("\n")

    headings = MarkdownRenderer().render_sectioned(text).headings

    assert len(headings) > samples.known(real=20, fixture=15)
    for heading in headings:
        assert lines[heading.line].lstrip("#").strip() == heading.text


# -- the widget -------------------------------------------------------------------------------


def random_edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    k = rng.randrange(len(lines))
    choice = rng.random()
    if choice < 0.4:
        lines[k] += rng.choice("ab #|-")
    elif choice < 0.55:
        lines.insert(k, "")
    elif choice < 0.7 and len(lines) > 1:
        del lines[k]
    else:
        lines.insert(k, rng.choice(["# New", "- item", "```", "| a | b |", "> q", "---", "x"]))
    return "\n".join(lines)


@pytest.mark.parametrize("name", SAMPLES)
def test_preview_after_incremental_edits_equals_a_fresh_render(
    qtbot, sample_text, name: str
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    css = _preview_css_for("light")
    renderer = MarkdownRenderer()
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    preview.resize(600, 800)
    preview.show()
    text = restore_headings(sample_text(name))
    rng = random.Random(name)
    for _ in range(25):
        result = renderer.render_sectioned(text)
        preview.set_rendered(result.html, css, result.sections)
        text = random_edit(text, rng)
    result = renderer.render_sectioned(text)
    preview.set_rendered(result.html, css, result.sections)

    fresh = PreviewBrowser()
    qtbot.addWidget(fresh)
    fresh.set_rendered(result.html, css)
    assert preview.toPlainText() == fresh.toPlainText()
    assert preview.document().toHtml() == fresh.document().toHtml()


def test_preview_replaces_only_changed_sections(qtbot) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    css = _preview_css_for("light")
    renderer = MarkdownRenderer()
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    text = "# One\n\nfirst\n\n# Two\n\nsecond\n\n# Three\n\nthird"
    result = renderer.render_sectioned(text)
    preview.set_rendered(result.html, css, result.sections)
    document = preview.document()
    first_block = document.firstBlock()
    changes: list[tuple[int, int, int]] = []
    document.contentsChange.connect(lambda *change: changes.append(change))

    result = renderer.render_sectioned(text.replace("second", "second, edited"))
    preview.set_rendered(result.html, css, result.sections)

    assert document.firstBlock() == first_block  # the document was edited, not replaced
    assert changes and all(position > len("One\nfirst") for position, _, _ in changes)
    assert "second, edited" in preview.toPlainText()
    assert "third" in preview.toPlainText()
