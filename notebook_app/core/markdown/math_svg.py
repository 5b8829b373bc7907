"""Draw a LaTeX formula as SVG (with ziamath, pure Python: no TeX, no web engine).

``MathRenderer.render(source, display=..., size=..., colour=...)`` gives a ``MathImage``: the
SVG text (SVG 1.1, which QtSvg reads: ziamath's ``svg2`` is turned off) and the metrics that
place it on the text's baseline, all in pixels at the requested font size. A formula that cannot
be drawn gives an image with ``error`` set (the reason, for a tooltip) and no SVG; nothing here
raises for bad input.

Bounds: a source longer than ``max_chars`` is refused unread; nesting deeper than
``max_depth`` braces is refused unread; a drawing that takes longer than ``time_limit`` seconds
is stopped (ziamath's layout is exponential in nesting depth: ten nested groups already take
most of a second) and reported as too slow. Results, errors included, are cached in a bounded
LRU, so a bad formula costs its time once, not on every keystroke.

The pixel ratio is the caller's: the SVG is vector, so the preview renders it once per
(formula, pixel ratio) into a QImage of ``ceil(width * ratio) x ceil(height * ratio)`` pixels
with ``setDevicePixelRatio(ratio)``; the document then lays it out at ``width x height``.

ziamath is imported on the first render, never at import of this module: it costs about half
a second, which belongs on the preview's worker thread, not at start-up.
"""

from __future__ import annotations

import collections
import dataclasses
import re
import threading
import warnings
from collections.abc import Hashable
from types import ModuleType, TracebackType
from typing import Any

# ziamath keeps its settings and loaded fonts in module globals: every call into it holds this
# lock (one lock for the one library, whichever renderer instance calls it).
_ZIAMATH_LOCK = threading.Lock()
_ziamath: ModuleType | None = None

_COLOUR_RE = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,20}")
# ziamath draws in its configured colour, "black"; ours replaces it (an explicit \color{...}
# in the formula keeps its own).
_BLACK_RE = re.compile(r'(fill|stroke)="black"')
# latex2mathml writes a command it does not know as an identifier named after it.
_UNKNOWN_COMMAND_RE = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
_MATHML_TEXT_RE = re.compile(r">([^<]+)<")  # the characters a formula's MathML draws
_MAX_MISSING_SHOWN = 10

# latex2mathml's exceptions carry no message: say what each means.
_REASONS = {
    "NumeratorNotFoundError": "\\frac needs a numerator",
    "DenominatorNotFoundError": "\\frac needs a denominator",
    "ExtraLeftOrMissingRightError": "\\left without a matching \\right",
    "MissingSuperScriptOrSubscriptError": "^ or _ with nothing after it",
    "DoubleSubscriptsError": "two subscripts in a row (group them with braces)",
    "DoubleSuperscriptsError": "two superscripts in a row (group them with braces)",
    "NoAvailableTokensError": "the formula ends too early (a missing argument or closing brace)",
    "InvalidStyleForGenfracError": "bad style for \\genfrac",
    "MissingEndError": "\\begin without a matching \\end",
    "InvalidAlignmentError": "bad column alignment",
    "InvalidWidthError": "bad width",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
    "RecursionError": "the formula is nested too deeply",
    # latex2mathml asserts rather than reports, e.g. on "\\frac{a}" with no denominator.
    "AssertionError": "a command is missing an argument",
}


@dataclasses.dataclass(frozen=True, slots=True)
class MathImage:
    """A drawn formula, sizes in pixels at the requested font size.

    ``ascent`` is the height above the baseline and ``depth`` below it (``height == ascent +
    depth``): an inline formula sits with its baseline on the text's baseline, ``depth``
    pixels of it below. With ``error`` set, ``svg`` is empty and the sizes are 0."""

    svg: str
    width: float
    height: float
    ascent: float
    depth: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _TooSlow(BaseException):
    """Raised inside the rendering thread when the time limit passes. A BaseException, so no
    ``except Exception`` in the libraries swallows it."""


_REFIRE_SECONDS = 0.1


