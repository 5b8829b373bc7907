"""The markdown syntax the app recognises, defined once.

The renderer (core/markdown), the editor's list continuation and highlighting (gui/), quick
capture and import (core/formats) all read list items, task boxes, ``#tags``, ``[[links]]``,
headings and fences with these definitions, so a line means the same thing everywhere
(tests/test_syntax.py feeds the same lines to each of them). No Qt, no Markdown import: the
editor loads this at start-up.

The rules, as CommonMark and Obsidian write them, with our choices where they differ:

* **List item**: optional indentation, a bullet (``-``, ``*``, ``+`` or ``•``, which Notion
  exports use) or an ordinal (1-9 digits then ``.`` or ``)``), then spaces or the end of the
  line, then the item's text.
* **Task box**: ``[ ]``, ``[x]`` or ``[X]`` at the start of a list item's text, followed by a
  space.
* **Heading** (ATX): 1-6 ``#`` then a space or the end of the line, so ``#tag`` is not one.
  **Setext**: a line of text over a line of ``=`` (level 1) or ``-`` (level 2); as the renderer
  reads it, only the one line above is the heading (:func:`setext_level`).
* **Fence**: three or more backticks or tildes, indented at most 3 spaces (from its list item's
  content); it is closed by a run of the same character at least as long, with only spaces
  or tabs after it.
* **Tag**: ``#`` at the start of the text or after whitespace, then letters or digits of any
  script, ``_`` and ``-``, with ``/`` for nesting (``#ml/rl``) and ``.`` inside a tag
  (``#gpt4.5``, ``#python3.12``): a ``.`` or ``/`` counts only between two such characters, so a
  sentence's final ``.`` is punctuation (``#ml.`` is ``ml``). A tag has at least one letter
  (``#1984`` and ``#1-2`` are not tags, as in Obsidian; ``C#`` neither, no space before ``#``),
  and is not read inside code (fenced blocks, ``code spans``). Obsidian ends a tag at ``.``; we
  keep version numbers whole. Emoji are tag characters, as in Obsidian, and count as the
  character that is not a digit: ``#🌲``, ``#0🌲`` and ``#🤖-safety`` are tags (with their
  joiners and modifiers: ``#👩‍🔬``, ``#👍🏽``, ``#✅️``). :data:`TAG_CHARS` is the class both
  this rule and stored tags (``model/entry.py``) use.
  Logseq's tag of several words, ``#[[deep learning]]``, is a tag too (stored as
  ``deep-learning``: a space in a tag becomes ``-``), as well as the page link it shows as.
* **Fence close**: readers that do not follow list items' columns (the highlighter, the link
  and tag readers) open a fence at any indentation and close it the same way
  (:func:`closes_fence_at_any_indent`); the renderer measures from the item's column.
* **Wiki link**: ``[[`` and ``]]`` around one line with no unescaped bracket (a backslash escapes
  the next character), at most :data:`WIKI_LINK_MAX_INNER` characters inside. What the inside
  means (target, ``#heading``, ``|shown text``, which insides are no link) is read by
  ``core/links/wikilinks.py``, which every reader of links asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = [
    "ATX_HEADING_RE",
    "BLOCK_ID_RE",
    "LOGSEQ_BOOKKEEPING_RE",
    "COMMENT_RE",
    "BULLETS",
    "FENCE_OPEN_RE",
    "HIGHLIGHT_RE",
    "INLINE_SYNTAX_RE",
    "LINE_LEAD_RE",
    "QUOTE_MARKS_RE",
    "STRIKE_RE",
    "LIST_ITEM_RE",
    "TAG_CHARS",
    "TAG_RE",
    "THEMATIC_BREAK_RE",
    "TASK_BOX_RE",
    "WIKI_LINK_INNER",
    "WIKI_LINK_MAX_INNER",
    "WIKI_LINK_OR_EMBED_RE",
    "WIKI_LINK_RE",
    "atx_heading",
    "closes_fence",
    "closes_fence_at_any_indent",
    "code_spans",
    "fence_opening",
    "heading_line",
    "inside_quotes",
    "setext_level",
    "is_tag_text",
    "list_item",
    "opens_comment",
    "quote_depth",
    "quote_marks",
    "tag_matches",
    "tags_in",
]

BULLETS = "-*+\u2022"  # • is read as "-"

# groups: indent, marker (bullet, or number + delim), space (empty at the end of the line), rest
LIST_ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+\u2022]|(?P<number>\d{1,9})(?P<delim>[.)]))"
    r"(?P<space>[ \t]+|$)(?P<rest>.*)$"
)
# What opens a line without being its text: quote marks, then a list marker (and its task box)
# or a heading's marks. Readers that show a line as text (search excerpts, the sentences of
# mentions) drop it; it may match nothing.
LINE_LEAD_RE = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+\u2022]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?|#{1,6}[ \t]+)?",
    re.MULTILINE,
)
# ==Highlighted== and ~~struck~~ text (Obsidian's and GitHub's marks): no space just inside
# the marks, no line break between them. The renderer's inline processors take the patterns
# (vault_extension.py), the editor's highlighter the compiled ones.
# Every character (or sequence) at which one of the renderer's inline patterns can start:
# backslash escapes, code spans, links / images / footnote refs, autolinks, entities, emphasis,
# Python-Markdown's stash placeholders (STX), highlights, strikethrough, block ids, comments,
# bare URLs and Logseq's bookkeeping properties (vault_extension.py): text without any is plain
# (extensions.py), and how many a paragraph holds bounds what it costs (bounds.py).
# tests/test_rendering.py pins the inline patterns this was written for.
INLINE_SYNTAX_RE = re.compile(r"[\\`\[<&*_\u0002]|==|~~|%%|\s\^|://|www\.|::")
HIGHLIGHT_RE = re.compile(r"==(?![\s=])(?P<text>(?:[^=\n]|=(?!=))+?)(?<!\s)==")
STRIKE_RE = re.compile(r"~~(?![\s~])(?P<text>(?:[^~\n]|~(?!~))+?)(?<!\s)~~")
# An Obsidian block id at a line's end ("A claim. ^claim-1"), which [[Note#^claim-1]] links to:
# the preview hides it, as Obsidian does, and so do excerpts.
BLOCK_ID_RE = re.compile(r"(?<=\s)\^(?P<id>[A-Za-z0-9-]+)(?=[ \t]*(?:\n|$))")
# Logseq's bookkeeping properties of a block, each a line of its own under the block's first
# line ("  id:: 64a1b2c3-...", "collapsed:: true", a flashcard's "card-next-schedule:: ..."):
# Logseq does not show them, and neither do the preview and excerpts. The line break before
# one goes with it. A page's own properties (tags::, alias::...) are text the user wrote.
LOGSEQ_BOOKKEEPING_RE = re.compile(
    r"(?:^|\n)[ \t]*(?:id|collapsed|heading|background-color|card-[\w-]+)::(?:[ \t][^\n]*)?"
    r"(?=\n|$)"
)
# Obsidian's comments: %%inline%% within a line, or a block from a line that opens with "%%"
# to the next line holding "%%". The preview leaves them out; export and sync keep the text.
COMMENT_RE = re.compile(r"%%.*?%%")
# The quote marks a line opens with: "> ", "> > " (each after up to three spaces, with one
# optional space after it). What follows them is read as a line of its own: a heading, a list
# item, a fence.
QUOTE_MARKS_RE = re.compile(r"^(?: {0,3}> ?)+")
# At the start of a list item's text (LIST_ITEM_RE's "rest").
TASK_BOX_RE = re.compile(r"^\[(?P<state>[ xX])\](?P<space>[ \t]+)")
# groups: hashes, text (None when empty); a closing run of '#' is not part of the text.
ATX_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_ATX_BARE_CLOSE_RE = re.compile(r"^#+$")
_SETEXT_UNDERLINE_RE = re.compile(r"^ {0,3}(?:(?P<one>=+)|-+)[ \t]*$")
# On a line already dedented by its list item's content column; groups: indent, marker, info.
FENCE_OPEN_RE = re.compile(r"^(?P<indent> {0,3})(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
# "---", "* * *", "___": a rule, not a list item, although "- - -" starts like one.
THEMATIC_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# The inside of a link, on one line: runs of anything but a backslash, a bracket or a line end,
# each escape (a backslash and any character) between them. Written as an unrolled loop that
# starts with the literal "[[", so the engine jumps from one "[[" to the next and never
# backtracks; an embed's "!" is looked for before the match. Longer than WIKI_LINK_MAX_INNER is
# no link: that bounds what a pathological line costs its readers.
WIKI_LINK_MAX_INNER = 1000
WIKI_LINK_INNER = r"(?P<inner>[^\\\[\]\n]*(?:\\[^\n][^\\\[\]\n]*)*)"
WIKI_LINK_RE = re.compile(r"\[\[" + WIKI_LINK_INNER + r"\]\]")
# The same with an embed's "!" in the match (the group "bang"), for readers that replace links.
WIKI_LINK_OR_EMBED_RE = re.compile(r"(?P<bang>!?)" + WIKI_LINK_RE.pattern)

# Emoji and the symbols people tag with (pictographs, dingbats, arrows, shapes) and the
# characters that build emoji sequences (zero-width joiner, variation selector, keycap, tag
# characters of subdivision flags). Python's re has no \p{Extended_Pictographic}: the ranges
# are Unicode's blocks that hold it.
_PICTOGRAPHS = (
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d"
    "\u3297\u3299\U0001f000-\U0001faff"
)
_EMOJI_JOINERS = "\u200d\u20e3\ufe0e\ufe0f\U000e0020-\U000e007f"
TAG_CHARS = rf"\w{_PICTOGRAPHS}{_EMOJI_JOINERS}"
"""A regex character class's contents: what a tag segment is made of (with ``-``)."""
_PICTOGRAPH_RE = re.compile(f"[{_PICTOGRAPHS}]")
_WORD = rf"[{TAG_CHARS}]"  # a letter or digit of any script, "_", or emoji
_SEGMENT = rf"{_WORD}(?:{_WORD}|-)*"
TAG_RE = re.compile(rf"(?:(?<=\s)|^)#(?P<tag>{_SEGMENT}(?:[./]{_SEGMENT})*)")
# Logseq's "#[[several words]]": the words are the tag's (the brackets hold a wiki link's text).
_BRACKET_TAG_RE = re.compile(
    rf"(?:(?<=\s)|^)#\[\[(?P<tag>{_WORD}(?:[{TAG_CHARS} ./-]*{_WORD})?)\]\]"
)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def list_item(line: str) -> re.Match[str] | None:
    """The list item ``line`` starts, if any (see LIST_ITEM_RE for its groups); a thematic
    break (``- - -``) is not one."""
    match = LIST_ITEM_RE.match(line)
    if match is None or THEMATIC_BREAK_RE.match(line.lstrip(" \t")):
        return None
    return match


