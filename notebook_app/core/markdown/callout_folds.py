"""Foldable callouts in the preview: the fold mark made a link, a folded callout's body left out.

The renderer's HTML depends on the note's text alone (its section cache must stay valid), so a
foldable callout comes out of it with its body and its mark, ``<span class="callout-fold">
▸</span>`` (folded, ``> [!note]-``) or `` ▾`` (open, ``> [!note]+``), as the last thing in its
title (vault_extension.py). What the reader chose is view state, applied afterwards here, to
each section's HTML: pure string work, no Qt, cheap enough for the GUI thread.

:func:`fold_callouts` turns each mark into ``<a class="callout-fold" href="fold:KEY">``
(``KEY``: a prefix, then the callout's number among the foldable callouts of the note, in
document order, nested ones counted too, whether shown or not) and leaves out the body of each
callout that is folded. The preview hands a followed ``fold:`` link to the window, which
toggles that callout and shows the note again (gui/preview_folds.py). Export and Anki keep the
renderer's HTML: a folded callout shows its body there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

__all__ = ["FOLD_MARK", "FOLD_SCHEME", "fold_callouts"]

FOLD_SCHEME = "fold"
FOLD_MARK = 'class="callout-fold"'  # in every section that holds a foldable callout
_MARK_RE = re.compile(r'<span class="callout-fold"> ([▸▾])</span></p>')
_TABLE_RE = re.compile(r"<(/?)table\b")
_BODY_END = "</td>\n</tr>\n</table>"  # how the serializer closes the callout's body cell


def fold_callouts(
    section: str, first: int, folded: Callable[[str, bool], bool], prefix: str = ""
) -> tuple[str, list[tuple[str, bool]]]:
    """``section`` with its foldable callouts' marks as ``fold:`` links numbered from
    ``first`` (keys ``prefix`` + number) and the bodies of the folded ones left out.

    ``folded(key, written)`` says whether a callout is shown folded (``written``: whether the
    note folds it, ``-``). Returns the HTML and each callout's (key, folded), in order."""
    marks = list(_MARK_RE.finditer(section))
    if not marks:
        return section, []
    shown = [(f"{prefix}{first + n}", folded(f"{prefix}{first + n}", m.group(1) == "▸"))
             for n, m in enumerate(marks)]  # fmt: skip
    # One pass, first to last: a folded callout's body is skipped whole, with the marks of the
    # callouts nested in it (numbered all the same, so numbers never depend on what is folded).
    pieces: list[str] = []
    position = 0
    for match, (key, is_folded) in zip(marks, shown, strict=True):
        if match.start() < position:
            continue  # inside a body left out
        pieces.append(section[position : match.start()])
        title = "Show the callout's body" if is_folded else "Fold the callout"
        pieces.append(
            f' <a class="callout-fold" href="{FOLD_SCHEME}:{html.escape(key, quote=True)}" '
            f'title="{title}">{"▸" if is_folded else "▾"}</a></p>'
        )
        position = _body_end(section, match.end()) if is_folded else match.end()
    pieces.append(section[position:])
    return "".join(pieces), shown


def _body_end(section: str, start: int) -> int:
    """Where the body that starts at ``start`` (after a callout's title) ends: before the
    ``</td></tr></table>`` closing its callout, past any tables nested in it (a note's own
    ``<table`` text is escaped, so every one here is a tag)."""
    depth = 1
    for tag in _TABLE_RE.finditer(section, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            closing = section.rfind(_BODY_END, start, tag.end() + 1)
            return closing if closing >= 0 else start
    return start  # not closed here (a section always holds whole callouts): leave it whole
