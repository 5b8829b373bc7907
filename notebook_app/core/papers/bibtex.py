"""BibTeX out and in: one entry per paper note, one note per BibTeX entry.

Export (:func:`bibtex_document`) writes the paper notes (source type "paper", or a URL that is
an arXiv or DOI link): ``@misc`` for arXiv papers (the id as ``eprint`` with
``archivePrefix = {arXiv}``), ``@article`` for DOI links, ``@misc`` otherwise. The key is the
first author's family name (``anon`` without authors), the year and the first word of the
title (``vaswani2017attention``), made unique with ``a``, ``b``... The year and month are the
arXiv id's, else the day read.

Import (:func:`parse_bibtex`, through ``importing``'s ``.bib`` hook) makes one note per entry,
parsed with ``bibtexparser`` (v2). Where things go: title, ``author`` (as ``A and B``), the URL
(the arXiv abstract page when the entry has an arXiv id, else its ``url``, else
``https://doi.org/DOI``), the abstract as the body of a new note, ``keywords`` as tags, and the
year and month as the day read (the first of the month; January when no month). A note is
matched by arXiv id, then DOI, then URL, then title, so importing again updates the note
(title, authors, URL; the day read only if it had none) and keeps what the user wrote in it
(body, tags, status). A file bibtexparser cannot read in full is refused with the line of
every broken block, and nothing is imported.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from notebook_app.core.errors import ImportProblem, InvalidEntryError
from notebook_app.core.model.entry import Entry, Kind, ReadingStatus, SourceType, normalize_tag
from notebook_app.core.papers.arxiv import arxiv_from_url, paper_day, parse_arxiv_id

if TYPE_CHECKING:
    from notebook_app.core.storage.notebook import Notebook

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters and how a title writes them.
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
_SKIPPED_TITLE_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "to", "and", "for"})
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")


def latex_escape(text: str) -> str:
    """Text with LaTeX's specials escaped, as a BibTeX value can hold it."""
    return _SPECIAL.sub(lambda match: _LATEX_SPECIALS[match.group()], text)


def doi_from_url(url: str | None) -> str | None:
    """The DOI of a ``doi.org`` link (``10.1038/nature14539``), or None."""
    if not url:
        return None
    for prefix in DOI_PREFIXES:
        if url.lower().startswith(prefix):
            return url[len(prefix) :].strip() or None
    return None


def is_paper(entry: Entry) -> bool:
    return entry.kind is Kind.NOTE and (
        entry.source_type is SourceType.PAPER
        or arxiv_from_url(entry.url) is not None
        or doi_from_url(entry.url) is not None
    )


def split_authors(authors: str | None) -> list[str]:
    """The names in an authors field: ``A and B``, ``A, B & C`` or ``A; B``; a lone
    ``Family, Given`` is one name."""
    if not authors or not authors.strip():
        return []
    text = authors.strip()
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\sand\s", text) and all(
        "," in part for part in re.split(r"\s+and\s+", text)
    ):  # BibTeX's own form: "Vaswani, Ashish and Shazeer, Noam"
        parts = re.split(r"\s+and\s+", text)
    elif _FAMILY_FIRST.fullmatch(text):
        # "Witten, Edward", "Le, Quoc V.": one person, family name first (as BibTeX, Zotero and
        # reference managers write a lone author), not two people of one word each.
        parts = [text]
    else:
        parts = re.split(r",|\s+and\s+|\s+&\s+", text)
    return [part.strip() for part in parts if part.strip() and part.strip() != "et al."]


# One family name (a word, hyphens and apostrophes allowed), a comma, a given name and at most
# two initials: "Witten, Edward", "Le, Quoc V.", "O'Neil, J. R.".
_FAMILY_FIRST = re.compile(r"[^\W\d_][\w'’-]*,\s*[^\W\d_][\w'’.-]*(?:\s+[^\W\d_]\.){0,2}")


def _family_name(author: str) -> str:
    family = author.split(",")[0] if "," in author else author.split()[-1]
    folded = unicodedata.normalize("NFKD", family)
    return "".join(c for c in folded if c.isascii() and c.isalpha()).lower()


def _year_month(entry: Entry) -> tuple[int | None, int | None]:
    found = arxiv_from_url(entry.url)
    if found is not None:
        return found.month
    if entry.read_on is not None:
        return entry.read_on.year, entry.read_on.month
    return None, None


