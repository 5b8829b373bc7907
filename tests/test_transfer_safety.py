"""Hostile input to import and export: links, pipes, devices, deep YAML, odd names, long titles,
a user's own files in the export folder, an error half-way through. Each case checks the
message and that nothing it must not touch changed (the notebook's bytes, the folder's files).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.formats import export_folder, source_files
from notebook_app.core.formats.export_folder import MANIFEST, ExportProblem
from notebook_app.core.formats.exporting import export_vault, select_entries
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.markdown_files import MAX_NAME_BYTES, safe_filename
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="links, pipes and devices")


def notebook_sha(path: Path) -> str:
    """The notebook file's sha256, with the write-ahead log folded in first."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, object]:
    """Everything under ``folder`` as it is on disk: files' bytes, links' targets, folders."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = ("link", os.readlink(path))
        elif path.is_dir():
            found[key] = "folder"
        else:
            found[key] = path.read_bytes()
    return found


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (instead of blocking the suite) if the test takes more than 30 s: a FIFO that is
    opened for reading blocks until a writer comes, which is what these tests guard against."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: a pipe or device was opened")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def stored(db_path: Path) -> str:
    """A notebook with one entry; its sha256."""
    with Notebook.open(db_path) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Existing", body="kept as it is"))
    return notebook_sha(db_path)


def run(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


# --- import: what is read --------------------------------------------------------------------


def _link_out(folder: Path, outside: Path) -> None:
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0:the secret\n", encoding="utf-8")
    (folder / "passwd.md").symlink_to(secret)


def _link_zero(folder: Path, outside: Path) -> None:
    (folder / "x.md").symlink_to("/dev/zero")


def _fifo(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "pipe.md")


def _link_loop(folder: Path, outside: Path) -> None:
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")
    (folder / "round").symlink_to(folder)  # a folder that contains itself


def _link_to_folder_out(folder: Path, outside: Path) -> None:
    (outside / "private").mkdir()
    (outside / "private" / "diary.md").write_text("# Diary\nthe secret", encoding="utf-8")
    (folder / "private").symlink_to(outside / "private")


@posix_only
@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        (_link_out, "passwd.md", "secret.txt, outside the folder: not followed"),
        (_link_zero, "x.md", "a link to /dev/zero, outside the folder: not followed"),
        (_fifo, "pipe.md", "a named pipe: not read"),
        (_link_loop, "a.md", "a loop of links"),
        (_link_to_folder_out, "private", "outside the folder: not followed"),
    ],
)
def test_import_reads_only_regular_files_inside_the_folder(
    tmp_path: Path,
    db_path: Path,
    stored: str,
    capsys: pytest.CaptureFixture[str],
    no_hang: None,
    make: object,
    name: str,
    reason: str,
) -> None:
    folder, outside = tmp_path / "vault", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "good.md").write_text("# Good\n\nan ordinary note", encoding="utf-8")
    make(folder, outside)  # type: ignore[operator]
    # The dry run names the file and why it is passed over, and changes nothing.
    assert run(db_path, "import", str(folder), "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"skipped: {name}: " in out and reason in out
    assert notebook_sha(db_path) == stored
    # The import takes the ordinary note and nothing from outside the folder.
    assert run(db_path, "import", str(folder)) == 0
    capsys.readouterr()
    with Notebook.open(db_path) as notebook:
        titles = sorted(entry.title for entry in notebook.iter_entries())
        bodies = " ".join(entry.body for entry in notebook.iter_entries())
    assert titles == ["Existing", "good"]  # a vault file is titled by its name (as Obsidian)
    assert "secret" not in bodies


@posix_only
@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (_link_zero, "x.md", "x.md: a character device, not a file to import"),
        (_fifo, "pipe.md", "pipe.md: a named pipe, not a file to import"),
        (_link_loop, "a.md", "a.md: cannot be read (too many levels of symbolic links)"),
    ],
)
def test_a_special_file_named_on_its_own_is_refused(
    tmp_path: Path,
    db_path: Path,
    stored: str,
    capsys: pytest.CaptureFixture[str],
    no_hang: None,
    make: object,
    name: str,
    message: str,
) -> None:
    make(tmp_path, tmp_path)  # type: ignore[operator]
    assert run(db_path, "import", str(tmp_path / name)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert notebook_sha(db_path) == stored


@posix_only
def test_a_link_the_user_names_to_a_regular_file_is_followed(
    tmp_path: Path, notebook: Notebook
) -> None:
    # The rule: a file named on its own is the user's choice, wherever a link to it leads.
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "paper.md").write_text("# Paper\n\nnotes", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "real" / "paper.md")
    apply_import(notebook, plan_import(notebook, tmp_path / "link.md"))
    assert [e.title for e in notebook.iter_entries()] == ["Paper"]


@posix_only
def test_a_link_inside_the_folder_is_read_once(tmp_path: Path, notebook: Notebook) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "real.md").write_text("# Real\n\ntext", encoding="utf-8")
    (tmp_path / "alias.md").symlink_to(tmp_path / "sub" / "real.md")
    plan = plan_import(notebook, tmp_path)
    assert plan.ok and len(plan.new) == 1 and len(plan.duplicates) == 1


def test_every_read_is_bounded_whatever_stat_says(
    tmp_path: Path, notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that grows after stat (as /proc files, which say 0 bytes, or a log being written)
    # is read no further than the limit: fstat is made to say 0 bytes here.
    big = tmp_path / "growing.md"
    big.write_bytes(b"x" * 5000)
    monkeypatch.setattr(source_files, "MAX_FILE_BYTES", 1000)
    real_fstat = os.fstat

    def fstat_says_empty(descriptor: int) -> os.stat_result:
        info = list(real_fstat(descriptor))
        info[stat.ST_SIZE] = 0
        return os.stat_result(info)

    reads: list[int] = []
    real_read = os.read

    def counted_read(descriptor: int, size: int) -> bytes:
        reads.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(source_files.os, "fstat", fstat_says_empty)
    monkeypatch.setattr(source_files.os, "read", counted_read)
    plan = plan_import(notebook, big)
    (failure,) = plan.failures
    assert failure.reason == "too large for a note (more than 20 MB, the limit)".replace(
        "20 MB", source_files.LIMIT_TEXT
    )
    assert sum(reads) <= 1001


def test_the_size_limit_is_stated_as_the_readme_states_it(
    tmp_path: Path, db_path: Path, stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: 21 MB without writing them
    assert run(db_path, "import", str(big)) == 1
    err = capsys.readouterr().err
    assert err == (
        "notebook-app: big.md: too large for a note (21.0 MB; the limit is 20 MB); "
        "nothing was imported\n"
    )
    assert notebook_sha(db_path) == stored


@pytest.mark.parametrize(
    "front_matter",
    [
        "a: " + "[" * 5000 + "]" * 5000,  # flow style, past libyaml's own limit
        "a: " + "[" * 200 + "1" + "]" * 200,
        "".join(" " * level + "k:\n" for level in range(3000)),  # block style
        "a: " + "{b: " * 100 + "1" + "}" * 100,
    ],
    ids=["flow-5000", "flow-200", "block-3000", "mapping-100"],
)
def test_deeply_nested_front_matter_is_refused(
    tmp_path: Path,
    db_path: Path,
    stored: str,
    capsys: pytest.CaptureFixture[str],
    front_matter: str,
) -> None:
    (tmp_path / "deep.md").write_text(f"---\n{front_matter}\n---\nbody", encoding="utf-8")
    assert run(db_path, "import", str(tmp_path / "deep.md")) == 1
    err = capsys.readouterr().err
    assert err == (
        "notebook-app: deep.md: front matter is nested too deeply (more than 64 levels); "
        "nothing was imported\n"
    )
    assert notebook_sha(db_path) == stored


@posix_only
def test_a_file_name_that_is_not_utf8_is_shown_readably(
    tmp_path: Path, db_path: Path, stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    try:
        (folder / os.fsdecode(b"caf\xe9.md")).write_text("hello", encoding="utf-8")
        (folder / os.fsdecode(b"bad\xff.md")).write_bytes(b"\x00 not text")
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    assert run(db_path, "import", str(folder / os.fsdecode(b"bad\xff.md"))) == 1
    err = capsys.readouterr().err
    assert err == "notebook-app: bad\\xff.md: a binary file, not text; nothing was imported\n"
    assert notebook_sha(db_path) == stored
    assert run(db_path, "import", str(folder)) == 0
    out = capsys.readouterr().out
    assert "2 files seen: 1 to import" in out
    assert "skipped: bad\\xff.md: a binary file, not text" in out
    with Notebook.open(db_path) as notebook:
        titles = sorted(entry.title for entry in notebook.iter_entries())
    assert titles == ["Existing", "caf\\xe9"]  # the file name, its odd byte written out


@pytest.mark.parametrize("name", ["logo.svg", "photo.png", "paper.pdf"])
def test_an_image_named_on_its_own_is_not_a_note(
    tmp_path: Path, db_path: Path, stored: str, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / name).write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>\n')
    assert run(db_path, "import", str(tmp_path / name)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"notebook-app: {name}: not a text note (")
    assert err.endswith("); import takes markdown and text files; nothing was imported\n")
    assert err.count("\n") == 1
    assert notebook_sha(db_path) == stored


def test_a_text_file_without_a_known_suffix_is_still_a_note(
    tmp_path: Path, notebook: Notebook
) -> None:
    (tmp_path / "README").write_text("Project notes\n\nmore", encoding="utf-8")
    apply_import(notebook, plan_import(notebook, tmp_path / "README"))
    assert [e.title for e in notebook.iter_entries()] == ["Project notes"]


# --- import: a corrected reading log -----------------------------------------------------------

_LOG = """Legend:
- 📜: papers

