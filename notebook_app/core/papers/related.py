"""Related entries: the entries that share the open entry's most distinctive words.

No model and no network: the notebook's own full-text index is the corpus. The entry's text is
split as the index splits it; each word is weighted by tf-idf (its count in the entry times its
inverse document frequency); the best :data:`QUERY_TERMS` become one query ranked by bm25
(any of them, or any two of them on a large notebook: :func:`match_expression`), and the entry
itself and the trash are left out. Each result carries the distinctive
words it shares with the entry, so the panel can say why it is there.

A word's document frequency is counted from the index, capped at :func:`common_at` entries: a
word that frequent is a common word and is not used. Counting is one short query per word (a
rare word's posting list is short, a common one stops at the cap). The ``fts5vocab`` table
would give the exact figure but counts every posting of the word to do so: 230 ms for one
entry's words at 100,000 entries, against 10 ms capped.
"""

from __future__ import annotations

import dataclasses
import itertools
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

QUERY_TERMS = 10  # distinctive words per query: enough to be robust, few enough to stay fast
OR_BUDGET = 3000  # postings an OR query may score (see match_expression)
MIN_LENGTH = 3  # shorter words ("a", "of", "v2") say little about a topic
_COUNT_SQL = (
    "SELECT count(*) FROM (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)"
)
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


def common_at(total: int) -> int:
    """How many entries make a word common (left out): one in a hundred, and at least 50 (in a
    small notebook bm25's own idf is left to weigh the words)."""
    return max(50, total // 100)


def _weighed(conn: sqlite3.Connection, seq: int, count: int) -> list[tuple[str, float, int]]:
    """The entry's ``count`` best words: (word, tf-idf, how many entries hold it)."""
    text = _texts(conn, [seq]).get(seq, "")
    counts = Counter(w for w in words(text) if len(w) >= MIN_LENGTH and not w.isdigit())
    if not counts:
        return []
    total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    cap = common_at(total)
    weighed = []
    for term, in_entry in counts.items():
        docs = conn.execute(_COUNT_SQL, [fts_string(term), cap]).fetchone()[0]
        if 2 <= docs < cap:  # held by another entry, and not a common word
            idf = math.log((total - docs + 0.5) / (docs + 0.5) + 1)
            weighed.append((term, in_entry * idf, docs))
    weighed.sort(key=lambda item: (-item[1], item[0]))
    return weighed[:count]


def distinctive_terms(
    notebook: Notebook, entry_id: str, count: int = QUERY_TERMS
) -> list[tuple[str, float]]:
    """The entry's ``count`` words of highest tf-idf that some other entry also holds (and
    not a hundredth of the notebook)."""
    seq = notebook._seq_of(notebook.resolve_id(entry_id))
    return [(term, weight) for term, weight, _docs in _weighed(notebook.conn, seq, count)]


def match_expression(terms: list[tuple[str, float, int]]) -> str:
    """The FTS5 query for ``terms``: any of them while their posting lists are short, else
    any two of them together.

    bm25 reads each match's length from the index, a lookup per match: an ``OR`` of words held
    by a thousand entries each scored ten thousand entries (60 ms at 100,000 entries). Pairs
    keep the entries that share two distinctive words, the ones worth showing, and are
    merged from the same lists without scoring the rest.
    """
    quoted = [fts_string(term) for term, _weight, _docs in terms]
    if sum(docs for _term, _weight, docs in terms) <= OR_BUDGET or len(quoted) < 2:
        return " OR ".join(quoted)
    return " OR ".join(f"({a} AND {b})" for a, b in itertools.combinations(quoted, 2))


def related_entries(
    notebook: Notebook, entry_id: str, *, limit: int = 10, terms: int = QUERY_TERMS
) -> list[RelatedEntry]:
    """The ``limit`` live entries most like ``entry_id`` by their words, closest first."""
    conn = notebook.conn
    seq = notebook._seq_of(notebook.resolve_id(entry_id))
    weighed = _weighed(conn, seq, terms)
    if not weighed or limit < 1:
        return []
    query_terms = [term for term, _weight, _docs in weighed]
    # The trash is left out after ranking (a join would read every match's row): ask for a
    # few more than needed.
    rows = conn.execute(
        f"SELECT rowid, bm25(entries_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}, {_CJK_WEIGHT}) "
        "AS score FROM entries_fts WHERE entries_fts MATCH :match AND rowid <> :seq "
        "ORDER BY score LIMIT :limit",
        {"match": match_expression(weighed), "seq": seq, "limit": limit + 10},
    ).fetchall()
    marks = ", ".join("?" * len(rows))
    trashed = {
        hit
        for (hit,) in conn.execute(
            f"SELECT seq FROM entries WHERE seq IN ({marks}) AND trashed IS NOT NULL",
            [row[0] for row in rows],
        )
    }
    rows = [row for row in rows if row[0] not in trashed][:limit]
    seqs = [row[0] for row in rows]
    texts = _texts(conn, seqs) if seqs else {}
    summaries = notebook.summaries(seqs)
    related = []
    for (hit, score), summary in zip(rows, summaries, strict=True):
        held = set(words(texts.get(hit, "")))
        shared = tuple(term for term in query_terms if term in held)
        related.append(RelatedEntry(summary, -score, shared))
    return related