def atx_heading(content: str) -> tuple[int, str] | None:
    """(level, text) when ``content`` (already dedented) is an ATX heading; ``# #`` is empty."""
    match = ATX_HEADING_RE.match(content)
    if match is None:
        return None
    text = match.group("text") or ""
    if _ATX_BARE_CLOSE_RE.match(text):
        text = ""
    return len(match.group("hashes")), text


def heading_line(line: str) -> tuple[int, int, str] | None:
    """(indent, level, text) when ``line`` is an ATX heading, indented at most 3 spaces."""
    indent = len(line) - len(line.lstrip(" "))
    heading = atx_heading(line[indent:]) if indent <= 3 else None
    return None if heading is None else (indent, *heading)


def setext_level(underline: str, above: str) -> int | None:
    """1 (``===``) or 2 (``---``) when ``underline`` makes the line ``above`` it a setext
    heading: ``above`` is a line of text, not blank, indented code, a list item, a quote, a
    heading or a fence (``---`` under a list item or a blank line is a rule)."""
    match = _SETEXT_UNDERLINE_RE.match(underline)
    if match is None or not above.strip() or len(above) - len(above.lstrip(" ")) > 3:
        return None
    if above.lstrip().startswith(">") or list_item(above) or heading_line(above):
        return None
    if fence_opening(above) is not None:
        return None
    return 1 if match.group("one") else 2


