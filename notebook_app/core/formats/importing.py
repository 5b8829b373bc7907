"""Import: read what users already have, show what would change, then apply it all or nothing.

    plan = plan_import(notebook, path)      # reads and parses; writes nothing
    print(plan.summary())                   # counts by kind, updates, skips, problems
    report = apply_import(notebook, plan)   # one transaction: every entry or none

What a file holds is recognised from its content, not its name:

* markdown with our front matter (an exported vault) comes back as the same entries;
* other markdown (Obsidian and the like) becomes a note with its tags (front matter and
  inline ``#tags``), aliases and ``[[links]]`` kept;
* a reading log like ``reading-log.md`` becomes one note per dated bullet;
* a Notion page export becomes one note with its Created / Edited times;
* any other text file becomes one note.

Entries are matched by id, never by file name. Files without ids get an id derived from their
content, so importing the same file twice skips it; reading-log entries are matched by URL and
title. Any file that cannot be read (binary, not UTF-8, too large, broken front matter) makes
the whole import refuse, naming the file and the problem, with nothing written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from notebook_app.core.errors import ImportProblem, InvalidEntryError, OperationCancelled
from notebook_app.core.formats.markdown_files import markdown_to_entry
from notebook_app.core.formats.notebook_page import looks_like_notebook_page, parse_notebook_page
from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.formats.sample_formats import (
    looks_like_notion_page,
    looks_like_reading_log,
    parse_notion_page,
    parse_plain_text,
    parse_reading_log,
)
from notebook_app.core.model.entry import EDITABLE_FIELDS, Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.wording import plural

MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any note (the largest sample is 93 KB)
TEXT_SUFFIXES = {".md", ".markdown", ".mdown", ".txt", ".text"}
# A stable namespace for ids derived from file content (uuid5).
CONTENT_ID_NAMESPACE = uuid.UUID("6f1c3f5e-2a4b-4a57-9a43-5c0f7b1d8e21")

# progress(done, total, what) -> None; raise OperationCancelled (or return False) to stop.
Progress = Callable[[int, int, str], object]


@dataclasses.dataclass(slots=True)
class FileOutcome:
    path: str
    status: str  # "imported", "updated", "skipped" or "failed"
    entries: int = 0
    reason: str = ""


@dataclasses.dataclass(slots=True)
class ImportPlan:
    """What an import would do. Nothing has been written when you hold one."""

    source: Path
    new: list[Entry] = dataclasses.field(default_factory=list)
    updates: list[Entry] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    duplicates: list[str] = dataclasses.field(default_factory=list)
    files: list[FileOutcome] = dataclasses.field(default_factory=list)

    @property
    def failures(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts_by_kind(self) -> dict[str, int]:
        counts = Counter(entry.kind.value for entry in [*self.new, *self.updates])
        return {kind.value: counts.get(kind.value, 0) for kind in Kind}

    def file_counts(self) -> dict[str, int]:
        counts = Counter(outcome.status for outcome in self.files)
        return {status: counts.get(status, 0) for status in ("imported", "updated", "skipped",
                                                               "failed")}  # fmt: skip

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in
                          self.counts_by_kind().items())  # fmt: skip
        files = self.file_counts()
        lines = [
            f"{plural(len(self.files), 'file')} seen: {files['imported']} to import, "
            f"{files['updated']} updating, {files['skipped']} skipped, {files['failed']} failed",
            f"entries: {len(self.new)} new, {len(self.updates)} updated, "
            f"{self.unchanged} unchanged ({kinds})",
        ]
        for duplicate in self.duplicates:
            lines.append(f"duplicate: {duplicate}")
        for outcome in self.files:
            if outcome.status in ("skipped", "failed"):
                lines.append(f"{outcome.status}: {outcome.path}: {outcome.reason}")
        return "\n".join(lines)


def _check(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress is not None and progress(done, total, what) is False:
        raise OperationCancelled("import cancelled; nothing was imported")


def _candidate_files(source: Path) -> Iterator[Path]:
    if source.is_file():
        yield source
        return
    if not source.is_dir():
        raise ImportProblem(f"{source}: no such file or folder")
    try:
        # Sorted, so the report and any duplicate resolution are the same on every run.
        for folder, subfolders, names in os.walk(source, onerror=_raise_unreadable):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    yield Path(folder) / name
    except PermissionError as error:
        raise ImportProblem(f"{error.filename}: folder cannot be read ({error.strerror})") from None


def _raise_unreadable(error: OSError) -> None:
    raise ImportProblem(f"{error.filename}: folder cannot be read ({error.strerror})")


def read_text_file(path: Path) -> str:
    """The text of a file, or ImportProblem saying why it is not a text file we can use."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportProblem(
                f"{path}: too large for a note ({size / 1e6:.0f} MB; the limit is "
                f"{MAX_FILE_BYTES / 1e6:.0f} MB)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise ImportProblem(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:
        raise ImportProblem(f"{path}: cannot be read ({error.strerror})") from None
    if b"\x00" in data[:65536]:
        raise ImportProblem(f"{path}: a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{path}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset "
            f"{error.start})"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def parse_file(path: Path, text: str) -> tuple[list[Entry], bool]:
    """The entries a file holds, and whether they carry their own ids (our front matter)."""
    stem = path.stem
    if text.startswith("---\n"):
        entry = markdown_to_entry(text, fallback_title=stem)
        has_id = _front_matter_has_id(text)
        return [entry], has_id
    if looks_like_reading_log(text):
        return parse_reading_log(text), False
    if looks_like_notebook_page(text):
        # True: the parser gives each entry a stable id (its kind and title), so importing an
        # edited page again updates its entries instead of adding new ones.
        return parse_notebook_page(text, fallback_title=stem), True
    if looks_like_notion_page(text):
        return [parse_notion_page(text)], False
    if path.suffix.lower() in (".md", ".markdown", ".mdown"):
        return [markdown_to_entry(text, fallback_title=stem)], False
    entry = parse_plain_text(text, fallback_title=stem)
    entry.body = restore_headings(entry.body)
    return [entry], False


def _front_matter_has_id(text: str) -> bool:
    end = text.find("\n---", 4)
    head = text[4:end] if end != -1 else ""
    return any(line.startswith("id:") for line in head.splitlines())


def _content_id(entry: Entry) -> str:
    """An id for an entry that came without one, derived from what it says."""
    key = "\x1f".join(
        str(part) for part in (entry.kind.value, entry.title, entry.url, entry.read_on,
                               entry.met_on, entry.body)
    )  # fmt: skip
    return str(uuid.uuid5(CONTENT_ID_NAMESPACE, hashlib.sha256(key.encode()).hexdigest()))


def plan_import(
    notebook: Notebook, source: Path | str, progress: Progress | None = None
) -> ImportPlan:
    """Read ``source`` (a file or a folder) and work out what importing it would do."""
    source = Path(source).expanduser()
    plan = ImportPlan(source=source)
    files = list(_candidate_files(source))
    by_url_title = _reading_log_index(notebook)
    # Read and parse every file first; then one lookup tells which entries exist already.
    parsed: list[FileOutcome | tuple[str, list[Entry]]] = []
    for done, path in enumerate(files):
        _check(progress, done, len(files), str(path))
        parsed.append(_parse_one(path, source, by_url_title))
    existing = notebook.existing(
        entry.id for item in parsed if isinstance(item, tuple) for entry in item[1]
    )
    seen_ids: dict[str, str] = {}
    for item in parsed:
        if isinstance(item, FileOutcome):
            plan.files.append(item)
            continue
        shown, entries = item
        outcome = FileOutcome(shown, "skipped", entries=len(entries), reason="nothing new")
        for entry in entries:
            if entry.id in seen_ids:
                plan.duplicates.append(f"{shown}: same id as {seen_ids[entry.id]} ({entry.title})")
                continue
            seen_ids[entry.id] = shown
            status = _classify(notebook, entry) if entry.id in existing else "new"
            if status == "new":
                plan.new.append(entry)
                outcome.status, outcome.reason = "imported", ""
            elif status == "update":
                plan.updates.append(entry)
                if outcome.status != "imported":
                    outcome.status, outcome.reason = "updated", ""
            else:
                plan.unchanged += 1
        if not entries:
            outcome.reason = "no entries found in it"
        plan.files.append(outcome)
    _check(progress, len(files), len(files), "")
    return plan


def _parse_one(
    path: Path, source: Path, by_url_title: dict[tuple[str | None, str], str]
) -> FileOutcome | tuple[str, list[Entry]]:
    """A file's entries (with their ids), or the outcome that says why it has none."""
    shown = str(path.relative_to(source)) if path != source else path.name
    if path.suffix.lower() not in TEXT_SUFFIXES and path != source:
        return FileOutcome(shown, "skipped", reason="not a text or markdown file")
    try:
        text = read_text_file(path)
        entries, has_ids = parse_file(path, text)
        for entry in entries:
            entry.validate()
            if not has_ids:
                known = by_url_title.get((entry.url, entry.title)) if entry.url else None
                entry.id = known or _content_id(entry)
    except (ImportProblem, InvalidEntryError) as error:
        return FileOutcome(shown, "failed", reason=str(error).removeprefix(f"{path}: "))
    return shown, entries


def _reading_log_index(notebook: Notebook) -> dict[tuple[str | None, str], str]:
    rows = notebook.conn.execute(
        "SELECT url, title, id FROM entries WHERE url IS NOT NULL AND kind = 'note'"
    )
    return {(url, title): entry_id for url, title, entry_id in rows}


def _classify(notebook: Notebook, incoming: Entry) -> str:
    """For an entry that exists already: "update", or "unchanged" if every field is equal."""
    current = notebook.get(incoming.id)
    same = all(getattr(current, name) == getattr(incoming, name) for name in EDITABLE_FIELDS)
    return "unchanged" if same else "update"


@dataclasses.dataclass(slots=True)
class ImportReport:
    imported: int
    updated: int
    unchanged: int
    plan: ImportPlan

    def summary(self) -> str:
        return (
            f"imported {plural(self.imported, 'entry')}, updated {self.updated}, "
            f"{self.unchanged} unchanged\n{self.plan.summary()}"
        )


def apply_import(
    notebook: Notebook, plan: ImportPlan, progress: Progress | None = None
) -> ImportReport:
    """Write the plan in one transaction. Refuses a plan with failed files."""
    if not plan.ok:
        problems = "; ".join(f"{o.path}: {o.reason}" for o in plan.failures)
        raise ImportProblem(f"nothing was imported: {problems}")
    total = len(plan.new) + len(plan.updates)
    with notebook.transaction():
        _check(progress, 0, total, "adding new entries")
        notebook.add_many(plan.new)
        for done, entry in enumerate(plan.updates, start=len(plan.new)):
            _check(progress, done, total, entry.title)
            current = notebook.get(entry.id)
            fields = {name: getattr(entry, name) for name in EDITABLE_FIELDS}
            notebook.update(entry.id, current.version, checkpoint=True, **fields)
        _check(progress, total, total, "")
    return ImportReport(len(plan.new), len(plan.updates), plan.unchanged, plan)