class _Deadline:
    """Stop the calling thread's Python code ``seconds`` from now, by raising ``_TooSlow`` in it
    (CPython's PyThreadState_SetAsyncExc: no cost until it fires, unlike a trace function,
    which doubles ziamath's time)."""

    def __init__(self, seconds: float) -> None:
        self._thread_id = threading.get_ident()
        self._lock = threading.Lock()
        self._active = True
        self._fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def _fire(self) -> None:
        with self._lock:
            if self._active:
                self._fired = True
                _set_async_exc(self._thread_id, _TooSlow)
                # An exception raised where a library catches BaseException (or while the
                # thread is inside a ``finally``) can be lost; keep raising until the work
                # stops, or a swallowed one would leave an exponential layout running.
                self._timer = threading.Timer(_REFIRE_SECONDS, self._fire)
                self._timer.daemon = True
                self._timer.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            self._active = False
            if self._fired:
                # Fired but not yet raised (the work ended first): withdraw it.
                _set_async_exc(self._thread_id, None)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    import ctypes  # here, not at the top: only a stopped drawing needs it

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class MathRenderer:
    """Draws formulas, caching the results; safe to call from any thread."""

    def __init__(
        self,
        *,
        max_entries: int = 2048,
        max_cached_chars: int = 32_000_000,
        max_chars: int = 4000,
        max_depth: int = 64,
        time_limit: float = 2.0,
    ) -> None:
        self.max_chars = max_chars
        self.max_depth = max_depth
        self.time_limit = time_limit
        self._max_entries = max_entries
        self._max_cached_chars = max_cached_chars
        self._lock = threading.Lock()
        # (source, display, size) -> the image in ziamath's black; and the coloured images by
        # (source, display, size, colour). A theme switch recolours the first (microseconds)
        # rather than drawing again (milliseconds).
        self._drawn: collections.OrderedDict[tuple[str, bool, float], MathImage] = (
            collections.OrderedDict()
        )
        self._coloured: collections.OrderedDict[tuple[str, bool, float, str], MathImage] = (
            collections.OrderedDict()
        )
        self._cached_chars = 0

    def render(self, source: str, *, display: bool, size: float, colour: str) -> MathImage:
        """``source`` (LaTeX, without delimiters) drawn at ``size`` px in ``colour`` (``#rgb``,
        ``#rrggbb`` or an SVG colour name; a wrong colour is the caller's bug: ValueError)."""
        if not _COLOUR_RE.fullmatch(colour):
            raise ValueError(f"not a colour: {colour!r}")
        drawn_key = (source, display, float(size))
        key = (*drawn_key, colour)
        with self._lock:
            image = self._coloured.get(key)
            if image is not None:
                self._coloured.move_to_end(key)
                return image
            black = self._drawn.get(drawn_key)
            if black is not None:
                self._drawn.move_to_end(drawn_key)
        if black is None:
            black = self._draw(source, display, float(size))
        image = black
        if black.ok:
            image = dataclasses.replace(black, svg=_BLACK_RE.sub(rf'\1="{colour}"', black.svg))
        with self._lock:
            self._store(self._drawn, drawn_key, black)
            self._store(self._coloured, key, image)
        return image

    def clear(self) -> None:
        with self._lock:
            self._drawn.clear()
            self._coloured.clear()
            self._cached_chars = 0

    def __len__(self) -> int:
        """How many coloured images are cached."""
        return len(self._coloured)

    def _store(
        self, cache: collections.OrderedDict[Any, MathImage], key: Hashable, image: MathImage
    ) -> None:
        """Put ``image`` in ``cache``, dropping the least recently used beyond the bounds."""
        old = cache.pop(key, None)
        if old is not None:
            self._cached_chars -= len(old.svg)
        cache[key] = image
        self._cached_chars += len(image.svg)
        while cache and (
            len(cache) > self._max_entries or self._cached_chars > self._max_cached_chars
        ):
            _, evicted = cache.popitem(last=False)
            self._cached_chars -= len(evicted.svg)

    def _draw(self, source: str, display: bool, size: float) -> MathImage:
        reason = self._refusal(source)
        if reason is not None:
            return _failed(reason)
        try:
            with _ZIAMATH_LOCK:
                ziamath = _load_ziamath()
                from ziamath.tex import tex2mml

                with _Deadline(self.time_limit):
                    mathml = tex2mml(source, inline=not display)
                    unknown = _UNKNOWN_COMMAND_RE.search(mathml)
                    if unknown:
                        return _failed(f"unknown command {unknown.group(1)}")
                    math = ziamath.Math(mathml, size=size)
                    missing = _missing_glyphs(mathml, math.font)
                    if missing:
                        # Drawn, each would be an empty box: the text as written says more.
                        return _failed(f"the math font has no {missing}")
                    svg = math.svg()
                    bbox = math.node.bbox
                    margin = math.margin
        except _TooSlow:
            return _failed(f"took longer than {self.time_limit:g} s to draw")
        except RecursionError:
            return _failed(_REASONS["RecursionError"])
        except Exception as error:  # noqa: BLE001  (any failure of the library is a reason, not a crash)
            name = type(error).__name__
            detail = str(error).strip()
            reason = _REASONS.get(name) or f"cannot draw this formula ({detail or name})"
            return _failed(reason)
        ascent = bbox.ymax + margin
        depth = -bbox.ymin + margin
        return MathImage(
            svg=svg,
            width=bbox.xmax - bbox.xmin + 2 * margin,
            height=ascent + depth,
            ascent=ascent,
            depth=depth,
        )

    def _refusal(self, source: str) -> str | None:
        """Why ``source`` is not even tried, or None."""
        if len(source) > self.max_chars:
            return f"formula too long ({len(source):,} characters; at most {self.max_chars:,})"
        depth = deepest = 0
        for char in source:
            if char == "{":
                depth += 1
                deepest = max(deepest, depth)
            elif char == "}":
                depth -= 1
        if deepest > self.max_depth:
            return f"formula nested too deeply ({deepest} levels; at most {self.max_depth})"
        return None


