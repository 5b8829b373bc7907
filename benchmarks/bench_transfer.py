"""Benchmark of import and export: the reading log, 10,000-file vaults, a 10,000-entry export.

    .venv/bin/python benchmarks/bench_transfer.py                  # 10,000 entries, 7 runs
    .venv/bin/python benchmarks/bench_transfer.py --size 2000 --runs 3 --small-runs 9

It builds one notebook of ``--size`` entries from ``corpus.generate_entries``, exports it once
as the vault to import, and writes the same entries a second time as plain markdown files with
no front matter (``# title`` and ``#tags`` in the text, as another tool would), then times,
each ``--runs`` times (``--small-runs`` for the reading log), and reports the median:

* importing the reading-log sample into an empty notebook (plan + apply);
* importing the vault, and the plain files, into an empty notebook (plan + apply);
* exporting every entry of the notebook to a new vault folder (reading them included);
* the combined document of every entry (reading them included).

The baseline, timed in the same run, is ``shutil.copytree`` of the vault (the file system's
share of writing those files: what an export cannot avoid); ratios to it let figures from a noisy
machine be compared. Reading the vault's files is shown too (the floor of an import).

Scratch data goes to a temporary folder under ``benchmarks/.data/``, on the disk that holds the
project (``--scratch DIR`` puts it elsewhere; ``--keep`` leaves it in ``.data/transfer``). Where
it goes matters: on the development machine ``/tmp`` creates small files ten times slower than
the project's disk, and the copy baseline shows it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import SAMPLES, generate_entries  # noqa: E402

from notebook_app.core.formats.exporting import combined_document, export_vault, select_entries  # noqa: E402
from notebook_app.core.formats.importing import apply_import, plan_import  # noqa: E402
from notebook_app.core.formats.markdown_files import safe_filename  # noqa: E402
from notebook_app.core.model.entry import Entry  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

READING_LOG = SAMPLES / "reading-log.md"
DATA_DIR = Path(__file__).resolve().parent / ".data"


@dataclass(slots=True)
class Result:
    measure: str
    median: float  # seconds
    target: float | None  # seconds, None if there is none


def time_runs(
    runs: int, prepare: Callable[[int], object], work: Callable[[object], object]
) -> float:
    """Median seconds of ``work(prepare(run))``; preparing (an empty notebook, a fresh target
    folder) is not timed, so the figure is the operation alone."""
    samples = []
    for run in range(runs):
        state = prepare(run)
        start = time.perf_counter()
        work(state)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# --- scratch data ------------------------------------------------------------------------------


def write_plain_markdown(entries: list[Entry], folder: Path) -> None:
    """The entries as files another tool would write: a heading, the text, inline tags."""
    folder.mkdir(parents=True)
    taken: set[str] = set()
    for entry in entries:
        tags = " ".join(f"#{tag.replace(' ', '-')}" for tag in entry.tags)
        text = f"# {entry.title}\n\n{entry.body}\n" + (f"\n{tags}\n" if tags else "")
        (folder / safe_filename(entry.title, taken)).write_text(text, encoding="utf-8")


def build_sources(size: int, folder: Path) -> tuple[Path, Path, Path]:
    """The notebook to export from, its vault and the plain files (the import sources)."""
    entries = list(generate_entries(size))
    source_db = folder / "source.db"
    with Notebook.open(source_db) as notebook:
        notebook.add_many(entries)
        vault = folder / "vault"
        export_vault(select_entries(notebook), vault)
    plain = folder / "plain"
    write_plain_markdown(entries, plain)
    return source_db, vault, plain


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file() and not path.name.startswith("."))


# --- the measures ------------------------------------------------------------------------------


def import_into_empty(source: Path, expect: int | None) -> Callable[[object], object]:
    """Plan + apply into the (empty) notebook ``prepare`` opened; checks nothing was lost."""

    def work(notebook: object) -> object:
        assert isinstance(notebook, Notebook)
        try:
            plan = plan_import(notebook, source)
            report = apply_import(notebook, plan)
        finally:
            notebook.close()
        if expect is not None and report.imported != expect:
            raise SystemExit(f"{source}: imported {report.imported}, expected {expect}")
        return report

    return work


def empty_notebook(folder: Path, label: str) -> Callable[[int], object]:
    def prepare(run: int) -> object:
        # Last run's notebook goes first: 7 notebooks of 10,000 entries would fill /tmp.
        for old in folder.glob(f"{label}.db*"):
            old.unlink()
        return Notebook.open(folder / f"{label}.db")

    return prepare


def fresh_folder(folder: Path, label: str) -> Callable[[int], object]:
    def prepare(run: int) -> object:
        # A target that does not exist yet, as for a first export; last run's goes, untimed.
        shutil.rmtree(folder / label, ignore_errors=True)
        return folder / label

    return prepare


def run_all(size: int, runs: int, small_runs: int, folder: Path) -> list[Result]:
    print(f"building {size:,} entries, their vault and plain files in {folder} ...", flush=True)
    source_db, vault, plain = build_sources(size, folder)
    files = count_files(vault)
    print(f"vault: {files:,} files; plain: {count_files(plain):,} files", flush=True)
    scratch = folder / "scratch"
    scratch.mkdir()
    results: list[Result] = []

    def measure(label: str, target: float | None, seconds: float) -> None:
        results.append(Result(label, seconds, target))
        print(f"  {label}: {seconds:.3f} s", flush=True)

    measure(
        f"baseline: copytree of the {files:,}-file vault",
        None,
        time_runs(
            runs, fresh_folder(scratch, "copy"), lambda target: shutil.copytree(vault, target)
        ),
    )  # type: ignore[arg-type]
    vault_files = [path for path in vault.rglob("*.md")]
    measure(
        f"baseline: read the {files:,} vault files",
        None,
        time_runs(runs, lambda run: None, lambda _: [path.read_bytes() for path in vault_files]),
    )
    measure(
        "import reading-log.md (plan + apply)",
        0.3,
        time_runs(small_runs, empty_notebook(scratch, "log"), import_into_empty(READING_LOG, None)),
    )
    measure(
        f"import vault of {files:,} files (plan + apply)",
        5.0,
        time_runs(runs, empty_notebook(scratch, "vault"), import_into_empty(vault, size)),
    )
    measure(
        f"import {size:,} plain markdown files (plan + apply)",
        5.0,
        time_runs(runs, empty_notebook(scratch, "plain"), import_into_empty(plain, size)),
    )
    with Notebook.open(source_db) as notebook:
        measure(
            f"export {size:,} entries to a vault",
            5.0,
            time_runs(
                runs,
                fresh_folder(scratch, "export"),
                lambda target: export_vault(select_entries(notebook), target),
            ),
        )  # type: ignore[arg-type]
        measure(
            f"combined document of {size:,} entries",
            None,
            time_runs(
                runs, lambda run: None, lambda _: combined_document(select_entries(notebook))
            ),
        )
    return results


def markdown_table(results: list[Result]) -> str:
    baseline = results[0].median
    lines = ["| measure | median | target | ratio to baseline |", "|---|---:|---:|---:|"]
    for result in results:
        target = "—" if result.target is None else f"≤ {result.target:g} s"
        if result.target is not None:
            target += " ✓" if result.median <= result.target else " ✗"
        ratio = result.median / baseline
        lines.append(f"| {result.measure} | {result.median:.3f} s | {target} | {ratio:.2f}× |")
    return "\n".join(lines)


@contextmanager
def scratch_folder(keep: bool, parent: Path) -> Iterator[Path]:
    if keep:
        # A fresh folder each time: the measures write into it and must start from nothing.
        shutil.rmtree(DATA_DIR / "transfer", ignore_errors=True)
        (DATA_DIR / "transfer").mkdir(parents=True)
        yield DATA_DIR / "transfer"
        return
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-transfer-", dir=parent) as folder:
        yield Path(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="entries (and files)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each big measure")
    parser.add_argument("--small-runs", type=int, default=21, help="runs of the reading log")
    parser.add_argument("--keep", action="store_true", help="scratch data in benchmarks/.data/")
    parser.add_argument("--scratch", type=Path, default=DATA_DIR,
                        help="where the scratch folder goes (default: .data/)")  # fmt: skip
    args = parser.parse_args()
    with scratch_folder(args.keep, args.scratch) as folder:
        results = run_all(args.size, args.runs, args.small_runs, folder)
    print(
        f"\n## Import and export ({args.size:,} entries, median of {args.runs} runs; "
        f"reading log: {args.small_runs} runs)\n"
    )
    print(markdown_table(results))


if __name__ == "__main__":
    main()
