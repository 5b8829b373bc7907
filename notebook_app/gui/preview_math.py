"""Formulas in the preview: the render lane's context and the images it hands the browser.

The render lane renders a note with a ``MarkdownRenderer`` that carries a ``MathExtension``
(formulas become ``<img src="math:KEY">``) and rasterises, on that lane's thread, the images
the browser does not hold yet. The browser answers ``math:`` URLs from memory
(``PreviewBrowser.set_math_images``): the GUI thread never draws a formula.

A formula's key names its source, size and colour, so a theme switch gives new keys: the
colour is a string substitution in the cached SVG (no redraw of the layout), rasterised
again here. One ``MarkdownRenderer`` per style (colour, size, x-height) keeps each style's
sections cached: switching the theme back and forth costs no re-render.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QFontInfo, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QWidget

from notebook_app.gui.theme import preview_css

if TYPE_CHECKING:  # loaded on the render lane, not at start-up
    from notebook_app.core.api import MarkdownRenderer, MathExtension, MathImage, MathRenderer

_BODY_COLOUR_RE = re.compile(r"body\s*\{[^}]*?(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})")
MATH_SCHEME = "math"  # the core's math_extension.MATH_SCHEME (not imported: it loads Markdown)
_FALLBACK_COLOUR = "#000000"
# STIX Two Math's letters are smaller than the UI font's at the same em (x-height ~0.45 em
# against ~0.54): drawn at the text's size a formula looks a size too small (KaTeX scales by
# 1.21 for the same reason).
MATH_SCALE = 1.15
_MAX_STYLES = 4  # light and dark, at one or two font sizes


@dataclasses.dataclass(frozen=True)
class MathStyle:
    """How formulas are drawn: the preview font's pixel size and x-height, the text colour."""

    size: float
    x_height: float
    colour: str
    ratio: float
    ascent: float = 0.0  # the font's, px: inline images reach past them (line_padded)
    descent: float = 0.0  # device pixels per logical pixel, for rasterising


@functools.cache
def _body_colour(css: str) -> str:
    """The text colour the preview stylesheet gives ``body``: formulas are drawn in it."""
    match = _BODY_COLOUR_RE.search(css)
    return match.group(1).lower() if match else _FALLBACK_COLOUR


def math_style(browser: QWidget) -> MathStyle:
    """The style for ``browser``'s font, palette and screen (read on the GUI thread)."""
    font = browser.font()
    metrics = QFontMetricsF(font)
    return MathStyle(
        size=round(QFontInfo(font).pixelSize() * MATH_SCALE, 1),
        x_height=float(metrics.xHeight()),
        colour=_body_colour(preview_css(browser)),
        ratio=float(browser.devicePixelRatioF()),
        ascent=float(metrics.ascent()),
        descent=float(metrics.descent()),
    )


