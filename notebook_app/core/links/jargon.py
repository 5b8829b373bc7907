"""Candidate jargon: phrases entries use often that the glossary lacks (``notebook-app undefined``).

How it decides, in the order it works:

1. It reads the bodies of live entries, prose only: not code, URLs, ``[[links]]`` or markdown
   link text, not headings, and not title-case lines (four words in five capitalised, small
   words aside: a heading, a list of titles), which would offer every title's words as jargon.
2. It collects two kinds of phrase. **Acronyms**: a word with two capitals or more, at least half
   its letters capitals (``SAE``, ``RLHF``, ``GPT-4``, ``OpenAI``), a plural or possessive ``s``
   dropped (``SAEs`` is ``SAE``), not a common word shouted (``NOT``) nor a common abbreviation
   (``AI``, ``US``, ``PhD``: :data:`COMMON_ACRONYMS`) nor a Roman numeral. **Capitalised
   phrases**: two to four capitalised words in a row (``Sparse Coding``, ``Mixture of Experts``:
   ``of`` and ``for`` may join them), stripped of leading and trailing common words ("The",
   "Our") and dropped when every word is a common English word (:data:`COMMON_WORDS`: "Key
   Ideas", "Quick Takes", "Next Week").
3. A capital at the start of a sentence (or of a line, a list item, after a colon) says nothing,
   so a phrase starting there counts whole only where the same phrase is also written
   capitalised mid-sentence somewhere in the notebook; otherwise its first word is dropped.
4. It keeps the phrases found in at least ``min_entries`` entries (2 by default) whose name is no
   entry's title or alias (singular and plural alike), most entries first, then most uses.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from notebook_app.core.links.terms import searchable_lines
from notebook_app.core.links.wikilinks import name_key
from notebook_app.core.markdown.syntax import heading_line

_COMMON_WORDS_TEXT = """
    a about above after again against ago all almost also although always am among an and
    another any anyone anything are around as ask at away back be because been before being
    below best better between big both but by can cannot could did do does doing done down
    during each early either else enough especially even ever every everyone everything few
    first for from further get gets getting given go going good got great had has have having
    he her here hers herself him himself his how however i if in into is it its itself just
    last late later least less let like likely little long lot lots made make makes making
    many may maybe me might mine more most much must my myself never new next no nobody none
    nor not nothing now of off often old on once one only or other others otherwise our ours
    ourselves out over own per perhaps quite rather really right same see seen she should
    since so some someone something sometimes soon still such than that the their theirs them
    themselves then there therefore these they thing things this those though through thus
    to today together too two three four five under until up upon us use used using very via
    was way we well were what whatever when where whether which while who whole whom whose why
    will with within without would yes yet you your yours yourself yourselves
    also actually again basically finally generally here overall simply then therefore
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec spring summer autumn fall winter week weeks month months year years day days
    morning evening tonight tomorrow yesterday time times
    abstract answer answers background chapter conclusion conclusions contents contribution
    contributions discussion episode example examples favorite favourite figure further goal
    goals highlights idea ideas intro introduction key lesson lessons main method methods
    note notes observation observations overview part point points problem problems proposal
    purpose question questions quick quote quotes reading readings reference references related
    result results section sections step steps summary summaries table take takes takeaway
    takeaways thanks thought thoughts tip tips todo topic topics update updates work works
    people person team project projects post posts paper papers book books video videos blog
    page pages link links list lists resource resources course courses research researcher
    researchers student students call meeting meetings program
    important interesting useful simple general different specific special possible real
    true false full high low large small major minor short open free final whole certain clear
    great huge hard easy bad nice cool sure able
    mr mrs ms dr prof et al etc ie eg vs ok okay yeah hi hello dear please thank
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
_COMMON_ACRONYMS_TEXT = """
    AI ML US USA UK EU UN UAE OK TV PM AM PT ET PST EST UTC GMT CEO CTO CFO PhD PHD BA BS BSC MSC
    MA MBA PDF URL URLS HTML CSS JSON API FAQ TL DR TLDR FYI ASAP AKA ETA DIY IRL IMO IMHO LOL
    OMG BTW TBD TBA PS NB VS Q&A QA ID IDS IT CV CS EE IQ GPA IDK GPU GPUS CPU RAM GB MB TB KB
"""
COMMON_ACRONYMS = frozenset(_COMMON_ACRONYMS_TEXT.split())
_CONNECTORS = frozenset({"of", "for"})
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
# A word: letters and digits, inner hyphens and apostrophes (a possessive is cut off later).
_TOKEN_RE = re.compile(r"[^\W_](?:[\w]|[-'’](?=[^\W_]))*")
_SENTENCE_ENDS = frozenset(".!?:;")
_MAX_WORDS = 4


@dataclasses.dataclass(slots=True)
class _Tally:
    entries: set[int] = dataclasses.field(default_factory=set)
    occurrences: int = 0
    forms: Counter[str] = dataclasses.field(default_factory=Counter)
    newest: list[int] = dataclasses.field(default_factory=list)


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def is_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    capitals = sum(1 for char in letters if char.isupper())
    return bool(letters) and word[0].isupper() and capitals >= 2 and capitals * 2 >= len(letters)


def singular_key(phrase: str) -> str:
    """The comparison key of a phrase, its last word made singular: "LLMs" and "LLM" agree."""
    key = name_key(phrase)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()  # an acronym too: it starts with a capital (see is_acronym)


