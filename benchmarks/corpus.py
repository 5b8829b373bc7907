"""Realistic synthetic notebooks for the benchmarks, built from the samples' own words.

Words are drawn from the concatenated sample texts, so their frequencies are as skewed as real
writing: "the" or "model" match most entries, a rare word a handful. Titles, tags, kinds,
source types and dates follow the proportions of the reading log and the glossary. The
generator is seeded: the same arguments give the same notebook.

The samples are the real ones in ``../shared/samples`` when they sit beside the repository,
else the tests' small sample-shaped fixtures (``tests/fixtures/samples``, the same file names),
so the benchmarks run in a bare clone too; their figures are only comparable on the same set,
which :data:`SAMPLES_ARE_REAL` tells.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from pathlib import Path

from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    SourceType,
)

_ROOT = Path(__file__).resolve().parent.parent
REAL_SAMPLES = _ROOT.parent / "shared" / "samples"
FIXTURE_SAMPLES = _ROOT / "tests" / "fixtures" / "samples"
SAMPLES_ARE_REAL = REAL_SAMPLES.is_dir()
SAMPLES = REAL_SAMPLES if SAMPLES_ARE_REAL else FIXTURE_SAMPLES
TAGS = [
    "ml", "ml/interpretability", "ml/interpretability/sae", "ml/rl", "ml/evals", "safety",
    "safety/alignment", "safety/governance", "llm", "llm/reasoning", "llm/agents", "vision",
    "theory", "math", "policy", "tools", "career", "reading-group", "papers-to-reread", "한국어",
]  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


def sample_words(samples_dir: Path = SAMPLES) -> list[str]:
    words: list[str] = []
    for path in sorted(samples_dir.glob("*.txt")) + sorted(samples_dir.glob("*.md")):
        words.extend(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def generate_entries(count: int, *, seed: int = 7, samples_dir: Path = SAMPLES) -> Iterator[Entry]:
    rng = random.Random(seed)
    words = sample_words(samples_dir)
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    for index in range(count):
        roll = rng.random()
        kind = Kind.NOTE if roll < 0.8 else Kind.TERM if roll < 0.93 else Kind.MEETING
        title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 9))).capitalize()
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            paragraphs.append(" ".join(rng.choice(words) for _ in range(rng.randint(20, 90))))
        body = "\n\n".join(paragraphs)
        created = start + dt.timedelta(minutes=index * 25 + rng.randint(0, 20))
        tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 2, 3]))
        entry = Entry(kind=kind, title=title, body=body, tags=tags, created=created)
        if kind is Kind.NOTE:
            entry.source_type = rng.choice(list(SourceType))
            entry.url = f"https://example.org/{index}"
            entry.read_on = created.date()
            entry.reading_status = rng.choice(list(ReadingStatus))
        elif kind is Kind.TERM:
            entry.learning_status = rng.choice(list(LearningStatus))
            entry.glossary_position = float(index)
        else:
            entry.met_on = created.date()
            entry.who = "a " + " ".join(rng.choice(words) for _ in range(2)) + " researcher"
        yield entry


DATA = Path(__file__).resolve().parent / ".data"


def cached_notebook(size: int, prefix: str) -> Path:
    """A notebook of ``size`` corpus entries, built once and kept in benchmarks/.data/ as
    ``PREFIX-SIZE.db`` (each benchmark keeps its own, so one never measures another's writes)."""
    import sys

    from notebook_app.core.storage.notebook import Notebook

    path = DATA / f"{prefix}-{size}.db"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    partial = DATA / f"{prefix}-{size}.db.partial"
    for leftover in DATA.glob(f"{prefix}-{size}.db.partial*"):
        leftover.unlink()
    print(f"building a {size:,}-entry notebook in {path} (once) …", file=sys.stderr)
    with Notebook.open(partial) as notebook:
        if size:
            notebook.add_many(generate_entries(size))
        # Fold the WAL into the file: the cache is then one self-contained file.
        notebook.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)  # only a complete build is ever cached
    return path
