"""The notebook's answers applied to a rendered note: links resolved or not, glossary terms.

The renderer's HTML depends on the text alone (its section cache must stay valid while entries
are created and renamed), so what only the notebook knows is applied afterwards, here, to each
section's HTML: pure string work, no Qt, cheap enough for the GUI thread (a section without a
``wiki:`` link or a term is returned as it is, untouched).

* :func:`mark_links`: each ``a.wikilink`` gets a class ``wikilink-resolved``, ``-missing`` or
  ``-ambiguous`` (one class per selector: Qt's CSS has no compound class selectors) and a
  tooltip saying what following it does.
* :func:`mark_terms`: the first use of each glossary term in the note becomes ``a.term`` to the
  term (``entry:ID``) with its definition as the tooltip; never inside a link, code or a
  heading.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import unquote

from notebook_app.core.links.results import LinkTarget
from notebook_app.core.links.wikilinks import name_key

__all__ = [
    "LinkMarks",
    "TermMark",
    "TermsCache",
    "definition_of",
    "link_names",
    "mark_links",
    "mark_terms",
]

_WIKILINK_RE = re.compile(r'<a class="wikilink( embed)?" href="wiki:([^"#]*)((?:#[^"]*)?)">')
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
# Inside these, a term is not marked: links (a term inside a link would be a link in a link),
# code, headings (the outline shows them plain) and what the renderer marks as notices.
_NO_TERMS = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_DEFINITION = 300  # characters of a definition shown as a tooltip


@dataclasses.dataclass(frozen=True, slots=True)
class TermMark:
    """A glossary term to mark in a note: the text as the note writes it, the term's id, and
    its definition (the first paragraph of its body, plain)."""

    text: str
    term_id: str
    title: str
    definition: str


def link_names(section_html: str) -> list[str]:
    """The names the ``[[links]]`` in a rendered section point at (for the notebook to
    resolve)."""
    if "wiki:" not in section_html:
        return []
    return [unquote(match.group(2)) for match in _WIKILINK_RE.finditer(section_html)]


def mark_links(section_html: str, targets: Mapping[str, LinkTarget]) -> str:
    """``section_html`` with each wiki link's class and tooltip saying what it resolves to
    (``targets`` by :func:`name_key`; a name not in it is left as it is, unknown yet)."""
    if "wiki:" not in section_html:
        return section_html

    def marked(match: re.Match[str]) -> str:
        name = unquote(match.group(2))
        embed = match.group(1) or ""
        if not name:  # [[#Heading]]: this entry
            state, tip = "resolved", "A heading of this entry"
        else:
            target = targets.get(name_key(name))
            if target is None:
                return match.group(0)
            if target.entry_id is None:
                state, tip = "missing", f"No entry is called {name}: follow to create it"
            elif target.ambiguous:
                state = "ambiguous"
                tip = f"{target.candidates} entries are called {name}: follow to choose one"
            else:
                state, tip = "resolved", str(target.title)
        href = f"wiki:{match.group(2)}{match.group(3)}"
        return (
            f'<a class="wikilink{embed} wikilink-{state}" href="{href}" title="{html.escape(tip)}">'
        )

    return _WIKILINK_RE.sub(marked, section_html)


class LinkMarks:
    """:func:`link_names` and :func:`mark_links` of each section, kept while the answers they
    used stand (``forget`` when ``targets`` changes): an edit of a long note re-reads only the
    section it changed, not the links of a thousand others."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[list[str], str]] = {}

    def forget(self) -> None:
        self._known.clear()

    def mark(
        self, sections: Sequence[str], targets: Mapping[str, LinkTarget]
    ) -> tuple[list[str], list[str]]:
        """(the sections marked, the link names they hold)."""
        if len(self._known) > _MAX_CACHED:
            self._known.clear()
        marked: list[str] = []
        names: list[str] = []
        for section in sections:
            hit = self._known.get(section)
            if hit is None:
                hit = self._known[section] = (link_names(section), mark_links(section, targets))
            names.extend(hit[0])
            marked.append(hit[1])
        return marked, names


