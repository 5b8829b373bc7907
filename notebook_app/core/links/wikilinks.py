"""Wiki links in an entry's body: ``[[Title]]``, ``[[Title|shown text]]``, ``[[Title#Heading]]``,
``[[alias]]`` and embeds ``![[Title]]``, read once here for the link table, backlinks, renames
and mentions.

The grammar (one line; Obsidian's, plus escapes):

* ``!`` right before ``[[`` makes the link an embed.
* Between ``[[`` and ``]]``: the target, then optionally ``|`` and the shown text. The target is
  the title (or an alias), then optionally ``#`` and a heading (``#^id``: a block reference,
  kept as the heading's text). ``[[#Heading]]`` points into the entry itself.
* A backslash before ASCII punctuation stands for that character, as in CommonMark, so a title
  holding the separators is written with them escaped: the entry "C#" is ``[[C\\#]]``, "A|B" is
  ``[[A\\|B]]``, "x]y" is ``[[x\\]y]]``. :func:`link_text` writes them that way. A backslash before
  anything else is itself. Unescaped ``[`` or ``]`` cannot appear inside, so ``[[a]b]]`` is not
  a link and ``[[ [[Title]]`` holds one, the inner one.
* Only the first ``|`` separates; the shown text may hold more. Titles are compared with
  surrounding spaces trimmed and inner runs of spaces as one, case-insensitively
  (:func:`name_key`).
* Not a link: anything inside code (fenced blocks, indented code blocks, ``code spans``), an
  unclosed ``[[``, an empty target (``[[]]``, ``[[|x]]``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from typing import NamedTuple

from notebook_app.core.markdown.syntax import (
    LIST_ITEM_RE,
    WIKI_LINK_INNER,
    WIKI_LINK_MAX_INNER,
    WIKI_LINK_OR_EMBED_RE,
    WIKI_LINK_RE,
    closes_fence_at_any_indent,
    code_spans,
    fence_opening,
)

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TARGET_SPECIALS = frozenset("\\|#[]")


class WikiLink(NamedTuple):  # a tuple: a bulk import makes tens of thousands
    start: int  # offset in the text of "[[" (of "!" for an embed)
    end: int  # offset just past "]]"
    target: str  # the title or alias named, escapes undone, spaces trimmed ("" for a heading here)
    heading: str | None = None
    shown: str | None = None
    embed: bool = False

    @property
    def key(self) -> str:
        return name_key(self.target)


def name_key(text: str) -> str:
    """What a title, alias or link target is compared by: NFC, spaces collapsed, case folded."""
    if text.isascii():  # the common case: nothing to normalise, and casefold is lower
        return " ".join(text.split()).lower()
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _split_unescaped(inner: str) -> tuple[list[tuple[str, bool]], int | None, int | None]:
    """The characters of ``inner`` (each with whether it was escaped) and the indexes, in that
    list, of the first unescaped ``|`` and of the first unescaped ``#`` before it."""
    chars: list[tuple[str, bool]] = []
    bar = hash_at = None
    index = 0
    while index < len(inner):
        char = inner[index]
        if char == "\\" and index + 1 < len(inner) and inner[index + 1] in _ASCII_PUNCTUATION:
            chars.append((inner[index + 1], True))
            index += 2
            continue
        if char == "|" and bar is None:
            bar = len(chars)
        elif char == "#" and bar is None and hash_at is None:
            hash_at = len(chars)
        chars.append((char, False))
        index += 1
    return chars, bar, hash_at


def parse_inner(inner: str) -> tuple[str, str | None, str | None] | None:
    """(target, heading, shown) of the text between ``[[`` and ``]]``; None if not a link."""
    if "\\" not in inner:  # the common case, without the character walk
        target_part, bar, shown_part = inner.partition("|")
        title, hash_mark, heading_part = target_part.partition("#")
        parts = (title.strip(), heading_part.strip() if hash_mark else None)
        shown_text: str | None = shown_part.strip() if bar else None
    else:
        chars, bar_at, hash_at = _split_unescaped(inner)
        target_end = len(chars) if bar_at is None else bar_at
        title_end = target_end if hash_at is None else hash_at
        heading = None
        if hash_at is not None:
            heading = "".join(char for char, _ in chars[hash_at + 1 : target_end]).strip()
        parts = ("".join(char for char, _ in chars[:title_end]).strip(), heading)
        shown_text = None
        if bar_at is not None:
            shown_text = "".join(char for char, _ in chars[bar_at + 1 :]).strip()
    target, heading = parts
    if not target and not heading:
        return None
    return target, heading, shown_text or None


