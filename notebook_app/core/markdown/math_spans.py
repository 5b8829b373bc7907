"""Find the formulas in markdown source: ``$…$`` and ``\\(…\\)`` inline, ``$$…$$`` and ``\\[…\\]``
as display math.

The rules are the ones researchers' other tools follow (pandoc's ``tex_math_dollars``, Obsidian):

* an inline ``$`` opens only when a non-space follows it, and closes only when a non-space
  precedes it and no digit follows it, so ``$5 and $10`` in prose stays prose;
* ``\\$`` is a literal dollar (outside math and inside it), ``\\\\`` a literal backslash;
* ``$$``, ``\\(`` and ``\\[`` have no spacing rule;
* no formula crosses a blank line (a paragraph's end), and one that never closes is text;
* code is never math: code spans (a run of backticks up to the next run of the same length),
  fenced code (CommonMark: an unclosed fence runs to the end) and indented code blocks.
* nor is a ``[[wiki link]]``'s inside: it is a name looked up in the notebook
  (``[[The $x$ trick]]`` links to that title).

The scan is linear in the text: each search for a closing delimiter either succeeds (and the
scan resumes after it) or fails up to the paragraph's end, and that failure is remembered, so
a paragraph of 50,000 stray dollars is read once, not once per dollar.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from notebook_app.core.markdown.syntax import WIKI_LINK_RE


class MathSpan(NamedTuple):
    """One formula: ``text[start:end]`` is the formula with its delimiters, ``source`` the
    LaTeX between them (surrounding whitespace removed) and ``display`` whether it is display
    math (``$$…$$``, ``\\[…\\]``) rather than inline (``$…$``, ``\\(…\\)``)."""

    start: int
    end: int
    source: str
    display: bool


# What the main scan stops at: an escape (a backslash and the character after it), a run of
# backticks, a dollar pair, a single dollar or a wiki link's "[[".
_TOKEN_RE = re.compile(r"\\.|`+|\$\$|\$|\[\[", re.DOTALL)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*(?:\n|$)")
# What each closer search stops at: escapes (skipped), the closer, or a paragraph's end.
_CLOSE_INLINE_RE = re.compile(r"\\.|\$|\n[ \t]*(?:\n|$)", re.DOTALL)
_CLOSE_PAIR_RE = re.compile(r"\\.|\$\$|\n[ \t]*(?:\n|$)", re.DOTALL)
_CLOSE_PAREN_RE = re.compile(r"\\\)|\\.|\n[ \t]*(?:\n|$)", re.DOTALL)
_CLOSE_BRACKET_RE = re.compile(r"\\\]|\\.|\n[ \t]*(?:\n|$)", re.DOTALL)

_FENCE_OPEN_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_LIST_ITEM_RE = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")


def find_math(text: str) -> list[MathSpan]:
    """The formulas in ``text``, in order, not overlapping; code and unclosed delimiters are
    left alone. Pure and linear in ``len(text)``."""
    spans: list[MathSpan] = []
    code = _code_blocks(text)
    code_starts = [start for start, _ in code]
    # Per closer kind: no closer of that kind before this offset (a failed search's end).
    no_closer_until: dict[str, int] = {}
    backtick_runs: _BacktickRuns | None = None
    pos = 0
    length = len(text)
    while pos < length:
        match = _TOKEN_RE.search(text, pos)
        if match is None:
            break
        at = match.start()
        block = bisect_right(code_starts, at) - 1
        if block >= 0 and at < code[block][1]:
            pos = code[block][1]  # inside a code block: resume after it
            continue
        token = match.group()
        if token == "[[":
            link = WIKI_LINK_RE.match(text, at)
            # (A "[[" that opens no link is text: the next "[" may open one.)
            pos = link.end() if link is not None else at + 1
            continue
        if token[0] == "`":
            if backtick_runs is None:
                backtick_runs = _BacktickRuns(text)
            pos = backtick_runs.span_end(at, len(token))
            continue
        if token == "\\(":
            found = _close(text, at + 2, "\\)", _CLOSE_PAREN_RE, no_closer_until)
            display = False
        elif token == "\\[":
            found = _close(text, at + 2, "\\]", _CLOSE_BRACKET_RE, no_closer_until)
            display = True
        elif token == "$$":
            found = _close(text, at + 2, "$$", _CLOSE_PAIR_RE, no_closer_until)
            display = True
        elif token == "$":
            following = text[at + 1 : at + 2]
            found = (
                None
                if not following or following.isspace()
                else _close_dollar(text, at + 1, no_closer_until)
            )
            display = False
        else:
            pos = match.end()  # any other escape, e.g. \$ or \\: literal, skipped whole
            continue
        if found is None:
            pos = match.end()
            continue
        inner_end, end = found
        source = text[match.end() : inner_end].strip()
        if not source:
            pos = match.end()  # "$$$$" or "\(\)": nothing to draw, text as written
            continue
        spans.append(MathSpan(at, end, source, display))
        pos = end
    return spans


def _close(
    text: str, start: int, closer: str, pattern: re.Pattern[str], no_closer_until: dict[str, int]
) -> tuple[int, int] | None:
    """(offset of ``closer``, offset after it), searching from ``start`` to the paragraph's end."""
    if start < no_closer_until.get(closer, 0):
        return None
    for match in pattern.finditer(text, start):
        token = match.group()
        if token == closer:
            return match.start(), match.end()
        if token[0] != "\\":  # a blank line: the paragraph ended first
            no_closer_until[closer] = match.start()
            return None
    no_closer_until[closer] = len(text)
    return None


