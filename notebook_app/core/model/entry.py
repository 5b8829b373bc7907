"""The entry model: the three kinds of entry a notebook holds and the fields each one needs.

Every entry has the common fields (id, kind, title, markdown body, tags, aliases (other names it
is known by: a term's synonyms, an Obsidian note's aliases), created/updated times, a version
counter and a trash mark); each kind adds its own:

* ``note``: reading notes, paper and podcast summaries, drafts. Optional source (type, URL,
  authors, the day it was read) and a reading status.
* ``term``: a glossary term. A learning status and a position in the user's own glossary
  order (the body is the definition).
* ``meeting``: a meeting log. The day, who was met (free text, often anonymised) and the action
  items as a markdown task list (the body holds the notes).

The model is plain data: the storage layer (``notebook.py``) turns it into rows, the markdown
mapping (``markdown_files.py``) into files. Fields that do not belong to an entry's kind are
``None`` (or empty) and are refused by :func:`Entry.validate`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import uuid
from collections.abc import Iterable
from typing import Any

from notebook_app.core.errors import InvalidEntryError


class Kind(enum.StrEnum):
    NOTE = "note"
    TERM = "term"
    MEETING = "meeting"


class SourceType(enum.StrEnum):
    PAPER = "paper"
    POST = "post"
    BOOK = "book"
    RESOURCE = "resource"
    CODE = "code"
    VIDEO = "video"
    PODCAST = "podcast"
    COURSE = "course"
    OTHER = "other"


class ReadingStatus(enum.StrEnum):
    TO_READ = "to-read"
    READING = "reading"
    DONE = "done"


class LearningStatus(enum.StrEnum):
    WANT = "want"
    LEARNING = "learning"
    LEARNED = "learned"


# Human spellings accepted on input (CLI, search filters, front matter) for the statuses.
_STATUS_ALIASES: dict[str, ReadingStatus | LearningStatus] = {
    "to-read": ReadingStatus.TO_READ,
    "to_read": ReadingStatus.TO_READ,
    "toread": ReadingStatus.TO_READ,
    "to read": ReadingStatus.TO_READ,
    "unread": ReadingStatus.TO_READ,
    "reading": ReadingStatus.READING,
    "done": ReadingStatus.DONE,
    "read": ReadingStatus.DONE,
    "want": LearningStatus.WANT,
    "want-to-learn": LearningStatus.WANT,
    "want to learn": LearningStatus.WANT,
    "learning": LearningStatus.LEARNING,
    "learned": LearningStatus.LEARNED,
    "learnt": LearningStatus.LEARNED,
}


def parse_status(text: str) -> ReadingStatus | LearningStatus:
    """Read a reading or learning status from what a user may type (``to read``, ``learnt``...)."""
    key = text.strip().lower()
    try:
        return _STATUS_ALIASES[key]
    except KeyError:
        known = ", ".join(sorted({s.value for s in _STATUS_ALIASES.values()}))
        raise InvalidEntryError(f"unknown status {text!r} (known: {known})") from None


def parse_kind(text: str) -> Kind:
    key = text.strip().lower()
    aliases = {"notes": "note", "terms": "term", "glossary": "term", "meetings": "meeting"}
    try:
        return Kind(aliases.get(key, key))
    except ValueError:
        raise InvalidEntryError(
            f"unknown kind {text!r} (known: {', '.join(k.value for k in Kind)})"
        ) from None


def parse_source_type(text: str) -> SourceType:
    key = text.strip().lower()
    aliases = {
        "papers": "paper",
        "blog": "post",
        "blog post": "post",
        "posts": "post",
        "article": "post",
        "books": "book",
        "resources": "resource",
        "experiment": "code",
        "videos": "video",
        "podcasts": "podcast",
        "courses": "course",
    }
    try:
        return SourceType(aliases.get(key, key))
    except ValueError:
        raise InvalidEntryError(
            f"unknown source type {text!r} (known: {', '.join(t.value for t in SourceType)})"
        ) from None


# --- time -------------------------------------------------------------------------------------

# Times are stored as fixed-width ISO 8601 UTC strings (2024-11-18T13:40:00.000000Z) so that
# they sort as text.


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    # isoformat is several times faster than strftime, which matters on bulk imports.
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> dt.datetime:
    """Parse an ISO 8601 time; a time without zone is taken as UTC."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_day(text: str) -> dt.date:
    """Parse a day as ``YYYY-MM-DD`` (what the CLI, filters and front matter use)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidEntryError(f"not a date (YYYY-MM-DD): {text!r}") from None


# --- tags -------------------------------------------------------------------------------------

# A tag is one or more segments joined by "/" (nesting); a segment is letters, digits and
# a few joiners, in any script (Korean tags are common in our users' notebooks).
_TAG_SEGMENT = re.compile(r"^[\w][\w\-.+&']*$", re.UNICODE)


_NORMALIZED_TAG = re.compile(r"[\w][\w\-.+&']*(?:/[\w][\w\-.+&']*)*", re.UNICODE)


def normalize_tag(raw: str) -> str:
    """Clean one tag as typed (``#ML/Interpretability ``) into its stored form.

    Case is kept as first written; comparison is case-insensitive everywhere else.
    """
    if len(raw) <= 200 and _NORMALIZED_TAG.fullmatch(raw):
        return raw  # already clean: the common case on import and save
    tag = raw.strip().lstrip("#").strip().strip("/")
    tag = re.sub(r"\s*/\s*", "/", tag)
    tag = re.sub(r"\s+", "-", tag)
    if not tag:
        raise InvalidEntryError(f"empty tag {raw!r}")
    for segment in tag.split("/"):
        if not _TAG_SEGMENT.match(segment):
            raise InvalidEntryError(
                f"invalid tag {raw!r}: use letters, digits, '-', '_' and '/' for nesting"
            )
    if len(tag) > 200:
        raise InvalidEntryError(f"tag too long ({len(tag)} characters): {raw[:40]!r}...")
    return tag


def normalize_tags(raw_tags: Iterable[str]) -> list[str]:
    """Normalise a list of tags, dropping case-insensitive duplicates, keeping first order."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in raw_tags:
        tag = normalize_tag(raw)
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return result


def new_entry_id() -> str:
    """A stable, globally unique id; export and import recognise an entry by it.

    Random (version 4), so that any four or more leading characters tell entries apart on
    the command line.
    """
    return str(uuid.uuid4())


# --- the entry ---------------------------------------------------------------------------------

NOTE_FIELDS = ("source_type", "url", "authors", "read_on", "reading_status")
TERM_FIELDS = ("learning_status", "glossary_position")
MEETING_FIELDS = ("met_on", "who", "action_items")
KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.NOTE: NOTE_FIELDS,
    Kind.TERM: TERM_FIELDS,
    Kind.MEETING: MEETING_FIELDS,
}
_EMPTY_KIND_VALUES: dict[str, Any] = {
    "source_type": None,
    "url": None,
    "authors": None,
    "read_on": None,
    "reading_status": None,
    "learning_status": None,
    "glossary_position": None,
    "met_on": None,
    "who": None,
    "action_items": None,
}