def _terms_pattern(texts: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every term's text as HTML writes it, longest first, as whole words."""
    escaped = sorted({html.escape(text, quote=False) for text in texts}, key=len, reverse=True)
    alternatives = "|".join(re.escape(text) for text in escaped)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


# A section's marking, by (its HTML, the terms' version, the terms found before it): an edit
# re-marks only the section it changed (and those after it, if it changed which terms come
# first). Kept by the caller, one per preview.
TermsCache = dict[tuple[str, object, tuple[str, ...]], tuple[str, tuple[str, ...]]]
_MAX_CACHED = 8192


def mark_terms(
    sections: Sequence[str],
    terms: Sequence[TermMark],
    cache: TermsCache | None = None,
    version: object = None,
) -> list[str]:
    """``sections`` with the first use of each term marked (see the module's doc).

    Each term is marked once in the whole note, in the first section (and place) where its
    text stands outside links, code and headings; sections holding none stay the same
    strings. With a ``cache`` (and the ``version`` of ``terms`` it is valid for), sections
    marked before are not looked at again."""
    if not terms:
        return list(sections)
    if cache is not None and len(cache) > _MAX_CACHED:
        cache.clear()
    by_text = {html.escape(term.text, quote=False): term for term in terms}
    remaining = dict(by_text)
    found: list[str] = []  # the terms marked so far, in order
    out = []
    for section in sections:
        if not remaining:
            out.append(section)
            continue
        key = (section, version, tuple(found))
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            before = list(remaining)
            pattern = _terms_pattern(term.text for term in remaining.values())
            marked = _mark_section(section, pattern, remaining)
            hit = (marked, tuple(text for text in before if text not in remaining))
            if cache is not None:
                cache[key] = hit
        else:
            for text in hit[1]:
                remaining.pop(text, None)
        out.append(hit[0])
        found.extend(hit[1])
    return out


def _mark_section(section: str, pattern: re.Pattern[str], remaining: dict[str, TermMark]) -> str:
    """Mark the first use of each term of ``remaining`` found in ``section`` (and drop it from
    ``remaining``)."""
    pieces: list[str] = []
    skip_depth = 0
    position = 0
    changed = False
    for tag in _TAG_RE.finditer(section):
        text = section[position : tag.start()]
        if text and not skip_depth and text.strip():
            text, hit = _mark_text(text, pattern, remaining)
            changed = changed or hit
        pieces.append(text)
        pieces.append(tag.group(0))
        name = tag.group(2).lower()
        if name in _NO_TERMS:
            skip_depth += -1 if tag.group(1) else 1
            skip_depth = max(skip_depth, 0)
        position = tag.end()
    tail = section[position:]
    if tail and not skip_depth:
        tail, hit = _mark_text(tail, pattern, remaining)
        changed = changed or hit
    pieces.append(tail)
    return "".join(pieces) if changed else section


def _mark_text(
    text: str, pattern: re.Pattern[str], remaining: dict[str, TermMark]
) -> tuple[str, bool]:
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        term = remaining.pop(match.group(0), None)
        if term is None:
            continue  # marked earlier in this text
        tip = html.escape(f"{term.title}: {term.definition}" if term.definition else term.title)
        out.append(text[last : match.start()])
        href = f"entry:{term.term_id}"
        out.append(f'<a class="term" href="{href}" title="{tip}">{match.group(0)}</a>')
        last = match.end()
    if not out:
        return text, False
    out.append(text[last:])
    return "".join(out), True


# Obsidian's comments (within a line, or from a line opening with %% to the next holding %%)
# and a callout's type mark: neither is shown on the page, so neither is in a definition.
_COMMENTS_RE = re.compile(r"%%.*?%%", re.DOTALL)
_CALLOUT_MARK_RE = re.compile(r"^\[![\w-]+\][+-]?")


def definition_of(body: str) -> str:
    """A term's definition for a tooltip: the first paragraph of its body as the preview reads
    it (marks, comments and block ids left out, links by their labels), cut to a readable
    length."""
    from notebook_app.core.search.snippets import plain_excerpt

    text = _COMMENTS_RE.sub("", body) if "%%" in body else body
    plain = ""
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip() and not block.lstrip().startswith(("#", "---", "```")):
            lines = [plain_excerpt(line) for line in block.splitlines()]
            lines[0] = _CALLOUT_MARK_RE.sub("", lines[0])
            plain = " ".join(" ".join(lines).split())
            if plain:
                break
    if len(plain) > _MAX_DEFINITION:
        plain = plain[: _MAX_DEFINITION - 1].rsplit(" ", 1)[0] + "…"
    return plain
