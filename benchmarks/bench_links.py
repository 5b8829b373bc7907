"""Benchmark of links and glossary terms: backlinks and unlinked mentions at 100,000 entries,
the link table's cost on an import and on a save, glossary terms in the podcast sample.

    .venv/bin/python benchmarks/bench_links.py                 # 100,000 entries
    .venv/bin/python benchmarks/bench_links.py --size 20000 --import-size 2000 --runs 3

The notebook is ``corpus.generate_entries`` with links written into it at a realistic density:
every note gets 2-5 ``[[links]]``, each a sentence of its own at a random place in its body;
three in ten go to one of 1,000 "hub" terms (short titles, one or two words: the glossary
everyone links), the rest to any entry. Half the notes also mention a hub by its title without
linking it. Hubs end with ~100 backlinks each, other entries with two or three.

Measures (median and 95th percentile where several entries are asked about):

* backlinks + unlinked mentions of an entry, as the panel asks (``backlinks`` with its default
  limit of 200, ``unlinked_mentions`` with 50), for 100 entries: 50 hubs and 50 others that
  have backlinks; the baseline is ``SELECT count(*) FROM entries``;
* what the link table adds to importing a vault of ``--import-size`` files (plan + apply into an
  empty notebook), of the corpus as bench_transfer.py makes it (no links) and with links
  written in, and to saving a 2 KB note with five links: the same work timed with the table's
  maintenance switched off (``LinkStore`` methods made no-ops), alternated in the same run;
* glossary terms in the podcast sample (90 KB) with 500 terms: ``terms_used`` with the
  glossary's matcher cached (what every preview of it pays) and the first call (built).

Scratch data goes to a temporary folder under ``benchmarks/.data/`` (``--scratch`` elsewhere).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import SAMPLES, generate_entries, sample_words  # noqa: E402

from notebook_app.core.formats.exporting import export_vault, select_entries  # noqa: E402
from notebook_app.core.formats.importing import apply_import, plan_import  # noqa: E402
from notebook_app.core.links.wikilinks import link_text  # noqa: E402
from notebook_app.core.model.entry import Entry, Kind  # noqa: E402
from notebook_app.core.storage import notebook as notebook_module  # noqa: E402
from notebook_app.core.storage.links import LinkStore  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / ".data"
HUBS = 1000


def linked_entries(count: int, seed: int = 11) -> tuple[list[Entry], list[int]]:
    """The corpus with links written in (see the module's doc) and the indexes of the hubs."""
    rng = random.Random(seed)
    entries = list(generate_entries(count))
    long_words = sorted({w for w in sample_words() if len(w) >= 7 and w.isalpha()})
    terms = [i for i, entry in enumerate(entries) if entry.kind is Kind.TERM]
    hubs = terms[: min(HUBS, len(terms))]
    for number, index in enumerate(hubs):
        words = rng.sample(long_words, 1 if number % 10 == 0 else 2)
        entries[index].title = " ".join(words).title()
    for entry in entries:
        if entry.kind is not Kind.NOTE:
            continue
        words = entry.body.split(" ")
        for _ in range(rng.randint(2, 5)):
            target = entries[rng.choice(hubs) if rng.random() < 0.3 else rng.randrange(count)]
            at = rng.randrange(len(words))
            words.insert(at, f"See {link_text(target.title)} on this.")
        if rng.random() < 0.5:
            hub = entries[rng.choice(hubs)]
            words.insert(rng.randrange(len(words)), f"This is about {hub.title} again.")
        entry.body = " ".join(words)
    return entries, hubs


def quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def time_call(work: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


@contextlib.contextmanager
def links_off() -> Iterator[None]:
    """The link table's maintenance as no-ops (and the batch's names and links not read, on
    the thread beside the insert either): the same writes without it, for a baseline."""
    saved = {name: getattr(LinkStore, name) for name in ("entries_added", "entry_written")}
    for name in saved:
        setattr(LinkStore, name, lambda *args, **kwargs: None)
    read_batch = notebook_module.read_batch
    notebook_module.read_batch = lambda added: None  # type: ignore[assignment,return-value]
    try:
        yield
    finally:
        for name, method in saved.items():
            setattr(LinkStore, name, method)
        notebook_module.read_batch = read_batch


def panel_figures(notebook: Notebook, hubs: list[str], others: list[str], runs: int) -> None:
    count = time_call(lambda: notebook.conn.execute("SELECT count(*) FROM entries").fetchone(), 50)
    print(
        f"| baseline: `SELECT count(*) FROM entries` | {statistics.median(count) * 1e3:.2f} ms | |"
    )
    for label, ids in (("hub entries (~100 backlinks)", hubs), ("other entries", others)):
        samples: list[float] = []
        found = []
        for entry_id in ids:

            def panel(entry_id: str = entry_id) -> object:
                return notebook.backlinks(entry_id), notebook.unlinked_mentions(entry_id)

            per = time_call(panel, runs)
            samples.append(statistics.median(per))
            found.append(
                (len(notebook.backlinks(entry_id)), len(notebook.unlinked_mentions(entry_id)))
            )
        median, p95 = quantiles(samples)
        links = statistics.median(f[0] for f in found)
        mentions = statistics.median(f[1] for f in found)
        print(
            f"| backlinks + unlinked mentions, {len(ids)} {label} (median {links:g} backlinks, "
            f"{mentions:g} mentions) | {median * 1e3:.1f} / {p95 * 1e3:.1f} ms | "
            "median ≤ 20 ms, p95 ≤ 50 ms |"
        )


def import_figures(size: int, runs: int, folder: Path, *, with_links: bool) -> None:
    """The vault import with and without the link table's maintenance; the corpus as
    bench_transfer.py makes it (no links), or with links written in."""
    if with_links:
        entries, _hubs = linked_entries(size, seed=5)
    else:
        entries = list(generate_entries(size))
    name = "linked" if with_links else "plain"
    with Notebook.open(folder / f"{name}-source.db") as notebook:
        notebook.add_many(entries)
        links = notebook.conn.execute("SELECT count(*) FROM links").fetchone()[0]
        export_vault(select_entries(notebook), folder / f"{name}-vault")

    spent: list[float] = []
    read: list[float] = []  # reading the batch's names and links, on the thread beside
    maintain, read_batch = LinkStore.entries_added, notebook_module.read_batch

    def timed(self: LinkStore, *args: object) -> None:
        start = time.perf_counter()
        maintain(self, *args)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - start)

    def timed_read(added: object) -> object:
        start = time.perf_counter()
        result = read_batch(added)  # type: ignore[arg-type]
        read.append(time.perf_counter() - start)
        return result

    def one_import(label: str) -> float:
        for old in folder.glob(f"{label}.db*"):
            old.unlink()
        with Notebook.open(folder / f"{label}.db") as notebook:
            start = time.perf_counter()
            apply_import(notebook, plan_import(notebook, folder / f"{name}-vault"))
            return time.perf_counter() - start

    on, off, shares = [], [], []
    LinkStore.entries_added = timed  # type: ignore[method-assign,assignment]
    notebook_module.read_batch = timed_read  # type: ignore[assignment]
    try:
        for run in range(runs):
            # Alternated, each first in turn, so the machine's drift touches both alike.
            for table_on in (True, False) if run % 2 == 0 else (False, True):
                if table_on:
                    on.append(one_import("on"))
                    shares.append(spent[-1] / on[-1])
                else:
                    with links_off():
                        off.append(one_import("off"))
    finally:
        LinkStore.entries_added = maintain  # type: ignore[method-assign]
        notebook_module.read_batch = read_batch
    kept, without = statistics.median(on), statistics.median(off)
    label = f"import a vault of {size:,} files ({links:,} links)"
    print(f"| {label}, link table off | {without:.2f} s | |")
    # Each import with the table against the one without it next to it (the machine's drift
    # between pairs cancels out), the median of those ratios.
    added = (statistics.median(a / b for a, b in zip(on, off, strict=True)) - 1) * 100
    print(f"| … with the link table | {kept:.2f} s ({added:+.1f}%, paired runs) | |")
    share = statistics.median(shares) * 100
    print(f"| … of which storing the link table (timed inside) | {share:.1f}% | ≤ 10% added |")
    if read:
        print(
            f"| … reading the names and links, on a thread beside the insert | "
            f"{statistics.median(read) * 1e3:.0f} ms | |"
        )


def save_figures(notebook: Notebook, runs: int) -> None:
    targets = [row[0] for row in notebook.conn.execute("SELECT title FROM entries LIMIT 5")]
    words = sample_words()
    rng = random.Random(3)
    body = " ".join(rng.choice(words) for _ in range(330))[:1900]
    body += "".join(f" See {link_text(title)}." for title in targets)
    entry = notebook.add(Entry(kind=Kind.NOTE, title="A 2 KB note", body=body))

    def save() -> None:
        current = notebook.get(entry.id)
        notebook.update(entry.id, current.version, body=current.body[:-1] + rng.choice("ab."))

    on: list[float] = []
    off: list[float] = []
    for _ in range(runs):  # alternated, so the machine's drift touches both alike
        on += time_call(save, 1)
        with links_off():
            off += time_call(save, 1)
    with_links, without = statistics.median(on) * 1e3, statistics.median(off) * 1e3
    print(f"| save a 2 KB note with 5 links, link table off | {without:.2f} ms | |")
    added = with_links - without
    print(f"| … with the link table | {with_links:.2f} ms (+{added:.2f} ms) | ≤ 2 ms added |")


def glossary_figures(runs: int) -> None:
    """Two glossaries of 500 terms: a realistic one (50 of them in the podcast's words, the rest
    two-word phrases of the corpus vocabulary, mostly absent) and the worst case (every term a
    word or phrase of the podcast, so each is found and the search cannot stop early)."""
    podcast = (SAMPLES / "podcast-summary.txt").read_text(encoding="utf-8")
    rng = random.Random(1)
    present = list(dict.fromkeys(re.findall(r"\b[a-z]{4,}(?: [a-z]{4,})?\b", podcast.lower())))
    rng.shuffle(present)
    acronyms = sorted(set(re.findall(r"\b[A-Z]{2,5}\b", podcast)))
    words = sorted({w.lower() for w in sample_words() if len(w) >= 5 and w.isalpha()})
    absent = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(450)]
    glossaries = {
        "500 terms, 50 in the text": (acronyms[:10] + present[:40] + absent)[:500],
        "500 terms, all in the text (worst case)": (acronyms + present)[:500],
    }
    for label, titles in glossaries.items():
        with Notebook.open(":memory:") as notebook:
            notebook.add_many(
                Entry(kind=Kind.TERM, title=t.capitalize() if t.islower() else t) for t in titles
            )
            entry = notebook.add(Entry(kind=Kind.NOTE, title="Podcast", body=podcast))
            start = time.perf_counter()
            used = notebook.terms_used(entry.id)
            cold = time.perf_counter() - start
            warm = time_call(lambda: notebook.terms_in_text(podcast), runs)
        print(
            f"| glossary terms in the podcast sample (90 KB), {label}: {len(used)} found; "
            f"first call (matcher built) | {cold * 1e3:.1f} ms | |"
        )
        print(
            f"| … `terms_in_text`, matcher cached (what a preview pays) | "
            f"{statistics.median(warm) * 1e3:.1f} ms | ≤ 10 ms |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--import-size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scratch", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--only", choices=["glossary", "import", "panel"], action="append",
        help="run only these parts (repeatable; default: all)",
    )  # fmt: skip
    args = parser.parse_args()
    parts = set(args.only or ["glossary", "import", "panel"])
    args.scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-links-", dir=args.scratch) as name:
        folder = Path(name)
        print("| measure | figure | target |\n|---|---|---|")
        if "glossary" in parts:
            glossary_figures(args.runs * 3)
        if "import" in parts:
            import_figures(args.import_size, args.runs, folder, with_links=False)
            import_figures(args.import_size, args.runs, folder, with_links=True)
        if "panel" not in parts:
            return
        entries, hubs = linked_entries(args.size)
        with Notebook.open(folder / "big.db") as notebook:
            start = time.perf_counter()
            notebook.add_many(entries)
            seconds = time.perf_counter() - start
            links = notebook.conn.execute("SELECT count(*) FROM links").fetchone()[0]
            print(
                f"| bulk insert of {args.size:,} entries with {links:,} links | {seconds:.1f} s | |"
            )
            rng = random.Random(2)
            hub_ids = [entries[i].id for i in rng.sample(hubs, 50)]
            linked = [row[0] for row in notebook.conn.execute(
                "SELECT e.id FROM entries AS e WHERE e.seq IN (SELECT DISTINCT target FROM links "
                "WHERE target IS NOT NULL ORDER BY random() LIMIT 200)"
            )]  # fmt: skip
            others = [i for i in linked if i not in set(hub_ids)][:50]
            panel_figures(notebook, hub_ids, others, args.runs)
            save_figures(notebook, args.runs * 3)


if __name__ == "__main__":
    main()
