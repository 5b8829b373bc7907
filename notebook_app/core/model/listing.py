"""What a listing asks for and gets back: the scope and sort of a list, its rows, snippets and
revisions. These are the types the window and the command line hold; the SQL that produces
them lives in ``core.search`` and ``core.storage``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from notebook_app.core.model.entry import (
    FIELD,
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    json_value,
)
from notebook_app.core.model.fields import Field
from notebook_app.core.papers.arxiv import ArxivId, arxiv_from_url, url_host


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    UPDATED = "updated"
    CREATED = "created"
    TITLE = "title"
    DAY = "day"
    GLOSSARY = "glossary"


@dataclasses.dataclass(slots=True)
class Scope:
    """What the window's sidebar (or a CLI option) adds to the typed query."""

    kinds: frozenset[Kind] = frozenset()
    tags: tuple[str, ...] = ()  # every one must match (nested tags included)
    trashed: bool = False  # the trash instead of the live entries


@dataclasses.dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt around the first match, with the spans of every match inside it."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, start: str = "[", end: str = "]") -> str:
        """The text with each highlight wrapped in ``start``/``end`` markers."""
        pieces: list[str] = []
        position = 0
        for begin, finish in self.highlights:
            pieces += [self.text[position:begin], start, self.text[begin:finish], end]
            position = finish
        pieces.append(self.text[position:])
        return "".join(pieces)


@dataclasses.dataclass(frozen=True, slots=True)
class EntrySummary:
    """What a list or a search result shows of an entry (no body: a page stays small).

    Its attributes are fields of :class:`Entry` (the storage reads their columns by these names,
    see :data:`SUMMARY_FIELDS`), plus ``day`` (a column the database computes) and ``snippet``.
    """

    id: str
    kind: Kind
    title: str
    tags: tuple[str, ...]
    created: dt.datetime
    updated: dt.datetime
    day: dt.date
    version: int
    trashed: dt.datetime | None = None
    source_type: SourceType | None = None
    url: str | None = None
    reading_status: ReadingStatus | None = None
    learning_status: LearningStatus | None = None
    glossary_position: float | None = None
    snippet: Snippet | None = None

    @property
    def arxiv(self) -> ArxivId | None:
        """The arXiv id its URL names (the list shows ``arXiv 2409.13373``), or None."""
        return arxiv_from_url(self.url)

    @property
    def site(self) -> str | None:
        """The host of its URL without ``www.`` (``arxiv.org``, ``youtube.com``), or None."""
        return url_host(self.url)

    def to_json(self) -> dict[str, Any]:
        """The row as ``list``/``search --json`` print it: the keys of :data:`SUMMARY_JSON_KEYS`,
        every one always there (null where empty; ``snippet`` and ``highlights`` outside a
        search)."""
        data: dict[str, Any] = {}
        for name in _SUMMARY_ATTRIBUTES:
            value = getattr(self, name)
            if name == "day":
                data[name] = value.isoformat()
            elif name == "snippet":
                data["snippet"] = None if value is None else value.text
                data["highlights"] = None if value is None else [list(s) for s in value.highlights]
            elif FIELD[name].in_json:
                data[name] = json_value(FIELD[name], value, contract=True)
        return data


_SUMMARY_ATTRIBUTES = tuple(field.name for field in dataclasses.fields(EntrySummary))
SUMMARY_FIELDS: tuple[Field, ...] = tuple(FIELD[n] for n in _SUMMARY_ATTRIBUTES if n in FIELD)
"""The entry fields a summary holds, in the summary's order."""
SUMMARY_COLUMNS: tuple[str, ...] = (*(f.column for f in SUMMARY_FIELDS if f.column), "day")
"""The ``entries`` columns a summary is read from (``day`` is computed by the database)."""
SUMMARY_JSON_KEYS: tuple[str, ...] = tuple(
    key
    for name in _SUMMARY_ATTRIBUTES
    for key in (("snippet", "highlights") if name == "snippet" else (name,))
    if name not in FIELD or FIELD[name].in_json
)


@dataclasses.dataclass(frozen=True, slots=True)
class Revision:
    """A previous state of an entry, kept when a save replaced it."""

    id: int
    version: int
    saved: dt.datetime  # when this state had been saved
    recorded: dt.datetime  # when it was replaced
    title: str
    entry: Entry
