"""The notebook's search and listing: one page of entries matching a query (ranked, or in a
chosen order), counts, summaries by row key, and quick-switcher title matches. Mixed into
:class:`Notebook` (its own module keeps notebook.py to entries, history and tags); the SQL is
built by ``search/sql.py``.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import NotebookError
from notebook_app.core.model.listing import EntrySummary, Scope, Sort
from notebook_app.core.search.index_text import word_match_expression
from notebook_app.core.search.query import ParsedQuery, Term, parse_query
from notebook_app.core.search.snippets import make_snippet
from notebook_app.core.search.sql import (
    ENTRIES_INDEX,
    FULL_RANK_LIMIT,
    PHRASE_RANK_LIMIT,
    TITLE_RANK_ORDER,
    TITLES_INDEX,
    build_count,
    build_fetch,
    build_filter,
    build_match_count,
    build_page,
    build_scored_matches,
    newest_match_order,
    sort_order,
)
from notebook_app.core.storage.rows import SEQ, named_rows

if TYPE_CHECKING:
    from notebook_app.core.storage.tags import TagStore


class SearchQueries:
    """Notebook methods about search (see the module's doc); ``Notebook`` provides the rest."""

    conn: sqlite3.Connection
    tags: TagStore

    # --- search and listing --------------------------------------------------------------------

    def search(
        self,
        query: str | ParsedQuery = "",
        *,
        scope: Scope | None = None,
        sort: Sort | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[EntrySummary]:
        """One page of the entries matching ``query`` (the query language) within ``scope``.

        With words, results are ranked (bm25, title above body; see ``search.FULL_RANK_LIMIT``
        for very common words) and carry a snippet; without, this is a listing ordered by
        ``sort`` (default: last updated first).
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        scope = scope or Scope()
        match = parsed.match_expression()
        if match is None or (sort is not None and sort is not Sort.RELEVANCE):
            order = sort_order(sort or Sort.UPDATED)
            seqs = self._page(parsed, scope, match, order, limit, offset)
        else:
            seqs = self._ranked_page(parsed, scope, match, limit, offset)
        return self._summaries(seqs, None if match is None else parsed.positive_terms)

    def _page(
        self,
        parsed: ParsedQuery,
        scope: Scope,
        match: str | None,
        order: str,
        limit: int,
        offset: int,
        index: str = ENTRIES_INDEX,
        leave_out: str | None = None,
    ) -> list[int]:
        """The ``seq`` of the entries on the page."""
        sql, params = build_page(
            parsed, scope, match=match, order=order, limit=limit, offset=offset, index=index,
            leave_out=leave_out,
        )  # fmt: skip
        return [row[0] for row in self._query(sql, params)]

    def _ranked_page(
        self, parsed: ParsedQuery, scope: Scope, match: str, limit: int, offset: int
    ) -> list[int]:
        # Count first (stopping at the cap), then rank them all only if they are few: a common
        # word is cheap to count and dear to rank; a phrase dearer still (bm25 runs the phrase
        # over the whole index once more for its weight), so its cap is lower.
        cap = PHRASE_RANK_LIMIT if parsed.has_phrase else FULL_RANK_LIMIT
        if not self._more_matches_than(match, ENTRIES_INDEX, cap):
            ranked = self._fully_ranked(parsed, scope, match, ENTRIES_INDEX)
            if ranked is not None:
                return ranked[offset : offset + limit]
        # Too many matches to rank them all quickly.
        # Tier 1: title matches, ranked (or newest first if even they are too many).
        ranked_titles = None
        if not self._more_matches_than(match, TITLES_INDEX):
            ranked_titles = self._fully_ranked(parsed, scope, match, TITLES_INDEX)
        if ranked_titles is not None:
            rows = ranked_titles[offset : offset + limit]
            title_total: int | None = len(ranked_titles)
        else:
            order = newest_match_order(TITLES_INDEX)
            rows = self._page(parsed, scope, match, order, limit, offset, TITLES_INDEX)
            title_total = None
        if len(rows) == limit:
            return rows
        # Tier 2: the other matches, newest first, read only as far as the page needs. It
        # starts where tier 1 ended: a short tier-1 page tells that for free.
        if title_total is None:
            if rows or offset == 0:
                title_total = offset + len(rows)
            else:
                sql, params = build_count(parsed, scope, match, TITLES_INDEX)
                title_total = int(self._query(sql, params)[0][0])
        rows += self._page(
            parsed, scope, match, newest_match_order(ENTRIES_INDEX),
            limit - len(rows), max(0, offset - title_total), leave_out=TITLES_INDEX,
        )  # fmt: skip
        return rows

    def _more_matches_than(self, match: str, index: str, cap: int | None = None) -> bool:
        cap = FULL_RANK_LIMIT if cap is None else cap
        sql, params = build_match_count(match, cap + 1, index)
        return int(self._query(sql, params)[0][0]) > cap

    def _fully_ranked(
        self, parsed: ParsedQuery, scope: Scope, match: str, index: str
    ) -> list[int] | None:
        """All matches passing the filters, best first; None if there are too many to rank."""
        sql, params = build_scored_matches(match, FULL_RANK_LIMIT + 1, index)
        scored = self._query(sql, params)
        if len(scored) > FULL_RANK_LIMIT:
            return None
        if not scored:
            return []
        filter_sql, filter_params = build_filter(parsed, scope, [row[0] for row in scored])
        passing = {row[0] for row in self._query(filter_sql, filter_params)}
        # bm25 is lower for better matches; newer entries first among equals.
        ranked = sorted((row for row in scored if row[0] in passing), key=lambda r: (r[1], -r[0]))
        return [row[0] for row in ranked]

    def _summaries(self, seqs: list[int], terms: list[Term] | None) -> list[EntrySummary]:
        """The summaries of the entries ``seqs``, in that order; for a search (``terms`` given,
        even none), each with a snippet of its body around the terms."""
        if not seqs:
            return []
        sql, params = build_fetch(seqs, with_body=terms is not None)
        rows = named_rows(self.conn, sql, params)
        rows.reorder(SEQ, seqs)  # the database gives them in ``seq`` order
        snippets = None
        if terms is not None:
            texts = zip(rows.column("body"), rows.column("title"), strict=True)
            snippets = [make_snippet(body or title, terms) for body, title in texts]
        return rows.summaries(self.tags.of_entries(seqs), snippets)

    def summaries(self, seqs: list[int]) -> list[EntrySummary]:
        """The summaries of the entries with these row keys (``seq``), in that order."""
        return self._summaries(seqs, None)

    def titles_matching(self, text: str, *, limit: int = 20) -> list[EntrySummary]:
        """Live entries whose title (or an alias) has words starting with each typed word.

        For a quick switcher: ``sup pos`` finds "Superposition position"; empty text gives the
        most recently updated entries.
        """
        words = [word for word in text.split() if any(ch.isalnum() for ch in word)]
        if not words:
            return self.search("", limit=limit)
        match = " AND ".join(word_match_expression(word, prefix=True) for word in words)
        sql, params = build_page(
            ParsedQuery(), Scope(), match=match, order=TITLE_RANK_ORDER, limit=limit,
            offset=0, index=TITLES_INDEX,
        )  # fmt: skip
        return self._summaries([row[0] for row in self._query(sql, params)], None)

    def count(self, query: str | ParsedQuery = "", *, scope: Scope | None = None) -> int:
        parsed = parse_query(query) if isinstance(query, str) else query
        sql, params = build_count(parsed, scope or Scope(), parsed.match_expression())
        return int(self._query(sql, params)[0][0])

    def _query(self, sql: str, params: dict[str, Any]) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if "fts5" in str(error):
                # The parser quotes every word, so this means a bug, not a user's typo.
                raise NotebookError(f"search failed: {error}") from error
            raise
