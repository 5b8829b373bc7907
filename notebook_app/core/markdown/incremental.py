"""A long note's sections planned and joined per block of chunks, each block kept between edits.

An edit of a note of megabytes must cost what it changed, not the note's length (the preview's
bound: no render over 1 s, on notes up to 20 MB). The normalizer's chunks (chunks.py) start
where its pass starts fresh; a run of them (a chunk starting inside an open fence joins the one
before) is a *block*, whose sections are planned once and kept by the block's chunks
(``SectionPlanner``), and whose rendered sections, once all are rendered, are kept as one
``BlockRender`` that joins into the note's render without looking at each of its sections again
(past the first MAX_ANCHORS headings, where no id needs de-duplicating).

What stays linear in the note's length per edit is C-level work (slicing, hashing and comparing
the chunks' text, joining the HTML) and one step per block and per heading when lines moved.
A block is planned alone only when no fenced code or formula can reach out of it
(``sections.fences_stay_inside``); otherwise it is planned together with the blocks after it,
as a whole note would be (an unclosed fence runs to the end). No Qt.
"""

from __future__ import annotations

import collections
import dataclasses
import re

from notebook_app.core.markdown.chunks import ChunkedNormalizer, ChunkKey, PlacedChunk, join_chunks
from notebook_app.core.markdown.headings import MAX_ANCHORS, Heading
from notebook_app.core.markdown.sections import (
    Assembly,
    Section,
    SectionRender,
    SectionRow,
    as_row,
    fences_stay_inside,
    has_cross_block,
    plan_sections,
)

__all__ = ["Block", "BlockRender", "Plan", "SectionPlanner"]

BlockKey = tuple[ChunkKey, ...]
_HEADING_ID_RE = re.compile(r'(<h[1-6]) id="[^"]*"')


@dataclasses.dataclass(frozen=True, slots=True)
class Block:
    """Chunks planned together: their sections, lines relative to the block's first line."""

    key: BlockKey
    line: int  # its first line in the note
    sections: tuple[SectionRow, ...]  # (a Section each: see SectionRow)


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    blocks: list[Block]
    rest: Section | None  # the end of a long note not normalized yet (line in the note)
    sections: int  # how many sections the blocks hold


class SectionPlanner:
    """The sections of the notes planned last, by block (see the module's docstring)."""

    _SPARE = 64

    def __init__(self) -> None:
        self.normalizer = ChunkedNormalizer()
        # A block's sections; None: it cannot be planned alone (joined with the next block).
        self._plans: collections.OrderedDict[BlockKey, tuple[SectionRow, ...] | None] = (
            collections.OrderedDict()
        )
        self.blocks_planned = 0  # cache misses, for tests

    def plan(self, prepared: str, deadline: float | None = None) -> Plan | None:
        """The sections of prepared text; None when it uses a construct that spans sections
        (footnotes, reference definitions: only a whole render is right). Past ``deadline``,
        only the chunks normalized before (and those that fit) are planned: see
        ``ChunkedNormalizer.chunks``."""
        placed, covered = self.normalizer.chunks(prepared, deadline)
        if any(part.chunk.cross_block for part in placed):
            return None
        rest = None
        if covered is not None:
            line, offset = covered
            if has_cross_block(prepared[offset:]):
                return None
            rest = Section(line, prepared[offset:], (), (), 0)
        runs: list[list[PlacedChunk]] = []
        for part in placed:
            if part.key[1] is None or not runs:
                runs.append([part])
            else:  # it starts inside a fence: its first line is no section boundary
                runs[-1].append(part)
        blocks: list[Block] = []
        count = 0
        index = 0
        while index < len(runs):
            chunks = runs[index]
            index += 1
            while True:
                key = tuple(part.key for part in chunks)
                if key in self._plans:
                    self._plans.move_to_end(key)
                    sections = self._plans[key]
                else:
                    # (The note's last chunk: nothing after it for a fence to reach.)
                    sections = self._plan_block(prepared, chunks, check=not chunks[-1].key[2])
                    self._plans[key] = sections
                if sections is None and index < len(runs):
                    chunks = chunks + runs[index]  # the next block may be read as fenced code
                    index += 1
                    continue
                if sections is None:
                    # The note's end is not normalized yet (it is shown as plain text for
                    # now): planned alone until it is, and not kept.
                    sections = self._plan_block(prepared, chunks, check=False)
                    assert sections is not None
                break
            blocks.append(Block(key, chunks[0].line, sections))
            count += len(sections)
        while len(self._plans) > len(runs) + self._SPARE:
            self._plans.popitem(last=False)
        return Plan(blocks, rest, count)

    def _plan_block(
        self, prepared: str, chunks: list[PlacedChunk], check: bool
    ) -> tuple[SectionRow, ...] | None:
        """The sections of the chunks; None if ``check`` and fenced code or a formula might
        reach out of them."""
        normalized = join_chunks(chunks)
        if check and not fences_stay_inside(normalized.lines):
            return None
        self.blocks_planned += 1
        text = prepared[chunks[0].start : chunks[-1].end]
        sections = plan_sections(text, normalized)
        assert sections is not None  # no chunk of it has a cross-block construct
        return tuple(tuple(section) for section in sections)  # type: ignore[misc]


