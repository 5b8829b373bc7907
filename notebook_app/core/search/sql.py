"""Turning a parsed query into SQL (the excerpts and highlights are snippets.py's).

``Notebook.search`` and ``Notebook.count`` are the callers; this module builds statements and
text and touches no connection, so it is easy to test and reason about.

Ranking is bm25 with the title weighted ten times the body. Queries without words (a listing
with filters) are ordered by the chosen sort and use the ``entries`` indexes. Both are paged
with LIMIT/OFFSET, so a caller shows the first page of 100,000 entries without reading them all.
"""

from __future__ import annotations

import json
from typing import Any

from notebook_app.core.model.entry import LearningStatus, ReadingStatus
from notebook_app.core.model.listing import SUMMARY_COLUMNS, Scope, Sort
from notebook_app.core.search.query import ParsedQuery

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
CJK_WEIGHT = 1.0


_ORDER_BY: dict[Sort, str] = {
    Sort.UPDATED: "e.updated DESC, e.seq DESC",
    Sort.CREATED: "e.created DESC, e.seq DESC",
    Sort.TITLE: "e.title COLLATE NOCASE ASC, e.seq ASC",
    Sort.DAY: "e.day DESC, e.seq DESC",
    # The user's glossary order first; entries without a position after, by title.
    Sort.GLOSSARY: "e.glossary_position IS NULL, e.glossary_position ASC, "
    "e.title COLLATE NOCASE ASC, e.seq ASC",
}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tag_condition(parameter_name: str) -> str:
    """SQL true when entry ``e`` carries the tag, or one nested under it.

    The tag ids are looked up once (an uncorrelated subquery); each entry is then checked on
    the ``entry_tags`` primary key.
    """
    return (
        "EXISTS (SELECT 1 FROM entry_tags et WHERE et.entry = e.seq AND et.tag IN "
        f"(SELECT id FROM tags WHERE name = :{parameter_name} "
        f"OR name LIKE :{parameter_name}_like ESCAPE '\\'))"
    )


def folder_condition(parameter_name: str) -> str:
    """SQL true when entry ``e`` is in the vault folder, or one under it (case aside, as the
    file systems of macOS and Windows)."""
    return (
        f"(e.folder = :{parameter_name} COLLATE NOCASE "
        f"OR e.folder LIKE :{parameter_name}_like ESCAPE '\\')"
    )


def build_conditions(parsed: ParsedQuery, scope: Scope) -> tuple[list[str], dict[str, Any]]:
    """The WHERE conditions (on entries ``e``) of the filters, with their parameters."""
    conditions = ["e.trashed IS NOT NULL" if scope.trashed else "e.trashed IS NULL"]
    params: dict[str, Any] = {}
    kinds = set(parsed.kinds)
    if scope.kinds:
        kinds = kinds & set(scope.kinds) if kinds else set(scope.kinds)
        if not kinds:
            conditions.append("0")
    if kinds:
        names = sorted(kind.value for kind in kinds)
        placeholders = ", ".join(f":kind{i}" for i in range(len(names)))
        conditions.append(f"e.kind IN ({placeholders})")
        params.update({f"kind{i}": name for i, name in enumerate(names)})
    for i, tag in enumerate([*scope.tags, *parsed.tags]):
        name = f"tag{i}"
        conditions.append(tag_condition(name))
        params[name] = tag
        params[f"{name}_like"] = _like_escape(tag) + "/%"
    for i, tag in enumerate(parsed.excluded_tags):
        name = f"xtag{i}"
        conditions.append("NOT " + tag_condition(name))
        params[name] = tag
        params[f"{name}_like"] = _like_escape(tag) + "/%"
    for i, folder in enumerate(parsed.folders):
        conditions.append(folder_condition(f"folder{i}"))
        params[f"folder{i}"] = folder
        params[f"folder{i}_like"] = _like_escape(folder) + "/%"
    for i, folder in enumerate(parsed.excluded_folders):
        conditions.append(f"NOT coalesce({folder_condition(f'xfolder{i}')}, 0)")
        params[f"xfolder{i}"] = folder
        params[f"xfolder{i}_like"] = _like_escape(folder) + "/%"
    if parsed.source_types:
        names = sorted(t.value for t in parsed.source_types)
        placeholders = ", ".join(f":type{i}" for i in range(len(names)))
        conditions.append(f"e.source_type IN ({placeholders})")
        params.update({f"type{i}": name for i, name in enumerate(names)})
    if parsed.statuses:
        reading = sorted(s.value for s in parsed.statuses if isinstance(s, ReadingStatus))
        learning = sorted(s.value for s in parsed.statuses if isinstance(s, LearningStatus))
        options = []
        for column, values in (("reading_status", reading), ("learning_status", learning)):
            if values:
                placeholders = ", ".join(f":{column}{i}" for i in range(len(values)))
                options.append(f"e.{column} IN ({placeholders})")
                params.update({f"{column}{i}": value for i, value in enumerate(values)})
        conditions.append("(" + " OR ".join(options) + ")")
    if parsed.before is not None:
        conditions.append("e.day < :before")
        params["before"] = parsed.before.isoformat()
    if parsed.after is not None:
        conditions.append("e.day >= :after")
        params["after"] = parsed.after.isoformat()
    exclusion = parsed.exclusion_expression()
    if exclusion is not None:
        conditions.append(
            "e.seq NOT IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH :exclusion)"
        )
        params["exclusion"] = exclusion
    return conditions, params


