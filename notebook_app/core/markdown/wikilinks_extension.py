"""Links between entries in the preview: ``[[Title]]``, ``[[Title|shown]]``, ``[[Title#Heading]]``
and a note's embed ``![[Title]]``, read by the same grammar as the link table
(core/links/wikilinks.py).

A link becomes ``<a class="wikilink" href="wiki:TITLE#HEADING">shown</a>``: the HTML depends on
the text alone, so the renderer's section cache stays valid when entries are created or
renamed. Whether the name resolves (and to which entry) is the notebook's answer, applied to
the rendered HTML by :func:`core.links.preview_marks.mark_links` (the ``wiki:`` URL carries the
name, percent-encoded, so no character of a title can reach the HTML or another scheme). An
embed of a note becomes ``<a class="wikilink embed" ...>``, which the window fills with the
note's body (one level deep). An embed of a file (``![[x.png]]``) is left to the attachments
extension; a link to a file (``[[paper.pdf]]``) is shown as the file's name.

Registered before the backslash-escape pattern (180), which would otherwise stash the escapes a
title needs (``[[C\\#]]``), and after code spans (190), so nothing in code is a link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import quote, unquote

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from notebook_app.core.attachments.references import is_file_name
from notebook_app.core.links.wikilinks import link_label, parse_inner
from notebook_app.core.markdown.syntax import WIKI_LINK_MAX_INNER, WIKI_LINK_OR_EMBED_RE

__all__ = ["WIKI_SCHEME", "WikiLinkExtension", "wiki_href", "wiki_target"]

WIKI_SCHEME = "wiki"


def wiki_href(target: str, heading: str | None = None) -> str:
    """The preview's URL for a link: ``wiki:`` + the name (and ``#`` + the heading),
    percent-encoded so that it reads back exactly (:func:`wiki_target`)."""
    href = f"{WIKI_SCHEME}:{quote(target, safe='')}"
    return href + ("#" + quote(heading, safe="") if heading else "")


def wiki_target(href: str) -> tuple[str, str | None] | None:
    """(name, heading) of a ``wiki:`` URL, None for any other."""
    if not href.startswith(f"{WIKI_SCHEME}:"):
        return None
    name, hash_mark, heading = href[len(WIKI_SCHEME) + 1 :].partition("#")
    return unquote(name), (unquote(heading) if hash_mark else None)


class _WikiLinkProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        inner = m.group("inner")
        parsed = None if len(inner) > WIKI_LINK_MAX_INNER else parse_inner(inner)
        if parsed is None:
            return None, None, None
        target, heading, shown = parsed
        embed = bool(m.group("bang"))
        if is_file_name(target):
            if embed:
                return None, None, None  # a file: the attachments extension shows it
            # A link to a file (``[[paper.pdf]]``) names an attachment, not an entry (it has no
            # row in the link table): shown as the file's name, never offered as a new note.
            span = etree.Element("span", {"class": "file-link", "title": f"File: {target}"})
            span.text = markdown.util.AtomicString(shown or target)
            return span, m.start(0), m.end(0)
        link = etree.Element("a", {"href": wiki_href(target, heading)})
        label = link_label(target, heading, shown)
        if embed:
            link.set("class", "wikilink embed")
            label = f"⧉ {label}"
        else:
            link.set("class", "wikilink")
        link.text = markdown.util.AtomicString(label)
        return link, m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        processor = _WikiLinkProcessor(WIKI_LINK_OR_EMBED_RE.pattern, md)
        md.inlinePatterns.register(processor, "notebook_wikilinks", 185)
