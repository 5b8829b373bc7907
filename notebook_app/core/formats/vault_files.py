"""Files of a user's vault (an Obsidian, Foam or markdown folder), read and written faithfully.

An entry imported from a vault keeps where it lives (``folder``, ``file_name``) and the front
matter exactly as the file had it (``front_matter``: the text from the first ``---`` to the
closing one, both included). Export writes that text back untouched, followed by the body, as
long as the fields the app models still say what that front matter says; so a vault imported
and exported again is the same tree, byte for byte, with every property the app does not model
(any key, any YAML value, its quoting and comments). Once an entry's modelled fields change in
the app, those keys' lines are written again in place (loose_front_matter.edited_block: a list
keeps its brackets or its indent), every other line as it was; where a key cannot be written
alone (an anchor), the whole front matter is written again from the original mapping with those
keys replaced: other keys keep their order and types (a date stays a date), not their quoting.

Reading is tolerant: a file is refused only when it is not text (``importing``). A value of one
of the app's own fields that does not fit (``status: draft``, ``kind: book``, a ``url:`` list) is
left in the front matter, where export finds it again, the field stays empty, and the report
says so. Front matter that is not YAML stays at the top of the body, as Obsidian shows it.
Titles are the file name, as Obsidian shows them; a ``title:`` key is an ordinary property.
Logseq's page properties (``tags:: a, b`` lines opening the text) count as front matter of lower
rank, and a daily note's name gives its creation day (``page_properties``).

The app's own files (an earlier export: its id under :data:`OWN_ID_KEY`, or under ``id`` with
the app's ``kind`` and ``tags`` keys) are read as they were written: by id. A foreign ``id: 1``
is an ordinary property.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Mapping
from typing import Any

import yaml

from notebook_app.core.attachments.references import NOTE_SUFFIXES
from notebook_app.core.errors import ImportProblem, InvalidEntryError
from notebook_app.core.formats.folders import folder_counts as folder_counts
from notebook_app.core.formats.front_matter_yaml import (
    SAFE_LOADER,
    _check_depth,
    _flat_mapping,
    _NotFlat,
    front_matter_yaml,
)
from notebook_app.core.formats.loose_front_matter import (
    LooseBlock,
    block_end,
    edited_block,
    loose_block,
)
from notebook_app.core.formats.markdown_files import (
    _FROM_FRONT_MATTER,
    _TO_FRONT_MATTER,
    FIELD,
    FIELDS,
    day_created,
    inline_tags,
    list_name,
)
from notebook_app.core.formats.page_properties import (
    logseq_names,
    notion_front_matter,
    page_front_matter,
    with_source_url,
    without_notion_id,
)
from notebook_app.core.model.entry import Entry, Kind, normalize_tag
from notebook_app.core.model.fields import Field
from notebook_app.core.papers.arxiv import paper_day
from notebook_app.core.papers.bibtex import split_authors

OWN_ID_KEY = "notebook-app-id"
COMBINED_MARKER = "<!-- notebook-app: combined document -->"
"""The first line of the combined document: import refuses it with one clear line."""
COMBINED_REFUSAL = (
    "this is the notebook's combined document (an export for reading), not notes to import; "
    "import the exported folder instead"
)
_FENCE = "---\n"
_SKIPPED = {"id", "kind", "title", "tags", "created", "updated"}


def is_note_file(path: str) -> bool:
    """Whether a file found in a folder is one of its notes (``NOTE_SUFFIXES``): markdown, or
    plain text (nvALT and Notational Velocity keep a folder of ``.txt`` notes, and an Obsidian
    vault may hold a few). Import, export and sync treat each alike: titled by its name, kept
    at its path, written back in place."""
    return posixpath.splitext(path)[1].lower() in NOTE_SUFFIXES


def note_suffix(name: str | None) -> str:
    """The suffix a vault entry's file keeps when its title changes (``.md`` for the app's)."""
    suffix = posixpath.splitext(name or "")[1]
    return suffix if suffix.lower() in NOTE_SUFFIXES else ".md"


def title_of_file(name: str) -> str:
    """An entry's title from its file's name, as Obsidian shows it: the name without its
    last suffix (``v1.10.md`` is "v1.10"), on one line, and without the page id a Notion
    export adds (page_properties.without_notion_id)."""
    stem = without_notion_id(name.rsplit(".", 1)[0] if "." in name[1:] else name)
    return " ".join(stem.split()) or "Untitled"


def content_hash(data: bytes) -> str:
    """The identity of a file's content (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


