"""The search query language: parse what a user types into words and filters.

    plain words          all must match             attention heads
    "exact phrase"       the words in this order    "sparse autoencoder"
    prefix*              any word starting so       interp*
    -word, -"phrase"     must not match             -survey
    a OR b               either (binds the words    sae OR "sparse autoencoder"
                         on its two sides)
    tag:ml               tagged ml or ml/...        tag:ml/interpretability
    -tag:ml              not tagged so
    folder:projects      in a vault folder or one    folder:projects/2024
                         under it (-folder: not)
    kind:term            note, term or meeting      kind:meeting
    type:paper           a note's source type       type:video
    status:learning      reading or learning status status:to-read
    before:2024-06-01    day strictly before        before:2024, before:2024-06
    after:2024-06-01     day on or after            after:2024-05

Words are matched case-insensitively and without accents; Korean, Chinese and Japanese words
also match inside longer words (see ``index_text``). A ``key:value`` whose key is not a filter
is an ordinary word, so pasting ``https://arxiv.org/...`` searches for it rather than failing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from notebook_app.core.errors import InvalidEntryError, QueryError
from notebook_app.core.model.entry import (
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
    normalize_tag,
    parse_kind,
    parse_source_type,
    parse_status,
)
from notebook_app.core.search.index_text import has_cjk, word_match_expression

FILTER_KEYS = ("tag", "kind", "type", "status", "before", "after", "folder")


@dataclasses.dataclass(frozen=True, slots=True)
class Term:
    """One thing to match in the text: a word, a prefix or a phrase."""

    text: str
    prefix: bool = False
    phrase: bool = False

    def fts(self) -> str:
        return word_match_expression(self.text, prefix=self.prefix)

    @property
    def needs_positions(self) -> bool:
        return self.phrase or has_cjk(self.text) or len(re.findall(r"\w+", self.text)) > 1


@dataclasses.dataclass(slots=True)
class ParsedQuery:
    # Each group is an OR of terms; the groups are ANDed.
    groups: list[list[Term]] = dataclasses.field(default_factory=list)
    excluded: list[Term] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    excluded_tags: list[str] = dataclasses.field(default_factory=list)
    folders: list[str] = dataclasses.field(default_factory=list)
    excluded_folders: list[str] = dataclasses.field(default_factory=list)
    kinds: set[Kind] = dataclasses.field(default_factory=set)
    source_types: set[SourceType] = dataclasses.field(default_factory=set)
    statuses: set[ReadingStatus | LearningStatus] = dataclasses.field(default_factory=set)
    before: dt.date | None = None
    after: dt.date | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    @property
    def has_phrase(self) -> bool:
        """Whether matching needs word positions (phrases, hyphenated words, CJK bigrams)."""
        return any(term.needs_positions for term in self.positive_terms)

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def match_expression(self) -> str | None:
        """The FTS5 MATCH expression for the positive groups (None when there are none)."""
        if not self.groups:
            return None
        parts = []
        for group in self.groups:
            if len(group) == 1:
                parts.append(group[0].fts())
            else:
                parts.append("(" + " OR ".join(term.fts() for term in group) + ")")
        return " AND ".join(parts)

    def exclusion_expression(self) -> str | None:
        if not self.excluded:
            return None
        return " OR ".join(term.fts() for term in self.excluded)


# A token: optional "-", then either key:"quoted value", a "quoted phrase", or a bare run.
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):"(?P<kval>[^"]*)"?|"(?P<phrase>[^"]*)"?|(?P<bare>\S+))'
)


def parse_query(text: str) -> ParsedQuery:
    """Parse the query language; raises QueryError naming the part it cannot use."""
    query = ParsedQuery()
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated = match.group("neg") is not None
        key, value = _split_filter(match)
        if key is not None:
            _apply_filter(query, key, value, negated, match.group(0))
            pending_or = False
            continue
        if match.group("phrase") is not None:
            words = match.group("phrase").strip()
            if not words:
                continue
            term = Term(words, phrase=True)
        else:
            bare = match.group("bare")
            if bare == "OR" and not negated:
                pending_or = bool(query.groups)
                continue
            bare_term = _bare_term(bare)
            if bare_term is None:
                continue
            term = bare_term
        if negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    return query


def _split_filter(match: re.Match[str]) -> tuple[str | None, str]:
    if match.group("key") is not None:
        key = match.group("key").lower()
        return (key, match.group("kval")) if key in FILTER_KEYS else (None, "")
    bare = match.group("bare")
    if bare and ":" in bare:
        key, _, value = bare.partition(":")
        if key.lower() in FILTER_KEYS:
            return key.lower(), value
    return None, ""


def _bare_term(bare: str) -> Term | None:
    prefix = bare.endswith("*")
    word = bare.rstrip("*")
    # Words are matched token by token: strip the punctuation that is never part of one.
    word = word.strip("()[]{}.,;!?\"'`")
    if not re.search(r"\w", word):
        return None
    return Term(word, prefix=prefix)


def _apply_filter(query: ParsedQuery, key: str, value: str, negated: bool, token: str) -> None:
    value = value.strip()
    if not value:
        raise QueryError(f"{token!r}: the filter {key}: needs a value")
    if negated and key not in ("tag", "folder"):
        raise QueryError(f"{token!r}: only tag: and folder: filters can be negated")
    try:
        if key == "tag":
            (query.excluded_tags if negated else query.tags).append(normalize_tag(value))
        elif key == "folder":
            folder = value.strip("/")
            (query.excluded_folders if negated else query.folders).append(folder)
        elif key == "kind":
            query.kinds.add(parse_kind(value))
        elif key == "type":
            query.source_types.add(parse_source_type(value))
        elif key == "status":
            query.statuses.add(parse_status(value))
        elif key == "before":
            query.before = parse_partial_date(value, token)
        elif key == "after":
            query.after = parse_partial_date(value, token)
    except InvalidEntryError as error:
        raise QueryError(f"{token!r}: {error}") from None


def parse_partial_date(value: str, token: str = "") -> dt.date:
    """``2024``, ``2024-06`` or ``2024-06-01``: the first day of that year, month or day."""
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 1, 1)
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"{token or value!r}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None
