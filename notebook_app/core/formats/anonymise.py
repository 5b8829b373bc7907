"""Anonymised exports: the people in a notebook become "Person A", "Person B", ... throughout.

Who counts as a person:

* every name in a meeting's "who" field, split on commas, semicolons, ``&``, ``/`` and
  ``and`` ("Alice Smith, Bob and an eval researcher" is three people);
* every name given with ``--anonymise-name`` (or ``extra_names``), for people who appear only
  in text;
* the words of a capitalised full name ("Alice", "Smith" of "Alice Smith") stand for that
  person too, unless two people share the word: then it becomes "someone".

Each person keeps one letter across the whole export, in order of first appearance (meetings in
the order the caller learns them, then the extra names). Every text field of every entry is
rewritten (titles, bodies, who, action items, authors, aliases, tags): a name written in a note
about a meeting is as private as the meeting. Full names match whatever their case ("an eval
researcher" in "An Eval Researcher said"); the words of a full name match as written, so that
"Will Smith" does not turn "we will" into "we Person A". In scripts written without spaces
(Korean, Chinese, Japanese, Thai) a name matches inside a longer word too, as particles attach
to names there ("김철수는"). URLs are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable

from notebook_app.core.model.entry import Entry, Kind

_SEPARATORS = re.compile(r"\s*(?:[,;&/+]|\band\b)\s*", re.IGNORECASE)
_HONORIFICS = {"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "dr.", "prof.", "mr.",
               "mrs.", "ms.", "mx."}  # fmt: skip
_UNSPACED_SCRIPTS = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")
SOMEONE = "someone"
# Anonymised copies get ids of their own: importing one back into the notebook it came from
# adds copies instead of overwriting the real entries with "Person A".
_ID_NAMESPACE = uuid.UUID("0d3c7a52-58b1-4d0e-9a77-3f7f2b9c6e11")


def split_names(who: str) -> list[str]:
    """The people in a "who" field: ``"Alice Smith, Bob and Carol"`` → three names."""
    names = []
    for part in _SEPARATORS.split(who):
        name = part.strip().removeprefix("with ").strip(" .")
        if name:
            names.append(name)
    return names


def _letters(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the letter of the ``index``-th person (from 0)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)


def _pattern(name: str) -> str:
    """``name`` as a regular expression that does not match inside a longer word (except in
    scripts written without spaces)."""
    body = r"\s+".join(re.escape(word) for word in name.split())
    before = "" if _unspaced(name[0]) else r"(?<!\w)"
    after = "" if _unspaced(name[-1]) else r"(?!\w)"
    return f"{before}{body}{after}"


class Anonymiser:
    """Learns the people (:meth:`learn_who`, :meth:`add_name`), then rewrites text and entries."""

    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        self._people: dict[str, str] = {}  # a full name, casefolded -> its alias
        self._words: dict[str, str | None] = {}  # a word of a full name -> alias (None: shared)
        self._extra = [name for name in (n.strip() for n in extra_names) if name]
        self._regex: re.Pattern[str] | None = None
        self._tag_regex: re.Pattern[str] | None = None
        self._replacements: dict[str, str] = {}

    @classmethod
    def for_entries(cls, entries: Iterable[Entry], extra_names: Iterable[str] = ()) -> Anonymiser:
        """An anonymiser that knows every participant of ``entries``' meetings, in order."""
        anonymiser = cls(extra_names)
        for entry in entries:
            if entry.kind is Kind.MEETING and entry.who:
                anonymiser.learn_who(entry.who)
        return anonymiser

    def learn_who(self, who: str) -> None:
        for name in split_names(who):
            self.add_name(name)

    def add_name(self, name: str) -> str:
        """Make ``name`` a person (if it is not one already) and give its alias."""
        key = " ".join(name.split()).casefold()
        alias = self._people.get(key)
        if alias is None:
            alias = f"Person {_letters(len(self._people))}"
            self._people[key] = alias
            self._regex = self._tag_regex = None
            words = [w for w in name.split() if w.casefold() not in _HONORIFICS and len(w) > 1]
            if len(words) > 1 and all(w[0].isupper() for w in words):
                for word in words:
                    known = self._words.get(word, alias)
                    self._words[word] = alias if known == alias else None
        return alias

    @property
    def aliases(self) -> dict[str, str]:
        """Each person's name (casefolded) and alias, in order of letters."""
        self._compile()
        return dict(self._people)

    def _compile(self) -> re.Pattern[str] | None:
        if self._regex is not None or not (self._people or self._extra):
            return self._regex
        for name in self._extra:
            self.add_name(name)
        self._extra = []
        self._replacements = {}
        patterns: list[tuple[int, str, str]] = []  # length, full name's, word's
        for index, (name, alias) in enumerate(self._people.items()):
            group = f"p{index}"
            self._replacements[group] = alias
            pattern = f"(?P<{group}>(?i:{_pattern(name)}))"
            patterns.append((len(name), pattern, pattern))
        for index, (word, word_alias) in enumerate(self._words.items()):
            if word.casefold() in self._people:
                continue  # the word is a person's whole name: matched as such
            group = f"w{index}"
            self._replacements[group] = word_alias or SOMEONE
            pattern = _pattern(word)
            patterns.append((len(word), f"(?P<{group}>{pattern})", f"(?P<{group}>(?i:{pattern}))"))
        # Longest first: "Alice Smith" is one person before "Alice" is considered.
        patterns.sort(key=lambda item: -item[0])
        self._regex = re.compile("|".join(p for _, p, _ in patterns))
        # Tags are written in lower case ("people/alice-smith"): there, the words of a name
        # match whatever their case too.
        self._tag_regex = re.compile("|".join(p for _, _, p in patterns))
        return self._regex

    def text(self, text: str) -> str:
        regex = self._compile()
        if regex is None or not text:
            return text
        return regex.sub(lambda m: self._replacements[m.lastgroup or ""], text)

    def tag(self, tag: str) -> str:
        """A tag with names replaced: its ``-`` and ``_`` count as spaces between words."""
        self._compile()
        if self._tag_regex is None:
            return tag
        spaced = tag.replace("-", " ").replace("_", " ")
        changed = self._tag_regex.sub(lambda m: self._replacements[m.lastgroup or ""], spaced)
        return changed.replace(" ", "-") if changed != spaced else tag

    def _optional(self, text: str | None) -> str | None:
        return None if text is None else self.text(text)

    def entry(self, entry: Entry) -> Entry:
        """A copy of ``entry`` with every name replaced, under an id of its own."""
        tags = [self.tag(tag) for tag in entry.tags]
        return entry.replace(
            id=str(uuid.uuid5(_ID_NAMESPACE, entry.id)),
            title=self.text(entry.title),
            body=self.text(entry.body),
            tags=tags,
            aliases=[self.text(alias) for alias in entry.aliases],
            who=self._optional(entry.who),
            action_items=self._optional(entry.action_items),
            authors=self._optional(entry.authors),
        )
