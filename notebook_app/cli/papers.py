"""The command line's part about papers and reading (``__init__.py`` joins every part).

    notebook-app stats [--until DAY] [--weeks N] [--day DAY] [--json]   reads per week and day
    notebook-app related ID [--limit N|all] [--json]     the entries most like ID
    notebook-app export --bibtex FILE [--kind K] [--tag T]... [--query Q]   papers as BibTeX

``import refs.bib`` goes through ``import``; ``export --bibtex`` is ``export``'s, which calls
:func:`write_bibtex`. Both commands here only read.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from notebook_app.cli.parsing import (
    Command,
    Parser,
    add_json,
    add_limit,
    fetch_size,
    parse_count,
    print_json,
    say_if_cut,
)
from notebook_app.core.api import Entry, Notebook, parse_day, plural

RELATED_LIMIT = 10
MOST_WEEKS = 10_000  # about 190 years; many more would run past the calendar's first year


def stats_arguments(parser: Parser) -> None:
    parser.add_argument(
        "--until", type=parse_day, metavar="DAY", help="the window's last day (default: today)"
    )
    parser.add_argument(
        "--weeks", type=parse_count("--weeks", MOST_WEEKS), default=53, metavar="N",
        help="how many weeks (default: 53)",
    )  # fmt: skip
    parser.add_argument(
        "--day", type=parse_day, metavar="DAY", help="list the reads of this day instead"
    )
    add_json(parser, "one JSON object (with --day, a JSON array of entry summaries)")


def cmd_stats(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import reading_stats, reads_on

    if args.day is not None:
        hits = reads_on(notebook, args.day)
        if args.json:
            print_json([hit.to_json() for hit in hits])
            return 0
        for hit in hits:
            print(f"{hit.id[:8]}  {hit.source_type or '':<8}  {hit.title}")
        return 0
    stats = reading_stats(notebook, until=args.until, weeks=args.weeks)
    if args.json:
        print_json(stats.to_json())
        return 0
    print(f"{plural(stats.total, 'read')} from {stats.first} to {stats.last}, "
          f"on {plural(len(stats.days), 'day')}")  # fmt: skip
    if stats.by_type:
        print("by type: " + ", ".join(f"{name} {n}" for name, n in stats.by_type.items()))
    for week in stats.weeks:
        if week.total:
            kinds = ", ".join(f"{name} {n}" for name, n in week.by_type.items())
            print(f"{week.label}  {week.total:>4}  {kinds}")
    return 0


def related_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID", help="an entry id (or a unique prefix)")
    add_limit(parser, RELATED_LIMIT)
    add_json(parser)


def cmd_related(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import related_entries

    found = related_entries(notebook, notebook.resolve_id(args.id), limit=fetch_size(args.limit))
    related = found[: args.limit]
    if args.json:
        print_json([item.to_json() for item in related])
    else:
        for item in related:
            print(f"{item.entry.id[:8]}  {item.score:6.2f}  {item.entry.title}")
            print(f"          shares: {', '.join(item.shared)}")
    say_if_cut(len(found), args.limit, "entry")
    return 0


def write_bibtex(entries: Iterable[Entry], path: Path) -> None:
    """``export --bibtex FILE``: the papers among ``entries`` (export's selection) as BibTeX."""
    from notebook_app.core.api import NotebookError, bibtex_document

    text, count = bibtex_document(entries)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise NotebookError(f"cannot write {path}: {error.strerror or error}") from None
    print(f"wrote {plural(count, 'paper')} to {path}")


COMMANDS: tuple[Command, ...] = (
    Command("stats", "reads per week (by source type) and per day", cmd_stats, stats_arguments),
    Command("related", "the entries most like one, by their words", cmd_related,
            related_arguments),
)  # fmt: skip
