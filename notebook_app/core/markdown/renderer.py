"""Markdown to HTML: the one place a note's text becomes HTML (for the preview).

Used by the Qt preview (a ``QTextBrowser``, which understands only simple HTML4 and a CSS 2.1
subset, so the output is plain tags plus classes: no scripts, no form inputs). No Qt here.

The pipeline, one module each:

* ``normalizer.prepare`` / ``normalize``: CommonMark-style lists and headings into the shape
  Python-Markdown parses alike, recording each heading's source line and where sections may
  start; run once per render on the whole note;
* ``sections``: the note cut into sections rendered (and cached) on their own, then joined;
* ``bounds``: a section too costly to render or lay out is shown as plain text with a notice;
* ``extensions``: task lists, the image policy, raw HTML shown as text;
* ``headings``: rendered headings matched back to their source lines, for the outline.

Threads: a renderer wraps one ``markdown.Markdown`` instance, which is not thread-safe, so a
renderer belongs to one thread (the preview's worker has its own).
"""

from __future__ import annotations

import dataclasses
import html
import time

import markdown

from notebook_app.core.markdown import bounds
from notebook_app.core.markdown.extensions import NotebookExtension
from notebook_app.core.markdown.headings import (
    MAX_ANCHORS,
    Heading,
    drop_anchors,
    fill_unknown_lines,
    flatten_toc,
    match_heading_lines,
)
from notebook_app.core.markdown.normalizer import HeadingSource, normalize, prepare
from notebook_app.core.markdown.sections import (
    RenderedMarkdown,
    Section,
    SectionCache,
    SectionRender,
    assemble,
    plan_sections,
)

__all__ = ["RENDER_BUDGET", "Heading", "MarkdownRenderer", "RenderedMarkdown"]

# Seconds of section rendering one render_sectioned call may spend; the sections left are
# shown as plain text and the result is marked incomplete (render again to go on). A note of
# a few megabytes takes longer than this to render from scratch.
RENDER_BUDGET = 0.3
_PENDING_NOTICE = (
    '<p class="render-notice"><i>The rest of this long note is shown as plain text until it is '
    "rendered.</i></p>"
)
_STASHED_CODE_END = "</code></pre></div>"  # CodeHilite's block, as _convert leaves it
# Above this size, a note that must be rendered in one piece (footnotes, reference links) is
# shown as plain text: at ~2-3 MB/s it would take longer than the budget.
_MAX_WHOLE_CHARS = 1_000_000


