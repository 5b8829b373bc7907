"""Callouts: two separated by a blank line are two, block quotes end at a blank line as in
CommonMark, nested callouts keep their titles, and folding (core/markdown/callout_folds.py)
leaves a folded callout's body out of the preview while export keeps the text as written."""

from __future__ import annotations

import re

from notebook_app.core.markdown.callout_folds import fold_callouts
from notebook_app.core.markdown.renderer import MarkdownRenderer
from notebook_app.core.markdown.typeset_extension import TypesetExtension


def html_of(text: str) -> str:
    return MarkdownRenderer().render(text).html


def test_two_callouts_separated_by_a_blank_line_are_two() -> None:
    html = html_of("> [!note] One\n> first body\n\n> [!warning]- Two\n> second body")
    assert html.count('class="callout callout-') == 2
    assert html.count("</table>") == 2
    first_end = html.index("</table>")
    assert html.index("first body") < first_end < html.index("<span>Two</span>")
    assert "[!warning]" not in html  # the second title is a title, not text of the first


def test_block_quotes_end_at_a_blank_line_as_in_commonmark() -> None:
    # One quote of two paragraphs when the blank line is quoted too.
    assert html_of("> a\n>\n> b") == "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>"
    # CommonMark (spec, "block quotes"): a blank line ends a quote; two quotes, as Obsidian and
    # GitHub show them (Python-Markdown alone would merge them).
    assert html_of("> a\n\n> b") == (
        "<blockquote>\n<p>a</p>\n</blockquote>\n<blockquote>\n<p>b</p>\n</blockquote>"
    )
    assert html_of("> > a\n>\n> > b").count("<blockquote>") == 3  # one outer, two inner
    assert html_of("> a\nlazy line\n> b").count("<blockquote>") == 1  # lazy continuation
    assert html_of("- > a\n\n  > b").count("<blockquote>") == 2  # in a list item too


def test_code_fenced_inside_a_callout_or_quote_is_a_code_block() -> None:
    # Python-Markdown sees fences at the top level only: inside a quote the ``` lines were text
    # and the code an inline code span (its "# comment" an h1 in the outline).
    rendered = MarkdownRenderer().render(
        "> [!example] Loop\n> ```python\n> for x in xs:\n>     # keep\n>     y(x)\n> ```\n> after"
    )
    html = rendered.html
    assert '<div class="codehilite"><pre>' in html and "```" not in html
    code = re.sub(r"<[^>]+>", "", html[html.index("<pre>") : html.index("</pre>")])
    assert code == "for x in xs:\n    # keep\n    y(x)"  # the fence's own lines, kept
    assert '<span class="k">for</span>' in html  # highlighted as the info string says
    assert rendered.headings == []
    assert html.index("</pre>") < html.index("<p>after</p>") < html.index("</table>")


def test_a_quoted_fence_ends_with_its_quote() -> None:
    # Unclosed: the quote's end closes it; the next paragraph is outside the quote.
    html = html_of("> ```\n> code\n\npara")
    assert html.index("code") < html.index("</blockquote>") < html.index("<p>para</p>")
    # Closed: a line after it is not the quote's lazy continuation (CommonMark: none after code).
    html = html_of("> ```\n> code\n> ```\ntext")
    assert html.index("</blockquote>") < html.index("<p>text</p>")
    # In a nested quote: a line with one mark goes on in the outer quote only.
    html = html_of("> > ~~~\n> > deep\n> > ~~~\n> shallow")
    assert html.index("deep") < html.index("</blockquote>") < html.index("shallow")
    assert html.count("</blockquote>") == 2 and html.endswith("</blockquote>")
    # In a quote inside a list item.
    html = html_of("- item\n\n  > ```\n  > in item\n  > ```\n- next")
    assert "<pre>" in html and html.index("in item") < html.index("</li>")


def test_a_callout_holds_lists_as_a_note_does() -> None:
    # A quote's lines are read as a note's: before, a list right under a callout's title was
    # text ("- a<br>- b"), nested items came out flat and "> #tag" was a heading.
    html = html_of("> [!tip] Steps\n> - a\n> - b")
    assert re.search(r"callout-title.*</p>\s*<ul>\s*<li>a</li>\s*<li>b</li>\s*</ul>", html, re.S)
    html = html_of("> - a\n>   - nested\n>     - deeper\n> - b")
    assert re.search(r"<li>a<ul>\s*<li>nested<ul>\s*<li>deeper</li>", html)
    assert re.search(r"</ul>\s*</li>\s*<li>b</li>", html)
    html = html_of("> text\n> 1. one\n> 2. two")
    assert "<p>text</p>" in html and "<ol>" in html and "<li>two</li>" in html
    rendered = MarkdownRenderer().render("> #tag line\n> Title\n> ===")
    assert [(h.level, h.text) for h in rendered.headings] == [(1, "Title")]
    assert "<p>#tag line</p>" in rendered.html


