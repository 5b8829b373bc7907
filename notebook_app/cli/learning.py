"""The command line's glossary and review commands (``__init__.py`` joins every part).

    notebook-app move ID --before ID2 | --after ID2 | --position N   reorder the glossary
    notebook-app due [--limit N] [--json]        the terms to review now, and the day's counts
    notebook-app review-log ID [--json]          a term's review card and every rating
    notebook-app suspend ID / unsuspend ID       keep a term out of reviews, or bring it back
    notebook-app export --anki FILE.apkg [--tag T]...   the glossary as an Anki deck
    notebook-app review                          the review window alone (or: nothing is due)

Each command is an
``arguments`` function and a ``cmd_`` function, one row of :data:`COMMANDS` (the command
table's rows; ``export --anki`` is ``export``'s, which calls :func:`write_anki`). fsrs and
genanki are loaded only by the commands that use them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from notebook_app.cli.parsing import (
    EVERY,
    Command,
    Parser,
    add_json,
    add_limit,
    always,
    fetch_size,
    parse_count,
    parse_text,
    print_json,
    say_if_cut,
)
from notebook_app.core.api import Notebook, NotebookError, format_timestamp, plural

DUE_LIMIT = 100


# --- move --------------------------------------------------------------------------------------


def _parse_position(text: str) -> int:
    """--position N: past the last term is last, however large (SQLite holds 64 bits)."""
    return min(parse_count("--position")(text), EVERY)


def move_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")
    where = parser.add_mutually_exclusive_group(required=True)
    # A group's add_argument is argparse's own: say the type Parser.add_argument would give.
    where.add_argument("--before", type=parse_text, metavar="ID2", help="just before this term")
    where.add_argument("--after", type=parse_text, metavar="ID2", help="just after this term")
    where.add_argument(
        "--position", type=_parse_position, metavar="N", help="to position N (1 is first)"
    )


def cmd_move(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    before = notebook.resolve_id(args.before) if args.before is not None else None
    after = notebook.resolve_id(args.after) if args.after is not None else None
    rank = notebook.move_term(entry_id, before=before, after=after, position=args.position)
    print(f"moved {notebook.get(entry_id).title!r} to position {rank} in the glossary")
    return 0


# --- due, review-log, suspend ------------------------------------------------------------------


def due_arguments(parser: Parser) -> None:
    add_limit(parser, DUE_LIMIT)
    add_json(parser, "a JSON array of the terms")


def cmd_due(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import due_counts, due_terms

    terms = due_terms(notebook, limit=fetch_size(args.limit))
    shown = terms[: args.limit]
    counts = due_counts(notebook) if not args.json or len(terms) > len(shown) else None
    if args.json:
        print_json([term.to_json() for term in shown])
    else:
        assert counts is not None
        print(
            f"{plural(counts.due, 'term')} due, {counts.new} new today; "
            f"{counts.later_today} more later today"
            + (f"; {counts.suspended} suspended" if counts.suspended else "")
        )
        for term in shown:
            when = "new" if term.due is None else format_timestamp(term.due)[:16].replace("T", " ")
            empty = "  (no definition yet)" if term.empty_definition else ""
            print(f"{term.id[:8]}  {when:<16}  {term.title}{empty}")
    say_if_cut(len(terms), args.limit, "term", counts.total if counts else None)
    return 0


def id_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")


def review_log_arguments(parser: Parser) -> None:
    id_arguments(parser)
    add_json(parser, "one JSON object: the id, the card and the log")


def cmd_review_log(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import card_and_log

    entry_id = notebook.resolve_id(args.id)
    card, log = card_and_log(notebook, entry_id)
    if args.json:
        print_json({"id": entry_id, "card": card.to_json(), "log": [i.to_json() for i in log]})
        return 0
    title = notebook.get(entry_id).title
    if card.due is None:
        print(f"{title}: {card.state.value}, never reviewed" + (", suspended" * card.suspended))
    else:
        print(
            f"{title}: {card.state.value}, due {format_timestamp(card.due)}, stability "
            f"{card.stability or 0:.1f} days, {plural(card.reps, 'review')}, "
            f"{plural(card.lapses, 'lapse')}" + (", suspended" if card.suspended else "")
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
    from notebook_app.core.api import card_and_log, set_suspended

    entry_id = notebook.resolve_id(args.id)
    title = notebook.get(entry_id).title
    # A repeat changes nothing, so it does not claim to (as trash and restore).
    if card_and_log(notebook, entry_id)[0].suspended is suspended:
        state = "already suspended" if suspended else "not suspended"
        raise NotebookError(f"{title!r} is {state}; nothing was changed")
    set_suspended(notebook, entry_id, suspended)
    print(f"suspended {title!r}" if suspended else f"{title!r} is reviewed again")
    return 0


def cmd_suspend(notebook: Notebook, args: argparse.Namespace) -> int:
    return _suspend(notebook, args, True)


def cmd_unsuspend(notebook: Notebook, args: argparse.Namespace) -> int:
    return _suspend(notebook, args, False)


def review_arguments(_parser: Parser) -> None:
    pass


def cmd_review(notebook: Notebook, _args: argparse.Namespace) -> int:
    """The review window alone, on the due terms; with none due, one line and no window."""
    from notebook_app.cli.window import open_review_window
    from notebook_app.core.api import due_counts

    counts = due_counts(notebook)
    if not counts.total:
        later = f"; {counts.later_today} more later today" if counts.later_today else ""
        print(f"nothing to review now{later}")
        return 0
    return open_review_window(notebook.path)


# --- export --anki ---------------------------------------------------------------------------


def write_anki(notebook: Notebook, path: Path, tags: list[str]) -> None:
    """``export --anki FILE``: the glossary's terms (those with all of ``tags``) as a deck."""
    from notebook_app.core.api import export_anki

    notes, cards = export_anki(notebook, path, tags=tags)
    print(f"wrote {plural(notes, 'term')} ({plural(cards, 'card')}) to {path}")


COMMANDS: tuple[Command, ...] = (
    Command("move", "move a glossary term (--before ID2, --after ID2 or --position N)",
            cmd_move, move_arguments, always, creates=False),
    Command("due", "list the glossary terms to review now", cmd_due, due_arguments),
    Command("review", "open the review window on the due glossary terms", cmd_review,
            review_arguments, always, creates=False),
    Command("review-log", "a term's review state and every rating", cmd_review_log,
            review_log_arguments),
    Command("suspend", "keep a term out of reviews (its schedule is kept)", cmd_suspend,
            id_arguments, always, creates=False),
    Command("unsuspend", "bring a suspended term back into reviews", cmd_unsuspend,
            id_arguments, always, creates=False),
)  # fmt: skip
