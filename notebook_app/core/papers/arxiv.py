"""The arXiv id a note's URL names, read offline from the URL alone.

Handled: ``arxiv.org`` (with ``www.`` and ``export.``), its ``abs``, ``pdf`` and ``html`` pages,
with or without a version (``v2``) and a ``.pdf`` suffix, new-style ids (``2409.13373``,
``0704.0001``) and old-style ones (``hep-th/9901001``, ``math.GT/0309136``), and the mirrors
that keep arXiv's paths (alphaxiv.org, ar5iv). Anything else is not an arXiv paper (None).

A paper's id tells the month it was submitted (``2409`` is September 2024): :func:`paper_day`
makes that the first day of the month, the default day read of a note imported or captured
without one (the first, because the id says nothing finer and the day then stays inside the
month whatever day the paper came out).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import urlsplit

# Hosts that serve arXiv papers under arXiv's own paths (a host ends with one of these).
ARXIV_HOSTS = ("arxiv.org", "alphaxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org")
# Path heads before the id: the abstract, the PDF, the HTML rendering, alphaxiv's overview.
_PAGES = ("abs", "pdf", "html", "format", "overview")
_NEW_ID = re.compile(r"(?P<yymm>\d{4})\.(?P<number>\d{4,5})(?:v(?P<version>\d+))?")
_OLD_ID = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?)/(?P<yymm>\d{4})(?P<number>\d{3})"
    r"(?:v(?P<version>\d+))?"
)


@dataclasses.dataclass(frozen=True, slots=True)
class ArxivId:
    """An arXiv identifier: ``id`` without the version (``2409.13373``), ``version`` or None."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"

    @property
    def label(self) -> str:
        """How a list shows it: ``arXiv 2409.13373``."""
        return f"arXiv {self.id}"

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self}"

    @property
    def month(self) -> tuple[int, int]:
        """(year, month) of submission, from the id's YYMM."""
        yymm = self.id[:4] if "/" not in self.id else self.id.split("/", 1)[1][:4]
        year, month = int(yymm[:2]), int(yymm[2:])
        # Old-style ids began in August 1991 (91) and ended in March 2007 (07).
        return (1900 + year if year >= 91 else 2000 + year), month


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # a malformed netloc ("http://[x")
        return ""


def url_host(url: str | None) -> str | None:
    """The host of a URL without ``www.`` (``arxiv.org``), or None."""
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    return _host(text).removeprefix("www.") or None


def parse_arxiv_id(text: str) -> ArxivId | None:
    """An id as written (``2409.13373v2``, ``arXiv:hep-th/9901001``), or None."""
    text = text.strip().removeprefix("arXiv:").removeprefix("arxiv:")
    for pattern in (_NEW_ID, _OLD_ID):
        match = pattern.fullmatch(text)
        if match and 1 <= int(match["yymm"][2:]) <= 12:
            version = int(match["version"]) if match["version"] else None
            return ArxivId(text[: match.start("version") - 1] if version else text, version)
    return None


def arxiv_from_url(url: str | None) -> ArxivId | None:
    """The arXiv id and version a URL names, or None when it is not an arXiv paper's URL."""
    if not url or "iv" not in url.lower():  # most URLs, cheaply: a list asks once per row
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    host = _host(text)
    if not any(host == known or host.endswith("." + known) for known in ARXIV_HOSTS):
        return None
    path = urlsplit(text).path.strip("/")
    head, _, rest = path.partition("/")
    if head not in _PAGES or not rest:
        return None
    rest = rest.removesuffix(".pdf").removesuffix("/")
    return parse_arxiv_id(rest)


def paper_day(url: str | None) -> dt.date | None:
    """The first day of the month an arXiv paper was submitted, or None for other URLs."""
    found = arxiv_from_url(url)
    if found is None:
        return None
    year, month = found.month
    return dt.date(year, month, 1)


def url_index_text(url: str | None) -> str:
    """What the full-text index holds beyond the URL's own words: its arXiv id as written
    (``arXiv:2409.13373``), so that searching the id finds a versioned link (``...v2``) too."""
    found = arxiv_from_url(url)
    return f"arXiv:{found.id}" if found else ""
