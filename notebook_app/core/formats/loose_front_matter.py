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
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
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


def edited_block(
    block: LooseBlock, values: Mapping[str, Any], write: Callable[[dict[str, Any]], str]
) -> str:
    """The block with the keys of ``values`` written again by ``write`` (a YAML writer), line
    by line: a key that was read is rewritten in its place; a new key (or one whose lines could
    not be read: a placeholder stays) goes before the closing fence. No key is taken out."""
    lines: list[str] = []
    done: set[str] = set()
    for group in block.groups:
        key = group.key
        if key is None or not group.read or key not in values:
            lines += group.lines
        elif key not in done:  # a key given twice: the first place takes the new value
            done.add(key)
            lines.append(write({key: values[key]}))
    for key, value in values.items():
        if key not in done:
            lines.append(write({key: value}))
    text = "".join(lines)
    if text and not text.endswith("\n"):
        text += "\n"  # the last line had no end of its own before the closing fence
    return FENCE + text + block.closing