class MarkdownRenderer:
    """Renders notes to HTML with one reusable ``markdown.Markdown`` instance.

    Building the instance (extensions, Pygments lexers' registry) costs far more than resetting
    it, so a renderer is meant to be kept. Not thread-safe: one renderer per thread.
    """

    def __init__(self) -> None:
        self._extension = NotebookExtension()
        self._md = markdown.Markdown(
            extensions=[
                "fenced_code",
                "tables",
                "footnotes",
                "sane_lists",
                "toc",
                "codehilite",
                self._extension,
            ],
            extension_configs={
                # Classes, not inline styles: the theme's pygments-*.css colours them.
                "codehilite": {"guess_lang": False, "noclasses": False, "css_class": "codehilite"},
                # Unicode slugs keep Korean / accented headings addressable (the ASCII default
                # would make them all "_1", "_2", ...).
                # No "[TOC]" marker search: not CommonMark, the app shows an outline instead, and
                # scanning the whole tree for it costs ~5% of a long note's render time.
                "toc": {"slugify": self._extension.slugify, "permalink": False, "marker": ""},
            },
            output_format="html",
        )
        self._cache = SectionCache()
        self.section_renders = 0  # sections rendered (cache misses), for tests and benchmarks
        self._last_text: str | None = None
        self._last: RenderedMarkdown | None = None
        # The last note's sections: a long note's text comes back unchanged until it is all
        # rendered, and its normalizer pass (~0.25 s per MB) need not run again each time.
        self._planned: tuple[str, list[Section]] | None = None
        self._waiting: dict[str, SectionRender] = {}  # its sections shown plain for now

    def render(self, text: str) -> RenderedMarkdown:
        """Render ``text`` (a note's markdown) to HTML plus its heading list, in one piece."""
        prepared = prepare(text, self._md.tab_length)
        normalized = normalize(prepared.split("\n"))
        if len(prepared) > _MAX_WHOLE_CHARS:
            reason = f"it is longer than {_MAX_WHOLE_CHARS:,} characters and has footnotes"
            part = self._plain(prepared, reason)
        else:
            part = self._render_part(
                prepared, normalized.lines, normalized.headings, max(normalized.depths)
            )
        body = "\n".join(part.parts)
        headings = list(part.headings)
        parts = tuple(p for p in part.parts if p)
        if len(headings) > MAX_ANCHORS:
            body, headings = drop_anchors(body, headings, 0)
            parts = (body,)
        return RenderedMarkdown(html=body, headings=fill_unknown_lines(headings), sections=parts)

    def render_sectioned(self, text: str, budget: float | None = RENDER_BUDGET) -> RenderedMarkdown:
        """Render like :meth:`render`, reusing the sections of the note that did not change.

        The note is cut into sections at lines nothing before can reach past (see
        sections.py); each section is rendered on its own and kept in an LRU cache keyed by its
        text, so an edit re-renders only the section it touched. The result is the same HTML
        and headings as :meth:`render` gives; its ``sections`` are the HTML of each part, so a
        view can replace only those that changed.

        Rendering sections stops after ``budget`` seconds (None: no limit): the sections not
        rendered yet are shown as plain text and the result's ``complete`` is False; calling
        again with the same text renders the next ones.
        """
        prepared = prepare(text, self._md.tab_length)
        if prepared == self._last_text and self._last is not None:
            return self._last
        sections: list[Section] | None
        if self._planned is not None and self._planned[0] == prepared:
            sections = self._planned[1]  # the same text again, to render more of it
        else:
            sections = plan_sections(prepared, normalize(prepared.split("\n")))
        if self._planned is None or self._planned[0] != prepared:
            self._waiting.clear()
        self._planned = (prepared, sections) if sections is not None else None
        if sections is None:
            # The note uses a construct that spans sections: render it in one piece.
            result = self.render(prepared)
        else:
            result = self._render_sections(sections, budget)
        if result.complete:
            self._last_text, self._last = prepared, result
        return result

    # -- internals ---------------------------------------------------------------------------

    def _render_sections(self, sections: list[Section], budget: float | None) -> RenderedMarkdown:
        deadline = None if budget is None else time.perf_counter() + budget
        self._cache.fit(len(sections))
        renders: list[tuple[int, SectionRender]] = []
        pending = False
        for section in sections:
            found = self._cache.get(section.text)
            if found is None and deadline is not None and time.perf_counter() > deadline:
                # Out of time: plain text for now (not cached), one notice for the lot.
                found = self._waiting.get(section.text)
                if found is None:
                    parts = bounds.plain_parts(section.text, None)
                    found = self._waiting[section.text] = SectionRender(parts, (), (), plain=True)
                if not pending:  # one notice, before the first section not rendered yet
                    found = dataclasses.replace(found, parts=(_PENDING_NOTICE, *found.parts))
                pending = True
            elif found is None:
                found = self._render_part(
                    section.text, section.lines, section.local_headings(), section.depth
                )
                if found.parts[-1].endswith(_STASHED_CODE_END):
                    # A code block is stashed HTML ending in a newline, which Python-Markdown's
                    # final strip() removes from a section but not from the middle of a note.
                    parts = (*found.parts[:-1], found.parts[-1] + "\n")
                    found = dataclasses.replace(found, parts=parts)
                self.section_renders += 1
                self._cache.put(section.text, found)
            renders.append((section.first_line, found))
        return assemble(renders, complete=not pending)

    def _render_part(
        self, text: str, lines: list[str], sources: list[HeadingSource], depth: int
    ) -> SectionRender:
        """Render normalized ``lines`` (of the prepared ``text``), or show ``text`` as plain
        text when it is too costly (see bounds.py)."""
        reason = bounds.too_costly(text, depth)
        if reason is not None:
            return self._plain(text, reason)
        try:
            body, headings = self._convert(lines, sources)
        except RecursionError:
            return self._plain(text, "it nests too deeply")
        return SectionRender((body,), tuple(headings), tuple(self._extension.slugs))

    @staticmethod
    def _plain(text: str, reason: str) -> SectionRender:
        parts = bounds.plain_parts(text, bounds.notice_for(reason))
        return SectionRender(parts, (), (), plain=True)

    def _convert(self, lines: list[str], sources: list[HeadingSource]) -> tuple[str, list[Heading]]:
        md = self._md
        md.reset()
        body = md.convert("\n".join(lines))
        # Pygments ends every block with a newline, which QTextBrowser shows as an empty line.
        body = body.replace("\n</code></pre>", "</code></pre>")
        tokens = list(flatten_toc(getattr(md, "toc_tokens", [])))
        # Unmatched lines are filled in later, on the whole note's list (a section does not
        # know the heading before it).
        matched = match_heading_lines(tokens, sources)
        headings = [
            Heading(
                level=int(token["level"]),
                text=html.unescape(token["name"]),
                anchor=str(token["id"]),
                line=-1 if line is None else line,  # -1: unknown, see fill_unknown_lines
            )
            for token, line in zip(tokens, matched, strict=True)
        ]
        return body, headings