def rasterise(image: MathImage, ratio: float) -> QImage:
    """``image``'s SVG drawn at ``ratio`` device pixels per logical pixel (any thread)."""
    # Qt's SVG module is loaded by the first formula, on the render lane: not at start-up.
    from PySide6.QtSvg import QSvgRenderer

    out = QImage(
        max(1, math.ceil(image.width * ratio)),
        max(1, math.ceil(image.height * ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    out.fill(0)
    out.setDevicePixelRatio(ratio)
    painter = QPainter(out)
    try:
        QSvgRenderer(QByteArray(image.svg.encode())).render(
            painter, QRectF(0, 0, image.width, image.height)
        )
    finally:
        painter.end()
    return out


@dataclasses.dataclass
class Rendered:
    """A render lane result: the renderer's result plus the images the page needs."""

    result: Any  # RenderedMarkdown
    keys: list[str]  # every math key the page uses
    images: dict[str, QImage]  # those the browser did not have


class PreviewRenderer:
    """The render lane's context: markdown renderers per math style, one formula renderer."""

    def __init__(self) -> None:
        from notebook_app.core.api import MathRenderer

        self.math: MathRenderer = MathRenderer()
        self._styles: dict[MathStyle, tuple[MarkdownRenderer, MathExtension]] = {}
        self.breaks = True  # a single newline is a line break (the window's setting)

    def set_breaks(self, breaks: bool) -> None:
        """Line breaks on or off (strict CommonMark): the renderers are made anew."""
        if breaks != self.breaks:
            self.breaks = breaks
            self._styles.clear()

    def render_embed(self, text: str, style: MathStyle, have: Collection[str] = ()) -> Rendered:
        """Another entry's body embedded in the preview (``![[Title]]``), in one piece, by the
        note's own renderer for ``style``: its formulas drawn as the note's are."""
        renderer, extension = self.renderer(style)
        # (render, not render_sectioned: the note's sections and its last render stay kept.)
        return self._with_images(renderer.render(text), extension, style, have)

    def renderer(self, style: MathStyle) -> tuple[MarkdownRenderer, MathExtension]:
        from notebook_app.core.api import MarkdownRenderer, MathExtension, TypesetExtension

        name = dataclasses.replace(style, ratio=0.0)  # the ratio only matters to rasterise
        found = self._styles.get(name)
        if found is None:
            if len(self._styles) >= _MAX_STYLES:
                self._styles.pop(next(iter(self._styles)))
            extension = MathExtension(
                self.math,
                size=style.size,
                colour=style.colour,
                x_height=style.x_height,
                font_ascent=style.ascent,
                font_descent=style.descent,
            )
            typeset = TypesetExtension()  # code boxes and quotation rules Qt can draw
            found = self._styles[name] = (
                MarkdownRenderer(extensions=[extension, typeset], breaks=self.breaks),
                extension,
            )
        return found

    def render(self, text: str, style: MathStyle, have: Collection[str] = ()) -> Rendered:
        """Render ``text``; rasterise the formulas whose keys are not in ``have``."""
        renderer, extension = self.renderer(style)
        return self._with_images(renderer.render_sectioned(text), extension, style, have)

    @staticmethod
    def _with_images(
        result: Any, extension: MathExtension, style: MathStyle, have: Collection[str]
    ) -> Rendered:
        from notebook_app.core.api import math_keys

        keys = math_keys(result.html) if "math:" in result.html else []
        images: dict[str, QImage] = {}
        for key in keys:
            if key in have:
                continue
            image = extension.image(key)
            if image is not None and image.ok:
                images[key] = rasterise(image, style.ratio)
        return Rendered(result, keys, images)


def make_preview_renderer() -> PreviewRenderer:
    """The render lane's context. Markdown and Pygments load on that thread, after the
    window's first paint; ziamath loads with the first formula (≈140 ms, once)."""
    context = PreviewRenderer()
    # Load Pygments before typing (the default style: the first request makes its own).
    from notebook_app.core.api import MarkdownRenderer

    MarkdownRenderer().render("# warm up\n\n```python\nx = 1\n```\n")
    return context


class MathImages:
    """The browser's formula images by key, for one pixel ratio (GUI thread only).

    Holds the images of the page shown: each update drops the keys the page no longer uses.
    The formulas of notes embedded in it are held apart, by embedded entry, until released.
    """

    def __init__(self) -> None:
        self._images: dict[str, QImage] = {}
        self._held: dict[str, dict[str, QImage]] = {}  # owner (an embedded entry) -> images
        self._ratio = 0.0

    def keys_for(self, ratio: float) -> frozenset[str]:
        """The keys held for ``ratio`` (none when the screen's ratio changed)."""
        if ratio != self._ratio:
            return frozenset()
        return frozenset(self._images).union(*self._held.values())

    def update(self, keys: Collection[str], images: dict[str, QImage], ratio: float) -> None:
        self._set_ratio(ratio)
        self._images = self._kept(keys, images, self._images)

    def hold(
        self, owner: str, keys: Collection[str], images: dict[str, QImage], ratio: float
    ) -> None:
        """The images ``owner`` (an embedded note) shows, kept apart from the page's (those
        it already had included) until :meth:`release`."""
        self._set_ratio(ratio)
        self._held[owner] = self._kept(keys, images, self._held.get(owner, {}))

    def release(self) -> None:
        self._held.clear()

    def image(self, key: str) -> QImage:
        # An empty image, not None: None would send QTextDocument to the disk for the name.
        return self._find(key, self._images) or QImage()

    def _kept(
        self, keys: Collection[str], images: dict[str, QImage], old: dict[str, QImage]
    ) -> dict[str, QImage]:
        """The image of each of ``keys``: new in ``images``, else one already held."""
        return {key: found for key in keys if (found := images.get(key) or self._find(key, old))}

    def _find(self, key: str, first: dict[str, QImage]) -> QImage | None:
        """``key``'s image in ``first``, else the page's, else an embedded note's."""
        for held in (first, self._images, *self._held.values()):
            if found := held.get(key):
                return found
        return None

    def _set_ratio(self, ratio: float) -> None:
        if ratio != self._ratio:
            self._images.clear()
            self._held.clear()
            self._ratio = ratio
