"""Headings: what the outline shows, and matching rendered headings back to source lines.

The toc extension lists the headings Python-Markdown rendered; the normalizer lists the ones it
saw in the source, with their lines. They are paired here, so an outline entry can jump the
editor to its line. No Qt.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import NamedTuple

from notebook_app.core.markdown.normalizer import HeadingSource

__all__ = [
    "MAX_ANCHORS",
    "Heading",
    "drop_anchors",
    "fill_unknown_lines",
    "flatten_toc",
    "match_heading_lines",
]

# Headings past this many get no id (and an empty Heading.anchor): QTextBrowser slows down with
# every distinct anchor in a document (each insertion is linear in their number: at 10,000
# headings one section took 0.2 s to insert). The outline still jumps the editor to them.
MAX_ANCHORS = 1_000
_HEADING_ID_RE = re.compile(r'(<h[1-6]) id="[^"]*"')


class Heading(NamedTuple):
    """One heading of a rendered note, in document order.

    (A tuple of plain values, which the garbage collector stops tracking: a long note has
    hundreds of thousands, and an edit that moves lines makes them anew.)"""

    level: int  # 1..6
    text: str  # plain text, as shown in an outline
    anchor: str  # the id attribute on the heading element (QTextBrowser.scrollToAnchor)
    line: int  # 0-based line of the heading text in the original markdown (lines split on \n)


def flatten_toc(tokens: list[dict]) -> Iterator[dict]:  # type: ignore[type-arg]
    for token in tokens:
        yield token
        yield from flatten_toc(token.get("children", []))


_WORD_RE = re.compile(r"\w+")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def _comparable(text: str) -> str:
    """Heading text reduced to its words, to match a rendered heading with its source line."""
    return "".join(_WORD_RE.findall(_LINK_TARGET_RE.sub("]", text).casefold()))


def match_heading_lines(tokens: list[dict], sources: list[HeadingSource]) -> list[int | None]:  # type: ignore[type-arg]
    """The source line of each rendered heading, None where it is not known.

    The normalizer sees the headings Python-Markdown renders, in the same order, so usually the
    two lists pair up one to one. If they do not (a heading in a construct the normalizer does
    not look into), pair by text, searching forward; an unmatched heading gets None, which
    :func:`fill_unknown_lines` turns into the line of the heading before it.
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


def fill_unknown_lines(headings: list[Heading], previous: int = 0) -> list[Heading]:
    """Give a heading of unknown line (-1) the line of the one before it (keeps the outline in
    order; ``previous``: the line of the heading before the first, 0 if none), in note order,
    so a sectioned render fills in exactly as a whole one."""
    filled: list[Heading] = []
    for heading in headings:
        if heading.line < 0:
            heading = heading._replace(line=previous)
        previous = heading.line
        filled.append(heading)
    return filled


def drop_anchors(body: str, headings: list[Heading], first: int) -> tuple[str, list[Heading]]:
    """``body`` and its ``headings`` with the ids of those past MAX_ANCHORS removed, when
    ``first`` is the note-wide index of the first of them."""
    keep = max(MAX_ANCHORS - first, 0)
    if keep >= len(headings):
        return body, headings
    seen = 0

    def strip(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match.group() if seen <= keep else match.group(1)

    kept = headings[:keep] + [h._replace(anchor="") for h in headings[keep:]]
    return _HEADING_ID_RE.sub(strip, body), kept
