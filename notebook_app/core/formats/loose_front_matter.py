"""Front matter that is not YAML as a whole, read and edited one key at a time.

A template's front matter holds placeholders that are not YAML (``created: {{date}}``, Obsidian's
and Templater's templates), so the block as a whole cannot be read; the import keeps it at the
top of the entry's text, as Obsidian shows it (``vault_files``). Its other keys still say what
the user meant (``tags: [daily]``), and a tag added in the app has to go somewhere: into this
block, since a second block above it would break the template, and Obsidian reads only the first.

So such a block is cut into its keys (a line ``key: ...`` at the start of a line, with the lines
indented or listed below it), each key read on its own; the keys that read are the block's
properties. A change writes the changed keys' lines again, in place, or adds them before the
closing ``---``; every other line, placeholders and comments included, stays byte for byte. No
key is ever taken out: an entry imported before these keys were read holds none of them, and
its template must not lose them for that (a user empties a key by editing the text).

YAML front matter is edited the same way (``vault_files``), so that a change made in the app
leaves every other line of a user's file as written; there a key emptied in the app is taken out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from notebook_app.core.errors import ImportProblem

FENCE = "---\n"
# A key at the start of a line (plain or quoted) followed by ':' and a space or the line's end.
_KEY = re.compile(r"""^(?:"([^"\n]+)"|'([^'\n]+)'|([^\s#:\-'"][^:\n]*?))[ \t]*:(?:[ \t]|$)""")


@dataclasses.dataclass(slots=True)
class _Group:
    key: str | None  # None: lines before the first key, or a comment line at the margin
    lines: list[str]  # as written, each with its "\n"
    read: bool = False  # the key's lines are YAML on their own, and gave its value


@dataclasses.dataclass(slots=True)
class LooseBlock:
    """A block of front matter that is not YAML as a whole: its text, its keys' lines, and the
    values of the keys that could be read."""

    text: str  # from the opening fence to the closing one, both included
    groups: list[_Group]
    data: dict[str, Any]
    closing: str  # the closing fence as written ("---\n", or "---" at the end of the text)


def block_end(text: str) -> int:
    """Where the front matter block opening ``text`` ends (after its closing fence), or -1."""
    if not text.startswith(FENCE):
        return -1
    end = text.find("\n---\n", len(FENCE) - 1)
    if end != -1:
        return end + len("\n---\n")
    return len(text) if text.endswith("\n---") else -1


def loose_block(text: str, read: Callable[[str], dict[str, Any]]) -> LooseBlock | None:
    """The block opening ``text``, read key by key with ``read`` (a YAML reader raising
    ImportProblem), or None when the text opens with no closed block."""
    end = block_end(text)
    if end == -1:
        return None
    block = text[:end]
    closing = FENCE if block.endswith("\n---\n") else "---"
    inner = block[len(FENCE) : len(block) - len(closing)]
    groups: list[_Group] = []
    for line in inner.splitlines(keepends=True):
        match = _KEY.match(line)
        if match is not None:
            groups.append(_Group(next(g for g in match.groups() if g is not None), [line]))
        elif line.startswith("#") or not groups:
            groups.append(_Group(None, [line]))
        else:  # indented, a list item, a blank line: part of the key above
            groups[-1].lines.append(line)
    data: dict[str, Any] = {}
    for group in groups:
        if group.key is None:
            continue
        try:
            value = read("".join(group.lines))
        except (ImportProblem, RecursionError):
            continue  # a placeholder ({{date}}): kept as written, not a property
        if len(value) == 1 and group.key in value:
            data[group.key] = value[group.key]
            group.read = True
    return LooseBlock(block, groups, data, closing)


# The value on a key's line opening a list written in brackets (``tags: [a, b]``), and a list
# item on a line below it (``  - a``, its indent captured).
_FLOW_LIST = re.compile(r"[ \t]*\[")
_ITEM = re.compile(r"( *)-(?:[ \t]|$)")


def _as_it_was(new: str, old: list[str]) -> str:
    """A key's lines written again (``new``, as the YAML writer gives a list: an item a line at
    the margin) in the style the file wrote that key's list in: its items indented as they were
    (``authors:`` then ``  - A``, as Zotero's plugins write it)."""
    new_lines = new.splitlines(keepends=True)
    if len(new_lines) < 2 or _ITEM.match(new_lines[1]) is None:
        return new
    indent = next((item[1] for line in old[1:] if (item := _ITEM.match(line))), "")
    return new_lines[0] + "".join(indent + line for line in new_lines[1:]) if indent else new


def edited_block(
    block: LooseBlock,
    values: Mapping[str, Any],
    write: Callable[[dict[str, Any], bool], str],
    gone: Collection[str] = (),
) -> str:
    """The block with the keys of ``values`` written again by ``write`` (a YAML writer; True
    asks for lists in brackets, where the file wrote that key's list so), line by line, each in
    the style its list had (:func:`_as_it_was`): a key that was read is rewritten in its place;
    a new key (or one whose lines could not be read: a placeholder stays) goes before the
    closing fence. The keys in ``gone`` that were read are taken out (a template's block is
    given none: see the module's docstring)."""
    lines: list[str] = []
    done: set[str] = set()
    for group in block.groups:
        key = group.key
        if key is not None and group.read and key in gone:
            continue
        if key is None or not group.read or key not in values:
            lines += group.lines
        elif key not in done:  # a key given twice: the first place takes the new value
            done.add(key)
            match = _KEY.match(group.lines[0])
            flow = match is not None and _FLOW_LIST.match(group.lines[0], match.end()) is not None
            lines.append(_as_it_was(write({key: values[key]}, flow), group.lines))
    for key, value in values.items():
        if key not in done:
            lines.append(write({key: value}, False))
    text = "".join(lines)
    if text and not text.endswith("\n"):
        text += "\n"  # the last line had no end of its own before the closing fence
    return FENCE + text + block.closing