def link_label(target: str, heading: str | None, shown: str | None) -> str:
    """What a link reads as: its shown text, else its target (› its heading)."""
    return shown or (f"{target} › {heading}" if target and heading else target or heading or "")


def links_as_shown(text: str) -> str:
    """``text`` with each wiki link (or embed) replaced by :func:`link_label`, for one-line
    excerpts; what is no link (inside a code span, say) stays as written."""
    spans = code_spans(text)

    def label(match: re.Match[str]) -> str:
        if spans and in_spans(match.start(), spans):
            return match.group()
        inner = match["inner"]
        parsed = None if len(inner) > WIKI_LINK_MAX_INNER else parse_inner(inner)
        return match.group() if parsed is None else link_label(*parsed)

    return WIKI_LINK_OR_EMBED_RE.sub(label, text) if "[[" in text else text


def escape_target(text: str) -> str:
    """``text`` written so that it reads back as one title (see the module's grammar)."""
    return "".join("\\" + char if char in _TARGET_SPECIALS else char for char in text)


def escape_shown(text: str) -> str:
    return "".join("\\" + char if char in "\\[]" else char for char in text)


def link_text(
    target: str, *, heading: str | None = None, shown: str | None = None, embed: bool = False
) -> str:
    """The markdown of a link: ``[[target#heading|shown]]`` with whatever needs escaping, on one
    line (a line break in the shown text becomes a space: a link does not span lines)."""
    text = escape_target(" ".join(target.split()))
    if heading:
        text += "#" + escape_target(" ".join(heading.split()))
    if shown:
        text += "|" + escape_shown(" ".join(shown.split()))
    return ("!" if embed else "") + "[[" + text + "]]"


# --- where code is --------------------------------------------------------------------------


