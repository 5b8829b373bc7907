"""Markdown to HTML: the one place a note's text becomes HTML (for the preview).

Used by the Qt preview (a ``QTextBrowser``, which understands only simple HTML4 and a CSS 2.1
subset, so the output is plain tags plus classes: no scripts, no form inputs). No Qt here.

The pipeline, one module each:

* ``normalizer.prepare`` / ``normalize``: CommonMark-style lists and headings into the shape
  Python-Markdown parses alike, recording each heading's source line and where sections may
  start; on a long note, chunk by chunk, each kept between edits (``chunks``);
* ``sections``: the note cut into sections rendered (and cached) on their own, then joined;
  planned and joined per block of chunks, kept between edits (``incremental``), so an edit
  costs what it changed;
* ``bounds``: a section too costly to render or lay out is shown as plain text with a notice;
* ``extensions``: task lists, the image policy, raw HTML shown as text;
* ``wikilinks_extension``: ``[[links]]`` and note embeds as ``wiki:`` links (resolved by the
  window: core/links/preview_marks.py);
* ``vault_extension``: callouts, ``==highlights==``, bare URLs;
* ``attachments_extension``: a note's files (``![[x.png]]``, relative images) as
  ``attachment:`` URLs the preview answers from the notebook;
* ``headings``: rendered headings matched back to their source lines, for the outline.

Threads: a renderer wraps one ``markdown.Markdown`` instance, which is not thread-safe, so a
renderer belongs to one thread (the preview's worker has its own).
"""

from __future__ import annotations

import collections
import html
import time
from collections.abc import Sequence

import markdown
from markdown.extensions import Extension

from notebook_app.core.markdown import bounds
from notebook_app.core.markdown.attachments_extension import AttachmentExtension
from notebook_app.core.markdown.extensions import NotebookExtension
from notebook_app.core.markdown.headings import (
    MAX_ANCHORS,
    Heading,
    drop_anchors,
    fill_unknown_lines,
    flatten_toc,
    match_heading_lines,
)
from notebook_app.core.markdown.incremental import BlockRender, Plan, SectionPlanner
from notebook_app.core.markdown.normalizer import HeadingSource, normalize, prepare
from notebook_app.core.markdown.sections import (
    Assembly,
    RenderedMarkdown,
    Section,
    SectionCache,
    SectionRender,
    has_cross_block,
)
from notebook_app.core.markdown.vault_extension import VaultExtension
from notebook_app.core.markdown.wikilinks_extension import WikiLinkExtension

__all__ = ["RENDER_BUDGET", "Heading", "MarkdownRenderer", "RenderedMarkdown"]

# Seconds of section rendering one render_sectioned call may spend; the sections left are
# shown as plain text and the result is marked incomplete (render again to go on). A note of
# a few megabytes takes longer than this to render from scratch.
RENDER_BUDGET = 0.3
_PENDING_NOTICE = (
    '<p class="render-notice"><i>The rest of this long note is shown as plain text until it is '
    "rendered.</i></p>"
)
# Characters of a long note shown as plain text while the rest of it is being rendered.
_PENDING_PLAIN_CHARS = 1_000_000
_STASHED_CODE_END = "</code></pre></div>"  # CodeHilite's block, as _convert leaves it
# Above this size, a note that must be rendered in one piece (footnotes, reference links) is
# shown as plain text: Python-Markdown cannot be stopped at a budget, and a note renders at
# ~1-3 MB/s (1 s for 500 KB on a loaded machine); at most _PENDING_PLAIN_CHARS of it.
_MAX_WHOLE_CHARS = 300_000