09/25/2024
- 📜[LLMs Still Can't Plan](https://arxiv.org/pdf/2409.13373)
    - Summary one.
- 📜[Toy Models of Superposition](https://arxiv.org/abs/2209.10652)
    - Summary two.

09/20/2024
- 📜[Scaling Monosemanticity](https://transformer-circuits.pub/2024/scaling)
    - Summary three.
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("Toy Models of Superposition", "Toy Models of Superposition (2022)", "title"),
        ("https://arxiv.org/abs/2209.10652", "https://arxiv.org/abs/2209.10652v1", "url"),
    ],
)
def test_a_corrected_reading_log_updates_instead_of_duplicating(
    tmp_path: Path, notebook: Notebook, old: str, new: str, field: str
) -> None:
    log = tmp_path / "reading-log.md"
    log.write_text(_LOG, encoding="utf-8")
    apply_import(notebook, plan_import(notebook, log))
    before = {e.id: e for e in notebook.iter_entries()}
    assert len(before) == 3
    log.write_text(_LOG.replace(old, new), encoding="utf-8")
    plan = plan_import(notebook, log)
    assert (len(plan.new), len(plan.updates), plan.unchanged) == (0, 1, 2)
    report = apply_import(notebook, plan)
    assert report.updated == 1
    after = {e.id: e for e in notebook.iter_entries()}
    assert after.keys() == before.keys()
    (changed,) = [e for e in after.values() if getattr(e, field) != getattr(before[e.id], field)]
    assert getattr(changed, field) == new


def test_the_same_title_on_another_day_is_another_entry(tmp_path: Path, notebook: Notebook) -> None:
    log = tmp_path / "reading-log.md"
    log.write_text(_LOG, encoding="utf-8")
    apply_import(notebook, plan_import(notebook, log))
    # Read again later, at another address: a second reading, not a correction.
    again = _LOG.replace(
        "09/20/2024\n",
        "09/30/2024\n- 📜[Toy Models of Superposition](https://x.org/t)\n\n09/20/2024\n",
    )
    log.write_text(again, encoding="utf-8")
    plan = plan_import(notebook, log)
    assert (len(plan.new), len(plan.updates), plan.unchanged) == (1, 0, 3)


# --- export: names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["가나다라마바사아자차" * 9, "😀🎉📜🧪" * 17, "👩‍👩‍👧‍👦" * 40, "e\u0301" * 200, "x" * 1000],
    ids=["korean-90", "emoji-68", "zwj-families", "combining", "ascii-1000"],
)
def test_long_multibyte_titles_get_names_within_255_bytes(
    tmp_path: Path, notebook: Notebook, title: str
) -> None:
    first = notebook.add(Entry(kind=Kind.NOTE, title=title, body="one"))
    second = notebook.add(Entry(kind=Kind.NOTE, title=title + " part two", body="two"))
    export_vault(select_entries(notebook), tmp_path / "vault")
    names = sorted(p.name for p in (tmp_path / "vault" / "notes").iterdir())
    assert len(names) == 2 and names[0] != names[1]
    for name in names:
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
        assert name.endswith(".md") and "\u2026 " in name  # cut, with the title's hash
        name.encode("utf-8").decode("utf-8")  # cut between characters
    # Stable: the same names on the next export; and the round trip gives the same entries.
    export_vault(select_entries(notebook), tmp_path / "again")
    assert sorted(p.name for p in (tmp_path / "again" / "notes").iterdir()) == names
    with Notebook.open(tmp_path / "other.db") as other:
        apply_import(other, plan_import(other, tmp_path / "vault"))
        assert {e.id: e.title for e in other.iter_entries()} == {
            first.id: first.title,
            second.id: second.title,
        }


