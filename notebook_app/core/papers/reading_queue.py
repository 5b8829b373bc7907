"""The reading queue: the notes waiting to be read (status "to-read"), the oldest first.

"Next" is the note that has waited longest, so what was queued first is read first; a note
leaves the queue when its status changes (reading, done) or it goes to the trash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notebook_app.core.model.listing import EntrySummary
    from notebook_app.core.storage.notebook import Notebook

_QUEUE_SQL = (
    "SELECT seq FROM entries WHERE kind = 'note' AND trashed IS NULL "
    "AND reading_status = 'to-read' ORDER BY created, seq LIMIT ?"
)


def reading_queue(notebook: Notebook, limit: int = 1_000) -> list[EntrySummary]:
    """The first ``limit`` notes of the queue, in the order to read them."""
    seqs = [seq for (seq,) in notebook.conn.execute(_QUEUE_SQL, [limit])]
    return notebook.summaries(seqs)


def queue_length(notebook: Notebook) -> int:
    row = notebook.conn.execute(
        "SELECT count(*) FROM entries WHERE kind = 'note' AND trashed IS NULL "
        "AND reading_status = 'to-read'"
    ).fetchone()
    return int(row[0])
