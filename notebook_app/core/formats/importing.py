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
content, so importing the same file twice skips it; a reading-log entry whose title or URL was
corrected since is matched by URL or by title on the same day (:func:`_assign_ids`). A file
that cannot be read (binary, too large, front matter nested past the limit) is skipped with the
reason when found in a folder, and the rest of the folder is imported; the file the user named
makes the import refuse, with nothing written. Text that is not UTF-8 is read in a legacy
encoding, with a warning (``file_text``). Which files are read at all, and
how (links, pipes, devices, the size limit, odd names), is ``source_files``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from notebook_app.core.attachments import vault as attachments
from notebook_app.core.errors import ImportProblem, InvalidEntryError, OperationCancelled
from notebook_app.core.formats.file_text import FileText, file_text
from notebook_app.core.formats.markdown_files import markdown_to_entry
from notebook_app.core.formats.notebook_page import looks_like_notebook_page, parse_notebook_page
from notebook_app.core.formats.path_keys import PathIndex, key_of
from notebook_app.core.formats.plain_text import restore_headings
from notebook_app.core.formats.sample_formats import (
    looks_like_notion_page,
    looks_like_reading_log,
    parse_notion_page,
    parse_plain_text,
    parse_reading_log,
)
from notebook_app.core.formats.source_files import (
    CONFLICT_COPY,
    Candidate,
    NotebookFiles,
    candidate_files,
    is_conflict_copy,
    read_bounded,
    readable,
)
from notebook_app.core.formats.vault_files import (
    COMBINED_MARKER,
    COMBINED_REFUSAL,
    FileRecord,
    VaultFile,
    content_hash,
    folder_root,
    imported_read_on,
    is_note_file,
    known_files,
    read_vault_file,
    record_files,
)
from notebook_app.core.formats.whole_pages import whole_page_format
from notebook_app.core.learning.front_matter import (
    ImportedReview,
    review_in_file,
    store_imported_reviews,
)
from notebook_app.core.model.entry import EDITABLE_FIELDS, Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.wording import plural

TEXT_SUFFIXES = {".md", ".markdown", ".mdown", ".txt", ".text", ".bib"}
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
    warnings: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class ImportPlan:
    """What an import would do. Nothing has been written when you hold one."""

    source: Path
    new: list[Entry] = dataclasses.field(default_factory=list)
    updates: list[Entry] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    duplicates: list[str] = dataclasses.field(default_factory=list)
    files: list[FileOutcome] = dataclasses.field(default_factory=list)
    # Terms' review state and log from our files' front matter (learning/front_matter.py).
    reviews: dict[str, ImportedReview] = dataclasses.field(default_factory=dict)
    # Where each vault file's entry is, recorded by apply_import (identity for the next import).
    records: list[FileRecord] = dataclasses.field(default_factory=list)
    # The vault's images, PDFs... and the notes' references to them (core/attachments).
    attachments: attachments.AttachmentPlan | None = None

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
            if outcome.status == "failed" or _left_out(outcome):
                lines.append(f"{outcome.status}: {outcome.path}: {outcome.reason}")
            for warning in outcome.warnings:
                lines.append(f"warning: {outcome.path}: {warning}")
        if self.attachments is not None:
            lines += self.attachments.summary_lines()
        return "\n".join(lines)

    def notices(self) -> str:
        """What the report says beyond the counts, in a few words: files left out for a reason
        and warnings ("3 files left out, 4 warnings"; "" when there are none)."""
        left_out = sum(1 for outcome in self.files if _left_out(outcome))
        warnings = sum(len(outcome.warnings) for outcome in self.files)
        parts = [plural(left_out, "file") + " left out"] if left_out else []
        return ", ".join(parts + ([plural(warnings, "warning")] if warnings else []))


def _left_out(outcome: FileOutcome) -> bool:
    """A file skipped for a reason (not text, a pipe, a link leading out...), not for holding
    nothing new."""
    return outcome.status == "skipped" and outcome.reason != "nothing new"


