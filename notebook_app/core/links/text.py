"""Finding a name (a title, an alias, a glossary term) in running text, and the sentence around
a place in it: shared by unlinked mentions, glossary terms and backlinks.

How a name matches: as a whole phrase (no letter or digit right before or after it), with any
run of spaces or a line break between its words, and case-insensitively unless the name is
written like an acronym or a brand: a word with two capitals (``SAE``, ``GPT-4``, ``RLHF``,
``LoRA``) or a capital after a small letter (``iPhone``) makes the whole name case-sensitive, so
the glossary's "SAE" is not found in "sae" and "LoRA" not in "lora", while "Superposition" is
found in "superposition".
"""

from __future__ import annotations

import functools
import re

from notebook_app.core.markdown.syntax import LINE_LEAD_RE

_WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(r"[.!?…](?=[\s\"')\]]|$)")
SENTENCE_MAX = 240


def is_case_sensitive(name: str) -> bool:
    """Whether ``name`` is written like an acronym or brand (see the module's doc)."""
    for word in _WORD_RE.findall(name):
        capitals = sum(1 for char in word if char.isupper())
        if capitals >= 2:
            return True
        if any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def name_pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern that finds ``name`` as a whole phrase (see the module's doc)."""
    words = name.split()
    body = r"\s+".join(re.escape(word) for word in words)
    if words and _WORD_RE.match(words[0][0]):
        body = r"(?<!\w)" + body
    if words and _WORD_RE.match(words[-1][-1]):
        body += r"(?!\w)"
    return re.compile(body, 0 if is_case_sensitive(name) else re.IGNORECASE)


def first_word(name: str) -> str | None:
    """The first word of ``name``, case folded (the key a term is looked up by), if it has one."""
    match = _WORD_RE.search(name)
    return None if match is None else match.group().casefold()


def leading_chars(name: str) -> int:
    """How many characters of ``name`` come before its first word (``.NET``: 1)."""
    match = _WORD_RE.search(name)
    return 0 if match is None else match.start()


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence of ``text`` holding ``text[start:end]``, on one line, with where that span
    is in it: (sentence, span start, span end). A sentence ends at ``.``, ``!``, ``?`` followed
    by a space, or at a line break (list items and headings are sentences of their own); one
    longer than ``SENTENCE_MAX`` is cut around the span with an ellipsis."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    begin = line_start
    for match in _SENTENCE_END_RE.finditer(text, line_start, start):
        begin = match.end()
    finish = line_end
    stop = _SENTENCE_END_RE.search(text, end, line_end)
    if stop is not None:
        finish = stop.end()
    lead = LINE_LEAD_RE.match(text, begin, start) if begin == line_start else None
    if lead is not None:
        begin = lead.end()
    while begin < start and text[begin].isspace():
        begin += 1
    raw = text[begin:finish].rstrip()
    # One line, spaces collapsed, keeping track of where the span moves to.
    before = " ".join(text[begin:start].split())
    span = " ".join(text[start:end].split())
    after = " ".join(raw[end - begin :].split())
    if before and text[start - 1].isspace():
        before += " "
    if after and end < len(text) and text[end].isspace():
        after = " " + after
    prefix, suffix = "", ""
    room = max(SENTENCE_MAX - len(span), 40)
    if len(before) + len(after) > room:
        keep_before = min(len(before), room // 2)
        keep_after = min(len(after), room - keep_before)
        keep_before = min(len(before), room - keep_after)
        if keep_before < len(before):
            before, prefix = before[len(before) - keep_before :].lstrip(), "…"
        if keep_after < len(after):
            after, suffix = after[:keep_after].rstrip(), "…"
    sentence = prefix + before + span + after + suffix
    span_start = len(prefix) + len(before)
    return sentence, span_start, span_start + len(span)
