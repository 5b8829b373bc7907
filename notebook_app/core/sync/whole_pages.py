"""A file import splits into entries of its own (a reading log, a notebook page, a Notion page:
formats/whole_pages), met by a sync.

Such a file is the import's: never one new entry (a copy of all it holds), never written; the
entries of it the notebook has are not written out to ``notes/`` (the file holds them). One line
of the report says so.
"""

from __future__ import annotations

from notebook_app.core.errors import ImportProblem, InvalidEntryError
from notebook_app.core.formats.file_text import file_text
from notebook_app.core.formats.importing import page_entries
from notebook_app.core.formats.whole_pages import whole_page_format
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.report import SyncReport
from notebook_app.core.wording import plural


def claim_whole_page(
    notebook: Notebook, path: str, data: bytes, report: SyncReport
) -> set[str] | None:
    """None when the file at ``path`` is not a whole page; else the ids of its entries the
    notebook holds (the sync writes none of them out), with the file's line in the report."""
    try:
        text = file_text(data).text
    except ImportProblem:
        return None  # not text: the sync's parse says so
    what = whole_page_format(text)
    if what is None:
        return None
    try:
        ids = {entry.id for entry in page_entries(notebook, path, text)}
    except (ImportProblem, InvalidEntryError) as error:
        why = str(error).removeprefix(f"{path}: ")
        report.skipped.append((path, f"not synced: {why}"))
        return set()
    held = notebook.existing(ids)
    counted = "all" if len(held) == len(ids) else "none" if not held else str(len(held))
    again = "to take them in" if not held else "again to take in its changes"
    report.skipped.append((path, f"{what} ({plural(len(ids), 'entry')}, {counted} in the "
                          f"notebook): read by import, not synced; import it {again}"))  # fmt: skip
    return set(held)
