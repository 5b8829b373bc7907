"""One syntax (core/markdown/syntax.py): the renderer, the editor, its highlighter and spell
checker, quick capture, import and the link table read list items, task boxes, headings, fences,
#tags and [[links]] alike."""

from __future__ import annotations

import functools
import html
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlock

from notebook_app.core.api import Entry, Kind, links_in
from notebook_app.core.formats.capture import parse_capture
from notebook_app.core.formats.exporting import combined_document
from notebook_app.core.formats.markdown_files import inline_tags, markdown_to_entry
from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.links.text import sentence_around
from notebook_app.core.markdown.renderer import MarkdownRenderer
from notebook_app.core.markdown.syntax import tags_in
from notebook_app.core.search.snippets import plain_excerpt
from notebook_app.gui.spelling import words_to_check

# line -> (a list item?, a heading?, its tags)
LINES: dict[str, tuple[bool, bool, list[str]]] = {
    "- item": (True, False, []),
    "* item": (True, False, []),
    "+ item": (True, False, []),
    "\u2022 item from Notion": (True, False, []),
    "1. one": (True, False, []),
    "12) twelve": (True, False, []),
    "  - nested #ml": (True, False, ["ml"]),
    "- [ ] a task #todo": (True, False, ["todo"]),
    "- [x] done": (True, False, []),
    "-item": (False, False, []),
    "1.5 million": (False, False, []),
    "- - -": (False, False, []),
    "# Heading": (False, True, []),
    "### Heading with #tag": (False, True, ["tag"]),
    "#tag at the start": (False, False, ["tag"]),
    "####### seven": (False, False, []),
    "#gpt4.5 is out.": (False, False, ["gpt4.5"]),
    "see #ml. Done": (False, False, ["ml"]),
    "#1984 and #y1984": (False, False, ["y1984"]),
    "#2024-review": (False, False, ["2024-review"]),
    "C# and F# are not tags": (False, False, []),
    "`#code` is code, #real is a tag": (False, False, ["real"]),
    "#한국어 태그": (False, False, ["한국어"]),
    "nested #ml/rl/ and #to-read, too": (False, False, ["ml/rl", "to-read"]),
    # Emoji are tag characters, as in Obsidian, and count as what is not a digit.
    "#🌲 and #0🌲 then **bold**": (False, False, ["🌲", "0🌲"]),
    "- item #🤖-safety and #ml/🌲": (True, False, ["🤖-safety", "ml/🌲"]),
    "#👩‍🔬 #👍🏽 #✅️, not #1️": (False, False, ["👩‍🔬", "👍🏽", "✅️"]),
    "`#🌲` is code, #🌳 is not": (False, False, ["🌳"]),
}


# line -> the links in it, as written; the words in them are made up, so that the spell checker
# would flag each one it did not know to be inside a link.
LINK_LINES: dict[str, list[str]] = {
    "see [[Zorblax]] here": ["[[Zorblax]]"],
    "[[Zorblax\\#Quux]] and [[Zorblax\\]quux]]": ["[[Zorblax\\#Quux]]", "[[Zorblax\\]quux]]"],
    "[[Zorblax|Quuxly]] and ![[Blorft]]": ["[[Zorblax|Quuxly]]", "![[Blorft]]"],
    "[[#Zorblax]] jumps": ["[[#Zorblax]]"],
    "[[]] and [[|Zorblax]] are not links": [],
    "`[[Zorblax]]` is code, [[Blorft]] is not": ["[[Blorft]]"],
    "[[Zorblax]Quux]] and [[ [[Blorft]]": ["[[Blorft]]"],
    "[[" + "Zorblax " * 130 + "]] is too long": [],
}
_MADE_UP = {"Zorblax", "Quux", "quux", "Quuxly", "Blorft"}

