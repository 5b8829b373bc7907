"""core/markdown/emphasis.py: the editor's strong and emphasis spans, without quadratic scans."""

from __future__ import annotations

import random
import re

import pytest

from notebook_app.core.markdown import emphasis
from notebook_app.core.markdown.emphasis import both_spans, emphasis_spans, strong_spans

# The expressions the highlighter used: the reference for what the spans are.
REFERENCE = {
    strong_spans: re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=\S)\1"),
    emphasis_spans: re.compile(r"(?<![*\w])(\*(?!\*)|_(?!_))(?=\S)(.+?)(?<=[^\s*_])\1(?![*\w])"),
    both_spans: re.compile(r"(\*\*\*|___)(?=[^\s*_])(.+?)(?<=[^\s*_])\1"),
}


def reference(find: object, line: str) -> list[tuple[int, int]]:
    return [match.span() for match in REFERENCE[find].finditer(line)]  # type: ignore[index]


@pytest.mark.parametrize("find", REFERENCE, ids=lambda find: find.__name__)
def test_the_spans_are_the_expressions_spans(find: object) -> None:
    lines = [
        "**bold** and *em* and _em_ and __bold__ and ***both*** and ___both___",
        "a * b * c, 2*3*4, snake_case_name, **not closed, *, __, ***",
        "****a** *a**b* **a*b** _a_b_ *a *b* c* ***a** b*",
        "é*ü* ü_é_ *한국어* **💡**",
    ]
    chars = "*_ a.\té"
    generator = random.Random(7)
    lines += ["".join(generator.choice(chars) for _ in range(generator.randint(0, 24)))
              for _ in range(20_000)]  # fmt: skip
    for line in lines:
        assert find(line) == reference(find, line), line  # type: ignore[operator]


def test_a_line_of_opening_marks_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The expressions scanned from each opening mark to the line's end: 0.7 s a keystroke on a
    # 16,000-character line of "**a ". Now each mark costs one bisection.
    searches: list[int] = []
    bisect_left = emphasis.bisect.bisect_left

    def counting(found: list[int], at: int) -> int:
        searches.append(at)
        return bisect_left(found, at)

    monkeypatch.setattr(emphasis.bisect, "bisect_left", counting)
    line = "**a *b " * 20_000 + "**c**"
    spans = strong_spans(line)
    assert spans == [(0, len(line))]  # the first mark closes at the last pair
    assert emphasis_spans(line) == []
    assert len(searches) <= 3  # one per kind of mark that opens, then it is exhausted
