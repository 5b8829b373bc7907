"""Formulas in the preview: drawn on the render lane, shown as images the preview holds,
in the theme's colour; a formula that cannot be drawn shows its source with the reason."""

from __future__ import annotations

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
