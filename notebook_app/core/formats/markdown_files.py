"""The one place an entry becomes a markdown file and a markdown file becomes an entry.

A file we write is ``---\\n<YAML front matter>---\\n<body>``, with nothing added to the body,
so reading it back gives the body byte for byte. The front matter carries every field in the
form Obsidian and other markdown tools read (``tags:`` and ``aliases:`` as lists)::

    ---
    id: 0f8c...
    kind: term
    title: Superposition
    tags:
    - mechinterp
    created: '2024-06-02T10:00:00.000000Z'
    updated: '2024-06-02T10:00:00.000000Z'
    aliases:
    - polysemanticity
    status: learning
    glossary_position: 3.0
    ---
    More features than dimensions.

Files from elsewhere are read too: no front matter (a note titled by its first ``# heading`` or
its file name), Obsidian's (tags as a list or a string, ``alias``/``aliases``, inline
``#tags``), unknown keys ignored. Front matter that is not valid YAML, not a mapping, or holds
impossible values is refused with :class:`ImportProblem`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import yaml

from notebook_app.core.errors import ImportProblem, InvalidEntryError
from notebook_app.core.markdown.syntax import tags_in
from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    format_timestamp,
    normalize_tag,
    parse_timestamp,
)

KIND_FOLDERS = {Kind.NOTE: "notes", Kind.TERM: "glossary", Kind.MEETING: "meetings"}
_FENCE = "---\n"


# Front matter is written as YAML events straight to PyYAML's emitter (libyaml's where PyYAML
# has it): the emitter still decides every quote and escape, but PyYAML's Python representer,
# which resolved the type of every key and value of every file, took most of an export's time.
_STR_TAG = "tag:yaml.org,2002:str"
_EMITTER: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Words YAML 1.1 reads as booleans or null when unquoted; other text starting with a letter is
# always a string. Compared in lower case: a few strings ("yEs") take the exact check for nothing.
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}
_RESOLVER = yaml.resolver.Resolver()
_UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")

# libyaml (bundled with PyYAML's wheels) also reads front matter about ten times faster than the
# pure-Python classes; those stay as the fallback for what libyaml cannot read.
_FastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain_reads_as_text(value: str) -> bool:
    """Whether ``value`` written unquoted would read back as this text (not a bool, a number,
    a date or null): then the emitter may leave it plain if nothing else needs quotes."""
    if value[:1].isalpha() and value.lower() not in _YAML_WORDS:
        return True
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


def _scalar_events(value: Any) -> list[yaml.Event]:
    if isinstance(value, str):
        # Multi-line text as a literal block (readable action items); the emitter quotes it
        # instead where a block cannot hold it exactly. Text with the other line breaks
        # (U+0085, U+2028, U+2029) is double-quoted, where they are escaped: PyYAML's Python
        # emitter writes them raw in single quotes, and they read back as spaces.
        style = '"' if _UNICODE_BREAKS.search(value) else "|" if "\n" in value else None
        implicit = (_plain_reads_as_text(value), True)
        return [yaml.ScalarEvent(None, _STR_TAG, implicit, value, style=style)]
    if isinstance(value, list):
        return [
            yaml.SequenceStartEvent(None, None, True, flow_style=False),
            *(event for item in value for event in _scalar_events(item)),
            yaml.SequenceEndEvent(),
        ]
    if isinstance(value, float):
        tag = "tag:yaml.org,2002:float"
        return [yaml.ScalarEvent(None, tag, (True, False), _float_text(value))]
    raise TypeError(f"no front matter form for {type(value).__name__}")


def _float_text(value: float) -> str:
    """As PyYAML's SafeRepresenter writes a float (``3.0``, ``1.0e+20``, ``.inf``)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _beyond_bmp(data: dict[str, Any]) -> bool:
    """Whether any text holds a character above U+FFFF (emoji): libyaml would escape it as
    ``\\U0001F4DC`` even with ``allow_unicode``, unreadable in other tools."""
    for value in data.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and text and max(text) > "\uffff":
                return True
    return False


