"""What vaults hold beyond CommonMark: callouts, ``==highlights==`` and bare URLs.

* **Callouts** (Obsidian's): a block quote whose first line is ``[!type]``, optionally ``+`` or
  ``-`` (foldable, open or folded) and a title, becomes ``table.callout.callout-TYPE`` (a rule
  cell, then ``td.callout-body``) starting with a ``p.callout-title`` (the type's sign, the
  title or the type's name, and ``span.callout-fold`` ``▾``/``▸`` last for a foldable one).
  The HTML depends on the text alone, so a folded callout shows its body here too (as export
  and Anki show it); the preview folds it (callout_folds.py, with the reader's choice).
  Callouts nest (``> > [!tip]`` inside a callout), innermost made first.
* **Block quotes end at a blank line**, as in CommonMark (and Obsidian): ``> a`` and ``> b``
  with a blank line between are two quotes, so two callouts so separated are two callouts.
  Python-Markdown would merge them into one; ``> a`` / ``>`` / ``> b`` is still one quote of
  two paragraphs.
* **Code inside quotes and callouts**: a fence there (written by normalizer.py as ``> ```lang``
  to ``> ````) is rendered by Python-Markdown's own fenced-code preprocessor, so it is
  highlighted as code at the top level is; that preprocessor reads only top-level fences.
* **Highlights**: ``==text==`` becomes ``span.highlight`` (QTextBrowser has no ``<mark>``),
  coloured by the preview's style sheets. **Strikethrough**: ``~~text~~`` becomes ``<s>``.
  Both patterns are syntax.py's, which the editor's highlighter colours with.
* **Comments**: Obsidian's ``%%comments%%`` within a line are left out of the page (the
  normalizer leaves out comment lines and blocks).
* **Block ids**: Obsidian's ``^id`` at a line's end (what ``[[Note#^id]]`` links to) is left
  out of the page, as Obsidian shows it.
* **Logseq's bookkeeping**: a block's ``id::``, ``collapsed::``, ``heading::`` and flashcard
  (``card-...::``) property lines are left out of the page, as Logseq shows it.
* **Bare URLs**: ``https://…``, ``http://…`` and ``www.…`` in text become links (trailing
  punctuation and an unopened ``)`` left out, as GitHub does); only http(s), so the
  preview's link policy holds.

No Qt. Registered by ``MarkdownRenderer``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from notebook_app.core.markdown.syntax import (
    BLOCK_ID_RE,
    COMMENT_RE,
    HIGHLIGHT_RE,
    LOGSEQ_BOOKKEEPING_RE,
    STRIKE_RE,
)

__all__ = ["CALLOUT_SIGNS", "VaultExtension"]

# The usual types and their aliases, as Obsidian groups them; any other type shows as a note.
CALLOUT_SIGNS = {
    "note": "✎", "abstract": "☰", "info": "ℹ", "todo": "☐", "tip": "✦", "success": "✔",
    "question": "?", "warning": "⚠", "failure": "✘", "danger": "⚡", "bug": "🐞",
    "example": "▤", "quote": "❝",
}  # fmt: skip
_CALLOUT_ALIASES = {
    "summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip",
    "check": "success", "done": "success", "help": "question", "faq": "question",
    "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
    "error": "danger", "cite": "quote",
}  # fmt: skip
_CALLOUT_RE = re.compile(
    r"^\[!(?P<type>[A-Za-z][\w-]{0,30})\](?P<fold>[+-]?)[ \t]*(?P<title>[^\n]*)"
)
# A bare URL: not right after a character that makes it part of something else (a word, an
# autolink's "<", a path; a markdown link's "(url)" is taken before this runs); it ends before
# spaces and brackets, and trailing punctuation is the sentence's. It ends before a stash
# placeholder (STX ... ETX) too: what the placeholder stands for (a formula's image, a code span,
# an escaped character) is no part of an address, and in the href it made broken HTML.
_BARE_URL_RE = (
    r"(?<![\w/<\[\"'=@.:-])(?P<url>(?:https?://|www\.)"
    r"[^\s<>\[\]\"'`\x02\x03]*[^\s<>\[\]\"'`.,;:!?*_~\x02\x03])"
)
_TRAILING_RE = re.compile(r"[.,;:!?*_~]+$")


# A fence inside quotes as the normalizer writes it: "> ```lang" to "> ```", at one depth
# (after a list item's indentation, for a quote inside an item).
_QUOTED_FENCE_RE = re.compile(r"^(?P<prefix> *(?:> )+)(?P<marker>`{3,}|~{3,})(?P<lang>[\w#+.-]*)$")


class _QuotedFencePreprocessor(Preprocessor):
    """Each fenced block inside a quote, without its quote marks, goes through the fenced-code
    preprocessor; its placeholder takes the block's place in the quote, followed by a blank
    quoted line when the quote goes on (the placeholder must stand alone to become the code)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(lines):
            opening = _QUOTED_FENCE_RE.match(lines[index])
            end = -1
            if opening is not None:
                closing = opening["prefix"] + opening["marker"]
                end = next((at for at in range(index + 1, len(lines)) if lines[at] == closing), -1)
            if opening is None or end < 0:
                out.append(lines[index])
                index += 1
                continue
            prefix, marker = opening["prefix"], opening["marker"]
            code = [line[len(prefix) :] for line in lines[index + 1 : end]]  # ">": an empty line
            fenced = self.md.preprocessors["fenced_code_block"].run(
                [marker + opening["lang"], *code, marker]
            )
            out += [prefix + line for line in fenced if line.strip()]
            index = end + 1
            if index < len(lines) and lines[index].startswith(prefix):
                out.append(prefix.rstrip())
        return out


