"""Benchmark of a linked note in the preview, end to end: a 2 KB note with 25 ``[[links]]``
(resolved, missing and ambiguous), 8 glossary terms, a callout, highlights, bare URLs and task
boxes, rendered by the render lane's context, decorated with the notebook's answers
(gui/preview_links.py) and shown by the preview.

    .venv/bin/python benchmarks/bench_preview_links.py            # median and p95, ms
    .venv/bin/python benchmarks/bench_preview_links.py --runs 40

* cold: a fresh render context (its Markdown instance made, nothing cached), the note rendered,
  decorated and shown by a fresh preview;
* warm: an edit in the note's prose (one word changes): the touched section rendered, the note
  decorated again and the changed section shown (what a keystroke costs, render lane and GUI
  thread together);
* decoration alone (GUI thread): links marked and terms marked on every section;
* GUI thread per keystroke: the decoration and the preview's update of the changed section;
* the decoration of a keystroke in a 190 KB note of 1,150 sections (each section's marks
  kept, as the window keeps them: only the edited one is read again);
* the notebook's answers (read lane): ``resolve_names`` for the note's names and
  ``terms_in_text`` with a glossary of 500 terms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import median_p95  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

TERMS = ["superposition", "SAE", "feature", "dictionary", "sparsity", "probe", "circuit", "RLHF"]


def linked_note(words: int = 2000) -> str:
    """About ``words`` characters of prose with 12 links, the 8 terms and the vault extras."""
    paragraph = (
        "The [[Toy Models of Superposition]] paper shows a model storing more features than "
        "dimensions through superposition; an SAE recovers each feature as a dictionary "
        "direction when sparsity is high (see [[Sparse Coding|sparse coding]] and "
        "[[Missing page]]). A probe finds the circuit, and RLHF changes it ([[Twin]]).\n"
    )
    parts = ["# Reading notes\n", "> [!tip] Key idea\n> ==More features than dimensions==.\n"]
    count = 0
    while sum(map(len, parts)) < words:
        count += 1
        parts.append(f"## Part {count}\n\n{paragraph}\nhttps://example.org/p{count}\n")
    parts.append("- [ ] write it up\n- [x] read [[Toy Models of Superposition#Results]]\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 (kept alive)

    from notebook_app.core.api import Entry, Kind, Notebook
    from notebook_app.core.links.preview_marks import (
        LinkMarks,
        TermMark,
        link_names,
        mark_links,
        mark_terms,
    )
    from notebook_app.gui.preview_browser import PreviewBrowser
    from notebook_app.gui.preview_links import link_css
    from notebook_app.gui.preview_math import PreviewRenderer, math_style
    from notebook_app.gui.theme import _preview_css_for

    note = linked_note()
    css = link_css(_preview_css_for("light"))
    with tempfile.TemporaryDirectory() as folder, Notebook.open(Path(folder) / "n.db") as nb:
        nb.add_many(
            [Entry(kind=Kind.TERM, title=t, body=f"{t} is a term.") for t in TERMS]
            + [Entry(kind=Kind.TERM, title=f"Term number {i}") for i in range(492)]
            + [Entry(kind=Kind.NOTE, title=t) for t in ("Toy Models of Superposition", "Twin")]
            + [Entry(kind=Kind.NOTE, title="Twin"), Entry(kind=Kind.NOTE, title="Sparse Coding")]
        )
        names = link_names(PreviewRenderer().renderer(math_style(PreviewBrowser()))[0]
                           .render(note).html)  # fmt: skip
        targets = nb.resolve_names(names)
        uses = nb.terms_in_text(note)
        terms = [TermMark(u.text, u.term.id, u.term.title, f"{u.term.title} is a term.")
                 for u in uses]  # fmt: skip
        resolve_times, terms_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            nb.resolve_names(names)
            resolve_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            nb.terms_in_text(note)
            terms_times.append(time.perf_counter() - start)

    def decorate(sections: tuple[str, ...]) -> list[str]:
        return mark_terms([mark_links(s, targets) for s in sections], terms)

    cold, warm, decoration, gui = [], [], [], []
    for run in range(runs):
        browser = PreviewBrowser()
        browser.resize(800, 900)
        style = math_style(browser)
        start = time.perf_counter()
        context = PreviewRenderer()
        result = context.render(note, style).result
        parts = decorate(result.sections)
        browser.set_rendered("\n".join(parts), css, parts)
        cold.append(time.perf_counter() - start)
        edited = note.replace("dimensions through", f"dimensions ({run}) through", 1)
        start = time.perf_counter()
        result = context.render(edited, style).result
        parts = decorate(result.sections)
        browser.set_rendered("\n".join(parts), css, parts)
        warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        decorate(result.sections)
        decoration.append(time.perf_counter() - start)
        result = context.render(note, style).result  # back: the next edit is new again
        start = time.perf_counter()
        parts = decorate(result.sections)
        browser.set_rendered("\n".join(parts), css, parts)
        gui.append(time.perf_counter() - start)
        browser.deleteLater()
    long_note = linked_note(190_000)
    context = PreviewRenderer()
    style = math_style(PreviewBrowser())
    sections = list(context.render(long_note, style).result.sections)
    marks, cache, long_times = LinkMarks(), {}, []  # type: ignore[var-annotated]
    for run in range(runs + 1):
        middle = len(sections) // 2
        sections[middle] = sections[middle].replace("dimensions", f"dimensions {run}", 1)
        start = time.perf_counter()
        parts, _names = marks.mark(sections, targets)
        mark_terms(parts, terms, cache, 1)
        if run:  # (the first call reads every section)
            long_times.append(time.perf_counter() - start)
    print(f"note: {len(note):,} characters, {len(names)} links, {len(terms)} glossary terms used")
    print(f"cold render + decoration + show     {median_p95(cold)}")
    print(f"warm (one word edited)              {median_p95(warm)}")
    print(f"decoration alone (GUI thread)       {median_p95(decoration)}")
    print(f"GUI thread a keystroke (decorate+show) {median_p95(gui)}")
    print(f"decoration, 190 KB note, a keystroke {median_p95(long_times)}")
    print(f"resolve_names, {len(set(names))} names (read lane)  {median_p95(resolve_times)}")
    print(f"terms_in_text, 500 terms (read lane) {median_p95(terms_times)}")


if __name__ == "__main__":
    main()
