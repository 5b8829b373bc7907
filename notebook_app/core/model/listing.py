"""What a listing asks for and gets back: the scope and sort of a list, its rows, snippets and
revisions. These are the types the window and the command line hold; the SQL that produces
them lives in ``core.search`` and ``core.storage``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    format_timestamp,
)


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
    """What a list or a search result shows of an entry (no body: a page stays small)."""

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

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "tags": list(self.tags),
            "created": format_timestamp(self.created),
            "updated": format_timestamp(self.updated),
            "day": self.day.isoformat(),
        }
        if self.trashed is not None:
            data["trashed"] = format_timestamp(self.trashed)
        for name in ("source_type", "url", "reading_status", "learning_status"):
            value = getattr(self, name)
            if value is not None:
                data[name] = str(value)
        if self.glossary_position is not None:
            data["glossary_position"] = self.glossary_position
        if self.snippet is not None:
            data["snippet"] = self.snippet.text
            data["highlights"] = [list(span) for span in self.snippet.highlights]
        return data


@dataclasses.dataclass(frozen=True, slots=True)
class Revision:
    """A previous state of an entry, kept when a save replaced it."""

    id: int
    version: int
    saved: dt.datetime  # when this state had been saved
    recorded: dt.datetime  # when it was replaced
    title: str
    entry: Entry