def citation_key(entry: Entry, taken: set[str]) -> str:
    """``family`` + ``year`` + first title word, unique among ``taken`` (which it joins)."""
    authors = split_authors(entry.authors)
    family = _family_name(authors[0]) if authors else ""
    year, _month = _year_month(entry)
    title_words = [w.lower() for w in re.findall(r"[A-Za-z]+", entry.title)]
    word = next((w for w in title_words if w not in _SKIPPED_TITLE_WORDS), "")
    base = f"{family or 'anon'}{year or ''}{word}"
    key, suffix = base, 0
    while key in taken:
        key = base + "abcdefghijklmnopqrstuvwxyz"[suffix % 26] * (suffix // 26 + 1)
        suffix += 1
    taken.add(key)
    return key


def bibtex_entry(entry: Entry, key: str) -> str:
    """One ``@type{key, ...}`` block."""
    found = arxiv_from_url(entry.url)
    doi = doi_from_url(entry.url)
    kind = "article" if doi else "misc"
    fields: list[tuple[str, str]] = [("title", "{" + latex_escape(entry.title) + "}")]
    authors = split_authors(entry.authors)
    if authors:
        fields.append(("author", latex_escape(" and ".join(authors))))
    year, month = _year_month(entry)
    if year:
        fields.append(("year", str(year)))
    if month:
        fields.append(("month", _MONTHS[month - 1]))
    if found is not None:
        fields += [("eprint", found.id), ("archivePrefix", "arXiv")]
    if doi:
        fields.append(("doi", doi))
    if entry.url:
        fields.append(("url", entry.url))
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines)


def bibtex_document(entries: Iterable[Entry]) -> tuple[str, int]:
    """The BibTeX text of the paper notes among ``entries``, and how many it holds."""
    taken: set[str] = set()
    blocks = [
        bibtex_entry(entry, citation_key(entry, taken)) for entry in entries if is_paper(entry)
    ]
    return ("\n\n".join(blocks) + "\n" if blocks else ""), len(blocks)


# --- import -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class BibRecord:
    """What one BibTeX entry says, in the notebook's terms."""

    key: str
    line: int  # 1-based, where the entry starts
    title: str
    authors: str | None
    url: str | None
    arxiv: str | None
    doi: str | None
    year: int | None
    month: int | None
    abstract: str
    keywords: tuple[str, ...]
    source_type: SourceType


def _month(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.index(text[:3]) + 1 if text[:3] in _MONTHS else None


def _bib_authors(value: str | None) -> str | None:
    """A BibTeX author list as the note keeps it: as written when :func:`split_authors` reads
    the same names back from it, else with each ``Family, Given`` turned to ``Given Family``
    (one "Witten, Edward" alone, or beside "Juan Maldacena", would read as two people)."""
    if not value:
        return None
    names = [name.strip() for name in re.split(r"\s+and\s+", value) if name.strip()]
    if split_authors(" and ".join(names)) == names:
        return " and ".join(names)
    flipped = []
    for name in names:  # BibTeX's "von Last, First" and "von Last, Jr, First"
        parts = [part.strip() for part in name.split(",") if part.strip()]
        flipped.append(" ".join([parts[-1], parts[0], *parts[1:-1]]) if len(parts) > 1 else name)
    return " and ".join(flipped)


def _clean(value: str) -> str:
    # pylatexenc decodes \textasciicircum (what export writes for "^") as U+02C6.
    return re.sub(r"\s+", " ", value).strip().replace("\u02c6", "^")


# Fields BibTeX styles print verbatim (``\url``, ``\doi``): read as LaTeX, a URL's ``%``
# starts a comment, ``~`` is a space and ``&`` vanishes. Only the escapes some tools write
# (``a\_b``) are undone.
_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$])")


def _decoder() -> Any:
    """bibtexparser's LaTeX decoding for every field but the verbatim ones."""
    from bibtexparser.middlewares import LatexDecodingMiddleware

    class TextFieldsDecoding(LatexDecodingMiddleware):
        def transform_entry(self, entry: Any, library: Any) -> Any:
            fields = entry.fields
            entry.fields = [f for f in fields if f.key.lower() not in _VERBATIM_FIELDS]
            try:
                return super().transform_entry(entry, library)
            finally:
                entry.fields = fields

    return TextFieldsDecoding()


def _parse_keeping_repeated_keys(text: str) -> Any:
    """The parsed library, with the entries that repeat an earlier entry's key: a note is found
    by its paper, never by its key, and hand-merged files often repeat keys. (bibtexparser sets
    such an entry aside unparsed; it is renamed ``key\\0N`` here and parsed with the rest.)"""
    import bibtexparser
    from bibtexparser.middlewares.parsestack import default_parse_stack
    from bibtexparser.model import DuplicateBlockKeyBlock
    from bibtexparser.model import Entry as BibEntry

    split = bibtexparser.parse_string(text, parse_stack=[])
    blocks = []
    for number, block in enumerate(split.blocks):
        if isinstance(block, DuplicateBlockKeyBlock):
            if not isinstance(block.ignore_error_block, BibEntry):
                continue  # a repeated @string: the first definition holds
            block = block.ignore_error_block
            block.key = f"{block.key}\0{number}"
        blocks.append(block)
    library = bibtexparser.Library(blocks)
    for middleware in [*default_parse_stack(allow_inplace_modification=True), _decoder()]:
        library = middleware.transform(library=library)
    return library