_FUNCTION_WORDS_TEXT = (
    "a an the and or nor but of for to in on at by with from into over via vs as is are"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def _title_case_line(words: list[str]) -> bool:
    """A heading or a title: nearly every word capitalised but the small ones ("of", "the")."""
    content = [word for word in words if word[0].isalpha() and word.lower() not in _FUNCTION_WORDS]
    if len(content) < 3:
        return False
    return sum(1 for word in content if word[0].isupper()) * 10 >= len(content) * 8


def _trim(words: list[str]) -> list[str]:
    while words and (words[0].lower() in COMMON_WORDS or words[0].lower() in _CONNECTORS):
        if is_acronym(words[0]):
            break
        words = words[1:]
    while words and (words[-1].lower() in COMMON_WORDS or words[-1].lower() in _CONNECTORS):
        if is_acronym(words[-1]):
            break
        words = words[:-1]
    return words


def _phrase(words: list[str]) -> str | None:
    words = _trim(words)
    if len(words) < 2 or len(words) > _MAX_WORDS:
        return None
    if all(word.lower() in COMMON_WORDS or word.lower() in _CONNECTORS for word in words):
        return None
    return " ".join(words)


def _acronym(word: str) -> str | None:
    if not is_acronym(word) or len(word) < 2 or _ROMAN_RE.match(word):
        return None
    if word.endswith("s") and is_acronym(word[:-1]):
        word = word[:-1]
    if word in COMMON_ACRONYMS or word.upper() in COMMON_ACRONYMS:
        return None
    if word.lower() in COMMON_WORDS:
        return None
    return word


def _runs(line: str, spans: list[tuple[int, int]]) -> Iterable[tuple[list[str], bool]]:
    """Each run of capitalised words in a line (connectors inside), with whether it starts a
    sentence."""
    tokens = [
        match
        for match in _TOKEN_RE.finditer(line)
        if not any(start <= match.start() < end for start, end in spans)
    ]
    words = [_strip_possessive(match.group()) for match in tokens]
    if _title_case_line(words):
        return
    run: list[str] = []
    run_initial = False
    previous_end = 0
    for index, (match, word) in enumerate(zip(tokens, words, strict=True)):
        gap = line[previous_end : match.start()]
        joined = run and gap == " "
        # The line's first word (after a list marker, an emoji) or one after ". ", ": "...
        initial = index == 0 or any(char in _SENTENCE_ENDS for char in gap)
        if _is_capitalised(word) or (joined and word in _CONNECTORS):
            if not joined:
                if run:
                    yield run, run_initial
                run, run_initial = [], initial
            run.append(word)
        else:
            if run:
                yield run, run_initial
            run = []
        previous_end = match.end()
        if match.group() != word:  # a possessive ends the phrase
            if run:
                yield run, run_initial
            run = []
    if run:
        yield run, run_initial


def _prose_lines(body: str) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """(line, spans not to look in) of each line of ``body`` that is prose: not blank, not a
    heading. searchable_lines gives a body without code as one piece; the rules here (a title-case
    line, a capital at a line's start) are about single lines."""
    for _offset, piece, spans in searchable_lines(body, skip_links=True):
        first = 0  # spans are sorted: the first one that may reach the current line
        start = 0
        for line in piece.split("\n"):
            end = start + len(line)
            if line.strip() and heading_line(line) is None:
                while first < len(spans) and spans[first][1] <= start:
                    first += 1
                inside = []
                for index in range(first, len(spans)):
                    a, b = spans[index]
                    if a >= end:
                        break
                    inside.append((max(a, start) - start, min(b, end) - start))
                yield line, inside
            start = end + 1


def jargon_candidates(
    bodies: Iterable[tuple[int, str]],
    known_names: Iterable[str],
    *,
    min_entries: int = 2,
    limit: int | None = 50,
) -> list[tuple[str, int, int, list[int]]]:
    """(phrase, entries, occurrences, seqs of a few entries newest first) of candidate jargon
    in ``bodies`` ((seq, body) of live entries), leaving out ``known_names`` (titles, aliases).
    See the module's doc for the rules."""
    known = set()
    for name in known_names:
        known.add(singular_key(name))
        # "Variational auto-encoder (VAE)" names VAE too.
        for part in re.findall(r"\(([^()]+)\)", name):
            known.add(singular_key(part))
    tallies: dict[str, _Tally] = {}
    initial_phrases: list[tuple[int, list[str]]] = []
    mid_sentence: set[str] = set()

    def count(seq: int, phrase: str) -> None:
        tally = tallies.setdefault(singular_key(phrase), _Tally())
        tally.occurrences += 1
        tally.forms[phrase] += 1
        if seq not in tally.entries:
            tally.entries.add(seq)
            tally.newest.append(seq)

    for seq, body in bodies:
        for line, spans in _prose_lines(body):
            if "[" in line:
                spans = spans + [m.span() for m in re.finditer(r"\[[^\]\n]*\]\(", line)]
            for run, initial in _runs(line, spans):
                for word in run:
                    acronym = _acronym(word)
                    if acronym is not None:
                        count(seq, acronym)
                if initial:
                    initial_phrases.append((seq, run))
                    continue
                phrase = _phrase(run)
                if phrase is not None:
                    count(seq, phrase)
                    mid_sentence.add(singular_key(phrase))
    for seq, run in initial_phrases:
        whole = _phrase(run)
        if whole is not None and singular_key(whole) in mid_sentence:
            count(seq, whole)
            continue
        if is_acronym(run[0]) or run[0] in _CONNECTORS:
            continue  # its own count is taken; what follows is a phrase of its own only mid-run
        tail = _phrase(run[1:])
        if tail is not None:
            count(seq, tail)
    found = [
        (tally.forms.most_common(1)[0][0], len(tally.entries), tally.occurrences,
         sorted(tally.newest, reverse=True)[:3])
        for key, tally in tallies.items()
        if len(tally.entries) >= min_entries and key not in known
    ]  # fmt: skip
    found.sort(key=lambda item: (-item[1], -item[2], item[0].casefold()))
    return found if limit is None else found[:limit]
