"""CommonMark-style block structure rewritten into the shape Python-Markdown parses alike.

Our users' notes were written for CommonMark renderers: a list may start straight after a text
line and nest by the width of its parent's marker (two spaces), and some notes use ``•``
bullets. Python-Markdown wants a blank line before a list and four spaces per level. So, before
parsing, :func:`normalize` rewrites the line structure (never the contents of code blocks):

* a list may start right after a paragraph line: a blank line is inserted before it;
* nesting follows CommonMark (an item's content starts after its marker, so two spaces nest
  under ``- ``): each level is re-indented to four spaces;
* ``•`` bullets become ``-`` items and ``1)`` becomes ``1.``; a lone ``-`` after an item is an
  empty item;
* unlike CommonMark, a list item has no lazy continuation lines: a line indented less than the
  item's content ends it (see ``_Normalizer.continues_paragraph``);
* a ``Title`` line over ``---`` / ``===`` becomes a heading even inside running text;
* a line starting with ``#tag`` is not a heading;
* Obsidian's comments are left out: a block from a line opening with ``%%`` to the next line
  holding ``%%``, and a line that is nothing but ``%%comments%%``; each stands as a blank line
  between the blocks around it (vault_extension.py drops the ones within a line).

Fenced code keeps its text: an unindented top-level fence's lines are copied unchanged (its
opening line is reduced to the language word, and a missing closing fence is added); a fence
inside a list item becomes the item's indented code block. Indented code keeps its text too
(only the list's own indentation in front of it changes).

A block quote (a callout) is read as a note of its own: its lines without one level of marks
are normalized by the same rules and written back under ``> `` (``_Normalizer.quote_lines``),
so lists, nested lists, headings and quotes in it come out as in the note. A fence in it is
then written ``> ```lang`` … ``> ````, which vault_extension.py renders (Python-Markdown sees
fences only at the top level). A quote in a list item gets a blank line after the item's
text, and one opened on the item's own line (``- > text``) goes on two columns in from the
item's text: the only places Python-Markdown reads it as a quote. Past a few levels, deeper
quotes are left as they are (see _MAX_QUOTE_LEVELS).

The same pass records each heading's source line (for the outline) and the lines where the note
can be cut into independently rendered sections (see sections.py). A long note is normalized in
chunks, each kept between edits (chunks.py); each section is parsed from its slice of the
output. Expects the text as ``prepare`` leaves it (tabs expanded, line ends unified). No Qt.
"""

from __future__ import annotations

import dataclasses
import re
from typing import NamedTuple

from notebook_app.core.markdown.syntax import (
    COMMENT_RE,
    FENCE_OPEN_RE,
    LIST_ITEM_RE,
    QUOTE_MARKS_RE,
    THEMATIC_BREAK_RE,
    atx_heading,
    closes_fence,
    inside_quotes,
    opens_comment,
    quote_depth,
    quote_marks,
)

__all__ = ["HeadingSource", "Normalized", "normalize", "prepare"]

_INDENT = 4  # Python-Markdown's tab_length: the indentation of one nesting level
# Quotes are read level by level, each a note of its own: each level reads its lines again.
# Past this many levels (callouts nest two or three deep) the lines are written as they are,
# as before quotes were read at all, and only their depth is counted (for bounds.py).
_MAX_QUOTE_LEVELS = 8
_LANG_RE = re.compile(r"^\{?\.?([\w#+.-]+)")  # the language word of an info string
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+) *$")
_STX, _ETX = "\u0002", "\u0003"  # Python-Markdown's placeholder marks (markdown.util)


