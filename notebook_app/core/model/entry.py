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

The fields are declared once, in :class:`Entry` (see ``fields.py``); :data:`FIELDS` is that table.
The model is plain data: the storage layer (``core/storage/rows.py``) turns it into rows, the
markdown mapping (``markdown_files.py``) into files, both by reading the table. Fields that do not
belong to an entry's kind are ``None`` (or empty) and are refused by :func:`Entry.validate`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable
from typing import Any

from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.markdown.syntax import TAG_CHARS
from notebook_app.core.model.fields import Codec, Field, Kind, declare, json_number, read_table


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

# A tag is one or more segments joined by "/" (nesting); a segment is letters, digits, emoji
# and a few joiners, in any script (Korean tags are common in our users' notebooks; emoji
# tags, #🌲, in Obsidian's). The characters are the one tag rule's (core/markdown/syntax.py).
_TAG_SEGMENT = re.compile(rf"^[{TAG_CHARS}][{TAG_CHARS}\-.+&']*$", re.UNICODE)


_NORMALIZED_TAG = re.compile(
    rf"[{TAG_CHARS}][{TAG_CHARS}\-.+&']*(?:/[{TAG_CHARS}][{TAG_CHARS}\-.+&']*)*", re.UNICODE
)


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
    import uuid  # loaded on the first new entry: start-up makes none

    return str(uuid.uuid4())


# --- the entry ---------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True, kw_only=True)
class Entry:
    """One notebook entry. ``version`` counts saves; an update must name the version it read.

    This class body is the table of fields (see ``fields.py``): one ``declare`` per field, in the
    order front matter and JSON show them.
    """

    # Under a key no other tool uses: a foreign ``id: 1`` is an ordinary property; ``id`` is still
    # read from the app's own earlier exports.
    id: str = declare(
        editable=False, front_matter="notebook-app-id", front_matter_aliases=("id",),
        default_factory=new_entry_id,
    )  # fmt: skip
    kind: Kind = declare(required=True)
    title: str = declare(required=True, search="title")
    # Tags live in their own tables (``TagStore``); ``tags: []`` marks front matter as ours.
    tags: list[str] = declare(
        column=None, front_matter_aliases=("tag",), always_written=True, default_factory=list
    )
    created: dt.datetime = declare(editable=False, default_factory=utc_now)
    updated: dt.datetime | None = declare(editable=False)  # the creation time until a save
    aliases: list[str] = declare(
        front_matter_aliases=("alias",), search="title", label="Aliases", widget="aliasesEdit",
        hint="Aliases, separated by commas", default_factory=list,
    )  # fmt: skip
    # note
    source_type: SourceType | None = declare(
        Kind.NOTE, label="Source type", widget="sourceTypeCombo", hint="Source type"
    )
    url: str | None = declare(
        Kind.NOTE, search="body", label="URL", widget="urlEdit", hint="https://…"
    )
    # Zotero's Obsidian plugins and literature-note templates list the authors one a line
    # (``authors:`` or ``author:``, Obsidian Web Clipper's key); the field keeps BibTeX's text.
    authors: str | None = declare(
        Kind.NOTE, search="body", label="Authors", widget="authorsEdit", hint="Authors",
        front_matter_aliases=("author",), names_list=True,
    )  # fmt: skip
    read_on: dt.date | None = declare(
        Kind.NOTE, label="Day read", widget="readOnEdit", hint="Read on YYYY-MM-DD"
    )
    reading_status: ReadingStatus | None = declare(
        Kind.NOTE, front_matter="status", label="Reading status", widget="readingStatusCombo",
        hint="No status",
    )  # fmt: skip
    # term
    learning_status: LearningStatus | None = declare(
        Kind.TERM, front_matter="status", label="Learning status", widget="learningStatusCombo",
        hint="No learning status",
    )  # fmt: skip
    glossary_position: float | None = declare(Kind.TERM)  # the glossary's order, not typed in
    # meeting
    met_on: dt.date | None = declare(
        Kind.MEETING, front_matter="date", label="Day met", widget="metOnEdit",
        hint="Met on YYYY-MM-DD",
    )  # fmt: skip
    who: str | None = declare(
        Kind.MEETING, search="body", label="Who", widget="whoEdit",
        hint="Who (e.g. an eval researcher)",
    )  # fmt: skip
    action_items: str | None = declare(
        Kind.MEETING, lines=True, search="body", label="Action items", widget="actionItemsEdit",
        hint="- [ ] Action items",
    )  # fmt: skip
    trashed: dt.datetime | None = declare(editable=False)  # set by trash and restore
    # Where the entry lives in a markdown folder (a vault): its folder ("Projects/2024", None for
    # the kind's own folder), its file name there, and the front matter it was imported with,
    # kept verbatim so that export writes every property the app does not model back exactly
    # (core/formats/vault_files.py). None of them is a front matter key: they are the file.
    folder: str | None = declare(front_matter=None)
    file_name: str | None = declare(front_matter=None, in_json=False)
    front_matter: str | None = declare(front_matter=None, lines=True, in_json=False)
    # How that file spells its text beyond UTF-8 with "\n" line ends: "crlf" (Windows line
    # ends), "bom" (a byte-order mark) or "bom crlf"; export writes it back so (vault_files.py).
    file_style: str | None = declare(front_matter=None, in_json=False)
    body: str = declare(front_matter=None, lines=True, search="body", default="")
    version: int = declare(front_matter=None, editable=False, in_json=False, default=0)

    def __post_init__(self) -> None:
        self.kind = Kind(self.kind)
        if self.updated is None:
            self.updated = self.created

    @property
    def day(self) -> dt.date:
        """The day the entry is about: read on, met on, else the day it was created."""
        return self.read_on or self.met_on or self.created.date()

    def validate(self) -> None:
        """Refuse entries that the storage layer must never hold."""
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidEntryError("an entry needs a title")
        if "\n" in self.title or "\r" in self.title:
            raise InvalidEntryError("a title is one line")
        self.title = self.title.strip()
        if "\x00" in self.title or "\x00" in self.body:
            raise InvalidEntryError("entries hold text, not binary data (NUL byte found)")
        checks = _CHECKS[self.kind]
        for name, empty in checks.foreign:
            if getattr(self, name) != empty:
                raise InvalidEntryError(f"a {self.kind.value} has no field {name!r}")
        for name in checks.lines:
            value = getattr(self, name)
            if value and "\r" in value:
                # Line ends are stored as "\n" whatever the source (a pasted Windows text, a file).
                setattr(self, name, value.replace("\r\n", "\n").replace("\r", "\n"))
        for name, choices in checks.choices:
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, choices(value))
        self.tags = normalize_tags(self.tags)
        self.aliases = [a.strip() for a in self.aliases if a.strip()]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """The inverse of :meth:`to_dict` (a key left out or null takes the field's default)."""
        values = {}
        for field in FIELDS:
            value = data.get(field.name)
            if value is not None:
                values[field.name] = _FROM_JSON[field.codec](field, value)
        return cls(**values)

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
        return {field.name: json_value(field, getattr(self, field.name)) for field in FIELDS}

    def to_json(self) -> dict[str, Any]:
        """The entry as the command line's ``--json`` shows it: the keys of
        :data:`ENTRY_JSON_KEYS`, every one always there (null where empty)."""
        return {
            field.name: json_value(field, getattr(self, field.name), contract=True)
            for field in FIELDS
            if field.in_json
        }