def closes_fence(marker: str, content: str) -> bool:
    """True when ``content`` (dedented as its opening line was) closes a fence opened by
    ``marker``: a run of the same character, at least as long, indented at most 3 spaces and
    followed by nothing but spaces or tabs."""
    stripped = content.rstrip(" \t").lstrip(" ")
    return (
        len(content) - len(content.lstrip(" ")) <= 3
        and len(stripped) >= len(marker)
        and stripped == marker[0] * len(stripped)
    )


def closes_fence_at_any_indent(marker: str, line: str) -> bool:
    """:func:`closes_fence` for a reader that opens fences at any indentation
    (:func:`fence_opening`): a list item's closing line may sit at its item's column."""
    return closes_fence(marker, line.lstrip(" \t"))


def _is_tag(tag: str) -> bool:
    """At least one character that is not a digit (a letter or an emoji): ``#1984`` is not
    a tag, ``#y1984`` and ``#0🌲`` are."""
    return any(ch.isalpha() for ch in tag) or _PICTOGRAPH_RE.search(tag) is not None


def is_tag_text(tag: str) -> bool:
    """Whether a tag's text (without ``#``) holds what a tag must (see :func:`_is_tag`)."""
    return _is_tag(tag)


def tag_matches(line: str) -> Iterator[re.Match[str]]:
    """Each ``#tag`` in one line of text outside code spans, in order (the match's "tag"
    group: ``deep learning`` for Logseq's ``#[[deep learning]]``)."""
    if "#" not in line:  # most lines of a note: no look for code spans or tags at all
        return
    spans = code_spans(line)
    found: Iterable[re.Match[str]] = TAG_RE.finditer(line)
    if "#[[" in line:
        found = sorted([*found, *_BRACKET_TAG_RE.finditer(line)], key=lambda match: match.start())
    for match in found:
        if _is_tag(match.group("tag")) and not any(a <= match.start() < b for a, b in spans):
            yield match


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each ``code span`` in ``line`` (none without a backtick: most lines)."""
    return [match.span() for match in _CODE_SPAN_RE.finditer(line)] if "`" in line else []


def opens_comment(line: str) -> bool:
    """Whether ``line`` (its indentation aside) opens a comment that goes on to a later line."""
    text = line.lstrip(" ")
    return text.startswith("%%") and "%%" not in text[2:]


def quote_marks(line: str) -> str:
    """The quote marks ``line`` opens with (``"> "``, ``"> > "``), or ``""`` outside a quote."""
    marks = QUOTE_MARKS_RE.match(line)
    return marks.group() if marks else ""


def quote_depth(marks: str) -> int:
    """How many quotes the marks (see quote_marks) open: ``> >`` is two."""
    return marks.count(">")


def inside_quotes(line: str, depth: int) -> str | None:
    """What ``line`` holds inside ``depth`` levels of quote marks (deeper marks stay in it), or
    None when it is not quoted that deep: the quote ended before it."""
    rest = line
    for _level in range(depth):
        mark = _ONE_QUOTE_MARK_RE.match(rest)
        if mark is None:
            return None
        rest = rest[mark.end() :]
    return rest


_ONE_QUOTE_MARK_RE = re.compile(r" {0,3}> ?")


def fence_opening(line: str) -> str | None:
    """The marker of the fence ``line`` opens, or None; at any indentation, since list items
    hold fences too (the renderer also checks the column against the item's)."""
    match = FENCE_OPEN_RE.match(line.lstrip(" \t"))
    if match is None:
        return None
    marker = match.group("marker")
    if marker[0] == "`" and "`" in match.group("info"):
        return None  # CommonMark: no backtick in a backtick fence's info string
    return marker


def tags_in(text: str) -> list[str]:
    """Every ``#tag`` in ``text`` in order (repeats kept), skipping fenced code blocks."""
    tags: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        if fence is not None:
            if closes_fence_at_any_indent(fence, line):
                fence = None
        elif (fence := fence_opening(line)) is None:
            tags.extend(match.group("tag") for match in tag_matches(line))
    return tags