def prepare(text: str, tab_length: int = _INDENT) -> str:
    """What Python-Markdown's NormalizeWhitespace makes of a note's lines, without its two
    trailing blank lines: so line i here is line i of the note, and sections cut the lines the
    parser sees. (Idempotent: preparing again changes nothing.)"""
    text = text.removeprefix("\ufeff")  # a byte-order mark would hide a first-line heading
    # (Each step copies the note only when it has something to change: on a note of 20 MB a
    # copy costs ~10 ms, and this runs on every edit.)
    if _STX in text or _ETX in text:
        text = text.replace(_STX, "").replace(_ETX, "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # (Lines of spaces are left as they are: the normalizer reads them as blank, and Python-
    # Markdown empties any it is given, in fenced code too, as it would have before.)
    return text.expandtabs(tab_length) if "\t" in text else text


class HeadingSource(NamedTuple):
    """A heading found while normalizing: where it is in the original text and its raw text.

    (A tuple of plain values, which the garbage collector stops tracking: a long note has
    hundreds of thousands, kept between edits.)"""

    line: int
    level: int
    text: str


@dataclasses.dataclass(slots=True)
class Normalized:
    lines: list[str]  # what Python-Markdown is given
    headings: list[HeadingSource]  # every heading the normalizer saw, in order
    # Input lines where a section may start (line 0 always), and each one's index in ``lines``.
    boundaries: list[int]
    boundary_out: list[int]
    # For each boundary, how deep lists and block quotes nest from it to the next one.
    depths: list[int]
    # (lines, characters) of the input normalized, when ChunkedNormalizer.normalize ran out of
    # time before the end (None: all of it).
    covered: tuple[int, int] | None = None


def normalize(lines: list[str]) -> Normalized:
    """Normalize a prepared note's lines (see the module's docstring)."""
    normalizer = _Normalizer(lines)
    out = normalizer.run()
    return Normalized(
        out, normalizer.headings, normalizer.boundaries, normalizer.boundary_out, normalizer.depths
    )


@dataclasses.dataclass(slots=True)
class _Fence:
    """An open fenced code block."""

    marker: str  # the opening run of backticks / tildes
    strip: int  # CommonMark removes up to this many leading spaces from each content line
    base: int  # content column of the list item holding it (0 at top level)
    depth: int  # how many list items hold it


@dataclasses.dataclass(slots=True)
class _Item:
    """An open list item: the column its content starts at (CommonMark's rule) and its kind."""

    content_col: int
    ordered: bool
    in_first_paragraph: bool = True


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _escape_hashtag(content: str) -> str:
    """Escape a leading '#' that CommonMark would not read as a heading (``#tag``, ``#######``).

    Python-Markdown makes a heading of any line starting with '#', which turns a note's tags
    into headings.
    """
    if content.startswith("#") and atx_heading(content) is None:
        return "\\" + content
    return content


class _Normalizer:
    """One pass over the lines; see :func:`normalize`.

    ``prev`` is the kind of the previous source line: "blank", "para" (paragraph text, which the
    next line may continue), "quote" (a block-quote line), "empty_item", "code" or "other"
    (heading, rule, fence).
    """

    def __init__(self, lines: list[str], quote_level: int = 0) -> None:
        """``quote_level``: how many quotes hold these lines (see quote_lines)."""
        self.lines = lines
        self.quote_level = quote_level
        self.out: list[str] = []
        self.headings: list[HeadingSource] = []
        self.stack: list[_Item] = []
        self.prev = "blank"
        self.prev_index = -1
        self.fence: _Fence | None = None
        self.comment = False  # inside a %% comment that runs over lines
        # A quote just ended in a block that is not a paragraph (code, a list ended by the
        # quote's end...): the next line is no lazy continuation of it.
        self.after_quote_block = False
        self.skip_to = 0  # lines before this one were read with a quote (see quote_lines)
        # Lines where the note can be cut into independently rendered sections: see
        # starts_section. Line 0 is always one.
        self.boundaries: list[int] = [0]
        self.boundary_out: list[int] = [0]  # for each boundary, its index in the output
        self.depths: list[int] = [0]  # for each boundary, see Normalized.depths
        # (index, line, has "|", first line) of the block scanned last: see block_keeps_headings
        self.block_memo: tuple[int, str, bool, str] | None = None

    # -- output helpers ------------------------------------------------------------------

    def emit(self, content: str, extra: int = 0) -> None:
        """Emit ``content`` (no leading spaces) inside the current innermost list item."""
        self.out.append(" " * (_INDENT * len(self.stack) + extra) + content)

    def blank_before(self) -> None:
        """Separate a new block from the previous line, as Python-Markdown needs."""
        if self.out and self.out[-1].strip(" "):
            self.out.append("")
            self.end_first_paragraphs()

    def end_first_paragraphs(self) -> None:
        # Once a blank line is inside them, the open items hold more than their first block.
        for item in self.stack:
            item.in_first_paragraph = False

    # -- the pass ------------------------------------------------------------------------

    def run(self, final: bool = True) -> list[str]:
        """Normalize the lines; ``final`` False: more lines follow (see chunks.py), so
        an open fence is left open."""
        for index, line in enumerate(self.lines):
            if index < self.skip_to:
                continue  # read with the quote they belong to
            if self.fence is not None and self.fence_line(line):
                pass
            elif self.comment:
                if "%%" in line:  # the line holding "%%" ends it, all hidden, and the comment
                    self.comment = False  # stands as a blank line between what surrounds it
                    self.blank_line()
            elif not line.strip():
                # Unicode-blank too: exports (Notion) leave "\u00a0 " lines where the author saw
                # an empty line, and Python-Markdown drops such blocks anyway.
                self.blank_line()
            else:
                self.text_line(index, line)
            self.prev_index = max(index, self.skip_to - 1)
        if not final:
            if self.after_quote_block:
                self.blank_before()  # what the next chunk's first line adds after the quote
            if self.fence is not None and self.fence.depth:
                # The next chunk's unindented first line closes it: the blank line that adds
                # belongs to this chunk's output, as in a whole pass.
                self.out.append("")
            return self.out
        if self.fence is not None and not self.fence.depth:
            # CommonMark runs an unclosed fence to the end of the note; Python-Markdown would
            # not see a fence at all without its closing line.
            while self.out and not self.out[-1]:
                self.out.pop()
            self.out.extend([self.fence.marker, "", ""])
        return self.out

    def fence_line(self, line: str) -> bool:
        """Handle a line inside a fenced block; False if the line ended it and is not used."""
        fence = self.fence
        assert fence is not None
        indent = _indent_of(line)
        if fence.depth and line.strip() and indent < fence.base:
            # Less indented than its list item: the item ends, and the fence with it.
            self.fence = None
            self.out.append("")
            return False
        if closes_fence(fence.marker, line[fence.base :]):
            self.fence = None
            self.prev = "other"
            # Python-Markdown closes only on the very same fence as the opening one, and needs
            # the block's placeholder to stand alone: a blank line after it.
            self.out.extend([""] if fence.depth else [fence.marker, ""])
            return True
        # Content: only the fence's own indentation is removed (as CommonMark does), so at top
        # level with an unindented fence every line is passed through byte for byte.
        content = line[min(indent, fence.strip) :]
        if fence.depth:
            # Inside a list it becomes an indented code block of that item (see open_fence).
            self.out.append(" " * (_INDENT * (fence.depth + 1)) + content if content else "")
        else:
            self.out.append(content)
        return True

    def blank_line(self) -> None:
        self.out.append("")
        self.prev = "blank"
        self.after_quote_block = False
        self.end_first_paragraphs()

    def text_line(self, index: int, line: str) -> None:
        indent = _indent_of(line)
        content = line[indent:]
        if self.after_quote_block:
            # CommonMark: a line after code (or another block but a paragraph) is no lazy
            # continuation: it starts a block of its own (never a section: see starts_section).
            self.after_quote_block = False
            self.prev = "other"
            self.blank_before()
        if not indent and index and self.starts_section(content):
            self.boundaries.append(index)
            self.boundary_out.append(len(self.out))
            self.depths.append(0)
        opens = content.startswith("%%") and opens_comment(content)
        if opens or content.startswith("%%") and not COMMENT_RE.sub("", content).strip():
            # A comment's first line, or a line of nothing but comments: left out (a section
            # may start at it, as a chunk may), though it ends the list items it is not
            # indented into, as any line does. A comment stands as a blank line.
            self.block_after_list(self.close_items(indent))
            self.comment = opens
            if not opens:
                self.blank_line()
            return
        if self.prev in ("para", "quote"):
            if self.prev == "para" and not self.stack and _SETEXT_RE.match(line):
                self.setext_underline(content)
                return
            if self.continues_paragraph(indent, content):
                # Its indentation means nothing to CommonMark: put the line where
                # Python-Markdown expects the paragraph's lines.
                self.emit(_escape_hashtag(content))
                return
        popped = self.close_items(indent)
        base = self.stack[-1].content_col if self.stack else 0
        relative = indent - base
        if relative >= 4:
            self.indented_code(line, base)
        elif FENCE_OPEN_RE.match(content) and self.open_fence(content, indent):
            pass
        elif THEMATIC_BREAK_RE.match(content):
            self.block_after_list(popped)
            self.emit(content)
            self.prev = "other"
        elif (marker := LIST_ITEM_RE.match(content)) is not None:
            self.list_item(index, marker, indent, popped)
        elif (atx := atx_heading(content)) is not None:
            self.block_after_list(popped)
            self.headings.append(HeadingSource(index, atx[0], atx[1]))
            self.emit(content)
            self.prev = "other"
        else:
            self.paragraph_line(index, content, popped)

    def starts_section(self, content: str) -> bool:
        """True when this unindented line (outside any fence) can start an independent section.

        That is when normalizing and parsing from here on, as if the note began here, gives the
        same output as the whole note does: nothing before the line can reach past it. It must
        begin a new top-level block that Python-Markdown never attaches to the one before:

        * not a list item (it would continue the list before it, or make it loose) and not a
          block quote (a quote ends at a blank line, as in CommonMark: vault_extension.py;
          but it continues lazily, and never cutting at one is the simple safe rule);
        * separated from the previous block: after a blank line, or closing open list items
          (the normalizer then inserts a blank line itself);
        * or an ATX heading right under a top-level paragraph or heading: Python-Markdown
          splits such a block at the heading, unless a processor that runs before its heading
          processor takes the whole block (see block_keeps_headings) or it is a quote.
        """
        if content.startswith(">") or LIST_ITEM_RE.match(content):
            return False
        if self.prev == "blank" or self.stack:
            return True
        if self.prev in ("para", "other") and atx_heading(content) is not None:
            return not self.block_keeps_headings()
        return False

    def block_keeps_headings(self) -> bool:
        """True if the output's current block (since its last blank line) would keep a heading
        line added to it: a table (every later line is a row) or an indented block (after a
        list, Python-Markdown puts the whole block into the last item)."""
        out = self.out
        has_pipe, first = False, ""
        memo = self.block_memo
        for index in range(len(out) - 1, -1, -1):
            line = out[index]
            if not line:
                break
            if memo is not None and index == memo[0] and line is memo[1]:
                # Scanned before: the rest of the block up to here is unchanged (lines are only
                # ever replaced by popping them), so its answer holds.
                has_pipe, first = has_pipe or memo[2], memo[3]
                break
            has_pipe = has_pipe or "|" in line
            first = line
        if out and out[-1]:
            # A run of headings is one block: without this, each walked back over all of them.
            self.block_memo = (len(out) - 1, out[-1], has_pipe, first)
        return has_pipe or first.startswith(" ")

    def continues_paragraph(self, indent: int, content: str) -> bool:
        """True when a line after paragraph text is more of that paragraph.

        Deliberately stricter than CommonMark inside list items: a line indented less than the
        item's content ends the item instead of continuing it lazily. Notes written line by
        line put a section title right under a list ("- last point" then "Next section"), and
        CommonMark would glue every such title onto the last bullet.
        """
        if self.stack and indent < self.stack[-1].content_col:
            return False
        return not self.interrupts_paragraph(indent, content)

    def interrupts_paragraph(self, indent: int, content: str) -> bool:
        """True when a line after paragraph text starts a new block instead of continuing it."""
        base = self.stack[-1].content_col if self.stack else 0
        if indent - base >= 4:
            return False  # indented code cannot interrupt a paragraph
        if FENCE_OPEN_RE.match(content) or THEMATIC_BREAK_RE.match(content):
            return True
        if atx_heading(content) is not None or content.startswith(">"):
            return True
        marker = LIST_ITEM_RE.match(content)
        if marker is None:
            return False
        if self.stack and indent < base:
            return True  # a sibling or an outer item: closes the current item
        # A new list may interrupt a paragraph only if it is non-empty and, when ordered,
        # starts at 1 (so "1984. was a year" in running text stays text).
        if not marker.group("rest").strip(" "):
            return False
        return marker.group("number") is None or int(marker.group("number")) == 1

    def close_items(self, indent: int) -> list[_Item]:
        """Close the items this line is not indented enough to belong to; return them."""
        popped: list[_Item] = []
        while self.stack and indent < self.stack[-1].content_col:
            popped.append(self.stack.pop())
        return popped

    def block_after_list(self, popped: list[_Item]) -> None:
        # Without a blank line Python-Markdown would glue this block onto the closed item.
        if popped:
            self.blank_before()

    def setext_underline(self, content: str) -> None:
        """The previous top-level paragraph line is a heading (``Title`` over ``---``/``===``).

        Only that one line becomes the heading (CommonMark would take the whole paragraph):
        notes written as plain text lines rely on this, and it is what Python-Markdown does.
        """
        title = self.out.pop().strip(" ")
        self.blank_before()
        self.out.append(title)
        self.out.append(content.rstrip(" "))
        level = 1 if content.startswith("=") else 2
        self.headings.append(HeadingSource(self.prev_index, level, title))
        self.prev = "other"

    def indented_code(self, line: str, base: int) -> None:
        if self.stack:
            # Keep the code's own indentation, shifted to this item's Python-Markdown column.
            self.emit(line[base:].lstrip(" "), extra=_indent_of(line) - base)
        else:
            self.out.append(line)
        self.prev = "code"

    def open_fence(self, content: str, indent: int) -> bool:
        """Start a fenced block, in the form Python-Markdown understands.

        Python-Markdown knows fences only at column 0, with an info string of one word, and
        not inside list items. So the opening line is re-emitted as ``<fence><lang>`` at column
        0; inside a list item the block becomes an indented code block of the item whose
        first line is CodeHilite's ``:::lang`` marker.
        """
        match = FENCE_OPEN_RE.match(content)
        assert match is not None
        marker, info = match.group("marker"), match.group("info").strip(" ")
        if marker[0] == "`" and "`" in info:
            return False  # not a fence: CommonMark forbids backticks in a backtick info string
        lang_match = _LANG_RE.match(info)
        lang = lang_match.group(1) if lang_match else ""
        depth = len(self.stack)
        base = self.stack[-1].content_col if self.stack else 0
        self.fence = _Fence(marker=marker, strip=indent, base=base, depth=depth)
        self.prev = "other"
        self.blank_before()  # for either form the block must not join the paragraph before it
        if depth:
            self.out.append(" " * (_INDENT * (depth + 1)) + ":::" + (lang or "text"))
        else:
            self.out.append(marker + lang)
        return True

    def list_item(
        self, index: int, marker: re.Match[str], indent: int, popped: list[_Item]
    ) -> None:
        ordinal = marker.group("number")
        ordered = ordinal is not None
        text = marker.group("rest")
        spaces = len(marker.group("space"))
        width = len(marker.group("marker"))
        # CommonMark: content starts after the marker and its spaces, unless there are 5+
        # spaces (then the content is indented code and the content column is marker + 1).
        content_col = indent + width + (spaces if 1 <= spaces <= 4 and text else 1)
        sibling = bool(popped) and popped[-1].ordered == ordered
        if sibling and not all(item.in_first_paragraph for item in popped):
            # The closed item went on past a blank line (a second paragraph, code): without a
            # blank line Python-Markdown would read this marker as text of that last block.
            self.blank_before()
        elif not sibling:
            parent = self.stack[-1] if self.stack else None
            if popped or parent is None or not parent.in_first_paragraph:
                # A new list: Python-Markdown needs a blank line before it, except directly
                # under its parent item's first line(s), where it nests without one.
                self.blank_before()
        bullet = marker.group("marker")
        symbol = f"{ordinal}." if ordered else ("-" if bullet == "\u2022" else bullet)
        text = text.strip(" ")
        atx = atx_heading(text)
        if atx is not None:
            self.headings.append(HeadingSource(index, atx[0], atx[1]))
        quoted = QUOTE_MARKS_RE.match(text) is not None
        if not quoted:
            self.emit(f"{symbol} {_escape_hashtag(text)}")
        self.stack.append(_Item(content_col=content_col, ordered=ordered))
        self.depths[-1] = max(self.depths[-1], len(self.stack))
        self.prev = "para" if text else "empty_item"
        if quoted:
            self.quote_lines(index, first=text, symbol=symbol)  # "- > text" and its lines

    def paragraph_line(self, index: int, content: str, popped: list[_Item]) -> None:
        """A line of text, or the first line of a block quote."""
        self.block_after_list(popped)
        if QUOTE_MARKS_RE.match(content):
            if self.stack and self.prev == "para":
                # A quote under an item's text: without a blank line Python-Markdown would keep
                # its marks as text of the item's paragraph.
                self.blank_before()
            self.quote_lines(index)
        else:
            self.emit(_escape_hashtag(content))
            self.prev = "para"

    def quote_lines(self, index: int, first: str | None = None, symbol: str = "") -> None:
        """The block quote starting at line ``index``, and its lines after it (each with the
        quote's marks, at the first one's indentation, up to a blank line), normalized as a
        note of their own and written back under one level of marks ("> "). So a quote holds
        what a note does: lists after a line of text, nested lists, fences (written as
        ``> ```lang`` … ``> ````, which vault_extension.py renders), quotes in it.

        ``first``: the text of the list item (its marker ``symbol``) whose own line opened the
        quote (``- > text``); its lines below sit at the item's content column."""
        if first is None:
            indent, start, inner = _indent_of(self.lines[index]), index, []
        else:
            indent, start = self.stack[-1].content_col, index + 1
            inner = [inside_quotes(first, 1) or ""]
        end = start
        for line in self.lines[start:]:
            rest = inside_quotes(line[indent:], 1) if line.strip() else None
            if rest is None or line[:indent].strip(" "):
                break
            inner.append(rest)
            end += 1
        self.skip_to = end
        # Quotes that hold every line of this one are read with it, in one pass (a note of
        # quotes 30 deep is then read twice, not 30 times).
        depths = [quote_depth(quote_marks(line)) for line in inner]
        levels = 1 + min(depths, default=0)
        nested: _Normalizer | None = None
        if self.quote_level + levels > _MAX_QUOTE_LEVELS:
            out, prefix = inner, "> "  # written as they are
            self.depths[-1] = max(self.depths[-1], 1 + max(depths, default=0))
        else:
            if levels > 1:
                inner = [inside_quotes(line, levels - 1) or "" for line in inner]
            nested = _Normalizer(inner, self.quote_level + levels)
            out, prefix = nested.run(), "> " * levels
            while out and not out[-1]:
                out.pop()

        def quoted(line: str) -> str:
            return prefix + line if line else prefix.rstrip()

        if first is None:
            for line in out:
                self.emit(quoted(line))
        else:
            # The item's line holds the quote's first line, unless that opens a fence (which
            # must start a line of its own). Python-Markdown reads the quote's next lines only
            # with their marks at most three spaces in from the item's text.
            head = out[0] if out and not FENCE_OPEN_RE.match(out[0]) else None
            item_line = f"{symbol} {quoted(head or '')}"
            self.out.append(" " * (_INDENT * (len(self.stack) - 1)) + item_line)
            for line in out[1:] if head is not None else out:
                self.emit(quoted(line), extra=2 - _INDENT)
        self.prev = "quote"
        self.after_quote_block = False
        if nested is None:
            return
        self.headings += [HeadingSource(index + h.line, h.level, h.text) for h in nested.headings]
        self.depths[-1] = max(self.depths[-1], levels + max(nested.depths))
        # A paragraph at its end may go on lazily (CommonMark), never as the text of a setext
        # heading; anything else there ends the quote for the next line.
        lazy = nested.prev == "para" or (nested.prev == "quote" and not nested.after_quote_block)
        self.after_quote_block = not lazy
