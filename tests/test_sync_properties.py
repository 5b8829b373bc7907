"""Sync under stress: a sync killed (kill -9) at any point finishes on the next run, and
property tests of random edits, on a notebook and its folder and on two notebooks sharing one
folder, that converge and lose nothing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync import files
from notebook_app.core.sync.engine import sync_folder
from tests.test_sync import edit, live, tree, write

# --- a sync killed at any point, then run again ------------------------------------------------

_KILLER = """
import os, signal, sys
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync import engine, files

where, at = sys.argv[3], int(sys.argv[4])
calls = 0

def count() -> None:
    global calls
    calls += 1
    if calls == at:
        os.kill(os.getpid(), signal.SIGKILL)

if where == "write":  # after a file was written whole
    real_write = files.write_file
    def write_file(*args, **kwargs):
        result = real_write(*args, **kwargs)
        count()
        return result
    files.write_file = write_file
elif where == "temp":  # in the middle of a write: its temporary file written, not renamed
    real_hash = files.current_hash
    def current_hash(path):
        count()
        return real_hash(path)
    files.current_hash = current_hash
else:  # after every file, before the notebook's transaction commits
    real_finish = engine._Pass._finish
    def finish(self):
        real_finish(self)
        count()
    engine._Pass._finish = finish

with Notebook.open(sys.argv[1]) as notebook:
    engine.sync_folder(notebook, sys.argv[2])