# line -> its text without what opens it (quote marks, a list marker and task box, heading marks)
LEAD_LINES: dict[str, str] = {
    "- [x] done item": "done item",
    "> > quoted twice": "quoted twice",
    ">  - [ ] a task in a quote": "a task in a quote",
    "### A heading": "A heading",
    "\u2022 a Notion bullet": "a Notion bullet",
    "12) twelve": "twelve",
    "#tag is no heading": "#tag is no heading",
    "1.5 million is no item": "1.5 million is no item",
}


@functools.cache
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def _formats(block: QTextBlock, editor, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each range of ``block`` the highlighter gave the format ``name``."""
    wanted = editor.highlighter.formats[name]
    units = block.text().encode("utf-16-le")  # Qt's offsets count UTF-16 units
    return [
        units[2 * r.start : 2 * (r.start + r.length)].decode("utf-16-le")
        for r in block.layout().formats()
        if r.format == wanted
    ]


def _marked(editor, *names: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each range the highlighter gave one of ``names``, over the whole document."""
    document = editor.document()
    blocks = [document.findBlockByNumber(n) for n in range(document.blockCount())]
    return [t for block in blocks for name in names for t in _formats(block, editor, name)]


def _in_combined_document(body: str) -> str:
    """``body``'s lines as the combined export writes them (under the entry's ### title)."""
    document = combined_document([Entry(kind=Kind.NOTE, title="Entry", body=body)])
    return document.split("### Entry\n\n", 1)[1].rstrip("\n")


@pytest.fixture
def editor(qtbot):  # type: ignore[no-untyped-def]
    from notebook_app.gui.markdown_editor import MarkdownEditor

    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("line", LINES)
def test_every_reader_agrees_on_a_line(line: str, editor, qtbot) -> None:  # type: ignore[no-untyped-def]
    is_item, is_heading, tags = LINES[line]
    rendered = _renderer().render(line)
    editor.setPlainText(line)
    block = editor.document().firstBlock()

    # list items: the renderer makes an <li>, the highlighter marks the marker, Enter continues
    # (or ends) the list, the plain-text import reads a title line before one as a heading
    assert ("<li" in rendered.html) is is_item
    if not is_heading:
        restored = restore_headings(f"Some text.\nSection title\n{line}")
        assert ("### Section title" in restored) is is_item
    assert ("task-box" in rendered.html) is bool(_formats(block, editor, "task"))
    assert bool(_formats(block, editor, "marker")) is is_item
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert (editor.toPlainText() != line + "\n") is is_item

    # headings: the renderer's outline, the highlighter, the combined export (which moves an
    # entry's headings three levels down) and the plain-text import (which leaves a text with
    # headings as it is)
    assert bool(rendered.headings) is is_heading
    assert (_in_combined_document(line) != line.strip()) is is_heading
    plain = f"Some text.\n{line}\nSection title\n- an item"
    assert (restore_headings(plain) == plain) is is_heading
    # (A level-3 heading and **bold** look alike; only a heading's format covers its "#".)
    heading_formats = ("heading1", "heading2", "heading")
    marked = [t for name in heading_formats for t in _formats(block, editor, name)]
    assert any(t.startswith("#") for t in marked) is is_heading

    # tags: capture, import and the highlighter
    assert parse_capture("Title\n" + line).tags == tags
    assert inline_tags(line) == tags
    assert [t.removeprefix("#") for t in _formats(block, editor, "tag")] == tags


def test_fenced_code_holds_no_tags_for_any_reader(editor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "before #one\n```\n#not-a-tag\n- not an item\n```\nafter #two\n~~~~\n#no\n~~~\n#no2\n~~~~"
    )

    assert inline_tags(text) == ["one", "two"]
    assert parse_capture("Title\n" + text).tags == ["one", "two"]
    assert tags_in(text) == ["one", "two"]
    editor.setPlainText(text)
    assert _marked(editor, "tag") == ["#one", "#two"]
    html = _renderer().render(text).html
    assert "#not-a-tag" in html and "<li" not in html


def test_enter_continues_with_the_next_marker(editor, qtbot) -> None:  # type: ignore[no-untyped-def]
    for line, continued in [
        ("9) nine", "9) nine\n10) "),
        ("\u2022 dot", "\u2022 dot\n\u2022 "),
        ("- [x] done", "- [x] done\n- [ ] "),
        ("- [ ] ", ""),  # an empty item ends the list
        ("-", "-\n"),  # a bare marker is kept: it may be the start of a rule
    ]:
        editor.setPlainText(line)
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert editor.toPlainText() == continued


@pytest.mark.parametrize("line", LINK_LINES)
def test_every_reader_agrees_on_links(line: str, editor) -> None:  # type: ignore[no-untyped-def]
    links = LINK_LINES[line]

    # the link table and rename (core/links), the renderer, the highlighter, the spell checker
    assert [line[link.start : link.end] for link in links_in(line)] == links
    assert len(re.findall(r'<a class="wikilink', _renderer().render(line).html)) == len(links)
    editor.setPlainText(line)
    assert _formats(editor.document().firstBlock(), editor, "link") == links
    # the made-up words outside links and code spans, and only those, are spell checked
    outside = line
    for link in links:
        outside = outside.replace(link, " ")
    outside = re.sub(r"`[^`]*`", " ", outside)
    checked = {word for _, _, word in words_to_check(line)}
    assert checked & _MADE_UP == set(re.findall(r"\w+", outside)) & _MADE_UP


def test_a_fence_closes_alike_for_every_reader(editor) -> None:  # type: ignore[no-untyped-def]
    # A list item's fence closed at the item's column, and a closing line with a trailing tab
    # (CommonMark: spaces or tabs may follow the closing run).
    text = (
        "- item\n\n      ```\n      [[In code]] #incode\n      ```\n\n[[After]] #after\n"
        "~~~\n[[Also code]] #incode2\n~~~\t\n[[Last]] #last"
    )

    assert [link.target for link in links_in(text)] == ["After", "Last"]
    assert tags_in(text) == ["after", "last"]
    assert inline_tags(text) == ["after", "last"]
    editor.setPlainText(text)
    assert _marked(editor, "link") == ["[[After]]", "[[Last]]"]
    assert _marked(editor, "tag") == ["#after", "#last"]
    html = _renderer().render(text).html
    assert re.findall(r'href="wiki:(\w+)"', html) == ["After", "Last"]


def test_headings_in_code_stay_for_every_reader(editor) -> None:  # type: ignore[no-untyped-def]
    # A ``` line inside a ~~~ fence does not close it; "~~~~" closes "~~~" (at least as long).
    text = "~~~\n# in code\n```\n# still code\n~~~~\n# after\n   ## indented"

    assert _in_combined_document(text).splitlines() == [
        "~~~",
        "# in code",
        "```",
        "# still code",
        "~~~~",
        "#### after",
        "   ##### indented",
    ]
    assert [h.text for h in _renderer().render(text).headings] == ["after", "indented"]
    editor.setPlainText(text)
    assert _marked(editor, "heading1", "heading2", "heading") == ["# after", "   ## indented"]


@pytest.mark.parametrize(
    "line",
    [
        "a ==marked== b",
        "x == y and a ~~ b ~~ c",
        "~~struck **bold**~~ end",
        "==*em*== and ~~x~~",
        "A claim worth citing. ^claim-1",
        "x^2 and a ^ b",
        "id:: 64a1b2c3-0000-4000-8000-000000000001",
        "author:: Someone",
    ],  # fmt: skip
)
def test_an_excerpt_reads_highlights_and_strikethrough_as_the_preview_shows_them(
    line: str, editor
) -> None:  # type: ignore[no-untyped-def]
    shown = html.unescape(re.sub(r"<[^>]+>", "", _renderer().render(line).html))
    assert plain_excerpt(line) == " ".join(shown.split())
    # The editor marks as many runs, each with its marks, as the preview shows.
    editor.setPlainText(line)
    ranges = editor.document().firstBlock().layout().formats()
    runs: dict[str, list[list[int]]] = {"strike": [], "highlight": []}
    for r in sorted(ranges, key=lambda r: r.start):
        kinds = {"strike": r.format.fontStrikeOut(),
                 "highlight": r.format.background().style() != Qt.BrushStyle.NoBrush}  # fmt: skip
        for kind, on in kinds.items():
            if on and runs[kind] and runs[kind][-1][1] == r.start:
                runs[kind][-1][1] = r.start + r.length  # the same run, in a second format
            elif on:
                runs[kind].append([r.start, r.start + r.length])
    rendered = _renderer().render(line).html
    assert len(runs["highlight"]) == rendered.count('<span class="highlight">')
    assert len(runs["strike"]) == rendered.count("<s>")
    for start, end in runs["highlight"] + runs["strike"]:
        assert line[start : start + 2] in ("==", "~~") and line[end - 2 : end] in ("==", "~~")


@pytest.mark.parametrize("line", LINK_LINES)
def test_an_excerpt_reads_links_as_the_preview_shows_them(line: str) -> None:
    shown = html.unescape(re.sub(r"<[^>]+>", "", _renderer().render(line).html))
    assert plain_excerpt(line) == " ".join(shown.replace("\u29c9 ", "").split())


@pytest.mark.parametrize("line", LEAD_LINES)
def test_excerpts_and_mentions_drop_the_same_line_leads(line: str) -> None:
    text = LEAD_LINES[line]
    assert plain_excerpt(line) == text
    last_word = len(line) - len(text.split()[-1])
    assert sentence_around(line, last_word, len(line))[0] == text


def test_setext_headings_read_alike(editor, qtbot) -> None:  # type: ignore[no-untyped-def]
    # "===" or "---" under a line of text makes it a heading; under a list item or a blank line
    # "---" is a rule. The highlighter colours both lines; the combined export writes such a
    # heading as an ATX one, moved down.
    text = "Intro\n=====\ntext\n\nPart\n---\n- item\n---\npara\n\n---\n```\ncode\n```\n---"

    headings = [(h.level, h.text) for h in _renderer().render(text).headings]
    assert headings == [(1, "Intro"), (2, "Part")]
    editor.setPlainText(text)
    assert _marked(editor, "heading1") == ["Intro", "====="]
    assert _marked(editor, "heading2") == ["Part", "---"]
    # Typing an underline makes the line above a heading; taking it away makes it text again.
    editor.setPlainText("Typed title")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "==")
    assert _formats(editor.document().firstBlock(), editor, "heading1") == ["Typed title"]
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert _formats(editor.document().firstBlock(), editor, "heading1") == []
    # "-" under it makes it a heading; going on to "- item" makes it text again (and in a
    # quote too).
    for title in ("Typed title", "> Quoted title"):
        editor.setPlainText(title)
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # in a quote, the next line starts "> "
        qtbot.keyClicks(editor, "-")
        assert _marked(editor, "heading2")[0].endswith("title")
        qtbot.keyClicks(editor, " item")
        assert _marked(editor, "heading2") == [], title
    assert _in_combined_document(text).splitlines() == [
        "#### Intro",
        "text",
        "",
        "##### Part",
        "- item",
        "---",
        "para",
        "",
        "---",
        "```",
        "code",
        "```",
        "---",
    ]


