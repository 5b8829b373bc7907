"""Attachments: import from a vault in every syntax, stored once, exported byte-identical at
their paths, listed and purged from the command line, migrated from every earlier schema."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.attachments.references import references_in
from notebook_app.core.attachments.store import (
    Resolver,
    export_files,
    list_attachments,
    purge_orphans,
    resolve_data,
    store_new_file,
)
from notebook_app.core.errors import OperationCancelled
from notebook_app.core.formats.exporting import export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.markdown.renderer import MarkdownRenderer
from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage import migrations
from notebook_app.core.storage.notebook import Notebook
from tests.test_migrations import NAMES, make_database_at


def png(width: int, height: int, colour: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    """A tiny valid PNG, written byte by byte (no Qt needed in the core's tests)."""
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


FILES = {
    "img/x.png": png(3, 2),
    "sub/img/y.png": png(4, 4, (0, 255, 0)),
    "sub/img/x.png": png(3, 3, (1, 2, 3)),  # same name as img/x.png, another folder
    "with space.png": png(5, 5, (0, 0, 255)),
    "docs/paper.pdf": b"%PDF-1.4 a paper",
    "lonely.png": png(1, 1),
    "Attachments/café ü.png": png(2, 2, (9, 9, 9)),
}
NOTE_A = (
    "# A\n![[x.png]] and ![[x.png|300]] and [[paper.pdf]]\n![](img/x.png)\n"
    "![alt](<with space.png>)\n![](with%20space.png)\n![[gone.png]]\n`![[code.png]]`\n"
    "![[caf%C3%A9 ü.png]]\n```\n![[fenced.png]]\n```\n"
)
NOTE_B = (
    "# B\n![](img/y.png) ![[x.png]] ![[Another note]] ![](https://example.com/x.png)\n"
    "![](img/x.png)\n"
)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    # Named as their titles: a vault file's title is its name (formats/vault_files.py).
    (root / "A.md").write_text(NOTE_A, encoding="utf-8")
    (root / "sub" / "B.md").write_text(NOTE_B, encoding="utf-8")
    return root


def test_references_in_every_syntax() -> None:
    targets = [(r.target, r.embed, r.width) for r in references_in(NOTE_A)]
    assert targets == [
        ("x.png", True, None), ("x.png", True, 300), ("paper.pdf", False, None),
        ("img/x.png", True, None), ("with space.png", True, None),
        ("with space.png", True, None), ("gone.png", True, None), ("café ü.png", True, None),
    ]  # fmt: skip
    # A note's embed, a URL and code are not attachments.
    assert [r.target for r in references_in(NOTE_B)] == ["img/y.png", "x.png", "img/x.png"]
    assert references_in("![](../outside.png) ![](/etc/passwd) ![](file:///x.png)") == []


def test_import_resolves_like_obsidian_stores_once_and_reports(
    notebook: Notebook, vault: Path
) -> None:
    plan = plan_import(notebook, vault)
    summary = plan.summary()
    assert "missing: A.md: gone.png (no such file in the folder)" in summary
    assert "unreferenced attachment: lonely.png (imported all the same)" in summary
    assert "code.png" not in summary and "fenced.png" not in summary
    assert plan.ok
    apply_import(notebook, plan)
    found = {info.path: info for info in list_attachments(notebook)}
    assert set(found) == set(FILES)
    assert sorted(title for _id, title in found["img/x.png"].users) == ["A", "B"]
    # Relative to the note first: sub/B.md's img/y.png is sub/img/y.png.
    assert [title for _id, title in found["sub/img/y.png"].users] == ["B"]
    # The same relative path from the top is the top's img/x.png; ![[x.png]] (a bare name) is
    # the shortest path, img/x.png, from anywhere.
    assert [title for _id, title in found["sub/img/x.png"].users] == ["B"]
    assert found["lonely.png"].users == []
    assert found["docs/paper.pdf"].mime == "application/pdf"
    # x.png is named five times by two notes and stored once.
    count = notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert count == len(FILES)
    # Importing the same vault again changes nothing and reads no attachment again.
    again = plan_import(notebook, vault)
    assert again.attachments is not None
    assert {f.status for f in again.attachments.files} == {"unchanged"}
    assert all(f.data is None for f in again.attachments.files)


def test_same_bytes_under_two_names_are_one_blob(notebook: Notebook, tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    (root / "one.png").write_bytes(png(2, 2))
    (root / "two.png").write_bytes(png(2, 2))
    (root / "n.md").write_text("![[one.png]] ![[two.png]]")
    apply_import(notebook, plan_import(notebook, root))
    assert notebook.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2
    assert notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1


def test_an_import_that_fails_stores_no_attachment(notebook: Notebook, vault: Path) -> None:
    plan = plan_import(notebook, vault)
    assert plan.ok and plan.attachments is not None and plan.attachments.files

    def cancel_at_the_last_step(done: int, total: int, _what: str) -> bool:
        return done < total  # the last step comes after the attachments are stored

    with pytest.raises(OperationCancelled, match="nothing was imported"):
        apply_import(notebook, plan, cancel_at_the_last_step)
    assert notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    assert notebook.count_entries() == 0


def test_export_restores_them_byte_identical_at_their_paths(
    notebook: Notebook, vault: Path, tmp_path: Path
) -> None:
    apply_import(notebook, plan_import(notebook, vault))
    out = tmp_path / "out"
    export_vault(list(notebook.iter_entries()), out, attachments=export_files(notebook))
    for path, data in FILES.items():
        assert (out / path).read_bytes() == data, path
    # An export of one entry writes the files it names only.
    only_b = tmp_path / "only-b"
    b = next(e for e in notebook.iter_entries() if e.title == "B")
    export_vault([b], only_b, attachments=export_files(notebook, [b.id]))
    assert sorted(p.relative_to(only_b).as_posix() for p in only_b.rglob("*.png")) == [
        "img/x.png",
        "sub/img/x.png",
        "sub/img/y.png",
    ]
    # Into the earlier export: a new file in a new folder goes in; the user's own file at a
    # path an attachment wants is kept; an unchanged export writes nothing.
    store_new_file(notebook, "new.png", png(7, 7))
    notebook.conn.execute("UPDATE attachments SET path = 'deep/er/new.png' WHERE path = 'new.png'")
    (out / "lonely.png").unlink()
    (out / "lonely.png").write_bytes(b"the user's own")
    manifest = (out / ".notebook-app-export").read_text()
    (out / ".notebook-app-export").write_text(
        "\n".join(line for line in manifest.split("\n") if not line.endswith("  lonely.png"))
    )
    report = export_vault(list(notebook.iter_entries()), out, attachments=export_files(notebook))
    assert (out / "deep/er/new.png").read_bytes() == png(7, 7)
    assert (out / "lonely.png").read_bytes() == b"the user's own"
    assert "lonely.png" in report.kept
    report = export_vault(list(notebook.iter_entries()), out, attachments=export_files(notebook))
    assert report.written == 0


def test_history_does_not_copy_blobs_and_keeps_files_in_use(
    notebook: Notebook, vault: Path
) -> None:
    apply_import(notebook, plan_import(notebook, vault))
    size = notebook.conn.execute("SELECT sum(length(snapshot)) FROM entry_history").fetchone()[0]
    a = next(e for e in notebook.iter_entries() if e.title == "A")
    notebook.update(a.id, a.version, checkpoint=True, body="no pictures now")
    snapshots = notebook.conn.execute("SELECT snapshot FROM entry_history").fetchall()
    assert len(snapshots) == 1 and len(snapshots[0][0]) < 2000 and size is None
    assert notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == len(FILES)
    # Only the revision names paper.pdf and "with space.png" now: they are kept by a purge.
    report = purge_orphans(notebook)
    assert report.files == ["lonely.png"]
    infos = {i.path: i for i in list_attachments(notebook)}
    assert infos["docs/paper.pdf"].in_history and infos["docs/paper.pdf"].users == []


def test_purge_orphans_after_the_entry_is_purged(notebook: Notebook, vault: Path) -> None:
    apply_import(notebook, plan_import(notebook, vault))
    for entry in list(notebook.iter_entries()):
        notebook.trash(entry.id)
    # Trashed entries can come back: their files stay.
    assert purge_orphans(notebook).files == ["lonely.png"]
    for entry in list(notebook.iter_entries(include_trashed=True)):
        notebook.purge(entry.id)
    report = purge_orphans(notebook)
    assert len(report.files) == len(FILES) - 1
    assert notebook.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0


def test_store_new_file_names_and_resolves(notebook: Notebook) -> None:
    entry = notebook.add(Entry(kind=Kind.NOTE, title="n"))
    first = store_new_file(notebook, "p.png", png(2, 2), entry.id)
    same = store_new_file(notebook, "p.png", png(2, 2), entry.id)
    other = store_new_file(notebook, "p.png", png(3, 3), entry.id)
    assert (first.path, same.path, other.path) == ("p.png", "p.png", "p-2.png")
    resolver = Resolver(notebook)
    assert resolver.resolve("p-2.png", entry.id) == other
    assert resolver.resolve("P.PNG") == first  # case is ignored last, as on macOS and Windows
    assert resolver.resolve("nothing.png") is None


def test_cli_lists_and_purges(
    db_path: Path, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "import", str(vault)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "attachments", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    by_path = {item["path"]: item for item in listed}
    assert by_path["img/x.png"]["size"] == len(FILES["img/x.png"])
    assert by_path["img/x.png"]["mime"] == "image/png"
    assert sorted(u["title"] for u in by_path["img/x.png"]["entries"]) == ["A", "B"]
    assert main(["--db", str(db_path), "attachments", "--purge-orphans", "--dry-run"]) == 0
    assert "lonely.png" in capsys.readouterr().out
    assert main(["--db", str(db_path), "attachments"]) == 0
    assert "lonely.png" in capsys.readouterr().out
    assert main(["--db", str(db_path), "attachments", "--purge-orphans"]) == 0
    assert "purged 1 attachment" in capsys.readouterr().out
    assert main(["--db", str(db_path), "attachments", "--json"]) == 0
    assert "lonely.png" not in capsys.readouterr().out
    out = db_path.parent / "exported"
    assert main(["--db", str(db_path), "export", str(out)]) == 0
    assert (out / "with space.png").read_bytes() == FILES["with space.png"]


# Found by name: the step's number may change when other migrations land before it.
ATTACHMENTS_STEP = next(
    i for i, name in enumerate(migrations.migration_names()) if name.endswith("_attachments")
)


@pytest.mark.parametrize("version_index", range(ATTACHMENTS_STEP + 1))
def test_every_earlier_version_gets_the_attachment_tables(
    tmp_path: Path, vault: Path, version_index: int
) -> None:
    old = tmp_path / f"v{version_index}.db"
    make_database_at(old, version_index)
    with Notebook.open(old) as notebook:
        assert notebook.schema_version == len(NAMES)
        apply_import(notebook, plan_import(notebook, vault))
        assert len(list_attachments(notebook)) == len(FILES)
        if version_index >= 1:  # the entry that version held is still there
            assert notebook.get("9c1f0a52-0000-4000-8000-000000000001").title == "Superposition"


def test_an_unchanged_reimport_reads_nothing_and_keeps_the_files_in_use(
    notebook: Notebook, vault: Path
) -> None:
    # The vault's identity (path + hash) skips unchanged notes unparsed; their files, resolved
    # when they were read, are still theirs (not reported as unreferenced), and not read again.
    apply_import(notebook, plan_import(notebook, vault))
    again = plan_import(notebook, vault)
    assert again.attachments is not None
    assert {f.status for f in again.attachments.files} == {"unchanged"}
    assert all(f.data is None for f in again.attachments.files)
    assert again.attachments.unreferenced == ["lonely.png"]
    assert not again.new and not again.updates
    apply_import(notebook, again)
    found = {info.path: info for info in list_attachments(notebook)}
    assert sorted(title for _id, title in found["img/x.png"].users) == ["A", "B"]


def test_a_relative_image_resolves_from_the_entrys_folder(notebook: Notebook, vault: Path) -> None:
    # Written in the app (no import reference): ![](img/x.png) in an entry of folder "sub" is
    # sub/img/x.png, where export writes both the entry and the file.
    apply_import(notebook, plan_import(notebook, vault))
    b = next(e for e in notebook.iter_entries() if e.title == "B")
    assert b.folder == "sub"
    notebook.conn.execute("DELETE FROM attachment_refs")
    found = Resolver(notebook).resolve("img/x.png", b.id)
    assert found is not None and found.path == "sub/img/x.png"
    assert Resolver(notebook).resolve("img/x.png").path == "img/x.png"  # type: ignore[union-attr]


def test_a_logseq_image_up_from_the_pages_folder_is_the_pages_own(
    notebook: Notebook, tmp_path: Path
) -> None:
    # Logseq writes every image as ../assets/NAME from pages/ and journals/: the vault's
    # assets/NAME, named by the page (not "unreferenced", never purged, exported with it).
    graph = tmp_path / "graph"
    (graph / "assets").mkdir(parents=True)
    (graph / "pages").mkdir()
    (graph / "assets" / "image_1.png").write_bytes(png(2, 2))
    (graph / "pages" / "sae.md").write_text(
        "tags:: ml\n\n- a block\n  - ![image.png](../assets/image_1.png)\n- ![](../../out.png)\n"
    )
    plan = plan_import(notebook, graph)
    assert plan.attachments is not None and plan.attachments.unreferenced == []
    apply_import(notebook, plan)
    (info,) = list_attachments(notebook)
    assert [title for _id, title in info.users] == ["sae"]
    assert purge_orphans(notebook, dry_run=True).files == []
    page = next(notebook.iter_entries())
    out = tmp_path / "out"
    export_vault([page], out, attachments=export_files(notebook, [page.id]))
    assert (out / "assets" / "image_1.png").read_bytes() == png(2, 2)
    # The preview shows it: the page's HTML names it by the app's scheme, and that name
    # resolves, from the page's folder, to the stored file.
    html = MarkdownRenderer().render(page.body).html
    assert 'src="attachment:../assets/image_1.png"' in html
    shown = resolve_data(notebook, "../assets/image_1.png", page.id)
    assert shown is not None and shown[1] == png(2, 2)
    assert resolve_data(notebook, "../../out.png", page.id) is None
    # Up past the top of the vault is never a file of it, from any folder.
    assert references_in("![](../x.png)", "pages") != []
    assert references_in("![](../../x.png) ![](../pages/../../x.png)", "pages") == []
    assert references_in("![](../x.png)") == []
