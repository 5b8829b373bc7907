"""The incremental preview: sectioned rendering (core) and in-place section replacement (widget).

A sectioned render must give exactly what a whole-document render gives, and the preview after a
series of incremental updates must hold exactly what a fresh ``setHtml`` of the final text holds.
Speed is measured by benchmarks/bench_gui.py, never asserted here.
"""

from __future__ import annotations

import random

import pytest

from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.markdown.normalizer import normalize, prepare
from notebook_app.core.markdown.renderer import MarkdownRenderer, RenderedMarkdown
from notebook_app.core.markdown.sections import Section, plan_sections

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


def planned(text: str) -> list[Section]:
    prepared = prepare(text)
    return plan_sections(prepared, normalize(prepared.split("\n"))) or []


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


@pytest.mark.parametrize("name", SAMPLES)
def test_each_section_is_normalized_as_if_alone(samples: Samples, name: str) -> None:
    # The normalizer runs once, on the whole note; each section is parsed from its slice of
    # that output, which must be what normalizing the section alone gives.
    text = restore_headings(samples.text(name))
    sections = planned(text)

    assert len(sections) > samples.known(real=10, fixture=4)
    for section in sections:
        alone = normalize(section.text.split("\n"))
        assert list(section.lines) == alone.lines, section.text
        assert section.local_headings() == alone.headings


def test_small_sections_are_grouped_by_local_text_only() -> None:
    # 10,000 one-line sections would cost 10,000 parser runs: they are grouped, and an edit
    # in one group leaves every other group as it was (so the cache still holds them).
    text = "".join(f"# Heading {n}\n" for n in range(2000))
    before = planned(text)
    after = planned(text.replace("# Heading 1000\n", "# Heading 1000 edited\n"))

    assert len(before) < 2000 / 3
    assert sum(a.text != b.text for a, b in zip(before, after, strict=True)) == 1


def cuts(text: str) -> list[tuple[int, str]] | None:
    """Every cut plan_sections finds, none grouped: (first line, text) of each section."""
    prepared = prepare(text)
    sections = plan_sections(prepared, normalize(prepared.split("\n")), group=False)
    return None if sections is None else [(s.first_line, s.text) for s in sections]


def test_notes_with_cross_block_constructs_are_not_split() -> None:
    assert cuts("# A\n\nText[^1]\n\n[^1]: note") is None
    assert cuts("# A\n\n[x][id]\n\n[id]: https://a.b") is None
    assert cuts("# A\n\ntext\n\n# B") == [(0, "# A\n"), (2, "text\n"), (4, "# B")]


def test_no_section_starts_inside_a_fence() -> None:
    text = "# A\n\n```\n# not\n\ntext\n```\n\n# B"
    assert [start for start, _ in cuts(text) or []] == [0, 2, 8]


def test_editing_one_section_renders_only_that_section(sample_text) -> None:  # type: ignore[no-untyped-def]
    text = restore_headings(sample_text("podcast-summary.txt"))
    renderer = MarkdownRenderer()
    first = renderer.render_sectioned(text)
    rendered = renderer.section_renders
    assert rendered == len(planned(text))

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


def shown_preview(qtbot):  # type: ignore[no-untyped-def]
    """A preview browser on screen at a fixed size, as the window shows it."""
    from notebook_app.gui.preview_browser import PreviewBrowser

    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    preview.resize(600, 800)
    preview.show()
    return preview


@pytest.mark.parametrize("name", SAMPLES)
def test_preview_after_incremental_edits_equals_a_fresh_render(
    qtbot, sample_text, name: str
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    css = _preview_css_for("light")
    renderer = MarkdownRenderer()
    preview = shown_preview(qtbot)
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
    # Sections long enough not to be grouped with their neighbours (see plan_sections).
    words = " words" * 50
    text = f"# One\n\nfirst{words}\n\n# Two\n\nsecond{words}\n\n# Three\n\nthird{words}"
    result = renderer.render_sectioned(text)
    preview.set_rendered(result.html, css, result.sections)
    document = preview.document()
    first_block = document.firstBlock()
    changes: list[tuple[int, int, int]] = []
    document.contentsChange.connect(lambda *change: changes.append(change))

    result = renderer.render_sectioned(text.replace("second", "second, edited"))
    preview.set_rendered(result.html, css, result.sections)

    assert document.firstBlock() == first_block  # the document was edited, not replaced
    # Qt reports the change from the separator that ends the untouched first section.
    assert changes and all(position >= len(f"One\nfirst{words}") for position, _, _ in changes)
    assert "second, edited" in preview.toPlainText()
    assert "third" in preview.toPlainText()


# -- long notes: laid out a step at a time ----------------------------------------------------


def _longest_stall(qtbot, action, done) -> float:  # type: ignore[no-untyped-def]
    """Run ``action`` on the GUI thread, then turn the event loop until ``done()``; return the
    longest time the GUI thread went without turning (a 5 ms timer measures it)."""
    import time

    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()
    ticks.append(time.perf_counter())
    action()
    ticks.append(time.perf_counter())
    qtbot.waitUntil(done, timeout=60_000)
    heartbeat.stop()
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False))


def _table(rows: int, cols: int) -> str:
    head = "| " + " | ".join(f"h{c}" for c in range(cols)) + " |\n|" + "---|" * cols
    return head + "".join(
        "\n| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |" for r in range(rows)
    )


PATHOLOGICAL_PREVIEWS = {
    # Before, the preview held the GUI thread 13.9 s, 3.8 s and 5.1 s on these.
    "table 2,000x30": _table(2000, 30),
    "one 200 KB word": "Intro\n\n" + "a" * 200_000,
    "10,000 headings": "".join(f"# Heading {n}\n" for n in range(10_000)),
}


