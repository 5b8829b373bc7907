"""Where a note's text names a file: the one reader of attachment references.

Obsidian's and CommonMark's forms:

* ``![[x.png]]``, ``![[x.png|300]]``, ``![[x.png|300x200]]``, ``![[doc.pdf#page=3]]``: an embed;
* ``[[paper.pdf]]``: a wiki link to a file (a target without a file suffix is a note, not ours);
* ``![alt](img/x.png)``, ``![alt](<path with spaces.png>)``, ``![](img/x%20y.png)``: an image;
* ``[text](files/paper.pdf)``: a link to a local file.

Targets are decoded (``%20`` → space) and never reach the network or leave the vault: a target
with a scheme (``https:``, ``file:``), an absolute path or ``..`` past the top is not ours. A
target is relative to the note's folder, so ``../assets/x.png`` in ``pages/`` (as Logseq writes
every image) is the vault's ``assets/x.png``.
Nothing in code (fenced blocks, code spans) is a reference.
"""

from __future__ import annotations

import dataclasses
import mimetypes
import posixpath
import re
from urllib.parse import unquote

# Files that are notes, not attachments: import, export and sync read them as entries
# (formats/vault_files.is_note_file).
NOTE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".txt", ".text"})

_WIKI_RE = re.compile(r"(?P<bang>!?)\[\[(?P<target>[^\[\]|#^\n]+)(?P<anchor>[#^][^\[\]|\n]*)?"
                      r"(?:\|(?P<alias>[^\[\]\n]*))?\]\]")  # fmt: skip
# A CommonMark inline link or image, ``[text](target "title")``: also read by
# core/links/file_links.py, for the links to notes this module leaves out.
MD_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*"
    r"(?:<(?P<angled>[^<>\n]*)>|(?P<bare>[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SIZE_RE = re.compile(r"^\s*(\d{1,5})(?:\s*x\s*(\d{1,5}))?\s*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    """One place a note names a file."""

    target: str  # as written, decoded, without the #anchor: "img/x.png", "x.png"
    embed: bool  # shown in place (``![[…]]``, ``![…](…)``) rather than linked
    width: int | None = None  # ``|300`` or ``|300x200``
    height: int | None = None
    start: int = 0  # where in the text (the whole ``![[…]]``)
    end: int = 0


def is_file_name(name: str) -> bool:
    """Whether a wiki target names a file rather than a note: it ends in a known file suffix
    that is not a note's (``paper.pdf`` yes; ``v1.10``, ``Meeting notes`` no)."""
    suffix = posixpath.splitext(name)[1].lower()
    if not suffix or suffix in NOTE_SUFFIXES:
        return False
    return mimetypes.guess_type("x" + suffix, strict=False)[0] is not None


def guess_mime(name: str, data: bytes = b"") -> str:
    """The type of a file, from its first bytes for the common images, else its name."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def clean_target(raw: str, folder: str | None = "") -> str | None:
    """A written target as a vault-relative name ("" parts and ``./`` removed), or None when it
    is not a file in the vault (a URL, an absolute path, ``..`` past the top from the note's
    ``folder``, an anchor). ``folder`` None: the note's folder is not known here (the renderer,
    whose HTML depends on the text alone); a ``../`` target is kept, and the resolver, which
    joins it to the note's folder and looks only among stored files, decides."""
    target = raw.strip()
    if not target or _SCHEME_RE.match(target) or target.startswith(("/", "\\", "#")):
        return None
    target = unquote(target).replace("\\", "/")
    target = target.split("#", 1)[0]
    if not target or target.startswith("/"):
        return None
    normal = posixpath.normpath(target)
    if normal in (".", ".."):
        return None
    if normal.startswith("../") and folder is not None:
        # Up from the note's folder: ours while it stays inside the vault (the target is kept
        # as written; resolving it joins it to the note's folder).
        inside = posixpath.normpath(posixpath.join(folder, normal))
        if inside in (".", "..") or inside.startswith("../"):
            return None
    return normal


def masked_code(text: str) -> str:
    """``text`` with code (fenced blocks, code spans) blanked out, offsets kept."""
    if "`" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)
            lines[index] = " " * len(line)
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            lines[index] = " " * len(line)
    masked = "\n".join(lines)
    return _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), masked)


def references_in(text: str, folder: str = "") -> list[Reference]:
    """Every file the text names, in order (a file named twice is listed twice); ``folder`` is
    the note's, in the vault ("" at the top), which a ``../`` target may climb out of."""
    if "[" not in text:
        return []
    masked = masked_code(text)
    found: list[Reference] = []
    for match in _WIKI_RE.finditer(masked):
        target = clean_target(match.group("target"), folder)
        if target is None:
            continue
        embed = bool(match.group("bang"))
        if not is_file_name(target):
            continue  # a note (``![[Note]]`` transcludes a note: not an attachment)
        width = height = None
        size = _SIZE_RE.match(match.group("alias") or "")
        if embed and size:
            width = int(size.group(1))
            height = int(size.group(2)) if size.group(2) else None
        found.append(Reference(target, embed, width, height, match.start(), match.end()))
    for match in MD_LINK_RE.finditer(masked):
        raw = match.group("angled") if match.group("angled") is not None else match.group("bare")
        target = clean_target(raw or "", folder)
        if target is None:
            continue
        embed = bool(match.group("bang"))
        suffix = posixpath.splitext(target)[1].lower()
        if suffix in NOTE_SUFFIXES or (not embed and not is_file_name(target)):
            continue
        found.append(Reference(target, embed, None, None, match.start(), match.end()))
    found.sort(key=lambda reference: reference.start)
    return found


def embed_text(name: str, *, image: bool) -> str:
    """What the editor inserts for a stored file: an embed for an image, a link otherwise."""
    return f"![[{name}]]" if image else f"[[{name}]]"
