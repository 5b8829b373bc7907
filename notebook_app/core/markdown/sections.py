"""Cutting a note into sections that render independently, and joining their renders.

A section starts at a line where the normalizer's state is as fresh as at the start of a note
(see ``_Normalizer.starts_section``): outside fenced code, not continuing a paragraph, list or
quote. Each section is rendered on its own and cached by its text, so an edit re-renders only
the section it touched; joined, the sections give exactly what one whole render gives (same
HTML, same heading ids and lines). No Qt.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import html
import itertools
import re
import zlib
from typing import NamedTuple

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import unique

from notebook_app.core.markdown.headings import (
    MAX_ANCHORS,
    Heading,
    drop_anchors,
    fill_unknown_lines,
)
from notebook_app.core.markdown.math_spans import find_math
from notebook_app.core.markdown.normalizer import HeadingSource, Normalized

__all__ = [
    "Assembly",
    "RenderedMarkdown",
    "Section",
    "SectionCache",
    "SectionRender",
    "assemble",
    "fences_stay_inside",
    "has_cross_block",
    "plan_sections",
]


@dataclasses.dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    html: str
    headings: list[Heading]
    # The HTML of each part, in order ("\n".join(sections) == html): a view can replace only
    # the parts that changed (see MarkdownRenderer.render_sectioned).
    sections: tuple[str, ...] = ()
    # False when part of the note is shown as plain text because rendering it all would have
    # taken too long: render again (the same text) to render more of it.
    complete: bool = True


class Section(NamedTuple):
    """(Tuples of plain values, which the garbage collector stops tracking: a long note has
    tens of thousands of sections, and a full collection walks every object it tracks.)"""

    first_line: int  # in the whole note
    text: str  # its prepared source lines (the cache key)
    lines: tuple[str, ...]  # its normalized lines, what Python-Markdown parses
    # The normalizer's (line, level, text), lines in the whole note (see local_headings).
    headings: tuple[tuple[int, int, str], ...]
    depth: int  # how deep its lists nest

    def local_headings(self) -> list[HeadingSource]:
        """Its headings with lines relative to its first line (as if rendered alone); made only
        when the section is rendered, not on every keystroke."""
        first = self.first_line
        return [HeadingSource(line - first, level, text) for line, level, text in self.headings]


# What is kept of a Section and a SectionRender between edits: the same fields as plain tuples
# of plain values, which the garbage collector stops tracking (a NamedTuple it tracks forever).
# A note of 20 MB keeps ~200,000 sections; every full collection walks each tracked object.
SectionRow = tuple[int, str, tuple[str, ...], tuple[tuple[int, int, str], ...], int]
RenderRow = tuple[tuple[str, ...], tuple[tuple[int, str, str, int], ...], tuple[str, ...], bool]


def as_row(render: SectionRender) -> RenderRow:
    return (render.parts, render.headings, render.slugs, render.plain)


class SectionRender(NamedTuple):
    # One or more parts (a section shown as plain text is cut into several, so the preview can
    # lay them out a few at a time); with the ids the section gets when rendered alone, and a
    # newline after a final code block, as it is followed in a whole note.
    parts: tuple[str, ...]
    # Its headings' (level, text, anchor, line), lines relative to its first line: plain
    # tuples, which the garbage collector stops tracking (see Section).
    headings: tuple[tuple[int, str, str, int], ...]
    slugs: tuple[str, ...]  # each heading's slug before de-duplication
    plain: bool = False  # shown as plain text (see bounds.py)


# Constructs whose meaning spans the whole note: footnotes (``[^x]``, numbered note-wide) and
# reference-style link definitions (``[id]: url``, usable anywhere). A note with any of them is
# rendered in one piece. Deliberately loose: a false alarm only costs speed.
_CROSS_BLOCK_RE = re.compile(r"\[\^|\[[^\[\]\n]*\][ \t]*:")
_HEADING_ID_RE = re.compile(r'<h([1-6]) id="[^"]*"')
_PM_FENCED_BLOCK_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE  # Python-Markdown's own
_FENCE_LINE_RE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)
_ANY_FENCE_LINE_RE = re.compile(r"^ {0,3}(?:~{3,}|`{3,})", re.MULTILINE)

# Runs of small sections are grouped so that each Python-Markdown run has some text to work on:
# a run costs ~0.3 ms before it reads a line, and a note of 10,000 one-line headings is 10,000
# sections. A cut is kept next to a section of at least _GROUP_CHARS (so a heading is not shown
# as plain text with a pathological block after it, see bounds.py), or where the next section's
# first line hashes to 0 mod _GROUP_ODDS: decided by the text next to the cut only, so an edit
# never moves the cuts elsewhere in the note (which would make every later section a miss).
_GROUP_CHARS = 80
_GROUP_ODDS = 8


def _boundaries(normalized: Normalized) -> list[int]:
    """Indexes into ``normalized.boundaries`` of the section starts that no fenced block
    Python-Markdown sees spans."""
    spans: list[tuple[int, int]] = []
    for first, last in sorted(
        _fenced_line_spans(normalized.lines) + _display_math_line_spans(normalized.lines)
    ):
        if spans and first <= spans[-1][1]:  # overlapping (a formula and a fence): one span
            spans[-1] = (spans[-1][0], max(last, spans[-1][1]))
        else:
            spans.append((first, last))
    span_starts = [first for first, _ in spans]
    kept: list[int] = []
    for index, out_line in enumerate(normalized.boundary_out):
        # The spans are in order and do not overlap: only the last one opened before out_line
        # can hold it.
        k = bisect.bisect_left(span_starts, out_line) - 1
        if k < 0 or out_line > spans[k][1]:
            kept.append(index)
    return kept


def has_cross_block(text: str) -> bool:
    """True when ``text`` may use a construct that spans sections (see _CROSS_BLOCK_RE)."""
    return _CROSS_BLOCK_RE.search(text) is not None


def plan_sections(text: str, normalized: Normalized, *, group: bool = True) -> list[Section] | None:
    """Cut prepared note text into the sections the renderer renders, each with its slice of
    the normalized lines (the normalizer runs once per note, not once more per section), runs
    of tiny sections grouped (unless ``group`` is False). None when the note uses a construct
    that spans sections (footnotes, reference definitions): then only a whole render is right."""
    if _CROSS_BLOCK_RE.search(text):
        return None
    lines = text.split("\n")
    raw = _boundaries(normalized)
    starts = [normalized.boundaries[k] for k in raw]
    outs = [normalized.boundary_out[k] for k in raw]
    bounds = [*starts, len(lines)]
    sizes = [sum(len(line) + 1 for line in lines[a:b]) for a, b in itertools.pairwise(bounds)]
    kept = [0]
    for k in range(1, len(starts)):
        if (
            not group
            or sizes[k - 1] >= _GROUP_CHARS
            or sizes[k] >= _GROUP_CHARS
            or zlib.crc32(lines[starts[k]].encode()) % _GROUP_ODDS == 0
        ):
            kept.append(k)
    sections: list[Section] = []
    sources = normalized.headings
    source_lines = [source.line for source in sources]
    for k, next_k in itertools.pairwise([*kept, len(starts)]):
        start = starts[k]
        end = starts[next_k] if next_k < len(starts) else len(lines)
        out_end = outs[next_k] if next_k < len(starts) else len(normalized.lines)
        out = normalized.lines[outs[k] : out_end]
        # A cut after open list items starts with the blank line the normalizer put after
        # them; the section rendered alone has none (and the parser ignores it).
        skip = 0
        while skip < len(out) and not out[skip]:
            skip += 1
        first = bisect.bisect_left(source_lines, start)
        last = bisect.bisect_left(source_lines, end)
        sections.append(
            Section(
                first_line=start,
                text="\n".join(lines[start:end]),
                lines=tuple(out[skip:]),
                headings=tuple((h.line, h.level, h.text) for h in sources[first:last]),
                depth=max(normalized.depths[raw[k] : raw[next_k] if next_k < len(raw) else None]),
            )
        )
    return sections


def _display_math_line_spans(out: list[str]) -> list[tuple[int, int]]:
    """(first, last) output lines of each multi-line display formula (``$$…$$``, ``\\[…\\]``):
    a ``# line`` inside one would otherwise start a section and cut the formula in two."""
    text = "\n".join(out)
    if "$$" not in text and "\\[" not in text:
        return []
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    spans: list[tuple[int, int]] = []
    for span in find_math(text):
        if span.display:
            first = bisect.bisect_right(line_starts, span.start) - 1
            last = bisect.bisect_right(line_starts, span.end - 1) - 1
            if last > first:
                spans.append((first, last))
    return spans