def json_value(field: Field, value: Any, *, contract: bool = False) -> Any:
    """``value`` of ``field`` as JSON holds it; ``contract``: as ``--json`` prints it (a whole
    number without ``.0``), else exactly (history snapshots read it back with ``from_dict``)."""
    if value is None:
        return None
    if contract and field.codec is Codec.NUMBER:
        return json_number(value)
    return _TO_JSON[field.codec](value)


# How each codec's values look in a JSON dict (to_dict, history snapshots) and back.
_TO_JSON: dict[Codec, Callable[[Any], Any]] = {
    Codec.TEXT: lambda value: value,
    Codec.LINES: lambda value: value,
    Codec.DAY: lambda value: value.isoformat(),
    Codec.MOMENT: format_timestamp,
    Codec.NUMBER: lambda value: value,
    Codec.INTEGER: lambda value: value,
    Codec.CHOICE: lambda value: value.value,
    Codec.NAMES: list,
}
_FROM_JSON: dict[Codec, Callable[[Field, Any], Any]] = {
    Codec.TEXT: lambda field, value: value,
    Codec.LINES: lambda field, value: value,
    Codec.DAY: lambda field, value: dt.date.fromisoformat(value),
    Codec.MOMENT: lambda field, value: parse_timestamp(value),
    Codec.NUMBER: lambda field, value: value,
    Codec.INTEGER: lambda field, value: int(value),
    Codec.CHOICE: lambda field, value: field.choices(value),  # type: ignore[misc]
    Codec.NAMES: lambda field, value: list(value),
}

FIELDS: tuple[Field, ...] = read_table(Entry)
"""Every field of an entry, in declaration order."""
FIELD: dict[str, Field] = {field.name: field for field in FIELDS}
KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    kind: tuple(f.name for f in FIELDS if f.belongs_to(kind) and not f.common) for kind in Kind
}
"""The fields each kind has beyond the common ones."""
EDITABLE_FIELDS = frozenset(f.name for f in FIELDS if f.editable)
"""What ``Notebook.update`` may change (the rest is the notebook's own bookkeeping)."""
ENTRY_JSON_KEYS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.in_json)


@dataclasses.dataclass(frozen=True, slots=True)
class _Checks:
    """What :meth:`Entry.validate` checks for one kind, worked out once (it runs per entry of
    a bulk import)."""

    foreign: tuple[tuple[str, Any], ...]  # fields of other kinds, and their empty values
    lines: tuple[str, ...]  # text of several lines
    choices: tuple[tuple[str, Any], ...]  # choice fields and their enums


_CHECKS = {
    kind: _Checks(
        foreign=tuple((f.name, f.empty) for f in FIELDS if not f.belongs_to(kind)),
        lines=tuple(f.name for f in FIELDS if f.belongs_to(kind) and f.codec is Codec.LINES),
        choices=tuple(
            (f.name, f.choices)
            for f in FIELDS
            if f.belongs_to(kind) and f.choices is not None and f.name != "kind"
        ),
    )  # fmt: skip
    for kind in Kind
}