def test_a_name_fits_the_room_the_path_leaves() -> None:
    taken: set[str] = set()
    name = safe_filename("가" * 100, taken, max_bytes=80)
    assert len(name.encode("utf-8")) <= 80 and name.endswith(".md")
    assert safe_filename("가" * 100, taken, max_bytes=80) != name  # " (2)" still fits
    assert len(safe_filename("가" * 100, taken, max_bytes=80).encode("utf-8")) <= 80


def test_a_folder_path_too_long_for_any_name_is_refused(
    tmp_path: Path, notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="A note"))
    monkeypatch.setattr(export_folder, "PATH_MAX", len(str(tmp_path)) + 60)
    with pytest.raises(ExportProblem, match="the path is too long"):
        export_vault(select_entries(notebook), tmp_path / "vault")
    assert not (tmp_path / "vault").exists()


# --- export: the folder ---------------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path: Path, notebook: Notebook) -> Path:
    """A notebook of three entries, exported once to ``vault``."""
    notebook.add(Entry(kind=Kind.NOTE, title="Draft", body="first version"))
    notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="More features."))
    notebook.add(Entry(kind=Kind.MEETING, title="Call", who="Bob Jones"))
    export_vault(select_entries(notebook), tmp_path / "vault")
    return tmp_path / "vault"


