"""A long note normalized in chunks, each kept by its text: an edit re-normalizes one chunk.

The normalizer's pass (normalizer.py) reads the whole note; on a note of megabytes that is
~0.25 s per MB on every edit. ``ChunkedNormalizer`` cuts the note first by a cheap scan, at
lines where the pass's state is known to be fresh (see _CUT_RE), normalizes each chunk on its
own and keeps it by its text and its entry state, so an edit re-normalizes only the chunk it
touched. The states that can reach over such a line are a top-level fenced block left open and a %%
comment running over lines: a chunk then starts inside it (its entry state says so), and the
line is not a section boundary.

The chunks are handed on as they are (``chunks``), so the sections can be planned per chunk and
kept too (incremental.py); ``normalize`` joins them into one ``Normalized``, as one pass gives.
No Qt.
"""

from __future__ import annotations

import collections
import dataclasses
import re
import time
import zlib
from collections.abc import Sequence

from notebook_app.core.markdown.normalizer import (
    HeadingSource,
    Normalized,
    _Fence,
    _Normalizer,
)

__all__ = ["ChunkedNormalizer", "PlacedChunk", "chunk_starts", "join_chunks"]

# A candidate cut: an unindented line after an empty one that is neither a list item nor a block
# quote (a list would continue, a quote merge). Outside an open top-level fence the pass then has
# prev == "blank" and starts_section is True; any list items still open are closed by it.
_CUT_RE = re.compile(r"\n\n(?=[^\s>*+\-\u20220-9])")
# Chunks of at least this many characters, cut where the line hashes to 0 mod _CHUNK_ODDS (so
# the cuts depend on the text next to them only, and an edit moves none elsewhere), or at the
# first candidate past _CHUNK_MAX.
_CHUNK_MIN = 16_000
_CHUNK_ODDS = 4
_CHUNK_MAX = 200_000
# Constructs whose meaning spans the whole note (footnotes, reference definitions): the same
# pattern as sections._CROSS_BLOCK_RE, which never matches across a line end, so each chunk can
# be searched once, when it is normalized.
_CROSS_BLOCK_RE = re.compile(r"\[\^|\[[^\[\]\n]*\][ \t]*:")

# (marker, strip) of a top-level fence open at a chunk's start, or _IN_COMMENT: it starts inside a
# %% comment running over lines. Either way its first line is no section's.
FenceKey = tuple[str, int] | None
_IN_COMMENT: FenceKey = ("%%", -1)
ChunkKey = tuple[str, FenceKey, bool]  # (its text, its entry state, whether it is the last)


