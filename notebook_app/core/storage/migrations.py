"""The notebook schema, as numbered migrations (sqlite-utils ``Migrations``).

sqlite-utils is imported only when a migration has to run: every start reads which migrations
are applied (one query on the connection), and importing sqlite-utils costs a start ~60 ms.

Never edit a migration once it has shipped: add a new one. ``tests/test_migrations.py`` opens
a database left at every earlier version and checks it reaches the same schema as a new one,
with its data intact and searchable.

Schema overview (version 14):

* ``entries``: one row per entry, common columns plus the kind-specific ones (NULL for other
  kinds; ``aliases`` is a JSON array). ``seq`` is the integer key the other tables and the
  search index use; ``id`` is the stable UUID the user and export/import see. ``day`` is the
  day an entry is about (read on, met on, else created), for ``before:``/``after:``.
  ``queue_position``: a note's place in the user's reading queue (``papers/reading_queue``).
* ``tags`` (case-insensitive unique names, ``/`` nests) and ``entry_tags``.
* ``titles_fts``: the titles (+ aliases) alone, and their CJK bigrams (``title_cjk``), kept the
  same way, for ranking title matches and finding entries by title.
* ``entries_fts``: FTS5 over title (+ aliases), body (+ authors, who, action items, the URL and
  its arXiv id, ``search_url``) and the CJK bigrams of all of them (see ``index_text``). It is
  contentless (the text is already in ``entries``); rows are removed with FTS5's ``delete``
  command, which needs the old text re-tokenised exactly as inserted. Triggers keep it in step
  on update and delete. New rows are indexed by ``Notebook.add_many`` (the one place entries
  are inserted) with one ``INSERT ... SELECT`` per batch: an insert trigger makes FTS5 flush a
  segment per row, six times slower on a 100,000-entry import.
* ``entries_reads_by_day``: a partial index of the notes read (not trashed, not to-read) by
  day and source type, which the reading statistics count from.
* ``entry_history``: the previous state of an entry at each save (JSON snapshot).
* ``review_cards`` and ``review_log``: spaced repetition of glossary terms (``core/learning``).
* ``entry_names`` and ``links``: every entry's title and aliases as lookup keys, and every
  ``[[wiki link]]`` in a body with the entry it resolves to (see ``storage/links.py``); from
  version 14 also Markdown links to notes' files (``[x](Other.md)``), resolved by vault path.
* ``vault_files``: the identity record of the markdown file an entry was imported from or
  synced with (path, content hash, mtime, base version, the folder it is relative to);
  ``entries.folder``/``file_name``/``front_matter``/``file_style`` say where in a vault it
  lives, the front matter it came with and how its file spells line ends (see
  ``formats/vault_files.py`` and ``core/sync``).
* ``blobs`` (sha256 -> bytes, size, mime; once each), ``attachments`` (a vault-relative path ->
  its blob) and ``attachment_refs`` (entry, target as written -> attachment): see
  ``core/attachments``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from notebook_app.core.search.index_text import cjk_index_text

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "notebook"
# The table sqlite-utils records applied migrations in (``Migrations.migrations_table``; a test
# checks the two agree).
MIGRATIONS_TABLE = "_sqlite_migrations"


def _m0001_entries_and_tags(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('note', 'term', 'meeting')),
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            trashed TEXT,
            source_type TEXT,
            url TEXT,
            authors TEXT,
            read_on TEXT,
            reading_status TEXT,
            aliases TEXT NOT NULL DEFAULT '[]',
            learning_status TEXT,
            glossary_position REAL,
            met_on TEXT,
            who TEXT,
            -- The long text last: a filter reading the columns above never has to walk
            -- through a body's overflow pages to reach them.
            action_items TEXT,
            body TEXT NOT NULL DEFAULT '',
            day TEXT GENERATED ALWAYS AS (coalesce(read_on, met_on, substr(created, 1, 10)))
                VIRTUAL
        );
        CREATE INDEX entries_by_updated ON entries (updated);
        CREATE INDEX entries_by_created ON entries (created);
        CREATE INDEX entries_by_kind_updated ON entries (kind, updated);
        CREATE INDEX entries_by_title ON entries (title COLLATE NOCASE);
        CREATE INDEX entries_by_glossary_position ON entries (kind, glossary_position);
        CREATE INDEX entries_by_day ON entries (day);
        CREATE INDEX entries_by_url ON entries (url) WHERE url IS NOT NULL;
        CREATE INDEX entries_trashed ON entries (trashed) WHERE trashed IS NOT NULL;

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE
        );
        CREATE TABLE entry_tags (
            entry INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            tag INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (entry, tag)
        ) WITHOUT ROWID;
        CREATE INDEX entry_tags_by_tag ON entry_tags (tag, entry);
        """
    )


