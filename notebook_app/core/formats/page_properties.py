"""Logseq's page properties, and the day a daily note's file name gives.

A Logseq page keeps its properties as the lines it opens with, ``key:: value``::

    title:: Sparse autoencoders
    tags:: interpretability, [[dictionary learning]]
    alias:: SAE
    url:: https://arxiv.org/abs/2309.08600

    - first block

The import reads them as front matter of lower rank (a YAML key of the same name wins): the
tags (added to the text's ``#tags``) and the app's own keys (``alias``, ``url``,
``status``...); they stay in the text as written, so export gives the file back unchanged.
The title stays the file's name, as for any vault file (the name is what export writes back);
``title::``, like a namespaced page's name, becomes an alias (:func:`logseq_names`), so the
graph's links to it resolve. Obsidian and Foam files open
with no such lines and get nothing from here.

A Logseq journal (``journals/2024_01_15.md``) is known in its graph by the day as Logseq
shows it, ``Jan 15th, 2024``: the import gives it that alias, so links to the day resolve.

A daily note is named by its day: ``2024-01-15.md`` (Obsidian, Foam) or ``2024_01_15.md``
(Logseq's journals). With no creation time in its front matter (nor a ``date:``, see
``markdown_files.day_created``), that day is its creation day, so a vault's years of daily
notes keep their places in a list sorted by day.

Notion's "Markdown & CSV" export names every page's file (and the folder of its sub-pages) by
its title and its 32-hex id, ``Reading notes 0a1b…6789.md``: the title is the name without the
id (:func:`without_notion_id`). A database row's page opens with its properties, after its
``# Title``, one ``Name: value`` a line (``Tags: ml, textbook``, ``Created: September 25, 2024
3:04 PM``, ``URL: https://…``). :func:`notion_front_matter` reads those that map to the app's
fields as front matter of lower rank, as Logseq's; the lines stay in the text as written.
"""

from __future__ import annotations

import datetime as dt
import re

# The key, "::", the value. Keys are Logseq's: letters first, then letters, digits, - and _.
_PROPERTY = re.compile(r"([A-Za-z][\w-]*)::(?:[ \t]+(.*?))?[ \t]*")
_MAX_PROPERTIES = 64  # a page's properties are a handful; this bounds the look at a long text
_PAGE_REF = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_DAY_NAME = re.compile(r"(\d{4})([-_])(\d{2})\2(\d{2})")
# Page properties that set no field: the title is the file's name, the tags are read apart,
# and the rest are Logseq's own bookkeeping.
_NOT_FIELDS = {"title", "tags", "id", "kind", "created", "updated"}


def page_properties(body: str) -> dict[str, str]:
    """The ``key:: value`` lines ``body`` opens with, keys lower-cased (the first of a key
    wins), ``[[page]]`` references read as their names; empty for any other text."""
    found: dict[str, str] = {}
    if "::" not in body[:200]:  # most texts: no look at their lines at all
        return found
    for line in body.split("\n", _MAX_PROPERTIES)[:_MAX_PROPERTIES]:
        match = _PROPERTY.fullmatch(line)
        if match is None:
            break
        found.setdefault(match[1].lower(), _PAGE_REF.sub(r"\1", match[2] or "").strip())
    return found


def page_tags(body: str) -> list[str]:
    """The ``tags::`` page property's tags, as written (``#`` aside): comma-separated."""
    value = page_properties(body).get("tags", "")
    return [part.strip().removeprefix("#") for part in value.split(",") if part.strip()]


def page_front_matter(body: str) -> dict[str, str]:
    """The page properties that may set one of the app's fields (``alias``, ``url``...), as
    front matter keys and values."""
    return {
        key: value
        for key, value in page_properties(body).items()
        if value and key not in _NOT_FIELDS
    }


# A Notion export's page name: the title, a space, the page's id (32 hex digits, lower case).
_NOTION_ID = re.compile(r" [0-9a-f]{32}$")
# "Name: value" (Notion's property names: anything but a colon, short).
_NOTION_PROPERTY = re.compile(r"([^\s:#>*-][^:\n]{0,60}?): (.+)")
# Notion's property names (as its templates and default databases spell them), by the front
# matter key that sets the app's field; any other property stays text only.
_NOTION_KEYS = {
    "tags": "tags", "created": "created", "created time": "created", "date created": "created",
    "last edited time": "updated", "edited": "updated", "updated": "updated", "url": "url",
    "author": "authors", "authors": "authors", "status": "status",
}  # fmt: skip
# Notion's status options (its default ones too) as the app's reading statuses.
_NOTION_STATUS = {
    "not started": "to-read", "to read": "to-read", "to-read": "to-read",
    "in progress": "reading", "reading": "reading",
    "done": "done", "read": "done", "complete": "done", "completed": "done",
}  # fmt: skip
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
# Notion's default date format, "September 25, 2024" and "September 25, 2024 3:04 PM".
_NOTION_DATE = re.compile(r"([A-Za-z]+) (\d{1,2}), (\d{4})(?: (\d{1,2}):(\d{2}) ?([AaPp][Mm]))?")