class BlockRender:
    """Every section of a block rendered: joined into a note's render as a whole."""

    __slots__ = ("_placed", "_placed_key", "_stripped", "count", "firsts", "renders")

    def __init__(self, sections: tuple[SectionRow, ...], renders: list[SectionRender]) -> None:
        self.firsts = tuple(section[0] for section in sections)  # their first lines in it
        self.renders = tuple(as_row(render) for render in renders)  # (see SectionRow)
        self.count = sum(len(render.headings) for render in renders)  # its headings
        self._stripped: list[str] | None = None  # its parts with no heading ids
        self._placed_key: tuple[int, int | None] | None = None
        self._placed: list[Heading] = []

    def add_to(self, assembly: Assembly, line: int) -> None:
        """Add the block's sections, the block's first line being ``line`` in the note."""
        if self.count and len(assembly.headings) < MAX_ANCHORS:
            # (Some of its headings get ids, de-duplicated note-wide: section by section.)
            for first, render in zip(self.firsts, self.renders, strict=True):
                assembly.add(line + first, SectionRender._make(render))
            return
        assembly.parts.extend(self.stripped())
        if not self.count:
            return
        # Lines are filled from the heading before the block only when its first is unknown.
        first_unknown = next(h for r in self.renders for h in r[1])[3] < 0
        key = (line, assembly.previous if first_unknown else None)
        if key != self._placed_key:
            self._placed_key, self._placed = key, self._place(line, assembly.previous)
        assembly.place(self._placed)

    def stripped(self) -> list[str]:
        """Its parts past MAX_ANCHORS headings: the heading ids dropped (see drop_anchors)."""
        if self._stripped is None:
            parts: list[str] = []
            for render_parts, headings, _, _ in self.renders:
                if headings:
                    parts.append(_HEADING_ID_RE.sub(r"\1", "\n".join(render_parts)))
                else:
                    parts.extend(part for part in render_parts if part)
            self._stripped = [part for part in parts if part]
        return self._stripped

    def _place(self, line: int, previous: int) -> list[Heading]:
        """Its headings at ``line`` (made anew for every block after a new or deleted line:
        tuple.__new__ skips the NamedTuple's own __new__, a third of the cost)."""
        placed: list[Heading] = []
        new = tuple.__new__
        for section_first, render in zip(self.firsts, self.renders, strict=True):
            first = line + section_first
            for level, text, _, at in render[1]:
                previous = at + first if at >= 0 else previous
                placed.append(new(Heading, (level, text, "", previous)))
        return placed
