"""Quick capture: one typed text becomes one entry, with no form to fill.

    t: Superposition — more features than dimensions #mechinterp
    m: Call with an eval researcher #evals
    https://arxiv.org/abs/2209.10652 Toy models of superposition #papers

* The first line is the title, the rest the body.
* A leading ``t:``/``term:`` makes a glossary term, ``m:``/``meeting:`` a meeting,
  ``n:``/``note:`` a note (the default). For a term, ``Term — definition`` (or ``–``, ``-``,
  ``:``) splits the first line into the term and the start of its definition.
* ``#tags`` anywhere but in code become tags (nested ones too: ``#ml/rl``; the rule is
  core/markdown/syntax.py's); in the title they are removed.
* A URL in the first line, or alone on the line below it, becomes a note's source, its type
  guessed from the address.

Used by the capture box in the window, ``notebook-app capture --window`` and
``notebook-app capture``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import urlparse

from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.markdown.syntax import tag_matches, tags_in
from notebook_app.core.model.entry import Entry, Kind, ReadingStatus, SourceType, normalize_tags
from notebook_app.core.papers.arxiv import paper_day

# The grammar as written above: the window's welcome page shows its examples and rules.
CAPTURE_GRAMMAR = __doc__ or ""

KIND_PREFIXES = {
    "t": Kind.TERM,
    "term": Kind.TERM,
    "m": Kind.MEETING,
    "meeting": Kind.MEETING,
    "n": Kind.NOTE,
    "note": Kind.NOTE,
}
_PREFIX = re.compile(r"^\s*(t|term|m|meeting|n|note)\s*:\s*", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TERM_SPLIT = re.compile(r"\s+[—–-]\s+|:\s+")

PODCAST_HOSTS = (
    "podcasts.apple.com", "overcast.fm", "pca.st", "pocketcasts.com", "podbean.com",
    "anchor.fm", "simplecast.com", "transistor.fm", "buzzsprout.com", "podcasters.spotify.com",
    "castbox.fm", "podcasts.google.com",
)  # fmt: skip


def guess_source_type(url: str) -> SourceType:
    """arXiv and OpenReview are papers, YouTube videos, GitHub code, podcast hosts podcasts."""
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    path = urlparse(url).path.lower()
    if host.endswith("arxiv.org") or host.endswith("openreview.net") or path.endswith(".pdf"):
        return SourceType.PAPER
    if host in ("youtube.com", "m.youtube.com", "youtu.be", "vimeo.com"):
        return SourceType.VIDEO
    if host in ("github.com", "gitlab.com", "huggingface.co") or host.endswith(".github.com"):
        return SourceType.CODE
    if host in PODCAST_HOSTS or (host == "open.spotify.com" and "/episode" in path):
        return SourceType.PODCAST
    return SourceType.POST


@dataclasses.dataclass(slots=True)
class CaptureParse:
    """What a capture text says, before it becomes an entry (the box shows it live)."""

    kind: Kind
    title: str
    body: str
    tags: list[str]
    url: str | None


def parse_capture(text: str, *, kind: Kind | None = None) -> CaptureParse:
    """Read a capture text; ``kind`` (a CLI option, the box's Tab) wins over a prefix."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InvalidEntryError("nothing to capture: the text is empty")
    first = lines[0]
    prefix = _PREFIX.match(first)
    if prefix is not None:
        first = first[prefix.end() :]
        kind = kind or KIND_PREFIXES[prefix.group(1).lower()]
    kind = kind or Kind.NOTE
    body = "\n".join(lines[1:]).strip("\n")
    tags = normalize_tags(tags_in(text))  # the one tag rule: core/markdown/syntax.py
    title = _without_tags(first)
    url_match = _URL.search(title)
    url = url_match.group().rstrip(".,;)") if url_match else None
    if url:
        title = title.replace(url, " ")
    elif body:
        # "Title", then the link on a line of its own: the way a pasted reference looks.
        url, body = _leading_url_line(body)
    title = re.sub(r"\s+", " ", title).strip().strip("—–-:").strip()
    if title.startswith("# "):
        title = title[2:].strip()
    if kind is Kind.TERM:
        split = _TERM_SPLIT.search(title)
        if split is not None and split.start() > 0:
            definition = title[split.end() :].strip()
            title = title[: split.start()].strip()
            body = definition + ("\n\n" + body if body else "")
    if not title:
        title = _title_from_url(url) if url else ""
    if not title:
        raise InvalidEntryError("nothing to capture: the first line has no title")
    return CaptureParse(kind=kind, title=title, body=body, tags=tags, url=url)


def _without_tags(line: str) -> str:
    """``line`` with its ``#tags`` taken out."""
    kept: list[str] = []
    end = 0
    for match in tag_matches(line):
        kept.append(line[end : match.start()])
        end = match.end()
    return "".join(kept) + line[end:]


def _leading_url_line(body: str) -> tuple[str | None, str]:
    """The URL that is alone on the body's first line, and the body without that line."""
    first, _, rest = body.strip("\n").partition("\n")
    match = _URL.fullmatch(first.strip())
    if match is None:
        return None, body
    return match.group().rstrip(".,;)"), rest.strip("\n")


def _title_from_url(url: str) -> str:
    parsed = urlparse(url)
    return (parsed.hostname or "") + (parsed.path.rstrip("/") or "")


def capture_entry(
    text: str, *, kind: Kind | None = None, extra_tags: list[str] | None = None
) -> Entry:
    """The entry a capture text makes (not stored: the caller adds it to its notebook)."""
    parsed = parse_capture(text, kind=kind)
    entry = Entry(
        kind=parsed.kind,
        title=parsed.title,
        body=parsed.body,
        tags=normalize_tags([*parsed.tags, *(extra_tags or [])]),
    )
    if parsed.kind is Kind.NOTE and parsed.url:
        entry.url = parsed.url
        entry.source_type = guess_source_type(parsed.url)
        entry.reading_status = ReadingStatus.TO_READ
        entry.read_on = paper_day(parsed.url)  # an arXiv paper's month, else none
    elif parsed.url:
        # Terms and meetings have no source field: keep the link in the body.
        entry.body = (entry.body + "\n\n" if entry.body else "") + parsed.url
    if parsed.kind is Kind.MEETING:
        entry.met_on = dt.date.today()
    return entry
