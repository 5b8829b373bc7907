"""Formulas in the preview: drawn on the render lane, shown as images the preview holds,
in the theme's colour; a formula that cannot be drawn shows its source with the reason."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from notebook_app.core.markdown.normalizer import normalize, prepare
from notebook_app.core.markdown.sections import plan_sections
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.preview_math import MathImages
from notebook_app.gui.settings import Settings

NOTE = "# Expectation\n\nThe mean $\\mathbb{E}[x]$ of x.\n\n$$\n\\int_0^1 x\\,dx\n$$\n"


@pytest.fixture
def window(qtbot, tmp_path: Path, db_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    notebook = Notebook.open(db_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(notebook, settings, open_url=lambda url: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.set_theme("light")  # the QApplication is shared with the other tests
    window.close()
    notebook.close()


def _keys(window: MainWindow) -> list[str]:
    from notebook_app.core.markdown.math_extension import math_keys

    return math_keys(window.ui.preview.toHtml().replace("math:", 'src="math:'))


def _image(window: MainWindow, key: str) -> QImage:
    kind = QTextDocument.ResourceType.ImageResource.value
    found = window.ui.preview.loadResource(kind, QUrl(f"math:{key}"))
    assert isinstance(found, QImage)
    return found


def _ink(image: QImage) -> QColor:
    """The colour of the most opaque pixel: the formula's strokes."""
    best = QColor(0, 0, 0, 0)
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > best.alpha():
                best = colour
    return best


def _open_note(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    QTest.keySequence(window, "Ctrl+N")
    window.ui.editor.setPlainText(text)


def test_a_formula_is_an_image_in_the_themes_colour(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_note(qtbot, window, NOTE)
    qtbot.waitUntil(lambda: len(_keys(window)) == 2, timeout=10_000)
    inline, block = (_image(window, key) for key in _keys(window))
    ratio = inline.devicePixelRatio()
    # Plausible sizes in logical px: an inline formula about a line high, a block taller.
    assert 15 <= inline.width() / ratio <= 60 and 10 <= inline.height() / ratio <= 40
    assert block.height() > inline.height()
    ink = _ink(inline)
    assert ink.alpha() > 200 and ink.lightness() < 80  # the light theme's dark text
    # Source kept as the image's alternative text; no dollar signs left as text.
    assert "$" not in window.ui.preview.toPlainText()

    light_keys = _keys(window)
    window.set_theme("dark")  # redrawn in the dark theme's colour, with new keys
    qtbot.waitUntil(lambda: _keys(window) and _keys(window) != light_keys, timeout=10_000)
    ink = _ink(_image(window, _keys(window)[0]))
    assert ink.alpha() > 200 and ink.lightness() > 180
    assert _image(window, light_keys[0]).isNull()  # the old images are let go


def test_a_formula_that_cannot_be_drawn_shows_its_source_and_reason(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    _open_note(qtbot, window, "Broken $\\frac{1$ here and prices $5 and $10.")
    preview = window.ui.preview
    qtbot.waitUntil(lambda: "\\frac{1" in preview.toPlainText(), timeout=10_000)
    assert "$5 and $10" in preview.toPlainText()  # prices are not math
    cursor = preview.document().find("\\frac{1")
    fmt = cursor.charFormat()
    assert "argument" in fmt.toolTip()
    assert fmt.foreground().color().name() == "#d1242f"  # .math-error, light theme


def test_the_browser_keeps_only_the_images_of_the_page() -> None:
    images = MathImages()
    one, two = QImage(2, 2, QImage.Format.Format_ARGB32), QImage(3, 3, QImage.Format.Format_ARGB32)
    images.update(["a", "b"], {"a": one, "b": two}, 1.0)
    assert images.keys_for(1.0) == {"a", "b"} and images.keys_for(2.0) == frozenset()
    images.update(["b"], {}, 1.0)
    assert images.image("a").isNull() and images.image("b").width() == 3
    images.update(["b"], {}, 2.0)  # another screen: drawn again
    assert images.image("b").isNull()


def _starts(text: str) -> list[int]:
    prepared = prepare(text)
    sections = plan_sections(prepared, normalize(prepared.split("\n")), group=False) or []
    return [section.first_line for section in sections]


def test_no_section_starts_inside_a_display_formula() -> None:
    assert _starts("# A\n\n$$\n# not a heading\n$$\n\n# B") == [0, 2, 6]
    assert _starts("# A\n\n\\[\nx\n# not\n\\]\n\n# B") == [0, 2, 7]
    assert _starts("# A\n\n```\n$$\n```\n# B\n$$") == [0, 2, 5]  # code is not math


def test_inline_formulas_sit_on_the_baseline_on_every_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Text in black and formulas in red, wrapped over several lines with the preview's CSS:
    on each line the lowest red row (the formula's x, no descender) is the lowest black row
    (the text's x)."""
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.preview_math import PreviewRenderer, math_style
    from notebook_app.gui.theme import _preview_css_for

    browser = PreviewBrowser()
    qtbot.addWidget(browser)
    browser.resize(260, 600)
    browser.show()
    style = dataclasses.replace(math_style(browser), colour="#ff0000")
    context = PreviewRenderer()
    text = " ".join(["xxx $x$ xxvx"] * 16) + "\n\nxx $x^2$ xx $\\sum_i x_i$ xx " + "xx $x$ " * 6
    rendered = context.render(text, style)
    rendered = context.render(text, style)  # the first may stop at the budget (ziamath loads)
    browser.set_math_images(rendered.keys, rendered.images, style.ratio)
    css = _preview_css_for("light").replace("#1f2328", "#000000")
    browser.set_rendered(rendered.result.html, css, rendered.result.sections)
    qtbot.waitUntil(lambda: not browser.is_loading())
    shot = browser.viewport().grab().toImage()
    lines: dict[str, list[int]] = {"red": [], "black": []}
    previous: dict[str, bool] = {"red": False, "black": False}
    bottoms: list[tuple[str, int]] = []
    for y in range(shot.height()):
        seen = {"red": False, "black": False}
        for x in range(shot.width() - 20):  # not the scroll bar
            colour = shot.pixelColor(x, y)
            if colour.red() > 200 and colour.green() < 90 and colour.blue() < 90:
                seen["red"] = True
            elif colour.red() < 60 and colour.green() < 60 and colour.blue() < 60:
                seen["black"] = True
        for name in lines:
            if previous[name] and not seen[name]:
                bottoms.append((name, y - 1))
            previous[name] = seen[name]
    assert bottoms, "nothing drawn"
    # On each line of the first paragraph (x only, no descender): the formula's lowest row is
    # the text's (anti-aliasing may leave a faint row between: the lowest red row counts).
    red = [y for name, y in bottoms if name == "red"]
    black = [y for name, y in bottoms if name == "black"]
    assert len(black) >= 4
    for line in black[:4]:
        near = [y for y in red if line - 15 <= y <= line + 15]
        assert near and abs(max(near) - line) <= 1, (red, black)