"""


def _busy_sides(db: Path, folder: Path) -> None:
    """A notebook and a folder, synced once, then changed on both sides in every way."""
    with Notebook.open(db) as notebook:
        for number in range(6):
            notebook.add(Entry(kind=Kind.NOTE, title=f"app {number}", body=f"app {number}"))
        for number in range(6):
            write(folder, f"f{number}.md", f"file {number}\n")
        sync_folder(notebook, folder)
        for number in range(3):
            edit(notebook, f"app {number}", body=f"app {number} edited")
            write(folder, f"f{number}.md", f"file {number} edited\n")
        notebook.trash(live(notebook)["app 3"].id)
        (folder / "f3.md").unlink()
        os.rename(folder / "f4.md", folder / "moved f4.md")
        for number in range(4):
            notebook.add(Entry(kind=Kind.NOTE, title=f"new {number}", body=f"new {number}"))
            write(folder, f"new/n{number}.md", f"new file {number}\n")


def _outcome(db: Path, folder: Path) -> tuple[dict[str, str], set[str]]:
    with Notebook.open(db) as notebook:
        bodies = {e.title: e.body.strip() for e in notebook.iter_entries()}
    texts = {t.split("---\n")[-1].strip() for p, t in tree(folder).items() if "conflict" not in p}
    return bodies, texts


@pytest.mark.parametrize(
    ("where", "at"),
    [("write", 1), ("write", 5), ("write", 7), ("temp", 2), ("temp", 6), ("commit", 1)],
)
def test_a_sync_killed_anywhere_finishes_on_the_next_run(
    tmp_path: Path, where: str, at: int
) -> None:
    import subprocess
    import sys

    control_db, control = tmp_path / "control.db", tmp_path / "control"
    db, folder = tmp_path / "killed.db", tmp_path / "killed"
    control.mkdir()
    folder.mkdir()
    _busy_sides(control_db, control)
    _busy_sides(db, folder)
    with Notebook.open(control_db) as notebook:
        expected_report = sync_folder(notebook, control)
    run = subprocess.run(
        [sys.executable, "-c", _KILLER, str(db), str(folder), where, str(at)],
        capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert run.returncode == -9, run.stderr  # killed, as the test meant
    if where == "temp":  # killed between a temporary file and its rename: it is there
        assert [p for p in tree(folder) if files.TEMP_MARK in p]
    with Notebook.open(db) as notebook:
        assert notebook.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = sync_folder(notebook, folder)
        assert not report.conflicts, report.summary()  # a killed sync invents no conflict
        assert not sync_folder(notebook, folder).changed  # converged
    assert not expected_report.conflicts
    assert _outcome(db, folder) == _outcome(control_db, control)
    assert not [p for p in tree(folder) if files.TEMP_MARK in p]  # no temporary file left


# --- random edits on both sides converge and lose nothing --------------------------------------

_OPS = st.one_of(
    st.tuples(st.just("nb_add")),
    st.tuples(st.just("nb_edit"), st.integers(0, 9)),
    st.tuples(st.just("nb_trash"), st.integers(0, 9)),
    st.tuples(st.just("nb_retitle"), st.integers(0, 9)),
    st.tuples(st.just("fs_add"), st.sampled_from(["", "a/", "a/b/", "Ünï/"])),
    st.tuples(st.just("fs_edit"), st.integers(0, 9)),
    st.tuples(st.just("fs_delete"), st.integers(0, 9)),
    st.tuples(st.just("fs_move"), st.integers(0, 9)),
    st.tuples(st.just("sync")),
)


def _tokens(text: str) -> set[str]:
    import re

    return set(re.findall(r"w\d+x", text))


def _kept(notebooks: Sequence[Notebook], folder: Path) -> set[str]:
    """Every token still held somewhere: in an entry (the trash too), in an entry's history,
    or in a file of the folder (a conflict copy too)."""
    kept: set[str] = set()
    for notebook in notebooks:
        for entry in notebook.iter_entries(include_trashed=True):
            kept |= _tokens(entry.body)
            for revision in notebook.history(entry.id):
                kept |= _tokens(revision.entry.body)
    for path in folder.rglob("*.md"):
        kept |= _tokens(path.read_text(encoding="utf-8"))
    return kept


def _notes(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*.md") if not files.is_conflict_copy(p.name) and p.is_file()
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_OPS, max_size=30))
def test_random_edits_on_both_sides_converge_and_lose_nothing(ops: list[tuple]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as where, Notebook.open(Path(where) / "n.db") as nb:
        folder = Path(where) / "vault"
        folder.mkdir()
        counter = iter(range(10_000))
        must_survive: set[str] = set()

        def token() -> str:
            return f"w{next(counter)}x"

        def snapshot() -> None:
            for entry in nb.iter_entries():
                must_survive.update(_tokens(entry.body))
            for path in folder.rglob("*.md"):
                must_survive.update(_tokens(path.read_text(encoding="utf-8")))

        for op in ops:
            entries = list(nb.iter_entries())
            notes = _notes(folder)
            if op[0] == "nb_add":
                nb.add(Entry(kind=Kind.NOTE, title=f"n {next(counter)}", body=token()))
            elif op[0] in ("nb_edit", "nb_trash", "nb_retitle") and entries:
                entry = entries[op[1] % len(entries)]
                if op[0] == "nb_edit":
                    nb.update(entry.id, entry.version, body=entry.body + " " + token())
                elif op[0] == "nb_retitle":
                    nb.update(entry.id, entry.version, title=f"t {next(counter)}")
                else:
                    nb.trash(entry.id)
            elif op[0] == "fs_add":
                write(folder, f"{op[1]}f {token()}.md", f"{token()}\n")
            elif op[0] in ("fs_edit", "fs_delete", "fs_move") and notes:
                path = notes[op[1] % len(notes)]
                if op[0] == "fs_edit":
                    write(folder, path.relative_to(folder).as_posix(),
                          path.read_text(encoding="utf-8") + f"\n{token()}\n")  # fmt: skip
                elif op[0] == "fs_delete":
                    path.unlink()
                else:
                    path.rename(path.with_name(f"m {token()}.md"))
            elif op[0] == "sync":
                snapshot()
                sync_folder(nb, folder)
        snapshot()
        sync_folder(nb, folder)
        again = sync_folder(nb, folder)
        assert not again.changed, again.summary()  # converged
        # Both sides agree: each live entry's text is in exactly one note file, and back.
        live_bodies = sorted(sorted(_tokens(e.body)) for e in nb.iter_entries())
        file_bodies = sorted(
            sorted(_tokens(p.read_text(encoding="utf-8").split("\n---\n")[-1]))
            for p in _notes(folder)
        )
        assert live_bodies == file_bodies
        # Nothing either side held at a sync is lost.
        kept = _kept([nb], folder)
        assert must_survive <= kept, must_survive - kept


_TWO = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.sampled_from(["add", "edit", "trash", "sync"]),
        st.integers(0, 9),
    ),
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TWO)
def test_two_notebooks_sharing_one_folder_converge_and_lose_nothing(ops: list[tuple]) -> None:
    import tempfile

    with (
        tempfile.TemporaryDirectory() as where,
        Notebook.open(Path(where) / "a.db") as a,
        Notebook.open(Path(where) / "b.db") as b,
    ):
        folder = Path(where) / "shared"
        folder.mkdir()
        books = {"a": a, "b": b}
        counter = iter(range(10_000))
        must_survive: set[str] = set()

        def sync(book: Notebook) -> None:
            for entry in book.iter_entries():
                must_survive.update(_tokens(entry.body))
            sync_folder(book, folder)

        for who, what, index in ops:
            book = books[who]
            entries = list(book.iter_entries())
            if what == "add":
                book.add(
                    Entry(kind=Kind.NOTE, title=f"n {next(counter)}", body=f"w{next(counter)}x")
                )
            elif what == "edit" and entries:
                entry = entries[index % len(entries)]
                book.update(entry.id, entry.version, body=f"{entry.body} w{next(counter)}x")
            elif what == "trash" and entries:
                book.trash(entries[index % len(entries)].id)
            elif what == "sync":
                sync(book)
        for book in (a, b, a, b):  # rounds until both have seen everything
            sync(book)
        assert not sync_folder(a, folder).changed and not sync_folder(b, folder).changed
        bodies = {
            name: sorted(sorted(_tokens(e.body)) for e in book.iter_entries())
            for name, book in books.items()
        }
        assert bodies["a"] == bodies["b"]  # both notebooks agree
        kept = _kept([a, b], folder)
        assert must_survive <= kept, must_survive - kept
