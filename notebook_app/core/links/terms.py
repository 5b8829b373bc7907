"""Finding names (glossary terms, an entry's title and aliases) in a body, fast.

:class:`NameMatcher` holds many names: an index from each name's first word (case folded) to
the names starting with it, longest first, built once. Reading a text is then one pass over its
words with a dictionary look-up each; only a word that starts some name tries that name's own
pattern (:func:`text.name_pattern`, which carries the case rule) at that place. That is the
Aho-Corasick idea cut to what prose needs (names start at a word), in plain Python: on the 90 KB
podcast sample with 500 terms it reads the text in a few milliseconds, where one alternation
regex of 1,000 names retries every name at every word. The notebook builds one per glossary
version and keeps it (``storage/linking.py``).

Names are looked for in prose only: not in code (fences, indented blocks, spans), URLs or link
destinations, and, when asked (mentions, which must not be linked already), not inside
``[[links]]``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator

from notebook_app.core.attachments.references import MD_LINK_RE
from notebook_app.core.links.file_links import DEFINITION_RE
from notebook_app.core.links.text import first_word, leading_chars, name_pattern
from notebook_app.core.links.wikilinks import has_code, prose_lines
from notebook_app.core.markdown.syntax import WIKI_LINK_RE, code_spans

_WORD_RE = re.compile(r"\w+")
# Bare URLs and the destination of a markdown link or image: not prose.
_URL_RE = re.compile(r"<?\bhttps?://[^\s>)\]]+>?|\]\([^)\n]*\)")


@dataclasses.dataclass(frozen=True, slots=True)
class Name:
    owner: int  # the entry's seq
    name: str  # the title or an alias, as the entry has it
    pattern: re.Pattern[str]


@dataclasses.dataclass(frozen=True, slots=True)
class Found:
    owner: int
    name: str
    start: int
    end: int


def searchable_lines(
    text: str, *, skip_links: bool
) -> Iterator[tuple[int, str, list[tuple[int, int]]]]:
    """(offset, line, spans not to look in) of each prose line of ``text``; a text without
    code is one "line" (its URLs and links found in one pass: no per-line work)."""
    if not has_code(text):
        spans: list[tuple[int, int]] = []
        if "://" in text or "](" in text:
            spans += [match.span() for match in _URL_RE.finditer(text)]
        if skip_links and "[[" in text:
            spans += [match.span() for match in WIKI_LINK_RE.finditer(text)]
        if skip_links and "](" in text:  # [a link's text](Other.md) is linked already
            spans += [match.span() for match in MD_LINK_RE.finditer(text)]
        if skip_links and "]:" in text:  # nor is a link's definition ([x]: Other.md "Title")
            spans += [match.span() for match in DEFINITION_RE.finditer(text)]
        yield 0, text, _merged(spans)
        return
    for offset, line in prose_lines(text):
        spans = code_spans(line)
        if "://" in line or "](" in line:
            spans += [match.span() for match in _URL_RE.finditer(line)]
        if skip_links and "[[" in line:
            spans += [match.span() for match in WIKI_LINK_RE.finditer(line)]
        if skip_links and "](" in line:
            spans += [match.span() for match in MD_LINK_RE.finditer(line)]
        if skip_links and "]:" in line:
            spans += [match.span() for match in DEFINITION_RE.finditer(line)]
        yield offset, line, _merged(spans) if len(spans) > 1 else spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, overlapping ones joined (for :func:`_in_sorted`)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _in_sorted(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` is inside one of ``spans`` (sorted, not overlapping; a line's few
    code spans and URLs qualify too: they do not overlap)."""
    index = bisect.bisect_right(spans, (position, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


class NameMatcher:
    """Many names, found in one pass over a text (see the module's doc)."""

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        by_first: dict[str, list[tuple[int, Name]]] = {}
        seen: set[tuple[int, str]] = set()
        for owner, name in names:
            name = " ".join(name.split())
            word = first_word(name)
            if word is None or (owner, name) in seen:
                continue
            seen.add((owner, name))
            by_first.setdefault(word, []).append(
                (leading_chars(name), Name(owner, name, name_pattern(name)))
            )
        for candidates in by_first.values():
            candidates.sort(key=lambda item: -len(item[1].name))  # the longest name wins
        self._by_first = by_first
        self.owners = len({owner for owner, _name in seen})

    def find(
        self, text: str, *, skip_links: bool = False, done: set[int] | None = None
    ) -> Iterator[Found]:
        """Every place a name stands in ``text``'s prose, in order, not overlapping; names of
        the owners in ``done`` (which the caller may fill as it goes) are not looked for."""
        by_first = self._by_first
        if not by_first:
            return
        # The first words whose every name's owner is done are dropped from a copy as owners
        # get done (the caller adds them between yields): late in a long text most words that
        # start a name need no look at all.
        active = dict(by_first) if done is not None else by_first
        resume = 0  # in ``text``: a name may run on to the next line (soft-wrapped prose)
        for offset, line, spans in searchable_lines(text, skip_links=skip_links):
            # Words are looked up folded: lower-case the line once when that keeps offsets
            # (then only a word outside ASCII needs casefold, which lower may not match).
            lowered = line.lower()
            folded = lowered if len(lowered) == len(line) else None
            for word in _WORD_RE.finditer(line if folded is None else folded):
                if offset + word.start() < resume:
                    continue
                key = word.group()
                if folded is None or not key.isascii():
                    key = key.casefold()
                candidates = active.get(key)
                if candidates is None:
                    continue
                if done and all(name.owner in done for _lead, name in candidates):
                    del active[key]  # nothing left to find by this word
                    continue
                for lead, name in candidates:
                    start = word.start() - lead
                    if offset + start < resume or (spans and _in_sorted(start, spans)):
                        continue
                    match = name.pattern.match(text, offset + start)
                    if match is None:
                        continue
                    # The longest name here takes the words, even one no longer looked for.
                    if not (done and name.owner in done):
                        yield Found(name.owner, name.name, match.start(), match.end())
                    resume = match.end()
                    break

    def first_uses(self, text: str, *, skip_owner: int | None = None) -> list[Found]:
        """The first place each owner's names stand in ``text``, in the order they appear."""
        done: set[int] = set() if skip_owner is None else {skip_owner}
        first: list[Found] = []
        for found in self.find(text, done=done):
            first.append(found)
            done.add(found.owner)
            if len(first) == self.owners:
                break
        return first
