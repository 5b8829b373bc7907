"""``notebook-app attachments``: the files the notebook holds, and purging the unused ones.

    notebook-app attachments [--json]           each file: path, size, type, the entries naming it
    notebook-app attachments --purge-orphans [--dry-run]
                                                remove files no entry and no revision names

Listing opens the notebook for reading only; purging writes (after the daily backup, as every
writing command).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from notebook_app import cli_file
from notebook_app.core.api import Notebook
from notebook_app.core.storage import database


def add_commands(commands: Any) -> None:
    listing = commands.add_parser(
        "attachments", help="list the files notes use (images, PDFs...), or purge unused ones"
    )
    listing.add_argument("--json", action="store_true")
    listing.add_argument(
        "--purge-orphans", action="store_true",
        help="remove files that no entry (trashed ones included) and no revision names",
    )  # fmt: skip
    listing.add_argument(
        "--dry-run", action="store_true", help="with --purge-orphans: say what would go"
    )
    listing.set_defaults(file_handler=cmd_attachments)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def cmd_attachments(db_path: Path, args: argparse.Namespace) -> int:
    from notebook_app.core.api import list_attachments, purge_orphans

    if args.purge_orphans:
        if args.dry_run:
            with Notebook.open(database.existing_file(db_path), write=False) as notebook:
                report = purge_orphans(notebook, dry_run=True)
        else:
            with cli_file.open_for(db_path, args) as notebook:
                report = purge_orphans(notebook)
        if args.json:
            cli_file._print_json(
                {
                    "purged": report.files,
                    "blobs": report.blobs,
                    "bytes": report.bytes,
                    "dry_run": bool(args.dry_run),
                }  # fmt: skip
            )
        else:
            print(report.summary() + (" (dry run: nothing was changed)" if args.dry_run else ""))
            for path in report.files:
                print(f"  {path}")
        return 0
    with Notebook.open(database.existing_file(db_path), write=False) as notebook:
        found = list_attachments(notebook)
    if args.json:
        cli_file._print_json([info.to_json() for info in found])
        return 0
    if not found:
        print("no attachments")
    for info in found:
        users = ", ".join(title for _id, title in info.users) or (
            "(only in history)" if info.in_history else "(no entry: --purge-orphans removes it)"
        )
        print(f"{info.path}  {_size(info.size)}  {info.mime}  {users}")
    return 0
