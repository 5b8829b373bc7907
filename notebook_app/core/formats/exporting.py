"""Export: everything goes out as markdown, so nobody is locked in.

* :func:`export_vault` writes a folder with one ``.md`` file per entry in ``notes/``,
  ``glossary/`` and ``meetings/``, each with YAML front matter carrying every field (the mapping
  is ``markdown_files``, the one place entries become files and back). Importing the folder
  gives the same entries back.
* :func:`combined_document` writes one document in the samples' style: the reading log by day,
  newest first, with each entry's type, linked title and summary; the glossary in the user's
  order; meetings by day (participants optionally anonymised); the other notes.
* :func:`entry_as_markdown` is one entry as plain markdown, for the clipboard.

Which entries go out is the caller's choice (:func:`select_entries` follows a query and scope,
the window's current filter).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from notebook_app.core.errors import NotebookError, OperationCancelled
from notebook_app.core.formats.markdown_files import KIND_FOLDERS, entry_to_markdown, safe_filename
from notebook_app.core.model.entry import Entry, Kind, SourceType
from notebook_app.core.search.sql import Scope, Sort
from notebook_app.core.storage.notebook import Notebook

VAULT_MARKER = ".notebook-app-export"
Progress = Callable[[int, int, str], object]

# The reading log's legend (the sample's six, and the types it has no emoji for).
SOURCE_EMOJI: dict[SourceType, tuple[str, str]] = {
    SourceType.PAPER: ("📜", "papers"),
    SourceType.POST: ("📰", "blog posts, project pages"),
    SourceType.BOOK: ("📖", "books"),
    SourceType.RESOURCE: ("🌐", "broad/general resources"),
    SourceType.CODE: ("🧪", "code, experiments"),
    SourceType.VIDEO: ("📺", "videos"),
    SourceType.PODCAST: ("🎧", "podcasts"),
    SourceType.COURSE: ("🎓", "courses"),
    SourceType.OTHER: ("📎", "other"),
}


class ExportProblem(NotebookError):
    """The export cannot be written where asked; nothing was written."""


def select_entries(
    notebook: Notebook, query: str = "", scope: Scope | None = None, page: int = 500
) -> Iterator[Entry]:
    """The full entries matching a query and scope (the window's filter), in list order."""
    if not query.strip() and (scope is None or scope == Scope()):
        yield from notebook.iter_entries()
        return
    offset = 0
    while True:
        hits = notebook.search(query, scope=scope, sort=Sort.CREATED, limit=page, offset=offset)
        if not hits:
            return
        for hit in hits:
            yield notebook.get(hit.id)
        offset += len(hits)


@dataclasses.dataclass(slots=True)
class ExportReport:
    folder: Path
    files: int
    by_kind: dict[str, int]


def _check(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress is not None and progress(done, total, what) is False:
        raise OperationCancelled("export cancelled; nothing was written")


def export_vault(
    entries: Iterable[Entry],
    folder: Path | str,
    progress: Progress | None = None,
    *,
    extra_front_matter: Callable[[Entry], Mapping[str, Any]] | None = None,
) -> ExportReport:
    """Write ``entries`` as a markdown folder. A folder from an earlier export is replaced.

    The files are written to a scratch folder beside the target and moved into place at the
    end, so a cancelled or failed export leaves the target as it was.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportProblem(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / VAULT_MARKER).exists():
        raise ExportProblem(
            f"{folder} is not empty and is not an earlier export; choose an empty folder"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    items = list(entries)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        taken: dict[Kind, set[str]] = {kind: set() for kind in Kind}
        counts = {kind.value: 0 for kind in Kind}
        for kind in Kind:
            (scratch / KIND_FOLDERS[kind]).mkdir()
        for done, entry in enumerate(items):
            _check(progress, done, len(items), entry.title)
            name = safe_filename(entry.title, taken[entry.kind])
            target = scratch / KIND_FOLDERS[entry.kind] / name
            extra = extra_front_matter(entry) if extra_front_matter is not None else None
            target.write_text(entry_to_markdown(entry, extra), encoding="utf-8", newline="\n")
            counts[entry.kind.value] += 1
        (scratch / VAULT_MARKER).write_text(
            "Written by notebook-app. Import this folder to get the entries back.\n",
            encoding="utf-8",
        )
        _check(progress, len(items), len(items), "")
        _move_into_place(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ExportReport(folder, len(items), counts)


def _move_into_place(scratch: Path, folder: Path) -> None:
    if not folder.exists():
        scratch.rename(folder)
        return
    # An earlier export: replace what we wrote there, leave anything else the user added.
    for kind in Kind:
        old = folder / KIND_FOLDERS[kind]
        if old.exists():
            shutil.rmtree(old)
        (scratch / KIND_FOLDERS[kind]).rename(old)
    (scratch / VAULT_MARKER).replace(folder / VAULT_MARKER)


# --- the combined document ---------------------------------------------------------------------


_FENCE_LINE = re.compile(r"^\s*(```|~~~)")
_ATX_HEADING = re.compile(r"^(#{1,6})(?=\s)")


def _nested_body(body: str) -> str:
    """An entry's text placed under its ``###`` title: its own headings move down three levels
    (``#`` → ``####``, the deepest stay at ``######``), so they stay inside the entry in the
    document's outline. Code blocks are left as they are."""
    lines = body.strip().splitlines()
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            lines[index] = _ATX_HEADING.sub(lambda m: "#" * min(len(m.group(1)) + 3, 6), line)
    return "\n".join(lines)


def _anonymised(text: str, who: str, alias: str) -> str:
    """``text`` with the participant's description replaced, whatever its case."""
    return re.sub(re.escape(who), alias, text, flags=re.IGNORECASE) if text else text


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else line for line in text.splitlines())


def _reading_log_section(notes: list[Entry]) -> list[str]:
    lines = ["## Reading log", "", "Legend:"]
    lines += [f"- {emoji}: {label}" for emoji, label in SOURCE_EMOJI.values()]
    by_day: dict[dt.date, list[Entry]] = {}
    for note in notes:
        by_day.setdefault(note.read_on or note.created.date(), []).append(note)
    for day in sorted(by_day, reverse=True):
        lines += ["", day.strftime("%m/%d/%Y")]
        for note in by_day[day]:
            emoji = SOURCE_EMOJI[note.source_type or SourceType.OTHER][0]
            title = f"[{note.title}]({note.url})" if note.url else note.title
            lines.append(f"- {emoji}{title}")
            if note.body.strip():
                lines.append(_indent(note.body.strip(), "    - " if "\n" not in note.body.strip()
                                     else "    "))  # fmt: skip
    return lines


def _glossary_section(terms: list[Entry]) -> list[str]:
    lines = ["## Glossary", ""]
    ordered = sorted(
        terms,
        key=lambda t: (t.glossary_position is None, t.glossary_position or 0, t.title.casefold()),
    )
    for term in ordered:
        aliases = f" ({', '.join(term.aliases)})" if term.aliases else ""
        lines += [f"### {term.title}{aliases}", ""]
        if term.body.strip():
            lines += [_nested_body(term.body), ""]
    return lines


def _meetings_section(meetings: list[Entry], anonymise: bool) -> list[str]:
    lines = ["## Meetings", ""]
    people: dict[str, str] = {}
    ordered = sorted(meetings, key=lambda m: m.met_on or m.created.date(), reverse=True)
    for meeting in ordered:
        who = meeting.who or ""
        title, body, actions = meeting.title, meeting.body, meeting.action_items or ""
        if anonymise and who.strip():
            alias = people.setdefault(who.casefold(), f"Person {_letters(len(people))}")
            # The description also stands in titles ("Meeting with an eval researcher").
            title, body, actions = (_anonymised(text, who, alias)
                                    for text in (title, body, actions))  # fmt: skip
            who = alias
        day = (meeting.met_on or meeting.created.date()).isoformat()
        with_whom = f" (with {who})" if who and who.casefold() not in title.casefold() else ""
        lines += [f"### {day}: {title}{with_whom}", ""]
        if body.strip():
            lines += [_nested_body(body), ""]
        if actions.strip():
            lines += ["Action items:", "", actions.strip(), ""]
    return lines


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def combined_document(
    entries: Iterable[Entry], *, title: str = "Notebook", anonymise: bool = False
) -> str:
    items = list(entries)
    notes = [e for e in items if e.kind is Kind.NOTE]
    # Split by the test itself, not `e not in read`: that compared every note with every read
    # one field by field, and grew with the square of the number of notes.
    read = [e for e in notes if e.read_on or e.url or e.source_type]
    other_notes = [e for e in notes if not (e.read_on or e.url or e.source_type)]
    terms = [e for e in items if e.kind is Kind.TERM]
    meetings = [e for e in items if e.kind is Kind.MEETING]
    lines = [f"# {title}", ""]
    if read:
        lines += _reading_log_section(read) + [""]
    if terms:
        lines += _glossary_section(terms)
    if meetings:
        lines += _meetings_section(meetings, anonymise)
    if other_notes:
        lines += ["## Notes", ""]
        for note in sorted(other_notes, key=lambda n: n.created, reverse=True):
            lines += [f"### {note.title}", ""]
            if note.body.strip():
                lines += [_nested_body(note.body), ""]
    return "\n".join(lines).rstrip() + "\n"


def entry_as_markdown(entry: Entry) -> str:
    """One entry as plain markdown (no front matter), for the clipboard."""
    lines = [f"# {entry.title}", ""]
    facts = []
    if entry.url:
        facts.append(f"<{entry.url}>")
    if entry.authors:
        facts.append(entry.authors)
    day = entry.read_on or entry.met_on
    if day:
        facts.append(day.isoformat())
    if entry.who:
        facts.append(f"with {entry.who}")
    if entry.aliases:
        facts.append("also: " + ", ".join(entry.aliases))
    if entry.tags:
        facts.append(" ".join(f"#{tag}" for tag in entry.tags))
    if facts:
        lines += [" · ".join(facts), ""]
    if entry.body.strip():
        lines += [entry.body.rstrip(), ""]
    if entry.action_items and entry.action_items.strip():
        lines += ["## Action items", "", entry.action_items.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
