"""Markdown to HTML: the one place a note's text becomes HTML (for the preview and for export).

Used by the Qt preview (a ``QTextBrowser``, which understands only simple HTML4 and a CSS 2.1
subset, so the output is plain tags plus classes: no scripts, no inline styles, no form inputs)
and by export. No Qt in this module.

What it adds on top of Python-Markdown:

* **CommonMark-style lists.** Our users' notes were written for CommonMark renderers: a list
  may start straight after a text line and nest by the width of its parent's marker (two
  spaces), and some notes use ``•`` bullets. Python-Markdown wants a blank line before a list
  and four spaces per level, so :func:`normalize_commonmark` rewrites the line structure
  (never the contents of code blocks) before parsing.
* **Headings with source lines.** :attr:`RenderedMarkdown.headings` lists every heading with
  its anchor id and its 0-based line in the original text, so an outline can jump the editor.
* **Safety.** Raw HTML in a note is shown as text, never passed through; images may only come
  from ``nbres:``, ``attachment:``, ``data:image/...`` or relative paths (anything that could
  reach the network or an arbitrary local file becomes a ``span.blocked-image`` with the alt
  text). Link targets are kept as written: what a click does is the Qt layer's decision.
* **Task lists** (``- [ ]`` / ``- [x]``) become ☐ / ☑ glyphs, since QTextBrowser has no inputs.

Threads: a :class:`MarkdownRenderer` wraps one ``markdown.Markdown`` instance, which is not
thread-safe, so a renderer belongs to one thread. :func:`render_markdown` keeps one per thread.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import html
import itertools
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterator

import markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import slugify_unicode, unique
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

__all__ = [
    "Heading",
    "MarkdownRenderer",
    "RenderedMarkdown",
    "image_source_allowed",
    "normalize_commonmark",
    "render_markdown",
    "split_sections",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Heading:
    """One heading of a rendered note, in document order."""

    level: int  # 1..6
    text: str  # plain text, as shown in an outline
    anchor: str  # the id attribute on the heading element (QTextBrowser.scrollToAnchor)
    line: int  # 0-based line of the heading text in the original markdown (lines split on \n)


@dataclasses.dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    html: str
    headings: list[Heading]
    # The HTML of each section, in order ("\n".join(sections) == html): see render_sectioned.
    sections: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# CommonMark-style structure -> Python-Markdown structure
# --------------------------------------------------------------------------------------------

_INDENT = 4  # Python-Markdown's tab_length: the indentation of one nesting level
_BULLET = "\u2022"  # •

# A list marker: bullet (- * + •) or ordinal (1. / 1)), then spaces or the end of the line.
_MARKER_RE = re.compile(r"^( *)([-*+\u2022]|(\d{1,9})[.)])( +|$)(.*)$")
_FENCE_OPEN_RE = re.compile(r"^( *)(`{3,}|~{3,})(.*)$")
_LANG_RE = re.compile(r"^\{?\.?([\w#+.-]+)")  # the language word of an info string
_THEMATIC_BREAK_RE = re.compile(r"^ *([-*_])(?: *\1){2,} *$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+) *$")
_ATX_RE = re.compile(r"^(#{1,6})(?: +(.*?))?(?: +#+)? *$")
_ATX_BARE_CLOSE_RE = re.compile(r"^#+$")
_BLOCKQUOTE_PREFIX_RE = re.compile(r"^(?: {0,3}> ?)+")


@dataclasses.dataclass(slots=True)
class _HeadingSource:
    """A heading found while normalizing: where it is in the original text and its raw text."""

    line: int
    level: int
    text: str


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


def _atx_text(content: str) -> tuple[int, str] | None:
    """(level, text) when ``content`` (already dedented) is a CommonMark ATX heading."""
    match = _ATX_RE.match(content)
    if not match:
        return None
    text = match.group(2) or ""
    if _ATX_BARE_CLOSE_RE.match(text):  # "# #" is an empty heading
        text = ""
    return len(match.group(1)), text


def _escape_hashtag(content: str) -> str:
    """Escape a leading '#' that CommonMark would not read as a heading (``#tag``, ``#######``).

    Python-Markdown makes a heading of any line starting with '#', which turns a note's tags
    into headings.
    """
    if content.startswith("#") and _atx_text(content) is None:
        return "\\" + content
    return content


class _Normalizer:
    """One pass over the lines; see :func:`normalize_commonmark`.

    ``prev`` is the kind of the previous source line: "blank", "para" (paragraph text, which the
    next line may continue), "quote" (a block-quote line), "empty_item", "code" or "other"
    (heading, rule, fence).
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.out: list[str] = []
        self.headings: list[_HeadingSource] = []
        self.stack: list[_Item] = []
        self.prev = "blank"
        self.prev_index = -1
        self.fence: _Fence | None = None
        # Lines where the note can be cut into independently rendered sections: see
        # starts_section. Line 0 is always one.
        self.boundaries: list[int] = [0]
        self.boundary_out: list[int] = [0]  # for each boundary, its index in the output

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

    def run(self) -> list[str]:
        for index, line in enumerate(self.lines):
            if self.fence is not None and self.fence_line(line):
                pass
            elif not line.strip():
                # Unicode-blank too: exports (Notion) leave "\u00a0 " lines where the author saw
                # an empty line, and Python-Markdown drops such blocks anyway.
                self.blank_line()
            else:
                self.text_line(index, line)
            self.prev_index = index
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
        stripped = line.strip(" ")
        if (
            indent - fence.base <= 3
            and stripped
            and set(stripped) == {fence.marker[0]}
            and (len(stripped) >= len(fence.marker))
        ):
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
        self.end_first_paragraphs()

    def text_line(self, index: int, line: str) -> None:
        indent = _indent_of(line)
        content = line[indent:]
        if not indent and index and self.starts_section(content):
            self.boundaries.append(index)
            self.boundary_out.append(len(self.out))
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
        elif _FENCE_OPEN_RE.match(content) and self.open_fence(content, indent):
            pass
        elif _THEMATIC_BREAK_RE.match(content):
            self.block_after_list(popped)
            self.emit(content)
            self.prev = "other"
        elif (marker := _MARKER_RE.match(content)) is not None:
            self.list_item(index, marker, indent, popped)
        elif (atx := _atx_text(content)) is not None:
            self.block_after_list(popped)
            self.headings.append(_HeadingSource(index, atx[0], atx[1]))
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
          block quote (Python-Markdown merges a quote into a quote before it, even across a
          blank line, and continues a quote lazily);
        * separated from the previous block: after a blank line, or closing open list items
          (the normalizer then inserts a blank line itself);
        * or an ATX heading right under a top-level paragraph or heading: Python-Markdown
          splits such a block at the heading, unless a processor that runs before its heading
          processor takes the whole block (see block_keeps_headings) or it is a quote.
        """
        if content.startswith(">") or _MARKER_RE.match(content):
            return False
        if self.prev == "blank" or self.stack:
            return True
        if self.prev in ("para", "other") and _atx_text(content) is not None:
            return not self.block_keeps_headings()
        return False

    def block_keeps_headings(self) -> bool:
        """True if the output's current block (since its last blank line) would keep a heading
        line added to it: a table (every later line is a row) or an indented block (after a
        list, Python-Markdown puts the whole block into the last item)."""
        first = ""
        for line in reversed(self.out):
            if not line:
                break
            if "|" in line:
                return True
            first = line
        return first.startswith(" ")

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
        if _FENCE_OPEN_RE.match(content) or _THEMATIC_BREAK_RE.match(content):
            return True
        if _atx_text(content) is not None or content.startswith(">"):
            return True
        marker = _MARKER_RE.match(content)
        if marker is None:
            return False
        if self.stack and indent < base:
            return True  # a sibling or an outer item: closes the current item
        # A new list may interrupt a paragraph only if it is non-empty and, when ordered,
        # starts at 1 (so "1984. was a year" in running text stays text).
        if not marker.group(5).strip(" "):
            return False
        return marker.group(3) is None or int(marker.group(3)) == 1

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
        self.headings.append(_HeadingSource(self.prev_index, level, title))
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
        match = _FENCE_OPEN_RE.match(content)
        assert match is not None
        marker, info = match.group(2), match.group(3).strip(" ")
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
        ordinal = marker.group(3)
        ordered = ordinal is not None
        text = marker.group(5)
        spaces = len(marker.group(4))
        width = len(marker.group(2))
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
        bullet = marker.group(2)
        symbol = f"{ordinal}." if ordered else ("-" if bullet == _BULLET else bullet)
        text = text.strip(" ")
        atx = _atx_text(text)
        if atx is not None:
            self.headings.append(_HeadingSource(index, atx[0], atx[1]))
        self.emit(f"{symbol} {_escape_hashtag(text)}")
        self.stack.append(_Item(content_col=content_col, ordered=ordered))
        self.prev = "para" if text else "empty_item"

    def paragraph_line(self, index: int, content: str, popped: list[_Item]) -> None:
        self.block_after_list(popped)
        quoted = _BLOCKQUOTE_PREFIX_RE.match(content)
        if quoted:
            # Python-Markdown reads headings inside block quotes too: record them.
            atx = _atx_text(content[quoted.end() :])
            if atx is not None:
                self.headings.append(_HeadingSource(index, atx[0], atx[1]))
            self.emit(content)
            self.prev = "quote"  # lazily continued, but never the text of a setext heading
        else:
            self.emit(_escape_hashtag(content))
            self.prev = "para"


def _normalize(lines: list[str]) -> tuple[list[str], list[_HeadingSource]]:
    normalizer = _Normalizer(lines)
    return normalizer.run(), normalizer.headings


def normalize_commonmark(text: str) -> str:
    """Rewrite CommonMark-style block structure into the shape Python-Markdown parses alike.

    * a list may start right after a paragraph line: a blank line is inserted before it;
    * nesting follows CommonMark (an item's content starts after its marker, so two spaces
      nest under ``- ``): each level is re-indented to four spaces;
    * ``•`` bullets become ``-`` items and ``1)`` becomes ``1.``; a lone ``-`` after an item is
      an empty item;
    * unlike CommonMark, a list item has no lazy continuation lines: a line indented less than
      the item's content ends it (see ``_Normalizer.continues_paragraph``);
    * a ``Title`` line over ``---`` / ``===`` becomes a heading even inside running text;
    * a line starting with ``#tag`` is not a heading.

    Fenced code keeps its text: an unindented top-level fence's lines are copied unchanged
    (its opening line is reduced to the language word, and a missing closing fence is added);
    a fence inside a list item becomes the item's indented code block. Indented code keeps its
    text too (only the list's own indentation in front of it changes). Block quotes are not
    looked into. Expects tabs already expanded (Python-Markdown does that before this runs).
    """
    return "\n".join(_normalize(text.split("\n"))[0])


# --------------------------------------------------------------------------------------------
# Python-Markdown extension: the normalizer, task lists, the image policy, line bookkeeping
# --------------------------------------------------------------------------------------------


class _NormalizePreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, extension: _NotebookExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        # Runs right after NormalizeWhitespace, which keeps line i of the note at index i, so
        # the line numbers recorded here are the original ones.
        normalizer = _Normalizer(lines)
        out = normalizer.run()
        self.extension.heading_sources = normalizer.headings
        return out


_TASK_RE = re.compile(r"^\[([ xX])\][ ]+")
_TASK_GLYPHS = {" ": "\u2610", "x": "\u2611", "X": "\u2611"}  # ☐ ☑


class _TaskListTreeprocessor(Treeprocessor):
    """``- [ ] x`` / ``- [x] x`` items get a ☐ / ☑ glyph and classes the stylesheet can use."""

    def run(self, root: etree.Element) -> None:
        for lst in root.iter():
            if lst.tag not in ("ul", "ol"):
                continue
            marked = [self._mark(li) for li in lst.findall("li")]
            if marked and all(marked):
                # Only a list of nothing but tasks drops its bullets (CSS): in a mixed list
                # the plain items need theirs.
                lst.set("class", "task-list")

    @staticmethod
    def _mark(li: etree.Element) -> bool:
        # Tight items hold their text directly; loose ones wrap it in a first <p>.
        holder = li
        if not (li.text or "").strip() and len(li) and li[0].tag == "p":
            holder = li[0]
        match = _TASK_RE.match(holder.text or "")
        if match is None:
            return False
        done = match.group(1) != " "
        glyph = etree.Element("span", {"class": "task-box"})
        glyph.text = markdown.util.AtomicString(_TASK_GLYPHS[match.group(1)] + " ")
        glyph.tail = (holder.text or "")[match.end() :]
        holder.text = None
        holder.insert(0, glyph)
        li.set("class", "task-item task-done" if done else "task-item")
        return True


# Every character (or sequence) at which one of the inline patterns in use can start:
# backslash escapes, code spans, links / images / footnote refs, autolinks, entities, emphasis,
# Python-Markdown's stash placeholders (STX) and hard line breaks (two spaces, newline).
# tests/test_rendering.py pins the list of inline patterns this was written against.
_INLINE_SYNTAX_RE = re.compile(r"[\\`\[<&*_\u0002]|  \n")


class _PlainTextTreeprocessor(Treeprocessor):
    """Mark text with no inline syntax as atomic so the inline processor skips it.

    Most text in long notes is plain, and trying the ~14 inline patterns on every text node is
    about a third of the render time of a big note; the result is the same either way.
    """

    def run(self, root: etree.Element) -> None:
        atomic = markdown.util.AtomicString
        syntax = _INLINE_SYNTAX_RE.search
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, atomic) and syntax(text) is None:
                element.text = atomic(text)
            tail = element.tail
            if tail and not isinstance(tail, atomic) and syntax(tail) is None:
                element.tail = atomic(tail)


_ALLOWED_IMAGE_SCHEMES = ("nbres:", "attachment:", "data:image/")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ESCAPED_CHAR_RE = re.compile("\u0002(\\d+)\u0003")  # Python-Markdown's backslash-escape stash
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")  # what URL parsers drop before reading a scheme


def image_source_allowed(src: str) -> bool:
    """True for image sources the preview may load: our own schemes, inline data, relative paths.

    Everything else (http, https, file:, absolute paths such as ``/etc/...`` or ``C:\\...``,
    protocol-relative ``//host``) could reach the network or read any local file.
    """
    src = _ESCAPED_CHAR_RE.sub(lambda m: chr(int(m.group(1))), src)
    # Python-Markdown writes entities in attributes through as they are, and the HTML reader
    # decodes them: judge "&#104;ttps://..." as the "https://..." it will become.
    src = html.unescape(src)
    src = _URL_NOISE_RE.sub("", src)
    lowered = src.lower()
    if lowered.startswith(_ALLOWED_IMAGE_SCHEMES):
        return True
    if _SCHEME_RE.match(src):  # any other scheme, and Windows drives ("c:") too
        return False
    return not src.startswith(("/", "\\"))


class _ImagePolicyTreeprocessor(Treeprocessor):
    """Replace disallowed images with their alt text in a ``span.blocked-image``."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img" and not image_source_allowed(child.get("src", "")):
                    parent[index] = self._placeholder(child)

    @staticmethod
    def _placeholder(img: etree.Element) -> etree.Element:
        span = etree.Element("span", {"class": "blocked-image", "title": "Image not loaded"})
        span.text = img.get("alt") or "image"
        span.tail = img.tail
        return span


class _NotebookExtension(Extension):
    """Wires the pieces above into a Markdown instance and holds the per-render heading data."""

    def __init__(self) -> None:
        super().__init__()
        self.heading_sources: list[_HeadingSource] = []
        self.slugs: list[str] = []  # each heading's slug before de-duplication, in order

    def slugify(self, value: str, separator: str) -> str:
        """The toc extension's slugify, noting each slug so that a sectioned render can make
        the ids unique across sections exactly as one whole-document render does."""
        slug = slugify_unicode(value, separator)
        self.slugs.append(slug)
        return slug

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)  # so md.reset() calls our reset()
        # Raw HTML is shown as text: no HTML blocks, no inline tags or comments. The
        # serializer then escapes '<' in that text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After NormalizeWhitespace (30), before fenced code (25) replaces fences by placeholders.
        md.preprocessors.register(_NormalizePreprocessor(md, self), "notebook_normalize", 27)
        # Task glyphs before inline parsing (20): "[x]" must not be read as a link reference.
        md.treeprocessors.register(_TaskListTreeprocessor(md), "notebook_tasks", 25)
        md.treeprocessors.register(_PlainTextTreeprocessor(md), "notebook_plain_text", 21)
        # Image policy after inline parsing (20) created the <img> elements.
        md.treeprocessors.register(_ImagePolicyTreeprocessor(md), "notebook_images", 15)

    def reset(self) -> None:
        # An empty note never reaches the preprocessor; don't report the previous headings.
        self.heading_sources = []
        self.slugs = []


# --------------------------------------------------------------------------------------------
# The renderer
# --------------------------------------------------------------------------------------------


def _flatten_toc(tokens: list[dict]) -> Iterator[dict]:  # type: ignore[type-arg]
    for token in tokens:
        yield token
        yield from _flatten_toc(token.get("children", []))


_WORD_RE = re.compile(r"\w+")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def _comparable(text: str) -> str:
    """Heading text reduced to its words, to match a rendered heading with its source line."""
    return "".join(_WORD_RE.findall(_LINK_TARGET_RE.sub("]", text).casefold()))


def _heading_lines(tokens: list[dict], sources: list[_HeadingSource]) -> list[int]:  # type: ignore[type-arg]
    """The source line of each rendered heading; an unmatched one gets the line of the one
    before it, which keeps the outline in order."""
    lines: list[int] = []
    for line in _match_heading_lines(tokens, sources):
        lines.append(line if line is not None else lines[-1] if lines else 0)
    return lines


def _match_heading_lines(tokens: list[dict], sources: list[_HeadingSource]) -> list[int | None]:  # type: ignore[type-arg]
    """The source line of each rendered heading, None where it is not known.

    The normalizer sees the headings Python-Markdown renders, in the same order, so usually the
    two lists pair up one to one. If they do not (a heading in a construct the normalizer does
    not look into), pair by text, searching forward; an unmatched heading gets None, which
    :func:`_fill_unknown_lines` turns into the line of the heading before it.
    """
    if len(tokens) == len(sources):
        return [source.line for source in sources]
    lines: list[int | None] = []
    next_source = 0
    for token in tokens:
        wanted = _comparable(html.unescape(token["name"]))
        for k in range(next_source, len(sources)):
            if _comparable(sources[k].text) == wanted:
                lines.append(sources[k].line)
                next_source = k + 1
                break
        else:
            lines.append(None)
    return lines


def _fill_unknown_lines(headings: list[Heading]) -> list[Heading]:
    """Give a heading of unknown line (-1) the line of the one before it (keeps the outline in
    order); done on the whole note's list so a sectioned render fills in exactly alike."""
    previous = 0
    filled: list[Heading] = []
    for heading in headings:
        if heading.line < 0:
            heading = dataclasses.replace(heading, line=previous)
        previous = heading.line
        filled.append(heading)
    return filled


class MarkdownRenderer:
    """Renders notes to HTML with one reusable ``markdown.Markdown`` instance.

    Building the instance (extensions, Pygments lexers' registry) costs far more than resetting
    it, so a renderer is meant to be kept. Not thread-safe: use one renderer per thread (or
    :func:`render_markdown`, which does that for you).
    """

    def __init__(self) -> None:
        self._extension = _NotebookExtension()
        self._md = markdown.Markdown(
            extensions=[
                "fenced_code",
                "tables",
                "footnotes",
                "sane_lists",
                "toc",
                "codehilite",
                self._extension,
            ],
            extension_configs={
                # Classes, not inline styles: the theme's pygments-*.css colours them.
                "codehilite": {"guess_lang": False, "noclasses": False, "css_class": "codehilite"},
                # Unicode slugs keep Korean / accented headings addressable (the ASCII default
                # would make them all "_1", "_2", ...).
                # No "[TOC]" marker search: not CommonMark, the app shows an outline instead, and
                # scanning the whole tree for it costs ~5% of a long note's render time.
                "toc": {"slugify": self._extension.slugify, "permalink": False, "marker": ""},
            },
            output_format="html",
        )
        self._sections: collections.OrderedDict[str, _SectionRender] = collections.OrderedDict()
        self.section_renders = 0  # sections rendered (cache misses), for tests and benchmarks
        self._last_text: str | None = None
        self._last: RenderedMarkdown | None = None

    def render(self, text: str) -> RenderedMarkdown:
        """Render ``text`` (a note's markdown) to HTML plus its heading list, in one piece."""
        # A byte-order mark would hide a first-line heading; it is not a line of its own.
        body, headings = self._convert(text.removeprefix("\ufeff"))
        headings = _fill_unknown_lines(headings)
        return RenderedMarkdown(html=body, headings=headings, sections=(body,) if body else ())

    def render_sectioned(self, text: str) -> RenderedMarkdown:
        """Render like :meth:`render`, reusing the sections of the note that did not change.

        The note is cut into sections at lines nothing before can reach past (see
        :func:`split_sections`); each section is rendered on its own and kept in an LRU cache
        keyed by its text, so an edit re-renders only the section it touched. The result is
        the same HTML and headings as :meth:`render` gives; its ``sections`` are the HTML of
        each section, so a view can replace only those that changed.
        """
        prepared = self._prepare(text)
        if prepared == self._last_text and self._last is not None:
            return self._last
        sections = split_sections(prepared)
        # No sections: the note uses a construct that spans them; render it in one piece.
        result = self.render(prepared) if sections is None else self._assemble(sections)
        self._last_text, self._last = prepared, result
        return result

    # -- internals ---------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        """What NormalizeWhitespace would make of the lines, so sections cut the same lines.

        (It is idempotent: rendering the prepared text gives what the raw text gives.)
        """
        text = text.removeprefix("\ufeff")
        text = text.replace(markdown.util.STX, "").replace(markdown.util.ETX, "")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.expandtabs(self._md.tab_length)

    def _convert(self, text: str) -> tuple[str, list[Heading]]:
        md = self._md
        md.reset()
        body = md.convert(text)
        # Pygments ends every block with a newline, which QTextBrowser shows as an empty line.
        body = body.replace("\n</code></pre>", "</code></pre>")
        tokens = list(_flatten_toc(getattr(md, "toc_tokens", [])))
        # Unmatched lines are filled in later, on the whole note's list (a section does not
        # know the heading before it).
        lines = _match_heading_lines(tokens, self._extension.heading_sources)
        headings = [
            Heading(
                level=int(token["level"]),
                text=html.unescape(token["name"]),
                anchor=str(token["id"]),
                line=-1 if line is None else line,  # -1: unknown, see _fill_unknown_lines
            )
            for token, line in zip(tokens, lines, strict=True)
        ]
        return body, headings

    def _section(self, text: str) -> _SectionRender:
        """One section's render (local lines and ids), from the cache when it is there."""
        cache = self._sections
        found = cache.get(text)
        if found is not None:
            cache.move_to_end(text)
            return found
        body, headings = self._convert(text)
        if body.endswith(_STASHED_CODE_END):
            # A code block is stashed HTML ending in a newline, which Python-Markdown's final
            # strip() removes from a section but not from the middle of a whole note.
            body += "\n"
        found = _SectionRender(body, tuple(headings), tuple(self._extension.slugs))
        self.section_renders += 1
        cache[text] = found
        if len(cache) > _SECTION_CACHE_SIZE:
            cache.popitem(last=False)
        return found

    def _assemble(self, sections: list[tuple[int, str]]) -> RenderedMarkdown:
        """Join rendered sections as one render would: lines offset, ids unique note-wide."""
        used: set[str] = set()
        counters: dict[str, int] = {}
        parts: list[str] = []
        headings: list[Heading] = []
        for first_line, text in sections:
            section = self._section(text)
            # The toc extension de-duplicates ids in document order; do it again across the
            # whole note, from the same slugs, so the ids are the ones a whole render gives.
            anchors = [unique(slug, used, counters) for slug in section.slugs]
            body = section.html
            if anchors != [heading.anchor for heading in section.headings]:
                body = _replace_heading_ids(body, anchors)
            headings.extend(
                dataclasses.replace(
                    heading,
                    anchor=anchor,
                    line=heading.line + first_line if heading.line >= 0 else -1,
                )
                for heading, anchor in zip(section.headings, anchors, strict=True)
            )
            if body:  # a section of blank lines renders to nothing
                parts.append(body)
        if parts:
            # What a whole render strips off the note's end (see _SectionRender.html).
            parts[-1] = parts[-1].rstrip("\n")
        # Python-Markdown ends every top-level block with a newline: join as it does.
        return RenderedMarkdown(
            html="\n".join(parts),
            headings=_fill_unknown_lines(headings),
            sections=tuple(parts),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class _SectionRender:
    # With the ids the section gets when rendered alone, and a newline after a final code
    # block, as it is followed in a whole note.
    html: str
    headings: tuple[Heading, ...]  # lines relative to the section's first line
    slugs: tuple[str, ...]  # each heading's slug before de-duplication


_STASHED_CODE_END = "</code></pre></div>"  # CodeHilite's block, as _convert leaves it
_SECTION_CACHE_SIZE = 1024  # sections, not notes: a long note has ~100-200

# Constructs whose meaning spans the whole note: footnotes (``[^x]``, numbered note-wide) and
# reference-style link definitions (``[id]: url``, usable anywhere). A note with any of them is
# rendered in one piece. Deliberately loose: a false alarm only costs speed.
_CROSS_BLOCK_RE = re.compile(r"\[\^|\[[^\[\]\n]*\][ \t]*:")
_HEADING_ID_RE = re.compile(r'<h([1-6]) id="[^"]*"')


def split_sections(text: str) -> list[tuple[int, str]] | None:
    """Cut prepared note text into ``(first line, text)`` sections that render independently.

    A section starts at a line where the normalizer's state is as fresh as at the start of a
    note (see ``_Normalizer.starts_section``): outside fenced code, not continuing a paragraph,
    list or quote. None when the note uses a construct that spans sections (footnotes,
    reference definitions): then only a whole-document render is right.
    """
    if _CROSS_BLOCK_RE.search(text):
        return None
    lines = text.split("\n")
    normalizer = _Normalizer(lines)
    out = normalizer.run()
    fenced = _fenced_line_spans(out)
    starts = [
        line
        for line, out_line in zip(normalizer.boundaries, normalizer.boundary_out, strict=True)
        if not any(first < out_line <= last for first, last in fenced)
    ]
    bounds = [*starts, len(lines)]
    return [(start, "\n".join(lines[start:end])) for start, end in itertools.pairwise(bounds)]


_PM_FENCED_BLOCK_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE  # Python-Markdown's own
_FENCE_LINE_RE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)


def _fenced_line_spans(out: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) output lines of each block Python-Markdown's fenced_code will see.

    It reads fences in the normalized text, where a line the normalizer took for paragraph text
    (say an indented `````` after a paragraph, re-emitted unindented) can open one; no section
    boundary may fall inside such a block. Found as its preprocessor finds them, except that
    every candidate counts (an invalid ``{attrs}`` one too): an extra span only merges sections.
    """
    text = "\n".join(out)
    if not _FENCE_LINE_RE.search(text):
        return []
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    spans: list[tuple[int, int]] = []
    index = 0
    while (match := _PM_FENCED_BLOCK_RE.search(text, index)) is not None:
        first = bisect.bisect_right(line_starts, match.start()) - 1
        last = bisect.bisect_right(line_starts, match.end()) - 1
        spans.append((first, last))
        index = match.end("attrs") if match.group("attrs") else match.end()
    return spans


def _replace_heading_ids(body: str, anchors: list[str]) -> str:
    """Set the id of each heading element of ``body`` (in document order) to ``anchors``."""
    pending = iter(anchors)
    return _HEADING_ID_RE.sub(
        lambda match: f'<h{match.group(1)} id="{html.escape(next(pending))}"', body
    )


_per_thread = threading.local()


def render_markdown(text: str) -> RenderedMarkdown:
    """Render with this thread's cached :class:`MarkdownRenderer` (created on first use)."""
    renderer: MarkdownRenderer | None = getattr(_per_thread, "renderer", None)
    if renderer is None:
        renderer = _per_thread.renderer = MarkdownRenderer()
    return renderer.render(text)
