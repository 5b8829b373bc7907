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
    EntryNotFoundError,
    ImportProblem,
    InvalidEntryError,
    NewerSchemaError,
    NotANotebookError,
    NotebookError,
    OperationCancelled,
    QueryError,
    StaleEntryError,
)
from notebook_app.core.formats.capture import capture_entry, guess_source_type, parse_capture
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
from notebook_app.core.storage.database import default_database_path
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.storage.tags import TagCount

if TYPE_CHECKING:
    from notebook_app.core.formats.exporting import (
        combined_document,
        entry_as_markdown,
        export_vault,
        select_entries,
    )
    from notebook_app.core.formats.importing import ImportPlan, apply_import, plan_import
    from notebook_app.core.markdown.rendering import Heading, MarkdownRenderer

# name -> the module that defines it, imported when the name is first asked for.
_LAZY: dict[str, str] = {
    "combined_document": "notebook_app.core.formats.exporting",
    "entry_as_markdown": "notebook_app.core.formats.exporting",
    "export_vault": "notebook_app.core.formats.exporting",
    "select_entries": "notebook_app.core.formats.exporting",
    "ImportPlan": "notebook_app.core.formats.importing",
    "apply_import": "notebook_app.core.formats.importing",
    "plan_import": "notebook_app.core.formats.importing",
    "Heading": "notebook_app.core.markdown.rendering",
    "MarkdownRenderer": "notebook_app.core.markdown.rendering",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "FIELDS",
    "Codec",
    "Field",
    "EntryNotFoundError",
    "EntrySummary",
    "Entry",
    "Heading",
    "ImportPlan",
    "ImportProblem",
    "InvalidEntryError",
    "Kind",
    "LearningStatus",
    "MarkdownRenderer",
    "NewerSchemaError",
    "NotANotebookError",
    "Notebook",
    "NotebookError",
    "OperationCancelled",
    "QueryError",
    "ReadingStatus",
    "Revision",
    "Scope",
    "Snippet",
    "Sort",
    "SourceType",
    "StaleEntryError",
    "TagCount",
    "apply_import",
    "capture_entry",
    "combined_document",
    "default_database_path",
    "entry_as_markdown",
    "export_vault",
    "format_timestamp",
    "guess_source_type",
    "normalize_tag",
    "normalize_tags",
    "parse_capture",
    "parse_day",
    "parse_kind",
    "parse_query",
    "plan_import",
    "select_entries",
]