# What the index holds for an entry row (``{row}`` is ``new``, ``old`` or the table): the title
# with the aliases (their JSON tokenises to the names), the body with the other free-text fields,
# and the CJK bigrams the app computed when it wrote the row (``search_cjk``, see index_text).
# Plain SQL: a Python callback per row would add a seventh to a bulk import, and the file stays
# editable by tools that do not have our functions. Never change these in place: a contentless
# index removes a row by re-tokenising exactly the text it was given.
FTS_COLUMNS_0002 = "title, body, cjk"
TITLE_FTS_VALUES_0002 = "{row}.title || ' ' || {row}.aliases"
FTS_VALUES_0002 = (
    "{row}.title || ' ' || {row}.aliases, "
    "{row}.body || ' ' || coalesce({row}.authors, '') || ' ' || coalesce({row}.who, '') "
    "|| ' ' || coalesce({row}.action_items, ''), "
    "{row}.search_cjk"
)


def _m0002_full_text_search(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE entries ADD COLUMN search_cjk TEXT NOT NULL DEFAULT ''")
    rows = db.execute(
        "SELECT seq, title, aliases, body, authors, who, action_items FROM entries"
    ).fetchall()
    db.conn.executemany(
        "UPDATE entries SET search_cjk = ? WHERE seq = ?",
        [(cjk_index_text(*row[1:]), row[0]) for row in rows],
    )
    new = FTS_VALUES_0002.format(row="new")
    old = FTS_VALUES_0002.format(row="old")
    new_title = TITLE_FTS_VALUES_0002.format(row="new")
    old_title = TITLE_FTS_VALUES_0002.format(row="old")
    db.executescript(
        f"""
        CREATE VIRTUAL TABLE entries_fts USING fts5 (
            {FTS_COLUMNS_0002},
            content = '',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        -- Titles alone, so that ranking the title matches of a very common word reads a
        -- short index instead of every body's positions (see search.FULL_RANK_LIMIT).
        CREATE VIRTUAL TABLE titles_fts USING fts5 (
            title,
            content = '',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts (entries_fts, rowid, {FTS_COLUMNS_0002})
                VALUES ('delete', old.seq, {old});
            INSERT INTO titles_fts (titles_fts, rowid, title)
                VALUES ('delete', old.seq, {old_title});
        END;
        CREATE TRIGGER titles_fts_update AFTER UPDATE OF title, aliases ON entries BEGIN
            INSERT INTO titles_fts (titles_fts, rowid, title)
                VALUES ('delete', old.seq, {old_title});
            INSERT INTO titles_fts (rowid, title) VALUES (new.seq, {new_title});
        END;
        CREATE TRIGGER entries_fts_update
        AFTER UPDATE OF title, aliases, body, authors, who, action_items, search_cjk ON entries
        BEGIN
            INSERT INTO entries_fts (entries_fts, rowid, {FTS_COLUMNS_0002})
                VALUES ('delete', old.seq, {old});
            INSERT INTO entries_fts (rowid, {FTS_COLUMNS_0002}) VALUES (new.seq, {new});
        END;
        INSERT INTO entries_fts (rowid, {FTS_COLUMNS_0002})
            SELECT seq, {FTS_VALUES_0002.format(row="entries")} FROM entries;
        INSERT INTO titles_fts (rowid, title)
            SELECT seq, {TITLE_FTS_VALUES_0002.format(row="entries")} FROM entries;
        """
    )


def index_new_entries_sql(
    fts_values: str | None = None, title_fts: tuple[str, str] | None = None
) -> list[str]:
    """Index the entries from ``:first_seq`` on (``Notebook.add_many``; no insert trigger).

    ``fts_values`` and ``title_fts`` (columns, values): the index text of an earlier schema
    (tests building old notebooks)."""
    values = (fts_values or FTS_VALUES).format(row="entries")
    title_columns, title_values = title_fts or (TITLE_FTS_COLUMNS, TITLE_FTS_VALUES)
    return [
        f"INSERT INTO entries_fts (rowid, {FTS_COLUMNS_0002}) "
        f"SELECT seq, {values} FROM entries WHERE seq >= :first_seq",
        f"INSERT INTO titles_fts (rowid, {title_columns}) "
        f"SELECT seq, {title_values.format(row='entries')} FROM entries "
        "WHERE seq >= :first_seq",
    ]


def _m0003_entry_history(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entry_history (
            id INTEGER PRIMARY KEY,
            entry INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            saved TEXT NOT NULL,
            recorded TEXT NOT NULL,
            snapshot TEXT NOT NULL
        );
        CREATE INDEX entry_history_by_entry ON entry_history (entry, id);
        """
    )


# From version 4 the body column also holds a note's URL (its words: ``arxiv``, ``org``, ``2409``,
# ...) and ``search_url``, what the app derives from the URL when it writes the row (the arXiv id
# without its version, ``arXiv:2409.13373``, see ``papers.arxiv.url_index_text``), so that
# ``search 2409.13373`` and ``search arxiv.org`` find the note whatever version the link names.
FTS_VALUES_0004 = (
    "{row}.title || ' ' || {row}.aliases, "
    "{row}.body || ' ' || coalesce({row}.authors, '') || ' ' || coalesce({row}.who, '') "
    "|| ' ' || coalesce({row}.action_items, '') || ' ' || coalesce({row}.url, '') "
    "|| ' ' || {row}.search_url, "
    "{row}.search_cjk"
)
FTS_VALUES = FTS_VALUES_0004
"""What the index holds for an entry now (``rows`` and ``tests/test_fields.py`` read it)."""


def _m0004_url_in_search(db: sqlite_utils.Database) -> None:
    from notebook_app.core.papers.arxiv import url_index_text

    db.execute("ALTER TABLE entries ADD COLUMN search_url TEXT NOT NULL DEFAULT ''")
    rows = db.execute(
        "SELECT seq, url, title, aliases, body, authors, who, action_items FROM entries"
    ).fetchall()
    # The CJK bigrams now cover the URL too (in rows._SEARCHED's order: it follows the body).
    db.conn.executemany(
        "UPDATE entries SET search_url = ?, search_cjk = ? WHERE seq = ?",
        [
            (url_index_text(url), cjk_index_text(title, aliases, body, url, *rest), seq)
            for seq, url, title, aliases, body, *rest in rows
        ],
    )
    new = FTS_VALUES_0004.format(row="new")
    old = FTS_VALUES_0004.format(row="old")
    # The contentless index cannot re-tokenise rows it was given under the old text: empty it
    # and index every row again (seconds for 100,000 entries, once).
    db.executescript(
        f"""
        DROP TRIGGER entries_fts_delete;
        DROP TRIGGER entries_fts_update;
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts (entries_fts, rowid, {FTS_COLUMNS_0002})
                VALUES ('delete', old.seq, {old});
            INSERT INTO titles_fts (titles_fts, rowid, title)
                VALUES ('delete', old.seq, {TITLE_FTS_VALUES_0002.format(row="old")});
        END;
        CREATE TRIGGER entries_fts_update
        AFTER UPDATE OF title, aliases, body, authors, who, action_items, url, search_url,
            search_cjk ON entries
        BEGIN
            INSERT INTO entries_fts (entries_fts, rowid, {FTS_COLUMNS_0002})
                VALUES ('delete', old.seq, {old});
            INSERT INTO entries_fts (rowid, {FTS_COLUMNS_0002}) VALUES (new.seq, {new});
        END;
        -- The reads of the reading statistics (papers/stats.py), by day and source type: the
        -- chart's GROUP BY reads this index alone (4 ms for a year of 100,000 notes, against
        -- 180 ms through the rows). Its WHERE is the one stats._READS repeats word for word.
        CREATE INDEX entries_reads_by_day ON entries (day, source_type)
            WHERE kind = 'note' AND trashed IS NULL AND coalesce(reading_status, '') <> 'to-read';
        INSERT INTO entries_fts (entries_fts) VALUES ('delete-all');
        INSERT INTO entries_fts (rowid, {FTS_COLUMNS_0002})
            SELECT seq, {FTS_VALUES_0004.format(row="entries")} FROM entries;
        """
    )


def _m0005_review_state(db: sqlite_utils.Database) -> None:
    """Spaced repetition of glossary terms (``core/learning``): a card per reviewed term and a
    log of every rating. A term never reviewed has no card row."""
    db.executescript(
        """
        CREATE TABLE review_cards (
            entry INTEGER PRIMARY KEY REFERENCES entries (seq) ON DELETE CASCADE,
            state TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            -- 1: the learning status was set by hand and wins; 0: it follows review;
            -- NULL: not known yet (see learning.status).
            status_manual INTEGER,
            -- The learning status reviews last gave the term: another one was set by hand.
            auto_status TEXT
        );
        CREATE INDEX review_cards_by_due ON review_cards (due) WHERE suspended = 0;
        CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            entry INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            reviewed TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            interval_seconds REAL NOT NULL,
            due TEXT NOT NULL,
            -- The card row as it was, so the last rating can be undone.
            card_before TEXT,
            -- A rating sent twice (a retry after a crash) is stored once.
            token TEXT UNIQUE
        );
        CREATE INDEX review_log_by_entry ON review_log (entry, id);
        CREATE INDEX review_log_by_time ON review_log (reviewed);
        """
    )


def _m0006_links(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entry_names (
            key TEXT NOT NULL,
            entry INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            alias INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (key, entry)
        ) WITHOUT ROWID;
        CREATE INDEX entry_names_by_entry ON entry_names (entry);

        CREATE TABLE links (
            source INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            length INTEGER NOT NULL,
            embed INTEGER NOT NULL DEFAULT 0,
            target_text TEXT NOT NULL,
            target_key TEXT NOT NULL,
            heading TEXT,
            shown TEXT,
            -- No foreign key: only trashed entries are ever deleted, and a trashed entry is no
            -- link's target (see links.py); a key here would cost an import a look-up a link.
            target INTEGER,
            candidates INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (source, position)
        ) WITHOUT ROWID;
        -- Resolving again the links that name a title or alias that came, went or changed,
        -- and backlinks: the links by one of an entry's names that resolve to it. (One index
        -- for both: each index is a third of what a 10,000-file import pays for its links.)
        CREATE INDEX links_by_key ON links (target_key, target);
        """
    )
    from notebook_app.core.storage.links import LinkStore

    LinkStore(db.conn).rebuild()


