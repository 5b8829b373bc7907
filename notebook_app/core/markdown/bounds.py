"""Bounds on what a section may cost: pathological markdown becomes plain text, with a notice.

Python-Markdown is quadratic on some inputs (each unclosed ``[`` scans to the end of its
paragraph; each inline match rebuilds the paragraph's text) and recursive on nesting, and the
preview's QTextBrowser lays out big tables and very long words slowly, on the GUI thread. A
section that holds such a construct is shown as escaped preformatted text instead, with a line
saying why, so no note can freeze the window or raise. The checks are linear in the section's
text and deterministic, so a section's render is the same whichever way it is reached (whole or
sectioned, cached or not).

The limits are set from measurements (benchmarks/bench_preview_bounds.py): each keeps the work
it allows to well under the preview's budget of 1 s of rendering and 100 ms of layout at once.
"""

from __future__ import annotations

import html
import re

from notebook_app.core.markdown.syntax import INLINE_SYNTAX_RE

__all__ = [
    "MAX_NESTING",
    "MAX_TABLE_CELLS",
    "MAX_WORD",
    "notice_for",
    "plain_parts",
    "too_costly",
]

MAX_NESTING = 40  # list / block-quote levels (Python-Markdown recurses per level)
MAX_TABLE_CELLS = 600  # cells in one table (QTextBrowser: ~0.1-0.2 ms per cell to lay out)
MAX_WORD = 8_000  # characters without a space (QTextBrowser's line breaking is quadratic)
# Characters Python-Markdown's link patterns scan, summed over every '[' (to its matching ']',
# or to the end of its paragraph when it has none): ~0.1-0.3 µs each.
MAX_BRACKET_SCAN = 1_000_000
# Places inline syntax may start (syntax.INLINE_SYNTAX_RE) times the length of the paragraph
# holding them: each inline match copies the paragraph's text (~0.5 ns per character).
MAX_INLINE_WORK = 400_000_000
# Characters in one block with no blank line in it (a list of 40,000 items): nowhere to cut it
# into sections, and Python-Markdown takes ~0.5 µs a character over it (0.92 s for 1.9 MB):
# this keeps such a block to about a quarter of a second.
MAX_BLOCK = 500_000
# Characters of code in one fenced block that names its language: Pygments colours ~0.7 MB a
# second, so longer code would hold one section's render past the preview's budget.
MAX_COLOURED_CODE = 200_000
_PART_CHARS = 4_000  # a plain section is cut into parts of at most this many characters
_BREAK_EVERY = 100  # a long run of non-space characters gets a break opportunity this often

_BLANK_LINES_RE = re.compile(r"\n(?:[ \t]*\n)+")
_FENCE_WITH_LANGUAGE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*[^\s`~{]", re.M)
# Where an inline text node ends inside a block: before a list item, a table row, a heading or
# a quote line.
_NODE_START_RE = re.compile(r"\n(?=[ \t]*(?:(?:[-*+\u2022]|\d{1,9}[.)])(?:[ \t]|$)|[|#>]))")
_TABLE_RULE_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*\|", re.MULTILINE)
_BRACKETS_RE = re.compile(r"[\[\]]")
_LONG_RUN_RE = re.compile(rf"\S{{{_BREAK_EVERY}}}")


def too_costly(text: str, depth: int) -> str | None:
    """Why the section ``text`` (prepared source) must be shown as plain text, or None.

    ``depth`` is how deep its lists and quotes nest (the normalizer counts them).
    """
    if depth > MAX_NESTING:
        return f"it nests lists or quotes more than {MAX_NESTING} levels deep"
    if len(text) <= 1_000:
        return None  # nothing below can reach a limit in so little text
    if len(text) > MAX_COLOURED_CODE and _longest_coloured_code(text) > MAX_COLOURED_CODE:
        return f"it has a code block of more than {MAX_COLOURED_CODE:,} characters to colour"
    for block in _BLANK_LINES_RE.split(text):
        reason = _block_too_costly(block)
        if reason is not None:
            return reason
    return None


def _longest_coloured_code(text: str) -> int:
    """The length of the longest fenced code block in ``text`` that names a language."""
    longest = 0
    for opening in _FENCE_WITH_LANGUAGE_RE.finditer(text):
        marker = opening.group(1)
        closing = re.compile(rf"^[ \t]{{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.M)
        end = closing.search(text, opening.end())
        longest = max(longest, (end.start() if end else len(text)) - opening.end())
    return longest


def _block_too_costly(block: str) -> str | None:
    if len(block) > MAX_BLOCK:
        return f"it is one block of more than {MAX_BLOCK:,} characters without a blank line"
    if len(block) > MAX_WORD and max(map(len, block.split()), default=0) > MAX_WORD:
        return f"it has a word of more than {MAX_WORD:,} characters"
    if block.count("|") > MAX_TABLE_CELLS and _TABLE_RULE_RE.search(block):
        return f"it has a table of more than {MAX_TABLE_CELLS:,} cells"
    if len(block) ** 2 // 2 <= MAX_BRACKET_SCAN:
        return None  # neither measure below can exceed its limit
    for node in _NODE_START_RE.split(block):
        if _bracket_scan(node) > MAX_BRACKET_SCAN:
            return "it has too many unclosed brackets"
        # (Every pattern counts: highlights, block ids and bare URLs cost as emphasis does.)
        syntax = sum(1 for _ in INLINE_SYNTAX_RE.finditer(node))
        if syntax * len(node) > MAX_INLINE_WORK:
            return "it has too much inline markup in one paragraph"
    return None


def _bracket_scan(node: str) -> int:
    """How many characters the link patterns scan for the brackets of one text node."""
    if node.count("[") * len(node) <= MAX_BRACKET_SCAN:
        return 0  # cannot exceed the limit: skip the walk
    scanned = 0
    opened: list[int] = []
    for match in _BRACKETS_RE.finditer(node):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            scanned += match.start() - opened.pop()
    return scanned + sum(len(node) - start for start in opened)


def notice_for(reason: str) -> str:
    """The line shown above a section shown as plain text because of ``reason``."""
    return f"Shown as plain text: {reason}, which is too much for the preview."


def plain_parts(text: str, notice: str | None) -> tuple[str, ...]:
    """``text`` as escaped preformatted text after ``notice`` (if any), cut into parts of
    at most _PART_CHARS characters (the preview lays out one part at a time, ~2 µs per
    character); long runs of non-space characters get break opportunities (a zero-width space)
    so the preview can wrap them cheaply."""
    parts = [f'<p class="render-notice"><i>{html.escape(notice)}</i></p>'] if notice else []
    text = _LONG_RUN_RE.sub("\\g<0>\u200b", text)
    start = 0
    while start < len(text):
        end = start + _PART_CHARS
        if end < len(text):
            # Cut after a line when there is one in the second half of the part.
            newline = text.rfind("\n", start + _PART_CHARS // 2, end)
            end = newline + 1 if newline >= 0 else end
        chunk = html.escape(text[start:end].removesuffix("\n"), quote=False)
        # pre-wrap: a long line wraps at the view's width instead of making it scroll sideways.
        parts.append(f'<pre class="plain-text" style="white-space: pre-wrap">{chunk}</pre>')
        start = end
    return tuple(parts)
