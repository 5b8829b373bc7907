"""The command line's link commands (see ``cli.py`` for the rest): all three only read.

    notebook-app backlinks ID [--limit N] [--json]   links to ID, then unlinked mentions of it
    notebook-app terms-used ID [--json]              glossary terms ID mentions
    notebook-app undefined [--limit N] [--json]      candidate jargon the glossary lacks

Each command is a ``run`` function and an ``arguments`` function, the shape of the command
table's entries, registered here with :func:`add_commands`.
"""

from __future__ import annotations

import argparse
from typing import Any

from notebook_app.core.api import Notebook

READING_COMMANDS = frozenset({"backlinks", "terms-used", "undefined"})


def _print_json(data: Any) -> None:
    from notebook_app.cli import _print_json as print_json  # one JSON style for every command

    print_json(data)


def backlinks_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("--limit", type=int, default=50, help="at most N of each list (default 50)")
    parser.add_argument("--json", action="store_true")


def cmd_backlinks(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    links = notebook.backlinks(entry_id, limit=args.limit)
    mentions = notebook.unlinked_mentions(entry_id, limit=args.limit)
    if args.json:
        _print_json([link.to_json() for link in links] + [m.to_json() for m in mentions])
        return 0
    print(f"linked from {len(links)}" + (":" if links else ""))
    for link in links:
        flag = "  (ambiguous title)" if link.ambiguous else ""
        print(f"  {link.source.id[:8]}  {link.source.title}{flag}")
        print(f"            {_marked(link.passage.sentence, link.passage.highlight)}")
    print(f"unlinked mentions: {len(mentions)}" + (":" if mentions else ""))
    for mention in mentions:
        print(
            f"  {mention.source.id[:8]}  {mention.source.title}  (offset {mention.passage.offset})"
        )
        print(f"            {_marked(mention.passage.sentence, mention.passage.highlight)}")
    return 0


def id_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("--json", action="store_true")


def cmd_terms_used(notebook: Notebook, args: argparse.Namespace) -> int:
    uses = notebook.terms_used(notebook.resolve_id(args.id))
    if args.json:
        _print_json([use.to_json() for use in uses])
        return 0
    for use in uses:
        alias = f"  (as {use.text!r})" if use.text.casefold() != use.term.title.casefold() else ""
        print(f"{use.term.id[:8]}  {use.term.title}{alias}  at {use.offset}")
    return 0


def undefined_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=30, help="at most N phrases (default 30)")
    parser.add_argument(
        "--min-entries", type=int, default=2, help="used in at least N entries (default 2)"
    )
    parser.add_argument("--json", action="store_true")


def cmd_undefined(notebook: Notebook, args: argparse.Namespace) -> int:
    found = notebook.undefined_terms(limit=args.limit, min_entries=args.min_entries)
    if args.json:
        _print_json([candidate.to_json() for candidate in found])
        return 0
    for candidate in found:
        print(f"{candidate.phrase}  ({candidate.entries} entries, {candidate.occurrences} uses)")
    return 0


def _marked(sentence: str, span: tuple[int, int]) -> str:
    start, end = span
    return f"{sentence[:start]}«{sentence[start:end]}»{sentence[end:]}"


def add_commands(commands: Any) -> None:
    for name, help_text, run, arguments in (
        ("backlinks", "entries linking to ID, then those mentioning it unlinked",
         cmd_backlinks, backlinks_arguments),
        ("terms-used", "glossary terms the entry ID mentions", cmd_terms_used, id_arguments),
        ("undefined", "candidate jargon entries use often that the glossary lacks",
         cmd_undefined, undefined_arguments),
    ):  # fmt: skip
        parser = commands.add_parser(name, help=help_text)
        arguments(parser)
        parser.set_defaults(handler=run)
