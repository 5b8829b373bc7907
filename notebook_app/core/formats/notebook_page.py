"""One person's ML / AI-safety notebook page (like ``ml-notebook-page.txt``) as entries.

The page is plain text exported from a notes tool: section titles are bare lines, lists are
``  • `` bullets, a bullet's further paragraphs are indented below it. Its parts arrive as what
they are:

* "Terms and Concepts": one glossary term per bullet, in the page's order. The title is the
  text before the first ``:`` or `` - ``; the rest, with the bullet's further paragraphs, is the
  definition.
* "What I'm Learning" / "What I Want To Learn" / "What I've learnt thus far": a learning status
  for the glossary term an item names, or a term of its own (after the glossary) when it names
  none. Bare lines between the bullets ("Evaluation and Analysis") only group them.
* "People I've Met ...": one meeting per "Meeting with X" title; X is who was met.
* Everything else (key readings, the month-by-month log, papers with notes, ...): one note
  titled with the page's title, its section titles as headings, its bullets as a list.

Every entry gets an id derived from its kind and title, so importing the page again updates or
skips what it imported before instead of adding it twice.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
import uuid
from collections import Counter
from collections.abc import Iterable

from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.formats.sample_formats import bullets_to_markdown
from notebook_app.core.model.entry import Entry, Kind, LearningStatus, normalize_tag

# Namespace of the ids of page entries (uuid5 of kind and title): fixed, so ids are stable
# across runs and machines.
PAGE_ID_NAMESPACE = uuid.UUID("0b9d1d0e-5c57-4d44-9d0a-3f6e8b2c7a15")

MAX_TITLE_LENGTH = 120  # a longer first line is a paragraph, not the page's title
MAX_HEADING_LENGTH = 80  # a bare line longer than this is a paragraph, not a section title

_LEARNING_HEADINGS = (
    (re.compile(r"what i(?:'m| am) (?:currently )?learning\b"), LearningStatus.LEARNING),
    (re.compile(r"what i (?:want|would like) to learn\b"), LearningStatus.WANT),
    (re.compile(r"what i(?:'ve| have) (?:learnt|learned)\b"), LearningStatus.LEARNED),
)
# Exact section titles only: a podcast summary's "Key terms and concepts of the episode" is
# not a glossary of the user's own.
_GLOSSARY_HEADING = re.compile(r"(?:terms and concepts|glossary)\s*:?")
_PEOPLE_HEADING = re.compile(r"people i(?:'ve| have) met\b.*")
_MEETING_HEADING = re.compile(r"meeting with\s+(?P<who>\S.*?)", re.IGNORECASE)
_BULLET = re.compile(r"^(?P<indent>\s*)[•*-]\s+(?P<text>\S.*?)\s*$")
_TERM_SEPARATOR = re.compile(r":|\s-\s")
_PARENTHESIS = re.compile(r"\([^)]*\)")


@dataclasses.dataclass(slots=True)
class _Term:
    title: str
    definition: str  # the bullet's text after the separator
    more: list[str] = dataclasses.field(default_factory=list)  # the lines below the bullet
    status: LearningStatus | None = None
    aliases: list[str] = dataclasses.field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return bool(self.definition) or any(line.strip() for line in self.more)


@dataclasses.dataclass(slots=True)
class _Meeting:
    title: str
    who: str
    lines: list[str] = dataclasses.field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return any(line.strip() for line in self.lines)


@dataclasses.dataclass(slots=True)
class _Page:
    note_lines: list[str] = dataclasses.field(default_factory=list)
    terms: list[_Term] = dataclasses.field(default_factory=list)
    learning: list[tuple[LearningStatus, str]] = dataclasses.field(default_factory=list)
    meetings: list[_Meeting] = dataclasses.field(default_factory=list)


# --- recognising lines ---------------------------------------------------------------------


def _key(line: str) -> str:
    """A line compared as a section title: trimmed, any apostrophe, any case."""
    return line.strip().replace("\u2019", "'").casefold()


def _is_bare(line: str) -> bool:
    """Unindented text that is not a bullet: where section titles and paragraphs live."""
    return bool(line.strip()) and not line[:1].isspace() and not _BULLET.match(line)


def _looks_like_heading(line: str) -> bool:
    """A short bare line that does not end a sentence ("Dec 2023", "What is Steering?")."""
    stripped = line.strip()
    return _is_bare(line) and len(stripped) <= MAX_HEADING_LENGTH and stripped[-1] not in ".,;:!"


def _section_kind(line: str) -> tuple[str, LearningStatus | None] | None:
    """("learning", status), ("glossary", None) or ("people", None) for a section title."""
    if not _is_bare(line) or len(line.strip()) > 60:
        return None
    key = _key(line)
    for pattern, status in _LEARNING_HEADINGS:
        if pattern.match(key):
            return "learning", status
    if _GLOSSARY_HEADING.fullmatch(key):
        return "glossary", None
    if _PEOPLE_HEADING.fullmatch(key):
        return "people", None
    return None


def _next_is_bullet(lines: list[str], index: int) -> bool:
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return bool(_BULLET.match(following))


# --- the sections --------------------------------------------------------------------------


def _read_learning(section: list[str]) -> tuple[list[str], int]:
    """The items of a learning list, and where the list ends.

    A bare line with bullets below it labels them ("Evaluation and Analysis"); one without
    ("Steering and Evaluation Research + ...", just before "Key Readings") is the rest of the
    page starting, so the list ends there and that line stays in the note.
    """
    items: list[str] = []
    for index, line in enumerate(section):
        bullet = _BULLET.match(line)
        if bullet:
            items.append(bullet["text"])
        elif _is_bare(line) and not _next_is_bullet(section, index):
            return items, index
    return items, len(section)


def _term_from_bullet(text: str) -> _Term:
    """``Title: definition`` or ``Title - definition``, split at whichever comes first."""
    separator = _TERM_SEPARATOR.search(text)
    if separator is None or not text[: separator.start()].strip():
        return _Term(title=text.strip(), definition="")
    return _Term(title=text[: separator.start()].strip(),
                 definition=text[separator.end() :].strip())  # fmt: skip


def _ends_section(line: str, current_has_body: bool) -> bool:
    """A section title after an item that already says something ends the section.

    An item that ended at its colon ("The AI Pause Debate:") is continued by the bare line
    below it ("AI Pause Debate"); indented lines always continue the item above them.
    """
    return current_has_body and _looks_like_heading(line)


def _read_glossary(section: list[str]) -> tuple[list[_Term], int]:
    """One term per top-level bullet, and where the glossary ends."""
    terms: list[_Term] = []
    top_indent: int | None = None
    for index, line in enumerate(section):
        bullet = _BULLET.match(line)
        if bullet and (top_indent is None or len(bullet["indent"]) <= top_indent):
            top_indent = len(bullet["indent"])
            terms.append(_term_from_bullet(bullet["text"]))
        elif not terms:
            continue  # the glossary's preface ("in a rough decreasing order of ...")
        elif _ends_section(line, terms[-1].has_body):
            return terms, index
        else:
            terms[-1].more.append(line)
    return terms, len(section)


def _read_people(section: list[str]) -> tuple[list[_Meeting], int]:
    """One meeting per "Meeting with X" title, the lines below it as its notes."""
    meetings: list[_Meeting] = []
    for index, line in enumerate(section):
        heading = _MEETING_HEADING.fullmatch(line.strip()) if _is_bare(line) else None
        if heading:
            meetings.append(_Meeting(title=line.strip(), who=heading["who"]))
        elif not meetings:
            continue  # the section's preface ("(anonymized - of course)")
        elif _ends_section(line, meetings[-1].has_body):
            return meetings, index
        else:
            meetings[-1].lines.append(line)
    return meetings, len(section)


def _section_starts(lines: list[str]) -> list[int]:
    return [index for index, line in enumerate(lines) if _section_kind(line)]


def _read_page(lines: list[str]) -> _Page:
    """Split the page (without its title line) into its sections and the rest."""
    page = _Page()
    starts = _section_starts(lines)
    page.note_lines.extend(lines[: starts[0]] if starts else lines)
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        _read_section(page, lines[start], lines[start + 1 : end])
    return page


def _read_section(page: _Page, heading: str, section: list[str]) -> None:
    kind, status = _section_kind(heading) or ("", None)
    if kind == "learning" and status is not None:
        items, used = _read_learning(section)
        page.learning.extend((status, item) for item in items)
        found = True  # an empty learning list says nothing: its title is dropped
    elif kind == "glossary":
        terms, used = _read_glossary(section)
        page.terms.extend(terms)
        found = bool(terms)
    else:
        meetings, used = _read_people(section)
        page.meetings.extend(meetings)
        found = bool(meetings)
    # A glossary or people section with nothing in it stays in the note as written, title and
    # all, so no text is lost.
    page.note_lines.extend(section[used:] if found else [heading, *section])


# --- learning statuses -----------------------------------------------------------------------


def _match_key(title: str) -> str:
    """How a learning item is matched to a term.

    Case, punctuation, a parenthesis and a plural "s" are ignored, so "Variational
    Autoencoders" (learnt) finds the term "Variational auto-encoder (VAE)" rather than
    becoming a second term the user would have to merge by hand.
    """
    key = re.sub(r"[\W_]+", "", _PARENTHESIS.sub("", title).casefold())
    key = key.removesuffix("s") if len(key) > 3 else key
    return key or title.casefold()


def _apply_learning(terms: list[_Term], learning: Iterable[tuple[LearningStatus, str]]) -> None:
    """Give matching terms their status; an item matching none becomes a term at the end."""
    by_key: dict[str, _Term] = {}
    for term in terms:
        by_key.setdefault(_match_key(term.title), term)
    for status, item in learning:
        found = by_key.get(_match_key(item))
        if found is None:
            found = _Term(title=item, definition="")
            terms.append(found)
            by_key[_match_key(item)] = found
        elif item.casefold() != found.title.casefold() and item not in found.aliases:
            found.aliases.append(item)  # the user's other spelling, so searching it finds it
        found.status = status


# --- entries ---------------------------------------------------------------------------------


def _as_markdown(lines: list[str]) -> str:
    body = "\n".join(bullets_to_markdown(lines)).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", body)


def _term_body(term: _Term) -> str:
    # The further paragraphs are indented under the bullet; dedented, they are paragraphs of
    # the definition rather than code blocks.
    more = textwrap.dedent("\n".join(term.more)).split("\n") if term.more else []
    return _as_markdown([term.definition, "", *more])


def _note_body(lines: list[str]) -> str:
    """The section titles as headings (all one level: the export keeps no nesting to go by)."""
    marked: list[str] = []
    for line in lines:
        # Blank lines around a heading: the export often puts two titles on adjacent lines.
        marked.extend(["", "## " + line.strip(), ""] if _looks_like_heading(line) else [line])
    return _as_markdown(marked)


def _page_tags(title: str) -> list[str]:
    """One tag, from the page's title, shared by every entry the page became.

    The page arrives as dozens of terms, meetings and a note; the tag keeps them together so
    the user can find, review or remove all of one import at once, and tells two imported
    pages apart. It is the user's own name for the page: nothing invented.
    """
    slug = re.sub(r"[^\w]+", "-", title).strip("-")
    try:
        return [normalize_tag(slug)] if slug else []
    except InvalidEntryError:
        return []


def _assign_stable_ids(entries: list[Entry]) -> None:
    """uuid5 of kind and title (and which repeat of that title), so re-imports match.

    Not of the body: an edited definition must update its term, not add a second one.
    """
    seen: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        identity = (entry.kind.value, " ".join(entry.title.split()).casefold())
        seen[identity] += 1
        repeat = [str(seen[identity])] if seen[identity] > 1 else []
        entry.id = str(uuid.uuid5(PAGE_ID_NAMESPACE, "\x1f".join([*identity, *repeat])))


def _page_title(lines: list[str], fallback_title: str) -> tuple[str, int]:
    """The title and the index of the first line after it."""
    for index, line in enumerate(lines):
        if line.strip():
            if len(line.strip()) <= MAX_TITLE_LENGTH:
                return line.strip(), index + 1
            return fallback_title, index
    return fallback_title, len(lines)


def _entries(title: str, page: _Page) -> list[Entry]:
    tags = _page_tags(title)
    entries: list[Entry] = []
    note_body = _note_body(page.note_lines)
    if note_body:
        entries.append(Entry(kind=Kind.NOTE, title=title, body=note_body, tags=list(tags)))
    for position, term in enumerate(page.terms, start=1):
        entries.append(Entry(kind=Kind.TERM, title=term.title, body=_term_body(term),
                             tags=list(tags), aliases=list(term.aliases),
                             learning_status=term.status,
                             glossary_position=float(position)))  # fmt: skip
    for meeting in page.meetings:
        entries.append(Entry(kind=Kind.MEETING, title=meeting.title, who=meeting.who,
                             body=_as_markdown(meeting.lines), tags=list(tags)))  # fmt: skip
    return entries


# --- the public functions ----------------------------------------------------------------------


def looks_like_notebook_page(text: str) -> bool:
    """A glossary section with at least two "term: definition" bullets, or a people section
    with at least one "Meeting with ..." under it."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = _section_starts(lines)
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        kind, _ = _section_kind(lines[start]) or ("", None)
        section = lines[start + 1 : end]
        if kind == "glossary":
            defined = [term for term in _read_glossary(section)[0] if term.has_body]
            if len(defined) >= 2:
                return True
        if kind == "people" and _read_people(section)[0]:
            return True
    return False


def parse_notebook_page(text: str, fallback_title: str = "Notebook page") -> list[Entry]:
    """The page as a note, glossary terms (with learning statuses) and meetings."""
    lines = text.replace("\r\n", "\n").split("\n")
    title, first = _page_title(lines, fallback_title)
    page = _read_page(lines[first:])
    _apply_learning(page.terms, page.learning)
    entries = _entries(title, page)
    _assign_stable_ids(entries)
    return entries
