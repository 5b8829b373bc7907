"""The command line's sync command (``__init__.py`` joins every part).

    notebook-app sync DIR [--dry-run]    make the notebook and a markdown folder agree

A sync writes (after the daily backup, as every writing command); a dry run only reads. The
first line printed is the result in one line, then one line per change and oddity.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from notebook_app.cli.parsing import Command, Parser
from notebook_app.core.api import Notebook


def sync_arguments(parser: Parser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the folder of notes (.md, .txt)")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what a sync would do; change nothing"
    )


def folder_unsyncable(args: argparse.Namespace) -> str | None:
    from notebook_app.core.api import unsyncable_folder

    return unsyncable_folder(Path(args.folder).expanduser())


def cmd_sync(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import sync_folder

    report = sync_folder(notebook, args.folder, dry_run=bool(args.dry_run))
    print(report.summary())
    if args.dry_run:
        print("(dry run: nothing was changed)")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("sync", "two-way sync with a markdown folder (changes both ways, conflicts kept)",
            cmd_sync, sync_arguments, lambda args: not args.dry_run, refused=folder_unsyncable),
)  # fmt: skip
