"""Which note files of a folder hold something other than one vault note: the whole-page
formats (a reading log, a notebook page, a Notion page) that import reads into entries of
their own (one per dated line, per term, per meeting...) instead of one note titled by the
file's name.

Import and sync classify a folder's files through this one test, so they agree: import
splits such a file, and sync never takes it in as a note of its own (which would duplicate
all it holds) nor writes it back (see core/sync/engine).
"""

from __future__ import annotations

from notebook_app.core.formats.notebook_page import looks_like_notebook_page
from notebook_app.core.formats.sample_formats import looks_like_notion_page, looks_like_reading_log
from notebook_app.core.formats.vault_files import COMBINED_MARKER


def whole_page_format(text: str) -> str | None:
    """What kind of whole page a file's text is ("a reading log"...), None for a note: the
    order is the import's (``importing.parse_file``). Front matter makes any file a note; the
    notebook's combined document, which import refuses, is none either."""
    if text.startswith(COMBINED_MARKER):
        return "the combined document"
    if text.startswith("---\n"):
        return None
    if looks_like_reading_log(text):
        return "a reading log"
    if looks_like_notebook_page(text):
        return "a notebook page"
    if looks_like_notion_page(text):
        return "a Notion page"
    return None