def _m0007_vault_files(db: sqlite_utils.Database) -> None:
    """Where an entry lives in a markdown folder: its folder, its file name, the front matter it
    came with (kept verbatim, so export writes it back byte for byte), and the identity record
    of the file it was last imported from or exported to (path, content hash, mtime, and the
    entry's version then: the base a two-way sync compares both sides against)."""
    db.executescript(
        """
        ALTER TABLE entries ADD COLUMN folder TEXT;
        ALTER TABLE entries ADD COLUMN file_name TEXT;
        ALTER TABLE entries ADD COLUMN front_matter TEXT;
        CREATE INDEX entries_by_folder ON entries (folder);
        CREATE TABLE vault_files (
            entry INTEGER PRIMARY KEY REFERENCES entries (seq) ON DELETE CASCADE,
            path TEXT NOT NULL,
            hash TEXT NOT NULL,
            mtime REAL,
            base_version INTEGER NOT NULL
        );
        CREATE INDEX vault_files_by_path ON vault_files (path);
        CREATE INDEX vault_files_by_hash ON vault_files (hash);
        """
    )


def _m0008_attachments(db: sqlite_utils.Database) -> None:
    """Attachments (core/attachments): content-addressed blobs stored once, the vault files that
    hold them, and which entry names which file. Kept in SQLite, not a side folder: the notebook
    stays one file, an import writes notes and files in one transaction, and a backup (the
    online API) or a recover carries them along. Revisions never copy a blob: a revision's text
    names its files as the entry's does."""
    db.executescript(
        """
        CREATE TABLE blobs (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mime TEXT NOT NULL,
            added TEXT NOT NULL,
            -- Last: reading the columns above never walks the data's overflow pages.
            data BLOB NOT NULL
        );
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            blob INTEGER NOT NULL REFERENCES blobs (id),
            mtime REAL,
            added TEXT NOT NULL
        );
        CREATE INDEX attachments_by_blob ON attachments (blob);
        CREATE TABLE attachment_refs (
            entry INTEGER NOT NULL REFERENCES entries (seq) ON DELETE CASCADE,
            target TEXT NOT NULL,
            attachment INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
            PRIMARY KEY (entry, target)
        ) WITHOUT ROWID;
        CREATE INDEX attachment_refs_by_attachment ON attachment_refs (attachment);
        """
    )


