"""The ``notebook-app`` command line: a contract scripts and tests rely on.

    notebook-app [--db PATH]                      open the window
    notebook-app capture [--kind K] [--tag T]... [TEXT | - | --window]
    notebook-app list [--kind K] [--tag T]... [--sort S] [--limit N|all] [--json]
    notebook-app search QUERY... [--limit N|all] [--json]
    notebook-app show ID [--json]
    notebook-app tags [--json]
    notebook-app trash [ID] [--limit N|all] [--json]   move ID to the trash, or list the trash
    notebook-app restore ID | purge ID
    notebook-app history ID [--restore REVISION] [--json]
    notebook-app tag-rename OLD NEW
    notebook-app import PATH [--dry-run]
    notebook-app export [DIR] [--combined FILE] [--bibtex FILE] [--anki FILE.apkg]
                        [--kind K] [--tag T]... [--query Q] [--force]
                        [--anonymise] [--anonymise-name NAME]...
    notebook-app check [--json] | recover OUT | backups [--json] | restore-backup NAME|latest
    notebook-app move ID --before ID2 | --after ID2 | --position N
    notebook-app due [--limit N|all] [--json] | review-log ID [--json] | review
    notebook-app suspend ID | unsuspend ID
    notebook-app stats [--until DAY] [--weeks N] [--day DAY] [--json]
    notebook-app related ID [--limit N|all] [--json]
    notebook-app backlinks ID [--limit N|all] [--json] | terms-used ID [--json]
    notebook-app undefined [--limit N|all] [--min-entries N] [--json]
    notebook-app sync DIR [--dry-run]

Every option, ``--db PATH`` and ``--create`` included, may come before or after the command;
after the command, anything that is not one of its options is an operand, so ``search -survey``
searches for entries without "survey" (and after ``--`` everything is an operand). A bad value
is one line on standard error and exit status 1; a usage error one line and status 2; never a
traceback. IDs may be abbreviated to a unique prefix of four characters or more.

A command is one :class:`Command` in :data:`COMMANDS`: its name, its help, the function that
declares its arguments, the function that runs it, and whether it writes to the notebook (the
one place that says so: a reading call never creates or backs up a notebook). The rows come
from the package's modules, one per part of the command line:

- ``commands.py``: the core commands (capture, list, search, show, ..., import, export);
- ``notebook_file.py``: the notebook file itself (check, recover, backups, restore-backup) and
  how a notebook is opened for a command (:func:`notebook_file.open_for`);
- ``learning.py``: glossary order and reviews (move, due, review-log, suspend, unsuspend);
- ``papers.py``: reading stats and related entries (stats, related);
- ``links.py``: backlinks, terms-used, undefined;
- ``attachments.py``: attachments;
- ``sync.py``: two-way sync with a markdown folder;
- ``parsing.py``: the parser, the order of words, the values options take;
- ``window.py``: opening the window, the capture box or the review window.

This module joins the rows and runs the command line (:func:`main`, the console script).
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from notebook_app.cli import (
    attachments,
    commands,
    learning,
    links,
    notebook_file,
    papers,
    sync,
)
from notebook_app.cli.parsing import (
    PROG,
    Command,
    Parser,
    UsageError,
    build_command_parser,
    normalise_argv,
    usage_message,
)
from notebook_app.cli.window import open_window
from notebook_app.core.api import Notebook, NotebookError, default_database_path

# Every command, in the order --help lists them.
COMMANDS: tuple[Command, ...] = (
    *commands.COMMANDS,
    *notebook_file.COMMANDS,
    *learning.COMMANDS,
    *papers.COMMANDS,
    *links.COMMANDS,
    *attachments.COMMANDS,
    *sync.COMMANDS,
)


def build_parser(table: Sequence[Command] | None = None) -> Parser:
    """The parser of every command in :data:`COMMANDS` (or of ``table``)."""
    return build_command_parser(COMMANDS if table is None else table)


# --- main --------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Every message is one line, whatever the error's text holds."""
    return " ".join(text.split()) or "unknown error"


def open_notebook(db_path: Path, args: argparse.Namespace, command: Command) -> Notebook:
    """The notebook ``command`` works on. Whether this call may write it (so create it, and
    back it up first) is ``command.writes(args)``: the one place that says so."""
    return notebook_file.open_for(
        db_path, args, writes=command.writes(args), creates=command.creates
    )