def test_a_quote_or_callout_in_a_list_item_is_one() -> None:
    # Under the item's text, or opened on the item's own line and going on below: before,
    # Python-Markdown kept the "> " marks of such lines as text of the item.
    for text in ("- item\n  > quote\n  > more", "- > quote\n  > more"):
        html = html_of(text)
        assert "&gt;" not in html and html.count("<blockquote>") == 1, text
        assert re.search(r"<li>.*<blockquote>\s*<p>quote<br>\s*more</p>", html, re.S), text
    html = html_of("1. step\n   > [!tip] Hint\n   > text\n2. next")
    assert "&gt;" not in html and html.count('class="callout callout-tip"') == 1
    assert html.index("<span>Hint</span>") < html.index("<p>text</p>") < html.index("next")
    # Quotes deeper than the normalizer reads are left as they are: the item keeps its marker.
    assert html_of("- " + "> " * 10 + "deep").startswith("<ul>\n<li>")
    html = html_of("- > q\n  > ```\n  > code\n  > ```\n  > after")
    assert "&gt;" not in html and html.count("<pre>") == 1
    assert html.index("<p>q</p>") < html.index("code") < html.index("<p>after</p>")


def test_a_callout_after_a_quote_and_a_quote_after_a_callout_stay_apart() -> None:
    html = html_of("> plain\n\n> [!tip] Tip\n> body\n\n> plain again")
    assert html.count("<blockquote>") == 2 and html.count('class="callout callout-tip"') == 1
    assert html.index("plain again") > html.index("</table>")


def test_sectioned_render_agrees_with_the_whole_render() -> None:
    text = "# A\n\n> [!note]- One\n> x\n\n> [!tip] Two\n> y\n\npara\n\n> q1\n\n> q2\n\n# B\n\nz\n"
    renderer = MarkdownRenderer(extensions=[TypesetExtension()])
    assert renderer.render_sectioned(text).html == renderer.render(text).html


def test_a_nested_callout_keeps_its_title() -> None:
    html = html_of("> [!note]- Outer\n> x\n> > [!tip]+ Inner\n> > y")
    assert "<span>Outer</span>" in html and "<span>Inner</span>" in html
    assert "[!tip]" not in html
    assert html.index("<span>Inner</span>") < html.index("<p>y</p>")
    assert html.count("<table") == html.count("</table>") == 2


FOLDABLE = (
    "> [!note]- Folded\n> hidden body\n>\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n\n"
    "between\n\n> [!tip]+ Open\n> open body\n\n> [!info] Plain\n> plain body\n\nafter"
)


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="(fold:[^"]*)"', html)


def test_a_folded_callout_shows_its_title_and_a_fold_link_and_no_body() -> None:
    html, shown = fold_callouts(html_of(FOLDABLE), 0, lambda key, written: written)
    assert shown == [("0", True), ("1", False)]
    assert _hrefs(html) == ["fold:0", "fold:1"]  # the plain callout has no mark
    assert "<span>Folded</span></b> " in html and ">▸</a></p>" in html
    assert "hidden body" not in html and "<td>1</td>" not in html  # its table went with it
    assert "open body" in html and ">▾</a></p>" in html and "plain body" in html
    assert html.count("<table") == html.count("</table>")  # still well formed
    assert html.index("between") < html.index("<span>Open</span>") < html.index("after")


def test_the_readers_choice_overrides_the_text_and_keys_number_on() -> None:
    chosen = {"e.X.3": False, "e.X.4": True}
    html, shown = fold_callouts(
        html_of(FOLDABLE), 3, lambda key, written: chosen.get(key, written), "e.X."
    )
    assert shown == [("e.X.3", False), ("e.X.4", True)]
    assert "hidden body" in html and "<td>1</td>" in html
    assert "open body" not in html and "plain body" in html


def test_folding_an_outer_callout_takes_its_nested_ones_with_it() -> None:
    text = "> [!note]- Outer\n> x\n> > [!tip]- Inner\n> > y\n\nafter"
    html, shown = fold_callouts(html_of(text), 0, lambda key, written: key == "0")
    assert shown == [("0", True), ("1", False)]  # the inner one numbered all the same
    assert "<span>Inner</span>" not in html and "after" in html
    html, _ = fold_callouts(html_of(text), 0, lambda key, written: key == "1")
    assert "<p>x</p>" in html and "<span>Inner</span>" in html and "<p>y</p>" not in html
    assert html.count("<table") == html.count("</table>") == 2


def test_a_section_without_foldable_callouts_is_the_same_string() -> None:
    section = html_of("> [!note] Plain\n> body")
    assert fold_callouts(section, 0, lambda key, written: True) == (section, [])


def test_export_keeps_the_callouts_as_written() -> None:
    from notebook_app.core.formats.exporting import combined_document
    from notebook_app.core.model.entry import Entry, Kind

    body = "> [!note]- Folded\n> hidden\n\n> [!tip] Two\n> y"
    document = combined_document([Entry(kind=Kind.NOTE, title="N", body=body)])
    assert body in document


def test_many_folded_callouts_in_one_section_fold_in_one_pass() -> None:
    import time

    # Callouts separated by blank lines are one section (a quote never starts one): a note of
    # thousands is one string to fold. Cutting body after body by copying the rest each time
    # took seconds at this size; one pass takes ~25 ms (the bound leaves 40x).
    one = html_of("> [!note]- C\n> a body with some words in it")
    section = "\n".join([one] * 8000)
    started = time.perf_counter()
    html, shown = fold_callouts(section, 0, lambda key, written: written)
    assert time.perf_counter() - started < 1.0
    assert len(shown) == 8000 and "a body" not in html
