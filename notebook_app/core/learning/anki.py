"""The glossary as an Anki deck (``.apkg``, written with ``genanki``).

One note per term, of a note type with two cards: term → definition and definition → term
(Anki makes no reverse card for a term without a definition). The ids of the note type and
the deck are fixed and each note's GUID comes from the entry's id, so importing a new export
into Anki updates the notes it already has instead of adding copies. Tags go along (Anki tags
hold no spaces, nor do ours, but a space would become ``_``; ``/`` becomes Anki's hierarchy
``::``). The definition is rendered to HTML by the notebook's one renderer; its formulas are
left for Anki's MathJax as ``\\(…\\)`` and ``\\[…\\]``; its images (the note's own files) go into
the deck's media. New cards are due in glossary order.
"""

from __future__ import annotations

import functools
import html
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notebook_app.core.errors import NotebookError
from notebook_app.core.model.entry import Entry, Kind

if TYPE_CHECKING:
    from notebook_app.core.storage.notebook import Notebook

# Fixed forever: Anki recognises the note type and deck of an earlier import by these.
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
DECK_NAME = "Notebook glossary"
GUID_PREFIX = "notebook-app term"

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.term { font-size: 28px; font-weight: bold; text-align: center; }
.aliases { color: #666; text-align: center; }
pre { background: #f4f4f4; padding: 6px; overflow-x: auto; }
"""
_FRONT = (
    '<div class="term">{{Term}}</div>{{#Aliases}}<div class="aliases">{{Aliases}}</div>{{/Aliases}}'
)


class AnkiExportError(NotebookError):
    """The deck cannot be written where asked; nothing was written."""


def anki_tag(tag: str) -> str:
    """A notebook tag as an Anki tag: ``ml/interp`` → ``ml::interp``, no spaces."""
    return re.sub(r"\s+", "_", tag.strip()).replace("/", "::")


def note_guid(entry_id: str) -> str:
    """The note's GUID: the same entry always gets the same one."""
    import genanki

    return str(genanki.guid_for(GUID_PREFIX, entry_id))


# --- math ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\d$])")


@functools.cache
def _project_math_finder() -> Any:
    """The markdown package's own formula finder (``math_spans.find_math``), if it has one."""
    try:
        from notebook_app.core.markdown import math_spans  # type: ignore[attr-defined]
    except ImportError:
        return None
    return math_spans.find_math


def _find_math(text: str) -> list[tuple[int, int, str, bool]]:
    """The formulas in ``text``: (start, end, LaTeX source, display). The markdown package's
    own finder when it has one, else the same rules for ``$``/``$$`` outside code."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return []
    finder = _project_math_finder()
    if finder is not None:
        return [(s.start, s.end, s.source, s.display) for s in finder(text)]
    if "$" not in text:
        return []
    code = [m.span() for m in _FENCE.finditer(text)] + [m.span() for m in _CODE_SPAN.finditer(text)]

    def in_code(start: int) -> bool:
        return any(a <= start < b for a, b in code)

    found: list[tuple[int, int, str, bool]] = []
    for match in _DISPLAY.finditer(text):
        if not in_code(match.start()):
            found.append((match.start(), match.end(), match.group(1).strip(), True))
    taken = [(a, b) for a, b, _s, _d in found]
    for match in _INLINE.finditer(text):
        start = match.start()
        if not in_code(start) and not any(a <= start < b for a, b in taken):
            found.append((start, match.end(), match.group(1), False))
    return sorted(found)


def definition_html(render: Callable[[str], str], markdown_text: str) -> str:
    """The definition as HTML for Anki: rendered, its formulas as ``\\(…\\)`` / ``\\[…\\]``."""
    spans = _find_math(markdown_text)
    if not spans:
        return render(markdown_text)
    pieces: list[str] = []
    formulas: dict[str, str] = {}
    last = 0
    for index, (start, end, source, display) in enumerate(spans):
        key = f"ANKIMATHZ{index}Z"
        escaped = html.escape(source, quote=False)
        formulas[key] = f"\\[{escaped}\\]" if display else f"\\({escaped}\\)"
        pieces += [markdown_text[last:start], key]
        last = end
    pieces.append(markdown_text[last:])
    rendered = render("".join(pieces))
    return re.sub(r"ANKIMATHZ\d+Z", lambda m: formulas.get(m.group(), m.group()), rendered)


# --- images -------------------------------------------------------------------------------

# The renderer gives a note's own images as ``attachment:NAME`` (the preview's scheme), which
# means nothing to Anki: each goes into the deck's media, named by its bytes (the same file is
# one media file, and a later export names it the same), and the <img> names that.
_ATTACHMENT_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")attachment:([^"]+)(")')


class _Media:
    """The images the definitions show, written to a scratch folder for the package."""

    def __init__(self, notebook: Notebook, folder: Path) -> None:
        self.notebook, self.folder = notebook, folder
        self.resolver: Any = None
        self.paths: dict[str, str] = {}  # media name -> file in the scratch folder

    def localize(self, definition: str, entry_id: str) -> str:
        if "attachment:" not in definition:
            return definition
        from urllib.parse import unquote

        from notebook_app.core.attachments.store import Resolver, read_blob

        if self.resolver is None:
            self.resolver = Resolver(self.notebook)

        def swap(match: re.Match[str]) -> str:
            target = unquote(html.unescape(match.group(2)))
            found = self.resolver.resolve(target, entry_id)
            if found is None:
                return match.group()  # a missing file: shown as missing, as in the preview
            name = f"notebook-{found.sha256[:16]}{Path(found.path).suffix.lower()}"
            if name not in self.paths:
                data = read_blob(self.notebook, found.sha256)
                if data is None:
                    return match.group()
                (self.folder / name).write_bytes(data)
                self.paths[name] = str(self.folder / name)
            return f"{match.group(1)}{html.escape(name)}{match.group(3)}"

        return _ATTACHMENT_IMG.sub(swap, definition)


# A [[link]] names an entry of this notebook (``wiki:`` URLs the window follows); in Anki it
# would lead nowhere, so it stays as its text, marked.
_WIKI_LINK = re.compile(r'<a class="(wikilink[^"]*)" href="wiki:[^"]*">(.*?)</a>', re.S)


def _unlink_wiki_links(definition: str) -> str:
    return _WIKI_LINK.sub(r'<span class="\1">\2</span>', definition)


# --- the deck -----------------------------------------------------------------------------


def _model() -> Any:
    import genanki

    return genanki.Model(
        MODEL_ID,
        "Notebook term",
        fields=[{"name": "Term"}, {"name": "Aliases"}, {"name": "Definition"}, {"name": "Entry"}],
        templates=[
            {
                "name": "Term → Definition",
                "qfmt": _FRONT,
                "afmt": '{{FrontSide}}<hr id="answer">{{Definition}}',
            },
            {
                "name": "Definition → Term",
                "qfmt": "{{#Definition}}{{Definition}}{{/Definition}}",
                "afmt": '{{FrontSide}}<hr id="answer">' + _FRONT,
            },
        ],
        css=_CSS,
        sort_field_index=0,
    )


def glossary_terms(notebook: Notebook, tags: Iterable[str] = ()) -> list[Entry]:
    """The live terms (with every one of ``tags``, nested tags included), in glossary order."""
    from notebook_app.core.model.listing import Scope, Sort

    wanted = tuple(tags)
    scope = Scope(kinds=frozenset({Kind.TERM}), tags=wanted)
    summaries = notebook.search("", scope=scope, sort=Sort.GLOSSARY, limit=1 << 62)
    ids = [summary.id for summary in summaries]
    by_id = {entry.id: entry for entry in _entries(notebook, ids)}
    return [by_id[entry_id] for entry_id in ids if entry_id in by_id]


def _entries(notebook: Notebook, ids: list[str]) -> Iterable[Entry]:
    wanted = set(ids)
    if len(wanted) * 2 > notebook.count_entries():
        return (entry for entry in notebook.iter_entries() if entry.id in wanted)
    return (notebook.get(entry_id) for entry_id in ids)


def export_anki(
    notebook: Notebook, path: Path | str, *, tags: Iterable[str] = ()
) -> tuple[int, int]:
    """Write the glossary (only terms with all of ``tags``, if given) to ``path`` as an Anki
    deck. Written beside the target and moved into place: a failure leaves no half a file.
    Returns the numbers of notes and cards."""
    import genanki

    from notebook_app.core.markdown.renderer import MarkdownRenderer

    target = Path(path).expanduser()
    if target.is_dir():
        raise AnkiExportError(f"cannot write the deck to {target}: it is a folder")
    terms = glossary_terms(notebook, tags)
    renderer = MarkdownRenderer()
    model = _model()
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    with tempfile.TemporaryDirectory(prefix="notebook-anki-") as media_folder:
        media = _Media(notebook, Path(media_folder))
        for rank, term in enumerate(terms, start=1):
            definition = definition_html(lambda text: renderer.render(text).html, term.body)
            definition = _unlink_wiki_links(media.localize(definition, term.id))
            deck.add_note(_note(model, term, definition, rank))
        _write_package(genanki.Package(deck, media_files=list(media.paths.values())), target)
    cards = sum(2 if term.body.strip() else 1 for term in terms)
    return len(terms), cards


def _note(model: Any, term: Entry, definition: str, rank: int) -> Any:
    import genanki

    return genanki.Note(
        model=model,
        fields=[
            html.escape(term.title, quote=False),
            html.escape(", ".join(term.aliases), quote=False),
            definition if term.body.strip() else "",
            term.id,
        ],
        guid=note_guid(term.id),
        tags=[anki_tag(tag) for tag in term.tags],
        due=rank,
    )


def _write_package(package: Any, target: Path) -> None:
    try:
        handle, scratch = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise AnkiExportError(
            f"cannot write the deck to {target}: {error.strerror or error}"
        ) from None
    os.close(handle)
    try:
        package.write_to_file(scratch)
        os.replace(scratch, target)
    except OSError as error:
        raise AnkiExportError(
            f"cannot write the deck to {target}: {error.strerror or error}"
        ) from None
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
