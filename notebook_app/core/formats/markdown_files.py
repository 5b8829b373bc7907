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

This module maps fields to front matter keys (and titles to file names); the YAML itself is
written and read by ``front_matter_yaml.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from notebook_app.core.errors import ImportProblem, InvalidEntryError
from notebook_app.core.formats.front_matter_yaml import FENCE, front_matter_yaml, split_front_matter
from notebook_app.core.formats.page_properties import (
    day_of_name,
    page_front_matter,
    page_tags,
    with_source_url,
)
from notebook_app.core.markdown.syntax import tags_in
from notebook_app.core.model.entry import (
    FIELD,
    FIELDS,
    Entry,
    Kind,
    format_timestamp,
    normalize_tag,
    parse_timestamp,
)
from notebook_app.core.model.fields import Codec, Field
from notebook_app.core.papers.bibtex import split_authors

KIND_FOLDERS = {Kind.NOTE: "notes", Kind.TERM: "glossary", Kind.MEETING: "meetings"}


# How each codec's values are written in front matter (every one as text or a list of text,
# but numbers).
_TO_FRONT_MATTER: dict[Codec, Callable[[Any], Any]] = {
    Codec.TEXT: str,
    Codec.LINES: str,
    Codec.DAY: dt.date.isoformat,
    Codec.MOMENT: format_timestamp,
    Codec.NUMBER: float,
    Codec.INTEGER: int,
    Codec.CHOICE: lambda member: member.value,
    Codec.NAMES: list,
}


# Per kind, what its files hold: (field, key, conversion, written even when empty), in the
# table's order (worked out once: an export writes every entry).
_WRITTEN = {
    kind: [
        (f.name, f.front_matter, _TO_FRONT_MATTER[f.codec], f.always_written)
        for f in FIELDS
        if f.front_matter and f.belongs_to(kind)
    ]  # fmt: skip
    for kind in Kind
}


def entry_to_markdown(entry: Entry, extra: Mapping[str, Any] | None = None) -> str:
    """The file of an entry: every field of its kind that is set, in the table's order.

    ``extra`` keys (text, numbers, lists of text) go after the entry's own: front matter that
    is not an entry field (a term's review state: see learning/front_matter.py)."""
    data: dict[str, Any] = {}
    for name, key, convert, always in _WRITTEN[entry.kind]:
        value = getattr(entry, name)
        if value is not None and (always or value != []):
            data[key] = convert(value)
    if extra:
        data.update(extra)
    return FENCE + front_matter_yaml(data) + FENCE + entry.body


# --- reading -----------------------------------------------------------------------------------


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


# An Obsidian link as a list item (``- "[[Ashish Vaswani]]"``, as Obsidian Web Clipper writes
# authors): the name is the page it links to.
_WIKI_LINK = re.compile(r"\[\[([^\[\]|#\n]+)(?:[#|][^\[\]\n]*)?\]\]")


def list_name(item: Any) -> str:
    """One item of a names list (``authors:``, one a line) as the field's text holds it; an
    empty item (``-`` alone, a template's missing creator) is no name."""
    if item is None:
        return ""
    if isinstance(item, bool) or not isinstance(item, (str, int, float)):
        raise ImportProblem(f"a name should be text, not {item!r}")
    text = str(item).strip()
    link = _WIKI_LINK.fullmatch(text)
    return link[1].strip() if link else text


def joined_names(names: list[str]) -> str | None:
    """A list of names as the field's text: ``A and B`` (BibTeX's form, as a BibTeX import
    gives it), or ``A; B`` where a name holds a comma that ``and`` would not keep apart, so
    that the names read back (papers/bibtex.split_authors) are the same ones."""
    names = [name for name in names if name]
    if not names:
        return None
    for separator in (" and ", "; "):
        text = separator.join(names)
        if split_authors(text) == names:
            return text
    return " and ".join(names)


def _names_text(data: dict[str, Any], key: str) -> str | None:
    """A text field that may be given as a list of names (Field.names_list)."""
    value = data.get(key)
    if not isinstance(value, list):
        return _text(data, key)
    try:
        return joined_names([list_name(item) for item in value])
    except ImportProblem:
        raise ImportProblem(f"front matter {key!r} should be text or a list of names") from None


