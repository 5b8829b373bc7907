"""The preview's typesetting: blocks reshaped into what Qt's rich text can draw well.

QTextDocument (the preview) understands a small part of CSS: it pads and rules table cells, but
gives a paragraph or a ``<pre>`` no padding and no left border. So, for the preview only (its
renderer adds this extension; export and Anki keep plain HTML):

* a code block sits in a one-cell table, whose padding and background make a padded box (its
  lines wrap, ``white-space: pre-wrap`` in the preview CSS, so a long line never widens the
  whole page into a horizontal scroll bar);
* a blockquote becomes a two-cell table: a narrow coloured cell is its rule on the left, the
  other holds the quotation.

The classes are styled in resources/preview/preview*.css. It works on the HTML the renderer
made (after Python-Markdown has put the code blocks back), by replacing whole tags: the note's
own text is already escaped there, so a ``<pre>`` or ``<blockquote>`` in it is always a tag.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

CODE_OPEN = '<table class="code-block" width="100%" cellspacing="0" cellpadding="10"><tr><td>'
CODE_CLOSE = "</td></tr></table>"
QUOTE_OPEN = (
    '<table class="quote" width="100%" cellspacing="0" cellpadding="0"><tr>'
    '<td class="quote-rule" width="4"></td><td class="quote-body">'
)
QUOTE_CLOSE = "</td></tr></table>"
# The box goes round codehilite's <div> too: left outside, the <div> would be an empty block
# above the box.
_PRE_OPEN = re.compile(r'(?:<div class="codehilite">)?<pre\b[^>]*>')
_PRE_CLOSE = re.compile(r"</pre>(?:</div>)?")


def typeset(html: str) -> str:
    """``html`` with its code blocks boxed and its quotations ruled (see the module's doc)."""
    if "<pre" in html:
        html = _PRE_OPEN.sub(lambda tag: CODE_OPEN + tag.group(), html)
        html = _PRE_CLOSE.sub(lambda tag: tag.group() + CODE_CLOSE, html)
    if "<blockquote" in html:
        html = html.replace("<blockquote>", QUOTE_OPEN).replace("</blockquote>", QUOTE_CLOSE)
    return html


class _TypesetPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return typeset(text)


class TypesetExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Priority 5: after the raw HTML (the code blocks) is restored, at 30.
        md.postprocessors.register(_TypesetPostprocessor(md), "notebook_typeset", 5)