def test_logseq_tags_of_several_words_are_read_alike(editor) -> None:  # type: ignore[no-untyped-def]
    # "#[[deep learning]]" is one tag for capture, import and the highlighter (stored with "-"),
    # not in code, not glued to a word, not with a character no tag may hold.
    line = "read #[[deep learning]] and #ml, not `#[[code]]`, x#[[glued]] nor #[[a,b]]"
    assert parse_capture("Title\n" + line).tags == ["deep-learning", "ml"]
    assert inline_tags(line) == ["deep learning", "ml"]
    assert markdown_to_entry(line, fallback_title="t").tags == ["deep-learning", "ml"]
    editor.setPlainText(line)
    assert _marked(editor, "tag") == ["#[[deep learning]]", "#ml"]
    checked = {word for _, _, word in words_to_check(line)}
    assert "read" in checked and "deep" not in checked  # the spell checker leaves tags alone


def test_comments_are_read_alike(editor) -> None:  # type: ignore[no-untyped-def]
    # What the preview leaves out, the editor colours as a comment; in code, neither.
    text = "a %%aside%% b `%%code%%`\n%%\n# hidden\n%%\n```\n%%\n```\nafter"
    rendered = _renderer().render(text)
    assert (
        rendered.headings == [] and "aside" not in rendered.html and "hidden" not in rendered.html
    )
    editor.setPlainText(text)
    assert _marked(editor, "comment") == ["%%aside%%", "%%", "# hidden", "%%"]
    assert _marked(editor, "heading1") == [] and "after" not in "".join(_marked(editor, "comment"))