def test_a_new_export_folder_has_ordinary_permissions(tmp_path: Path, notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="A note"))
    old = os.umask(0o022)
    try:
        export_vault(select_entries(notebook), tmp_path / "vault")
    finally:
        os.umask(old)
    vault = tmp_path / "vault"
    for folder in [vault, *(p for p in vault.iterdir() if p.is_dir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    assert stat.S_IMODE((vault / "notes" / "A note.md").stat().st_mode) == 0o644


@posix_only
def test_a_linked_glossary_is_refused_and_nothing_is_written_through_it(
    exported: Path,
    tmp_path: Path,
    db_path: Path,
    notebook: Notebook,
    capsys: pytest.CaptureFixture[str],
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("mine")
    for path in (exported / "glossary").iterdir():
        path.unlink()
    (exported / "glossary").rmdir()
    (exported / "glossary").symlink_to(elsewhere)
    notebook.add(Entry(kind=Kind.TERM, title="Polysemanticity"))
    before, before_elsewhere = tree(exported), tree(elsewhere)
    notebook.close()
    sha = notebook_sha(db_path)
    assert run(db_path, "export", str(exported)) == 1
    err = capsys.readouterr().err
    assert err == (
        f"notebook-app: glossary/ in {exported} is a link; an export never writes through "
        "links: remove the link or export to another folder\n"
    )
    assert "notebook.db" not in err
    assert tree(exported) == before and tree(elsewhere) == before_elsewhere
    assert notebook_sha(db_path) == sha


def test_the_users_files_are_kept_and_reported(
    exported: Path, notebook: Notebook, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (exported / "notes" / "user-written.md").write_text("my own note", encoding="utf-8")
    (exported / "notes" / "attachments").mkdir()
    (exported / "notes" / "attachments" / "figure.png").write_bytes(b"\x89PNG")
    (exported / "README.txt").write_text("about this folder")
    notebook.add(Entry(kind=Kind.NOTE, title="user-written", body="an entry of that name"))
    notebook.close()
    assert run(db_path, "export", str(exported)) == 0
    out = capsys.readouterr().out
    assert "kept notes/attachments, notes/user-written.md: not written by an export" in out
    assert (exported / "notes" / "user-written.md").read_text(encoding="utf-8") == "my own note"
    assert (exported / "notes" / "attachments" / "figure.png").read_bytes() == b"\x89PNG"
    assert (exported / "README.txt").read_text() == "about this folder"
    # The entry of the same name steps around the user's file.
    assert "an entry of that name" in (exported / "notes" / "user-written (2).md").read_text(
        encoding="utf-8"
    )


def test_a_file_edited_since_the_last_export_is_not_overwritten_without_force(
    exported: Path, notebook: Notebook, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = exported / "notes" / "Draft.md"
    edited = draft.read_text(encoding="utf-8").replace("first version", "edited in an editor")
    draft.write_text(edited, encoding="utf-8")
    entry_id = next(e.id for e in notebook.iter_entries() if e.title == "Draft")
    notebook.update(entry_id, notebook.get(entry_id).version, body="second version")
    before = tree(exported)
    notebook.close()
    sha = notebook_sha(db_path)
    assert run(db_path, "export", str(exported)) == 1
    err = capsys.readouterr().err
    assert err == (
        f"notebook-app: notes/Draft.md in {exported} changed since the last export; nothing "
        "was written (import the changes first, or --force to overwrite them)\n"
    )
    assert tree(exported) == before
    assert notebook_sha(db_path) == sha
    assert run(db_path, "export", str(exported), "--force") == 0
    capsys.readouterr()
    assert "second version" in draft.read_text(encoding="utf-8")


def test_an_edited_file_of_a_deleted_entry_is_kept(exported: Path, notebook: Notebook) -> None:
    draft = exported / "notes" / "Draft.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nmy addition", encoding="utf-8")
    call = exported / "meetings" / "Call.md"
    for entry in list(notebook.iter_entries()):
        if entry.title in ("Draft", "Call"):
            notebook.trash(entry.id)
            notebook.purge(entry.id)
    report = export_vault(select_entries(notebook), exported)
    assert report.kept_changed == ["notes/Draft.md"]
    assert report.removed == ["meetings/Call.md"]  # ours and unchanged: removed with its entry
    assert draft.read_text(encoding="utf-8").endswith("my addition")
    assert not call.exists()
    # The next export counts the kept file as the user's: it stays for good.
    assert export_vault(select_entries(notebook), exported).kept == ["notes/Draft.md"]
    assert draft.exists()


def test_re_exporting_rewrites_only_what_changed(exported: Path, notebook: Notebook) -> None:
    report = export_vault(select_entries(notebook), exported)
    assert (report.files, report.written, report.removed) == (3, 0, [])
    entry_id = next(e.id for e in notebook.iter_entries() if e.title == "Draft")
    notebook.update(entry_id, notebook.get(entry_id).version, title="Final")
    report = export_vault(select_entries(notebook), exported)
    assert (report.written, report.removed) == (1, ["notes/Draft.md"])
    assert sorted(p.name for p in (exported / "notes").iterdir()) == ["Final.md"]
    manifest = (exported / MANIFEST).read_text(encoding="utf-8")
    assert "  notes/Final.md\n" in manifest and "Draft.md" not in manifest


@pytest.mark.parametrize("failing_move", [1, 2, 3, 4, 5])
def test_an_error_half_way_leaves_the_folder_as_it_was(
    exported: Path, notebook: Notebook, monkeypatch: pytest.MonkeyPatch, failing_move: int
) -> None:
    (exported / "notes" / "user-written.md").write_text("mine", encoding="utf-8")
    # Changes of every sort: a new entry, an edited one, a deleted one.
    notebook.add(Entry(kind=Kind.NOTE, title="New one"))
    for entry in list(notebook.iter_entries()):
        if entry.title == "Draft":
            notebook.update(entry.id, entry.version, body="changed")
        if entry.title == "Call":
            notebook.trash(entry.id)
            notebook.purge(entry.id)
    before = tree(exported)
    real_rename = os.rename
    moves = []

    def rename(source: object, target: object) -> None:
        moves.append(source)
        if len(moves) == failing_move:
            raise OSError(28, "No space left on device", str(target))
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(export_folder.os, "rename", rename)
    with pytest.raises(ExportProblem, match="no space left on device") as raised:
        export_vault(select_entries(notebook), exported)
    assert str(raised.value).startswith(f"cannot export to {exported}: no space left on device")
    assert str(raised.value).endswith("; nothing was changed")
    assert "staging" not in str(raised.value)
    assert tree(exported) == before  # no staging folder left either


def test_a_cancelled_export_leaves_the_folder_as_it_was(exported: Path, notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="New one"))
    before = tree(exported)
    with pytest.raises(Exception, match="cancelled"):
        export_vault(select_entries(notebook), exported, lambda done, total, what: done < 2)
    assert tree(exported) == before


def test_an_error_in_a_new_folder_leaves_nothing(
    tmp_path: Path, notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(5):
        notebook.add(Entry(kind=Kind.NOTE, title=f"Note {index}"))
    real_write = export_folder._write_new
    writes = []

    def write(path: Path, data: bytes) -> None:
        writes.append(path)
        if len(writes) == 3:
            raise OSError(5, "Input/output error", str(path))
        real_write(path, data)

    monkeypatch.setattr(export_folder, "_write_new", write)
    with pytest.raises(ExportProblem, match="input/output error"):
        export_vault(select_entries(notebook), tmp_path / "vault")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert [name for name in left if not name.startswith("notebook.db")] == []


# --- export: anonymised -------------------------------------------------------------------------


@pytest.fixture
def people(notebook: Notebook) -> Notebook:
    notebook.add(Entry(kind=Kind.MEETING, title="Call with Alice Smith",
                       who="Alice Smith and Bob Jones",
                       body="Alice said Bob Jones should read it; we will see.",
                       action_items="- [ ] Bob: send the paper"))  # fmt: skip
    notebook.add(Entry(kind=Kind.MEETING, title="Sync", who="김철수, an eval researcher",
                       body="김철수는 agreed with An Eval Researcher."))  # fmt: skip
    notebook.add(Entry(kind=Kind.NOTE, title="Notes from Smith's talk",
                       body="Carol Danvers asked Alice Smith a question.",
                       tags=["people/alice-smith"]))  # fmt: skip
    return notebook


_NAMES = ["Alice", "Smith", "Bob", "Jones", "김철수", "eval researcher", "Carol", "Danvers"]


def test_anonymise_covers_every_name_in_a_folder_export(
    people: Notebook, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people.close()
    vault = tmp_path / "vault"
    args = ["export", str(vault), "--anonymise", "--anonymise-name", "Carol Danvers"]
    assert run(db_path, *args) == 0
    capsys.readouterr()
    text = "\n".join(p.read_text(encoding="utf-8") for p in vault.rglob("*.md"))
    text += " ".join(p.name for p in vault.rglob("*.md"))
    for name in _NAMES:
        assert name.casefold() not in text.casefold(), name
    assert "who: Person A and Person B" in text
    assert "Person A said Person B should read it; we will see." in text
    assert "Person C는 agreed with Person D." in text
    assert "Person E asked Person A a question." in text
    assert "- people/alice-smith" not in text


def test_anonymise_in_the_combined_document_is_consistent(people: Notebook) -> None:
    from notebook_app.core.formats.exporting import combined_document

    text = combined_document(
        select_entries(people), anonymise=True, anonymise_names=["Carol Danvers"]
    )
    for name in _NAMES:
        assert name.casefold() not in text.casefold(), name
    # One letter per person across the document: Alice is A in the meeting and in the note.
    assert "Person A said Person B" in text and "asked Person A a question" in text
    assert "Notes from Person A's talk" in text  # "Smith" alone is Alice Smith too
    assert "we will see" in text


def test_an_anonymised_export_never_overwrites_the_real_entries(
    people: Notebook, tmp_path: Path
) -> None:
    export_vault(select_entries(people), tmp_path / "vault", anonymise=True)
    plan = plan_import(people, tmp_path / "vault")
    assert len(plan.updates) == 0 and len(plan.new) == 3


def test_an_export_killed_half_way_is_reported_next_time(
    exported: Path, notebook: Notebook
) -> None:
    # What a kill -9 between two moves leaves: the staging folder, holding an original.
    leftover = exported / ".notebook-app-staging-0123456789abcdef"
    (leftover / ".replaced" / "notes").mkdir(parents=True)
    (leftover / ".replaced" / "notes" / "Old.md").write_text("the original")
    report = export_vault(select_entries(notebook), exported)
    assert report.interrupted == [leftover.name]
    assert any(leftover.name in line and "stopped half-way" in line for line in report.notices())
    assert (leftover / ".replaced" / "notes" / "Old.md").read_text() == "the original"


def test_an_export_killed_while_writing_its_copies_leaves_nothing_behind_next_time(
    exported: Path, notebook: Notebook
) -> None:
    # Killed before it moved anything of the folder aside (the longest part: writing every
    # file to its staging folder), an export leaves only its own copies, a hidden second
    # vault; the next export removes them instead of asking the user to look through them.
    leftover = exported / ".notebook-app-staging-0123456789abcdef"
    (leftover / "notes").mkdir(parents=True)
    (leftover / "notes" / "Copy.md").write_text("what that export wrote")
    report = export_vault(select_entries(notebook), exported)
    assert report.interrupted == [] and report.notices() == []
    assert not leftover.exists()


def test_an_export_into_a_new_folder_killed_half_way_leaves_nothing_behind_next_time(
    notebook: Notebook, tmp_path: Path
) -> None:
    # Into a folder that does not exist, the export stages beside it (.NAME.<16 hex>) and
    # renames that into place; killed before, it left the hidden copy in the parent for good.
    parent = tmp_path / "Documents"
    (parent / ".vault.0123456789abcdef" / "notes").mkdir(parents=True)
    (parent / ".vault.0123456789abcdef" / "notes" / "Copy.md").write_text("a copy")
    (parent / ".vault.mine").mkdir()  # not an export's name: left alone
    export_vault(select_entries(notebook), parent / "vault")
    assert sorted(p.name for p in parent.iterdir()) == [".vault.mine", "vault"]