@pytest.mark.parametrize("text", PATHOLOGICAL_PREVIEWS.values(), ids=PATHOLOGICAL_PREVIEWS.keys())
def test_the_preview_never_holds_the_gui_thread_long(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    css = _preview_css_for("light")
    renderer = MarkdownRenderer()
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    preview.resize(700, 900)
    preview.show()
    result = renderer.render_sectioned(text, budget=None)
    edited = renderer.render_sectioned(text[: len(text) // 2] + "x" + text[len(text) // 2 :])

    def show(shown: RenderedMarkdown) -> float:
        return _longest_stall(
            qtbot,
            lambda: preview.set_rendered(shown.html, css, shown.sections),
            lambda: not preview.is_loading(),
        )

    # Generous (the target is 0.1 s, measured ~0.03-0.2 s here on a loaded machine).
    assert show(result) < 1.0
    assert show(edited) < 1.0
    assert preview.toPlainText()


@pytest.mark.parametrize("name", ["podcast-summary.txt", "reading-log.md"])
def test_a_note_loaded_a_step_at_a_time_equals_a_fresh_render(
    qtbot, sample_text, name: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui import preview_browser
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    monkeypatch.setattr(preview_browser, "_PROGRESSIVE_CHARS", 0)  # every load is stepped
    monkeypatch.setattr(preview_browser, "_STEP_SECONDS", 0.0)  # one unit per step
    css = _preview_css_for("light")
    renderer = MarkdownRenderer()
    preview = shown_preview(qtbot)
    text = restore_headings(sample_text(name))
    rng = random.Random(name)
    for _ in range(12):
        # Each edit arrives while the previous load is under way, before or after the edit.
        result = renderer.render_sectioned(text)
        preview.set_rendered(result.html, css, result.sections)
        for _ in range(rng.randrange(1, 60)):  # a few steps (or all of them)
            preview._load_step()
        text = random_edit(text, rng)
    result = renderer.render_sectioned(text)
    preview.set_rendered(result.html, css, result.sections)
    qtbot.waitUntil(lambda: not preview.is_loading(), timeout=30_000)

    fresh = PreviewBrowser()
    qtbot.addWidget(fresh)
    fresh.set_rendered(result.html, css)
    assert preview.toPlainText() == fresh.toPlainText()
    assert preview.document().toHtml() == fresh.document().toHtml()


def test_only_the_beginning_of_a_huge_note_is_shown(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from notebook_app.gui import preview_browser
    from notebook_app.gui.preview_browser import PreviewBrowser

    monkeypatch.setattr(preview_browser, "_MAX_SHOWN_CHARS", 2_000)
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    sections = [f"<p>section {n} {'x' * 80}</p>" for n in range(100)]

    preview.set_rendered("\n".join(sections), "", sections)
    qtbot.waitUntil(lambda: not preview.is_loading(), timeout=10_000)

    shown = preview.toPlainText()
    assert "section 0 " in shown and "section 99" not in shown
    assert "shows the beginning of this note" in shown


def test_an_edit_in_a_note_of_many_sections_is_replaced_in_place(qtbot) -> None:  # type: ignore[no-untyped-def]
    # 100 sections loaded at once, none parsed yet: the first edit must still replace one
    # section, not reload the note (that cost ~10 ms a keystroke on the podcast sample).
    from notebook_app.gui.preview_browser import PreviewBrowser

    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    sections = [f"<h2>Part {n}</h2>\n<p>text of part {n}</p>" for n in range(100)]
    preview.set_rendered("\n".join(sections), "", sections)
    changes: list[int] = []
    preview.document().contentsChange.connect(lambda position, *_: changes.append(position))
    edited = [*sections[:50], "<h2>Part 50</h2>\n<p>edited</p>", *sections[51:]]

    preview.set_rendered("\n".join(edited), "", edited)

    assert not preview.is_loading()
    assert changes and min(changes) > preview.toPlainText().index("Part 49")
    assert "edited" in preview.toPlainText() and "text of part 99" in preview.toPlainText()


def test_chunked_normalizing_equals_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # Cut at every candidate line (the real chunks are 16 KB and more), so every kind of line
    # meets a cut: fences open across it (top-level, in list items), lists, quotes, setext.
    from notebook_app.core.markdown import chunks as chunks_module

    monkeypatch.setattr(chunks_module, "_CHUNK_MIN", 1)
    monkeypatch.setattr(chunks_module, "_CHUNK_ODDS", 1)
    pool = [
        "", "", "", "text", "# Head", "- item", "  - sub", "```", "```py", "~~~", "    code",
        "> quote", "Title", "---", "===", "1. one", "  ```", "* x", "|a|b|", "#tag", "    ```",
        "   ```", "\u00a0 ", "    Tab", "- [ ] task", "•  dot", "2) two", "%%", "%% aside %%",
        "a %%b%% c", "  id:: 64a1b2c3", "> - item", ">   - nested", "> ```", "- > quote",
        "  > quote",
    ]  # fmt: skip
    rng = random.Random(11)
    chunked = chunks_module.ChunkedNormalizer()
    for _ in range(1500):
        text = prepare("\n".join(rng.choice(pool) for _ in range(rng.randint(1, 40))))
        whole, parts = normalize(text.split("\n")), chunked.normalize(text)
        assert parts == whole, text
    assert chunked.chunks_normalized > 2000  # it did cut (1,500 notes)
