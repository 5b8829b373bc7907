"""Entries as rows of the ``entries`` table, and rows back as entries and summaries.

Nothing here names a field: the columns, the SQL and the conversions come from the table of
fields (``core/model/fields.py``), and rows are read by column name (``sqlite3.Row``), so a new
field needs its declaration and the migration adding its column, nothing more.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from notebook_app.core.model.entry import FIELDS, Entry, format_timestamp, parse_timestamp
from notebook_app.core.model.fields import Codec, Field
from notebook_app.core.model.listing import SUMMARY_FIELDS, EntrySummary, Snippet
from notebook_app.core.search.index_text import cjk_index_text

# Columns the notebook keeps beside the fields: the integer key the other tables use, and the
# CJK bigrams of the searched text (see ``index_text``).
SEQ = "seq"
DAY = "day"  # computed by the database (read on, met on, else created)
SEARCH_CJK = "search_cjk"
TITLE_CJK = "title_cjk"  # the bigrams of the title and aliases alone, for the title index
SEARCH_URL = "search_url"  # the URL's arXiv id, for the index (see ``papers.arxiv``)

STORED_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if field.column is not None)
ENTRY_COLUMNS: tuple[str, ...] = (SEQ, *(field.column for field in STORED_FIELDS if field.column))
"""What ``SELECT_ENTRIES`` reads: everything an :class:`Entry` needs but its tags."""
SELECT_ENTRIES = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries"

_WRITTEN = [field.column for field in STORED_FIELDS if field.column]
_WRITTEN += [SEARCH_CJK, TITLE_CJK, SEARCH_URL]
INSERT_SQL = (
    f"INSERT INTO entries ({', '.join(_WRITTEN)}) "
    f"VALUES ({', '.join(':' + column for column in _WRITTEN)})"
)
UPDATE_SQL = (
    f"UPDATE entries SET {', '.join(f'{c} = :{c}' for c in _WRITTEN if c != 'id')} WHERE id = :id"
)

# The searched fields in the order the index was built with: each full-text column's own field
# first (title, body), then the others in table order (see migrations.FTS_VALUES).
_SEARCHED = [
    field.column
    for field in sorted(
        (field for field in STORED_FIELDS if field.search),
        key=lambda field: (field.search != "title", field.name != field.search),
    )
    if field.column
]

# The title index's part of them (title, then aliases: as ``migrations.fill_title_cjk`` reads).
_TITLE_SEARCHED = [
    field.column for field in STORED_FIELDS if field.search == "title" and field.column
]


def _names_text(value: list[str]) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "[]"


# How each codec's values are stored (None is NULL whatever the codec), and read back.
_TO_SQL: dict[Codec, Callable[[Any], Any] | None] = {
    Codec.TEXT: None,
    Codec.LINES: None,
    Codec.NUMBER: None,
    Codec.INTEGER: None,
    Codec.DAY: dt.date.isoformat,
    Codec.MOMENT: format_timestamp,
    Codec.CHOICE: lambda member: member.value,
    Codec.NAMES: _names_text,
}
_FROM_SQL: dict[Codec, Callable[[Field], Callable[[Any], Any] | None]] = {
    Codec.TEXT: lambda field: None,
    Codec.LINES: lambda field: None,
    Codec.NUMBER: lambda field: None,
    Codec.INTEGER: lambda field: None,
    Codec.DAY: lambda field: dt.date.fromisoformat,
    Codec.MOMENT: lambda field: parse_timestamp,
    Codec.CHOICE: lambda field: field.choices,
    Codec.NAMES: lambda field: json.loads,
}


_Reader = tuple[str, str, Callable[[Any], Any] | None]


def _readers(fields: Sequence[Field]) -> list[_Reader]:
    """(attribute, column, conversion) for reading ``fields``; worked out once, not per row."""
    return [(f.name, f.column, _FROM_SQL[f.codec](f)) for f in fields if f.column is not None]


_ENTRY_READERS = _readers(STORED_FIELDS)
_SUMMARY_READERS = _readers(SUMMARY_FIELDS)
_WRITERS = [(f.name, f.column, _TO_SQL[f.codec]) for f in STORED_FIELDS if f.column is not None]


class NamedRows:
    """The rows of one query, read by column name.

    The names are turned into positions once per query (from the cursor's description), not
    looked up per row: ``sqlite3.Row`` or a dict per row made a page of summaries half as slow
    again to build.
    """

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.position = {column[0]: i for i, column in enumerate(cursor.description or ())}
        self.rows: list[tuple[Any, ...]] = cursor.fetchall()

    def __len__(self) -> int:
        return len(self.rows)

    def reorder(self, name: str, keys: Sequence[Any]) -> None:
        """Put the rows in the order of ``keys``, the values of their column ``name``."""
        position = self.position[name]
        by_key = {row[position]: row for row in self.rows}
        self.rows = [by_key[key] for key in keys]

    def column(self, name: str) -> list[Any]:
        """One column of every row."""
        position = self.position[name]
        return [row[position] for row in self.rows]

    def entries(self, tags: Mapping[int, Sequence[str]]) -> list[Entry]:
        """The rows (of ``SELECT_ENTRIES``) as entries; ``tags`` by ``seq``."""
        readers = self._readers(_ENTRY_READERS)
        seq = self.position[SEQ]
        return [
            Entry(**_values(row, readers), tags=list(tags.get(row[seq], ()))) for row in self.rows
        ]

    def summaries(
        self, tags: Mapping[int, Sequence[str]], snippets: Sequence[Snippet | None] | None = None
    ) -> list[EntrySummary]:
        """The rows (of ``search.sql.build_fetch``) as summaries; ``tags`` by ``seq``."""
        readers = self._readers(_SUMMARY_READERS)
        seq, day = self.position[SEQ], self.position[DAY]
        return [
            EntrySummary(
                **_values(row, readers),
                tags=tuple(tags.get(row[seq], ())),
                day=dt.date.fromisoformat(row[day]),
                snippet=None if snippets is None else snippets[i],
            )
            for i, row in enumerate(self.rows)
        ]

    def _readers(self, readers: list[_Reader]) -> list[tuple[str, int, Any]]:
        return [(name, self.position[column], convert) for name, column, convert in readers]


def named_rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> NamedRows:
    return NamedRows(conn.execute(sql, params))


def _values(row: tuple[Any, ...], readers: list[tuple[str, int, Any]]) -> dict[str, Any]:
    values = {}
    for name, position, convert in readers:
        value = row[position]
        values[name] = value if value is None or convert is None else convert(value)
    return values


def row_values(entry: Entry) -> dict[str, Any]:
    """The ``entries`` columns of an entry (everything but ``seq``; its tags go elsewhere)."""
    from notebook_app.core.papers.arxiv import url_index_text  # loaded on the first write

    values: dict[str, Any] = {}
    for name, column, convert in _WRITERS:
        value = getattr(entry, name)
        values[column] = value if value is None or convert is None else convert(value)
    values[SEARCH_CJK] = cjk_index_text(*(values[column] for column in _SEARCHED))
    values[TITLE_CJK] = cjk_index_text(*(values[column] for column in _TITLE_SEARCHED))
    values[SEARCH_URL] = url_index_text(values.get("url"))
    return values
