"""What the link questions answer with: backlinks, mentions, glossary terms used, jargon."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from notebook_app.core.model.entry import Kind, format_timestamp


@dataclasses.dataclass(frozen=True, slots=True)
class LinkedEntry:
    """The entry on the other end: enough to list it and to open it."""

    id: str
    kind: Kind
    title: str
    tags: tuple[str, ...]
    created: dt.datetime
    updated: dt.datetime
    version: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "tags": list(self.tags),
            "created": format_timestamp(self.created),
            "updated": format_timestamp(self.updated),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Passage:
    """Where in an entry's body something stands, and the sentence around it.

    ``offset``/``length`` are character offsets in the body; ``highlight`` is the span of the
    same text inside ``sentence`` (one line, cut to a readable length)."""

    offset: int
    length: int
    sentence: str
    highlight: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "length": self.length,
            "sentence": self.sentence,
            "highlight": list(self.highlight),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Backlink:
    """A ``[[link]]`` in ``source`` that resolves to the entry asked about."""

    source: LinkedEntry
    passage: Passage
    heading: str | None
    shown: str | None
    embed: bool
    ambiguous: bool  # other live entries bear the same name too

    def to_json(self) -> dict[str, Any]:
        return {
            **self.source.to_json(),
            "linked": True,
            **self.passage.to_json(),
            "heading": self.heading,
            "shown": self.shown,
            "embed": self.embed,
            "ambiguous": self.ambiguous,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Mention:
    """Text in ``source`` that names an entry (its title or an alias, ``name``) without a link;
    for :meth:`Notebook.notes_using`, any use of a glossary term, linked or not."""

    source: LinkedEntry
    passage: Passage
    name: str
    text: str  # as written in the source

    def to_json(self) -> dict[str, Any]:
        return {
            **self.source.to_json(),
            "linked": False,
            **self.passage.to_json(),
            "name": self.name,
            "text": self.text,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class TermUse:
    """A glossary term an entry mentions: where it does first, and by which name."""

    term: LinkedEntry
    name: str  # the term's title or the alias found
    offset: int
    length: int
    text: str  # as written in the entry

    def to_json(self) -> dict[str, Any]:
        return {
            **self.term.to_json(),
            "name": self.name,
            "offset": self.offset,
            "length": self.length,
            "text": self.text,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class LinkTarget:
    """What a link's name resolves to now: the entry (None: nothing bears it) and how many live
    entries bear that name (more than one: the link is ambiguous)."""

    name: str
    entry_id: str | None
    title: str | None
    candidates: int

    @property
    def ambiguous(self) -> bool:
        return self.candidates > 1


@dataclasses.dataclass(frozen=True, slots=True)
class JargonCandidate:
    """A phrase entries use often that no glossary term (nor any entry's title) names."""

    phrase: str
    entries: int  # how many entries use it
    occurrences: int
    examples: tuple[str, ...]  # ids of a few entries using it, newest first

    def to_json(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "entries": self.entries,
            "occurrences": self.occurrences,
            "examples": list(self.examples),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class LinkRename:
    """What pointing the links that name an entry's old title at its new one would change
    (``Notebook.link_rename``; ``Notebook.rename_links`` does it)."""

    entry_id: str
    old_titles: tuple[str, ...]  # those of the old titles asked about whose links are the entry's
    new_title: str
    name: str | None  # what the links would name: the new title, else an alias only it bears
    sources: tuple[tuple[str, int], ...]  # (entry id, links in it to change), live entries

    @property
    def links(self) -> int:
        return sum(count for _, count in self.sources)

    @property
    def entries(self) -> int:
        return len(self.sources)
