"""The command line's part about the notebook file itself (``__init__.py`` joins every part).

Which commands may create or write the notebook (only a missing path becomes one, only for a
command that writes, only in an existing folder unless ``--create``), the daily backup before
writing, and the commands on the file: ``check``, ``recover``, ``backups``, ``restore-backup``.
The package's ``run`` opens every notebook through :func:`open_for` and reports every error
through :func:`problem_line`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from notebook_app.cli.parsing import Command, Parser, add_json, always, print_json
from notebook_app.core.api import NoNotebookError, Notebook, NotebookError, explain_error


def check_arguments(parser: Parser) -> None:
    add_json(parser, "one JSON object")


def recover_arguments(parser: Parser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT", help="the new notebook to write")


def restore_backup_arguments(parser: Parser) -> None:
    parser.add_argument("name", metavar="NAME|latest", help="a backup's name (see backups)")


def _default_place(args: argparse.Namespace) -> bool:
    """The user data directory is the app's own: its folders are made when missing."""
    return args.db is None and not os.environ.get("NOTEBOOK_APP_DB")


def open_for(
    db_path: Path, args: argparse.Namespace, *, writes: bool, creates: bool = True
) -> Notebook:
    """Open the notebook as the command needs: reading, or writing after the daily backup.

    ``writes``: whether this call may write (its :class:`Command`'s ``writes(args)``); only
    then, and if the command ``creates``, may a missing notebook be created.
    """
    existed = db_path.exists()
    creates = writes and creates
    try:
        notebook = Notebook.open(
            db_path,
            write=writes,
            create=creates,
            create_folders=bool(args.create) or _default_place(args),
        )
    except NoNotebookError as error:
        # The hint only where --create can help: not given yet, and no file where a folder
        # would have to be made.
        blocked = any(parent.is_file() for parent in db_path.parents)
        if creates and not db_path.parent.is_dir() and not args.create and not blocked:
            raise NoNotebookError(f"{error}; --create makes it") from None
        raise
    if writes and existed:
        try:
            _back_up_before_writing(db_path, args)
        except BaseException:
            notebook.close()
            raise
    return notebook


def _back_up_before_writing(db_path: Path, args: argparse.Namespace) -> None:
    """Before an import, a backup (none, no import); before other writes, the daily one."""
    from notebook_app.core.api import (
        Backup,
        backup_before,
        backup_if_due,
        backups_folder,
        refuse_if_damaged,
    )

    made: Backup | None
    folder = backups_folder(db_path)
    if args.command == "import":
        try:
            made = backup_before(db_path, "import")
        except OSError as error:
            raise NotebookError(
                f"no backup could be made in {folder} before importing "
                f"({error.strerror or error}); nothing was imported"
            ) from None
    else:
        try:
            made = backup_if_due(db_path)
        except OSError as error:  # a capture still goes in: say so, once
            print(
                f"notebook-app: no daily backup made in {folder} ({error.strerror or error})",
                file=sys.stderr,
            )
            made = None
    if made is not None and made.damaged:
        refuse_if_damaged(db_path)  # the copy showed damage: write nothing


def refuse_window_path(db_path: Path, args: argparse.Namespace) -> None:
    """The window writes: a missing notebook is made only in an existing folder (or --create)."""
    if any(parent.is_file() for parent in db_path.parents):
        raise NoNotebookError(f"no notebook at {db_path} (a part of the path is a file)")
    if db_path.exists() or args.create or _default_place(args) or db_path.parent.is_dir():
        return
    raise NoNotebookError(
        f"no notebook at {db_path}, and its folder {db_path.parent} does not exist; "
        "--create makes it"
    )


def cmd_check(db_path: Path, args: argparse.Namespace) -> int:
    from notebook_app.core.api import check_notebook

    report = check_notebook(db_path)
    if args.json:
        print_json(report.to_json())
    elif report.sound:
        entries = f"{report.entries} {'entry' if report.entries == 1 else 'entries'}"
        print(f"{db_path} is sound: {entries}; checked {', '.join(report.checked)}")
    else:
        for problem in report.problems:
            print(problem)
    if report.sound:
        return 0
    print(
        f"notebook-app: {db_path} is damaged ({len(report.problems)} "
        f"{'problem' if len(report.problems) == 1 else 'problems'}); copy out what "
        f"can be read: notebook-app --db {db_path} recover NEW.db",
        file=sys.stderr,
    )
    return 1


def cmd_recover(db_path: Path, args: argparse.Namespace) -> int:
    from notebook_app.core.api import recover_notebook

    report = recover_notebook(db_path, args.out)
    for line in report.lines():
        print(line)
    return 0


def cmd_backups(db_path: Path, args: argparse.Namespace) -> int:
    from notebook_app.core.api import backups_folder, list_backups

    found = list_backups(db_path)
    if args.json:
        print_json([backup.to_json() for backup in found])
        return 0
    if not found:
        print(f"no backups in {backups_folder(db_path)}")
    for backup in found:
        when = backup.time.strftime("%Y-%m-%d %H:%M UTC")
        print(f"{backup.name}  {when}  {backup.reason}  {backup.size / 1e6:.1f} MB")
    return 0


def cmd_restore_backup(db_path: Path, args: argparse.Namespace) -> int:
    from notebook_app.core.api import find_backup, restore_backup

    backup = find_backup(db_path, args.name)
    aside = restore_backup(db_path, backup)  # refuses an odd or read-only file in its place
    kept = f"; the notebook as it was is kept in {aside}" if aside is not None else ""
    print(f"restored {backup.name} into {db_path}{kept}")
    return 0


def problem_line(error: Exception, db_path: Path) -> str:
    """One line for an error the commands did not expect; damage is remembered."""
    error = explain_error(error, db_path)
    if isinstance(error, NotebookError):
        return str(error).replace("\n", " ")
    return (
        f"unexpected {type(error).__name__}: {error} "
        f"(if it persists, see whether the notebook is damaged: notebook-app --db {db_path} check)"
    )


COMMANDS: tuple[Command, ...] = (
    Command("check", "check the notebook file for damage", None, check_arguments,
            run_on_file=cmd_check),
    Command("recover", "copy every readable entry, tag and revision into a new notebook OUT",
            None, recover_arguments, run_on_file=cmd_recover),
    Command("backups", "list the notebook's backups", None, add_json, run_on_file=cmd_backups),
    Command("restore-backup", "put a backup in place of the notebook (the current one kept "
            "aside)", None, restore_backup_arguments, always, run_on_file=cmd_restore_backup),
)  # fmt: skip