@dataclasses.dataclass(slots=True)
class Entry:
    """One notebook entry. ``version`` counts saves; an update must name the version it read."""

    kind: Kind
    title: str
    body: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    aliases: list[str] = dataclasses.field(default_factory=list)
    id: str = dataclasses.field(default_factory=new_entry_id)
    created: dt.datetime = dataclasses.field(default_factory=utc_now)
    updated: dt.datetime | None = None
    version: int = 0
    trashed: dt.datetime | None = None
    # note
    source_type: SourceType | None = None
    url: str | None = None
    authors: str | None = None
    read_on: dt.date | None = None
    reading_status: ReadingStatus | None = None
    # term
    learning_status: LearningStatus | None = None
    glossary_position: float | None = None
    # meeting
    met_on: dt.date | None = None
    who: str | None = None
    action_items: str | None = None

    def __post_init__(self) -> None:
        self.kind = Kind(self.kind)
        if self.updated is None:
            self.updated = self.created

    @property
    def day(self) -> dt.date:
        """The day the entry is about: read on, met on, else the day it was created."""
        return self.read_on or self.met_on or self.created.date()

    @property
    def is_trashed(self) -> bool:
        return self.trashed is not None

    def validate(self) -> None:
        """Refuse entries that the storage layer must never hold."""
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidEntryError("an entry needs a title")
        if "\n" in self.title or "\r" in self.title:
            raise InvalidEntryError("a title is one line")
        self.title = self.title.strip()
        # Line ends are stored as "\n" whatever the source (a pasted Windows text, a file).
        if "\r" in self.body:
            self.body = self.body.replace("\r\n", "\n").replace("\r", "\n")
        if self.action_items and "\r" in self.action_items:
            self.action_items = self.action_items.replace("\r\n", "\n").replace("\r", "\n")
        if "\x00" in self.title or "\x00" in self.body:
            raise InvalidEntryError("entries hold text, not binary data (NUL byte found)")
        own = set(KIND_FIELDS[self.kind])
        for name, empty in _EMPTY_KIND_VALUES.items():
            if name not in own and getattr(self, name) != empty:
                raise InvalidEntryError(f"a {self.kind.value} has no field {name!r}")
        if self.source_type is not None:
            self.source_type = SourceType(self.source_type)
        if self.reading_status is not None:
            self.reading_status = ReadingStatus(self.reading_status)
        if self.learning_status is not None:
            self.learning_status = LearningStatus(self.learning_status)
        self.tags = normalize_tags(self.tags)
        self.aliases = [a.strip() for a in self.aliases if a.strip()]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """The inverse of :meth:`to_dict`."""

        def day(name: str) -> dt.date | None:
            value = data.get(name)
            return None if value is None else dt.date.fromisoformat(value)

        def moment(name: str) -> dt.datetime | None:
            value = data.get(name)
            return None if value is None else parse_timestamp(value)

        def member(enum_cls: Any, name: str) -> Any:
            value = data.get(name)
            return None if value is None else enum_cls(value)

        created = moment("created")
        return cls(
            id=data["id"],
            kind=Kind(data["kind"]),
            title=data["title"],
            body=data.get("body", ""),
            tags=list(data.get("tags", [])),
            created=created or utc_now(),
            updated=moment("updated"),
            version=int(data.get("version", 0)),
            trashed=moment("trashed"),
            source_type=member(SourceType, "source_type"),
            url=data.get("url"),
            authors=data.get("authors"),
            read_on=day("read_on"),
            reading_status=member(ReadingStatus, "reading_status"),
            aliases=list(data.get("aliases", [])),
            learning_status=member(LearningStatus, "learning_status"),
            glossary_position=data.get("glossary_position"),
            met_on=day("met_on"),
            who=data.get("who"),
            action_items=data.get("action_items"),
        )

    def replace(self, **changes: Any) -> Entry:
        """A copy with some fields changed (lists are copied, so the two never share them)."""
        # Hand-written rather than dataclasses.replace, which re-runs __init__ and costs a
        # fifth of a bulk import's time.
        copy = object.__new__(Entry)
        for name in Entry.__slots__:
            value = changes[name] if name in changes else getattr(self, name)
            object.__setattr__(copy, name, list(value) if isinstance(value, list) else value)
        unknown = set(changes) - set(Entry.__slots__)
        if unknown:
            raise TypeError(f"Entry has no field {', '.join(sorted(unknown))}")
        copy.kind = Kind(copy.kind)
        return copy

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (times as ISO 8601 UTC, days as YYYY-MM-DD)."""
        data: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, dt.datetime):
                value = format_timestamp(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, list):
                value = list(value)
            data[field.name] = value
        return data


EDITABLE_FIELDS = frozenset(
    {"title", "body", "tags", "aliases", "kind"}
    | set(NOTE_FIELDS)
    | set(TERM_FIELDS)
    | set(MEETING_FIELDS)
)