def _names(data: dict[str, Any], key: str) -> list[str] | None:
    """Names (aliases): a list, or one name per comma (a name may hold spaces); each as the
    entry keeps it (spaces around it aside, no empty one), so export compares like with like."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [name for name in (str(v).strip() for v in value) if name]
    raise ImportProblem(f"front matter {key!r} should be a list of text")


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, (int, float)):
        raise ImportProblem(f"front matter {key!r} should be a number")
    return float(value)


def _integer(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ImportProblem(f"front matter {key!r} should be a whole number")
    return value


def _moment(data: dict[str, Any], key: str) -> dt.datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _unix_time(value, key)
    try:
        return parse_timestamp(str(value))
    except ValueError:
        raise ImportProblem(f"front matter {key!r} is not a date and time: {value!r}") from None


def _unix_time(value: float, key: str) -> dt.datetime:
    """A number as a Unix time: milliseconds (Dendron's ``created: 1636...``) when it is past
    the year 5138 in seconds, else seconds."""
    seconds = value / 1000 if abs(value) >= 1e11 else value
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
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


def _member(field: Field, data: dict[str, Any], key: str) -> Any:
    value = _text(data, key)
    if value is None:
        return None
    assert field.choices is not None
    try:
        return field.choices(value)
    except ValueError:
        raise ImportProblem(f"front matter {key!r} has an unknown value {value!r}") from None


# How each codec's values are read from front matter (None when the key is absent or empty).
_FROM_FRONT_MATTER: dict[Codec, Callable[[Field, dict[str, Any], str], Any]] = {
    Codec.TEXT: lambda field, data, key: (
        _names_text(data, key) if field.names_list else _text(data, key)
    ),
    Codec.LINES: lambda field, data, key: _text(data, key),
    Codec.DAY: lambda field, data, key: _date(data, key),
    Codec.MOMENT: lambda field, data, key: _moment(data, key),
    Codec.NUMBER: lambda field, data, key: _number(data, key),
    Codec.INTEGER: lambda field, data, key: _integer(data, key),
    Codec.CHOICE: _member,
    Codec.NAMES: lambda field, data, key: _names(data, key),
}


# Where a `#word` is not a tag beyond code (syntax.tags_in skips fences and code spans): HTML and
# Obsidian (`%% %%`) comments, and indented code (after a blank line; looked for only where a
# blank line is followed by an indent: trying it at every position of every body took an
# import's time).
_COMMENTS = re.compile(r"<!--.*?-->|%%.*?%%", re.DOTALL)
_INDENTED_CODE = re.compile(r"(?:\A|(?<=\n\n))(?:(?: {4}|\t)[^\n]*\n?)+")


def inline_tags(body: str) -> list[str]:
    """The tags the text itself gives: Logseq's ``tags::`` page property (page_properties.py),
    then the ``#tags`` written in it (not in code or comments, not ``# headings``: the one tag
    rule is core/markdown/syntax.py's)."""
    if "#" not in body:
        return page_tags(body)
    text = body
    if "<!--" in text or "%%" in text:
        text = _COMMENTS.sub(" ", text)
    if "\n\n    " in text or "\n\n\t" in text or text.startswith(("    ", "\t")):
        text = _INDENTED_CODE.sub(" ", text)
    return page_tags(body) + tags_in(text)


def _heading_title(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
        if line.strip():
            return None
    return None


def _written_by_us(data: dict[str, Any]) -> bool:
    """Front matter as :func:`entry_to_markdown` writes it: an id, a kind and a tags list."""
    if "notebook-app-id" in data:
        return True
    return "id" in data and "kind" in data and isinstance(data.get("tags"), list)


# The fields with rules of their own (a default kind, a title from the text, inline #tags).
_READ_ABOVE = ("kind", "title", "tags")
# Per kind, the other fields its files may hold: (field, the keys it may be under, its reader).
_READ = {
    kind: [
        (f, (f.front_matter, *f.front_matter_aliases), _FROM_FRONT_MATTER[f.codec])
        for f in FIELDS
        if f.front_matter and f.name not in _READ_ABOVE and f.belongs_to(kind)
    ]  # fmt: skip
    for kind in Kind
}


def markdown_to_entry(text: str, *, fallback_title: str | None = None) -> Entry:
    """Read a markdown file (ours or another tool's) into an entry."""
    data, body = split_front_matter(text)
    return entry_from_front_matter(data or {}, body, fallback_title=fallback_title)


def entry_from_front_matter(
    data: dict[str, Any], body: str, *, fallback_title: str | None = None
) -> Entry:
    """The entry of a file whose front matter (``data``) and body are read already."""
    foreign = not _written_by_us(data)
    if foreign:  # Logseq's page properties: front matter of lower rank
        data = with_source_url({**page_front_matter(body), **data})
    kind_text = _text(data, "kind") or "note"
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise ImportProblem(f"front matter 'kind' is unknown: {kind_text!r}") from None
    title = _text(data, "title") or _heading_title(body) or fallback_title or "Untitled"
    raw_tags = _list(data, "tags", *FIELD["tags"].front_matter_aliases)
    if foreign:
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
    values: dict[str, Any] = {}
    for field, keys, read in _READ[kind]:
        # The first of its keys present; absent, the field's default (created: now, and so on).
        for key in keys:
            if data.get(key) is not None:
                value = read(field, data, key)
                if value is not None:
                    values[field.name] = value
                break
    if "created" not in values and foreign and (day := day_created(data, fallback_title)):
        values["created"] = day
    entry = Entry(kind=kind, title=title.strip(), tags=tags, body=body, **values)
    try:
        entry.validate()
    except InvalidEntryError as error:
        raise ImportProblem(str(error)) from None
    return entry


def day_created(data: dict[str, Any], stem: str | None) -> dt.datetime | None:
    """When another tool's file was written, if its front matter has no ``created``: its
    ``date`` (as Jekyll, Hugo and Obsidian's templates write it; a number is no date here), else
    the day a daily note is named by (page_properties.day_of_name); None if neither says."""
    if not isinstance(data.get("date"), (int, float)):
        try:
            if (found := _moment(data, "date")) is not None:
                return found
        except ImportProblem:
            pass  # not a date ("next week"): an ordinary property, kept as written
    return day_of_name(stem) if stem else None


# --- file names --------------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_STEM = 120  # characters: a longer name is no easier to read
# File systems count a name's length in bytes (ext4, APFS: 255 of UTF-8) or UTF-16 units (NTFS:
# 255); 255 bytes of UTF-8 is within both. 85 Korean syllables or 64 emoji fill it.
MAX_NAME_BYTES = 255
_SUFFIX = ".md"
# What a cut name ends with: an ellipsis and a hash of the whole title, so two long titles that
# start alike still get two names, the same ones on every export.
_CUT_MARK = "\u2026 "
_HASH_LENGTH = 8
MIN_NAME_BYTES = len((_CUT_MARK + "x" * _HASH_LENGTH + " (99)" + _SUFFIX).encode()) + 4


def _cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` bytes of UTF-8, cut between characters and
    not after a combining mark, joiner or variation selector left without what follows it."""
    cut = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    while cut and unicodedata.category(cut[-1]) in ("Mn", "Me", "Cf"):
        cut = cut[:-1]
    return cut.rstrip(" .")


def _shortened(stem: str, title: str, counter: str, max_bytes: int, suffix: str) -> str:
    """``stem`` + ``counter`` + ``suffix``, cut (with a hash of ``title``) to fit ``max_bytes``."""
    name = f"{stem}{counter}{suffix}"
    if len(name.encode("utf-8")) <= max_bytes and len(stem) <= MAX_STEM:
        return name
    digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    tail = f"{_CUT_MARK}{digest}{counter}{suffix}"
    room = max_bytes - len(tail.encode("utf-8"))
    return _cut_to_bytes(stem[: MAX_STEM - len(_CUT_MARK) - _HASH_LENGTH], room) + tail


def safe_filename(
    title: str, taken: set[str], max_bytes: int = MAX_NAME_BYTES, suffix: str = _SUFFIX
) -> str:
    """A ``.md`` name from a title (or one ending in ``suffix``: a vault's ``.txt`` note keeps
    its own), safe on Windows, macOS and Linux and unique in ``taken``.

    ``taken`` holds lowercased names already used in the folder (file systems on macOS and
    Windows ignore case); the chosen name is added to it. The name is at most ``max_bytes``
    bytes of UTF-8 (and :data:`MAX_STEM` characters before ``.md``): a longer title is cut
    between characters and ends with ``… `` and eight hex digits of the title's hash.
    """
    max_bytes = max(min(max_bytes, MAX_NAME_BYTES), MIN_NAME_BYTES)
    stem = unicodedata.normalize("NFC", title)
    stem = _UNSAFE.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip().strip(".").strip()
    stem = re.sub(r"-{2,}", "-", stem)
    if not stem or set(stem) <= {".", "-", " "}:
        stem = "untitled"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"{stem}-"
    name = _shortened(stem, title, "", max_bytes, suffix)
    counter = 2
    while name.lower() in taken:
        name = _shortened(stem, title, f" ({counter})", max_bytes, suffix)
        counter += 1
    taken.add(name.lower())
    return name
