"""The command line's attachments command (``__init__.py`` joins every part).

    notebook-app attachments [--json]           each file: path, size, type, the entries naming it
    notebook-app attachments --purge-orphans [--dry-run] [--json]
                                                remove files no entry and no revision names

Listing and a dry run only read; purging writes (after the daily backup, as every writing
command).
"""

from __future__ import annotations

import argparse

from notebook_app.cli.parsing import Command, Parser, add_json, print_json
from notebook_app.core.api import Notebook


def attachments_arguments(parser: Parser) -> None:
    parser.add_argument(
        "--purge-orphans", action="store_true",
        help="remove files that no entry (trashed ones included) and no revision names",
    )  # fmt: skip
    parser.add_argument(
        "--dry-run", action="store_true", help="with --purge-orphans: say what would go"
    )
    add_json(parser, "a JSON array of files (with --purge-orphans: one object)")


def purges(args: argparse.Namespace) -> bool:
    return bool(args.purge_orphans and not args.dry_run)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def dry_run_alone(args: argparse.Namespace) -> str | None:
    """``--dry-run`` without ``--purge-orphans`` would list the files and say nothing of it."""
    if args.dry_run and not args.purge_orphans:
        return "--dry-run goes with --purge-orphans (the list alone changes nothing)"
    return None


def cmd_attachments(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import list_attachments, purge_orphans

    if args.purge_orphans:
        report = purge_orphans(notebook, dry_run=bool(args.dry_run))
        if args.json:
            print_json(
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
    found = list_attachments(notebook)
    if args.json:
        print_json([info.to_json() for info in found])
        return 0
    if not found:
        print("no attachments")
    for info in found:
        users = ", ".join(title for _id, title in info.users) or (
            "(only in history)" if info.in_history else "(no entry: --purge-orphans removes it)"
        )
        print(f"{info.path}  {_size(info.size)}  {info.mime}  {users}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("attachments", "list the files notes use (images, PDFs...), or purge unused ones",
            cmd_attachments, attachments_arguments, purges, creates=False,
            missing=dry_run_alone),
)  # fmt: skip