def _close_dollar(text: str, start: int, no_closer_until: dict[str, int]) -> tuple[int, int] | None:
    """The closing ``$`` of an inline formula: a non-space before it, no digit after it."""
    if start < no_closer_until.get("$", 0):
        return None
    for match in _CLOSE_INLINE_RE.finditer(text, start):
        token = match.group()
        at = match.start()
        if token == "$":
            if at > start and not text[at - 1].isspace() and not text[at + 1 : at + 2].isdigit():
                return at, at + 1
        elif token[0] != "\\":
            no_closer_until["$"] = at
            return None
    no_closer_until["$"] = len(text)
    return None


class _BacktickRuns:
    """Every run of backticks, grouped by length, for matching code spans in linear time."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._by_length: dict[int, list[int]] = {}
        for match in re.finditer(r"`+", text):
            self._by_length.setdefault(len(match.group()), []).append(match.start())
        self._next: dict[int, int] = {}  # per length: index of the first run not yet passed

    def span_end(self, at: int, length: int) -> int:
        """Where scanning resumes after the run of ``length`` backticks at ``at``: after the
        code span it opens, or (no closing run in its paragraph) just after the run itself."""
        runs = self._by_length.get(length, [])
        index = self._next.get(length, 0)
        while index < len(runs) and runs[index] <= at:
            index += 1
        self._next[length] = index
        if index < len(runs):
            closing = runs[index]
            # A run in the middle of a longer one is not a run of its own (finditer gives whole
            # runs, so this holds); the span must not cross a blank line.
            if not _BLANK_LINE_RE.search(self._text, at, closing):
                self._next[length] = index + 1
                return closing + length
        return at + length


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the fenced and indented code blocks, in order."""
    blocks: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None  # the open fence's marker
    fence_start = 0
    prev_blank = True
    prev_code = False
    in_list = False
    for line in text.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        content = line.rstrip("\r\n")
        if fence is not None:
            stripped = content.strip(" ")
            if (
                len(content) - len(content.lstrip(" ")) <= 3
                and stripped.startswith(fence)
                and stripped.strip(fence[0]) == ""
            ):
                blocks.append((fence_start, offset))
                fence = None
            continue
        blank = not content.strip()
        indent = len(content.expandtabs(4)) - len(content.expandtabs(4).lstrip(" "))
        if blank:
            prev_blank = True
            continue  # a blank line neither opens nor (alone) closes an indented block
        if indent >= 4 and (prev_blank or prev_code) and not in_list:
            if prev_code:  # the block goes on (blank lines between its lines included)
                blocks[-1] = (blocks[-1][0], offset)
            else:
                blocks.append((line_start, offset))
            prev_code, prev_blank = True, False
            continue
        prev_code = False
        opening = _FENCE_OPEN_RE.fullmatch(content)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)[0] * len(opening.group(1))
            fence_start = line_start
            prev_blank = False
            continue
        if _LIST_ITEM_RE.match(content):
            in_list = True
        elif indent == 0 and prev_blank:
            in_list = False
        prev_blank = False
    if fence is not None:
        blocks.append((fence_start, len(text)))  # CommonMark: an unclosed fence runs to the end
    return blocks
