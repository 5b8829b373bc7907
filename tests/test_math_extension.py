"""notebook_app.core.markdown.math_extension: formulas in Python-Markdown's output."""

from __future__ import annotations

import re
from urllib.parse import unquote

import markdown
import pytest

from notebook_app.core.markdown.math_extension import MathExtension, math_keys
from notebook_app.core.markdown.math_svg import MathRenderer


@pytest.fixture(scope="module")
def renderer() -> MathRenderer:
    return MathRenderer()


def convert(renderer: MathRenderer, text: str) -> tuple[str, MathExtension]:
    extension = MathExtension(renderer, size=16, colour="#202020", x_height=8)
    md = markdown.Markdown(extensions=[extension, "fenced_code"])
    return md.convert(text), extension


def test_inline_formula_becomes_an_app_image_untouched_by_markdown(renderer: MathRenderer) -> None:
    page, extension = convert(renderer, "Let $x_1 * y_2 * z$ be.")
    assert "<em>" not in page  # the asterisks are the formula's, not emphasis
    match = re.search(r'<img src="math:(\w+)" width="([\d.]+)" height="([\d.]+)"', page)
    assert match is not None
    assert 'style="vertical-align: middle"' in page and 'alt="$x_1 * y_2 * z$"' in page
    image = extension.image(match.group(1))
    assert image is not None and image.ok
    assert float(match.group(2)) == pytest.approx(image.width, abs=0.01)
    assert float(match.group(3)) == pytest.approx(image.height, abs=0.01)
    assert "#202020" in image.svg


def test_prose_and_code_keep_their_dollars(renderer: MathRenderer) -> None:
    page, _ = convert(renderer, "It costs $5 and $10.\n\n```\n$x$\n```\n\nand `$y$`")
    assert "math:" not in page
    assert "$5 and $10" in page and "<code>$x$" in page and "<code>$y$</code>" in page


def test_display_math_alone_is_a_centred_block(renderer: MathRenderer) -> None:
    page, _ = convert(renderer, "Text before\n$$\n\\sum_i x_i\n$$\nText after")
    assert re.search(r'<p align="center" class="math-display"><img src="math:\w+"', page)
    assert "<p>Text before</p>" in page and "<p>Text after</p>" in page


def test_display_math_in_a_list_item_stays_in_it(renderer: MathRenderer) -> None:
    page, _ = convert(renderer, "- item\n\n    $$a^2$$\n\n- next")
    item = page.split("<li>")[1]
    assert "math-display" in item


def test_formula_that_cannot_be_drawn_shows_its_source_and_reason(renderer: MathRenderer) -> None:
    page, _ = convert(renderer, r"bad $\frac{<b>$ end")
    match = re.search(r'<span class="math-error" title="([^"]+)">([^<]*)</span>', page)
    assert match is not None
    assert "missing" in match.group(1) or "ends too early" in match.group(1)
    assert match.group(2) == r"$\frac{&lt;b&gt;$"  # escaped: the source is shown, not run


def test_alt_text_is_escaped(renderer: MathRenderer) -> None:
    page, _ = convert(renderer, '$a < b "c"$')
    assert 'alt="$a &lt; b &quot;c&quot;$"' in page


def test_keys_name_each_image_once(renderer: MathRenderer) -> None:
    page, extension = convert(renderer, "$a$ $b$ $a$\n\n$$c$$")
    keys = math_keys(page)
    assert len(keys) == 3
    assert all(extension.image(key) is not None for key in keys)
    assert extension.image("0" * 20) is None
    # Same formula, same key: the page's HTML is stable across renders (section caches).
    again, _ = convert(renderer, "$a$ $b$ $a$\n\n$$c$$")
    assert math_keys(again) == keys


def test_a_thousand_formulas_render(renderer: MathRenderer) -> None:
    text = "".join(f"Term $x_{{{i % 50}}}$ here.\n" for i in range(1000))
    page, _ = convert(renderer, text)
    assert page.count('src="math:') == 1000
    assert len(math_keys(page)) == 50


def note_html(renderer: MathRenderer, text: str) -> str:
    """``text`` through the note renderer, with formulas as the preview draws them."""
    from notebook_app.core.markdown.renderer import MarkdownRenderer

    extension = MathExtension(renderer, size=16, colour="#202020", x_height=8)
    return MarkdownRenderer(extensions=[extension]).render(text).html


def test_a_bare_url_ends_before_a_formula(renderer: MathRenderer) -> None:
    # The formula's placeholder was read as part of the address: its <img> ended up inside
    # the link's href, quotes and all.
    page = note_html(renderer, "See https://x.org/q?v=$x_1$ and https://x.org/$a & b$ here")
    assert '<a class="bare-url" href="https://x.org/q?v=">https://x.org/q?v=</a><img' in page
    assert '<a class="bare-url" href="https://x.org/">https://x.org/</a><span' in page


def test_a_task_box_names_its_item_with_the_formula_as_written(renderer: MathRenderer) -> None:
    # The window finds the box to tick by the item's line as written; the formula's stash
    # placeholder stood in its name, so a task holding a formula could not be ticked.
    page = note_html(renderer, "- [ ] compute $x^2$ today\n- [x] $a & b$ is no formula")
    names = [unquote(href) for href in re.findall(r'href="task:([^"]*)"', page)]
    assert names == ["compute $x^2$ today", "$a & b$ is no formula"]


def test_an_escaped_dollar_shows_as_a_dollar(renderer: MathRenderer) -> None:
    # README: "\$ is always a literal dollar: use it for a price in a paragraph that also holds
    # a formula". The page showed its backslash too: "\$5".
    page = note_html(renderer, "It costs \\$5 for the term $x$, `\\$code`, \\\\$y$")
    assert page.startswith("<p>It costs $5 for the term <img")
    assert "<code>\\$code</code>" in page and "\\<img" in page  # code as written; "\\" is "\"
