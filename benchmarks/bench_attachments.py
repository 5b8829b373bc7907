"""Benchmark of attachments in an import: a vault of notes in folders with images.

    .venv/bin/python benchmarks/bench_attachments.py        # 6,000 notes, 1,000 images, 5 runs
    .venv/bin/python benchmarks/bench_attachments.py --notes 600 --images 100 --runs 3

It writes a vault of ``--notes`` markdown notes in 20 folders and ``--images`` PNG images
(100×100 pixels of noise, about 30 KB each: they do not compress, as photos and screenshots
barely do) in ``attachments/`` and the note folders; each note embeds up to two images in the
forms Obsidian users write (``![[x.png]]``, ``![[x.png|300]]``, ``![](../attachments/x.png)``),
so most images are named by several notes, and a few by none. Then, ``--runs`` times, the
median of:

* reading every file of the vault (the baseline: the floor of any import);
* importing it into an empty notebook (plan + apply, one transaction; targets: ≤ 4 s for
  6,000 notes + 1,000 images);
* importing it again with nothing changed (plan + apply; target ≤ 1 s): unchanged
  attachments are recognised by path, size and modification time and not read again.

Scratch data goes under ``benchmarks/.data/`` (``--scratch DIR`` puts it elsewhere).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notebook_app.core.formats.importing import apply_import, plan_import  # noqa: E402
from notebook_app.core.storage.notebook import Notebook  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / ".data"
WORDS = ["sparse", "autoencoder", "features", "attention", "heads", "circuits", "probing"]


def noise_png(rng: random.Random, side: int = 100) -> bytes:
    raw = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1))
            + chunk(b"IEND", b""))  # fmt: skip


def write_vault(root: Path, notes: int, images: int, seed: int = 7) -> int:
    """The vault; returns the bytes of images written."""
    rng = random.Random(seed)
    folders = [f"topic-{i:02d}" for i in range(20)]
    for folder in [*folders, "attachments"]:
        (root / folder).mkdir(parents=True)
    names: list[tuple[str, str]] = []  # (folder, name)
    total = 0
    for i in range(images):
        folder = "attachments" if i % 2 else folders[i % len(folders)]
        name = f"figure-{i:04d}.png"
        data = noise_png(rng)
        (root / folder / name).write_bytes(data)
        total += len(data)
        names.append((folder, name))
    named = names[: int(images * 0.95)]  # a few images named by no note
    for i in range(notes):
        folder = folders[i % len(folders)]
        text = " ".join(rng.choice(WORDS) for _ in range(120))
        lines = [f"# Note {i}", "", text, ""]
        for _ in range(rng.randint(0, 2)):
            where, name = rng.choice(named)
            form = rng.randrange(3)
            if form == 0:
                lines.append(f"![[{name}]]")
            elif form == 1:
                lines.append(f"![[{name}|300]]")
            else:
                lines.append(f"![]({os.path.relpath(f'{where}/{name}', folder)})")
        (root / folder / f"note-{i:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def read_all(root: Path) -> int:
    size = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            size += len(Path(folder, name).read_bytes())
    return size


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=6000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scratch", type=Path, default=None)
    args = parser.parse_args()
    base = args.scratch or DATA_DIR
    base.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="attachments-", dir=base))
    try:
        vault = scratch / "vault"
        image_bytes = write_vault(vault, args.notes, args.images)
        reads, imports, again = [], [], []
        for run in range(args.runs):
            reads.append(timed(lambda: read_all(vault)))
            db = scratch / f"run-{run}.db"
            with Notebook.open(db) as notebook:
                imports.append(timed(lambda: apply_import(notebook, plan_import(notebook, vault))))
                again.append(timed(lambda: apply_import(notebook, plan_import(notebook, vault))))
                blobs = notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
                refs = notebook.conn.execute("SELECT count(*) FROM attachment_refs").fetchone()[0]
            db.unlink()
        size = f"{image_bytes / 1e6:.1f} MB"
        print(f"vault: {args.notes:,} notes, {args.images:,} images ({size}); "
              f"stored {blobs:,} blobs, {refs:,} references")  # fmt: skip
        rows = [
            ("baseline: read every file of the vault", statistics.median(reads), None),
            ("import (plan + apply)", statistics.median(imports), 4.0),
            ("import again, nothing changed", statistics.median(again), 1.0),
        ]
        print(f"| measure | median of {args.runs} | target |\n|---|---|---|")
        for measure, seconds, target in rows:
            print(
                f"| {measure} | {seconds:.2f} s | {'' if target is None else f'≤ {target:g} s'} |"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
