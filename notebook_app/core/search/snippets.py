"""Where a query's words stand in a text: the excerpt a result shows, and the spans to mark.

The index matches without accents (``unicode61 remove_diacritics 2``): ``cafe`` finds "Café".
The spans must follow it, so each letter of a query word matches its accented forms too
(``e`` matches ``é è ê ë`` and a decomposed ``e`` + U+0301); the text itself is never
rewritten, so the spans are offsets into it as it is.

An excerpt is for a list row, which shows its first forty characters or so: it starts a few
words before the first hit, at the start of a word (or of the hit's line), and reads as text,
not as markdown (``## Heading`` is "Heading", ``[text](url)`` is "text").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from notebook_app.core.errors import QueryError
from notebook_app.core.links.wikilinks import links_as_shown
from notebook_app.core.markdown.syntax import (
    BLOCK_ID_RE,
    HIGHLIGHT_RE,
    LINE_LEAD_RE,
    LOGSEQ_BOOKKEEPING_RE,
    STRIKE_RE,
)
from notebook_app.core.model.listing import Snippet
from notebook_app.core.search.index_text import CJK_RUN
from notebook_app.core.search.query import Term, parse_query

SNIPPET_LEAD = 24  # at most this many characters before the hit
SNIPPET_LENGTH = 200
HIT_LIMIT = 1000  # spans marked in one text, at most (an editor marks them all at once)
_COMBINING = "[\u0300-\u036f]*"
# Letters that carry accents: Latin-1, Latin Extended-A and B, Latin Extended Additional.
_ACCENTED_RANGES = ((0x00C0, 0x0250), (0x1E00, 0x1F00))


@functools.cache
def _accent_variants() -> dict[str, str]:
    """Each base letter (lower case) and the accented letters that fold to it."""
    variants: dict[str, str] = {}
    for start, stop in _ACCENTED_RANGES:
        for code in range(start, stop):
            char = chr(code)
            base = unicodedata.normalize("NFD", char)[0].lower()
            if base != char.lower() and base.isascii() and base.isalpha():
                variants[base] = variants.get(base, "") + char.lower()
    return variants


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def fold_accents(text: str) -> str:
    """``Café`` as ``Cafe``: each character without its accents (same length)."""
    return text if text.isascii() else "".join(_fold_char(char) for char in text)


def _letters(word: str, accents: bool) -> str:
    """A pattern for ``word`` that matches its letters with or without accents (``accents``),
    or, for text known to be ASCII, as they are."""
    if not accents:
        return re.escape(fold_accents(word))
    variants = _accent_variants()
    parts = []
    for char in fold_accents(word):
        others = variants.get(char.lower())
        parts.append(f"[{char}{others}]{_COMBINING}" if others else re.escape(char))
    return "".join(parts)


def _term_pattern(term: Term, accents: bool) -> str:
    words = re.findall(r"\w+", term.text)
    if not words:
        return re.escape(term.text)
    joined = r"\W+".join(_letters(word, accents) for word in words)
    if CJK_RUN.search(term.text):
        return joined  # CJK matches inside words, as the index does
    return r"\b" + joined + (r"\w*" if term.prefix else r"(?!\w)")


def highlight_pattern(terms: list[Term], text: str = "\u00e9") -> re.Pattern[str] | None:
    """The pattern of the terms' hits in ``text``: one that matches accented letters too,
    unless ``text`` is ASCII (most text, and a plain pattern is three times faster)."""
    return _highlight_pattern(tuple(terms), not text.isascii())


@functools.lru_cache(maxsize=64)
def _highlight_pattern(terms: tuple[Term, ...], accents: bool) -> re.Pattern[str] | None:
    # Cached: a page of results asks for the same query's pattern once per row.
    patterns = [_term_pattern(term, accents) for term in terms]
    if not patterns:
        return None
    # Longest first, so "sparse autoencoder" wins over "sparse".
    patterns.sort(key=len, reverse=True)
    return re.compile("|".join(patterns), re.IGNORECASE)


def search_hits(text: str, query: str, limit: int = HIT_LIMIT) -> list[tuple[int, int]]:
    """The spans of ``text`` that the words of ``query`` (the search box's text) match: what
    the window marks in the open entry. Filters (``tag:``, ``kind:``) mark nothing; a query
    that does not parse marks nothing."""
    try:
        terms = parse_query(query).positive_terms
    except QueryError:
        return []
    pattern = highlight_pattern(terms, text)
    if pattern is None:
        return []
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        if match.end() > match.start():
            spans.append(match.span())
            if len(spans) >= limit:
                break
    return spans


# --- excerpts ----------------------------------------------------------------------------------

# Markdown that reads as noise in one line of a list: block marks at a line's start
# (syntax.LINE_LEAD_RE), link marks (wiki links read as their labels), and inline marks
# (==highlights== and ~~strikethrough~~ by syntax.py's patterns, as the preview reads them).
# Each pattern starts with a literal character, so the engine skips ahead to it (a pattern
# that starts with a lookbehind is tried at every position: ten times slower).
_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"\*\*|__|`+|[*_](?:(?<![\w*_][*_])(?=\S)|(?<=\S[*_])(?![\w*_]))")


def plain_excerpt(markdown: str) -> str:
    """One line of ``markdown`` as it reads: marks removed, spaces collapsed."""
    text = LINE_LEAD_RE.sub("", markdown)
    if "[" in text:
        text = links_as_shown(_MARKDOWN_LINK.sub(r"\1", text))
    if "==" in text:
        text = HIGHLIGHT_RE.sub(r"\g<text>", text)
    if "~~" in text:
        text = STRIKE_RE.sub(r"\g<text>", text)
    if "^" in text:
        text = BLOCK_ID_RE.sub("", text)
    if "::" in text:
        text = LOGSEQ_BOOKKEEPING_RE.sub("", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _lead_start(body: str, hit: int) -> int:
    """Where an excerpt of a hit at ``hit`` starts: at most SNIPPET_LEAD characters before it,
    at the start of a word, or at the start of the hit's line if that is nearer."""
    line_start = body.rfind("\n", 0, hit) + 1
    if hit - line_start <= SNIPPET_LEAD:
        return line_start
    start = hit - SNIPPET_LEAD
    if body[start - 1].isspace():
        return start
    space = re.compile(r"\s").search(body, start, hit)
    if space is not None:
        return space.end()
    # The hit is inside a long word (Korean compounds): from that word's start.
    before = max(body.rfind(" ", line_start, hit), body.rfind("\t", line_start, hit))
    return before + 1 if before != -1 else line_start


def make_snippet(body: str, terms: list[Term]) -> Snippet:
    """The excerpt of ``body`` around the first hit of any term (its start if none), as plain
    text, with the spans of every hit inside it."""
    pattern = highlight_pattern(terms, body)
    first = pattern.search(body) if pattern else None
    start = _lead_start(body, first.start()) if first is not None else 0
    # Enough markdown to leave SNIPPET_LENGTH characters once its marks are gone.
    window = body[start : start + SNIPPET_LENGTH + 100]
    text = plain_excerpt(window)[:SNIPPET_LENGTH]
    if start > 0 and body[start - 1] != "\n":
        text = "…" + text
    if start + len(window) < len(body) or len(text) >= SNIPPET_LENGTH:
        text += "…"
    if pattern is None:
        return Snippet(text)
    pattern = highlight_pattern(terms, text)
    assert pattern is not None
    highlights = tuple(m.span() for m in pattern.finditer(text) if m.end() > m.start())
    return Snippet(text, highlights)