class _QuoteProcessor(BlockQuoteProcessor):
    """Python-Markdown's block quotes, except that a quote never continues one before it.

    Python-Markdown splits the text into blocks at blank lines and adds a quote block to the
    quote just before it; CommonMark ends a quote at a blank line. Lines inside one block
    (``> a`` / ``>`` / ``> b``, lazy continuation lines) are one quote either way.
    """

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        # BlockQuoteProcessor.run without its "the previous block was a quote: go on in it".
        block = blocks.pop(0)
        match = self.RE.search(block)
        if match:
            self.parser.parseBlocks(parent, [block[: match.start()]])  # lines before it
            block = "\n".join(self.clean(line) for line in block[match.start() :].split("\n"))
        quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")  # (lists inside use <p>, as Python-Markdown does)
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


class _CalloutTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        # Innermost first: a callout nested in another is made before the outer one moves it.
        for quote in reversed(list(root.iter("blockquote"))):
            if len(quote) and quote[0].tag == "p":
                table = self._callout(quote, quote[0])
                if table is not None:
                    parent = parents[quote]
                    parent[list(parent).index(quote)] = table

    @staticmethod
    def _callout(quote: etree.Element, first: etree.Element) -> etree.Element | None:
        """The callout ``quote`` is, as a table (a coloured rule cell, then the body), or None
        when it is an ordinary quotation. A table, not a block quote with a class: Qt's rich
        text pads and colours table cells, and the preview's typesetting (typeset_extension.py)
        turns bare ``<blockquote>`` tags into its own quotation tables."""
        match = _CALLOUT_RE.match(first.text or "")
        if match is None:
            return None
        raw = match.group("type").lower()
        kind = _CALLOUT_ALIASES.get(raw, raw if raw in CALLOUT_SIGNS else "note")
        fold = {"+": " ▾", "-": " ▸"}.get(match.group("fold"), "")
        title = etree.Element("p", {"class": "callout-title"})
        strong = etree.SubElement(title, "b")
        strong.text = f"{CALLOUT_SIGNS[kind]} "
        # The title is inline markdown (processed later); the sign and fold mark are not.
        label = etree.SubElement(strong, "span")
        label.text = match.group("title").strip() or raw.capitalize()
        if fold:
            marker = etree.SubElement(title, "span", {"class": "callout-fold"})
            marker.text = markdown.util.AtomicString(fold)
        rest = (first.text or "")[match.end() :].lstrip("\n")
        if rest.strip() or len(first):
            first.text = rest
        else:
            quote.remove(first)
        table = etree.Element("table", {"class": f"callout callout-{kind}", "width": "100%",
                                        "cellspacing": "0", "cellpadding": "0"})  # fmt: skip
        row = etree.SubElement(table, "tr")
        etree.SubElement(row, "td", {"class": "callout-rule", "width": "4"})
        body = etree.SubElement(row, "td", {"class": "callout-body"})
        body.append(title)
        body.extend(list(quote))
        table.tail = quote.tail
        return table


