"""A Python-Markdown extension that turns formulas into images the preview provides itself.

Before Markdown reads the text, every formula ``find_math`` finds is drawn (``MathRenderer``)
and replaced by a stash placeholder, so nothing in it is read as Markdown (``_``, ``*``,
backslashes). After rendering the placeholders become

* ``<img src="math:KEY" width=… height=… style="vertical-align: middle" alt="$source$">``
  inline, padded (``middle_aligned``) so the formula's baseline sits on the text's;
* ``<p align="center" class="math-display"><img …></p>`` for display math alone on its lines;
* ``<span class="math-error" title="reason">source as written</span>`` for a formula that
  cannot be drawn (the stylesheet gives ``math-error`` the theme's error colour).

``KEY`` names one drawn image (source, display, size, colour); ``MathExtension.image(KEY)``
gives it back (from the renderer's cache), and ``math_keys(html)`` lists the keys a page uses:
the preview's worker rasterises those images, and the preview's ``loadResource`` answers
``math:`` URLs from them. The HTML holds no file path and no data: only the app's own images.
"""

from __future__ import annotations

import collections
import hashlib
import html
import re
import threading

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from notebook_app.core.markdown.math_spans import find_math
from notebook_app.core.markdown.math_svg import MathImage, MathRenderer, middle_aligned

MATH_SCHEME = "math"
_KEY_RE = re.compile(r'src="math:([0-9a-f]{20})"')
_MAX_KEYS = 8192


def math_keys(page: str) -> list[str]:
    """The image keys ``page`` (HTML from this extension) refers to, first use order, once each."""
    return list(dict.fromkeys(_KEY_RE.findall(page)))


class MathExtension(Extension):
    """Formulas drawn at ``size`` px in ``colour``; ``x_height`` is the preview font's x-height
    in px (QFontMetricsF.xHeight()), for the baseline; errors use the ``math-error`` class."""

    def __init__(
        self, renderer: MathRenderer, *, size: float, colour: str, x_height: float
    ) -> None:
        super().__init__()
        self.renderer = renderer
        self.size = size
        self.colour = colour
        self.x_height = x_height
        self._lock = threading.Lock()
        # key -> what it was drawn from; bounded: a key seen long ago is drawn again on demand.
        self._keys: collections.OrderedDict[str, tuple[str, bool, float, str]] = (
            collections.OrderedDict()
        )

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After NormalizeWhitespace (30): tabs expanded, line ends "\n". Before fenced code (25)
        # and any other preprocessor that rewrites lines, so spans are found in the text as
        # written (find_math itself leaves code alone).
        md.preprocessors.register(_MathPreprocessor(md, self), "notebook_math", 28)

    def image(self, key: str) -> MathImage | None:
        """The image ``key`` names, as the page shows it (padded for the baseline), or None for
        a key this extension never made."""
        with self._lock:
            found = self._keys.get(key)
        if found is None:
            return None
        source, display, size, colour = found
        return self._aligned(source, display, size, colour)

    def markup(self, source: str, display: bool, written: str) -> str:
        """The HTML that stands for one formula (``written``: it with its delimiters)."""
        image = self._aligned(source, display, self.size, self.colour)
        if not image.ok:
            return (
                f'<span class="math-error" title="{html.escape(image.error or "", quote=True)}">'
                f"{html.escape(written)}</span>"
            )
        key = self._key(source, display, self.size, self.colour)
        alt = html.escape(written, quote=True)
        return (
            f'<img src="{MATH_SCHEME}:{key}" width="{image.width:.2f}" '
            f'height="{image.height:.2f}" style="vertical-align: middle" alt="{alt}" />'
        )

    def _aligned(self, source: str, display: bool, size: float, colour: str) -> MathImage:
        image = self.renderer.render(source, display=display, size=size, colour=colour)
        return middle_aligned(image, self.x_height)

    def _key(self, source: str, display: bool, size: float, colour: str) -> str:
        parts = (source, display, float(size), colour)
        key = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]
        with self._lock:
            self._keys[key] = parts
            self._keys.move_to_end(key)
            while len(self._keys) > _MAX_KEYS:
                self._keys.popitem(last=False)
        return key


class _MathPreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, extension: MathExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        spans = find_math(text)
        if not spans:
            return lines
        out: list[str] = []
        done = 0
        for span in spans:
            out.append(text[done : span.start])
            written = text[span.start : span.end]
            markup = self.extension.markup(span.source, span.display, written)
            line_start = text.rfind("\n", 0, span.start) + 1
            line_end = text.find("\n", span.end)
            line_end = len(text) if line_end < 0 else line_end
            alone = (
                not text[line_start : span.start].strip() and not text[span.end : line_end].strip()
            )
            if span.display and alone and not markup.startswith("<span"):
                # A block of its own: blank lines around, the line's indentation kept (a list
                # item's block stays in the item).
                indent = text[line_start : span.start]
                placeholder = self.md.htmlStash.store(
                    f'<p align="center" class="math-display">{markup}</p>'
                )
                out.append(f"\n{indent}{placeholder}\n")
            else:
                out.append(self.md.htmlStash.store(markup))
            done = span.end
        out.append(text[done:])
        return "".join(out).split("\n")
