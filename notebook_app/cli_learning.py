"""The command line's glossary and review commands (see ``cli.py`` for the rest).

    notebook-app move ID --before ID2 | --after ID2 | --position N   reorder the glossary
    notebook-app due [--limit N] [--json]        the terms to review now, and the day's counts
    notebook-app review-log ID [--json]          a term's review card and every rating
    notebook-app suspend ID / unsuspend ID       keep a term out of reviews, or bring it back
    notebook-app export --anki FILE.apkg [--tag T]...   the glossary as an Anki deck

(``notebook-app review`` opens the review window; it is the window's.) Each command is an
``arguments`` function and a ``cmd_`` function, the shape of the command table's entries,
registered here with :func:`add_commands`. fsrs and genanki are loaded only by the commands
that use them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notebook_app.core.api import Notebook, NotebookError, format_timestamp

READING_COMMANDS = frozenset({"due", "review-log"})


def _print_json(data: Any) -> None:
    from notebook_app.cli import _print_json as print_json  # one JSON style for every command

    print_json(data)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- move --------------------------------------------------------------------------------------


def move_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--before", metavar="ID2", help="just before this term")
    where.add_argument("--after", metavar="ID2", help="just after this term")
    where.add_argument("--position", type=int, metavar="N", help="to position N (1 is first)")


def cmd_move(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    before = notebook.resolve_id(args.before) if args.before is not None else None
    after = notebook.resolve_id(args.after) if args.after is not None else None
    rank = notebook.move_term(entry_id, before=before, after=after, position=args.position)
    print(f"moved {notebook.get(entry_id).title!r} to position {rank} in the glossary")
    return 0


# --- due, review-log, suspend ------------------------------------------------------------------


def due_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=100, help="at most N terms (default 100)")
    parser.add_argument("--json", action="store_true", help="print a JSON array of the terms")


def cmd_due(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.learning.queue import due_counts, due_terms

    if args.limit < 1:
        raise NotebookError(f"--limit takes a number of terms (1 or more), not {args.limit}")
    terms = due_terms(notebook, limit=args.limit)
    if args.json:
        _print_json([term.to_json() for term in terms])
        return 0
    counts = due_counts(notebook)
    print(
        f"{_plural(counts.due, 'term')} due, {counts.new} new today; "
        f"{counts.later_today} more later today"
        + (f"; {counts.suspended} suspended" if counts.suspended else "")
    )
    for term in terms:
        when = "new" if term.due is None else format_timestamp(term.due)[:16].replace("T", " ")
        empty = "  (no definition yet)" if term.empty_definition else ""
        print(f"{term.id[:8]}  {when:<16}  {term.title}{empty}")
    return 0


def id_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")


def review_log_arguments(parser: argparse.ArgumentParser) -> None:
    id_arguments(parser)
    parser.add_argument("--json", action="store_true")


def cmd_review_log(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.learning.cards import read_card, read_log, term_seq

    entry_id = notebook.resolve_id(args.id)
    seq = term_seq(notebook.conn, entry_id)
    card, log = read_card(notebook.conn, seq), read_log(notebook.conn, seq)
    if args.json:
        _print_json({"id": entry_id, "card": card.to_json(), "log": [i.to_json() for i in log]})
        return 0
    title = notebook.get(entry_id).title
    if card.due is None:
        print(f"{title}: {card.state.value}, never reviewed" + (", suspended" * card.suspended))
    else:
        print(
            f"{title}: {card.state.value}, due {format_timestamp(card.due)}, stability "
            f"{card.stability or 0:.1f} days, {_plural(card.reps, 'review')}, "
            f"{_plural(card.lapses, 'lapse')}" + (", suspended" if card.suspended else "")
        )
    for item in log:
        days = item.interval_seconds / 86400
        interval = f"{days:.1f} days" if days >= 1 else f"{item.interval_seconds / 60:.0f} min"
        print(
            f"  {format_timestamp(item.reviewed)}  {item.rating.name.lower():<5}  "
            f"{item.state_before.value} -> {item.state_after.value}  next in {interval}"
        )
    return 0


def _suspend(notebook: Notebook, args: argparse.Namespace, suspended: bool) -> int:
    from notebook_app.core.learning.scheduling import set_suspended

    entry_id = notebook.resolve_id(args.id)
    set_suspended(notebook, entry_id, suspended)
    title = notebook.get(entry_id).title
    print(f"suspended {title!r}" if suspended else f"{title!r} is reviewed again")
    return 0


def cmd_suspend(notebook: Notebook, args: argparse.Namespace) -> int:
    return _suspend(notebook, args, True)


def cmd_unsuspend(notebook: Notebook, args: argparse.Namespace) -> int:
    return _suspend(notebook, args, False)


# --- export --anki ---------------------------------------------------------------------------


def anki_arguments(parser: argparse.ArgumentParser) -> None:
    """``export``'s option (its ``--tag`` filters the terms too)."""
    parser.add_argument(
        "--anki", type=Path, metavar="FILE", help="the glossary as an Anki deck (.apkg)"
    )


def run_anki_export(notebook: Notebook, args: argparse.Namespace) -> None:
    from notebook_app.core.learning.anki import export_anki

    notes, cards = export_anki(notebook, args.anki, tags=args.tag)
    print(f"wrote {_plural(notes, 'term')} ({_plural(cards, 'card')}) to {args.anki}")


Handler = Callable[[Notebook, argparse.Namespace], int]

COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Handler]] = [
    ("move", "move a glossary term (--before ID2, --after ID2 or --position N)",
     move_arguments, cmd_move),
    ("due", "list the glossary terms to review now", due_arguments, cmd_due),
    ("review-log", "a term's review state and every rating", review_log_arguments,
     cmd_review_log),
    ("suspend", "keep a term out of reviews (its schedule is kept)", id_arguments, cmd_suspend),
    ("unsuspend", "bring a suspended term back into reviews", id_arguments, cmd_unsuspend),
]  # fmt: skip


def add_commands(commands: Any) -> None:
    for name, help_text, arguments, handler in COMMANDS:
        parser = commands.add_parser(name, help=help_text)
        arguments(parser)
        parser.set_defaults(handler=handler)
    # export --anki: the export command's own parser and handler, with the deck added.
    export = commands.choices["export"]
    anki_arguments(export)
    folder_export: Handler = export.get_default("handler")

    def cmd_export(notebook: Notebook, args: argparse.Namespace) -> int:
        if args.anki is None:
            return folder_export(notebook, args)
        run_anki_export(notebook, args)
        if args.folder is not None or args.combined is not None:
            return folder_export(notebook, args)
        return 0

    export.set_defaults(handler=cmd_export)