# What a page of results reads of each entry (the rows are read by these names).
_SUMMARY_SELECT = ", ".join(f"e.{column}" for column in ("seq", *SUMMARY_COLUMNS))

# Up to this many matches, results are ranked by bm25 over all of them (about 2 ms a thousand
# here). Past it, a common word would cost 100+ ms to rank, so the matches are ranked in tiers:
# matches in the title by bm25 first (from ``titles_fts``, a small index), then the rest newest
# first, each tier read lazily.
FULL_RANK_LIMIT = 2000
# The same for a query with a phrase: above this many matches its bm25 costs more than the tiers.
PHRASE_RANK_LIMIT = 300

ENTRIES_INDEX = "entries_fts"
TITLES_INDEX = "titles_fts"
_BM25 = {
    ENTRIES_INDEX: f"bm25(entries_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {CJK_WEIGHT})",
    TITLES_INDEX: "bm25(titles_fts)",
}


# Shorter titles first among equal bm25 scores: "Attention" before "Attention in vision".
TITLE_RANK_ORDER = "titles_fts.rank, length(e.title), e.seq DESC"


def newest_match_order(index: str) -> str:
    return f"{index}.rowid DESC"


def sort_order(sort: Sort) -> str:
    return _ORDER_BY[Sort.UPDATED if sort is Sort.RELEVANCE else sort]


def build_match_count(match: str, cap: int, index: str) -> tuple[str, dict[str, Any]]:
    """Count matches in an index alone, stopping at ``cap``: cheap for the commonest word."""
    return (
        f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH :match LIMIT :cap)",
        {"match": match, "cap": cap},
    )


def build_scored_matches(match: str, cap: int, index: str) -> tuple[str, dict[str, Any]]:
    """At most ``cap`` matches from an index alone, with their bm25 scores (lower is better).

    One pass both tells whether the match set is small enough to rank fully and ranks it.
    """
    return (
        f"SELECT rowid, {_BM25[index]} FROM {index} WHERE {index} MATCH :match LIMIT :cap",
        {"match": match, "cap": cap},
    )


def build_filter(parsed: ParsedQuery, scope: Scope, seqs: list[int]) -> tuple[str, dict[str, Any]]:
    """Which of ``seqs`` pass the filters (the list drives the loop, not an entries index)."""
    conditions, params = build_conditions(parsed, scope)
    params["seqs"] = json.dumps(seqs)
    where = " AND ".join(conditions)
    return (
        "SELECT e.seq FROM json_each(:seqs) AS candidates "
        f"CROSS JOIN entries e ON e.seq = candidates.value WHERE {where}",
        params,
    )


# CROSS JOIN makes the index the outer loop. Left to itself, SQLite may walk a filter's index
# (kind:note) and probe the index once per row, which is 100 times slower.
def build_page(
    parsed: ParsedQuery,
    scope: Scope,
    *,
    match: str | None,
    order: str,
    limit: int,
    offset: int,
    index: str = ENTRIES_INDEX,
    leave_out: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The ``seq`` of one page of entries ``e`` passing the filters (and ``match``), in order;
    without those ``match`` also finds in the index ``leave_out`` (the second tier: the title
    index's matches are the first).

    Only keys are sorted: sorting whole rows would carry every matching body through the sorter.
    """
    conditions, params = build_conditions(parsed, scope)
    if match is not None and leave_out is not None:
        # Not a column filter on ``index``: its CJK bigrams do not tell title from body.
        conditions.append(
            f"e.seq NOT IN (SELECT rowid FROM {leave_out} WHERE {leave_out} MATCH :match)"
        )
    params["limit"] = limit
    params["offset"] = offset
    where = " AND ".join(conditions)
    if match is None:
        sql = f"SELECT e.seq FROM entries e WHERE {where}"
    elif order.startswith(index):
        params["match"] = match
        sql = (
            f"SELECT e.seq FROM {index} CROSS JOIN entries e ON e.seq = {index}.rowid "
            f"WHERE {index} MATCH :match AND {where}"
        )
    else:
        # Ordered by an entries index: walk that index and test each row against the match.
        params["match"] = match
        sql = (
            f"SELECT e.seq FROM entries e WHERE {where} AND e.seq IN "
            f"(SELECT rowid FROM {index} WHERE {index} MATCH :match)"
        )
    return f"{sql} ORDER BY {order} LIMIT :limit OFFSET :offset", params


def build_fetch(seqs: list[int], *, with_body: bool) -> tuple[str, list[int]]:
    """The summary columns (and body) of the given entries; the caller restores the order."""
    columns = _SUMMARY_SELECT + (", e.body" if with_body else "")
    placeholders = ", ".join("?" * len(seqs))
    return f"SELECT {columns} FROM entries e WHERE e.seq IN ({placeholders})", seqs


def build_count(
    parsed: ParsedQuery, scope: Scope, match: str | None = None, index: str = ENTRIES_INDEX
) -> tuple[str, dict[str, Any]]:
    conditions, params = build_conditions(parsed, scope)
    where = " AND ".join(conditions)
    if match is None:
        return f"SELECT count(*) FROM entries e WHERE {where}", params
    params["match"] = match
    return (
        f"SELECT count(*) FROM {index} CROSS JOIN entries e ON e.seq = {index}.rowid "
        f"WHERE {index} MATCH :match AND {where}",
        params,
    )
