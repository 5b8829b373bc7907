"""Export: everything goes out as markdown, so nobody is locked in.

* :func:`export_vault` writes a folder with one ``.md`` file per entry in ``notes/``,
  ``glossary/`` and ``meetings/``, each with YAML front matter carrying every field (the mapping
  is ``markdown_files``, the one place entries become files and back). Importing the folder
  gives the same entries back.
* :func:`combined_document` writes one document in the samples' style: the reading log by day,
  newest first, with each entry's type, linked title and summary; the glossary in the user's
  order; meetings by day; the other notes.
* Either can be anonymised: people's names become "Person A", "Person B"... (``anonymise``).
* :func:`entry_as_markdown` is one entry as plain markdown, for the clipboard.

Which entries go out is the caller's choice (:func:`select_entries` follows a query and scope,
the window's current filter).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from notebook_app.core.attachments.export import stage_attachments
from notebook_app.core.errors import OperationCancelled
from notebook_app.core.formats.anonymise import Anonymiser
from notebook_app.core.formats.export_folder import (
    MANIFEST,
    ExportProblem,
    Staging,
    describe_os_error,
    path_budget,
    survey,
)
from notebook_app.core.formats.markdown_files import (
    KIND_FOLDERS,
    MIN_NAME_BYTES,
    entry_to_markdown,
    safe_filename,
)
from notebook_app.core.formats.source_files import readable
from notebook_app.core.formats.vault_files import (
    COMBINED_MARKER,
    note_suffix,
    title_of_file,
    vault_file_bytes,
)
from notebook_app.core.markdown.syntax import (
    closes_fence_at_any_indent,
    fence_opening,
    heading_line,
    inside_quotes,
    quote_depth,
    quote_marks,
    setext_level,
)
from notebook_app.core.model.entry import Entry, Kind, SourceType
from notebook_app.core.search.sql import Scope, Sort
from notebook_app.core.storage.notebook import Notebook

VAULT_MARKER = MANIFEST  # the file that marks a folder as an export (and lists its files)
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
    written: int = 0  # files written (new or changed); the others were there already
    removed: list[str] = dataclasses.field(default_factory=list)  # ours, for entries gone
    kept: list[str] = dataclasses.field(default_factory=list)  # the user's, left alone
    kept_changed: list[str] = dataclasses.field(default_factory=list)  # ours, edited since
    interrupted: list[str] = dataclasses.field(default_factory=list)  # see export_folder

    def notices(self) -> list[str]:
        """What the user should know besides the count: files of theirs that were kept."""
        lines = []
        if self.kept_changed:
            lines.append(
                f"kept {_listed(self.kept_changed)}: changed since the last export "
                "(--force overwrites or removes such files)"
            )
        if self.kept:
            lines.append(f"kept {_listed(self.kept)}: not written by an export")
        for name in self.interrupted:
            lines.append(
                f"an earlier export into this folder was stopped half-way: {name} holds the "
                "files it had moved aside; look through it, then delete it"
            )
        return lines


def _listed(paths: list[str], shown: int = 5) -> str:
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _check(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress is not None and progress(done, total, what) is False:
        raise OperationCancelled("export cancelled; nothing was written")


def export_vault(
    entries: Iterable[Entry],
    folder: Path | str,
    progress: Progress | None = None,
    *,
    force: bool = False,
    anonymise: bool = False,
    anonymise_names: Iterable[str] = (),
    extra_front_matter: Callable[[Entry], Mapping[str, Any]] | None = None,
    attachments: Iterable[tuple[str, bytes]] = (),
) -> ExportReport:
    """Write ``entries`` as a markdown folder, new or from an earlier export (``export_folder``
    has the rules: the user's files are kept, no link is followed, all or nothing).

    ``force`` lets it overwrite or remove files of an earlier export that were edited since.
    ``anonymise`` replaces people's names in every entry as :func:`combined_document` does (the
    same letters for the same people), and gives the copies ids of their own, so that
    importing them never overwrites the real entries.
    ``extra_front_matter`` gives front matter that is not an entry field (a term's review
    state), asked of the real entry: an anonymised copy keeps its original's review state,
    which holds no names.
    ``attachments`` (vault path, bytes: ``core.attachments.store.export_files``) are written
    at their paths (``core/attachments``).
    """
    folder = Path(folder).expanduser()
    if folder.is_symlink():
        # The folder the user named may be a link to it; nothing inside it is followed.
        try:
            folder = Path(os.path.realpath(folder, strict=True))
        except OSError:
            raise ExportProblem(f"{readable(folder)} is a link to nothing") from None
    budget = path_budget(folder)
    if budget < MIN_NAME_BYTES:
        raise ExportProblem(f"{readable(folder)}: the path is too long to write files under")
    originals = list(entries)
    items = _anonymised(originals, anonymise_names) if anonymise else originals
    # Entries from a vault go back to their own folders; the top level of each is surveyed
    # and staged as the kinds' folders are.
    subfolders = [KIND_FOLDERS[kind] for kind in Kind]
    for entry in items:
        if entry.folder:  # a vault's entry, or one made in a folder chosen in the sidebar
            top = entry.folder.split("/")[0]
            if top not in subfolders:
                subfolders.append(top)
    staging: Staging | None = None
    try:
        found = survey(folder, subfolders)
        staging = Staging(folder, found, subfolders)
        taken: dict[str, set[str]] = {}  # folder -> the lowercased names used in it
        for path in found.yours:  # the user's names are not ours to take
            sub, _, name = path.rpartition("/")
            taken.setdefault(sub, set()).add(name.lower())
        if not found.is_new:  # nor those at the top (where a vault's own notes may go)
            with os.scandir(folder) as listing:
                taken.setdefault("", set()).update(
                    item.name.lower() for item in listing
                    if item.name not in found.ours and item.name not in found.changed
                )  # fmt: skip
        counts = {kind.value: 0 for kind in Kind}
        # Vault files first: they keep their names; the app's own entries take what is left.
        ordered = sorted(
            zip(items, originals, strict=True), key=lambda pair: pair[0].file_name is None
        )
        made: set[str] = set()
        for done, (entry, original) in enumerate(ordered):
            _check(progress, done, len(items), entry.title)
            extra = extra_front_matter(original) if extra_front_matter is not None else None
            path, data = _file_of(entry, taken, budget, extra)
            parent = path.rpartition("/")[0]
            if parent and parent not in made:
                (staging.root / parent).mkdir(parents=True, exist_ok=True)
                made.add(parent)
            staging.add(path, data)
            counts[entry.kind.value] += 1
        kept_attachments = stage_attachments(staging, found, attachments, subfolders)
        conflicts = staging.conflicts(force)
        if conflicts:
            raise ExportProblem(
                f"{_listed(conflicts)} in {readable(folder)} changed since the last export; "
                "nothing was written (import the changes first, or --force to overwrite them)"
            )
        _check(progress, len(items), len(items), "")
        removed = staging.commit(force)
        written = len(staging.to_write)
    except OSError as error:
        raise ExportProblem(describe_os_error(error, folder)) from None
    finally:
        if staging is not None:
            staging.discard()
    kept_changed = [p for p in found.changed if p not in removed]
    return ExportReport(
        folder, len(items), counts, written, removed, found.yours + kept_attachments,
        kept_changed, found.interrupted,
    )  # fmt: skip


_KIND_OF_FOLDER = {folder: kind for kind, folder in KIND_FOLDERS.items()}


def _file_of(
    entry: Entry, taken: dict[str, set[str]], budget: int, extra: Mapping[str, Any] | None
) -> tuple[str, bytes]:
    """Where an entry goes in an exported folder and what the file holds: an entry from a
    vault to its own folder and file name (a new one if its title changed), as the vault had
    it (``vault_files``); any other to the folder it was made in, else its kind's folder,
    named after its title."""
    if entry.file_name is None:
        folder = entry.folder or KIND_FOLDERS[entry.kind]  # made in a folder, or its kind's
        names = taken.setdefault(folder, set())
        return f"{folder}/{safe_filename(entry.title, names, budget)}", entry_to_markdown(
            entry, extra
        ).encode("utf-8")
    folder = entry.folder or ""
    names = taken.setdefault(folder, set())
    name = entry.file_name
    if title_of_file(name) != entry.title or name.lower() in names:
        name = safe_filename(entry.title, names, budget, note_suffix(name))
    else:
        names.add(name.lower())
    path = f"{folder}/{name}" if folder else name
    return path, vault_file_bytes(entry, extra)


# --- the combined document ---------------------------------------------------------------------


def _nested_body(body: str) -> str:
    """An entry's text placed under its ``###`` title: its own headings move down three levels
    (``#`` → ``####``, the deepest stay at ``######``), so they stay inside the entry in the
    document's outline; so do headings inside block quotes and callouts (``> # Title``), which
    the outline shows too. Code blocks, quoted ones included, are left as they are."""
    lines: list[str] = []
    fence: str | None = None
    fence_depth = 0  # how many quotes hold the open fence: it ends with them
    text_above = False  # whether the line above is text a setext underline could make a heading
    above_depth, above_marks = 0, 0  # the line above's quotes, and the length of its marks
    for line in body.strip().splitlines():
        if fence is not None:
            inside = inside_quotes(line, fence_depth) if line.strip() or not fence_depth else None
            if inside is not None:
                if closes_fence_at_any_indent(fence, inside):
                    fence = None
                lines.append(line)
                text_above = False
                continue
            fence = None  # the quote ended before this line, and its fence with it
        lead = quote_marks(line)
        depth, marks = quote_depth(lead), len(lead)
        inner = line[marks:]
        fence, fence_depth = fence_opening(inner), depth
        heading = heading_line(inner) if fence is None else None
        setext = None
        if text_above and heading is None and depth == above_depth:
            setext = setext_level(inner, lines[-1][above_marks:])
        if heading is not None:
            indent, level, _text = heading
            line = line[: marks + indent] + "#" * min(level + 3, 6) + inner[indent + level :]
        elif setext is not None:  # the line above becomes an ATX heading three levels down
            above = lines[-1]
            lines[-1] = above[:above_marks] + "#" * (setext + 3) + " " + above[above_marks:].strip()
            text_above = False
            continue
        lines.append(line)
        text_above = fence is None and heading is None
        above_depth, above_marks = depth, marks
    return "\n".join(lines)


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


def _meeting_order(meetings: list[Entry]) -> list[Entry]:
    return sorted(meetings, key=lambda m: m.met_on or m.created.date(), reverse=True)


def _anonymised(items: list[Entry], names: Iterable[str]) -> list[Entry]:
    """Copies of ``items`` with people's names replaced, lettered in the order the combined
    document shows the meetings (the same letters in a folder and a document)."""
    anonymiser = Anonymiser.for_entries(
        _meeting_order([e for e in items if e.kind is Kind.MEETING]), names
    )
    return [anonymiser.entry(entry) for entry in items]


def _meetings_section(meetings: list[Entry]) -> list[str]:
    lines = ["## Meetings", ""]
    for meeting in _meeting_order(meetings):
        who = meeting.who or ""
        title, body, actions = meeting.title, meeting.body, meeting.action_items or ""
        day = (meeting.met_on or meeting.created.date()).isoformat()
        with_whom = f" (with {who})" if who and who.casefold() not in title.casefold() else ""
        lines += [f"### {day}: {title}{with_whom}", ""]
        if body.strip():
            lines += [_nested_body(body), ""]
        if actions.strip():
            lines += ["Action items:", "", actions.strip(), ""]
    return lines


def combined_document(
    entries: Iterable[Entry],
    *,
    title: str = "Notebook",
    anonymise: bool = False,
    anonymise_names: Iterable[str] = (),
) -> str:
    """Every entry in one document. ``anonymise``: people's names (meeting participants and
    ``anonymise_names``) become "Person A", "Person B"... everywhere in it, lettered in the
    order the meetings appear."""
    originals = list(entries)
    items = _anonymised(originals, anonymise_names) if anonymise else originals
    notes = [e for e in items if e.kind is Kind.NOTE]
    # Split by the test itself, not `e not in read`: that compared every note with every read
    # one field by field, and grew with the square of the number of notes.
    read = [e for e in notes if e.read_on or e.url or e.source_type]
    other_notes = [e for e in notes if not (e.read_on or e.url or e.source_type)]
    terms = [e for e in items if e.kind is Kind.TERM]
    meetings = [e for e in items if e.kind is Kind.MEETING]
    lines = [COMBINED_MARKER, f"# {title}", ""]
    if read:
        lines += _reading_log_section(read) + [""]
    if terms:
        lines += _glossary_section(terms)
    if meetings:
        lines += _meetings_section(meetings)
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
