"""Benchmark of the preview on pathological notes: is it bounded?

    .venv/bin/python benchmarks/bench_preview_bounds.py              # every case
    .venv/bin/python benchmarks/bench_preview_bounds.py --case table --timeout 60

For each input, in a fresh process (offscreen), with a deadline per case:

* render: one ``MarkdownRenderer.render_sectioned`` call on the note (on the preview's worker in
  the app; it stops after its budget, showing the rest as plain text for now);
* complete: the calls until the whole note is rendered (the worker goes on by itself), in all;
* first paint: from ``PreviewBrowser.set_rendered`` to the preview's first paint after it;
* longest event: the longest stretch the GUI thread was busy, from the ``set_rendered`` call until
  the preview is idle (a 5 ms heartbeat timer measures the gaps between event-loop turns);
* edit: the same two figures for an edit in the middle of the note (render + longest event);
* slowest call: the longest single ``render_sectioned`` call among all of the above.

``--settled N`` measures instead the edits of a note rendered in full (as after the worker has
gone through it): the note is rendered with no budget (not timed), then N edits at random
places, in turn a character typed in a line, a new line (every later heading moves) and a
line deleted, each one ``render_sectioned`` call: median and slowest.

The "samples" cases are the sample notebooks' text repeated to 2, 10 and 20 MB (each copy's
lines numbered, so nothing is served from the section cache).

The issue's targets: no render over 1 s, no GUI-thread stretch over 100 ms. A case that does not
finish before ``--timeout`` is reported as such (the old code needed minutes for some).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _table(rows: int = 2000, cols: int = 30) -> str:
    head = "| " + " | ".join(f"h{c}" for c in range(cols)) + " |"
    rule = "|" + "---|" * cols
    body = ["| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |" for r in range(rows)]
    return "\n".join([head, rule, *body]) + "\n"


def _nested_list(depth: int = 400) -> str:
    return "\n".join("  " * level + f"- level {level}" for level in range(depth)) + "\n"


def _ordinary(size: int) -> str:
    paragraph = (
        "## Section {n}\n\nSome *emphasis*, a [link](https://example.org/{n}), `code` and "
        "plain words that go on for a while so the paragraph wraps. #tag\n\n"
        "- a point\n  - a sub-point\n- [ ] a task\n\n"
    )
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        part = paragraph.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def _from_samples(size: int) -> str:
    """The sample notebooks' text repeated to ``size`` characters, each copy's text lines
    numbered (so its sections differ, as in a real long note, and no cache serves them)."""
    import re

    folder = Path("/work/shared/samples")
    if not folder.is_dir():
        folder = ROOT / "tests" / "fixtures" / "samples"
    base = "\n\n".join(
        (folder / name).read_text(encoding="utf-8")
        for name in ("podcast-summary.txt", "reading-log.md", "ml-notebook-page.txt")
    )
    copies: list[str] = []
    total = 0
    while total < size:
        n = len(copies)
        copy = re.sub(r"(?m)^([A-Za-z].*)$", lambda m, n=n: f"{m.group(1)} ({n})", base)
        copies.append(copy)
        total += len(copy) + 2
    return "\n\n".join(copies)[:size]


CASES: dict[str, Callable[[], str]] = {
    "table 2,000x30": _table,
    "one 200 KB word": lambda: "Intro\n\n" + "a" * 200_000 + "\n",
    "one 1 MB word": lambda: "Intro\n\n" + "a" * 1_000_000 + "\n",
    "10,000 headings": lambda: "".join(f"# Heading {n}\n" for n in range(10_000)),
    "unclosed [ x8,000": lambda: "[" * 8_000 + "\n",
    "unclosed [ x50,000": lambda: "[" * 50_000 + "\n",
    "![ x16,000": lambda: "![" * 16_000 + "\n",
    "&amp; x100,000": lambda: "&amp;" * 100_000 + "\n",
    "list nested 400 deep": _nested_list,
    # No blank line anywhere: one block, nowhere to cut it into sections.
    "one list of 40,000 items": lambda: "".join(
        f"- item {n}: a point made in a few plain words\n" for n in range(40_000)
    ),
    "Python code block 1.4 MB": lambda: (
        "```python\n" + "".join(f"x = {n}  # a line of code\n\n" for n in range(50_000)) + "```\n"
    ),
    "ordinary 2 MB note": lambda: _ordinary(2_000_000),
    "ordinary 20 MB note": lambda: _ordinary(20_000_000),
    "samples 2 MB": lambda: _from_samples(2_000_000),
    "samples 10 MB": lambda: _from_samples(10_000_000),
    "samples 20 MB": lambda: _from_samples(20_000_000),
}


def _edited(text: str) -> str:
    """The note with one character changed in the middle of one of its lines."""
    middle = len(text) // 2
    end = text.find("\n", middle)
    end = len(text) if end < 0 else end
    return text[:end] + "x" + text[end:]


def settled_edits(name: str, edits: int) -> dict[str, float]:
    """Edits of the note once it is rendered in full (see the module's docstring)."""
    import random
    import statistics

    from notebook_app.core.api import MarkdownRenderer

    text = CASES[name]()
    renderer = MarkdownRenderer()
    renderer.render_sectioned(text, budget=None)
    rng = random.Random(name)
    times: list[float] = []
    for number in range(edits):
        at = text.find("\n", rng.randrange(len(text)))
        at = len(text) if at < 0 else at
        if number % 3 == 0:
            text = text[:at] + "x" + text[at:]
        elif number % 3 == 1:
            text = text[:at] + "\nnew line" + text[at:]
        else:
            start = text.rfind("\n", 0, at)
            text = text[: max(start, 0)] + text[at:]
        began = time.perf_counter()
        renderer.render_sectioned(text)
        times.append(time.perf_counter() - began)
    return {"median_s": statistics.median(times), "max_s": max(times), "edits": float(edits)}


def run_case(name: str) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from notebook_app.core.api import MarkdownRenderer
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.theme import _preview_css_for

    app = QApplication.instance() or QApplication([])
    css = _preview_css_for("light")
    text = CASES[name]()
    renderer = MarkdownRenderer()
    renderer.render("warm up")
    preview = PreviewBrowser()
    preview.resize(700, 900)
    preview.show()
    app.processEvents()

    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    watch = PaintWatch()
    preview.viewport().installEventFilter(watch)

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def show(note: str) -> tuple[float, float, float]:
        """(render s, first paint s, longest GUI-thread stretch s) for showing ``note``."""
        start = time.perf_counter()
        result = renderer.render_sectioned(note)
        rendered = time.perf_counter()
        painted.clear()
        ticks.clear()
        heartbeat.start()
        shown = time.perf_counter()
        preview.set_rendered(result.html, css, result.sections)
        ticks.append(time.perf_counter())
        longest = ticks[-1] - shown
        quiet_since = time.perf_counter()
        # Pump until nothing has kept the GUI thread busy for 1 s (layout may go on in steps).
        while time.perf_counter() - quiet_since < 1.0:
            before = len(ticks)
            app.processEvents()
            time.sleep(0.001)
            if len(ticks) > before and any(
                b - a > 0.02 for a, b in zip(ticks[before - 1 :], ticks[before:], strict=False)
            ):
                quiet_since = time.perf_counter()
        heartbeat.stop()
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        longest = max([longest, *gaps])
        first_paint = (painted[0] - shown) if painted else float("nan")
        return rendered - start, first_paint, longest

    render_s, paint_s, longest_s = show(text)
    start = time.perf_counter()
    calls = 1
    slowest = render_s  # the longest single call, resumes included
    while True:
        before = time.perf_counter()
        done = getattr(renderer.render_sectioned(text), "complete", True)
        slowest = max(slowest, time.perf_counter() - before)
        if done:
            break
        calls += 1
        if time.perf_counter() - start > 60:
            break  # reported as not complete after a minute
    complete_s = render_s + time.perf_counter() - start
    edit_render_s, _edit_paint_s, edit_longest_s = show(_edited(text))
    slowest = max(slowest, edit_render_s)
    return {
        "render_s": render_s,
        "complete_s": complete_s,
        "calls": float(calls),
        "first_paint_s": paint_s,
        "longest_event_s": longest_s,
        "edit_render_s": edit_render_s,
        "edit_longest_event_s": edit_longest_s,
        "slowest_call_s": slowest,
        "size_chars": float(len(text)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", action="append", choices=list(CASES), help="only this case")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--settled", type=int, metavar="N", help="N edits of a fully rendered note")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = settled_edits(args.child, args.settled) if args.settled else run_case(args.child)
        print(json.dumps(result))
        return
    if args.settled:
        print(f"{'case':<24} {'edits':>6} {'median':>8} {'slowest':>8}")
        for name in args.case or list(CASES):
            command = [sys.executable, __file__, "--child", name, "--settled", str(args.settled)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                print(f"{name:<24} failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name:<24} {r['edits']:>6.0f} {r['median_s']:>7.2f}s {r['max_s']:>7.2f}s")
        return
    print(f"{'case':<24} {'render':>8} {'complete':>16} {'1st paint':>10} {'longest':>9} "
          f"{'edit render':>12} {'edit longest':>13} {'slowest call':>13}")  # fmt: skip
    for name in args.case or list(CASES):
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", name],
                capture_output=True, text=True, timeout=args.timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(f"{name:<24} did not finish in {args.timeout:.0f} s")
            continue
        if done.returncode:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:<24} failed: {last}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        complete = f"{r['complete_s']:>6.2f}s" if r["complete_s"] < 60 else "  >60 s"
        print(
            f"{name:<24} {r['render_s']:>7.2f}s {complete} "
            f"({r['calls']:>3.0f} calls) {r['first_paint_s']:>9.2f}s "
            f"{r['longest_event_s'] * 1000:>7.0f}ms {r['edit_render_s']:>11.2f}s "
            f"{r['edit_longest_event_s'] * 1000:>11.0f}ms {r.get('slowest_call_s', 0):>12.2f}s",
            flush=True,
        )


if __name__ == "__main__":
    main()