def _fenced_line_spans(out: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) output lines of each block Python-Markdown's fenced_code will see.

    It reads fences in the normalized text, where a line the normalizer took for paragraph text
    (say an indented `````` after a paragraph, re-emitted unindented) can open one; no section
    boundary may fall inside such a block. Found as its preprocessor finds them, except that
    every candidate counts (an invalid ``{attrs}`` one too): an extra span only merges sections.
    """
    return [(first, last) for first, last, _ in _fenced_blocks("\n".join(out))]


def _fenced_blocks(text: str) -> list[tuple[int, int, bool]]:
    """(opening line, closing line, has ``{attrs}``) of each block of _fenced_line_spans."""
    if not _FENCE_LINE_RE.search(text):
        return []
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    spans: list[tuple[int, int, bool]] = []
    index = 0
    while (match := _PM_FENCED_BLOCK_RE.search(text, index)) is not None:
        first = bisect.bisect_right(line_starts, match.start()) - 1
        last = bisect.bisect_right(line_starts, match.end()) - 1
        attrs = bool(match.group("attrs"))
        spans.append((first, last, attrs))
        index = match.end("attrs") if attrs else match.end()
    return spans


def fences_stay_inside(lines: list[str]) -> bool:
    """True when nothing in these normalized lines (a block of sections that starts fresh, see
    incremental.py) can make fenced code of a later block: then the blocks Python-Markdown
    and the formula finder see in the whole note are the ones they see in each block alone.

    That holds when every fence-like line (up to three spaces, then ``````` or ``~~~``) opens or
    closes a block Python-Markdown finds here, none of them with ``{attrs}`` (after which its
    scan resumes inside the block). Formulas and code spans never cross the blank line before
    a later block (math_spans.py). Deliberately strict: a false alarm only costs speed."""
    text = "\n".join(lines)
    if not _ANY_FENCE_LINE_RE.search(text):
        return True
    ends: set[int] = set()
    for first, last, attrs in _fenced_blocks(text):
        if attrs:
            return False
        ends.update((first, last))
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    return all(
        bisect.bisect_right(line_starts, match.start()) - 1 in ends
        for match in _ANY_FENCE_LINE_RE.finditer(text)
    )


class SectionCache:
    """Section renders by section text, least recently used dropped first.

    Holds at least the sections of the note last rendered (a very long note has tens of
    thousands), plus _SPARE more, so switching between notes keeps theirs too. Each is kept as
    a plain tuple (see SectionRow).
    """

    _SPARE = 1024

    def __init__(self) -> None:
        self._renders: collections.OrderedDict[str, RenderRow] = collections.OrderedDict()
        self.capacity = self._SPARE

    def get(self, text: str) -> SectionRender | None:
        found = self._renders.get(text)
        if found is None:
            return None
        self._renders.move_to_end(text)
        return SectionRender._make(found)

    def put(self, text: str, render: SectionRender) -> None:
        self._renders[text] = as_row(render)
        while len(self._renders) > self.capacity:
            self._renders.popitem(last=False)

    def fit(self, sections: int) -> None:
        self.capacity = sections + self._SPARE


class Assembly:
    """Rendered sections joined in order as one render joins them: lines offset, ids unique
    note-wide, the ids of headings past MAX_ANCHORS dropped, unknown lines filled in."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}
        self.parts: list[str] = []
        self.headings: list[Heading] = []
        self.previous = 0  # the line of the last heading placed (see fill_unknown_lines)

    def add(self, first_line: int, section: SectionRender) -> None:
        """Add ``section``, whose first line is ``first_line`` in the whole note."""
        if not section.headings:
            self.parts.extend(part for part in section.parts if part)  # blank lines: nothing
            return
        # The toc extension de-duplicates ids in document order; do it again across the
        # whole note, from the same slugs, so the ids are the ones a whole render gives.
        anchors = [unique(slug, self.used, self.counters) for slug in section.slugs]
        body = section.parts
        if anchors != [heading[2] for heading in section.headings]:
            body = (_replace_heading_ids("\n".join(body), anchors),)
        placed = [
            Heading(level, text, anchor, line + first_line if line >= 0 else -1)
            for (level, text, _, line), anchor in zip(section.headings, anchors, strict=True)
        ]
        if len(self.headings) + len(placed) > MAX_ANCHORS:
            joined, placed = drop_anchors("\n".join(body), placed, len(self.headings))
            body = (joined,)
        self.place(fill_unknown_lines(placed, self.previous))
        self.parts.extend(part for part in body if part)

    def place(self, headings: list[Heading]) -> None:
        """Add headings placed already (lines in the whole note, none unknown)."""
        if headings:
            self.headings.extend(headings)
            self.previous = headings[-1].line

    def result(self, complete: bool) -> RenderedMarkdown:
        parts = self.parts
        if parts:
            # What a whole render strips off the note's end (see SectionRender).
            parts[-1] = parts[-1].rstrip("\n")
        # Python-Markdown ends every top-level block with a newline: join as it does.
        return RenderedMarkdown(
            html="\n".join(parts), headings=self.headings, sections=tuple(parts), complete=complete
        )


def assemble(sections: list[tuple[int, SectionRender]], complete: bool) -> RenderedMarkdown:
    """Join rendered sections (each with its first line in the note) as one render would."""
    assembly = Assembly()
    for first_line, section in sections:
        assembly.add(first_line, section)
    return assembly.result(complete)


def _replace_heading_ids(body: str, anchors: list[str]) -> str:
    """Set the id of each heading element of ``body`` (in document order) to ``anchors``."""
    pending = iter(anchors)
    return _HEADING_ID_RE.sub(
        lambda match: f'<h{match.group(1)} id="{html.escape(next(pending))}"', body
    )
