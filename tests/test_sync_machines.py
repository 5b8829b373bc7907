"""Sync on the command line, and two machines (two notebooks) sharing one folder through git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook
from notebook_app.core.sync.engine import sync_folder


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "notebook_app", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip


def test_the_sync_command_keeps_the_command_line_contract(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "a.md").write_text("alpha\n")
    refused = cli(db, "sync", str(folder), "--dry-run")
    assert refused.returncode == 1 and not db.exists()  # a dry run never makes a notebook
    assert cli(db, "capture", "From the app").returncode == 0
    dry = cli(db, "sync", str(folder), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0].startswith("would sync") and "new entry: a.md" in dry.stdout
    assert "wrote: notes/From the app.md" in dry.stdout
    assert sorted(os.listdir(folder)) == ["a.md"]  # a dry run writes nothing
    done = cli(db, "sync", str(folder))
    assert done.returncode == 0 and done.stdout.startswith("synced")
    assert "nothing to do" in cli(db, "sync", str(folder)).stdout
    missing = cli(db, "sync", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "no such folder" in missing.stderr
    usage = cli(db, "sync")
    assert usage.returncode == 2 and usage.stderr.startswith("notebook-app:")
    assert "Traceback" not in missing.stderr + usage.stderr


GIT = shutil.which("git")


def git(where: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def round_of(notebook: Notebook, clone: Path, message: str) -> None:
    """What the README tells each machine to do: pull, sync, commit, push."""
    git(clone, "pull", "--quiet", "--no-rebase", "origin", "main")
    sync_folder(notebook, clone)
    git(clone, "add", "--all")
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "--quiet", "-m", message)
    git(clone, "push", "--quiet", "origin", "main")


def titles(notebook: Notebook) -> dict[str, str]:
    return {e.title: e.body.strip() for e in notebook.iter_entries()}


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_two_machines_share_a_notebook_through_one_git_repository(tmp_path: Path) -> None:
    hub = tmp_path / "hub.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(hub))
    first, second = tmp_path / "laptop", tmp_path / "desktop"
    for clone in (first, second):
        git(tmp_path, "clone", "--quiet", str(hub), str(clone))
        git(clone, "checkout", "--quiet", "-B", "main")
    # The first commit holds a hidden file: any .md or .txt file of the folder is a note.
    (first / ".gitignore").write_text("*.tmp\n")
    git(first, "add", ".gitignore")
    git(first, "commit", "--quiet", "-m", "start")
    git(first, "push", "--quiet", "origin", "main")
    with (
        Notebook.open(tmp_path / "laptop.db") as laptop,
        Notebook.open(tmp_path / "desktop.db") as desktop,
    ):
        laptop.add(Entry(kind=Kind.NOTE, title="Paper", body="read on the laptop"))
        round_of(laptop, first, "laptop")
        round_of(desktop, second, "desktop")
        assert titles(desktop) == {"Paper": "read on the laptop"}
        # Edits on each machine, one after the other, reach the other.
        paper = next(desktop.iter_entries())
        desktop.update(paper.id, paper.version, body="read on the laptop, noted on the desktop")
        desktop.add(Entry(kind=Kind.TERM, title="Probe", body="a classifier on activations"))
        round_of(desktop, second, "desktop")
        round_of(laptop, first, "laptop")
        assert titles(laptop) == {
            "Paper": "read on the laptop, noted on the desktop",
            "Probe": "a classifier on activations",
        }
        # Both machines edit the same entry before syncing: both versions are kept.
        for notebook, words in ((laptop, "laptop's take"), (desktop, "desktop's take")):
            probe = next(e for e in notebook.iter_entries() if e.title == "Probe")
            notebook.update(probe.id, probe.version, body=words)
        round_of(laptop, first, "laptop")
        round_of(desktop, second, "desktop")  # meets the laptop's version: a conflict
        round_of(laptop, first, "laptop")
        assert titles(desktop)["Probe"] == titles(laptop)["Probe"] == "desktop's take"
        copies = [p for p in os.listdir(first / "glossary") if "sync-conflict" in p]
        assert len(copies) == 1
        assert "laptop's take" in (first / "glossary" / copies[0]).read_text()
        # Deleting on one machine trashes on the other (never purges).
        paper = next(e for e in laptop.iter_entries() if e.title == "Paper")
        laptop.trash(paper.id)
        round_of(laptop, first, "laptop")
        round_of(desktop, second, "desktop")
        assert "Paper" not in titles(desktop)
        assert any(e.title == "Paper" for e in desktop.iter_entries(include_trashed=True))
        # Both sides now agree, and another round changes nothing anywhere.
        before = git(first, "rev-parse", "HEAD")
        round_of(laptop, first, "laptop")
        round_of(desktop, second, "desktop")
        round_of(laptop, first, "laptop")
        assert git(first, "rev-parse", "HEAD") == before
        assert titles(laptop) == titles(desktop)
