"""Benchmark of formulas in the preview, end to end: the 2 KB note of bench_math.py (10 inline
and 2 display formulas) rendered by the render lane's context and shown by the preview.

    .venv/bin/python benchmarks/bench_preview_math.py            # median and p95, ms
    .venv/bin/python benchmarks/bench_preview_math.py --runs 30

* cold: a fresh render context (ziamath already imported: its one-off import, ~140 ms, is
  paid by the first formula after start-up, see bench_math.py): markdown + every formula drawn
  + rasterised, then the preview's set_rendered;
* warm: an edit in the note's prose (one word changes) with every formula cached and every
  image held by the preview: the render of the touched section plus set_rendered;
* theme switch: the same note in the other colour (recoloured, rasterised again, shown).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import median_p95  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_math import two_kb_note  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 (kept alive)

    from notebook_app.core.markdown.math_svg import MathRenderer
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.preview_math import PreviewRenderer, math_style
    from notebook_app.gui.theme import _preview_css_for

    MathRenderer().render("x", display=False, size=14.0, colour="#000000")  # import ziamath
    note = two_kb_note()
    css = {theme: _preview_css_for(theme) for theme in ("light", "dark")}
    browser = PreviewBrowser()
    browser.resize(800, 900)
    style = math_style(browser)
    dark = type(style)(style.size, style.x_height, "#e6edf3", style.ratio)

    def show(context: PreviewRenderer, text: str, theme: str = "light") -> None:
        chosen = style if theme == "light" else dark
        rendered = context.render(text, chosen, browser.math_image_keys(chosen.ratio))
        browser.set_math_images(rendered.keys, rendered.images, chosen.ratio)
        browser.set_rendered(rendered.result.html, css[theme], rendered.result.sections)

    cold: list[float] = []
    for _ in range(runs):
        browser.set_math_images([], {}, 0.0)
        context = PreviewRenderer()
        started = time.perf_counter()
        show(context, note)
        cold.append(time.perf_counter() - started)

    warm: list[float] = []
    context = PreviewRenderer()
    show(context, note)
    for run in range(runs * 5):
        text = note.replace("the", f"the{run}", 1)  # a new word: never cached
        started = time.perf_counter()
        show(context, text)
        warm.append(time.perf_counter() - started)

    switch: list[float] = []
    for run in range(runs):
        started = time.perf_counter()
        show(context, note, "dark" if run % 2 == 0 else "light")
        switch.append(time.perf_counter() - started)

    print(f"{len(note):,}-character note, 10 inline + 2 display formulas (render, draw, show)")
    print(f"  cold (fresh caches)          {median_p95(cold)}")
    print(f"  warm (an edit in prose)      {median_p95(warm)}")
    print(f"  theme switch (cached styles) {median_p95(switch)}")


if __name__ == "__main__":
    main()
