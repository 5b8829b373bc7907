"""Tag storage: case-insensitive names, nesting with ``/``, counts, rename and merge.

A tag row is created the first time an entry uses it, spelled as first written; later
spellings that differ only in case reuse that row. Tags no entry uses any more are removed.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence

from notebook_app.core.errors import NotebookError


@dataclasses.dataclass(frozen=True, slots=True)
class TagCount:
    """A tag with how many live entries carry it, directly and with nested tags included."""

    name: str
    count: int
    total: int

    @property
    def parent(self) -> str | None:
        return self.name.rsplit("/", 1)[0] if "/" in self.name else None

    @property
    def leaf(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclasses.dataclass(frozen=True, slots=True)
class TagRename:
    """What a rename did, spelled as stored (``a b`` is stored as ``a-b``; a merge keeps the
    existing tag's spelling), so that a report says what the notebook now holds."""

    old: str
    new: str
    entries: int  # entries whose tags changed
    merged: bool  # ``new`` (or a tag nested under it) existed already


class TagStore:
    """The ``tags`` and ``entry_tags`` tables. Callers hold the transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _tag_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row is not None:
            return int(row[0])
        cursor = self.conn.execute("INSERT INTO tags (name) VALUES (?)", [name])
        return int(cursor.lastrowid or 0)

    def set_entry_tags(self, entry_seq: int, tags: Sequence[str]) -> None:
        old_ids = [
            row[0]
            for row in self.conn.execute(
                "SELECT tag FROM entry_tags WHERE entry = ? ORDER BY position", [entry_seq]
            )
        ]
        new_ids = list(dict.fromkeys(self._tag_id(tag) for tag in tags))
        if old_ids == new_ids:
            return
        self.conn.execute("DELETE FROM entry_tags WHERE entry = ?", [entry_seq])
        self.conn.executemany(
            "INSERT INTO entry_tags (entry, tag, position) VALUES (?, ?, ?)",
            [(entry_seq, tag_id, position) for position, tag_id in enumerate(new_ids)],
        )
        # Only the tags this entry dropped can have become unused: checking just those keeps
        # a bulk import from rescanning every tag for every entry.
        dropped = set(old_ids) - set(new_ids)
        if dropped:
            self.conn.executemany(
                "DELETE FROM tags WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM entry_tags WHERE tag = ?)",
                [(tag_id, tag_id) for tag_id in dropped],
            )

    def add_to_new_entries(self, entry_tags: Sequence[tuple[int, Sequence[str]]]) -> None:
        """Tag freshly inserted entries in bulk (a 100,000-entry import calls this once)."""
        known: dict[str, int] = {}
        rows = []
        for entry_seq, tags in entry_tags:
            for position, tag in enumerate(tags):
                key = tag.casefold()
                if key not in known:
                    known[key] = self._tag_id(tag)
                rows.append((entry_seq, known[key], position))
        self.conn.executemany(
            "INSERT OR IGNORE INTO entry_tags (entry, tag, position) VALUES (?, ?, ?)", rows
        )

    def delete_unused(self) -> None:
        self.conn.execute(
            "DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM entry_tags WHERE tag = tags.id)"
        )

    def of_entries(self, entry_seqs: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """The tags of each entry, in the order they were given."""
        seqs = list(entry_seqs)
        if not seqs:
            return {}
        result: dict[int, list[str]] = {}
        # SQLite caps bound parameters; pages are small, but export reads in batches of 500.
        for start in range(0, len(seqs), 900):
            chunk = seqs[start : start + 900]
            placeholders = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT et.entry, t.name FROM entry_tags et JOIN tags t ON t.id = et.tag "
                f"WHERE et.entry IN ({placeholders}) ORDER BY et.entry, et.position",
                chunk,
            )
            for seq, name in rows:
                result.setdefault(seq, []).append(name)
        return {seq: tuple(names) for seq, names in result.items()}

    def counts(self) -> list[TagCount]:
        """Every tag in use by a live entry, sorted by name, with direct and nested counts.

        Parents that exist only through nesting (``ml`` when only ``ml/rl`` is used) are
        listed too, with a direct count of 0, so a tag tree can be drawn from this alone.
        The counting is SQLite's: the window asks for this at start and after tag changes,
        and reading every (tag, entry) pair into Python took over a second at 100,000 entries.
        """
        # "NOT IN trashed" rather than a join on entries: the trash is small, and the join
        # looked up every entry of every tag (ten times slower).
        live = "et.entry NOT IN (SELECT seq FROM entries WHERE trashed IS NOT NULL)"
        rows = self.conn.execute(
            f"SELECT t.id, t.name, count(*) FROM entry_tags et JOIN tags t ON t.id = et.tag "
            f"WHERE {live} GROUP BY t.id"
        ).fetchall()
        direct: dict[str, int] = {}
        spelled: dict[str, str] = {}
        subtree: dict[str, list[int]] = {}  # every key (tag or implicit parent): its tag ids
        for tag_id, name, count in rows:
            key = name.casefold()
            direct[key] = count
            spelled[key] = name
            parts = key.split("/")
            for depth in range(1, len(parts) + 1):
                subtree.setdefault("/".join(parts[:depth]), []).append(tag_id)
        totals: dict[str, int] = {}
        for key, tag_ids in subtree.items():
            if len(tag_ids) == 1 and key in direct:
                totals[key] = direct[key]  # a leaf: nothing nested to add
                continue
            # An entry carrying both ml and ml/rl counts once under ml.
            placeholders = ", ".join("?" * len(tag_ids))
            totals[key] = self.conn.execute(
                f"SELECT count(DISTINCT et.entry) FROM entry_tags et "
                f"WHERE et.tag IN ({placeholders}) AND {live}",
                tag_ids,
            ).fetchone()[0]
            if key not in spelled:
                # An implicit parent: spell it as its first child does.
                child = next(v for k, v in spelled.items() if k.startswith(key + "/"))
                spelled[key] = child[: len(key)]
        return sorted(
            (TagCount(spelled[key], direct.get(key, 0), totals[key]) for key in subtree),
            key=lambda tag: tag.name.casefold(),
        )

    def _spelling(self, name: str) -> str | None:
        """``name`` as stored (tags compare without case), or None if no tag has it."""
        row = self.conn.execute("SELECT name FROM tags WHERE name = ?", [name]).fetchone()
        if row is not None:
            return str(row[0])
        row = self.conn.execute(
            "SELECT name FROM tags WHERE name LIKE ? ESCAPE '\\' LIMIT 1", [_like_prefix(name)]
        ).fetchone()
        return None if row is None else str(row[0])[: len(name)]

    def rename(self, old: str, new: str) -> TagRename:
        """Rename ``old`` and its nested tags to sit under ``new``.

        Refuses a tag no entry carries (a typo must not report success).
        """
        rows = self.conn.execute(
            "SELECT id, name FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
            [old, _like_prefix(old)],
        ).fetchall()
        if not rows:
            raise NotebookError(f"no tag {old!r} (notebook-app tags lists them)")
        if new.casefold().startswith(old.casefold() + "/"):
            # Renaming ml to ml/old would rename the nested tags again, one inside the other.
            raise NotebookError(f"cannot move tag {old!r} under itself ({new!r})")
        old_spelling = self._spelling(old) or old
        merged = False
        changed: set[int] = set()
        for tag_id, name in rows:
            target_name = new + name[len(old) :]
            target = self.conn.execute(
                "SELECT id FROM tags WHERE name = ?", [target_name]
            ).fetchone()
            entries = [
                row[0]
                for row in self.conn.execute("SELECT entry FROM entry_tags WHERE tag = ?", [tag_id])
            ]
            changed.update(entries)
            if target is None or target[0] == tag_id:
                # A plain rename (or a change of case only).
                self.conn.execute("UPDATE tags SET name = ? WHERE id = ?", [target_name, tag_id])
                continue
            # A merge: move the entries over, keeping each entry's tag position.
            merged = True
            self.conn.execute(
                "INSERT OR IGNORE INTO entry_tags (entry, tag, position) "
                "SELECT entry, ?, position FROM entry_tags WHERE tag = ?",
                [target[0], tag_id],
            )
            self.conn.execute("DELETE FROM entry_tags WHERE tag = ?", [tag_id])
        if changed:
            # Tag changes are edits: editors holding these entries must reload.
            self.conn.execute(
                f"UPDATE entries SET version = version + 1 "
                f"WHERE seq IN ({', '.join('?' * len(changed))})",
                sorted(changed),
            )
        self.delete_unused()
        return TagRename(old_spelling, self._spelling(new) or new, len(changed), merged)


def _like_prefix(name: str) -> str:
    """A LIKE pattern for the tags nested under ``name``."""
    return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
