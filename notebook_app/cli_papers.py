"""The command line's part about papers and reading: ``stats``, ``related`` and
``export --bibtex FILE`` (``import refs.bib`` goes through ``import``). ``cli.py`` registers
these with one call to :func:`add_commands`, after its own ``export`` command."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from notebook_app.core.api import (
    InvalidEntryError,
    Notebook,
    NotebookError,
    Scope,
    parse_day,
    parse_kind,
)


def _print_json(data: Any) -> None:
    from notebook_app.cli import _print_json as print_json  # one JSON style for every command

    print_json(data)


def _day(text: str) -> dt.date:
    """A day option: a bad one is a usage error (exit 2), not a traceback."""
    try:
        return parse_day(text)
    except InvalidEntryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_commands(commands: Any) -> None:
    stats = commands.add_parser("stats", help="reads per week (by source type) and per day")
    stats.add_argument("--until", type=_day, help="the window's last day (default: today)")
    stats.add_argument("--weeks", type=int, default=53, help="how many weeks (default: 53)")
    stats.add_argument("--day", type=_day, help="list the reads of this day instead")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)
    related = commands.add_parser("related", help="the entries most like one, by their words")
    related.add_argument("id", help="an entry id (or a unique prefix)")
    related.add_argument("--limit", type=int, default=10)
    related.add_argument("--json", action="store_true")
    related.set_defaults(handler=cmd_related)
    # export --bibtex FILE: a form of the export command, with its --kind/--tag/--query.
    exporter = commands.choices["export"]
    exporter.add_argument("--bibtex", type=Path, metavar="FILE", help="write the papers as BibTeX")
    plain_export = exporter.get_default("handler")

    def export(notebook: Notebook, args: argparse.Namespace) -> int:
        return cmd_export_bibtex(notebook, args) if args.bibtex else plain_export(notebook, args)

    exporter.set_defaults(handler=export)


def cmd_stats(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import reading_stats, reads_on

    if args.day is not None:
        hits = reads_on(notebook, args.day)
        if args.json:
            _print_json([hit.to_json() for hit in hits])
        for hit in [] if args.json else hits:
            print(f"{hit.id[:8]}  {hit.source_type or '':<8}  {hit.title}")
        return 0
    if args.weeks < 1:
        raise NotebookError("--weeks must be at least 1")
    stats = reading_stats(notebook, until=args.until, weeks=args.weeks)
    if args.json:
        _print_json(stats.to_json())
        return 0
    print(f"{stats.total} reads from {stats.first} to {stats.last}, "
          f"on {len(stats.days)} days")  # fmt: skip
    if stats.by_type:
        print("by type: " + ", ".join(f"{name} {n}" for name, n in stats.by_type.items()))
    for week in stats.weeks:
        if week.total:
            kinds = ", ".join(f"{name} {n}" for name, n in week.by_type.items())
            print(f"{week.label}  {week.total:>4}  {kinds}")
    return 0


def cmd_related(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import related_entries

    if args.limit < 1:
        raise NotebookError("--limit must be at least 1")
    related = related_entries(notebook, notebook.resolve_id(args.id), limit=args.limit)
    if args.json:
        _print_json([item.to_json() for item in related])
        return 0
    for item in related:
        print(f"{item.entry.id[:8]}  {item.score:6.2f}  {item.entry.title}")
        print(f"          shares: {', '.join(item.shared)}")
    return 0


def cmd_export_bibtex(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import bibtex_document, select_entries

    scope = Scope(
        kinds=frozenset({parse_kind(args.kind)}) if args.kind else frozenset(),
        tags=tuple(args.tag),
    )
    text, count = bibtex_document(select_entries(notebook, args.query, scope))
    try:
        args.bibtex.write_text(text, encoding="utf-8")
    except OSError as error:
        raise NotebookError(f"cannot write {args.bibtex}: {error.strerror or error}") from None
    print(f"wrote {count} papers to {args.bibtex}")
    return 0
