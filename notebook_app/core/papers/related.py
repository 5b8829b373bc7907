"""Related entries: the entries that share the open entry's most distinctive words.

No model and no network: the notebook's own full-text index is the corpus. The entry's text is
split as the index splits it; each word is weighted by tf-idf (its count in the entry times its
inverse document frequency, read from the index's vocabulary through an ``fts5vocab`` table);
the best :data:`QUERY_TERMS` become one ``OR`` query ranked by bm25, and the entry itself and
the trash are left out. Each result carries the distinctive words it shares with the entry, so
the panel can say why it is there.

The vocabulary table (``entries_fts_vocab``, made by migration 0004) holds no data of its own:
it reads the index, so a read-only notebook has it too. Asking it for the words of one entry
costs one lookup per word, and rare words have short posting lists, so the query stays fast on
a large notebook.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

from notebook_app.core.search.index_text import fts_string
from notebook_app.core.storage.migrations import FTS_VALUES
from notebook_app.core.storage.rows import SEQ

if TYPE_CHECKING:
    from notebook_app.core.model.listing import EntrySummary
    from notebook_app.core.storage.notebook import Notebook

QUERY_TERMS = 12  # distinctive words per query: enough to be robust, few enough to stay fast
MIN_LENGTH = 3  # shorter words ("a", "of", "v2") say little about a topic
VOCABULARY = "entries_fts_vocab"  # made by migration 0004
# unicode61's tokens: runs of letters and digits (separators are everything else, "_" too).
_TOKEN = re.compile(r"[^\W_]+")
_TEXT_SQL = f"SELECT {SEQ}, {FTS_VALUES.format(row='entries')} FROM entries WHERE {SEQ} IN "
_TITLE_WEIGHT, _BODY_WEIGHT, _CJK_WEIGHT = 3.0, 1.0, 0.5


@dataclasses.dataclass(frozen=True, slots=True)
class RelatedEntry:
    """An entry like the open one: how alike (bm25, higher is closer) and the words they share."""

    entry: EntrySummary
    score: float
    shared: tuple[str, ...]  # the query's words it holds, most distinctive first

    def to_json(self) -> dict[str, Any]:
        """What ``related --json`` prints per entry (:data:`RELATED_JSON_KEYS`)."""
        return {"id": self.entry.id, "kind": self.entry.kind.value, "title": self.entry.title,
                "score": round(self.score, 3), "shared": list(self.shared)}  # fmt: skip


RELATED_JSON_KEYS = ("id", "kind", "title", "score", "shared")


def words(text: str) -> list[str]:
    """``text`` split and folded as the index's ``unicode61 remove_diacritics 2`` does."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    if not folded.isascii():
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _TOKEN.findall(folded)


def _texts(conn: sqlite3.Connection, seqs: list[int]) -> dict[int, str]:
    """Each entry's indexed text (title, body and the rest), as the index was given it."""
    marks = ", ".join("?" * len(seqs))
    return {seq: " ".join(parts) for seq, *parts in conn.execute(_TEXT_SQL + f"({marks})", seqs)}


def distinctive_terms(
    notebook: Notebook, entry_id: str, count: int = QUERY_TERMS
) -> list[tuple[str, float]]:
    """The entry's ``count`` words of highest tf-idf that some other entry also holds."""
    conn = notebook.conn
    seq = notebook._seq_of(notebook.resolve_id(entry_id))
    text = _texts(conn, [seq]).get(seq, "")
    counts = Counter(w for w in words(text) if len(w) >= MIN_LENGTH and not w.isdigit())
    if not counts:
        return []
    total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    terms = list(counts)
    frequency: dict[str, int] = {}
    for start in range(0, len(terms), 500):  # under SQLite's limit on bound parameters
        chunk = terms[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        frequency.update(
            conn.execute(f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({marks})", chunk)
        )
    weighted = [
        (term, counts[term] * math.log((total - docs + 0.5) / (docs + 0.5) + 1))
        for term, docs in frequency.items()
        if docs >= 2  # a word no other entry holds relates nothing
    ]
    weighted.sort(key=lambda pair: (-pair[1], pair[0]))
    return weighted[:count]


def related_entries(
    notebook: Notebook, entry_id: str, *, limit: int = 10, terms: int = QUERY_TERMS
) -> list[RelatedEntry]:
    """The ``limit`` live entries most like ``entry_id`` by their words, closest first."""
    conn = notebook.conn
    seq = notebook._seq_of(notebook.resolve_id(entry_id))
    query_terms = [term for term, _weight in distinctive_terms(notebook, entry_id, terms)]
    if not query_terms or limit < 1:
        return []
    match = " OR ".join(fts_string(term) for term in query_terms)
    rows = conn.execute(
        f"SELECT f.rowid, bm25(entries_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}, {_CJK_WEIGHT}) "
        "AS score FROM entries_fts AS f JOIN entries AS e ON e.seq = f.rowid "
        "WHERE entries_fts MATCH :match AND f.rowid <> :seq AND e.trashed IS NULL "
        "ORDER BY score LIMIT :limit",
        {"match": match, "seq": seq, "limit": limit},
    ).fetchall()
    seqs = [row[0] for row in rows]
    texts = _texts(conn, seqs) if seqs else {}
    summaries = notebook.summaries(seqs)
    related = []
    for (hit, score), summary in zip(rows, summaries, strict=True):
        held = set(words(texts.get(hit, "")))
        shared = tuple(term for term in query_terms if term in held)
        related.append(RelatedEntry(summary, -score, shared))
    return related
