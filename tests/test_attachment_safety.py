"""Attachments in the notebook file's safety: recover copies them (only bytes that still match
their hash), check verifies every stored file's hash, and ``[[paper.pdf]]`` is a reference to
a file, not a link that resolves to nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.attachments.store import list_attachments
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.storage import migrations
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.storage.recover import recover_notebook
from tests.test_attachments import png
from tests.test_migrations import NAMES, make_database_at


@pytest.fixture
def with_files(tmp_path: Path, db_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / "img").mkdir(parents=True)
    (vault / "img" / "red.png").write_bytes(png(2, 2))
    (vault / "paper.pdf").write_bytes(b"%PDF-1.4 a paper")
    (vault / "note.md").write_text("![[red.png]] and [[paper.pdf]] and [[Elsewhere]]\n")
    with Notebook.open(db_path) as notebook:
        apply_import(notebook, plan_import(notebook, vault))
    return db_path


def test_recover_copies_attachments_and_vault_records(with_files: Path, tmp_path: Path) -> None:
    out = tmp_path / "recovered.db"
    report = recover_notebook(with_files, out)
    assert report.complete and report.copied["blobs"] == 2 and report.copied["attachments"] == 2
    assert report.copied["attachment_refs"] == 2 and report.copied["vault_files"] == 1
    with Notebook.open(with_files) as before, Notebook.open(out) as after:
        assert [(a.path, a.sha256, a.users) for a in list_attachments(after)] == [
            (a.path, a.sha256, a.users) for a in list_attachments(before)
        ]
        record = "SELECT path, hash, root FROM vault_files"
        assert after.conn.execute(record).fetchall() == before.conn.execute(record).fetchall()


def _spoil_a_blob(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE blobs SET data = x'00112233' WHERE mime = 'image/png'")
    conn.commit()
    conn.close()


def test_recover_leaves_out_a_file_whose_bytes_no_longer_match(
    with_files: Path, tmp_path: Path
) -> None:
    _spoil_a_blob(with_files)
    report = recover_notebook(with_files, tmp_path / "recovered.db")
    assert report.copied["blobs"] == 1 and report.copied["attachments"] == 1
    assert "left out 1 stored file, damaged" in report.lines()
    with Notebook.open(tmp_path / "recovered.db") as after:
        assert [a.path for a in list_attachments(after)] == ["paper.pdf"]


def test_check_verifies_every_stored_files_hash(
    with_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(with_files), "check", "--json"]) == 0
    assert "attachments" in json.loads(capsys.readouterr().out)["checked"]
    _spoil_a_blob(with_files)
    assert main(["--db", str(with_files), "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == ["the attachment img/red.png does not match its hash (damaged)"]


def test_a_link_to_a_file_is_no_unresolved_entry_link(with_files: Path) -> None:
    with Notebook.open(with_files) as notebook:
        rows = notebook.conn.execute("SELECT target_text, target FROM links").fetchall()
    assert rows == [("Elsewhere", None)]  # the note link only: not red.png, not paper.pdf


def test_the_migration_drops_file_links_an_earlier_version_stored(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    make_database_at(old, NAMES.index("0009_sync_root"))
    conn = sqlite3.connect(old)
    conn.execute(
        "INSERT INTO links (source, position, length, target_text, target_key) VALUES "
        "(1, 0, 13, 'paper.pdf', 'paper.pdf'), (1, 20, 9, 'v1.10', 'v1.10')"
    )
    conn.commit()
    conn.close()
    with Notebook.open(old) as notebook:
        assert migrations.schema_version(notebook.conn) >= 9
        rows = notebook.conn.execute("SELECT target_text FROM links").fetchall()
    assert rows == [("v1.10",)]