def test_quotes_are_read_alike(editor) -> None:  # type: ignore[no-untyped-def]
    # Inside "> " marks a line is read as a line of its own: a heading, a list item, a fence
    # (a callout's code), which ends with the quote. The renderer, the editor's highlighter and
    # the combined export agree on each.
    text = (
        "> # Quoted\n> - item\n> ```bash\n> # code\n> ```\n> Sub\n> ---\n"
        "> ~~~\n> # unclosed code\n\n# After"
    )
    rendered = _renderer().render(text)
    headings = [(h.level, h.text) for h in rendered.headings]
    assert headings == [(1, "Quoted"), (2, "Sub"), (1, "After")]
    assert rendered.html.count("<pre>") == 2 and "<li>item</li>" in rendered.html
    editor.setPlainText(text)
    assert _marked(editor, "heading1") == ["# Quoted", "# After"]
    assert _marked(editor, "heading2") == ["Sub", "---"]
    assert _marked(editor, "marker") == ["-"]
    assert _marked(editor, "fence") == [
        "> ```bash", "> # code", "> ```", "> ~~~", "> # unclosed code"
    ]  # fmt: skip
    assert _in_combined_document(text).splitlines() == [
        "> #### Quoted",
        "> - item",
        "> ```bash",
        "> # code",
        "> ```",
        "> ##### Sub",
        "> ~~~",
        "> # unclosed code",
        "",
        "#### After",
    ]


