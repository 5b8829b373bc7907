"""The entry's header above its rendered body in the preview: what the entry is, at a glance.

A note shows its title, its source as a link, the source type, authors, day read and reading
status; a glossary term its aliases and learning status; a meeting its day and who was met.
This is the one place that builds that HTML. Every value is escaped here (titles, authors and
URLs are typed or imported text: ``_escape``); only http(s) URLs become links, which the
preview's own link handling (gui/safe_browser.py) hands to the browser. The HTML keeps to what
QTextDocument lays out (paragraphs, a class per line for the preview CSS, resources/preview).
"""

from __future__ import annotations

import enum

from notebook_app.core.model.entry import Entry, LearningStatus
from notebook_app.core.model.fields import Kind

SEPARATOR = " \u00b7 "  # a middle dot between the facts of one line
URL_SHOWN = 72  # characters of a URL shown before it is cut with "…" (the link keeps all)
_LINKED_SCHEMES = ("http://", "https://")
# Choices whose value does not read well as a label ("want" is "Want to learn").
_CHOICE_LABELS: dict[enum.Enum, str] = {LearningStatus.WANT: "Want to learn"}
_KIND_LABELS = {Kind.NOTE: "Note", Kind.TERM: "Glossary term", Kind.MEETING: "Meeting"}


def choice_label(member: enum.Enum) -> str:
    """How a choice reads: ``to-read`` as "To read", ``want`` as "Want to learn"."""
    return _CHOICE_LABELS.get(member) or str(member.value).replace("-", " ").capitalize()


def _escape(text: str) -> str:
    """``html.escape(text, quote=True)``, without importing ``html`` (its entity table costs
    the window's start a few milliseconds: the header is built before the first frame)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))  # fmt: skip


def _shown_url(url: str) -> str:
    """The URL as the header shows it: without its scheme, cut in the middle when long."""
    shown = url
    for scheme in _LINKED_SCHEMES:
        if shown.lower().startswith(scheme):
            shown = shown[len(scheme) :]
            break
    if len(shown) > URL_SHOWN:
        half = (URL_SHOWN - 1) // 2
        shown = shown[:half] + "\u2026" + shown[-half:]
    return shown


def _source_line(url: str) -> str:
    url = url.strip()
    shown = _escape(_shown_url(url))
    if url.lower().startswith(_LINKED_SCHEMES) and not any(c.isspace() for c in url):
        return f'<a href="{_escape(url)}">{shown}</a>'
    return shown  # not a web address: shown, never a link the preview would refuse


def _line(css_class: str, parts: list[str]) -> str:
    """One line of the header: the parts (already escaped) joined by a middle dot."""
    parts = [part for part in parts if part]
    if not parts:
        return ""
    return f'<p class="{css_class}">{SEPARATOR.join(parts)}</p>'


def entry_header_html(entry: Entry) -> str:
    """The header's HTML for ``entry`` (one ``<div>``; ``""`` never: a title at least)."""
    title = _escape(entry.title.strip() or "Untitled")
    lines = [f'<p class="entry-title">{title}</p>']
    if entry.kind is Kind.NOTE:
        kind = choice_label(entry.source_type) if entry.source_type else _KIND_LABELS[entry.kind]
        status = choice_label(entry.reading_status) if entry.reading_status else ""
        day = f"Read {entry.read_on.isoformat()}" if entry.read_on else ""
        lines.append(_line("entry-facts", [_escape(kind), _escape(status), day]))
        if entry.authors and entry.authors.strip():
            lines.append(_line("entry-people", [_escape(entry.authors.strip())]))
        if entry.url and entry.url.strip():
            lines.append(_line("entry-source", [_source_line(entry.url)]))
    elif entry.kind is Kind.TERM:
        status = choice_label(entry.learning_status) if entry.learning_status else ""
        lines.append(_line("entry-facts", [_KIND_LABELS[entry.kind], _escape(status)]))
        aliases = [alias.strip() for alias in entry.aliases if alias.strip()]
        if aliases:
            names = ", ".join(_escape(alias) for alias in aliases)
            lines.append(_line("entry-people", [f"Also called {names}"]))
    else:
        day = entry.met_on.isoformat() if entry.met_on else ""
        lines.append(_line("entry-facts", [_KIND_LABELS[entry.kind], day]))
        if entry.who and entry.who.strip():
            lines.append(_line("entry-people", [f"With {_escape(entry.who.strip())}"]))
    body = "".join(line for line in lines if line)
    return f'<div class="entry-header">{body}</div><hr class="entry-rule" />'