def _m0009_sync_root(db: sqlite_utils.Database) -> None:
    """Which folder each vault record is relative to (``root``: the folder's real path), so a
    two-way sync (core/sync) trusts as its base only the records of the folder it syncs: a
    record made by importing another folder is never read as "deleted in this folder". Records
    made before this step have no root (a sync adopts them where path and content agree).

    And ``[[paper.pdf]]``, a link to a file, is an attachment's reference, not a link to an
    entry (``storage/links.link_rows``): the rows earlier steps made for such links go."""
    from notebook_app.core.storage.links import _names_a_file

    db.executescript("ALTER TABLE vault_files ADD COLUMN root TEXT;")
    files = [
        (source, position)
        for source, position, target in db.execute(
            "SELECT source, position, target_text FROM links "
            "WHERE target IS NULL AND target_text LIKE '%.%'"
        ).fetchall()
        if _names_a_file(target)
    ]
    db.conn.executemany("DELETE FROM links WHERE source = ? AND position = ?", files)


def _m0010_attachment_sync(db: sqlite_utils.Database) -> None:
    """Which stored files each synced folder held at its last sync (``root``: the folder's real
    path, as in ``vault_files``): the base that tells a file deleted in the folder (recorded
    there, gone now: its deletion is carried into the notebook) from one the folder never had
    (a pasted image, one imported from elsewhere: written out). Without a record, a file is
    written out, as before this step. ``gone``: deleted in that folder, kept in the notebook
    because a revision or a trashed entry names it (not written back)."""
    db.executescript(
        """
        CREATE TABLE attachment_sync (
            attachment INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
            root TEXT NOT NULL,
            gone INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (attachment, root)
        ) WITHOUT ROWID;
        """
    )


