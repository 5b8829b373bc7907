"""notebook_app.core.markdown.math_spans: which dollars and brackets in a note are formulas."""

from __future__ import annotations

import time

import pytest

from notebook_app.core.markdown.math_spans import MathSpan, find_math


def formulas(text: str) -> list[tuple[str, bool]]:
    return [(span.source, span.display) for span in find_math(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Prices in prose are not math: "$5 and $" closes before a space.
        ("It costs $5 and $10 a month.", []),
        ("Between $5 and $10.", []),
        ("$20,000 to $30,000", []),
        # The closing $ must not be followed by a digit.
        ("$x$5", []),
        # Opening $ before a space, closing $ after a space: not math.
        ("a $ x$ b", []),
        ("a $x $ b", []),
        ("Let $x^2$ be", [("x^2", False)]),
        ("$\\mathbb{E}[x]$", [("\\mathbb{E}[x]", False)]),
        ("$a$ and $b$.", [("a", False), ("b", False)]),
        # Escaped dollars are literal, outside a formula and inside it.
        ("a \\$x$ b$", []),
        ("\\$5 and $y$", [("y", False)]),
        ("$a \\$ b$", [("a \\$ b", False)]),
        # An escaped backslash does not escape the dollar after it.
        ("\\\\$x$", [("x", False)]),
        # Display math.
        ("$$x = 1$$", [("x = 1", True)]),
        ("$$\n\\sum_i x_i\n$$", [("\\sum_i x_i", True)]),
        ("$$ a $$ then $b$", [("a", True), ("b", False)]),
        ("\\(a+b\\) and \\[c\\]", [("a+b", False), ("c", True)]),
        ("\\[\n\\int f\n\\]", [("\\int f", True)]),
        # Nothing to draw: text as written.
        ("$$$$", []),
        ("\\(\\)", []),
    ],
)
def test_dollar_rules(text: str, expected: list[tuple[str, bool]]) -> None:
    assert formulas(text) == expected


def test_spans_cover_the_delimiters() -> None:
    text = "See $x$ and $$y$$ and \\(z\\)."
    spans = find_math(text)
    assert [text[span.start : span.end] for span in spans] == ["$x$", "$$y$$", "\\(z\\)"]
    assert spans[0] == MathSpan(4, 7, "x", False)


@pytest.mark.parametrize(
    "text",
    [
        "`$x$`",
        "``a ` $x$``",
        "text `$x$` text",
        "```\n$x$\n```",
        "~~~python\n$$y$$\n~~~",
        "```\nunclosed fence runs to the end\n$x$",
        "    $x$ indented code",
        "para\n\n    $x$\n\n    $y$",
    ],
)
def test_code_is_never_math(text: str) -> None:
    assert formulas(text) == []


def test_a_wiki_links_inside_is_never_math() -> None:
    # A link names a title: its formula's placeholder ended up in the link's target, so
    # [[The $x$ trick]] led nowhere. Math around a link, or holding "[[", is still math.
    assert formulas("[[The $x$ trick]] and ![[A $y$|$z$]]") == []
    text = "$a$ [[L]] $b$, [[not a link $c$, $[[d]]$"
    assert [source for source, _ in formulas(text)] == ["a", "b", "c", "[[d]]"]


def test_math_around_code_is_found() -> None:
    text = "`$a$` $b$\n\n```\n$c$\n```\n\n$d$\n\n    $e$\n\n$f$"
    assert [source for source, _ in formulas(text)] == ["b", "d", "f"]


def test_unclosed_backticks_are_text() -> None:
    assert formulas("a ` b $x$") == [("x", False)]


def test_indented_lines_in_a_list_are_not_code() -> None:
    assert formulas("- item\n\n    $x$ continues the item") == [("x", False)]


def test_indented_line_continuing_a_paragraph_is_not_code() -> None:
    assert formulas("para\n    $x$") == [("x", False)]


@pytest.mark.parametrize(
    "text",
    [
        "$x",
        "$x\n\ny$",  # a formula does not cross a blank line
        "$$x\n\ny$$",
        "\\(x",
        "\\[x\n\n\\]",
        "$$ unclosed",
        "a $ b $ c $",
    ],
)
def test_unbalanced_delimiters_stay_text(text: str) -> None:
    assert formulas(text) == []


def test_unbalanced_dollar_does_not_swallow_the_next_paragraph() -> None:
    assert formulas("costs $5\n\n$x$") == [("x", False)]


def test_a_thousand_formulas() -> None:
    text = "".join(f"Term {i}: $x_{{{i}}}^2$ and \\(y_{i}\\).\n" for i in range(1000))
    spans = find_math(text)
    assert len(spans) == 2000
    assert spans[999].source == "y_499"


def test_a_ten_thousand_character_formula() -> None:
    source = "x+" * 5000
    assert formulas(f"before ${source}1$ after") == [(source + "1", False)]


@pytest.mark.parametrize(
    "text",
    [
        "$" * 50_000,
        "$5 " * 50_000,
        "$a\n" * 50_000,
        "\\( " * 50_000,
        "$$ a " * 50_000,
        "".join("`" * (i % 50 + 1) + " " for i in range(20_000)),
    ],
    ids=["dollars", "prices", "lines", "parens", "pairs", "backtick-runs"],
)
def test_pathological_input_is_linear(text: str) -> None:
    # About 0.1 s each on the development machine; quadratic scanning would take minutes.
    started = time.perf_counter()
    find_math(text)
    assert time.perf_counter() - started < 3.0
