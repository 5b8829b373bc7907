"""Two-way sync with a markdown folder (core/sync): each side's changes reach the other, both
changed keeps both, deletions trash, hostile files are passed over, nothing is lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.source_files import MAX_FILE_BYTES
from notebook_app.core.formats.vault_files import (
    FileRecord,
    content_hash,
    folder_root,
    record_files,
)
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync import files
from notebook_app.core.sync.engine import SyncProblem, sync_folder


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too) -> its text."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return found


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    # Modification times on some file systems are coarse: make every write visible.
    bump = time.time() + 0.01 * len(text)
    os.utime(target, (bump, bump))


def live(notebook: Notebook) -> dict[str, Entry]:
    return {e.title: e for e in notebook.iter_entries()}


def edit(notebook: Notebook, which: str, **changes: object) -> Entry:
    entry = live(notebook)[which]
    return notebook.update(entry.id, entry.version, **changes)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "vault"
    made.mkdir()
    return made


def test_a_first_sync_brings_both_sides_together_and_a_second_does_nothing(
    notebook: Notebook, folder: Path
) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="From the app", body="app body"))
    notebook.add(Entry(kind=Kind.TERM, title="Superposition", body="many features"))
    write(folder, "a.md", "---\npublish: true\n---\nHello #x\n")
    write(folder, "sub/b.md", "b body\n")
    report = sync_folder(notebook, folder)
    assert sorted(report.added) == ["a.md", "sub/b.md"]
    assert sorted(report.written) == ["glossary/Superposition.md", "notes/From the app.md"]
    entries = live(notebook)
    assert set(entries) == {"From the app", "Superposition", "a", "b"}
    assert entries["a"].tags == ["x"] and entries["b"].folder == "sub"
    assert "app body" in tree(folder)["notes/From the app.md"]
    before = tree(folder)
    again = sync_folder(notebook, folder)
    assert not again.changed and again.line().endswith("nothing to do")
    assert tree(folder) == before
    # A vault file comes back byte for byte: its properties are the file's.
    assert before["a.md"] == "---\npublish: true\n---\nHello #x\n"


def test_edits_on_either_side_reach_the_other(notebook: Notebook, folder: Path) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Mine", body="one"))
    write(folder, "theirs.md", "first\n")
    sync_folder(notebook, folder)
    edit(notebook, "Mine", body="two")
    write(folder, "theirs.md", "second\n")
    report = sync_folder(notebook, folder)
    assert report.updated == ["theirs.md"] and report.written == ["notes/Mine.md"]
    assert live(notebook)["theirs"].body == "second\n"
    assert tree(folder)["notes/Mine.md"].endswith("two")
    # The folder's edit kept the entry's earlier text in its history.
    history = notebook.history(live(notebook)["theirs"].id)
    assert any(revision.entry.body == "first\n" for revision in history)
    # An app entry's file edited in the folder updates it (its id is in the file).
    text = tree(folder)["notes/Mine.md"].replace("two", "three")
    write(folder, "notes/Mine.md", text)
    sync_folder(notebook, folder)
    assert live(notebook)["Mine"].body == "three"
    assert not sync_folder(notebook, folder).changed


def test_moves_and_renames_follow_the_files(notebook: Notebook, folder: Path) -> None:
    write(folder, "a.md", "alpha\n")
    notebook.add(Entry(kind=Kind.NOTE, title="App", body="app"))
    sync_folder(notebook, folder)
    ids = {title: e.id for title, e in live(notebook).items()}
    (folder / "deep").mkdir()
    os.rename(folder / "a.md", folder / "deep" / "renamed.md")
    os.rename(folder / "notes" / "App.md", folder / "deep" / "app-file.md")
    report = sync_folder(notebook, folder)
    assert sorted(report.moved) == [
        ("a.md", "deep/renamed.md"),
        ("notes/App.md", "deep/app-file.md"),
    ]
    entries = live(notebook)
    assert entries["renamed"].id == ids["a"] and entries["renamed"].folder == "deep"
    assert entries["App"].id == ids["App"]  # an app entry keeps its title (in its front matter)
    assert len(entries) == 2
    # A title changed in the app renames a vault entry's file in its folder.
    edit(notebook, "renamed", title="Better name")
    report = sync_folder(notebook, folder)
    assert "deep/Better name.md" in tree(folder) and "deep/renamed.md" not in tree(folder)
    assert report.removed == ["deep/renamed.md"]
    assert not sync_folder(notebook, folder).changed


def test_deletions_go_both_ways_and_an_edit_beats_a_deletion(
    notebook: Notebook, folder: Path
) -> None:
    for name in ("gone", "kept", "binned", "back"):
        write(folder, f"{name}.md", f"{name} body\n")
    sync_folder(notebook, folder)
    entries = live(notebook)
    (folder / "gone.md").unlink()  # deleted there, unchanged here: to the trash
    (folder / "kept.md").unlink()  # deleted there, edited here: written back
    edit(notebook, "kept", body="edited here\n")
    notebook.trash(entries["binned"].id)  # trashed here, unchanged there: file removed
    notebook.trash(entries["back"].id)  # trashed here, edited there: back from the trash
    write(folder, "back.md", "edited there\n")
    report = sync_folder(notebook, folder)
    assert report.trashed == ["gone.md"] and report.kept == ["kept.md"]
    assert report.removed == ["binned.md"] and report.restored == ["back.md"]
    now = live(notebook)
    assert set(now) == {"kept", "back"} and now["back"].body == "edited there\n"
    trashed = {e.title for e in notebook.iter_entries(include_trashed=True) if e.trashed}
    assert trashed == {"gone", "binned"}  # in the trash, never purged
    assert tree(folder) == {"kept.md": "edited here\n", "back.md": "edited there\n"}
    assert not sync_folder(notebook, folder).changed


def test_a_change_on_both_sides_keeps_both(notebook: Notebook, folder: Path) -> None:
    write(folder, "both.md", "base\n")
    sync_folder(notebook, folder)
    edit(notebook, "both", body="the notebook's\n")
    write(folder, "both.md", "the folder's\n")
    report = sync_folder(notebook, folder)
    assert len(report.conflicts) == 1
    path, copy = report.conflicts[0]
    assert path == "both.md" and copy.startswith("both.sync-conflict-") and copy.endswith(".md")
    files_now = tree(folder)
    assert files_now["both.md"] == "the notebook's\n"
    assert files_now[copy] == "the folder's\n"
    entry = live(notebook)["both"]
    assert entry.body == "the notebook's\n"
    assert any(r.entry.body == "the folder's\n" for r in notebook.history(entry.id))
    assert "conflict: both.md" in report.summary()
    # The copy is not read back as a note; it is named on every sync until it goes.
    again = sync_folder(notebook, folder)
    assert not again.changed and again.conflict_copies == [copy]
    assert len(live(notebook)) == 1


def test_both_sides_making_the_same_change_is_no_conflict(notebook: Notebook, folder: Path) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Same", body="x"))
    sync_folder(notebook, folder)
    edit(notebook, "Same", body="y")
    sync_folder(notebook, folder, dry_run=True)
    # What the notebook would write is already there (another machine wrote it).
    text = tree(folder)["notes/Same.md"]
    entry = live(notebook)["Same"]
    from notebook_app.core.formats.markdown_files import entry_to_markdown

    write(folder, "notes/Same.md", entry_to_markdown(entry))
    assert text != tree(folder)["notes/Same.md"]
    report = sync_folder(notebook, folder)
    assert not report.conflicts and not report.written


def test_a_dry_run_changes_nothing_on_either_side(notebook: Notebook, folder: Path) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="App", body="app"))
    write(folder, "a.md", "alpha\n")
    before_files = tree(folder)
    report = sync_folder(notebook, folder, dry_run=True)
    assert report.added == ["a.md"] and report.written == ["notes/App.md"]
    assert tree(folder) == before_files
    assert set(live(notebook)) == {"App"}
    assert notebook.conn.execute("SELECT count(*) FROM vault_files").fetchone()[0] == 0
    real = sync_folder(notebook, folder)
    assert real.added == report.added and real.written == report.written


def test_hostile_files_are_passed_over_and_never_trash_their_entries(
    notebook: Notebook, folder: Path, tmp_path: Path
) -> None:
    write(folder, "big.md", "small for now\n")
    write(folder, "piped.md", "a note\n")
    outside = tmp_path / "secret.md"
    outside.write_text("outside the folder\n")
    os.symlink(outside, folder / "link-out.md")
    os.symlink(folder / "loop.md", folder / "loop.md")
    sync_folder(notebook, folder)
    assert set(live(notebook)) == {"big", "piped"}
    # The recorded files become a huge file and a pipe: reported, entries untouched.
    with open(folder / "big.md", "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)
    os.utime(folder / "big.md", (time.time() + 5, time.time() + 5))
    (folder / "piped.md").unlink()
    os.mkfifo(folder / "piped.md")
    report = sync_folder(notebook, folder)
    skipped = dict(report.skipped)
    assert "too large" in skipped["big.md"] and "pipe" in skipped["piped.md"]
    assert "outside the folder" in skipped["link-out.md"] and "loop" in skipped["loop.md"]
    assert not report.trashed and set(live(notebook)) == {"big", "piped"}
    assert outside.read_text() == "outside the folder\n"  # never written through the link
    assert notebook.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_changed_while_the_sync_runs_is_left_for_the_next(folder: Path) -> None:
    target = folder / "x.md"
    target.write_text("what the sync read")
    read = files.content_hash(b"what the sync read")
    target.write_text("edited meanwhile")
    with pytest.raises(files.Changed):
        files.write_file(target, b"the notebook's", read)
    with pytest.raises(files.Changed):
        files.remove_file(target, read)
    with pytest.raises(files.Changed):  # a file appeared where a new one was to go
        files.write_file(target, b"new", None)
    assert target.read_text() == "edited meanwhile"
    assert [p.name for p in folder.iterdir()] == ["x.md"]  # no temporary file left


def test_importing_a_folder_then_syncing_it_changes_nothing(
    notebook: Notebook, folder: Path, tmp_path: Path
) -> None:
    write(folder, "a.md", "alpha\n")
    write(folder, "b/c.md", "---\nkind: book\n---\ngamma\n")
    apply_import(notebook, plan_import(notebook, folder))
    report = sync_folder(notebook, folder)
    assert not report.changed, report.summary()
    # Another folder: nothing there is read as deleted; the entries are written out.
    other = tmp_path / "other"
    other.mkdir()
    report = sync_folder(notebook, other)
    assert not report.trashed and sorted(report.written) == ["a.md", "b/c.md"]
    assert len(live(notebook)) == 2


def test_a_missing_folder_is_one_clear_problem(notebook: Notebook, tmp_path: Path) -> None:
    with pytest.raises(SyncProblem, match="no such folder; nothing was synced"):
        sync_folder(notebook, tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SyncProblem, match="not a folder"):
        sync_folder(notebook, tmp_path / "file")


def test_new_entries_never_take_a_file_the_folder_has(notebook: Notebook, folder: Path) -> None:
    sync_folder(notebook, folder)
    write(folder, "notes/Clash.md", "the user's own file\n")
    notebook.add(Entry(kind=Kind.NOTE, title="Clash", body="the app's"))
    report = sync_folder(notebook, folder)
    assert report.added == ["notes/Clash.md"]
    assert tree(folder)["notes/Clash.md"] == "the user's own file\n"
    assert any(path.startswith("notes/Clash (2)") for path in report.written)
    assert not sync_folder(notebook, folder).changed


def test_attachments_go_both_ways(notebook: Notebook, folder: Path) -> None:
    from notebook_app.core.attachments.store import list_attachments, read_blob, store_new_file

    (folder / "img").mkdir()
    (folder / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n first")
    write(folder, "note.md", "![[a.png]]\n")
    report = sync_folder(notebook, folder)
    assert report.files_added == ["img/a.png"]
    assert [a.path for a in list_attachments(notebook)] == ["img/a.png"]
    # A file pasted in the app reaches the folder.
    note = live(notebook)["note"]
    store_new_file(notebook, "pasted.png", b"\x89PNG\r\n\x1a\n pasted", note.id)
    report = sync_folder(notebook, folder)
    assert (folder / "pasted.png").read_bytes() == b"\x89PNG\r\n\x1a\n pasted"
    assert report.written == ["pasted.png"]
    # A file changed in the folder is changed in the notebook.
    (folder / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n second")
    os.utime(folder / "img" / "a.png", (time.time() + 5, time.time() + 5))
    assert sync_folder(notebook, folder).files_updated == ["img/a.png"]
    digest = next(a.sha256 for a in list_attachments(notebook) if a.path == "img/a.png")
    assert read_blob(notebook, digest) == b"\x89PNG\r\n\x1a\n second"
    # A file a note names, deleted in the folder, comes back: nothing is lost.
    edit(notebook, "note", body="![[a.png]] ![[pasted.png]]\n")
    sync_folder(notebook, folder)
    (folder / "pasted.png").unlink()
    sync_folder(notebook, folder)
    assert (folder / "pasted.png").is_file()
    assert not sync_folder(notebook, folder).changed


def test_nothing_is_written_through_a_link(
    notebook: Notebook, folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, folder / "notes")
    notebook.add(Entry(kind=Kind.NOTE, title="Secret", body="stays here"))
    report = sync_folder(notebook, folder)
    assert list(elsewhere.iterdir()) == []
    assert ("notes/Secret.md", "a link or a file on the way to it: not written") in report.skipped
    assert live(notebook)["Secret"].body == "stays here"


def test_another_folders_record_never_removes_a_file(
    notebook: Notebook, folder: Path, tmp_path: Path
) -> None:
    write(folder, "kept.md", "mine\n")
    apply_import(notebook, plan_import(notebook, folder))
    notebook.trash(live(notebook)["kept"].id)
    copy = tmp_path / "copy"
    copy.mkdir()
    write(copy, "kept.md", "mine\n")  # the same file in a folder never synced
    report = sync_folder(notebook, copy)
    assert (copy / "kept.md").read_text() == "mine\n" and not report.removed
    assert report.added == ["kept.md"] and set(live(notebook)) == {"kept"}


def test_a_link_inside_the_folder_and_an_odd_name_are_passed_over(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, "real.md", "the file\n")
    os.symlink(folder / "real.md", folder / "alias.md")
    (folder / "caf\udce9.md").write_bytes(b"latin-1 name\n")  # not UTF-8: \xe9
    report = sync_folder(notebook, folder)
    skipped = dict(report.skipped)
    assert skipped["alias.md"] == "a link inside the folder: not synced"
    assert skipped["caf\\xe9.md"] == "a name that is not UTF-8: not synced"
    assert report.added == ["real.md"] and len(live(notebook)) == 1
    edit(notebook, "real", body="edited here\n")
    sync_folder(notebook, folder)
    assert (folder / "real.md").read_text() == "edited here\n"
    assert os.path.islink(folder / "alias.md")  # the link is left as it was


def test_a_notebook_inside_its_folder_is_not_synced_into_itself(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    write(folder, "a.md", "alpha\n")
    with Notebook.open(folder / "notebook.db") as notebook:
        (folder / "backups").mkdir()
        (folder / "backups" / "notebook-daily.db").write_bytes(b"SQLite format 3\x00")
        report = sync_folder(notebook, folder)
        assert report.added == ["a.md"] and not report.files_added
        assert ("notebook.db", "the notebook itself: not synced") in report.skipped
        assert notebook.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"caf\xe9 latin-1\n", "not UTF-8 text (invalid byte 0xe9 at offset 3): not synced"),
        ("caf\xe9 in UTF-16\n".encode("utf-16"), "UTF-16 text, not UTF-8: not synced"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_text_in_another_encoding_is_left_as_it_is(
    notebook: Notebook, folder: Path, content: bytes, reason: str
) -> None:
    """An import reads such a file (with a warning); a sync, which would write it back in
    UTF-8, passes it over and leaves its bytes alone."""
    (folder / "old.md").write_bytes(content)
    write(folder, "new.md", "utf-8 text\n")
    report = sync_folder(notebook, folder)
    assert dict(report.skipped) == {"old.md": reason}
    assert report.added == ["new.md"] and set(live(notebook)) == {"new"}
    assert (folder / "old.md").read_bytes() == content
    sync_folder(notebook, folder)  # and again: still passed over, never trashed or rewritten
    assert (folder / "old.md").read_bytes() == content and set(live(notebook)) == {"new"}


def test_a_syncthing_conflict_copy_is_neither_imported_nor_trashed(
    notebook: Notebook, folder: Path
) -> None:
    # An import passes Syncthing's copies over as a sync does: no duplicate of the note.
    copy = "Notes.sync-conflict-20240101-101010-ABCDEFG.md"
    write(folder, "Notes.md", "mine\n")
    write(folder, copy, "theirs\n")
    plan = plan_import(notebook, folder)
    assert [(f.path, f.status) for f in plan.files if f.path == copy] == [(copy, "skipped")]
    apply_import(notebook, plan)
    assert set(live(notebook)) == {"Notes"}
    # A notebook whose earlier import read one as a note: the copy is still there, so its
    # entry is not "deleted in the folder", nor written out again under another name.
    stale = notebook.add(Entry(kind=Kind.NOTE, title=copy[:-3], body="theirs\n"))
    root = folder_root(folder)
    record_files(notebook.conn, [FileRecord(stale.id, copy, content_hash(b"theirs\n"), 1.0)], root)
    before = tree(folder)
    report = sync_folder(notebook, folder)
    assert report.trashed == [] and report.written == [] and report.conflict_copies == [copy]
    assert not notebook.get(stale.id).trashed and tree(folder) == before


def test_a_title_changed_here_reports_a_rename_not_a_file_of_the_trash(
    notebook: Notebook, folder: Path
) -> None:
    write(folder, "Projects/Plan.md", "the plan\n")
    sync_folder(notebook, folder)
    edit(notebook, "Plan", title="Plan v2")
    report = sync_folder(notebook, folder)
    assert report.lines() == [
        "renamed (its title changed here): Projects/Plan.md -> Projects/Plan v2.md"
    ]
    assert report.line().endswith(": 0 changes in, 1 file out, 0 conflicts")
    assert not notebook.get(live(notebook)["Plan v2"].id).trashed


def test_every_change_a_sync_takes_in_is_reported_once(notebook: Notebook, folder: Path) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Ours", body="app"))
    write(folder, "a/theirs.md", "vault\n")
    write(folder, "a/binned.md", "binned\n")
    sync_folder(notebook, folder)
    # The app's own file moved and edited in the folder: taken in, and said so (it was
    # "nothing to do", so the window did not reload the entry).
    text = (folder / "notes" / "Ours.md").read_text()
    (folder / "notes" / "Ours.md").unlink()
    write(folder, "b/Ours.md", text.replace("\napp", "\napp, edited there"))
    # A vault file moved in the folder while its entry was edited here.
    os.rename(folder / "a" / "theirs.md", folder / "theirs.md")
    edit(notebook, "theirs", body="vault, edited here\n")
    # Edited in the folder while in the trash here: restored, one change.
    notebook.trash(live(notebook)["binned"].id)
    write(folder, "a/binned.md", "binned, edited\n")
    report = sync_folder(notebook, folder)
    assert sorted(report.moved) == [("a/theirs.md", "theirs.md"), ("notes/Ours.md", "b/Ours.md")]
    assert report.updated == ["b/Ours.md"] and report.restored == ["a/binned.md"]
    assert report.line().startswith(f"synced {folder}: 4 changes in, 1 file out, 0 conflicts")
    assert live(notebook)["Ours"].body.startswith("app, edited there")
    assert (folder / "theirs.md").read_text() == "vault, edited here\n"


def test_a_title_no_file_name_can_hold_survives_an_edit_in_the_folder(
    notebook: Notebook, folder: Path
) -> None:
    # A vault note's title is its file's name; a title typed here that no name can hold (a
    # "/" or ":", a change of case only, a second "Notes" in the folder) gives the file the
    # nearest name, and an edit of that file in the folder kept the name's title instead.
    write(folder, "Plan.md", "plan\n")
    write(folder, "Notes.md", "notes\n")
    write(folder, "Other.md", "other notes\n")
    sync_folder(notebook, folder)
    edit(notebook, "Plan", title="Plan: why? a/b")
    edit(notebook, "Notes", title="notes")
    edit(notebook, "Other", title="Notes")
    sync_folder(notebook, folder)
    names = sorted(p.name for p in folder.rglob("*.md"))
    assert names == ["Notes (2).md", "Notes.md", "Plan- why- a-b.md"]
    for path in names:
        write(folder, path, (folder / path).read_text() + "edited there\n")
    sync_folder(notebook, folder)
    assert sorted(e.title for e in notebook.iter_entries()) == ["Notes", "Plan: why? a/b", "notes"]
    assert all(e.body.endswith("edited there\n") for e in notebook.iter_entries())
    # Renamed in the folder: the new name is the title.
    os.rename(folder / "Notes.md", folder / "Renamed.md")
    sync_folder(notebook, folder)
    assert "Renamed" in live(notebook)