@dataclasses.dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk normalized alone; line numbers relative to its first line / first output line."""

    out: list[str]
    headings: tuple[tuple[int, int, str], ...]  # (line, level, text): see sections.Section
    boundaries: list[int]
    boundary_out: list[int]
    depths: list[int]
    fence_out: FenceKey  # a top-level fence still open at its end
    lines: int  # input lines
    cross_block: bool  # it may use a construct that spans sections (see _CROSS_BLOCK_RE)


@dataclasses.dataclass(frozen=True, slots=True)
class PlacedChunk:
    """A chunk where it is in the note this call normalized."""

    key: ChunkKey
    start: int  # offset of its first character
    end: int  # offset after its last character (its line end not included)
    line: int  # its first line
    chunk: Chunk


def chunk_starts(text: str) -> list[int]:
    """Character offsets of the chunks' first lines (0 first).

    Only the candidates past each chunk's minimum size are looked at (a search from there finds
    the same candidates a scan from the start would: a candidate is two characters and a
    look-ahead, so no two overlap), so the scan costs a few matches per chunk, not one per
    paragraph of the note."""
    starts = [0]
    last = 0
    search = _CUT_RE.search
    match = search(text, last + _CHUNK_MIN - 2)  # a candidate at `start` cuts at start + 2
    while match is not None:
        at = match.end()
        if at - last >= _CHUNK_MAX or zlib.crc32(text[at : at + 32].encode()) % _CHUNK_ODDS == 0:
            starts.append(at)
            last = at
            match = search(text, last + _CHUNK_MIN - 2)
        else:
            match = search(text, at)
    return starts


def _normalize_chunk(piece: str, entry: FenceKey, final: bool) -> Chunk:
    lines = piece.split("\n")
    normalizer = _Normalizer(lines)
    if entry == _IN_COMMENT:
        normalizer.comment = True
    elif entry is not None:
        normalizer.fence = _Fence(marker=entry[0], strip=entry[1], base=0, depth=0)
        normalizer.prev = "other"
    out = normalizer.run(final=final)
    fence = normalizer.fence
    exit_key = (fence.marker, fence.strip) if fence is not None and not fence.depth else None
    if normalizer.comment:
        exit_key = _IN_COMMENT
    return Chunk(
        out,
        tuple((heading.line, heading.level, heading.text) for heading in normalizer.headings),
        normalizer.boundaries,
        normalizer.boundary_out,
        normalizer.depths,
        exit_key,
        len(lines),
        _CROSS_BLOCK_RE.search(piece) is not None,
    )


def join_chunks(placed: Sequence[PlacedChunk]) -> Normalized:
    """The chunks' results joined, lines relative to the first one's first line: what one pass
    over their text gives (when the first one's entry state is a fresh one's)."""
    result = Normalized([], [], [], [], [])
    base = placed[0].line if placed else 0
    for part in placed:
        chunk, line = part.chunk, part.line - base
        out_line = len(result.lines)
        result.lines.extend(chunk.out)
        result.headings.extend(
            HeadingSource(at + line, level, text) for at, level, text in chunk.headings
        )
        inside = part.key[1] is not None  # its first line is inside a fence: not a boundary
        first = 1 if inside else 0
        if inside and result.depths:
            result.depths[-1] = max(result.depths[-1], chunk.depths[0])
        result.boundaries.extend(b + line for b in chunk.boundaries[first:])
        result.boundary_out.extend(b + out_line for b in chunk.boundary_out[first:])
        result.depths.extend(chunk.depths[first:])
    return result


class ChunkedNormalizer:
    """:func:`normalizer.normalize` with the chunks of the notes normalized last kept: the same
    result, with an edit costing the chunk it touched (plus a walk over the chunks)."""

    _SPARE = 64

    def __init__(self) -> None:
        self._chunks: collections.OrderedDict[ChunkKey, Chunk] = collections.OrderedDict()
        self.chunks_normalized = 0  # cache misses, for tests

    def chunks(
        self, text: str, deadline: float | None = None
    ) -> tuple[list[PlacedChunk], tuple[int, int] | None]:
        """The chunks of prepared ``text``, normalized, and None or (lines, characters) covered.

        Past ``deadline`` (a ``time.perf_counter()`` value), a chunk not normalized before is
        left, with all after it: the chunks then cover only the lines before it (the second
        value), which end at a section boundary. Calling again goes on where this call
        stopped."""
        starts = chunk_starts(text)
        ends = [*(at - 1 for at in starts[1:]), len(text)]  # each chunk without its last "\n"
        placed: list[PlacedChunk] = []
        covered: tuple[int, int] | None = None
        entry: FenceKey = None
        line = 0
        last = len(starts) - 1
        cache = self._chunks
        for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            key = (text[start:end], entry, number == last)
            chunk = cache.get(key)
            if chunk is None:
                if number and entry is None and deadline and time.perf_counter() > deadline:
                    covered = (line, start)
                    break
                chunk = cache[key] = _normalize_chunk(key[0], entry, key[2])
                self.chunks_normalized += 1
            else:
                cache.move_to_end(key)
            placed.append(PlacedChunk(key, start, end, line, chunk))
            entry = chunk.fence_out
            line += chunk.lines
        while len(cache) > len(starts) + self._SPARE:
            cache.popitem(last=False)
        return placed, covered

    def normalize(self, text: str, deadline: float | None = None) -> Normalized:
        """Normalize prepared ``text`` as ``normalize(text.split("\\n"))`` does (up to
        ``deadline``: see ``chunks``; ``covered`` says how far)."""
        placed, covered = self.chunks(text, deadline)
        result = join_chunks(placed)
        result.covered = covered
        return result