def front_matter_yaml(data: dict[str, Any]) -> str:
    """``data`` (text, lists of text, numbers) as a YAML block mapping, keys in order."""
    events: list[yaml.Event] = [
        yaml.StreamStartEvent(),
        yaml.DocumentStartEvent(explicit=False),
        yaml.MappingStartEvent(None, None, True, flow_style=False),
    ]
    for key, value in data.items():
        events.append(yaml.ScalarEvent(None, None, (True, False), key))
        events += _scalar_events(value)
    events += [yaml.MappingEndEvent(), yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    emitter = yaml.SafeDumper if _beyond_bmp(data) else _EMITTER
    return yaml.emit(events, Dumper=emitter, allow_unicode=True, width=100)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def entry_to_markdown(entry: Entry) -> str:
    data: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind.value,
        "title": entry.title,
        "tags": list(entry.tags),
        "created": format_timestamp(entry.created),
        "updated": format_timestamp(entry.updated or entry.created),
    }
    if entry.aliases:
        data["aliases"] = list(entry.aliases)
    optional: dict[str, Any] = {}
    if entry.kind is Kind.NOTE:
        optional = {
            "source_type": entry.source_type.value if entry.source_type else None,
            "url": entry.url,
            "authors": entry.authors,
            "read_on": _day(entry.read_on),
            "status": entry.reading_status.value if entry.reading_status else None,
        }
    elif entry.kind is Kind.TERM:
        optional = {
            "status": entry.learning_status.value if entry.learning_status else None,
            "glossary_position": entry.glossary_position,
        }
    else:
        optional = {
            "date": _day(entry.met_on),
            "who": entry.who,
            "action_items": entry.action_items,
        }
    data.update({key: value for key, value in optional.items() if value is not None})
    if entry.trashed is not None:
        data["trashed"] = format_timestamp(entry.trashed)
    return _FENCE + front_matter_yaml(data) + _FENCE + entry.body


