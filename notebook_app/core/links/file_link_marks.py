"""Markdown links to notes' files in the rendered preview (``core/links/file_links.py``).

The renderer writes ``[x](Other%20page.md)`` as ``<a href="Other%20page.md">`` (its HTML
depends on the text alone); the window's preview loads no file and would refuse such a link.
Here, knowing the note's folder, each link whose target names a note of the vault becomes
``<a class="notelink ..." href="note:PATH#HEADING">``: the vault path it resolves to and the
heading, percent-encoded, which the window follows to the entry bearing that path. Its class
and tooltip say what the notebook answered (``targets``, by :func:`path_key`): a link to no
entry's file is red (``wikilink-missing``, the [[link]]'s class for it). A link with a scheme,
or to another kind of file, is left as the renderer wrote it. Pure string work, no Qt.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from urllib.parse import quote, unquote

from notebook_app.core.links.file_links import note_target, path_key
from notebook_app.core.links.results import LinkTarget

__all__ = ["NOTE_SCHEME", "mark_note_links", "note_href", "note_link_paths", "note_link_target"]

NOTE_SCHEME = "note"
# Python-Markdown's link: href first, then an optional title (a reference definition's).
_LINK_RE = re.compile(r'<a href="(?P<href>[^"]*)"(?: title="(?P<title>[^"]*)")?>')


def note_href(path: str, heading: str | None) -> str:
    """The preview's URL of a link to the note at vault ``path`` (see the module's doc)."""
    href = f"{NOTE_SCHEME}:{quote(path, safe='/')}"
    return href + ("#" + quote(heading, safe="") if heading else "")


def note_link_target(href: str) -> tuple[str, str | None] | None:
    """(vault path, heading) of a ``note:`` URL, None for any other."""
    if not href.startswith(f"{NOTE_SCHEME}:"):
        return None
    path, hash_mark, heading = href[len(NOTE_SCHEME) + 1 :].partition("#")
    return unquote(path), (unquote(heading) if hash_mark else None)


def _targets(section_html: str, folder: str | None) -> list[tuple[re.Match[str], str, str | None]]:
    if "<a href=" not in section_html:
        return []
    found = []
    for match in _LINK_RE.finditer(section_html):
        target = note_target(html.unescape(match["href"]), folder)
        if target is not None:
            found.append((match, *target))
    return found


def note_link_paths(section_html: str, folder: str | None) -> list[str]:
    """The vault paths the links to notes in a rendered section name (for the notebook)."""
    return [path for _match, path, _heading in _targets(section_html, folder)]


def mark_note_links(
    section_html: str, folder: str | None, targets: Mapping[str, LinkTarget]
) -> str:
    """``section_html`` with each link to a note's file pointed at ``note:`` and marked by what
    it resolves to (a path not in ``targets`` is not known yet: no mark)."""
    found = _targets(section_html, folder)
    if not found:
        return section_html
    parts: list[str] = []
    at = 0
    for match, path, heading in found:
        target = targets.get(path_key(path))
        if target is None:
            state, tip = "", html.unescape(match["title"] or path)
        elif target.entry_id is None:
            state, tip = " wikilink-missing", f"No entry has the file {path}"
        else:
            state, tip = " wikilink-resolved", str(target.title)
        parts += [
            section_html[at : match.start()],
            f'<a class="notelink{state}" href="{html.escape(note_href(path, heading))}" '
            f'title="{html.escape(tip)}">',
        ]
        at = match.end()
    parts.append(section_html[at:])
    return "".join(parts)
