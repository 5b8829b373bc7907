"""Reading the command line: the parser, the order of words, the values options take.

argparse does the reading; this module makes it keep the command line's contract: one line per
usage error (raised as :class:`UsageError`, exit status 2), option values checked while parsing
(a bad one raises :class:`BadValue`, exit status 1, before any notebook is opened), options on
either side of the command and operands that may start with ``-`` (:func:`normalise_argv`).
The commands themselves are in the other modules of this package.
"""

from __future__ import annotations

import argparse
import codecs
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from notebook_app import __version__
from notebook_app.core.api import Notebook, NotebookError, Sort, normalize_tag, parse_kind, plural

PROG = "notebook-app"
HELP = ("-h", "--help")  # after an option that takes a value, still the help (--opt=--help is not)
EVERY = 1 << 62  # "all" as a number of results: more than any notebook holds
_ActionT = TypeVar("_ActionT", bound=argparse.Action)
EPILOG = (
    "Options go before or after the command. After the command, a word that is not one of its "
    "options is an operand even if it starts with '-' (search -survey); after --, every word "
    "is. Exit status: 1 for a bad value, 2 for a usage error, one line on standard error."
)


class UsageError(Exception):
    """The command line itself is wrong (unknown command or option, missing operand): exit 2."""


class BadValue(NotebookError):
    """An option's value is not acceptable (``--sort sideways``): exit 1, like any bad value."""


# --- parsing -----------------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line, and remembers which options take values.

    argparse prints the usage and the error over several lines and exits; here the error is
    raised and ``main`` prints one line. Abbreviated options are off: ``-s`` or ``--j`` must not
    silently become ``--sort`` or ``--json``, and a query word like ``-survey`` is not an option.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.takes_value: dict[str, bool] = {}  # option string -> whether it takes a value
        self.commands: dict[str, Parser] = {}
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action", "store") in ("store", "append") and "type" not in kwargs:
            kwargs["type"] = parse_text  # paths say type=Path: a file name may be any bytes
        return super().add_argument(*args, **kwargs)

    def _add_action(self, action: _ActionT) -> _ActionT:
        # Here rather than in add_argument: a mutually exclusive group adds through this too.
        for option in action.option_strings:
            self.takes_value[option] = action.nargs != 0
        return super()._add_action(action)

    def error(self, message: str) -> NoReturn:
        choice = re.match(r"argument COMMAND: invalid choice: '?([^' ]*)'?", message)
        if choice is not None:
            message = f"unknown command {choice.group(1)!r}"
        raise UsageError(usage_message(self.prog, message))


def usage_message(prog: str, message: str) -> str:
    """The one line of a usage error: the command, what is wrong, where help is."""
    command = prog.removeprefix(PROG).strip()
    return f"{command + ': ' if command else ''}{message} (see {prog} --help)"