# --- reading -----------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """The front matter (None if the file has none) and the body exactly as it follows it."""
    if not text.startswith(_FENCE):
        return None, text
    end = text.find("\n---\n", len(_FENCE) - 1)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ImportProblem("front matter is not closed (no line '---' after it)")
    yaml_text = text[len(_FENCE) : end + 1]
    body = text[end + len("\n---\n") :]
    try:
        data = _load_yaml(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "invalid"
        raise ImportProblem(f"front matter is not valid YAML{line}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportProblem("front matter is not a set of key: value lines")
    return data, body


class _NotFlat(Exception):
    """Front matter that is more than keys with text, numbers or lists of them."""


_QUOTED_STYLES = {"'", '"', "|", ">"}


def _flat_mapping(text: str) -> dict[str, Any]:
    """Front matter read from the parser's events (libyaml's): keys with scalars or lists of
    scalars, which is all ours and most other tools' front matter holds. PyYAML's Python
    composer and constructor, which it saves, took most of a 10,000-file import's reading.
    Anything else (nesting, anchors, tags, errors) raises :class:`_NotFlat`."""
    try:
        events = iter(yaml.parse(text, Loader=_FastLoader))
        if not isinstance(next(events), yaml.StreamStartEvent):
            raise _NotFlat
        if not isinstance(next(events), yaml.DocumentStartEvent):
            raise _NotFlat
        if not isinstance(next(events), yaml.MappingStartEvent):
            raise _NotFlat
        data: dict[str, Any] = {}
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                return data
            key = _scalar_value(event)
            if not isinstance(key, str):
                raise _NotFlat
            value_event = next(events)
            if isinstance(value_event, yaml.SequenceStartEvent) and value_event.anchor is None \
                    and value_event.tag is None:  # fmt: skip
                items = []
                for item in events:
                    if isinstance(item, yaml.SequenceEndEvent):
                        break
                    items.append(_scalar_value(item))
                data[key] = items
            else:
                data[key] = _scalar_value(value_event)
        raise _NotFlat
    except (yaml.YAMLError, StopIteration):
        raise _NotFlat from None


def _scalar_value(event: yaml.Event) -> Any:
    if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None:
        raise _NotFlat
    if event.tag is not None and event.tag != "!":  # "!" marks a quoted scalar: text
        raise _NotFlat
    value = event.value
    if event.style in _QUOTED_STYLES or _plain_reads_as_text(value):
        return value
    # A date, number, boolean or null written plain: PyYAML's own reading of it.
    return yaml.load(value, Loader=_FastLoader)


def _load_yaml(text: str) -> Any:
    try:
        return _flat_mapping(text)
    except _NotFlat:
        pass
    try:
        return yaml.load(text, Loader=_FastLoader)  # a safe loader: CSafeLoader or SafeLoader
    except yaml.YAMLError:
        # Broken front matter: let the pure-Python parser decide, so the refusal (and its line
        # number) is the one users have always seen, and what it accepts is still accepted.
        return yaml.safe_load(text)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ImportProblem(f"front matter {key!r} should be text, not {type(value).__name__}")


def _list(data: dict[str, Any], *keys: str) -> list[str]:
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return [part for part in re.split(r"[,\s]+", value) if part]
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return [str(v) for v in value]
        raise ImportProblem(f"front matter {key!r} should be a list of text")
    return []


def _list_keep_spaces(data: dict[str, Any]) -> list[str]:
    """Aliases: a list, or one alias per comma (an alias may hold spaces)."""
    for key in ("aliases", "alias"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return value.split(",")
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return [str(v) for v in value]
        raise ImportProblem(f"front matter {key!r} should be a list of text")
    return []


def _moment(data: dict[str, Any], key: str) -> dt.datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    try:
        return parse_timestamp(str(value))
    except ValueError:
        raise ImportProblem(f"front matter {key!r} is not a date and time: {value!r}") from None


def _date(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ImportProblem(f"front matter {key!r} is not a date: {value!r}") from None


def _member(enum_cls: Any, value: str | None, key: str) -> Any:
    if value is None:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        raise ImportProblem(f"front matter {key!r} has an unknown value {value!r}") from None


def inline_tags(body: str) -> list[str]:
    """``#tags`` written in the text (not in code, not ``# headings``): core/markdown/syntax.py."""
    return tags_in(body)


def _heading_title(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
        if line.strip():
            return None
    return None


def _written_by_us(data: dict[str, Any]) -> bool:
    """Front matter as :func:`entry_to_markdown` writes it: an id, a kind and a tags list."""
    return "id" in data and "kind" in data and isinstance(data.get("tags"), list)


def markdown_to_entry(text: str, *, fallback_title: str | None = None) -> Entry:
    """Read a markdown file (ours or another tool's) into an entry."""
    data, body = split_front_matter(text)
    if data is None:
        data = {}
    kind_text = _text(data, "kind") or "note"
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise ImportProblem(f"front matter 'kind' is unknown: {kind_text!r}") from None
    title = _text(data, "title") or _heading_title(body) or fallback_title or "Untitled"
    raw_tags = _list(data, "tags", "tag")
    if not _written_by_us(data):
        # Obsidian and other tools count `#tags` in the text as tags; our own export lists
        # every tag in the front matter, so there a `#word` in the body is only text.
        raw_tags += inline_tags(body)
    tags: list[str] = []
    for raw in raw_tags:
        try:
            tag = normalize_tag(raw)
        except InvalidEntryError as error:
            raise ImportProblem(f"front matter: {error}") from None
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    created = _moment(data, "created") or dt.datetime.now(dt.UTC)
    entry = Entry(
        kind=kind,
        title=title.strip(),
        body=body,
        tags=tags,
        created=created,
        updated=_moment(data, "updated") or created,
        trashed=_moment(data, "trashed"),
    )
    if data.get("id") is not None:
        entry.id = str(data["id"])
    status = _text(data, "status")
    if kind is Kind.NOTE:
        entry.source_type = _member(SourceType, _text(data, "source_type"), "source_type")
        entry.url = _text(data, "url")
        entry.authors = _text(data, "authors")
        entry.read_on = _date(data, "read_on")
        entry.reading_status = _member(ReadingStatus, status, "status")
    elif kind is Kind.TERM:
        entry.learning_status = _member(LearningStatus, status, "status")
        position = data.get("glossary_position")
        if position is not None and not isinstance(position, (int, float)):
            raise ImportProblem("front matter 'glossary_position' should be a number")
        entry.glossary_position = None if position is None else float(position)
    else:
        entry.met_on = _date(data, "date")
        entry.who = _text(data, "who")
        entry.action_items = _text(data, "action_items")
    entry.aliases = [alias.strip() for alias in _list_keep_spaces(data) if alias.strip()]
    try:
        entry.validate()
    except InvalidEntryError as error:
        raise ImportProblem(str(error)) from None
    return entry


# --- file names --------------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_STEM = 120


def safe_filename(title: str, taken: set[str]) -> str:
    """A ``.md`` name from a title, safe on Windows, macOS and Linux and unique in ``taken``.

    ``taken`` holds lowercased names already used in the folder (file systems on macOS and
    Windows ignore case); the chosen name is added to it.
    """
    stem = unicodedata.normalize("NFC", title)
    stem = _UNSAFE.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip().strip(".").strip()
    stem = re.sub(r"-{2,}", "-", stem)
    stem = stem[:MAX_STEM].rstrip(" .")
    if not stem or set(stem) <= {".", "-", " "}:
        stem = "untitled"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"{stem}-"
    name = f"{stem}.md"
    counter = 2
    while name.lower() in taken:
        name = f"{stem} ({counter}).md"
        counter += 1
    taken.add(name.lower())
    return name