class _DroppedProcessor(InlineProcessor):
    """What the pattern matches is left out of the page (a block id, a comment)."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class _MarkProcessor(InlineProcessor):
    """``==text==`` or ``~~text~~`` as the element ``tag`` (with ``attributes``)."""

    def __init__(self, pattern: re.Pattern[str], md: markdown.Markdown, tag: str,
                 attributes: dict[str, str]) -> None:  # fmt: skip
        super().__init__(pattern.pattern, md)
        self.tag, self.attributes = tag, attributes

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        element = etree.Element(self.tag, dict(self.attributes))
        element.text = m.group("text")  # inline markdown inside is processed on
        return element, m.start(0), m.end(0)


class _BareUrlProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        url = m.group("url")
        # A closing parenthesis the URL did not open is the sentence's ("(see https://x.org)"),
        # and punctuation before it too.
        while url.endswith(")") and url.count(")") > url.count("("):
            url = _TRAILING_RE.sub("", url[:-1])
        href = url if url.lower().startswith("http") else f"https://{url}"
        link = etree.Element("a", {"href": href, "class": "bare-url"})
        link.text = markdown.util.AtomicString(url)
        return link, m.start(0), m.start("url") + len(url)


class VaultExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Callouts before inline parsing (20) and the task boxes (25 runs first: a callout's
        # "[!note]" is no task).
        md.treeprocessors.register(_CalloutTreeprocessor(md), "notebook_callouts", 24)
        # After Python-Markdown's fenced code (25), whose preprocessor it calls.
        md.preprocessors.register(_QuotedFencePreprocessor(md), "notebook_quoted_fences", 24)
        # (Same name and priority as Python-Markdown's: it replaces that one.)
        md.parser.blockprocessors.register(_QuoteProcessor(md.parser), "quote", 20)
        highlight = _MarkProcessor(HIGHLIGHT_RE, md, "span", {"class": "highlight"})
        md.inlinePatterns.register(highlight, "notebook_mark", 65)
        md.inlinePatterns.register(_MarkProcessor(STRIKE_RE, md, "s", {}), "notebook_strike", 64)
        # (Newlines become line breaks only after inline parsing: it sees the line's end.)
        # Before Logseq's lines, which take the line break before them: a block id on the
        # line above one is still at its line's end.
        block_ids = _DroppedProcessor(BLOCK_ID_RE.pattern, md)
        md.inlinePatterns.register(block_ids, "notebook_block_ids", 67)
        bookkeeping = _DroppedProcessor(LOGSEQ_BOOKKEEPING_RE.pattern, md)
        md.inlinePatterns.register(bookkeeping, "notebook_logseq_bookkeeping", 66)
        # After code spans (190): "%%" in code is code.
        comments = _DroppedProcessor(COMMENT_RE.pattern, md)
        md.inlinePatterns.register(comments, "notebook_comments", 185)
        # After markdown links (160) and autolinks (120): a URL inside them is theirs.
        md.inlinePatterns.register(_BareUrlProcessor(_BARE_URL_RE, md), "notebook_bare_urls", 115)