def run(argv: Sequence[str]) -> int:
    if not argv or (len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-")):
        # The window's start: no need to build every command's parser (start-up time).
        args = argparse.Namespace(db=Path(argv[1]) if argv else None, create=False, command=None)
        return _run(args, None)
    parser = build_parser()
    args, extra = parser.parse_known_args(normalise_argv(parser, argv))
    if extra:
        # Reported here rather than by argparse, which names neither the command nor its help.
        prog = f"{PROG} {args.command}" if args.command else PROG
        unexpected = " ".join(word for word in extra if word != "--")
        raise UsageError(usage_message(prog, f"unrecognized arguments: {unexpected}"))
    command: Command | None = getattr(args, "command_spec", None)
    missing = command.missing(args) if command is not None and command.missing else None
    if command is not None and missing is not None:
        raise UsageError(usage_message(f"{PROG} {command.name}", missing))
    return _run(args, command)


def _run(args: argparse.Namespace, command: Command | None) -> int:
    db_path: Path = args.db if args.db is not None else default_database_path()
    try:
        if command is None:
            notebook_file.refuse_window_path(db_path, args)
            return open_window(db_path)
        if command.run_on_file is not None:
            return command.run_on_file(db_path, args)
        assert command.run is not None, f"{command.name} has nothing to run"
        refused = command.refused(args) if command.refused is not None else None
        if refused is not None:
            raise NotebookError(refused)
        with open_notebook(db_path, args, command) as notebook:
            return command.run(notebook, args)
    except (BrokenPipeError, KeyboardInterrupt, OutputError):
        raise
    except (NotebookError, sqlite3.Error) as error:
        raise NotebookError(notebook_file.problem_line(error, db_path)) from error
    except OSError as error:
        where = error.filename or db_path
        raise NotebookError(f"{error.strerror or error}: {where}") from error
    except Exception as error:  # never a traceback (NOTEBOOK_APP_DEBUG=1 shows it)
        if os.environ.get("NOTEBOOK_APP_DEBUG"):
            raise
        raise NotebookError(notebook_file.problem_line(error, db_path)) from error


class OutputError(Exception):
    """Standard output cannot be written (a full disk, /dev/full): not the notebook's fault."""


# Control characters a terminal would obey (ESC starts sequences that clear the screen, set its
# title, move the cursor; CR overwrites the line), as they may come in an imported note's title
# or body. Tab and line feed stay.
_CONTROLS = {
    code: "\N{REPLACEMENT CHARACTER}"
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]
    if code not in (0x09, 0x0A)
}


class _Output:
    """Standard output, whose failures to write (a full disk, /dev/full) are OutputError: an
    OSError there has no file name, and was reported as the notebook's own. On a terminal, the
    control characters a note holds are shown as \N{REPLACEMENT CHARACTER}, not obeyed (a script
    reading a pipe or a file gets the text as stored)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffer = _Output(stream.buffer) if hasattr(stream, "buffer") else None
        try:
            self.terminal = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.terminal = False

    def _do(self, call: Callable[[], int | None]) -> int | None:
        try:
            return call()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.strerror or str(error)) from error

    def write(self, data: Any) -> int | None:
        if self.terminal and isinstance(data, str):
            data = data.translate(_CONTROLS)
        return self._do(lambda: self.stream.write(data))

    def flush(self) -> None:
        self._do(self.stream.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _run_writing_output(argv: Sequence[str]) -> int:
    """``run``, with standard output written (flushed) before the exit status is known."""
    real = sys.stdout
    if real is not None:
        sys.stdout = _Output(real)  # type: ignore[assignment]
    try:
        code = run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    finally:
        sys.stdout = real


def main(argv: Sequence[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A title the terminal's encoding cannot show (an emoji under Latin-1) is a "?" there,
        # not an error halfway through a listing. JSON is written as UTF-8 (print_json).
        sys.stdout.reconfigure(errors="replace")
    if sys.stderr is None:
        # Started with standard error closed (`2>&-`): print(file=None) would write the
        # messages to standard output, into the ids or the JSON a script reads there.
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    try:
        return _run_writing_output(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else 0
    except UsageError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except NotebookError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OutputError as error:
        _output_to_devnull()  # so the interpreter's last flush does not fail again
        print(f"{PROG}: cannot write the output ({error})", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`notebook-app list | head`): not an error worth a message.
        _output_to_devnull()  # so the interpreter's final flush does not complain
        return 0
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        what = _one_line(f"{type(error).__name__}: {error}")
        print(f"{PROG}: unexpected error ({what}); please report it", file=sys.stderr)
        return 1


def _output_to_devnull() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