class MarkdownRenderer:
    """Renders notes to HTML with one reusable ``markdown.Markdown`` instance.

    Building the instance (extensions, Pygments lexers' registry) costs far more than resetting
    it, so a renderer is meant to be kept. Not thread-safe: one renderer per thread.
    """

    def __init__(self, extensions: Sequence[Extension] = (), *, breaks: bool = True) -> None:
        """``extensions``: more Python-Markdown extensions (the preview's formulas).
        ``breaks``: a single newline inside a paragraph is a line break, as Obsidian and
        Notion show it (False: strict CommonMark, where it is a space)."""
        self.breaks = breaks
        self._extension = NotebookExtension(breaks=breaks)
        self._md = markdown.Markdown(
            extensions=[
                "fenced_code",
                "tables",
                "footnotes",
                "sane_lists",
                "toc",
                "codehilite",
                self._extension,
                # The note's files (``![[x.png]]``, relative images) as ``attachment:`` URLs.
                AttachmentExtension(),
                # Links between entries (``[[Title]]``), callouts, highlights, bare URLs.
                WikiLinkExtension(),
                VaultExtension(),
                *extensions,
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
        self._planner = SectionPlanner()  # the notes' sections, by block (incremental.py)
        # Blocks whose sections are all rendered, joined as a whole (see BlockRender).
        self._blocks: collections.OrderedDict[object, BlockRender] = collections.OrderedDict()
        self.section_renders = 0  # sections rendered (cache misses), for tests and benchmarks
        self._last_text: str | None = None
        self._last: RenderedMarkdown | None = None
        # The last note's plan: a long note's text comes back unchanged until it is all
        # rendered, and need not be cut into chunks again each time.
        self._planned: tuple[str, Plan] | None = None
        self._waiting: dict[str, SectionRender] = {}  # its sections shown plain for now

    def render(self, text: str) -> RenderedMarkdown:
        """Render ``text`` (a note's markdown) to HTML plus its heading list, in one piece."""
        prepared = prepare(text, self._md.tab_length)
        # (Others come here only from tests, as the reference for render_sectioned.)
        limit = _MAX_WHOLE_CHARS if has_cross_block(prepared) else 1_000_000
        if len(prepared) > limit:
            # (Checked before normalizing: a whole pass over megabytes takes seconds too.)
            reason = (
                f"it is longer than {limit:,} characters and has footnotes or "
                "reference links (rendered only as a whole)"
            )
            part = self._plain(prepared[:_PENDING_PLAIN_CHARS], reason)
            if len(prepared) > _PENDING_PLAIN_CHARS:
                left = len(prepared) - _PENDING_PLAIN_CHARS
                notice = f'<p class="render-notice"><i>{left:,} more characters not shown.</i></p>'
                part = part._replace(parts=(*part.parts, notice))
        else:
            normalized = normalize(prepared.split("\n"))
            part = self._render_part(
                prepared, normalized.lines, normalized.headings, max(normalized.depths)
            )
        body = "\n".join(part.parts)
        headings = [Heading(*heading) for heading in part.headings]
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
        started = time.perf_counter()
        prepared = prepare(text, self._md.tab_length)
        if prepared == self._last_text and self._last is not None:
            return self._last
        plan: Plan | None
        if self._planned is not None and self._planned[0] == prepared:
            plan = self._planned[1]  # the same text again, to render more of it
        else:
            if self._planned is not None:
                self._waiting.clear()
            self._planned = None
            # On a long note seen for the first time, only the chunks that fit a third of the
            # budget are normalized: the rest is shown as plain text until a later call.
            deadline = None if budget is None else time.perf_counter() + budget / 3
            plan = self._planner.plan(prepared, deadline)
            if plan is not None and plan.rest is None:
                self._planned = (prepared, plan)
        if plan is None:
            # The note uses a construct that spans sections: render it in one piece.
            result = self.render(prepared)
        else:
            # The budget counts from the call's start (a long note's planning takes a part of
            # it), with a third of it for rendering at least, so that each call gets further.
            deadline = None
            if budget is not None:
                deadline = max(started + budget, time.perf_counter() + budget / 3)
            result = self._render_sections(plan, deadline)
        if result.complete:
            self._last_text, self._last = prepared, result
        return result

    # -- internals ---------------------------------------------------------------------------

    def _render_sections(self, plan: Plan, deadline: float | None) -> RenderedMarkdown:
        self._cache.fit(plan.sections)
        assembly = Assembly()
        pending = False
        shown = 0  # characters shown as plain text for now
        blocks = self._blocks
        for number, block in enumerate(plan.blocks):
            done = blocks.get(block.key)
            if done is not None:
                blocks.move_to_end(block.key)
                done.add_to(assembly, block.line)
                continue
            renders: list[SectionRender] = []
            waiting = False  # some of the block's sections are shown as plain text for now
            for index, row in enumerate(block.sections):
                section = Section._make(row)
                found = self._cache.get(section.text)
                if found is None and deadline is not None and time.perf_counter() > deadline:
                    if shown >= _PENDING_PLAIN_CHARS:
                        left = self._left_out(plan, number, index)
                        return self._finish(assembly, left)
                    found = self._pending(section, shown, first=not pending)
                    shown += len(section.text)
                    pending = waiting = True
                elif found is None:
                    found = self._render_section(section)
                renders.append(found)
            if waiting:
                for row, found in zip(block.sections, renders, strict=True):
                    assembly.add(block.line + row[0], found)
            else:
                done = blocks[block.key] = BlockRender(block.sections, renders)
                done.add_to(assembly, block.line)
        while len(blocks) > len(plan.blocks) + 64:
            blocks.popitem(last=False)
        if plan.rest is not None:
            if shown >= _PENDING_PLAIN_CHARS:
                left = self._left_out(plan, len(plan.blocks), 0)
                return self._finish(assembly, left)
            assembly.add(plan.rest.first_line, self._pending(plan.rest, shown, first=not pending))
            pending = True
        return assembly.result(complete=not pending)

    def _render_section(self, section: Section) -> SectionRender:
        found = self._render_part(
            section.text, section.lines, section.local_headings(), section.depth
        )
        if found.parts[-1].endswith(_STASHED_CODE_END):
            # A code block is stashed HTML ending in a newline, which Python-Markdown's
            # final strip() removes from a section but not from the middle of a note.
            parts = (*found.parts[:-1], found.parts[-1] + "\n")
            found = found._replace(parts=parts)
        self.section_renders += 1
        self._cache.put(section.text, found)
        return found

    def _pending(self, section: Section, shown: int, first: bool) -> SectionRender:
        """``section`` shown as plain text until it is rendered (not cached), at most
        _PENDING_PLAIN_CHARS in all (escaping megabytes each call would take longer than the
        budget, and the preview shows the first 1.5 MB of a note anyway); the first such
        section after a notice saying so."""
        found = self._waiting.get(section.text)
        if found is None:
            text = section.text[: _PENDING_PLAIN_CHARS - shown]
            parts = bounds.plain_parts(text, None)
            found = self._waiting[section.text] = SectionRender(parts, (), (), plain=True)
        if first:
            found = found._replace(parts=(_PENDING_NOTICE, *found.parts))
        return found

    @staticmethod
    def _finish(assembly: Assembly, left: int) -> RenderedMarkdown:
        """The render so far, with a line saying how many characters are left out."""
        notice = (
            f'<p class="render-notice"><i>{left:,} more characters, shown when rendered.</i></p>'
        )
        assembly.add(0, SectionRender((notice,), (), (), plain=True))
        return assembly.result(complete=False)

    @staticmethod
    def _left_out(plan: Plan, number: int, index: int) -> int:
        """How many characters of the note are not shown, from section ``index`` of block
        ``number`` on (the rest not normalized yet included)."""
        sections = [row for block in plan.blocks[number:] for row in block.sections][index:]
        left = sum(len(row[1]) + 1 for row in sections)
        return left + (len(plan.rest.text) if plan.rest is not None else 0)

    def _render_part(
        self, text: str, lines: Sequence[str], sources: list[HeadingSource], depth: int
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
        rows = tuple((h.level, h.text, h.anchor, h.line) for h in headings)  # see SectionRender
        return SectionRender((body,), rows, tuple(self._extension.slugs))

    @staticmethod
    def _plain(text: str, reason: str) -> SectionRender:
        parts = bounds.plain_parts(text, bounds.notice_for(reason))
        return SectionRender(parts, (), (), plain=True)

    def _convert(
        self, lines: Sequence[str], sources: list[HeadingSource]
    ) -> tuple[str, list[Heading]]:
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
