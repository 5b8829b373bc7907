"""The notebook's questions about links and names: backlinks, unlinked mentions, turning a
mention into a link, updating links on a rename, the glossary terms an entry uses and the notes
using a term, and candidate jargon. Mixed into :class:`Notebook` (its own module keeps
notebook.py to entries, history and tags); the link table itself is kept by ``links.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import NotebookError, StaleEntryError
from notebook_app.core.links.file_links import path_key
from notebook_app.core.links.results import (
    Backlink,
    JargonCandidate,
    LinkedEntry,
    LinkRename,
    LinkTarget,
    Mention,
    Passage,
    TermUse,
)
from notebook_app.core.links.text import sentence_around
from notebook_app.core.links.wikilinks import apply_edits, link_text, name_key, retargeted
from notebook_app.core.model.entry import Entry, Kind, format_timestamp, parse_timestamp
from notebook_app.core.search.index_text import word_match_expression
from notebook_app.core.storage.links import BEARER_ORDER, LinkStore, aliases_from_json

if TYPE_CHECKING:
    from notebook_app.core.links.terms import NameMatcher
    from notebook_app.core.storage.tags import TagStore

# Unlinked mentions and notes using a term read the full-text index's candidates newest first,
# this many at a time, and stop after MENTION_SCAN_LIMIT of them: a title that is a common word
# ("Attention") has tens of thousands, and the panel shows the newest.
MENTION_BATCH = 200
MENTION_SCAN_LIMIT = 4000

_LINKED_COLUMNS = "e.seq, e.id, e.kind, e.title, e.created, e.updated, e.version"


class LinkQueries:
    """Notebook methods about links (see the module's doc); ``Notebook`` provides the rest."""

    conn: sqlite3.Connection
    links: LinkStore
    tags: TagStore
    _glossary_cache: tuple[tuple[Any, ...], NameMatcher, dict[int, tuple[Any, ...]]] | None = None
    _glossary_seen: tuple[int, int] | None = None
    _glossary_entries: tuple[dict[int, tuple[Any, ...]], dict[int, LinkedEntry]] | None = None

    if TYPE_CHECKING:

        def get(self, entry_id: str) -> Entry: ...
        def update(
            self, entry_id: str, base_version: int, *, checkpoint: bool = False, **changes: Any
        ) -> Entry: ...
        def transaction(self) -> Any: ...
        def _seq_of(self, entry_id: str) -> int: ...

    # --- links ----------------------------------------------------------------------------------

    def _linked_entries(self, rows: list[Any]) -> dict[int, LinkedEntry]:
        """LinkedEntry by seq for rows starting with ``_LINKED_COLUMNS``."""
        tags = self.tags.of_entries([row[0] for row in rows])
        return {
            row[0]: LinkedEntry(
                id=row[1], kind=Kind(row[2]), title=row[3], tags=tuple(tags.get(row[0], ())),
                created=parse_timestamp(row[4]), updated=parse_timestamp(row[5]), version=row[6],
            )
            for row in rows
        }  # fmt: skip

    def backlinks(self, entry_id: str, *, limit: int | None = 200) -> list[Backlink]:
        """The links in live entries that resolve to ``entry_id``, each with its sentence; the
        most recently updated sources first (an entry's links to itself left out)."""
        seq = self._seq_of(entry_id)
        rows = self.conn.execute(
            f"SELECT {_LINKED_COLUMNS}, e.body, l.position, l.length, l.heading, l.shown, "
            "l.embed, l.candidates FROM entry_names AS n "
            "JOIN links AS l ON l.target_key = n.key AND l.target = n.entry "
            "JOIN entries AS e ON e.seq = l.source "
            "WHERE n.entry = ? AND l.source != ? AND e.trashed IS NULL "
            "ORDER BY e.updated DESC, e.seq DESC, l.position LIMIT ?",
            [seq, seq, -1 if limit is None else limit],
        ).fetchall()
        sources = self._linked_entries(rows)
        found = []
        for row in rows:
            body, position, length, heading, shown, embed, candidates = row[7:]
            found.append(
                Backlink(
                    source=sources[row[0]],
                    passage=_passage(body, position, position + length),
                    heading=heading,
                    shown=shown,
                    embed=bool(embed),
                    ambiguous=candidates > 1,
                )
            )
        return found

    def resolve_names(self, names: Iterable[str]) -> dict[str, LinkTarget]:
        """What each link name resolves to now, by :func:`name_key` (for a preview of text not
        saved yet; the rules are ``links.py``'s)."""
        return self._resolve_keys(sorted({name_key(name) for name in names} - {""}))

    def resolve_paths(self, paths: Iterable[str]) -> dict[str, LinkTarget]:
        """What a Markdown link to each vault path (``ideas/Other.md``) resolves to now, by
        :func:`path_key` (``core/links/file_links.py``)."""
        return self._resolve_keys(sorted({path_key(path) for path in paths if path}))

    def _resolve_keys(self, keys: list[str]) -> dict[str, LinkTarget]:
        resolved: dict[str, LinkTarget] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            rows = self.conn.execute(
                "SELECT n.key, e.id, e.title FROM entry_names AS n JOIN entries AS e "
                "ON e.seq = n.entry WHERE e.trashed IS NULL AND n.key IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY n.key, {BEARER_ORDER}",
                chunk,
            ).fetchall()
            for key, entry_id, title in rows:
                if key in resolved:
                    first = resolved[key]
                    resolved[key] = LinkTarget(
                        key, first.entry_id, first.title, first.candidates + 1
                    )
                else:
                    resolved[key] = LinkTarget(key, entry_id, title, 1)
        for key in keys:
            resolved.setdefault(key, LinkTarget(key, None, None, 0))
        return resolved

    def name_bearers(self, name: str) -> list[LinkedEntry]:
        """The live entries a link name may mean, in the order links resolve (title before
        alias, then the oldest): the choice offered when a link is ambiguous."""
        rows = self.conn.execute(
            f"SELECT {_LINKED_COLUMNS} FROM entry_names AS n JOIN entries AS e ON e.seq = n.entry "
            f"WHERE n.key = ? AND e.trashed IS NULL ORDER BY {BEARER_ORDER}",
            [name_key(name)],
        ).fetchall()
        entries = self._linked_entries(rows)
        return list(dict.fromkeys(entries[row[0]] for row in rows))

    def link_rename(self, entry_id: str, old_titles: Iterable[str], new_title: str) -> LinkRename:
        """What :meth:`rename_links` would change (a read: the count a window offers first)."""
        entry = self.get(entry_id)
        keys, olds = self._renamed_keys(entry, old_titles)
        name = self._renamed_name(entry, new_title)
        sources: list[tuple[str, int]] = []
        if keys:
            sources = self.conn.execute(
                "SELECT e.id, count(*) FROM links AS l JOIN entries AS e ON e.seq = l.source "
                f"WHERE l.target_key IN ({', '.join('?' * len(keys))}) AND e.trashed IS NULL "
                "GROUP BY e.seq ORDER BY e.seq",
                sorted(keys),
            ).fetchall()
        return LinkRename(
            entry_id, olds, new_title, name, tuple((source, count) for source, count in sources)
        )

    def rename_links(
        self,
        entry_id: str,
        old_title: str | Iterable[str],
        new_title: str,
        *,
        exclude: Collection[str] = (),
    ) -> list[str]:
        """Point the links naming ``old_title`` (one title or several the entry had) at
        ``new_title``, which the entry must bear now (it was renamed first), in every live
        entry but those in ``exclude`` (a window's open entry, whose links the window rewrites
        in its editor so that nothing typed there is overwritten).

        Only the links that were the entry's are changed (see :meth:`_renamed_keys`); each
        keeps its heading, shown text and ``!``; links via an alias and text in code are left.
        Should another, older entry bear ``new_title`` too, the links name an alias that leads
        only to this entry, or :class:`NotebookError` and nothing changes. One transaction;
        each changed entry is saved once, keeping its previous text as a revision in its
        history. Returns the ids of the entries changed.
        """
        olds = [old_title] if isinstance(old_title, str) else list(old_title)
        changed: list[str] = []
        with self.transaction():
            plan = self.link_rename(entry_id, olds, new_title)
            keys = {name_key(title) for title in plan.old_titles}
            sources = [source for source, _ in plan.sources if source not in exclude]
            if not sources:
                return []
            if plan.name is None:
                raise NotebookError(
                    f"another, older entry is also called {new_title!r}: the links would lead "
                    "there (give this entry an alias, or another title)"
                )
            for source_id in sources:
                current = self.get(source_id)
                body = apply_edits(current.body, retargeted(current.body, keys, plan.name))
                if body != current.body:
                    self.update(source_id, current.version, checkpoint=True, body=body)
                    changed.append(source_id)
        return changed

    def _renamed_keys(
        self, entry: Entry, old_titles: Iterable[str]
    ) -> tuple[set[str], tuple[str, ...]]:
        """The keys (and titles) among ``old_titles`` whose links were the entry's.

        An old title is one the entry bore until its rename, so a link naming it resolved to
        the entry then unless another entry came first (see ``links.py``: a title before an
        alias, then the oldest). The entry would still come first where a link naming it now
        resolves to nothing, or to an entry it precedes: a younger namesake, or an entry that
        bears the name as an alias. Titles the entry still bears (a change of case only, an
        alias) are left out: their links lead to it already. A trashed entry has no links.
        """
        if entry.trashed is not None:
            return set(), ()
        current = {name_key(name) for name in [entry.title, *entry.aliases]}
        seq = self._seq_of(entry.id)
        created = format_timestamp(entry.created)  # as the column holds it
        keys: set[str] = set()
        titles: list[str] = []
        for title in old_titles:
            key = name_key(title)
            if not key or key in current or key in keys:
                continue
            first = self.conn.execute(
                "SELECT n.alias, e.created, e.seq FROM entry_names AS n "
                "JOIN entries AS e ON e.seq = n.entry WHERE n.key = ? AND e.trashed IS NULL "
                f"ORDER BY {BEARER_ORDER} LIMIT 1",
                [key],
            ).fetchone()
            if first is None or (0, created, seq) < tuple(first):
                keys.add(key)
                titles.append(title)
        return keys, tuple(titles)

    def _renamed_name(self, entry: Entry, new_title: str) -> str | None:
        """The name renamed links are written with: ``new_title``, which must be one of the
        entry's names, if it leads to the entry; else an alias of the entry that does."""
        if not new_title.strip():
            raise NotebookError("the new title is empty")
        names = [entry.title, *entry.aliases]
        if name_key(new_title) not in {name_key(name) for name in names}:
            raise NotebookError(
                f"entry {entry.id} is called {entry.title!r} now, not {new_title!r}"
            )
        resolved = self.resolve_names([new_title, *names])
        return next(
            (n for n in [new_title, *entry.aliases] if resolved[name_key(n)].entry_id == entry.id),
            None,
        )

    # --- mentions -------------------------------------------------------------------------------

    def _candidates(self, names: list[str], skip: int) -> Iterator[list[Any]]:
        """Live entries whose indexed text holds one of ``names``, newest first, in batches."""
        match = " OR ".join(f"({word_match_expression(name)})" for name in names)
        last = None
        scanned = 0
        while scanned < MENTION_SCAN_LIMIT:
            bound = "" if last is None else "AND rowid < ?"
            params: list[Any] = [match] + ([] if last is None else [last]) + [MENTION_BATCH]
            seqs = [row[0] for row in self.conn.execute(
                f"SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? {bound} "
                "ORDER BY rowid DESC LIMIT ?", params,
            )]  # fmt: skip
            if not seqs:
                return
            scanned += len(seqs)
            last = seqs[-1]
            rows = self.conn.execute(
                f"SELECT {_LINKED_COLUMNS}, e.body FROM entries AS e WHERE e.seq IN "
                f"({', '.join('?' * len(seqs))}) AND e.trashed IS NULL AND e.seq != ? "
                "ORDER BY e.seq DESC",
                [*seqs, skip],
            ).fetchall()
            if rows:
                yield rows
            if len(seqs) < MENTION_BATCH:
                return

    def _find_in_candidates(
        self, entry: Entry, *, skip_links: bool, first_only: bool, limit: int | None
    ) -> list[Mention]:
        from notebook_app.core.links.terms import NameMatcher  # loaded on first use, not at start

        names = _names(entry)
        if not names:
            return []
        matcher = NameMatcher((0, name) for name in names)
        found: list[Mention] = []
        for rows in self._candidates(names, self._seq_of(entry.id)):
            hits = []
            for row in rows:
                body = row[7]
                for place in matcher.find(body, skip_links=skip_links):
                    hits.append((row, place))
                    if first_only:
                        break
            sources = self._linked_entries([row for row, _ in hits])
            for row, place in hits:
                body = row[7]
                found.append(
                    Mention(
                        source=sources[row[0]],
                        passage=_passage(body, place.start, place.end),
                        name=place.name,
                        text=body[place.start : place.end],
                    )
                )
                if limit is not None and len(found) >= limit:
                    return found
        return found

    def unlinked_mentions(self, entry_id: str, *, limit: int | None = 50) -> list[Mention]:
        """Places in other live entries' bodies that name ``entry_id`` (its title or an alias, as
        a whole phrase; the case rule is ``links/text.py``'s) without linking it: not inside a
        ``[[link]]``, code or a URL. Newest entries first; candidates come from the full-text
        index (at most ``MENTION_SCAN_LIMIT`` of them are read)."""
        entry = self.get(entry_id)
        return self._find_in_candidates(entry, skip_links=True, first_only=False, limit=limit)

    def link_mention(
        self, source_id: str, offset: int, target_id: str, *, base_version: int
    ) -> Entry:
        """Turn the mention of ``target_id`` at ``offset`` in ``source_id``'s body into a link.

        ``base_version`` is the source's version the mention was found in: if it has been saved
        since, :class:`StaleEntryError` and nothing changes (as :meth:`Notebook.update`). The
        link is ``[[Title]]`` when the text is the title as written, else ``[[Title|text]]``,
        so the sentence reads the same (a line break inside the mention becomes a space); when
        another, older entry bears the same title, an alias that names only the target is used
        instead, if it has one.
        """
        with self.transaction():
            source = self.get(source_id)
            if source.version != base_version:
                raise StaleEntryError(
                    f"entry {source_id} was changed elsewhere (now version {source.version}, "
                    f"the mention was found in version {base_version}); look again"
                )
            target = self.get(target_id)
            if target.trashed is not None:
                raise NotebookError(f"entry {target_id} is in the trash")
            mention = _mention_at(source.body, offset, _names(target))
            if mention is None:
                raise NotebookError(
                    f"no unlinked mention of {target.title!r} at offset {offset} in {source_id}"
                )
            end, text = mention
            link = self._link_to(target, text)
            body = source.body[:offset] + link + source.body[end:]
            return self.update(source_id, base_version, body=body)

    def _link_to(self, target: Entry, text: str) -> str:
        """The link to ``target`` showing ``text``, by a name that resolves to it."""
        names = [target.title, *target.aliases]
        resolved = self.resolve_names(names)
        name = next((n for n in names if resolved[name_key(n)].entry_id == target.id), None)
        name = target.title if name is None else name
        text = " ".join(text.split())
        return link_text(name, shown=None if text == name else text)

    # --- glossary terms -------------------------------------------------------------------------

    def _glossary(self) -> tuple[NameMatcher, dict[int, tuple[Any, ...]]]:
        """The matcher of every live term's names, built once per glossary version."""
        from notebook_app.core.links.terms import NameMatcher  # loaded on first use, not at start

        seen = (
            int(self.conn.execute("PRAGMA data_version").fetchone()[0]),
            self.conn.total_changes,
        )
        cache = self._glossary_cache
        if cache is not None and seen == self._glossary_seen:
            return cache[1], cache[2]
        signature = tuple(self.conn.execute(
            "SELECT count(*), total(version), max(seq), max(updated) FROM entries "
            "WHERE kind = 'term' AND trashed IS NULL"
        ).fetchone())  # fmt: skip
        if cache is None or cache[0] != signature:
            rows = self.conn.execute(
                f"SELECT {_LINKED_COLUMNS.replace('e.', '')}, aliases FROM entries "
                "WHERE kind = 'term' AND trashed IS NULL"
            ).fetchall()
            names: list[tuple[int, str]] = []
            for row in rows:
                names.append((row[0], row[3]))
                names.extend((row[0], alias) for alias in aliases_from_json(row[7]))
            cache = (signature, NameMatcher(names), {row[0]: row[:7] for row in rows})
            self._glossary_cache = cache
        self._glossary_seen = seen
        return cache[1], cache[2]

    def terms_in_text(self, text: str, *, skip_id: str | None = None) -> list[TermUse]:
        """The glossary terms ``text`` mentions (title or alias, as whole phrases, outside
        code), each once at its first place, in order (for a preview of text not saved yet)."""
        matcher, terms = self._glossary()
        skip = None
        if skip_id is not None:
            skip = next((seq for seq, row in terms.items() if row[1] == skip_id), None)
        uses = matcher.first_uses(text, skip_owner=skip)
        # The terms as listed are kept with the matcher (one glossary version): a preview asks
        # on every pause in typing, and reading their tags each time was a tenth of its cost.
        known = self._glossary_entries
        if known is None or known[0] is not terms:
            known = self._glossary_entries = (terms, {})
        wanted = [terms[use.owner] for use in uses if use.owner not in known[1]]
        if wanted:
            known[1].update(self._linked_entries(wanted))
        linked = known[1]
        return [
            TermUse(term=linked[use.owner], name=use.name, offset=use.start,
                    length=use.end - use.start, text=text[use.start : use.end])
            for use in uses
        ]  # fmt: skip

    def terms_used(self, entry_id: str) -> list[TermUse]:
        """The glossary terms the entry's body mentions (not the entry itself, if a term)."""
        entry = self.get(entry_id)
        return self.terms_in_text(entry.body, skip_id=entry.id)

    def notes_using(self, term_id: str, *, limit: int | None = 100) -> list[Mention]:
        """Live entries whose body uses the term (its title or an alias, linked or not), newest
        first, each with its first use."""
        term = self.get(term_id)
        return self._find_in_candidates(term, skip_links=False, first_only=True, limit=limit)

    def undefined_terms(
        self, *, limit: int | None = 50, min_entries: int = 2
    ) -> list[JargonCandidate]:
        """Candidate jargon the glossary lacks (``links/jargon.py`` says how it decides)."""
        from notebook_app.core.links.jargon import jargon_candidates  # loaded on first use

        rows = self.conn.execute(
            "SELECT seq, id, body FROM entries WHERE trashed IS NULL AND body != ''"
        ).fetchall()
        ids = {row[0]: row[1] for row in rows}
        known = [row[0] for row in self.conn.execute("SELECT key FROM entry_names")]
        found = jargon_candidates(
            ((row[0], row[2]) for row in rows), known, min_entries=min_entries, limit=limit
        )
        return [
            JargonCandidate(phrase, entries, uses, tuple(ids[seq] for seq in examples))
            for phrase, entries, uses, examples in found
        ]


def _names(entry: Entry) -> list[str]:
    names = [entry.title, *entry.aliases]
    return [name for name in dict.fromkeys(" ".join(n.split()) for n in names) if name]


def _passage(body: str, start: int, end: int) -> Passage:
    sentence, begin, finish = sentence_around(body, start, end)
    return Passage(offset=start, length=end - start, sentence=sentence, highlight=(begin, finish))


def _mention_at(body: str, offset: int, names: list[str]) -> tuple[int, str] | None:
    """(end, text) of the longest unlinked mention of one of ``names`` starting at ``offset``."""
    from notebook_app.core.links.terms import NameMatcher  # loaded on first use, not at start

    matcher = NameMatcher((0, name) for name in names)
    for place in matcher.find(body, skip_links=True):
        if place.start == offset:
            return place.end, body[place.start : place.end]
        if place.start > offset:
            break
    return None
