"""notebook_app.core.markdown.math_svg: formulas drawn as SVG that QtSvg shows."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from notebook_app.core.markdown import math_svg
from notebook_app.core.markdown.math_svg import MathImage, MathRenderer, middle_aligned

LONG = (
    r"p(\theta \mid x) = "
    r"\frac{p(x \mid \theta)\, p(\theta)}{\int p(x \mid \theta')\, p(\theta')\, d\theta'}"
)


@pytest.fixture(scope="module")
def renderer() -> MathRenderer:
    return MathRenderer()


def draw(renderer: MathRenderer, source: str, **options: object) -> MathImage:
    settings: dict[str, object] = {"display": False, "size": 16.0, "colour": "#3366cc"}
    settings.update(options)
    return renderer.render(source, **settings)  # type: ignore[arg-type]


def root(image: MathImage) -> ET.Element:
    return ET.fromstring(image.svg)


# -- the SVG and its metrics --------------------------------------------------------------


def test_svg_is_xml_sized_as_the_metrics_say(renderer: MathRenderer) -> None:
    image = draw(renderer, r"\mathbb{E}[x]")
    assert image.ok and image.error is None
    svg = root(image)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(svg.attrib["width"]) == pytest.approx(image.width, abs=0.01)
    assert float(svg.attrib["height"]) == pytest.approx(image.height, abs=0.01)
    assert image.height == pytest.approx(image.ascent + image.depth)
    # The viewBox's top is the ascent above the baseline (y = 0 in ziamath's drawing).
    top = float(svg.attrib["viewBox"].split()[1])
    assert top == pytest.approx(-image.ascent, abs=0.01)
    assert image.depth > 0  # the bracket reaches below the baseline


def test_svg_is_svg_one_point_one(renderer: MathRenderer) -> None:
    # QtSvg reads SVG 1.1 / Tiny: no <symbol>/<use> reuse of glyphs, no SVG 2 href.
    svg = draw(renderer, r"x + x + x^2").svg
    assert "<symbol" not in svg and "<use" not in svg
    assert set(re.findall(r"<(\w+)", svg)) <= {"svg", "path", "rect", "g", "line", "polygon"}


def test_sizes_are_plausible(renderer: MathRenderer) -> None:
    small = draw(renderer, "x^2")
    long = draw(renderer, LONG)
    assert 8 < small.width < 40 and 10 < small.height < 30
    assert long.width > 8 * small.width
    assert long.height > small.height  # a fraction is taller than a superscript
    double = draw(renderer, "x^2", size=32.0)
    assert double.width == pytest.approx(2 * small.width, rel=0.1)
    assert double.height == pytest.approx(2 * small.height, rel=0.1)


def test_display_math_sets_limits_above_and_below(renderer: MathRenderer) -> None:
    inline = draw(renderer, r"\sum_{i=1}^n x_i^2")
    display = draw(renderer, r"\sum_{i=1}^n x_i^2", display=True)
    assert display.height > inline.height * 1.3


def test_colour_is_applied_everywhere(renderer: MathRenderer) -> None:
    # A fraction bar and a root's line are drawn as rects/lines: they follow the colour too.
    image = draw(renderer, r"\frac{a}{\sqrt{b}} + \overline{c}", colour="#aa2200")
    colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', image.svg)) - {"none"}
    assert colours == {"#aa2200"}


def test_explicit_colour_in_the_formula_is_kept(renderer: MathRenderer) -> None:
    image = draw(renderer, r"{\color{red} x} + y", colour="#00aa00")
    colours = set(re.findall(r'fill="([^"]+)"', image.svg))
    assert {"red", "#00aa00"} <= colours


def test_wrong_colour_is_a_programming_error(renderer: MathRenderer) -> None:
    with pytest.raises(ValueError):
        draw(renderer, "x", colour='red" onload="x')


def test_letters_the_math_font_has_are_drawn(renderer: MathRenderer) -> None:
    assert draw(renderer, r"\text{café Жж —} \alpha \to \mathbb{R} \leq \infty").ok


# -- errors and bounds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (r"\frac{", "ends too early"),
        (r"\frac{a}", "missing an argument"),
        ("x_1_2", "two subscripts"),
        (r"\left( x", r"\left without"),
        (r"\begin{matrix} x", r"\begin without"),
        (r"\notacommand{x}", r"unknown command \notacommand"),
        ("x^", "nothing after it"),
        ("x" * 5000, "too long (5,000 characters"),
        ("{" * 100 + "x" + "}" * 100, "nested too deeply"),
        # The math font has no Hangul: each letter was drawn as an empty box.
        (r"\text{손실 함수} = x", "the math font has no 손실함수"),
    ],
)
def test_a_formula_that_cannot_be_drawn_gives_a_reason(
    renderer: MathRenderer, source: str, reason: str
) -> None:
    image = draw(renderer, source)
    assert not image.ok
    assert image.error is not None and reason in image.error
    assert image.svg == "" and image.width == image.height == 0


def test_a_ten_thousand_character_formula_is_refused_at_once(renderer: MathRenderer) -> None:
    started = time.perf_counter()
    image = draw(renderer, r"\frac{a}{b}+" * 900)
    assert image.error is not None and "too long" in image.error
    assert time.perf_counter() - started < 1.0


def test_a_slow_formula_is_stopped_and_the_renderer_still_works() -> None:
    renderer = MathRenderer(time_limit=0.3)
    # Nesting makes ziamath's layout exponential: 30 levels would take hours.
    started = time.perf_counter()
    image = draw(renderer, "{" * 30 + "x" + "}" * 30)
    elapsed = time.perf_counter() - started
    assert image.error is not None and "took longer than 0.3 s" in image.error
    assert elapsed < 5.0
    # Cached: the second look is free.
    started = time.perf_counter()
    assert draw(renderer, "{" * 30 + "x" + "}" * 30) is image
    assert time.perf_counter() - started < 0.1
    # ziamath is usable afterwards, and no stray exception reaches this thread later.
    assert draw(renderer, "x^2").ok
    time.sleep(0.5)
    assert draw(renderer, "y^2").ok


# -- the cache ----------------------------------------------------------------------------


def test_cache_returns_the_same_image_and_recolours_without_drawing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = MathRenderer()
    drawn: list[str] = []
    real_draw = renderer._draw

    def counting(source: str, display: bool, size: float) -> MathImage:
        drawn.append(source)
        return real_draw(source, display, size)

    monkeypatch.setattr(renderer, "_draw", counting)
    first = draw(renderer, "a+b")
    assert draw(renderer, "a+b") is first
    dark = draw(renderer, "a+b", colour="#eeeeee")
    assert dark.svg != first.svg and "#eeeeee" in dark.svg
    assert (dark.width, dark.height) == (first.width, first.height)
    assert drawn == ["a+b"]  # one drawing for both colours
    draw(renderer, "a+b", size=20.0)
    draw(renderer, "a+b", display=True)
    assert drawn == ["a+b"] * 3  # size and display are part of the key


def test_cache_is_bounded() -> None:
    renderer = MathRenderer(max_entries=3)
    for index in range(10):
        draw(renderer, f"x_{index}")
    assert len(renderer) == 3
    renderer = MathRenderer(max_cached_chars=20_000)
    for index in range(10):
        draw(renderer, f"x_{index} + y_{index}")
    assert 0 < len(renderer) < 10


def test_renders_from_several_threads_agree(renderer: MathRenderer) -> None:
    sources = [f"\\frac{{x_{i}}}{{y + {i}}}" for i in range(12)]
    serial = {
        source: MathRenderer().render(source, display=False, size=15, colour="#123456")
        for source in sources
    }
    shared = MathRenderer()
    results: dict[str, MathImage] = {}
    failures: list[BaseException] = []

    def work(part: list[str]) -> None:
        try:
            for source in part:
                results[source] = shared.render(source, display=False, size=15, colour="#123456")
        except BaseException as error:  # noqa: BLE001
            failures.append(error)

    threads = [threading.Thread(target=work, args=(sources[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert {source: image.svg for source, image in results.items()} == {
        source: image.svg for source, image in serial.items()
    }


def test_importing_the_module_does_not_load_ziamath() -> None:
    code = (
        "import sys, notebook_app.core.markdown.math_svg as m; "
        "m.MathRenderer(); assert 'ziamath' not in sys.modules, 'loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- Qt shows it --------------------------------------------------------------------------


def test_qt_reads_the_svg_and_paints_the_colour(qapp: object) -> None:
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = MathRenderer().render(r"\mathbb{E}[x]", display=False, size=16, colour="#cc3300")
    svg_renderer = QSvgRenderer(QByteArray(image.svg.encode()))
    assert svg_renderer.isValid()
    ratio = 2.0  # a HiDPI screen: drawn at twice the pixels, laid out at the logical size
    pixels = QImage(
        math.ceil(image.width * ratio),
        math.ceil(image.height * ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    pixels.setDevicePixelRatio(ratio)
    pixels.fill(0)
    painter = QPainter(pixels)
    svg_renderer.render(painter, QRectF(0, 0, image.width, image.height))
    painter.end()
    opaque = [
        QColor(pixels.pixel(x, y))
        for x in range(pixels.width())
        for y in range(pixels.height())
        if QColor.fromRgba(pixels.pixel(x, y)).alpha() == 255
    ]
    assert len(opaque) > 50
    assert {color.name() for color in opaque} == {"#cc3300"}


def test_middle_aligned_formula_sits_on_the_text_baseline(qapp: object) -> None:
    """With the padding from middle_aligned and vertical-align: middle, the line's descent
    below the baseline is the formula's depth (QTextDocument's rule for centred images)."""
    from PySide6.QtGui import QFont, QFontMetrics, QImage, QTextDocument

    font = QFont()
    font.setPixelSize(16)
    x_height = QFontMetrics(font).xHeight()
    image = MathRenderer().render(r"\sum_{i=1}^{n} x_i^2", display=True, size=16, colour="#000000")
    aligned = middle_aligned(image, x_height)
    assert aligned.height >= image.height and aligned.width == image.width
    assert ET.fromstring(aligned.svg).attrib["height"] == f"{aligned.height:.3f}"
    document = QTextDocument()
    document.setDefaultFont(font)
    picture = QImage(round(aligned.width), round(aligned.height), QImage.Format.Format_ARGB32)
    document.addResource(QTextDocument.ResourceType.ImageResource.value, "math:1", picture)
    document.setHtml('<p>x<img src="math:1" style="vertical-align: middle">y</p>')
    document.documentLayout()  # lay out
    line = document.firstBlock().layout().lineAt(0)
    assert image.depth > QFontMetrics(font).descent()  # so the formula sets the line's descent
    assert line.descent() == pytest.approx(aligned.depth, abs=1.0)
    assert line.ascent() == pytest.approx(max(aligned.ascent, line.ascent()), abs=1.0)


def test_middle_aligned_leaves_errors_alone() -> None:
    failed = MathRenderer().render(r"\frac{", display=False, size=16, colour="#000000")
    assert middle_aligned(failed, 8) is failed


def test_module_holds_no_renderer() -> None:
    # Built in main() and passed down, like every other service.
    assert not any(isinstance(value, MathRenderer) for value in vars(math_svg).values())