def _indent_width(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of ``text`` outside fenced and indented code blocks.

    A fence may be indented (list items hold them) and is closed by a run of its character at
    least as long; an unclosed fence runs to the end, as in CommonMark. A line indented four
    columns or more is code when it follows a blank line (or code) outside a list; inside a list
    it is the item's text.
    """
    fence: str | None = None
    previous_blank = True
    previous_code = False
    in_list = False
    offset = 0
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        content = line.rstrip("\r\n")
        if fence is not None:
            if closes_fence_at_any_indent(fence, content):
                fence = None
            continue
        fence = fence_opening(content)
        if fence is not None:
            previous_blank = previous_code = False
            continue
        if not content.strip():
            previous_blank = True
            continue
        indented = _indent_width(content) >= 4
        if indented and (previous_code or (previous_blank and not in_list)):
            previous_code, previous_blank = True, False
            continue
        if LIST_ITEM_RE.match(content):
            in_list = True
        elif not indented and previous_blank:
            in_list = False
        previous_code = previous_blank = False
        yield start, content


def in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


# --- the links ------------------------------------------------------------------------------


def has_code(text: str) -> bool:
    """Whether ``text`` may hold code at all (a backtick, a tilde fence, an indented line).

    Each two-character look is behind a one-character one: ``"~" in text`` runs at memory
    speed, ``"~~~" in text`` several times slower, and bulk imports ask this of every body."""
    return (
        "`" in text
        or ("~" in text and "~~~" in text)
        or ("\t" in text and ("\n\t" in text or text.startswith("\t")))
        or "\n    " in text
        or text.startswith("    ")
    )


def links_in_line(line: str) -> list[WikiLink]:
    """The wiki links of one line as :func:`links_in` reads them (outside its code spans), for
    a reader that follows fences itself (the editor's highlighter and spell checker)."""
    return list(_links_in_line(line, 0, code_spans(line))) if "[[" in line else []


def _links_in_line(line: str, offset: int, spans: list[tuple[int, int]]) -> Iterator[WikiLink]:
    for match in WIKI_LINK_RE.finditer(line):
        start = match.start()
        if (spans and in_spans(start, spans)) or len(match["inner"]) > WIKI_LINK_MAX_INNER:
            continue
        parsed = parse_inner(match["inner"])
        if parsed is None:
            continue
        target, heading, shown = parsed
        embed = start > 0 and line[start - 1] == "!"
        yield WikiLink(
            start=offset + start - embed,
            end=offset + match.end(),
            target=target,
            heading=heading,
            shown=shown,
            embed=embed,
        )


# WIKI_LINK_RE with the common link, a bare title (no escape, "|" or "#"), as a group of its own:
# the bulk reader below takes its target as it stands, without parsing the inside.
_PLAIN_OR_LINK_RE = re.compile(r"\[\[(?:(?P<plain>[^\\\[\]\n|#]*)|" + WIKI_LINK_INNER + r")\]\]")

LinkRow = tuple[int, int, int, bool, str, str, str | None, str | None]


def simple_link_rows(source: int, text: str, keys: dict[str, str]) -> list[LinkRow] | None:
    """(source, start, length, embed, target, key, heading, shown) of every link, for a bulk
    import, when ``text`` holds no code (else None: ask :func:`links_in`). The same reading as
    links_in, without building a WikiLink for each of a vault's tens of thousands of links.
    ``keys``: :func:`name_key` of the targets seen so far (a batch's links name the same titles
    again and again), filled as it goes."""
    if has_code(text):
        return None
    rows: list[LinkRow] = []
    append = rows.append
    for match in _PLAIN_OR_LINK_RE.finditer(text):
        start, end = match.span()
        target = match[1]  # the plain link's target
        if target is not None:
            if len(target) > WIKI_LINK_MAX_INNER:
                continue
            target = target.strip()
            if not target:
                continue
            heading = shown = None
        else:
            inner = match[2]
            parsed = None if len(inner) > WIKI_LINK_MAX_INNER else parse_inner(inner)
            if parsed is None or not parsed[0]:
                continue
            target, heading, shown = parsed
        key = keys.get(target)
        if key is None:
            key = keys[target] = name_key(target)
        embed = start > 0 and text[start - 1] == "!"
        if embed:
            start -= 1
        append((source, start, end - start, embed, target, key, heading, shown))
    return rows


def links_in(text: str) -> list[WikiLink]:
    """Every wiki link in ``text``, in order, outside code."""
    if "[[" not in text:  # most bodies: no scan at all
        return []
    if not has_code(text):  # no code anywhere: the pattern runs over the text at once
        return list(_links_in_line(text, 0, []))
    found: list[WikiLink] = []
    for offset, line in prose_lines(text):
        if "[[" in line:
            found.extend(_links_in_line(line, offset, code_spans(line)))
    return found


def retarget(link: WikiLink, new_target: str) -> str:
    """The markdown of ``link`` pointing at ``new_target``, keeping its heading, text and ``!``."""
    return link_text(new_target, heading=link.heading, shown=link.shown, embed=link.embed)


def retargeted(text: str, keys: Collection[str], new_target: str) -> list[tuple[int, int, str]]:
    """(start, end, markdown) of each link in ``text`` whose name's :func:`name_key` is in
    ``keys``, pointed at ``new_target`` (see :func:`retarget`), in order. What looks like a link
    inside code is not one, so it is left as it is."""
    if not keys:
        return []
    return [
        (link.start, link.end, retarget(link, new_target))
        for link in links_in(text)
        if link.key in keys
    ]


def apply_edits(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) of ``edits`` (in order, not overlapping)."""
    parts = []
    at = 0
    for start, end, replacement in edits:
        parts += [text[at:start], replacement]
        at = end
    parts.append(text[at:])
    return "".join(parts)
