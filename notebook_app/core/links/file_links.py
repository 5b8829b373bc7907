"""Links to notes written as Markdown links to their files, as Obsidian writes them with "Use
[[Wikilinks]]" off, and as Foam, Joplin, Notion exports and plain git repositories do:
``[Other page](Other%20page.md)``, ``[x](../ideas/Other.md)``, ``[x](<Other page.md>)``,
``[x](Other.md#Heading)``, and reference links: ``[Other]`` (or ``[text][Other]``) with a
definition ``[Other]: Other.md "Other"`` elsewhere in the note (Foam writes them at the end).

A target is a note's file when, decoded (``%20`` → space), it ends in a note's suffix (``.md``,
``.markdown``, ``.txt``...: ``attachments.references.NOTE_SUFFIXES``, which is why such a
target is never an attachment). It is read relative to the linking note's folder, ``#heading``
kept apart, and names the entry imported from that file: the entry whose vault path (folder +
file name, which the notebook records) it is, compared case-insensitively (a vault is moved
between file systems that differ in case). A target with a scheme (``https:``, ``file:``), an
absolute path, ``..`` past the vault's top, or another suffix is not a link to a note: it stays
what it is. Nothing in code is a link.

The link table keeps these links beside the ``[[links]]`` (``storage/links.py``), resolved by
a key of their own (:func:`path_key`) that no title's key can equal: a title's key never holds
the character it starts with (``wikilinks.name_key`` reads it as a space). The text is never
rewritten: import and export carry it as written.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import unquote

from notebook_app.core.attachments.references import MD_LINK_RE, NOTE_SUFFIXES, masked_code
from notebook_app.core.markdown.syntax import WIKI_LINK_OR_EMBED_RE

__all__ = [
    "DEFINITION_RE",
    "PATH_KEY_MARK",
    "FileLink",
    "entry_path",
    "file_links_in",
    "note_target",
    "path_key",
]

# Starts every path key: ASCII "unit separator", which str.split() (and so name_key) treats as
# a space, so no title or alias key can start with it.
PATH_KEY_MARK = "\x1f"

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# A link reference definition (CommonMark): up to three spaces, [label]:, the target, an
# optional title, nothing else on the line.
DEFINITION_RE = re.compile(
    r"^ {0,3}\[(?P<label>[^\[\]\n]+)\]:[ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<bare>\S+))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.MULTILINE,
)
# A reference link: [text][label], [label][] or [label] alone.
_REFERENCE_RE = re.compile(
    r"(?<![\\!\]])\[(?P<text>[^\[\]\n]+)\](?:\[(?P<label>[^\[\]\n]*)\])?(?![(:])"
)


class FileLink(NamedTuple):
    start: int  # offset in the text of the link's "["
    end: int  # offset just past it
    path: str  # the vault path it names, decoded and resolved: "ideas/Other page.md"
    heading: str | None  # after "#", decoded
    shown: str  # the link's text


def path_key(path: str) -> str:
    """What a vault path is compared by: NFC, case folded, after :data:`PATH_KEY_MARK`."""
    return PATH_KEY_MARK + unicodedata.normalize("NFC", path).casefold()


def entry_path(folder: str | None, file_name: str | None) -> str | None:
    """An entry's vault path, None when it came from no file (made in the app)."""
    if not file_name:
        return None
    return posixpath.join(folder, file_name) if folder else file_name


def note_target(raw: str, folder: str | None) -> tuple[str, str | None] | None:
    """(vault path, heading) of a link's written target from a note in ``folder``; None when
    it names no note of the vault (see the module's doc)."""
    target = raw.strip()
    if not target or _SCHEME_RE.match(target) or target.startswith(("/", "\\", "#")):
        return None
    written, hash_mark, fragment = target.partition("#")
    path = unquote(written).replace("\\", "/")
    if posixpath.splitext(path)[1].lower() not in NOTE_SUFFIXES or path.startswith("/"):
        return None
    full = posixpath.normpath(posixpath.join(folder or "", path))
    if full in (".", "..") or full.startswith(("../", "/")):
        return None
    heading = unquote(fragment).strip() if hash_mark else ""
    return full, heading or None


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def file_links_in(text: str, folder: str | None) -> list[FileLink]:
    """Every link to a note's file in ``text`` (a note in ``folder``), in order, outside code;
    a reference link's place is where it is used, not its definition."""
    if "](" not in text and "]:" not in text:
        return []
    # Most links are to web pages: a text naming no note's suffix is not scanned (an import
    # reads every body, and the patterns below cost ten times what the [[link]] reader does).
    lowered = text.lower()
    if not any(suffix in lowered for suffix in NOTE_SUFFIXES):
        return []
    masked = masked_code(text)
    taken: list[tuple[int, int]] = []  # what is no place for a reference link
    found: list[FileLink] = []
    if "](" in text:
        for match in MD_LINK_RE.finditer(masked):
            taken.append(match.span())
            if match["bang"]:
                continue  # an image
            raw = match["angled"] if match["angled"] is not None else match["bare"]
            target = note_target(raw or "", folder)
            if target is not None:
                found.append(FileLink(match.start(), match.end(), *target, match["text"].strip()))
    if "[[" in text:  # [[Title]](x.md) is the wiki link's (nothing in it is another link)
        wiki = [match.span() for match in WIKI_LINK_OR_EMBED_RE.finditer(masked)]
        taken += wiki
        found = [link for link in found if not any(s <= link.start < e for s, e in wiki)]
    definitions: dict[str, tuple[str, str | None] | None] = {}
    if "]:" in text:
        for match in DEFINITION_RE.finditer(masked):
            taken.append(match.span())
            raw = match["angled"] if match["angled"] is not None else match["bare"]
            definitions.setdefault(_label_key(match["label"]), note_target(raw or "", folder))
    if any(definitions.values()):
        for match in _REFERENCE_RE.finditer(masked):
            if any(s <= match.start() < e for s, e in taken):
                continue
            label = match["label"] or match["text"]  # [text][] and [text] name themselves
            target = definitions.get(_label_key(label))
            if target is not None:
                found.append(FileLink(match.start(), match.end(), *target, match["text"].strip()))
        found.sort(key=lambda link: link.start)
    return found
