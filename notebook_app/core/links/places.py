"""Where a link's ``#heading`` or ``#^block`` is in an entry's text.

``[[Note#Heading]]`` names a heading of the note, ``[[Note#^claim-1]]`` the block (the
paragraph or list item) whose line ends with ``^claim-1``, as in Obsidian. Following such a
link puts the cursor there (:func:`place_line`); embedding one (``![[Note#Heading]]``) shows
only that part of the note (:func:`linked_part`): a heading with everything under it up to
the next heading of its level or above, a block with its paragraph. Headings and block ids
inside code are not places. Headings are compared as link names are (:func:`name_key`).
"""

from __future__ import annotations

from notebook_app.core.links.wikilinks import name_key, prose_lines
from notebook_app.core.markdown.syntax import (
    BLOCK_ID_RE,
    LIST_ITEM_RE,
    heading_line,
    setext_level,
)


def _headings(text: str) -> list[tuple[int, int, str]]:
    """(line, level, text) of each heading outside code, ATX and setext alike."""
    found: list[tuple[int, int, str]] = []
    previous: tuple[int, str] | None = None  # the prose line just before, for setext
    starts = _line_starts(text)
    for offset, line in prose_lines(text):
        number = starts[offset]
        atx = heading_line(line)
        if atx is not None:
            found.append((number, atx[1], atx[2].strip()))
            previous = None
            continue
        if previous is not None and previous[0] == number - 1:
            level = setext_level(line, previous[1])
            if level is not None:
                found.append((previous[0], level, previous[1].strip()))
                previous = None
                continue
        previous = (number, line)
    return found


def _line_starts(text: str) -> dict[int, int]:
    """Each line's offset -> its 0-based number."""
    starts, offset = {}, 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        starts[offset] = number
        offset += len(line)
    return starts


def _block_line(text: str, block_id: str) -> int | None:
    starts = _line_starts(text)
    for offset, line in prose_lines(text):
        match = BLOCK_ID_RE.search(line)
        if match is not None and match.group("id").casefold() == block_id.casefold():
            return starts[offset]
    return None


def place_line(text: str, heading: str) -> int | None:
    """The 0-based line of ``heading`` (a heading's text, or ``^id`` for a block) in ``text``;
    None when the text has no such place."""
    if heading.startswith("^"):
        return _block_line(text, heading[1:])
    wanted = name_key(heading)
    return next((line for line, _level, name in _headings(text) if name_key(name) == wanted), None)


def linked_part(text: str, heading: str) -> str | None:
    """The part of ``text`` that ``[[Note#heading]]`` names: the heading and what is under it
    (to the next heading of its level or above), or the block's paragraph; None if not there."""
    lines = text.splitlines()
    if heading.startswith("^"):
        at = _block_line(text, heading[1:])
        if at is None:
            return None
        first = at
        # A list item is its own block (its line); a paragraph runs up to the blank line.
        while (
            first > 0
            and not LIST_ITEM_RE.match(lines[first])
            and lines[first - 1].strip()
            and heading_line(lines[first - 1]) is None
        ):
            first -= 1
        return "\n".join(lines[first : at + 1])
    wanted = name_key(heading)
    headings = _headings(text)
    for index, (line, level, name) in enumerate(headings):
        if name_key(name) == wanted:
            end = next((h[0] for h in headings[index + 1 :] if h[1] <= level), len(lines))
            return "\n".join(lines[line:end]).rstrip()
    return None