def _check(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress is not None and progress(done, total, what) is False:
        raise OperationCancelled("import cancelled; nothing was imported")


def _text_of(candidate: Candidate, data: bytes) -> FileText:
    """The file's text (see file_text.py), or ImportProblem naming the file."""
    try:
        return file_text(data)
    except ImportProblem as error:
        raise ImportProblem(f"{candidate.shown}: {error}") from None


def _refused(candidate: Candidate, reason: str) -> FileOutcome:
    """The outcome of a file that cannot be imported: the file the user named fails the
    import (it is all there is); one found in a folder is skipped, with the reason, and the
    rest of the folder is imported."""
    return FileOutcome(candidate.shown, "failed" if candidate.named else "skipped", reason=reason)


def parse_file(path: Path, text: str) -> tuple[list[Entry], bool]:
    """The entries a file holds, and whether they carry their own ids (our front matter)."""
    stem = readable(path.stem)
    if text.startswith(COMBINED_MARKER):
        raise ImportProblem(COMBINED_REFUSAL)
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


def _entries_of(shown: str, text: str) -> tuple[list[Entry], bool]:
    """parse_file's entries, each checked, and those without ids of their own given their
    arXiv paper's month as the day read when they name none."""
    entries, has_ids = parse_file(Path(shown), text)
    for entry in entries:
        entry.validate()
        if not has_ids:
            entry.read_on = imported_read_on(entry.kind, entry.read_on, entry.url)
    return entries, has_ids


def page_entries(notebook: Notebook, shown: str, text: str) -> list[Entry]:
    """The entries import takes from a whole-page file (``whole_pages``), with the ids it gives
    them (those an earlier import of the file gave): what a sync knows that file's entries by.
    Reads the notebook, writes nothing; ImportProblem or InvalidEntryError if it cannot."""
    entries, has_ids = _entries_of(shown, text)
    if not has_ids:
        _assign_ids(notebook, entries)
    return entries


def _front_matter_has_id(text: str) -> bool:
    end = text.find("\n---", 4)
    head = text[4:end] if end != -1 else ""
    return any(line.startswith(("id:", "notebook-app-id:")) for line in head.splitlines())


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
    files = candidate_files(source)
    # Read and parse every file first; then one lookup tells which entries exist already.
    parsed: list[FileOutcome | tuple[str, list[Entry]]] = []
    loose: list[Entry] = []  # entries that came without ids of their own
    vault: list[tuple[int, VaultFile]] = []  # a folder's markdown files, placed by identity
    targets: dict[Path, str] = {}
    found_attachments: list[Candidate] = []
    warned: dict[str, list[str]] = {}  # by file
    # A folder that holds the notebook: its own files are not notes or attachments of it.
    own = NotebookFiles(notebook.path) if notebook.path is not None else None
    for done, candidate in enumerate(files):
        _check(progress, done, len(files), candidate.shown)
        what = own.what(candidate.path) if own is not None and not candidate.named else ""
        if what:
            parsed.append(FileOutcome(candidate.shown, "skipped", reason=f"{what}: not imported"))
            continue
        if not candidate.named and is_conflict_copy(candidate.shown):
            # As a sync passes them over: read as a note, it would be a duplicate, and the
            # next sync would take it for a note deleted in the folder.
            parsed.append(FileOutcome(candidate.shown, "skipped", reason=CONFLICT_COPY))
            continue
        suffix = Path(candidate.shown).suffix.lower()
        if suffix not in TEXT_SUFFIXES and attachments.is_attachment(candidate):
            found_attachments.append(candidate)
            continue
        if not candidate.named and not candidate.problem and is_note_file(candidate.shown):
            if candidate.path in targets:  # a link to a file inside the folder: read once
                plan.duplicates.append(f"{candidate.shown}: a link to {targets[candidate.path]}")
                continue
            targets[candidate.path] = candidate.shown
            found = _vault_candidate(candidate)
            if isinstance(found, VaultFile):
                vault.append((len(parsed), found))
                parsed.append(FileOutcome(found.path, "skipped", reason="nothing new"))
                continue
            result: FileOutcome | Parsed = found
        else:
            result = _parse_one(notebook, candidate, plan.reviews)
        if isinstance(result, FileOutcome):
            parsed.append(result)
            continue
        shown, read, has_ids, warnings = result
        warned[shown] = warnings
        parsed.append((shown, read))
        if not has_ids:
            loose += read
    _assign_ids(notebook, loose)
    unchanged_notes = _place_vault_files(notebook, source, vault, parsed, plan)
    existing = notebook.existing(
        entry.id for item in parsed if isinstance(item, tuple) for entry in item[1]
    )
    notes = [item for item in parsed if isinstance(item, tuple)]
    plan.attachments = attachments.plan_attachments(
        notebook, found_attachments, notes, unchanged_notes
    )
    outcomes = plan.attachments.outcomes()
    plan.files += [FileOutcome(path, status, reason=why) for path, status, why in outcomes]
    seen_ids: dict[str, str] = {}
    warned |= {v.path: v.warnings for _, v in vault}
    for item in parsed:
        if isinstance(item, FileOutcome):
            plan.files.append(item)
            continue
        shown, entries = item
        outcome = FileOutcome(shown, "skipped", entries=len(entries), reason="nothing new",
                              warnings=warned.get(shown, []))  # fmt: skip
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


# A file's entries, whether they carry ids of their own, and its warnings.
Parsed = tuple[str, list[Entry], bool, list[str]]


def _parse_one(
    notebook: Notebook, candidate: Candidate, reviews: dict[str, ImportedReview]
) -> FileOutcome | Parsed:
    """A file's entries, or the outcome that says why it has none (see _refused). A file of
    ours holding a term's review keys adds them to ``reviews``."""
    shown = candidate.shown
    if candidate.problem:
        return _refused(candidate, candidate.problem)
    suffix = Path(shown).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        if not candidate.named:
            return FileOutcome(shown, "skipped", reason="not a text or markdown file")
        refusal = _not_a_note(shown)
        if refusal:
            return FileOutcome(shown, "failed", reason=refusal)
    try:
        read = _text_of(candidate, read_bounded(candidate))
        text, warnings = read.text, read.warnings()
        if suffix == ".bib":  # BibTeX: matched to the notes by arXiv id or DOI
            from notebook_app.core.papers.bibtex import bib_entries

            return shown, bib_entries(notebook, text), True, warnings
        entries, has_ids = _entries_of(shown, text)
        review = review_in_file(text) if has_ids and len(entries) == 1 else None
        if review is not None:
            reviews[entries[0].id] = review
    except (ImportProblem, InvalidEntryError) as error:
        return _refused(candidate, str(error).removeprefix(f"{shown}: "))
    except RecursionError:  # a backstop: front matter depth is bounded before it is read
        return _refused(candidate, "nested too deeply to read")
    return shown, entries, has_ids, warnings


def _not_a_note(name: str) -> str:
    """Why a file named on its own is not one to import, judged from its name ("" if it may
    be): an image (a lone ``.svg`` is text, but not a note), a PDF, an archive..."""
    import mimetypes  # here: only a file named on its own with an unusual suffix needs it

    kind, _ = mimetypes.guess_type(name, strict=False)
    if kind is None or kind.startswith("text/"):
        return ""
    what = {"image": "an image", "audio": "a sound file", "video": "a video"}.get(
        kind.split("/")[0], kind
    )
    return f"not a text note ({what}); import takes markdown and text files"


# Reading-log entries come without ids. One that matches nothing by content may be an entry
# imported before and corrected since (its title or its URL): it is matched, in this order, by
# URL and title, by URL, then by title (case aside), each on the same day read, and one existing
# entry answers for one incoming entry at most.
_MATCH_KEYS: tuple[tuple[str, ...], ...] = (("url", "title"), ("url",), ("title",))


def _assign_ids(notebook: Notebook, loose: list[Entry]) -> None:
    """Give each entry without an id of its own the id it is known by in the notebook, or else
    an id derived from its content (importing the same file twice then changes nothing)."""
    for entry in loose:
        entry.id = _content_id(entry)
    known = notebook.existing(entry.id for entry in loose)
    waiting = [e for e in loose if e.id not in known and e.kind is Kind.NOTE and e.read_on]
    if not waiting:
        return
    rows = notebook.conn.execute(
        "SELECT id, url, title, read_on FROM entries WHERE kind = 'note' AND read_on IS NOT NULL"
    ).fetchall()
    claimed = known | {entry.id for entry in loose}
    for fields in _MATCH_KEYS:
        table: dict[tuple[str | None, ...], list[str]] = {}
        for entry_id, url, title, read_on in rows:
            key = _match_key(fields, url, title, read_on)
            if key is not None:
                table.setdefault(key, []).append(entry_id)
        still: list[Entry] = []
        for entry in waiting:
            assert entry.read_on is not None
            key = _match_key(fields, entry.url, entry.title, entry.read_on.isoformat())
            found = next((i for i in table.get(key, []) if i not in claimed), None) if key else None
            if found is None:
                still.append(entry)
            else:
                entry.id = found
                claimed.add(found)
        waiting = still


def _match_key(
    fields: tuple[str, ...], url: str | None, title: str, day: str
) -> tuple[str | None, ...] | None:
    if "url" in fields and not url:
        return None
    parts: list[str | None] = [day]
    if "url" in fields:
        parts.append(url)
    if "title" in fields:
        parts.append(" ".join(title.split()).casefold())
    return tuple(parts)


def _classify(notebook: Notebook, incoming: Entry) -> str:
    """For an entry that exists already: "update", or "unchanged" if every field is equal
    (tags as the notebook compares them: a tag is one whatever its case)."""
    current = notebook.get(incoming.id)
    same = all(
        getattr(current, name) == getattr(incoming, name)
        if name != "tags"
        else [t.casefold() for t in current.tags] == [t.casefold() for t in incoming.tags]
        for name in EDITABLE_FIELDS
    )
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
        store_imported_reviews(notebook, plan.reviews)
        root = folder_root(plan.source) if plan.source.is_dir() else None
        record_files(notebook.conn, plan.records, root)
        if plan.attachments is not None:
            attachments.apply_attachments(notebook, plan.attachments)
        _check(progress, total, total, "")
    return ImportReport(len(plan.new), len(plan.updates), plan.unchanged, plan)


def _vault_candidate(candidate: Candidate) -> VaultFile | FileOutcome | Parsed:
    """A note file found in a folder, markdown or plain text: read (not parsed yet: an
    unchanged file never is), or, for a reading log or another whole-page format, parsed as
    a file named on its own is."""
    shown = candidate.shown
    try:
        data = read_bounded(candidate)
        read = _text_of(candidate, data)
        text, warnings = read.text, read.warnings()
    except ImportProblem as error:
        return _refused(candidate, str(error).removeprefix(f"{shown}: "))
    if text.startswith(COMBINED_MARKER):
        return _refused(candidate, COMBINED_REFUSAL)
    if whole_page_format(text) is not None:
        try:
            entries, has_ids = _entries_of(shown, text)
        except (ImportProblem, InvalidEntryError) as error:
            return _refused(candidate, str(error))
        return shown, entries, has_ids, warnings
    try:
        mtime: float | None = candidate.path.stat().st_mtime
    except OSError:
        mtime = None
    return VaultFile(shown, text, content_hash(data), mtime, warnings, read.style)


def _place_vault_files(
    notebook: Notebook,
    source: Path,
    vault: list[tuple[int, VaultFile]],
    parsed: list[FileOutcome | tuple[str, list[Entry]]],
    plan: ImportPlan,
) -> list[str]:
    """Match each vault file to its entry: by path first, then (a file moved or renamed) by
    content among the recorded files no longer where they were; else a new entry. A file
    unchanged since it was last read is not parsed: the ids of those entries are returned (their
    attachment references, resolved when they were read, still hold)."""
    unchanged: list[str] = []
    if not vault:
        return unchanged
    present = {v.path for _, v in vault}
    # A recorded path spelled otherwise (the other Unicode normalisation; another case where
    # the folder ignores case) is the same file: see formats/path_keys.
    key = key_of(source, present)
    known = PathIndex[tuple[str, str]](key, present)
    for path, recorded in known_files(notebook.conn).items():
        known.add(path, recorded)
    present_keys = {key(path) for path in present}
    moved_from: dict[str, list[str]] = {}  # hash -> entry ids whose recorded file is gone
    for path, (entry_id, hashed) in known.exact.items():
        if key(path) not in present_keys:
            moved_from.setdefault(hashed, []).append(entry_id)
    claimed: set[str] = set()
    for index, file in vault:
        found = known.find(file.path)
        record = None
        if found is not None and (found[0] == file.path or found[1][0] not in claimed):
            record = found[1]
        if record is not None and record[1] == file.hash:
            plan.unchanged += 1
            claimed.add(record[0])
            unchanged.append(record[0])
            continue
        try:
            entry, warnings, own = read_vault_file(file)
        except RecursionError:  # a backstop, as in _parse_one
            parsed[index] = FileOutcome(file.path, "skipped", reason="nested too deeply to read")
            continue
        file.warnings += warnings
        if own:
            try:
                review = review_in_file(file.text)
            except ImportProblem as error:  # our own keys, broken: skipped as _refused does
                parsed[index] = FileOutcome(file.path, "skipped", reason=str(error))
                continue
            if review is not None:
                plan.reviews[entry.id] = review
        else:
            entry.read_on = imported_read_on(entry.kind, entry.read_on, entry.url)
            if record is not None:
                entry.id = record[0]
            else:
                entry.id = next(
                    (i for i in moved_from.get(file.hash, []) if i not in claimed), entry.id
                )
        claimed.add(entry.id)
        try:
            entry.validate()
        except InvalidEntryError as error:
            parsed[index] = FileOutcome(file.path, "skipped", reason=str(error))
            continue
        parsed[index] = (file.path, [entry])
        plan.records.append(FileRecord(entry.id, file.path, file.hash, file.mtime))
    return unchanged