def _m0011_queue_position(db: sqlite_utils.Database) -> None:
    """The user's order of the reading queue (``core/papers/reading_queue``): a note's place
    among the notes to read, whole numbers kept apart so a move writes one row. NULL (every
    note before this step, and each note queued since the last move) comes after the placed
    ones, the oldest first."""
    db.executescript("ALTER TABLE entries ADD COLUMN queue_position INTEGER;")


def _m0012_file_style(db: sqlite_utils.Database) -> None:
    """How a vault entry's file spells its text beyond UTF-8 with "\n" line ends: "crlf"
    (Windows line ends), "bom" (a byte-order mark) or both (``Entry.file_style``), so export and
    sync write such a file back as they found it. NULL (every entry before this step): "\n"
    and no mark, as they were written until then."""
    db.executescript("ALTER TABLE entries ADD COLUMN file_style TEXT;")


# From version 13 the title index has the CJK bigrams of the title and aliases alone
# (``title_cjk``, written by the app with the row, as ``search_cjk``), so that a part of a Korean,
# Chinese or Japanese title is found as it is in the body: ``전도`` finds "초전도체".
TITLE_FTS_COLUMNS_0002 = "title"
TITLE_FTS_COLUMNS_0013 = "title, cjk"
TITLE_FTS_VALUES_0013 = TITLE_FTS_VALUES_0002 + ", {row}.title_cjk"
TITLE_FTS_COLUMNS = TITLE_FTS_COLUMNS_0013
TITLE_FTS_VALUES = TITLE_FTS_VALUES_0013