def written_by_app(data: dict[str, Any]) -> bool:
    """Front matter the app wrote: its own id key, or (earlier exports) ``id`` with the app's
    ``kind`` and a ``tags`` list."""
    if OWN_ID_KEY in data:
        return True
    return "id" in data and "kind" in data and isinstance(data.get("tags"), list)


def _mapping(yaml_text: str) -> dict[str, Any]:
    """Front matter's mapping: libyaml's events for the flat kind most files hold, else its
    loader (never the pure-Python one: a broken template is a warning, not worth its time)."""
    if not yaml_text.strip():
        return {}
    try:
        return _flat_mapping(yaml_text)
    except _NotFlat:
        pass
    _check_depth(yaml_text)
    try:
        data = yaml.load(yaml_text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "invalid"
        raise ImportProblem(f"front matter is not valid YAML{line}: {problem}") from None
    except RecursionError:
        raise ImportProblem("front matter is nested too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportProblem("front matter is not a set of key: value lines")
    return data


def _head(text: str) -> tuple[str | None, dict[str, Any], str, str | None]:
    """(the front matter as written, fences included, or None; its mapping; the body; a warning
    when there was front matter that could not be read)."""
    if not text.startswith(_FENCE):
        return None, {}, text, None
    end = block_end(text)
    if end == -1:
        return None, {}, text, "front matter is not closed (no line '---' after it); kept " \
            "at the top of the text"  # fmt: skip
    head = text[:end]
    try:
        data = _mapping(head[len(_FENCE) : head.rindex("---")])
    except ImportProblem as error:
        # A template's placeholders (created: {{date}}): its other keys are read one by one.
        loose = _loose(text)
        return None, loose.data if loose else {}, text, f"{error}; kept at the top of the text"
    return head, data, text[len(head) :], None


def _loose(body: str) -> LooseBlock | None:
    """The front matter opening ``body`` when it is not YAML as a whole (loose_front_matter)."""
    return loose_block(body, _mapping)


def _template_block(body: str) -> LooseBlock | None:
    """The front matter the import kept atop an entry's text, not being YAML (a template's),
    read key by key; None for a text that opens with no such block."""
    end = block_end(body)
    if end == -1:
        return None
    try:
        _mapping(body[len(_FENCE) : body.rindex("---", 0, end)])
    except ImportProblem:
        return _loose(body)
    return None  # YAML as a whole: not kept by the import, so typed in the text


# The fields read from a vault file's front matter by their keys (title and tags have rules of
# their own; created and updated are the notebook's, read when present).
_MODELLED: dict[Kind, list[tuple[Field, tuple[str, ...]]]] = {
    kind: [
        (f, (f.front_matter, *f.front_matter_aliases))
        for f in FIELDS
        if f.front_matter and f.belongs_to(kind) and f.name not in ("id", "kind", "title", "tags")
    ]  # fmt: skip
    for kind in Kind
}


def _modelled_values(data: dict[str, Any], kind: Kind, warnings: list[str] | None) -> dict:
    values: dict[str, Any] = {}
    for field, keys in _MODELLED[kind]:
        for key in keys:
            if data.get(key) is None:
                continue
            try:
                value = _FROM_FRONT_MATTER[field.codec](field, data, key)
            except ImportProblem as error:
                if warnings is not None:
                    warnings.append(f"{error}; kept as a property, {field.name} left empty")
                value = None
            if value is not None:
                values[field.name] = value
            break
    return values


def _kind(data: dict[str, Any], warnings: list[str] | None) -> Kind:
    value = data.get("kind")
    if value is None:
        return Kind.NOTE
    try:
        return Kind(value) if isinstance(value, str) else Kind("")
    except ValueError:
        if warnings is not None:
            warnings.append(f"front matter 'kind' is not one of the app's: {value!r}; kept as a "
                            "property, read as a note")  # fmt: skip
        return Kind.NOTE


def _tags(data: dict[str, Any], body: str, warnings: list[str] | None) -> list[str]:
    raw: list[Any] = []
    for key in ("tags", "tag"):
        value = data.get(key)
        if isinstance(value, str):
            raw += [part for part in value.replace(",", " ").split() if part]
        elif isinstance(value, list):
            raw += value
        elif value is not None and warnings is not None:
            warnings.append(f"front matter {key!r} is not a list of tags; kept as a property")
        if value is not None:
            break
    raw += inline_tags(body)
    tags: list[str] = []
    seen: set[str] = set()
    for item in raw:
        try:
            tag = normalize_tag(str(item)) if isinstance(item, (str, int, float)) else ""
        except InvalidEntryError:
            tag = ""
        if not tag:
            if warnings is not None:
                warnings.append(f"tag {item!r} is not one the app can hold; kept in the file")
            continue
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def read_vault_markdown(text: str, path: str) -> tuple[Entry, list[str], bool]:
    """A vault file (``path`` relative to the vault, ``/`` between folders) as an entry, the
    warnings about what it holds that the app could not use, and whether the file is the
    app's own (its id is then the entry's)."""
    from notebook_app.core.formats.markdown_files import entry_from_front_matter

    warnings: list[str] = []
    head, data, body, problem = _head(text)
    if problem:
        warnings.append(problem)
    folder, _, name = path.rpartition("/")
    stem = title_of_file(name)
    if head is not None and written_by_app(data):
        try:
            entry = entry_from_front_matter(data, body, fallback_title=stem)
        except ImportProblem:
            pass  # read as any other tool's file below, keeping what it holds
        else:
            return entry, warnings, True
    kind = _kind(data, warnings)
    data = _page_data(name, body, data)
    values = _modelled_values(data, kind, warnings)
    if "created" not in values and (day := day_created(data, stem)) is not None:
        values["created"] = day  # its date: property, or a daily note's name
    _add_logseq_aliases(values, folder, stem, body)
    entry = Entry(kind=kind, title=stem, body=body, **values)
    entry.tags = _tags(data, body, warnings)
    entry.folder = folder
    entry.file_name = name
    entry.front_matter = head
    return entry, warnings, False


def _page_data(name: str, body: str, data: dict[str, Any]) -> dict[str, Any]:
    """Front matter with the properties the text opens with (Logseq's ``key:: value``, a
    Notion page's ``Name: value``) below it: a YAML key of the same name wins; and a clipped
    page's ``source`` as its ``url`` (page_properties.with_source_url)."""
    return with_source_url({**notion_front_matter(name, body), **page_front_matter(body), **data})


def imported_read_on(kind: Kind, read_on: dt.date | None, url: str | None) -> dt.date | None:
    """A note's day read as an import gives it: the one its file says, else its arXiv paper's
    month (papers/arxiv.py), else none."""
    if kind is Kind.NOTE and read_on is None and url:
        return paper_day(url)
    return read_on


def _add_logseq_aliases(values: dict[str, Any], folder: str, stem: str, body: str) -> None:
    """The names Logseq's links may give the page (page_properties.logseq_names), as aliases
    after the ones its file gives."""
    aliases = values.get("aliases") or []
    added = [name for name in logseq_names(folder, stem, body) if name not in aliases]
    if added:
        values["aliases"] = [*aliases, *added]


def front_matter_yaml_any(data: dict[str, Any], flow_lists: bool = False) -> str:
    """Front matter holding any YAML value (dates, nested maps...), keys in order; lists of
    text in brackets with ``flow_lists`` (see front_matter_yaml)."""
    try:
        return front_matter_yaml(data, flow_lists)
    except TypeError:
        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


def _listed_names(text: str, listed: list[Any]) -> list[Any]:
    """A names field's text (authors) as the list its file had: a name per item, each name the
    file had kept as its item was written (an Obsidian link stays a link)."""
    as_written: dict[str, Any] = {}
    for item in listed:
        try:
            as_written.setdefault(list_name(item), item)
        except ImportProblem:
            continue
    return [as_written.get(name, name) for name in split_authors(text)]


def _edited_in_place(head: str, data: dict[str, Any], values: dict[str, Any],
                     gone: set[str]) -> str | None:  # fmt: skip
    """YAML front matter with the keys of ``values`` written again and those of ``gone`` taken
    out, line by line (loose_front_matter.edited_block): every other line stays as the file
    wrote it (its quoting, comments, lists in brackets). None when that would not read back as
    ``data`` (a key given twice, an anchor another key uses): then the whole block is written."""
    block = _loose(head)
    if block is None:
        return None
    changed = [g for g in block.groups if g.key is not None and (g.key in values or g.key in gone)]
    if any(not g.read for g in changed) or len({g.key for g in changed}) < len(changed):
        return None
    text = edited_block(block, values, front_matter_yaml_any, gone)
    try:
        same = _mapping(text[len(_FENCE) : text.rindex("---")]) == data
    except ImportProblem:
        same = False
    return text if same else None


def _same(field: Field, now: Any, then: Any) -> bool:
    if field.name == "tags":
        return [t.casefold() for t in now or []] == [t.casefold() for t in then or []]
    return bool(now == then or (now in (None, []) and then in (None, [])))


# A line of front matter starting with one of the keys vault_markdown compares (the app's own
# keys but the notebook's times), in any kind; quoted keys too.
_COMPARED_KEY = re.compile(
    r"^[\"']?(?:"
    + "|".join(
        sorted(
            {
                re.escape(key)
                for kind in Kind
                for f, keys in _MODELLED[kind]
                if f.name not in ("created", "updated")
                for key in keys
            }
            | {"kind", "tags", "tag", "source", "source_url"}  # a source may be the URL
        )
    )  # fmt: skip
    + r")[\"']?\s*:|^\s*\{",  # or a mapping written in braces
    re.MULTILINE,
)


def vault_markdown(entry: Entry, extra: Mapping[str, Any] | None = None) -> str:
    """The file of an entry imported from a vault: its front matter as it came while its
    modelled fields still agree with it, else that front matter with the changed keys
    written again. ``extra`` keys (a term's review state, see ``entry_to_markdown``) replace
    the file's own when they differ. Front matter that is not YAML (a template's), kept atop
    the text, has its changed keys written again line by line (loose_front_matter)."""
    head = entry.front_matter
    data: dict[str, Any] = {}
    loose = _template_block(entry.body) if head is None else None
    if loose is not None:
        data = dict(loose.data)
    elif head is not None and (extra or _COMPARED_KEY.search(head)):
        # Only front matter that holds a key the app reads needs reading again (most of a
        # vault's files hold only other tools' properties, or none).
        data = dict(_mapping(head[len(_FENCE) : head.rindex("---")]))
    kind = _kind(data, None)
    page = _page_data(entry.file_name or "", entry.body, data)
    before = _modelled_values(page, kind, None)
    if entry.file_name is not None:  # the aliases the import gave a Logseq page: no change
        _add_logseq_aliases(before, entry.folder or "", title_of_file(entry.file_name), entry.body)
    # The day read the import gave a note from its arXiv link is no change to write back.
    before["read_on"] = imported_read_on(kind, before.get("read_on"), before.get("url"))
    before["tags"] = _tags(page, entry.body, None)
    changed: list[Field] = []
    for field, _keys in _MODELLED[entry.kind]:
        if field.name in ("created", "updated"):
            continue  # the notebook's own times: not edited in the app
        if field.name == "glossary_position" and field.front_matter not in data:
            continue  # the order the notebook gave a term: no change to a file that had none
        if not _same(field, getattr(entry, field.name), before.get(field.name)):
            changed.append(field)
    if not _same(FIELD["tags"], entry.tags, before["tags"]):
        changed.append(FIELD["tags"])
    if kind is not entry.kind:
        changed.append(FIELD["kind"])
    extra_changed = bool(extra) and any(data.get(k) != v for k, v in (extra or {}).items())
    if not changed and not extra_changed:
        return (head or "") + entry.body
    if head is not None and not data:
        data = dict(_mapping(head[len(_FENCE) : head.rindex("---")]))
    values: dict[str, Any] = {}  # the keys written again
    gone: set[str] = set()  # and those taken out
    for field in changed:
        key = next((k for k in (field.front_matter, *field.front_matter_aliases) if k in data),
                   field.front_matter)  # fmt: skip
        assert key is not None
        value = getattr(entry, field.name)
        if field.name == "tags":
            inline = {t.casefold() for t in _tags({}, entry.body, None)}  # as stored
            value = [t for t in entry.tags if t.casefold() not in inline]
        if value is None or value == []:
            gone.add(key)
        elif field.names_list and isinstance(data.get(key), list):  # a list stays a list
            values[key] = _listed_names(value, data[key])
        else:
            values[key] = _TO_FRONT_MATTER[field.codec](value)
    if extra_changed:
        values.update(extra or {})
    if loose is not None:  # one block, edited in place: a second one would break a template
        edited = edited_block(loose, values, front_matter_yaml_any)  # no key taken out
        return edited + entry.body[len(loose.text) :]
    for key in gone:
        data.pop(key, None)
    data.update(values)
    if not data:
        return entry.body
    if head is not None and (in_place := _edited_in_place(head, data, values, gone)) is not None:
        return in_place + entry.body
    return _FENCE + front_matter_yaml_any(data) + _FENCE + entry.body


@dataclasses.dataclass(slots=True)
class VaultFile:
    """A note file found in a vault (see :func:`is_note_file`), read but not parsed."""

    path: str  # relative to the vault, "/" between folders
    text: str
    hash: str
    mtime: float | None
    warnings: list[str] = dataclasses.field(default_factory=list)
    style: str | None = None  # see file_text.FileText.style


def read_vault_file(file: VaultFile) -> tuple[Entry, list[str], bool]:
    entry, warnings, own = read_vault_markdown(file.text, file.path)
    entry.file_style = file.style
    return entry, warnings, own


def vault_file_bytes(entry: Entry, extra: Mapping[str, Any] | None = None) -> bytes:
    """The bytes of a vault entry's file (see vault_markdown), spelt as the file was: its line
    ends and byte-order mark (``Entry.file_style``), in UTF-8."""
    text = vault_markdown(entry, extra)
    style = (entry.file_style or "").split()
    if "crlf" in style:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if "bom" in style else "").encode("utf-8") + text.encode("utf-8")


@dataclasses.dataclass(frozen=True, slots=True)
class FileRecord:
    """Where an entry's file is in a vault and what it held when last read or written: the
    base a later import or sync compares both sides against."""

    entry_id: str
    path: str
    hash: str
    mtime: float | None


def known_files(conn: Any) -> dict[str, tuple[str, str]]:
    """Each recorded vault path -> (entry id, content hash)."""
    rows = conn.execute(
        "SELECT v.path, e.id, v.hash FROM vault_files v JOIN entries e ON e.seq = v.entry"
    )
    return {path: (entry_id, hashed) for path, entry_id, hashed in rows}


def record_files(conn: Any, records: list[FileRecord], root: str | None = None) -> None:
    """Remember where these entries' files are (in the caller's transaction), relative to the
    folder ``root`` (its real path: see :func:`folder_root`)."""
    conn.executemany(
        "INSERT INTO vault_files (entry, path, hash, mtime, base_version, root) "
        "SELECT seq, ?, ?, ?, version, ? FROM entries WHERE id = ? "
        "ON CONFLICT (entry) DO UPDATE SET path = excluded.path, hash = excluded.hash, "
        "mtime = excluded.mtime, base_version = excluded.base_version, root = excluded.root",
        [(r.path, r.hash, r.mtime, root, r.entry_id) for r in records],
    )


def folder_root(folder: Any) -> str:
    """The name a folder's records are kept under: its real path (the same folder reached
    through a link or a relative path is the same root)."""
    return os.path.realpath(os.path.expanduser(os.fspath(folder)))
