"""Parsers for the notebooks our users already keep (no storage: they return entries).

* A dated reading log like ``reading-log.md``: a legend of resource emoji, then ``MM/DD/YYYY``
  lines, each followed by bullets ``- <emoji>[Title](url)`` with an indented summary. Its emoji
  arrived as Mac Roman mojibake, repaired by :func:`repair_mac_roman_mojibake`.
* A page exported from Notion like ``notion-application-page.txt``: a title, ``Created`` /
  ``Edited`` metadata, ``•`` bullets.
* Any other text: one note.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

from notebook_app.core.model.entry import Entry, Kind, ReadingStatus, SourceType

# --- mojibake ----------------------------------------------------------------------------------

# The characters Mac Roman gives to bytes 0x80-0xFF: UTF-8 bytes misread as Mac Roman are runs
# of these. Korean, CJK and most real text are outside this set and are never touched.
_MAC_ROMAN_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
_MOJIBAKE_RUN = re.compile(f"[{re.escape(_MAC_ROMAN_HIGH)}]{{2,}}")


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _repair_run(run: str) -> str:
    data = run.encode("mac_roman")
    out: list[str] = []
    index = 0
    while index < len(data):
        length = _utf8_length(data[index])
        if length:
            try:
                out.append(data[index : index + length].decode("utf-8"))
                index += length
                continue
            except UnicodeDecodeError:
                pass
        # Not the start of a valid UTF-8 sequence: a genuine Mac Roman character, kept.
        out.append(run[index])
        index += 1
    return "".join(out)


def repair_mac_roman_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Mac Roman (``\\uf8ffüìú`` → 📜, ``‚Äô`` → ’)."""
    return _MOJIBAKE_RUN.sub(lambda match: _repair_run(match.group()), text)


# --- the reading log ---------------------------------------------------------------------------

_DATE_LINE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_LEGEND_LINE = re.compile(r"^-\s*(\S+?)\s*:\s*(.+)$")
_BULLET = re.compile(r"^[-*]\s+(?P<rest>.*)$")
_LINK = re.compile(r"\[(?P<title>[^\]]*)\]\((?P<url>[^)\s]*)\)")
DEFAULT_LEGEND = {
    "📜": SourceType.PAPER,
    "📰": SourceType.POST,
    "📖": SourceType.BOOK,
    "🌐": SourceType.RESOURCE,
    "🧪": SourceType.CODE,
    "📺": SourceType.VIDEO,
}
_LABEL_TYPES = [
    ("paper", SourceType.PAPER),
    ("blog", SourceType.POST),
    ("post", SourceType.POST),
    ("book", SourceType.BOOK),
    ("resource", SourceType.RESOURCE),
    ("code", SourceType.CODE),
    ("experiment", SourceType.CODE),
    ("video", SourceType.VIDEO),
    ("podcast", SourceType.PODCAST),
    ("course", SourceType.COURSE),
]


def looks_like_reading_log(text: str) -> bool:
    """Dated lines followed by bullets with links: at least two of them."""
    dates = len(re.findall(r"(?m)^\d{1,2}/\d{1,2}/\d{4}\s*$", text))
    links = len(re.findall(r"(?m)^- \S*\[[^\]]+\]\([^)]*\)", text))
    return dates >= 2 and links >= 2


def _legend(lines: list[str]) -> dict[str, SourceType]:
    legend = dict(DEFAULT_LEGEND)
    for line in lines:
        if _DATE_LINE.match(line):
            break
        match = _LEGEND_LINE.match(line.strip())
        if match:
            label = match.group(2).lower()
            for word, source_type in _LABEL_TYPES:
                if word in label:
                    legend[match.group(1)] = source_type
                    break
    return legend


def _split_marker(rest: str, legend: dict[str, SourceType]) -> tuple[SourceType | None, str]:
    for emoji in sorted(legend, key=len, reverse=True):
        if rest.startswith(emoji):
            return legend[emoji], rest[len(emoji) :].strip()
    return None, rest.strip()


def _summary(lines: list[str]) -> str:
    """The indented lines under a bullet, as markdown. A lone sub-bullet becomes a paragraph."""
    text = textwrap.dedent("\n".join(lines)).strip("\n")
    items = [line for line in text.splitlines() if line.strip()]
    if len(items) == 1 and items[0].startswith("- "):
        return items[0][2:].strip()
    return text