def parse_text(text: str) -> str:
    """A text argument (a query, a title, a tag, an id): UTF-8, as the notebook stores it.

    Python hands over bytes that are not UTF-8 as lone surrogates, which SQLite would refuse
    with an exception deep in a command.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise BadValue(f"not UTF-8 text: {shown!r}") from None
    return text


def parse_limit(text: str) -> int | None:
    """``--limit``: a positive number of results, or ``all`` (None)."""
    if text.strip().lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise BadValue(f"--limit takes a number of results (1 or more) or 'all', not {text!r}")
    return None if value >= EVERY else value  # more than any notebook holds: all of them


def parse_count(option: str, most: int | None = None) -> Callable[[str], int]:
    """A converter for an option that takes a whole number, 1 or more (and at most ``most``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1 or (most is not None and value > most):
            bounds = "1 or more" if most is None else f"1 to {most:,}"
            raise BadValue(f"{option} takes a whole number ({bounds}), not {text!r}")
        return value

    return parse


def parse_sort(text: str) -> Sort:
    known = [s.value for s in Sort if s is not Sort.RELEVANCE]
    key = text.strip().lower()
    if key not in known:
        raise BadValue(f"unknown sort {text!r} (known: {', '.join(known)})")
    return Sort(key)


def parse_revision(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadValue(f"--restore takes a revision number (see history), not {text!r}") from None


def add_global_options(parser: Parser, *, top: bool) -> None:
    """Options every command takes, before or after its name.

    On a command they default to SUPPRESS, so that ``--db`` given before the command is not
    overwritten by the command's own (absent) ``--db``.
    """
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="the notebook file (default: $NOTEBOOK_APP_DB, else the user data directory)",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="make the notebook's folders if they are missing",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")


def print_json(data: Any) -> None:
    """``--json`` output: UTF-8 as it is (not \\u escapes), indented for a reader.

    UTF-8 whatever the locale says standard output is (Latin-1, or a Windows code page when
    the output goes to a file or a pipe): there the text stream would fail on the first emoji.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or codecs.lookup(sys.stdout.encoding or "utf-8").name == "utf-8":
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def add_limit(parser: Parser, default: int) -> None:
    parser.add_argument(
        "--limit",
        type=parse_limit,
        default=default,
        metavar="N",
        help=f"show at most N results, or 'all' (default {default}; a cut list says so)",
    )


def fetch_size(limit: int | None) -> int:
    """How many to ask for to show ``limit`` and know whether there were more: one more (for
    ``--limit all``, more than any notebook holds; SQLite's LIMIT takes it)."""
    return EVERY if limit is None else limit + 1


def say_if_cut(found: int, limit: int | None, noun: str, total: int | None = None) -> None:
    """The notice of a cut list (``found``: how many came, up to :func:`fetch_size`)."""
    if limit is None or found <= limit:
        return
    shown = (
        f"{limit} of {plural(total, noun)}"
        if total is not None
        else f"the first {plural(limit, noun)}"
    )
    say_cut(shown)


def say_cut(shown: str) -> None:
    """One line on standard error, so a script reading standard output gets only the results."""
    print(f"{PROG}: showing {shown}; --limit N or --limit all shows more", file=sys.stderr)


def add_json(parser: Parser, what: str = "a JSON array") -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what}")


def add_scope(parser: Parser) -> None:
    parser.add_argument("--kind", type=parse_kind, help="only this kind: note, term or meeting")
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        type=normalize_tag,
        help="only entries with this tag (repeatable)",
    )


def normalise_argv(parser: Parser, argv: Sequence[str]) -> list[str]:
    """Rewrite ``argv`` into the one order argparse reads without surprises.

    argparse takes any word starting with ``-`` for an option, so ``search -survey`` fails,
    and it reads options only on their own side of the command. Here the command is found
    first (skipping options and their values); then every option, from either side, goes after
    it as ``--option=value`` (so a value may start with ``-``), and every other word after
    ``--``, in order. Unknown ``--options`` are left in place for argparse to refuse.
    """
    words = list(argv)
    every_option: dict[str, bool] = dict(parser.takes_value)
    for sub in parser.commands.values():
        every_option = {**sub.takes_value, **every_option}
    position = 0
    while position < len(words):
        word = words[position]
        if word in parser.commands:
            break
        if word == "--" or not word.startswith("-"):
            raise UsageError(usage_message(PROG, f"unknown command {word!r}"))
        if every_option.get(word) and position + 1 < len(words):
            position += 1  # the option's value
        position += 1
    else:
        # No command: the window, which takes only the global options.
        for word in words:
            name = word.split("=", 1)[0]
            if name in every_option and name not in parser.takes_value:
                raise UsageError(usage_message(PROG, f"{name} belongs to a command"))
        return words
    command = words[position]
    sub = parser.commands[command]
    top_options: list[str] = []
    options: list[str] = []
    operands: list[str] = []
    rest = words[:position] + words[position + 1 :]
    index = 0
    while index < len(rest):
        word = rest[index]
        index += 1
        if word == "--":
            operands += rest[index:]
            break
        name = word.split("=", 1)[0] if word.startswith("--") else word
        target = options if name in sub.takes_value else top_options
        if name not in sub.takes_value and name not in parser.takes_value:
            if word.startswith("--") and len(word) > 2:
                options.append(word)  # an unknown option: argparse says so
            else:
                operands.append(word)  # a word, even one starting with "-"
            continue
        takes_value = sub.takes_value.get(name) or parser.takes_value.get(name)
        value = word.split("=", 1)[1] if name != word else rest[index : index + 1]
        if takes_value and value in ("--", ["--"]):
            # argparse drops a "--" value and hands the command an empty list (an "unexpected
            # TypeError" later): an option followed by "--" has no value.
            prog = f"{PROG} {command}"
            raise UsageError(usage_message(prog, f"argument {name}: expected one argument"))
        if name == word and takes_value and index < len(rest):
            if rest[index] in HELP:
                # `export --bibtex --help` asks for help: it must not write a file "--help".
                continue
            word = f"{word}={rest[index]}"  # "=": the value may start with "-"
            index += 1
        target.append(word)
    return [*top_options, command, *options, *(["--", *operands] if operands else [])]


def no_arguments(parser: Parser) -> None:
    pass


def always(args: argparse.Namespace) -> bool:
    return True


def never(args: argparse.Namespace) -> bool:
    return False


@dataclasses.dataclass(frozen=True)
class Command:
    """One command: adding a command is writing its two functions and one line in COMMANDS."""

    name: str
    help: str
    # Runs on the open notebook...
    run: Callable[[Notebook, argparse.Namespace], int] | None
    arguments: Callable[[Parser], None] = no_arguments
    # Whether this call may write to the notebook (a reading command never creates one).
    writes: Callable[[argparse.Namespace], bool] = never
    # Whether a writing call may start a new notebook: not one that changes what must already be
    # there (trash ID, move, tag-rename...), which could only fail in a new, empty one.
    creates: bool = True
    # ...or, for a command about the notebook file itself, on its path (nothing opened for it).
    run_on_file: Callable[[Path, argparse.Namespace], int] | None = None
    # What is missing from the words, for a rule argparse cannot say (TEXT unless --window):
    # a usage error, found before any notebook is opened.
    missing: Callable[[argparse.Namespace], str | None] | None = None
    # What is wrong with an operand that must be there (the file to import): a bad value (exit
    # 1), found before the notebook is opened, so none is made for a command that cannot run.
    refused: Callable[[argparse.Namespace], str | None] | None = None


def build_command_parser(commands: Sequence[Command]) -> Parser:
    """The top-level parser with a sub-parser per command; ``parser.commands`` names them."""
    parser = Parser(
        prog=PROG,
        description="A research notebook: reading notes, glossary terms and meetings.",
        epilog=EPILOG,
    )
    add_global_options(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        assert isinstance(sub, Parser)
        add_global_options(sub, top=False)
        command.arguments(sub)
        sub.set_defaults(command_spec=command)
        parser.commands[command.name] = sub
    return parser