def parse_bibtex(text: str) -> list[BibRecord]:
    """The records of a BibTeX text; ImportProblem naming the lines of every broken block."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # we report the failures
    library = _parse_keeping_repeated_keys(text)
    if library.failed_blocks:
        problems = []
        for block in library.failed_blocks:
            reason = str(getattr(block, "error", "") or "").strip().splitlines()
            head = (str(getattr(block, "raw", "")).strip().splitlines() or [""])[0][:40]
            detail = reason[0] if reason else f"cannot read {head!r}"
            problems.append(f"line {(block.start_line or 0) + 1}: {detail}")
        raise ImportProblem("malformed BibTeX: " + "; ".join(problems))
    records = []
    for item in library.entries:
        values = {
            name.lower(): _clean(str(field.value)) for name, field in item.fields_dict.items()
        }
        for name in _VERBATIM_FIELDS & values.keys():
            values[name] = _VERBATIM_ESCAPE.sub(r"\1", values[name])
        line = (item.start_line or 0) + 1  # bibtexparser counts from 0
        key = item.key.split("\0")[0]
        if not values.get("title"):
            raise ImportProblem(f"line {line}: entry {key!r} has no title")
        eprint = values.get("eprint", "")
        arxiv = parse_arxiv_id(eprint) if eprint else None
        url = values.get("url") or None
        if arxiv is None:
            arxiv = arxiv_from_url(url)
        doi = values.get("doi") or doi_from_url(url)
        year_text = values.get("year", "")
        year = int(year_text[:4]) if year_text[:4].isdigit() else None
        if arxiv is not None:
            url = url if arxiv_from_url(url) else arxiv.abs_url
        elif not url and doi:
            url = "https://doi.org/" + doi
        keywords = tuple(
            k.strip() for k in re.split(r"[,;]", values.get("keywords", "")) if k.strip()
        )
        records.append(BibRecord(
            key=key, line=line, title=values["title"],
            authors=_bib_authors(values.get("author")), url=url, arxiv=arxiv.id if arxiv else None,
            doi=doi, year=year, month=_month(values.get("month")),
            abstract=values.get("abstract", ""), keywords=keywords,
            source_type=SourceType.BOOK if item.entry_type.lower() in ("book", "inbook")
            else SourceType.PAPER,
        ))  # fmt: skip
    return records


def _tags(keywords: Iterable[str]) -> list[str]:
    tags = []
    for keyword in keywords:
        try:
            tags.append(normalize_tag(keyword))
        except InvalidEntryError:
            continue  # a keyword that cannot be a tag stays out, not the whole entry
    return tags


class PaperIndex:
    """The notebook's notes by arXiv id, DOI, URL and title: how a BibTeX entry finds its note."""

    def __init__(self, notes: Iterable[tuple[str, str | None, str]]) -> None:
        self.keys: dict[str, str] = {}
        for entry_id, url, title in notes:
            for key in self._keys(url, None, None, title):
                self.keys.setdefault(key, entry_id)

    @staticmethod
    def _keys(url: str | None, arxiv: str | None, doi: str | None, title: str) -> list[str]:
        found = arxiv or (a.id if (a := arxiv_from_url(url)) else None)
        doi = doi or doi_from_url(url)
        keys = [f"arxiv:{found}"] if found else []
        keys += [f"doi:{doi.lower()}"] if doi else []
        if url:
            parts = urlsplit(url)
            keys.append("url:" + (parts.netloc + parts.path).lower().removeprefix("www."))
        return keys + ["title:" + _clean(title).casefold()]

    def find(self, record: BibRecord) -> str | None:
        for key in self._keys(record.url, record.arxiv, record.doi, record.title):
            if key in self.keys:
                return self.keys[key]
        return None


def record_entry(record: BibRecord, current: Entry | None) -> Entry:
    """The note a record makes, or ``current`` with the record's bibliographic fields."""
    import datetime as dt

    day = dt.date(record.year, record.month or 1, 1) if record.year else paper_day(record.url)
    if current is not None:
        return current.replace(
            title=record.title,
            authors=record.authors or current.authors,
            url=record.url or current.url,
            read_on=current.read_on or day,  # the day the user read it, once known, stays
            source_type=current.source_type or record.source_type,
        )
    return Entry(
        kind=Kind.NOTE, title=record.title, authors=record.authors, url=record.url,
        read_on=day, source_type=record.source_type, body=record.abstract,
        tags=_tags(record.keywords), reading_status=ReadingStatus.TO_READ,
    )  # fmt: skip


def bib_entries(notebook: Notebook, text: str) -> list[Entry]:
    """The notes a ``.bib`` text makes or updates in ``notebook`` (nothing written here: the
    import plans and applies them in one transaction)."""
    records = parse_bibtex(text)
    index = PaperIndex(
        notebook.conn.execute(
            "SELECT id, url, title FROM entries WHERE kind = 'note' AND trashed IS NULL"
        )
    )
    entries = []
    for record in records:
        found = index.find(record)
        entry = record_entry(record, notebook.get(found) if found else None)
        try:
            entry.validate()
        except InvalidEntryError as error:
            raise ImportProblem(f"line {record.line}: {error}") from None
        entries.append(entry)
    return entries