def _m0013_cjk_titles(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE entries ADD COLUMN title_cjk TEXT NOT NULL DEFAULT ''")
    # The old title trigger does not watch this column: writing it leaves the index alone.
    rows = db.execute("SELECT seq, title, aliases FROM entries").fetchall()
    db.conn.executemany(
        "UPDATE entries SET title_cjk = ? WHERE seq = ?",
        [(text, seq) for seq, *names in rows if (text := cjk_index_text(*names))],
    )
    old_title = TITLE_FTS_VALUES_0013.format(row="old")
    # The title index is small (seconds for 100,000 entries): made again with its new column.
    # The triggers that name it go with it and come back, the body index's part unchanged.
    db.executescript(
        f"""
        DROP TRIGGER entries_fts_delete;
        DROP TRIGGER titles_fts_update;
        DROP TABLE titles_fts;
        CREATE VIRTUAL TABLE titles_fts USING fts5 (
            {TITLE_FTS_COLUMNS_0013},
            content = '',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts (entries_fts, rowid, {FTS_COLUMNS_0002})
                VALUES ('delete', old.seq, {FTS_VALUES_0004.format(row="old")});
            INSERT INTO titles_fts (titles_fts, rowid, {TITLE_FTS_COLUMNS_0013})
                VALUES ('delete', old.seq, {old_title});
        END;
        CREATE TRIGGER titles_fts_update AFTER UPDATE OF title, aliases, title_cjk ON entries
        BEGIN
            INSERT INTO titles_fts (titles_fts, rowid, {TITLE_FTS_COLUMNS_0013})
                VALUES ('delete', old.seq, {old_title});
            INSERT INTO titles_fts (rowid, {TITLE_FTS_COLUMNS_0013})
                VALUES (new.seq, {TITLE_FTS_VALUES_0013.format(row="new")});
        END;
        INSERT INTO titles_fts (rowid, {TITLE_FTS_COLUMNS_0013})
            SELECT seq, {TITLE_FTS_VALUES_0013.format(row="entries")} FROM entries;
        """
    )


def _m0014_file_links(db: sqlite_utils.Database) -> None:
    """Markdown links to notes' files (``[x](Other.md)``, ``core/links/file_links.py``) join the
    link table, and each entry imported from a file bears its vault path as a name they resolve
    by (no table changes: rows are added, those stored before are kept)."""
    from notebook_app.core.storage.links import LinkStore

    LinkStore(db.conn).add_file_links()


# The schema's steps, in order. Never edit a shipped step: append a new one.
STEPS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_entries_and_tags", _m0001_entries_and_tags),
    ("0002_full_text_search", _m0002_full_text_search),
    ("0003_entry_history", _m0003_entry_history),
    ("0004_url_in_search", _m0004_url_in_search),
    ("0005_review_state", _m0005_review_state),
    ("0006_links", _m0006_links),
    ("0007_vault_files", _m0007_vault_files),
    ("0008_attachments", _m0008_attachments),
    ("0009_sync_root", _m0009_sync_root),
    ("0010_attachment_sync", _m0010_attachment_sync),
    ("0011_queue_position", _m0011_queue_position),
    ("0012_file_style", _m0012_file_style),
    ("0013_cjk_titles", _m0013_cjk_titles),
    ("0014_file_links", _m0014_file_links),
]


def migration_names() -> list[str]:
    return [name for name, _step in STEPS]


@functools.cache
def registry() -> Migrations:
    """The steps registered with sqlite-utils' ``Migrations``, which applies and records them."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, step in STEPS:
        migrations(name=name)(step)
    return migrations


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The names of the applied migrations, in the order they were applied."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone():
        return []
    return [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def apply(conn: sqlite3.Connection, *, stop_before: str | None = None) -> None:
    """Apply the pending migrations (each in a savepoint of the caller's transaction, if any)."""
    import sqlite_utils

    # No plugins: see database.connect.
    registry().apply(sqlite_utils.Database(conn, execute_plugins=False), stop_before=stop_before)


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of the newest applied migration (0 for an empty database)."""
    names = applied_names(conn)
    return max(int(name.split("_", 1)[0]) for name in names) if names else 0
