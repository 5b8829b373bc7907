"""How the window looks: the entry's header, source-type icons, contrast in both themes, the
editor's highlighting and font, and the preview's typesetting."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QTextCharFormat
from PySide6.QtWidgets import QApplication, QComboBox

from notebook_app.core.markdown.entry_header import entry_header_html
from notebook_app.core.markdown.typeset_extension import typeset
from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
)
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui import settings as S
from notebook_app.gui.entry_delegate import EntryDelegate
from notebook_app.gui.main_window import MainWindow
from notebook_app.gui.markdown_editor import DOCUMENT_MARGIN, MarkdownEditor
from notebook_app.gui.markdown_highlighter import MarkdownHighlighter
from notebook_app.gui.preview_browser import PreviewBrowser
from notebook_app.gui.preview_width import keep_readable_width, readable_width
from notebook_app.gui.theme import apply_theme, dark_palette, light_palette, preview_css

PAPER = Entry(
    kind=Kind.NOTE,
    title="LLMs Still Can't Plan <script>alert(1)</script>",
    source_type=SourceType.PAPER,
    url="https://arxiv.org/abs/2409.13373?a=1&b=2",
    authors="Valmeekam & Kambhampati",
    read_on=dt.date(2024, 9, 25),
    reading_status=ReadingStatus.DONE,
    body="The body.",
)


# --- the entry's header (core) ------------------------------------------------------------------


def test_a_paper_header_has_title_link_type_authors_day_and_status_all_escaped() -> None:
    html = entry_header_html(PAPER)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://arxiv.org/abs/2409.13373?a=1&amp;b=2">' in html
    assert "Paper" in html and "Done" in html and "Read 2024-09-25" in html
    assert "Valmeekam &amp; Kambhampati" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", 'https://x.org/" onclick="x']
)
def test_a_source_that_is_not_a_web_address_is_shown_but_never_linked(url: str) -> None:
    html = entry_header_html(PAPER.replace(url=url))
    assert "<a " not in html
    assert 'onclick="' not in html  # the quote is escaped, so no attribute is made


def test_a_long_url_is_shortened_in_the_middle_but_linked_whole() -> None:
    url = "https://example.org/" + "a" * 200 + "/end"
    html = entry_header_html(PAPER.replace(url=url))
    assert f'href="{url}"' in html
    assert "…" in html and "/end</a>" in html


def test_a_term_header_has_its_aliases_and_learning_status() -> None:
    term = Entry(kind=Kind.TERM, title="Superposition", aliases=["SP", "<b>poly</b>"],
                 learning_status=LearningStatus.WANT)  # fmt: skip
    html = entry_header_html(term)
    assert "Glossary term" in html and "Want to learn" in html
    assert "Also called SP, &lt;b&gt;poly&lt;/b&gt;" in html


def test_a_meeting_header_has_its_day_and_who() -> None:
    meeting = Entry(kind=Kind.MEETING, title="Call", met_on=dt.date(2024, 10, 1),
                    who="an eval researcher")  # fmt: skip
    html = entry_header_html(meeting)
    assert "Meeting" in html and "2024-10-01" in html and "With an eval researcher" in html


# --- the window -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def light_theme_after() -> Iterator[None]:
    """The next test starts from the light theme, whatever this one switched to."""
    yield
    app = QApplication.instance()
    if isinstance(app, QApplication):  # (a test of the core alone made none)
        apply_theme(app, "light")


def _open(qtbot, window: MainWindow, entry_id: str) -> None:  # type: ignore[no-untyped-def]
    window.editing.open(entry_id)
    assert window.runner.wait(10)
    assert window.editing.current is not None and window.editing.current.id == entry_id


def test_the_preview_shows_the_header_above_the_body_and_its_link_opens_in_the_browser(
    qtbot, make_window, db_path: Path, opened_urls: list[QUrl]
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        paper = notebook.add(PAPER)
    window = make_window()
    _open(qtbot, window, paper.id)
    preview = window.ui.preview
    qtbot.waitUntil(lambda: "The body." in preview.toPlainText(), timeout=5000)
    text = preview.toPlainText()
    assert (
        text.index("LLMs Still Can't Plan <script>") < text.index("Paper") < text.index("The body.")
    )
    assert "Valmeekam & Kambhampati" in text and "arxiv.org/abs/2409.13373" in text
    cursor = preview.document().find("arxiv.org/abs")
    assert cursor.charFormat().anchorHref() == PAPER.url
    preview.anchorClicked.emit(QUrl(cursor.charFormat().anchorHref()))
    assert [url.toString() for url in opened_urls] == [PAPER.url]
    # A saved change to a field shows in the header.
    window.ui.authorsEdit.setText("Someone Else")
    window.ui.authorsEdit.textEdited.emit("Someone Else")
    window.editing.flush()
    qtbot.waitUntil(lambda: "Someone Else" in preview.toPlainText(), timeout=5000)


def test_each_source_type_has_its_own_icon_in_the_list(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        for source in SourceType:
            notebook.add(Entry(kind=Kind.NOTE, title=f"A {source.value}", source_type=source))
        notebook.add(Entry(kind=Kind.NOTE, title="No type"))
        notebook.add(Entry(kind=Kind.TERM, title="A term"))
    window = make_window()
    view = window.ui.entryList
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() == len(SourceType) + 2, timeout=5000)
    delegate = view.itemDelegate()
    assert isinstance(delegate, EntryDelegate)

    def picture(row: int) -> QImage:
        icon = delegate.icon(model.index(row, 0))
        assert icon is not None and not icon.isNull()
        image = QImage(24, 24, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        icon.paint(painter, 0, 0, 24, 24)
        painter.end()
        return image

    by_title = {model.index(row, 0).data(): picture(row) for row in range(model.rowCount())}
    images = [by_title[f"A {source.value}"] for source in SourceType]
    distinct = {bytes(image.constBits()) for image in images}
    assert len(distinct) == len(SourceType)  # nine source types, nine different icons
    kind_pictures = {bytes(by_title[title].constBits()) for title in ("No type", "A term")}
    assert len(kind_pictures) == 2 and not kind_pictures & distinct


# --- contrast -------------------------------------------------------------------------------------


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: QColor, background: QColor) -> float:
    """The WCAG 2 contrast ratio, the foreground's alpha blended onto the background first."""
    alpha = foreground.alphaF()
    blended = QColor.fromRgbF(
        *(f * alpha + b * (1 - alpha) for f, b in zip(
            (foreground.redF(), foreground.greenF(), foreground.blueF()),
            (background.redF(), background.greenF(), background.blueF()), strict=True))
    )  # fmt: skip
    light, dark = sorted((_luminance(blended), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_ratio_is_computed_as_wcag_says() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_highlighter_format_reaches_4_5_to_1_on_the_editor_background(
    qtbot, theme: str
) -> None:  # type: ignore[no-untyped-def]
    palette = dark_palette() if theme == "dark" else light_palette()
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPalette(palette)  # as a theme switch does: the highlighter follows it
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    formats = editor.highlighter.formats
    assert len(formats) >= 12
    for name, char in formats.items():
        foreground = char.foreground().color() if char.hasProperty(
            QTextCharFormat.Property.ForegroundBrush) else text  # fmt: skip
        background = char.background().color() if char.hasProperty(
            QTextCharFormat.Property.BackgroundBrush) else base  # fmt: skip
        ratio = contrast(foreground, background)
        assert ratio >= 4.5, (
            f"{theme}: {name} {foreground.name()} on {background.name()}: {ratio:.2f}"
        )


def test_a_theme_switch_recolours_the_editor_highlighting(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.set_theme("light")
    light_link = window.ui.editor.highlighter.formats["link"].foreground().color().name()
    window.set_theme("dark")
    QApplication.processEvents()
    formats = window.ui.editor.highlighter.formats
    assert formats["link"].foreground().color().name() != light_link
    base = window.ui.editor.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 128
    assert contrast(formats["code"].foreground().color(), base) >= 4.5


def test_dark_placeholders_are_dimmer_than_values_and_combo_boxes_match_fields(
    qtbot, make_window
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.set_theme("dark")
    QApplication.processEvents()
    line_edit = window.ui.authorsEdit.palette()
    value = line_edit.color(QPalette.ColorRole.Text)
    hint = line_edit.color(QPalette.ColorRole.PlaceholderText)
    assert value.lightness() - hint.lightness() >= 80  # reads as a hint, not as a value
    assert contrast(hint, line_edit.color(QPalette.ColorRole.Base)) >= 4.5
    combo = window.findChild(QComboBox, "sourceTypeCombo")
    assert combo is not None
    button = combo.palette().color(QPalette.ColorRole.Button)
    field = line_edit.color(QPalette.ColorRole.Base)
    assert button.lightness() <= field.lightness()


def test_an_unset_choice_is_drawn_as_a_hint_and_a_chosen_one_as_a_value(
    qtbot, make_window, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Notebook.open(db_path) as notebook:
        bare = notebook.add(Entry(kind=Kind.NOTE, title="No type yet"))
        paper = notebook.add(PAPER)
    window = make_window()
    window.set_theme("dark")
    combo = window.findChild(QComboBox, "sourceTypeCombo")
    assert combo is not None

    def colour() -> str:
        return combo.palette().color(QPalette.ColorRole.ButtonText).name()

    hint = window.ui.authorsEdit.palette().color(QPalette.ColorRole.PlaceholderText).name()
    _open(qtbot, window, bare.id)
    assert combo.currentData() is None and colour() == hint
    _open(qtbot, window, paper.id)
    assert combo.currentData() == SourceType.PAPER and colour() != hint


# --- the editor -----------------------------------------------------------------------------------


def _ranges(editor: MarkdownEditor, line: int) -> list[tuple[int, int, QTextCharFormat]]:
    block = editor.document().findBlockByNumber(line)
    ranges = block.layout().formats()
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in ranges]


def _format_at(editor: MarkdownEditor, line: int, utf16: int) -> QTextCharFormat:
    for start, length, char in _ranges(editor, line):
        if start <= utf16 < start + length:
            return char
    return QTextCharFormat()


@pytest.mark.parametrize("heading", ["## 💨 tl;dr", "## 💡 Key Ideas", "# Done 💡💨 ok"])
def test_a_heading_after_an_emoji_outside_the_bmp_is_formatted_to_its_last_character(
    qtbot, heading: str
) -> None:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPlainText(f"{heading}\nplain")
    block = editor.document().firstBlock()
    last = block.length() - 2  # in UTF-16 units, as Qt counts: the last character
    assert _format_at(editor, 0, last).fontWeight() == QFont.Weight.Bold
    assert _format_at(editor, 1, 0).fontWeight() != QFont.Weight.Bold


def test_inline_formats_after_an_emoji_land_on_their_characters(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("💡 see `code` here")
    text = editor.document().firstBlock().text()  # Qt's text: UTF-16 positions
    start = text.encode("utf-16-le").decode("utf-16-le").index("`")
    start16 = len(text[:start].encode("utf-16-le")) // 2
    code = _format_at(editor, 0, start16 + 1)
    assert code.fontFixedPitch()
    assert not _format_at(editor, 0, start16 + len("`code`")).fontFixedPitch()  # the space


def test_bold_is_bold_and_not_italic_and_emphasis_is_italic(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("a **bold** b\nan *em* c\n__also bold__ and _em_\n**bold with *em* in**")
    bold = _format_at(editor, 0, 4)
    assert bold.fontWeight() == QFont.Weight.Bold and not bold.fontItalic()
    em = _format_at(editor, 1, 4)
    assert em.fontItalic() and em.fontWeight() != QFont.Weight.Bold
    assert _format_at(editor, 2, 3).fontWeight() == QFont.Weight.Bold
    assert not _format_at(editor, 2, 3).fontItalic()
    assert _format_at(editor, 2, len("__also bold__ and _") + 1).fontItalic()
    both = _format_at(editor, 3, len("**bold with *") + 1)
    assert both.fontItalic() and both.fontWeight() == QFont.Weight.Bold
    editor.setPlainText("a ***both*** b")
    assert _format_at(editor, 0, 6).fontItalic() and _format_at(editor, 0, 6).fontWeight() == (
        QFont.Weight.Bold
    )
    assert not _format_at(editor, 0, 0).fontItalic()
    editor.setPlainText("**bold [link](https://x.org) 💡 in** out")
    link = _format_at(editor, 0, len("**bold [") + 1)
    colour = editor.highlighter.formats["link"].foreground().color()
    assert link.fontWeight() == QFont.Weight.Bold and link.foreground().color() == colour
    assert _format_at(editor, 0, len("**bold [link](https://x.org) 💡 i") + 1).fontWeight() == (
        QFont.Weight.Bold
    )


def test_code_and_table_lines_are_monospace_and_the_text_has_a_margin(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("| a | b |\n|---|---|\n| 1 | 2 |\nplain `x` text\n```\ncode\n```")
    for line in (0, 1, 2, 5):
        assert _format_at(editor, line, 1).fontFixedPitch(), line
    assert _format_at(editor, 3, len("plain `")).fontFixedPitch()
    assert not _format_at(editor, 3, 1).fontFixedPitch()
    assert editor.document().documentMargin() == DOCUMENT_MARGIN >= 10


def test_the_monospace_editor_font_is_a_view_menu_option_and_remembered(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    def monospace(window: MainWindow) -> bool:  # every character as wide as the others
        metrics = window.ui.editor.fontMetrics()
        return metrics.horizontalAdvance("iiii") == metrics.horizontalAdvance("WWWW")

    window = make_window()
    action = window.named_actions["monospaceEditor"]
    assert action.isCheckable() and not action.isChecked()
    assert not monospace(window)
    action.trigger()
    assert monospace(window)
    assert window.settings.get(S.EDITOR_MONOSPACE) is True
    window.close()
    again = make_window()
    assert again.named_actions["monospaceEditor"].isChecked()
    assert monospace(again)


def test_highlighting_a_note_needs_no_palette_to_rehighlight_twice(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    highlighter = editor.highlighter
    assert isinstance(highlighter, MarkdownHighlighter)
    calls: list[int] = []
    highlighter.rehighlight = lambda: calls.append(1)  # type: ignore[method-assign]
    highlighter.set_palette(editor.palette())  # the same colours: nothing to redo
    assert calls == []


# --- the preview's typesetting --------------------------------------------------------------------


def test_code_blocks_are_boxed_and_quotations_ruled() -> None:
    html = typeset('<div class="codehilite"><pre><code>x</code></pre></div>\n'
                   "<blockquote>\n<p>q</p>\n</blockquote>")  # fmt: skip
    assert html.startswith('<table class="code-block"')
    assert html.count("<table") == html.count("</table>") == 2
    assert "<blockquote" not in html and 'class="quote-rule"' in html


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_highlighted_and_struck_text_look_so_in_the_preview_and_the_editor(
    qtbot, theme: str
) -> None:  # type: ignore[no-untyped-def]
    # ==marked== had a class and no colour: the preview showed it as plain text.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    try:
        browser = _shown(qtbot, "plain ==marked== and ~~struck~~ text", 600)
        document = browser.document()
        base = browser.palette().color(QPalette.ColorRole.Base)

        def char_at(word: str) -> QTextCharFormat:
            cursor = document.find(word)
            assert not cursor.isNull(), word
            return cursor.charFormat()

        marked, plain = char_at("marked"), char_at("plain")
        assert marked.background().style() != Qt.BrushStyle.NoBrush
        colour = marked.background().color()
        assert colour != base and contrast(marked.foreground().color(), colour) >= 4.5
        assert char_at("struck").fontStrikeOut() and not plain.fontStrikeOut()
        assert plain.background().style() == Qt.BrushStyle.NoBrush
        # The editor marks the same spans, the marks included, as the preview does.
        editor = MarkdownEditor()
        qtbot.addWidget(editor)
        editor.setPalette(browser.palette())
        editor.setPlainText("plain ==marked== and ~~struck~~ text, `==code==`")
        block = editor.document().firstBlock()
        spans = {(r.start, r.length, r.format.fontStrikeOut(),
                  r.format.background().style() != Qt.BrushStyle.NoBrush)
                 for r in block.layout().formats()}  # fmt: skip
        assert (6, 10, False, True) in spans and (21, 10, True, False) in spans
        assert not any(start >= 40 and (struck or marked) for start, _n, struck, marked in spans)
    finally:
        apply_theme(app, "light")


def _shown(qtbot, markdown: str, width: int) -> PreviewBrowser:  # type: ignore[no-untyped-def]
    from notebook_app.core.api import MarkdownRenderer, TypesetExtension

    browser = PreviewBrowser()
    qtbot.addWidget(browser)
    browser.resize(width, 500)
    keep_readable_width(browser)
    browser.show()
    html = MarkdownRenderer(extensions=[TypesetExtension()]).render(markdown).html
    browser.set_rendered(html, preview_css(browser))
    QApplication.processEvents()
    return browser


def test_a_long_code_line_wraps_instead_of_scrolling_the_whole_preview(qtbot) -> None:  # type: ignore[no-untyped-def]
    browser = _shown(qtbot, "```python\nx = " + "'word', " * 80 + "\n```\n", 500)
    assert browser.horizontalScrollBar().maximum() == 0
    table = browser.document().rootFrame().childFrames()[0]
    assert table.frameFormat().toTableFormat().cellPadding() >= 8


def test_the_preview_keeps_lines_to_about_80_characters_centred(qtbot) -> None:  # type: ignore[no-untyped-def]
    line = "word " * 400
    wide = _shown(qtbot, line, 1800)
    column = readable_width(wide)
    viewport = wide.viewport().geometry()
    assert viewport.width() <= column + 2 * wide.document().documentMargin() + 2
    left = viewport.left()
    right = wide.width() - viewport.right()
    assert abs(left - right) <= wide.verticalScrollBar().sizeHint().width() + 4  # centred
    narrow = _shown(qtbot, line, 400)
    assert narrow.viewport().width() >= 400 - narrow.verticalScrollBar().sizeHint().width() - 8