def _missing_glyphs(mathml: str, font: Any) -> str:
    """The characters of ``mathml`` that ``font`` (ziamath's MathFont) has no glyph for, as
    they are written (``\\text{한국어}``: the math font has no Hangul), or ""."""
    import html

    text = html.unescape("".join(_MATHML_TEXT_RE.findall(mathml)))
    missing = [
        char for char in dict.fromkeys(text) if not char.isspace() and font.glyphindex(char) == 0
    ]
    shown = "".join(missing[:_MAX_MISSING_SHOWN])
    return shown + ("…" if len(missing) > _MAX_MISSING_SHOWN else "")


def _failed(reason: str) -> MathImage:
    return MathImage(svg="", width=0.0, height=0.0, ascent=0.0, depth=0.0, error=reason)


def _load_ziamath() -> ModuleType:
    """ziamath, imported and set up on first use (the caller holds _ZIAMATH_LOCK)."""
    global _ziamath
    if _ziamath is None:
        with warnings.catch_warnings():
            # ziamath 0.13 finds its font with importlib.resources.path, deprecated in 3.11.
            warnings.simplefilter("ignore", DeprecationWarning)
            import ziamath

        ziamath.config.svg2 = False  # SVG 1.1 paths: QtSvg reads neither SVG 2 nor <symbol> reuse
        ziamath.config.math.color = "black"
        _ziamath = ziamath
    return _ziamath


def middle_aligned(image: MathImage, x_height: float) -> MathImage:
    """``image`` padded so that, shown with ``vertical-align: middle`` in a QTextDocument, its
    baseline sits on the text's baseline.

    QTextDocument cannot lower an inline image below the baseline except by centring it:
    ``vertical-align: middle`` puts the image's middle ``x_height / 2`` above the baseline
    (``x_height`` of the surrounding font, in px: QFontMetricsF.xHeight()). Padding the
    image's bottom (or top) so that its baseline is exactly ``x_height / 2`` below its middle
    makes the two baselines meet."""
    if not image.ok:
        return image
    pad = image.ascent - image.depth - x_height / 2  # > 0: pad below, < 0: pad above
    below, above = max(pad, 0.0), max(-pad, 0.0)
    if below == above == 0.0:
        return image
    height = image.height + below + above
    svg = _resize_root(image.svg, image.width, height, above, below)
    return MathImage(
        svg=svg,
        width=image.width,
        height=height,
        ascent=image.ascent + above,
        depth=image.depth + below,
    )


def line_padded(image: MathImage, font_ascent: float, font_descent: float) -> MathImage:
    """A ``middle_aligned`` image padded equally above and below until it reaches past the
    font's ascent and descent.

    QTextLine draws a ``vertical-align: middle`` object centred in its *line* (top + (line
    height - object height) / 2), not at the place its layout gave it: the baseline holds
    only when the objects decide the line's height. Equal padding keeps each object's middle
    (so ``ascent - depth`` stays ``x_height / 2`` for all of them), and once every object
    reaches past the font, the line's middle is theirs: baselines meet on every line."""
    if not image.ok:
        return image
    extra = max(font_descent - image.depth, font_ascent - image.ascent, 0.0)
    if extra <= 0.0:
        return image
    height = image.height + 2 * extra
    return MathImage(
        svg=_resize_root(image.svg, image.width, height, extra, extra),
        width=image.width,
        height=height,
        ascent=image.ascent + extra,
        depth=image.depth + extra,
    )


_ROOT_RE = re.compile(r'<svg ([^>]*?)height="([^"]+)" viewBox="([^"]+)"')


def _resize_root(svg: str, width: float, height: float, above: float, below: float) -> str:
    """``svg`` with its viewBox grown by ``above`` at the top and ``below`` at the bottom."""

    def grow(match: re.Match[str]) -> str:
        x, y, w, h = (float(part) for part in match.group(3).split())
        box = f"{x:g} {y - above:g} {w:g} {h + above + below:g}"
        return f'<svg {match.group(1)}height="{height:.3f}" viewBox="{box}"'

    return _ROOT_RE.sub(grow, svg, count=1)
