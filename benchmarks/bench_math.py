"""Benchmark of the math engine: finding formulas and drawing them as SVG (no Qt).

    .venv/bin/python benchmarks/bench_math.py              # all figures
    .venv/bin/python benchmarks/bench_math.py --runs 50

Reports, as median and 95th percentile in milliseconds:

* the first import of ziamath (a fresh interpreter each run: it parses its math font), which
  the preview must pay on its worker thread, never at start-up;
* one formula drawn cold (a fresh cache; ziamath already imported) and looked up warm;
* the math of a 2 KB note with 10 inline and 2 display formulas (find_math + every formula
  drawn), cold and warm: the issue's targets are 200 ms cold and 5 ms warm for the whole
  preview, so these are the math engine's share of those.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile  # noqa: E402

from notebook_app.core.markdown.math_spans import find_math  # noqa: E402
from notebook_app.core.markdown.math_svg import MathRenderer  # noqa: E402

FORMULAS = {
    "inline \\mathbb{E}[x]": (r"\mathbb{E}[x]", False),
    "inline \\sum_{i=1}^n x_i^2": (r"\sum_{i=1}^n x_i^2", False),
    "display Bayes' rule": (
        r"p(\theta \mid x) = \frac{p(x \mid \theta)\, p(\theta)}"
        r"{\int p(x \mid \theta')\, p(\theta')\, d\theta'}",
        True,
    ),
}

INLINE = [
    r"\mathbb{E}[x]",
    r"\sum_{i=1}^n x_i^2",
    r"\alpha",
    r"W_{enc} x + b",
    r"\|f(x)\|_2",
    r"\lambda \sum_i |f_i|",
    r"d_{model}",
    r"\hat{x} = W_{dec} f",
    r"O(n \log n)",
    r"\mathcal{L}",
]
DISPLAY = [
    r"\mathcal{L}(x) = \|x - \hat{x}\|_2^2 + \lambda \sum_{i=1}^{m} |f_i(x)|",
    r"f(x) = \mathrm{ReLU}(W_{enc}(x - b_{dec}) + b_{enc})",
]


def two_kb_note() -> str:
    """About 2 KB of prose with 10 inline and 2 display formulas (and prices, not math)."""
    prose = (
        "Sparse autoencoders decompose a model's activations into features that are easier "
        "to read than neurons, and the dictionary is learned in one pass over the data. "
    )
    # A price is prose; in a paragraph that also has a formula it would open one ("$5 of ...
    # term $x$" is a formula by the usual rule), so the prices have a paragraph of their own.
    parts = ["# Notes on sparse dictionary learning\n\nA run costs $5, a sweep $40 to $60.\n\n"]
    for index, formula in enumerate(INLINE):
        parts.append(f"{prose} The term ${formula}$ matters here.\n\n")
        if index in (3, 7):
            parts.append(f"$$\n{DISPLAY[index // 4]}\n$$\n\n")
    return "".join(parts)


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def row(label: str, figures: tuple[float, float]) -> None:
    median, p95 = (
        f"{value:.1f} ms" if value >= 1 else f"{value * 1000:.0f} µs" for value in figures
    )
    print(f"| {label} | {median} | {p95} |")


def import_cost(runs: int) -> tuple[float, float]:
    code = (
        "import time, warnings; warnings.simplefilter('ignore'); t = time.perf_counter(); "
        "import ziamath; print((time.perf_counter() - t) * 1000)"
    )
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples), percentile(samples, 0.95)


def render_note(renderer: MathRenderer, note: str) -> None:
    for span in find_math(note):
        image = renderer.render(span.source, display=span.display, size=16, colour="#202020")
        assert image.ok, (span.source, image.error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    runs = args.runs

    print("| what | median | p95 |")
    print("|---|---|---|")
    row("first `import ziamath` (fresh interpreter)", import_cost(max(5, runs // 4)))
    MathRenderer().render("x", display=False, size=16, colour="#000000")  # import it here
    for label, (source, display) in FORMULAS.items():
        row(
            f"{label}, cold",
            timed(
                lambda s=source, d=display: MathRenderer().render(
                    s, display=d, size=16, colour="#000000"
                ),
                runs,
            ),
        )
        warm = MathRenderer()
        warm.render(source, display=display, size=16, colour="#000000")
        row(
            f"{label}, warm (cached)",
            timed(
                lambda s=source, d=display, r=warm: r.render(
                    s, display=d, size=16, colour="#000000"
                ),
                runs * 50,
            ),
        )
    note = two_kb_note()
    spans = find_math(note)
    assert [span.source for span in spans if not span.display] == INLINE
    assert [span.source for span in spans if span.display] == DISPLAY
    label = f"{len(note):,}-character note, 10 inline + 2 display formulas"
    row(f"{label}: find_math", timed(lambda: find_math(note), runs * 10))
    row(f"{label}: all drawn, cold", timed(lambda: render_note(MathRenderer(), note), runs))
    warm = MathRenderer()
    render_note(warm, note)
    row(f"{label}: all looked up, warm", timed(lambda: render_note(warm, note), runs * 10))
    recolour = MathRenderer()
    render_note(recolour, note)
    colours = iter(f"#{value:06x}" for value in range(10**6))

    def theme_switch() -> None:
        colour = next(colours)
        for span in spans:
            recolour.render(span.source, display=span.display, size=16, colour=colour)

    row(f"{label}: recoloured (theme switch)", timed(theme_switch, runs))


if __name__ == "__main__":
    main()