def parse_reading_log(text: str) -> list[Entry]:
    """One note per dated bullet: title, URL, type, the day read and the summary as body."""
    text = repair_mac_roman_mojibake(text.replace("\r\n", "\n"))
    lines = text.split("\n")
    legend = _legend(lines)
    entries: list[Entry] = []
    day: dt.date | None = None
    current: tuple[str, str | None, SourceType | None] | None = None
    summary: list[str] = []

    def flush() -> None:
        if current is not None and day is not None:
            title, url, source_type = current
            moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            entries.append(
                Entry(
                    kind=Kind.NOTE,
                    title=title,
                    url=url,
                    source_type=source_type,
                    read_on=day,
                    reading_status=ReadingStatus.DONE,
                    body=_summary(summary),
                    created=moment,
                    updated=moment,
                )
            )

    for line in lines:
        date_match = _DATE_LINE.match(line)
        if date_match:
            flush()
            current, summary = None, []
            month, day_of_month, year = (int(part) for part in date_match.groups())
            day = dt.date(year, month, day_of_month)
            continue
        bullet = _BULLET.match(line)
        if bullet and day is not None and not line.startswith((" ", "\t")):
            flush()
            summary = []
            source_type, rest = _split_marker(bullet.group("rest"), legend)
            link = _LINK.search(rest)
            if link:
                extra = (rest[: link.start()] + rest[link.end() :]).strip()
                title = link.group("title").strip() or link.group("url")
                url: str | None = link.group("url") or None
                if extra:
                    summary.append(extra)
            else:
                title, url = rest, None
            current = (" ".join(title.split()), url, source_type)
            continue
        if current is not None and (line.startswith((" ", "\t")) or not line.strip()):
            summary.append(line)
    flush()
    return entries


# --- Notion pages ------------------------------------------------------------------------------

_META_LABELS = ("Created", "Creator", "Editor", "Edited", "Refs", "Last edited time", "Tags")
_NOTION_TIME = re.compile(r"^(\d{4}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{1,2}):(\d{2})$")
_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}


def _notion_time(text: str) -> dt.datetime | None:
    match = _NOTION_TIME.match(text.strip())
    if match is None or match.group(2) not in _MONTHS:
        return None
    year, month, day = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    return dt.datetime(year, month, day, int(match.group(4)), int(match.group(5)), tzinfo=dt.UTC)


def looks_like_notion_page(text: str) -> bool:
    head = text.replace("\r\n", "\n").split("\n")[:16]
    stripped = [line.strip() for line in head]
    return "Created" in stripped and any(_notion_time(line) for line in stripped)


def bullets_to_markdown(lines: list[str]) -> list[str]:
    """``  • item`` lines (indented by depth) become ``- item`` with two spaces a level."""
    indents = sorted({len(line) - len(line.lstrip()) for line in lines
                      if line.strip().startswith("• ")})  # fmt: skip
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("• "):
            depth = indents.index(len(line) - len(line.lstrip()))
            out.append("  " * depth + "- " + stripped[2:].strip())
        elif stripped == "":
            out.append("")
        else:
            out.append(line.rstrip().replace("\u00a0", " "))
    return out


def parse_notion_page(text: str) -> Entry:
    """A Notion page export: its title, Created/Edited times and body (bullets as a list)."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip()
    created = updated = None
    index = 1
    # The metadata block: each label (often twice, Notion's property header and value label)
    # followed by its value, up to the first line that is neither.
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped in _META_LABELS:
            index += 1
            continue
        previous = next((lines[j].strip() for j in range(index - 1, 0, -1)
                         if lines[j].strip()), "")  # fmt: skip
        moment = _notion_time(stripped)
        if previous in ("Created", "Edited", "Last edited time") and moment is not None:
            if previous == "Created":
                created = moment
            else:
                updated = moment
            index += 1
            continue
        if previous in ("Creator", "Editor") and len(stripped) <= 80:
            index += 1  # a person's name (Notion doubles it: "Seonglae ChoSeonglae Cho")
            continue
        break
    body = "\n".join(bullets_to_markdown(lines[index:])).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    created = created or updated or dt.datetime.now(dt.UTC)
    return Entry(kind=Kind.NOTE, title=title, body=body, created=created,
                 updated=max(updated or created, created))  # fmt: skip


# --- anything else -----------------------------------------------------------------------------


def parse_plain_text(text: str, fallback_title: str) -> Entry:
    """One note: the title from a ``# heading`` or a short first line, else the file name."""
    text = text.replace("\r\n", "\n")
    first, _, rest = text.lstrip("\n").partition("\n")
    first = first.strip()
    if first.startswith("# ") or 0 < len(first) <= 120:
        # The first line is the title: kept once, as the title, not again atop the body.
        title = first.removeprefix("# ").strip()
        body = rest.lstrip("\n")
    else:
        title, body = fallback_title, text
    return Entry(kind=Kind.NOTE, title=title or fallback_title or "Untitled", body=body)