def test_the_editor_colours_markdown_links_without_rescanning(editor) -> None:  # type: ignore[no-untyped-def]
    # Each "[" was scanned to the line's end for its "](": 0.7 s a keystroke on a line of
    # 16,000 of them. The text may hold one level of brackets, the address one of parentheses.
    line = "[a [b] c](u) ![i](p.png) [w](https://x.org/Foo_(bar)) [no]( [x](y"
    editor.setPlainText(line + "\n" + "[" * 16_000 + "](u)")
    assert _marked(editor, "link")[:3] == [
        "[a [b] c](u)",
        "![i](p.png)",
        "[w](https://x.org/Foo_(bar))",
    ]
    assert _marked(editor, "link")[3:] == ["[](u)"]  # the last "[" of the second line


def test_a_long_line_of_bold_words_is_merged_near_each_word(editor) -> None:  # type: ignore[no-untyped-def]
    # Each bold or italic span was compared with every span set before it on its line: a
    # line of 4,000 bold words took 0.2 s a keystroke. Now only those near it are looked at.
    line = "**bold** " * 2_000 + "**in [[Link]] bold**"
    editor.setPlainText(line)
    highlighter = editor.highlighter
    assert _formats(editor.document().firstBlock(), editor, "strong")[:2] == ["**bold**"] * 2
    block = editor.document().firstBlock()
    link = next(r for r in block.layout().formats() if r.start == line.index("[[Link]]"))
    assert link.format.fontWeight() >= 600  # the link in bold keeps its colour, bold added
    assert link.format.foreground() == highlighter.formats["link"].foreground()
    highlighter.highlightBlock(line)  # (its index is kept until the next block)
    assert max(map(len, highlighter._spans._stretches.values())) <= 16
