"""Benchmark of a user's vault: import, re-import unchanged, export, and the round trip's fidelity.

    .venv/bin/python benchmarks/bench_vault.py                 # 6,000 files, 10,000 exported
    .venv/bin/python benchmarks/bench_vault.py --files 1000 --export 2000 --runs 1

It generates a vault of ``--files`` markdown files in nested folders, with front matter of
every YAML type other tools write (quoted and plain text, numbers, booleans, null, dates, times,
lists, nested maps, comments, Dendron's millisecond times, values of the app's own keys that do
not fit, broken template front matter, arXiv links, files without any, Logseq page properties),
daily notes named by their days, and bodies with ``#tags``, then:

* imports it into an empty notebook (plan + apply), and imports it again with nothing changed;
* exports every entry of a ``--export``-file vault of the same kind (reading them included)
  against ``shutil.copytree`` of that vault, in the same run (the ratio is the figure);
* compares the exported files with the originals byte for byte: the share that is identical.

Scratch data goes under ``benchmarks/.data/`` (the project's disk), removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notebook_app.core.formats.exporting import export_vault  # noqa: E402
from notebook_app.core.formats.importing import apply_import, plan_import  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

WORDS = [
    "sparse",
    "autoencoder",
    "feature",
    "circuit",
    "한국어",
    "atención",
    "probe",
    "layer",
    "注意",
    "head",
    "residual",
]
HEADS = [
    "",
    "---\ntitle: {title}\ntags: [ml, {tag}]\ncreated: 2024-01-02\n---\n",
    "---\naliases:\n  - '{title} alias'\npublish: true\nrating: 4.5\ncount: 7\nnone: null\n---\n",
    "---\ndate: 2023-05-06T07:08:09Z\nstatus: draft\nkind: book\nurl:\n  - https://a.example\n---\n",
    '---\ndescription: "quoted: {title}"\ncssclasses: [wide]\n# a comment\n'
    "nested: {{a: 1, b: [x, 2]}}\n---\n",
    "---\ncreated: 1636492098123\nupdated: 1636492098\nid: {n}\n---\n",
    "---\ncreated: {{{{date}}}}\n---\n",
    "---\nstatus: reading\nsource_type: paper\n---\n",
    "---\nurl: https://arxiv.org/abs/2309.{n:05d}\n---\n",  # its day read: the paper's month
    # A Logseq page: its properties are the lines it opens with.
    "tags:: {tag}, [[deep learning]]\nalias:: {title} alias, other\nstatus:: reading\n\n",
]


def generate_vault(root: Path, files: int, seed: int = 7) -> dict[str, bytes]:
    rng = random.Random(seed)
    folders = [""] + [f"area {a}/topic-{b}" for a in range(12) for b in range(8)]
    written: dict[str, bytes] = {}
    for n in range(files):
        folder = rng.choice(folders)
        title = f"{rng.choice(WORDS)} {n} v1.{n % 10}"
        if n % 13 == 0:  # a daily note, named by its day as Obsidian and Logseq name them
            day = dt.date(2010, 1, 1) + dt.timedelta(days=n)
            title = day.strftime("%Y-%m-%d" if n % 2 else "%Y_%m_%d")
        tag = rng.choice(["ml", "ML", "interp/sae", "한글"])
        head = HEADS[n % len(HEADS)].format(title=title, tag=tag, n=n)
        body = " ".join(rng.choice(WORDS) for _ in range(60)) + f" #{tag}\n\n`#code` text\n"
        path = f"{folder}/{title}.md" if folder else f"{title}.md"
        data = (head + body).encode("utf-8")
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[path] = data
    return written


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=6000)
    parser.add_argument("--export", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_root = Path(__file__).resolve().parent / ".data"
    data_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_root) as scratch:
        work = Path(scratch)
        originals = generate_vault(work / "vault", args.files)
        imports, reimports = [], []
        for run in range(args.runs):
            db = work / f"import{run}.db"
            with Notebook.open(db) as notebook:
                vault = work / "vault"
                imports.append(
                    timed(lambda nb=notebook, v=vault: apply_import(nb, plan_import(nb, v)))
                )
                plan = None

                def again() -> None:
                    nonlocal plan
                    plan = plan_import(notebook, work / "vault")
                    apply_import(notebook, plan)

                reimports.append(timed(again))
                assert plan is not None and not plan.new and not plan.updates, plan.summary()
        with Notebook.open(work / "import0.db") as notebook:
            export_vault(notebook.iter_entries(), work / "roundtrip")
        same = sum(
            1
            for path, data in originals.items()
            if (work / "roundtrip" / path).is_file()
            and (work / "roundtrip" / path).read_bytes() == data
        )
        print(f"import of {args.files:,} files: median {statistics.median(imports):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in imports)})")  # fmt: skip
        print(f"re-import, nothing changed: median {statistics.median(reimports):.2f} s")
        print(f"round trip: {same:,} of {len(originals):,} files byte-identical "
              f"({100 * same / len(originals):.1f}%)")  # fmt: skip
        generate_vault(work / "big", args.export, seed=11)
        with Notebook.open(work / "big.db") as notebook:
            apply_import(notebook, plan_import(notebook, work / "big"))
            exports, copies = [], []
            for run in range(args.runs):
                out, copy_to = work / f"out{run}", work / f"copy{run}"
                exports.append(timed(lambda o=out: export_vault(notebook.iter_entries(), o)))
                copies.append(timed(lambda c=copy_to: shutil.copytree(work / "big", c)))
        export, copy = statistics.median(exports), statistics.median(copies)
        print(f"export of {args.export:,} vault entries: median {export:.2f} s; copying the "
              f"tree {copy:.2f} s; ratio {export / copy:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
