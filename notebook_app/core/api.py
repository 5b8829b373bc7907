"""The notebook core's public face: what the window, the command line and scripts import.

The light part (the entry model, listings, errors, the notebook itself, the capture grammar) is
imported with this module. Import, export and the markdown renderer pull in YAML, Markdown and
Pygments, which a start-up does not need, so they are loaded on first use of their names
(PEP 562): ``from notebook_app.core.api import plan_import`` inside a function costs nothing
until that function runs. Type checkers see them through the ``TYPE_CHECKING`` block.

A script uses it as::

    from notebook_app.core.api import Notebook
    with Notebook.open("notebook.db") as notebook:
        for hit in notebook.search("tag:ml sparse autoencoder"):
            print(hit.title)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import (
    DamagedNotebookError,
    EntryNotFoundError,
    ImportProblem,
    InvalidEntryError,
    NewerSchemaError,
    NoNotebookError,
    NotANotebookError,
    NotebookBusyError,
    NotebookError,
    OperationCancelled,
    QueryError,
    ReadOnlyNotebookError,
    StaleEntryError,
)
from notebook_app.core.links.results import (
    Backlink,
    JargonCandidate,
    LinkedEntry,
    LinkRename,
    LinkTarget,
    Mention,
    Passage,
    TermUse,
)
from notebook_app.core.links.wikilinks import (
    WikiLink,
    apply_edits,
    escape_target,
    link_text,
    links_in,
    links_in_line,
    name_key,
    retargeted,
)
from notebook_app.core.markdown.emphasis import both_spans, emphasis_spans, strong_spans
from notebook_app.core.markdown.syntax import (
    COMMENT_RE,
    HIGHLIGHT_RE,
    QUOTE_MARKS_RE,
    STRIKE_RE,
    TASK_BOX_RE,
    closes_fence_at_any_indent,
    code_spans,
    fence_opening,
    heading_line,
    inside_quotes,
    list_item,
    opens_comment,
    quote_depth,
    quote_marks,
    setext_level,
    tag_matches,
)
from notebook_app.core.model.entry import (
    FIELDS,
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    format_timestamp,
    normalize_tag,
    normalize_tags,
    parse_day,
    parse_kind,
)
from notebook_app.core.model.fields import Codec, Field
from notebook_app.core.model.listing import EntrySummary, Revision, Scope, Snippet, Sort
from notebook_app.core.search.query import parse_query
from notebook_app.core.search.snippets import search_hits
from notebook_app.core.storage.database import default_database_path
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.storage.tags import TagCount
from notebook_app.core.wording import plural

if TYPE_CHECKING:
    from notebook_app.core.attachments.references import Reference, embed_text, references_in
    from notebook_app.core.attachments.store import (
        AttachmentInfo,
        PurgeReport,
        Resolver,
        StoredFile,
        list_attachments,
        purge_orphans,
        resolve_data,
        store_new_file,
    )
    from notebook_app.core.attachments.store import export_files as attachment_files
    from notebook_app.core.formats.capture import (
        CAPTURE_GRAMMAR,
        capture_entry,
        guess_source_type,
        parse_capture,
    )
    from notebook_app.core.formats.exporting import (
        SOURCE_EMOJI,
        combined_document,
        entry_as_markdown,
        export_vault,
        select_entries,
    )
    from notebook_app.core.formats.folders import folder_counts
    from notebook_app.core.formats.importing import ImportPlan, apply_import, plan_import
    from notebook_app.core.formats.source_files import (
        LIMIT_TEXT,
        MAX_FILE_BYTES,
        missing_source,
        read_named_file,
    )
    from notebook_app.core.formats.vault_files import (
        COMBINED_MARKER,
        OWN_ID_KEY,
        FileRecord,
        known_files,
        read_vault_markdown,
        vault_markdown,
    )
    from notebook_app.core.learning.anki import export_anki
    from notebook_app.core.learning.cards import CardState, LogEntry, Rating, ReviewCard
    from notebook_app.core.learning.front_matter import review_front_matter
    from notebook_app.core.learning.glossary import GlossaryRow, glossary_rows
    from notebook_app.core.learning.queue import (
        CardView,
        DueCounts,
        DueTerm,
        ReviewSession,
        card_and_log,
        card_view,
        due_counts,
        due_terms,
        next_card,
    )
    from notebook_app.core.learning.scheduling import (
        LEARNED_STABILITY_DAYS,
        ReviewResult,
        StaleReviewError,
        follow_review,
        review_term,
        set_suspended,
        undo_last_review,
    )
    from notebook_app.core.links.file_link_marks import (
        mark_note_links,
        note_link_paths,
        note_link_target,
    )
    from notebook_app.core.links.places import linked_part, place_line
    from notebook_app.core.links.preview_marks import (
        LinkMarks,
        TermMark,
        TermsCache,
        definition_of,
        mark_terms,
    )
    from notebook_app.core.markdown.attachments_extension import (
        AttachmentExtension,
        attachment_url,
    )
    from notebook_app.core.markdown.callout_folds import FOLD_MARK, fold_callouts
    from notebook_app.core.markdown.entry_header import choice_label, entry_header_html
    from notebook_app.core.markdown.headings import Heading
    from notebook_app.core.markdown.math_extension import MathExtension, math_keys
    from notebook_app.core.markdown.math_svg import MathImage, MathRenderer
    from notebook_app.core.markdown.renderer import MarkdownRenderer
    from notebook_app.core.markdown.typeset_extension import TypesetExtension
    from notebook_app.core.markdown.wikilinks_extension import wiki_target
    from notebook_app.core.papers.arxiv import ArxivId, arxiv_from_url, paper_day, url_host
    from notebook_app.core.papers.bibtex import bibtex_document, is_paper, parse_bibtex
    from notebook_app.core.papers.periods import GROUPINGS, group_header, group_start
    from notebook_app.core.papers.reading_queue import (
        move_in_queue,
        queue_length,
        reading_queue,
    )
    from notebook_app.core.papers.related import RelatedEntry, distinctive_terms, related_entries
    from notebook_app.core.papers.stats import (
        ReadingStats,
        WeekReads,
        last_read_day,
        latest_reads,
        read_years,
        reading_stats,
        reads_on,
    )
    from notebook_app.core.storage.backups import (
        Backup,
        backup_before,
        backup_if_due,
        backups_folder,
        find_backup,
        list_backups,
        restore_backup,
    )
    from notebook_app.core.storage.check import CheckReport, check_notebook
    from notebook_app.core.storage.problems import (
        StorageError,
        explain_error,
        known_damage,
        refuse_if_damaged,
    )
    from notebook_app.core.storage.recover import RecoveryReport, recover_notebook
    from notebook_app.core.sync.engine import SyncProblem, sync_folder, unsyncable_folder
    from notebook_app.core.sync.report import SyncReport

# name -> the module that defines it, imported when the name is first asked for.
_LAZY: dict[str, str] = {
    # Attachments (core/attachments): blobs, vault files, references, the preview's scheme.
    "Reference": "notebook_app.core.attachments.references",
    "embed_text": "notebook_app.core.attachments.references",
    "references_in": "notebook_app.core.attachments.references",
    "AttachmentInfo": "notebook_app.core.attachments.store",
    "PurgeReport": "notebook_app.core.attachments.store",
    "Resolver": "notebook_app.core.attachments.store",
    "StoredFile": "notebook_app.core.attachments.store",
    "list_attachments": "notebook_app.core.attachments.store",
    "purge_orphans": "notebook_app.core.attachments.store",
    "resolve_data": "notebook_app.core.attachments.store",
    "store_new_file": "notebook_app.core.attachments.store",
    "attachment_files": "notebook_app.core.attachments.store",
    "AttachmentExtension": "notebook_app.core.markdown.attachments_extension",
    "attachment_url": "notebook_app.core.markdown.attachments_extension",
    "combined_document": "notebook_app.core.formats.exporting",
    "entry_as_markdown": "notebook_app.core.formats.exporting",
    "export_vault": "notebook_app.core.formats.exporting",
    "select_entries": "notebook_app.core.formats.exporting",
    "ImportPlan": "notebook_app.core.formats.importing",
    "apply_import": "notebook_app.core.formats.importing",
    "plan_import": "notebook_app.core.formats.importing",
    "missing_source": "notebook_app.core.formats.source_files",
    "Heading": "notebook_app.core.markdown.headings",
    # The entry's header above the preview (HTML, no Markdown): built as an entry is shown.
    "choice_label": "notebook_app.core.markdown.entry_header",
    "entry_header_html": "notebook_app.core.markdown.entry_header",
    "TypesetExtension": "notebook_app.core.markdown.typeset_extension",
    "wiki_target": "notebook_app.core.markdown.wikilinks_extension",
    # The preview's folds of callouts and its marks on links and glossary terms.
    "FOLD_MARK": "notebook_app.core.markdown.callout_folds",
    "fold_callouts": "notebook_app.core.markdown.callout_folds",
    "LinkMarks": "notebook_app.core.links.preview_marks",
    "TermMark": "notebook_app.core.links.preview_marks",
    "TermsCache": "notebook_app.core.links.preview_marks",
    "definition_of": "notebook_app.core.links.preview_marks",
    "mark_terms": "notebook_app.core.links.preview_marks",
    # Where a link's #heading or #^block is: followed, or embedded alone.
    "linked_part": "notebook_app.core.links.places",
    "place_line": "notebook_app.core.links.places",
    # Markdown links to notes' files ([x](Other.md)) in the preview.
    "mark_note_links": "notebook_app.core.links.file_link_marks",
    "note_link_paths": "notebook_app.core.links.file_link_marks",
    "note_link_target": "notebook_app.core.links.file_link_marks",
    # A file the user named (dropped on the editor), read as an import reads one.
    "read_named_file": "notebook_app.core.formats.source_files",
    # The most a note read from a file or standard input may hold ("the limit is 20 MB").
    "MAX_FILE_BYTES": "notebook_app.core.formats.source_files",
    "LIMIT_TEXT": "notebook_app.core.formats.source_files",
    # arXiv ids and URL hosts: the list's rows and the commands ask for them, never start-up.
    "ArxivId": "notebook_app.core.papers.arxiv",
    "arxiv_from_url": "notebook_app.core.papers.arxiv",
    "paper_day": "notebook_app.core.papers.arxiv",
    "url_host": "notebook_app.core.papers.arxiv",
    # Periods of a list grouped by day read (the timeline, the entry list sorted by day).
    "GROUPINGS": "notebook_app.core.papers.periods",
    "group_header": "notebook_app.core.papers.periods",
    "group_start": "notebook_app.core.papers.periods",
    # Quick capture (the grammar, arXiv ids): the capture box and `capture` only.
    "capture_entry": "notebook_app.core.formats.capture",
    "CAPTURE_GRAMMAR": "notebook_app.core.formats.capture",
    "guess_source_type": "notebook_app.core.formats.capture",
    "parse_capture": "notebook_app.core.formats.capture",
    # Learning the glossary (core/learning): fsrs and genanki load with these names.
    "export_anki": "notebook_app.core.learning.anki",
    "review_front_matter": "notebook_app.core.learning.front_matter",
    "CardState": "notebook_app.core.learning.cards",
    "LogEntry": "notebook_app.core.learning.cards",
    "Rating": "notebook_app.core.learning.cards",
    "ReviewCard": "notebook_app.core.learning.cards",
    "GlossaryRow": "notebook_app.core.learning.glossary",
    "glossary_rows": "notebook_app.core.learning.glossary",
    "CardView": "notebook_app.core.learning.queue",
    "DueCounts": "notebook_app.core.learning.queue",
    "DueTerm": "notebook_app.core.learning.queue",
    "ReviewSession": "notebook_app.core.learning.queue",
    "card_view": "notebook_app.core.learning.queue",
    "card_and_log": "notebook_app.core.learning.queue",
    "due_counts": "notebook_app.core.learning.queue",
    "due_terms": "notebook_app.core.learning.queue",
    "next_card": "notebook_app.core.learning.queue",
    "LEARNED_STABILITY_DAYS": "notebook_app.core.learning.scheduling",
    "ReviewResult": "notebook_app.core.learning.scheduling",
    "StaleReviewError": "notebook_app.core.learning.scheduling",
    "follow_review": "notebook_app.core.learning.scheduling",
    "review_term": "notebook_app.core.learning.scheduling",
    "set_suspended": "notebook_app.core.learning.scheduling",
    "undo_last_review": "notebook_app.core.learning.scheduling",
    "MarkdownRenderer": "notebook_app.core.markdown.renderer",
    "MathExtension": "notebook_app.core.markdown.math_extension",
    "math_keys": "notebook_app.core.markdown.math_extension",
    "MathImage": "notebook_app.core.markdown.math_svg",
    "MathRenderer": "notebook_app.core.markdown.math_svg",
    # Papers: BibTeX (bibtexparser loads on import only), reading statistics, related entries.
    "bibtex_document": "notebook_app.core.papers.bibtex",
    "is_paper": "notebook_app.core.papers.bibtex",
    "parse_bibtex": "notebook_app.core.papers.bibtex",
    "move_in_queue": "notebook_app.core.papers.reading_queue",
    "queue_length": "notebook_app.core.papers.reading_queue",
    "reading_queue": "notebook_app.core.papers.reading_queue",
    "RelatedEntry": "notebook_app.core.papers.related",
    "distinctive_terms": "notebook_app.core.papers.related",
    "related_entries": "notebook_app.core.papers.related",
    "ReadingStats": "notebook_app.core.papers.stats",
    "WeekReads": "notebook_app.core.papers.stats",
    "reading_stats": "notebook_app.core.papers.stats",
    "reads_on": "notebook_app.core.papers.stats",
    "last_read_day": "notebook_app.core.papers.stats",
    "latest_reads": "notebook_app.core.papers.stats",
    "read_years": "notebook_app.core.papers.stats",
    # The reading log's emoji per source type (the timeline's rows).
    "SOURCE_EMOJI": "notebook_app.core.formats.exporting",
    # A vault's files: where entries live, their identity records, folder counts.
    "COMBINED_MARKER": "notebook_app.core.formats.vault_files",
    "FileRecord": "notebook_app.core.formats.vault_files",
    "OWN_ID_KEY": "notebook_app.core.formats.vault_files",
    "folder_counts": "notebook_app.core.formats.folders",
    "known_files": "notebook_app.core.formats.vault_files",
    "read_vault_markdown": "notebook_app.core.formats.vault_files",
    "vault_markdown": "notebook_app.core.formats.vault_files",
    # The notebook file's safety: backups, damage, check and recover (see storage/).
    "Backup": "notebook_app.core.storage.backups",
    "backup_before": "notebook_app.core.storage.backups",
    "backup_if_due": "notebook_app.core.storage.backups",
    "list_backups": "notebook_app.core.storage.backups",
    "restore_backup": "notebook_app.core.storage.backups",
    "backups_folder": "notebook_app.core.storage.backups",
    "find_backup": "notebook_app.core.storage.backups",
    "CheckReport": "notebook_app.core.storage.check",
    "check_notebook": "notebook_app.core.storage.check",
    "explain_error": "notebook_app.core.storage.problems",
    "StorageError": "notebook_app.core.storage.problems",
    "known_damage": "notebook_app.core.storage.problems",
    "refuse_if_damaged": "notebook_app.core.storage.problems",
    "RecoveryReport": "notebook_app.core.storage.recover",
    "recover_notebook": "notebook_app.core.storage.recover",
    # Two-way sync with a markdown folder (core/sync).
    "SyncProblem": "notebook_app.core.sync.engine",
    "sync_folder": "notebook_app.core.sync.engine",
    "unsyncable_folder": "notebook_app.core.sync.engine",
    "SyncReport": "notebook_app.core.sync.report",
}


# Names the defining module spells otherwise.
_RENAMED = {"attachment_files": "export_files"}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), _RENAMED.get(name, name))
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "plural",
    "export_anki",
    "CardState",
    "LogEntry",
    "Rating",
    "ReviewCard",
    "GlossaryRow",
    "glossary_rows",
    "CardView",
    "DueCounts",
    "DueTerm",
    "ReviewSession",
    "card_view",
    "due_counts",
    "due_terms",
    "next_card",
    "LEARNED_STABILITY_DAYS",
    "ReviewResult",
    "StaleReviewError",
    "follow_review",
    "review_term",
    "set_suspended",
    "undo_last_review",
    "url_host",
    "GROUPINGS",
    "group_header",
    "group_start",
    "related_entries",
    "reads_on",
    "reading_stats",
    "last_read_day",
    "latest_reads",
    "read_years",
    "move_in_queue",
    "queue_length",
    "reading_queue",
    "SOURCE_EMOJI",
    "parse_bibtex",
    "paper_day",
    "is_paper",
    "distinctive_terms",
    "bibtex_document",
    "arxiv_from_url",
    "WeekReads",
    "RelatedEntry",
    "ReadingStats",
    "ArxivId",
    "Backlink",
    "COMBINED_MARKER",
    "FileRecord",
    "OWN_ID_KEY",
    "folder_counts",
    "known_files",
    "read_vault_markdown",
    "vault_markdown",
    "AttachmentExtension",
    "AttachmentInfo",
    "PurgeReport",
    "Reference",
    "Resolver",
    "StoredFile",
    "attachment_files",
    "attachment_url",
    "embed_text",
    "list_attachments",
    "purge_orphans",
    "references_in",
    "resolve_data",
    "store_new_file",
    "Backup",
    "CheckReport",
    "DamagedNotebookError",
    "FIELDS",
    "Codec",
    "Field",
    "EntryNotFoundError",
    "EntrySummary",
    "Entry",
    "Heading",
    "choice_label",
    "entry_header_html",
    "TypesetExtension",
    "ImportPlan",
    "ImportProblem",
    "InvalidEntryError",
    "JargonCandidate",
    "Kind",
    "LearningStatus",
    "LinkRename",
    "LinkTarget",
    "LinkedEntry",
    "MarkdownRenderer",
    "MathExtension",
    "MathImage",
    "MathRenderer",
    "math_keys",
    "Mention",
    "NewerSchemaError",
    "NoNotebookError",
    "NotANotebookError",
    "Notebook",
    "NotebookBusyError",
    "NotebookError",
    "OperationCancelled",
    "Passage",
    "QueryError",
    "ReadOnlyNotebookError",
    "ReadingStatus",
    "RecoveryReport",
    "Revision",
    "Scope",
    "Snippet",
    "Sort",
    "SourceType",
    "StaleEntryError",
    "StorageError",
    "TagCount",
    "TermUse",
    "WikiLink",
    "apply_import",
    "backup_before",
    "backup_if_due",
    "check_notebook",
    "capture_entry",
    "combined_document",
    "default_database_path",
    "entry_as_markdown",
    "explain_error",
    "export_vault",
    "format_timestamp",
    "guess_source_type",
    "known_damage",
    "apply_edits",
    "link_text",
    "links_in",
    "links_in_line",
    "retargeted",
    "list_backups",
    "refuse_if_damaged",
    "name_key",
    "normalize_tag",
    "normalize_tags",
    "parse_capture",
    "parse_day",
    "parse_kind",
    "parse_query",
    "plan_import",
    "missing_source",
    "recover_notebook",
    "restore_backup",
    "search_hits",
    "select_entries",
    "SyncProblem",
    "SyncReport",
    "sync_folder",
    "unsyncable_folder",
    "backups_folder",
    "find_backup",
    "card_and_log",
    "CAPTURE_GRAMMAR",
    "review_front_matter",
    "wiki_target",
    "FOLD_MARK",
    "fold_callouts",
    "LinkMarks",
    "TermMark",
    "TermsCache",
    "definition_of",
    "mark_terms",
    "linked_part",
    "place_line",
    "mark_note_links",
    "note_link_paths",
    "note_link_target",
    "read_named_file",
    "MAX_FILE_BYTES",
    "LIMIT_TEXT",
    "escape_target",
    "TASK_BOX_RE",
    "closes_fence_at_any_indent",
    "code_spans",
    "strong_spans",
    "emphasis_spans",
    "both_spans",
    "fence_opening",
    "heading_line",
    "list_item",
    "setext_level",
    "tag_matches",
    "QUOTE_MARKS_RE",
    "inside_quotes",
    "quote_depth",
    "HIGHLIGHT_RE",
    "STRIKE_RE",
    "COMMENT_RE",
    "opens_comment",
    "quote_marks",
]