def with_source_url(data: dict[str, object]) -> dict[str, object]:
    """Front matter given, when it has no ``url``, the web address its ``source`` or
    ``source_url`` holds (Joplin's export and Obsidian Web Clipper keep a clipped note's page
    there) as its ``url``; a source that is not an address (a book's name) stays a property."""
    if data.get("url") is not None:
        return data
    for key in ("source", "source_url"):
        value = data.get(key)
        if isinstance(value, str) and re.match(r"https?://\S+$", value.strip()):
            return {**data, "url": value.strip()}
    return data


def without_notion_id(stem: str) -> str:
    """A file or folder name without the page id a Notion export adds to it."""
    return _NOTION_ID.sub("", stem)


def notion_front_matter(name: str, body: str) -> dict[str, object]:
    """The properties a Notion page (a file ``name`` bearing a page id) opens with that set one
    of the app's fields, as front matter keys and values (a time as a datetime, in UTC as
    Notion writes it without a zone; tags as a list); empty for any other file."""
    if not _NOTION_ID.search(name.rsplit(".", 1)[0]):
        return {}
    lines = body.split("\n", _MAX_PROPERTIES)[:_MAX_PROPERTIES]
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines) and lines[index].startswith("# "):
        index += 1
        while index < len(lines) and not lines[index].strip():
            index += 1
    found: dict[str, object] = {}
    for line in lines[index:]:
        match = _NOTION_PROPERTY.fullmatch(line.rstrip())
        if match is None:
            break
        key = _NOTION_KEYS.get(match[1].strip().lower())
        value = _notion_value(key, match[2].strip()) if key else None
        if key and value not in (None, [], ""):
            found.setdefault(key, value)
    return found


def _notion_value(key: str, value: str) -> object:
    if key == "tags":
        return [part.strip() for part in value.split(",") if part.strip()]
    if key in ("created", "updated"):
        return _notion_date(value)
    if key == "status":
        return _NOTION_STATUS.get(value.lower())
    return value


def _notion_date(value: str) -> dt.datetime | None:
    match = _NOTION_DATE.fullmatch(value)
    if match is None or match[1].lower() not in _FULL_MONTHS:
        return None
    hour, minute = int(match[4] or 0), int(match[5] or 0)
    if match[6]:
        hour = hour % 12 + (12 if match[6].lower() == "pm" else 0)
    try:
        return dt.datetime(int(match[3]), _FULL_MONTHS.index(match[1].lower()) + 1,
                           int(match[2]), hour, minute, tzinfo=dt.UTC)  # fmt: skip
    except ValueError:  # February 30
        return None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def logseq_names(folder: str, stem: str, body: str) -> list[str]:
    """The names a Logseq graph's links may give a page that its file name does not: its
    ``title::`` property, a namespaced page's name (``ml___sae.md`` is ``ml/sae``) and a
    journal's day as Logseq shows it (:func:`journal_title`). The import gives them as aliases,
    so ``[[ml/sae]]`` finds the page while the title stays the file's name."""
    names = [page_properties(body).get("title", "")]
    if "___" in stem:
        names.append(stem.replace("___", "/"))
    names.append(journal_title(folder, stem) or "")
    return [name for name in dict.fromkeys(names) if name and name != stem]


def journal_title(folder: str, stem: str) -> str | None:
    """The name Logseq shows a journal page by, in its default format ("Jan 15th, 2024"), for a
    file of a ``journals`` folder named by its day: the graph's pages link to the day so
    (``[[Jan 15th, 2024]]``), and an alias of that name lets such links find the entry."""
    day = day_of_name(stem) if folder.rpartition("/")[2] == "journals" else None
    if day is None:
        return None
    n = day.day
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{_MONTHS[day.month - 1]} {n}{suffix}, {day.year}"


def day_of_name(stem: str) -> dt.datetime | None:
    """The day a daily note's name (without ``.md``) gives, as its creation time (midnight,
    UTC), or None when the name is no day."""
    match = _DAY_NAME.fullmatch(stem)
    if match is None:
        return None
    try:
        day = dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:  # 2024-13-40
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
