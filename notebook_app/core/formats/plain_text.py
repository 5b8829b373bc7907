"""Give structure back to plain-text exports (Notion, summary tools) when they are imported.

Such exports lose their heading marks: ``podcast-summary.txt`` has dozens of sections whose
titles are bare lines (``☀️ Quick Takes``, ``Challenges in AI Development``), some introduced by
a lone ``-`` left over from a toggle block. Imported as they are, the outline would show one
heading. :func:`restore_headings` marks them as markdown headings:

* a short line that starts with an emoji becomes ``## `` (a top-level section);
* a short line with no sentence punctuation at its end, directly followed by a list, becomes
  ``### `` (a subsection);
* a lone ``-`` before such a title is dropped.

In plain text a line break ends a paragraph, where markdown would join the lines (and would
fold a line after a list item into that item): so a blank line goes before each line of text
that follows another line of text or a list. Everything else (every word, every list item) is
kept as it was. Text that already has
markdown headings is left alone: its author chose its structure.
"""

from __future__ import annotations

import unicodedata

from notebook_app.core.markdown.syntax import heading_line, list_item

MAX_TITLE_LENGTH = 80


def _starts_with_emoji(line: str) -> bool:
    first = line.lstrip()[:1]
    return bool(first) and unicodedata.category(first) == "So"


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    return (
        _is_text(line) and len(stripped) <= MAX_TITLE_LENGTH and stripped[-1] not in ".,;:!?)\"'”’"
    )


def restore_headings(text: str) -> str:
    """The text with the section titles of a plain-text export marked as headings."""
    if any((heading := heading_line(line)) and heading[2] for line in text.splitlines()):
        return text
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        following = next((later for later in lines[index + 1 :] if later.strip()), "")
        if line.strip() == "-" and _looks_like_title(following):
            continue  # the toggle marker before a section title
        if _looks_like_title(line) and _starts_with_emoji(line):
            out.append("## " + line.strip())
        elif _looks_like_title(line) and _is_list_item(following) and index > 0:
            out.append("### " + line.strip())
        else:
            if _is_text(line) and out and out[-1].strip() and not out[-1].startswith("#"):
                out.append("")  # a paragraph of its own, as the export showed it
            out.append(line)
    return "\n".join(out)


def _is_text(line: str) -> bool:
    """A line of running text: not blank, not a list item, not indented (a continuation)."""
    return bool(line.strip()) and not _is_list_item(line) and not line.startswith((" ", "\t"))


def _is_list_item(line: str) -> bool:
    """A list item with text (a bare marker is not one here: Notion's toggle lines are)."""
    item = list_item(line)
    return item is not None and bool(item.group("rest").strip())
