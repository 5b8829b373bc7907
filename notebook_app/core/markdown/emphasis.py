"""Strong and emphasis spans within one line, as the editor colours them, in near-linear time.

The editor's highlighter read them with lazy regular expressions (``(\\*\\*|__)(?=[^\\s*_])
(.+?)(?<=\\S)\\1`` and the like), which scan from every opening mark to the line's end when no
closing mark follows: a 16,000-character line of ``**a `` took 0.7 s on each keystroke. The
spans are the same (tests/test_emphasis.py checks them against those expressions): each
opening mark closes at the first closing mark of its kind after it, found by bisection among
the closing marks listed in one pass; a mark no closing mark follows ends the search for its
kind, since every later one has fewer closing marks after it. No Qt.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

__all__ = ["both_spans", "emphasis_spans", "strong_spans"]

Span = tuple[int, int]  # start, end (code point offsets into the line)
# (line, position, mark) -> whether the mark opens / closes there
_Test = Callable[[str, int, str], bool]


def strong_spans(line: str) -> list[Span]:
    """``**strong**`` and ``__strong__``: a mark before a character that is no space, ``*`` or
    ``_``, to the next same mark after a character that is no space."""
    return _spans(line, ("**", "__"), _opens_before_text, _closes_after_text, 1)


def both_spans(line: str) -> list[Span]:
    """``***bold and italic***`` (and ``___``): as strong, closing after no space, ``*`` or
    ``_``."""
    return _spans(line, ("***", "___"), _opens_before_text, _closes_after_word, 1)


def emphasis_spans(line: str) -> list[Span]:
    """``*emphasis*`` and ``_emphasis_``: a single mark (not one of a pair), not after a word
    character or ``*``, before a character that is no space; closed by the same mark after no
    space, ``*`` or ``_``, and before no word character or ``*``."""
    return _spans(line, ("*", "_"), _opens_emphasis, _closes_emphasis, 1)


def _spans(line: str, marks: Iterable[str], opens: _Test, closes: _Test, least: int) -> list[Span]:
    """The spans finditer would give for ``(mark)(?=...)(.+?)(?<=...)\\1`` over ``marks``:
    ``least``: the fewest characters between the marks."""
    openings: list[tuple[int, str]] = []
    closings: dict[str, list[int]] = {}
    for mark in marks:
        found = _positions(line, mark)
        openings.extend((at, mark) for at in found if opens(line, at, mark))
        closings[mark] = [at for at in found if closes(line, at, mark)]
    openings.sort()
    spans: list[Span] = []
    done = 0  # where the last span ended: finditer looks on from there
    exhausted: set[str] = set()
    for at, mark in openings:
        if at < done or mark in exhausted:
            continue
        after = closings[mark]
        index = bisect.bisect_left(after, at + len(mark) + least)
        if index == len(after):
            exhausted.add(mark)  # no closing mark after this one, nor after any later one
            continue
        done = after[index] + len(mark)
        spans.append((at, done))
    return spans


def _positions(line: str, mark: str) -> list[int]:
    """Every position ``mark`` starts at in ``line``, overlapping ones too (``***``)."""
    found = []
    at = line.find(mark)
    while at >= 0:
        found.append(at)
        at = line.find(mark, at + 1)
    return found


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


def _opens_before_text(line: str, at: int, mark: str) -> bool:
    after = at + len(mark)
    return after < len(line) and not line[after].isspace() and line[after] not in "*_"


def _closes_after_text(line: str, at: int, mark: str) -> bool:
    return at > 0 and not line[at - 1].isspace()


def _closes_after_word(line: str, at: int, mark: str) -> bool:
    return at > 0 and not line[at - 1].isspace() and line[at - 1] not in "*_"


def _opens_emphasis(line: str, at: int, mark: str) -> bool:
    if at > 0 and (line[at - 1] == "*" or _word(line[at - 1])):
        return False
    after = at + 1
    return after < len(line) and line[after] != mark and not line[after].isspace()


def _closes_emphasis(line: str, at: int, mark: str) -> bool:
    if not _closes_after_word(line, at, mark):
        return False
    after = at + 1
    return after == len(line) or (line[after] != "*" and not _word(line[after]))
