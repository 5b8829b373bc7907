"""What the full-text index sees of an entry's text, and how a query word is matched against it.

SQLite's ``unicode61`` tokenizer splits text on spaces and punctuation. That is right for English
but not for Korean, Chinese or Japanese, where one "word" between spaces is often a compound:
``개발경력`` (development career) must be found by ``경력`` (career). The trigram tokenizer would
need three characters, and two-syllable Korean words are the common case.

So every run of CJK characters is indexed twice: as written (one unicode61 token, in the title
or body column) and as its overlapping character bigrams (``개발 발경 경력``) in a third column,
``cjk``. A query word in CJK becomes the phrase of its bigrams, which matches wherever those
characters stand together, inside a longer word or not.

Changing :func:`cjk_index_text` changes what is in the index: the contentless index deletes rows
by re-tokenising the old text, so any change here must come with a migration that rebuilds it.
"""

from __future__ import annotations

import re

# Hangul syllables and jamo, CJK ideographs, kana: scripts written without spaces between words.
_CJK_CHARS = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
)
CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")


def cjk_bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_index_text(*parts: str | None) -> str:
    """The bigrams of every CJK run in ``parts``, for the index's ``cjk`` column ("" if none)."""
    bigrams: list[str] = []
    for part in parts:
        # Most text is free of CJK: skip it without running the regex where that is cheap.
        if not part or part.isascii():
            continue
        for match in CJK_RUN.finditer(part):
            run = match.group()
            if len(run) > 1:
                bigrams.extend(cjk_bigrams(run))
            # A phrase must not run from one word's bigrams into the next word's.
            bigrams.append("|")
    return " ".join(bigrams)


def has_cjk(word: str) -> bool:
    return CJK_RUN.search(word) is not None


def fts_string(text: str) -> str:
    """Quote text as an FTS5 string: the tokenizer then splits it into a phrase."""
    return '"' + text.replace('"', '""') + '"'


def word_match_expression(word: str, *, prefix: bool = False) -> str:
    """The FTS5 expression for one query word (or exact phrase) typed by a user.

    Latin words are quoted so punctuation in them (``o1-preview``, ``GPT-4``) becomes a phrase
    instead of FTS5 syntax. CJK runs of two or more characters become bigram phrases; a single
    CJK character becomes a prefix over the bigrams that start with it.
    """
    if not has_cjk(word):
        return fts_string(word) + (" *" if prefix else "")
    parts: list[str] = []
    position = 0
    for match in CJK_RUN.finditer(word):
        before = word[position : match.start()].strip()
        if before:
            # "AI안전" is one unicode61 token; its Latin head still matches as a prefix.
            parts.append(fts_string(before) + " *")
        run = match.group()
        if len(run) == 1:
            parts.append(fts_string(run) + " *")
        else:
            parts.append(fts_string(" ".join(cjk_bigrams(run))))
        position = match.end()
    after = word[position:].strip()
    if after:
        parts.append(fts_string(after) + (" *" if prefix else ""))
    if len(parts) == 1:
        return parts[0]
    return "(" + " AND ".join(parts) + ")"
