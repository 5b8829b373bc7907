"""The command line's link commands (``__init__.py`` joins every part): all three only read.

    notebook-app backlinks ID [--limit N|all] [--json]   links to ID, then unlinked mentions
    notebook-app terms-used ID [--json]                  glossary terms ID mentions
    notebook-app undefined [--limit N|all] [--min-entries N] [--json]   candidate jargon

Each command is an ``arguments`` function and a ``cmd_`` function, one row of
:data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
from typing import Any

from notebook_app.cli.parsing import (
    Command,
    Parser,
    add_json,
    add_limit,
    fetch_size,
    parse_count,
    print_json,
    say_cut,
    say_if_cut,
)
from notebook_app.core.api import Notebook, plural

BACKLINKS_LIMIT = 50
UNDEFINED_LIMIT = 30
# backlinks --json prints links and unlinked mentions in one array: every object has every key
# (null where it does not apply: a link has no ``name``/``text``, a mention no ``heading``...).
BACKLINK_JSON_KEYS = (
    "id", "kind", "title", "tags", "created", "updated", "linked", "offset", "length",
    "sentence", "highlight", "heading", "shown", "embed", "ambiguous", "name", "text",
)  # fmt: skip


def backlinks_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")
    add_limit(parser, BACKLINKS_LIMIT)
    add_json(parser, "one JSON array: the links, then the unlinked mentions")


def _backlink_json(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data.get(key) for key in BACKLINK_JSON_KEYS}


def cmd_backlinks(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    fetch = fetch_size(args.limit)
    found_links = notebook.backlinks(entry_id, limit=fetch)
    found_mentions = notebook.unlinked_mentions(entry_id, limit=fetch)
    links, mentions = found_links[: args.limit], found_mentions[: args.limit]
    if args.json:
        print_json(
            [_backlink_json(link.to_json()) for link in links]
            + [_backlink_json(mention.to_json()) for mention in mentions]
        )
    else:
        print(f"linked from {len(links)}" + (":" if links else ""))
        for link in links:
            flag = "  (ambiguous title)" if link.ambiguous else ""
            print(f"  {link.source.id[:8]}  {link.source.title}{flag}")
            print(f"            {_marked(link.passage.sentence, link.passage.highlight)}")
        print(f"unlinked mentions: {len(mentions)}" + (":" if mentions else ""))
        for mention in mentions:
            where = f"(offset {mention.passage.offset})"
            print(f"  {mention.source.id[:8]}  {mention.source.title}  {where}")
            print(f"            {_marked(mention.passage.sentence, mention.passage.highlight)}")
    if len(found_links) > len(links) or len(found_mentions) > len(mentions):
        say_cut(
            f"the first {plural(len(links), 'link')} and "
            f"{plural(len(mentions), 'unlinked mention')}"
        )
    return 0


def terms_used_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")
    add_json(parser)


def cmd_terms_used(notebook: Notebook, args: argparse.Namespace) -> int:
    uses = notebook.terms_used(notebook.resolve_id(args.id))
    if args.json:
        print_json([use.to_json() for use in uses])
        return 0
    for use in uses:
        alias = f"  (as {use.text!r})" if use.text.casefold() != use.term.title.casefold() else ""
        print(f"{use.term.id[:8]}  {use.term.title}{alias}  at {use.offset}")
    return 0


def undefined_arguments(parser: Parser) -> None:
    add_limit(parser, UNDEFINED_LIMIT)
    parser.add_argument(
        "--min-entries", type=parse_count("--min-entries"), default=2, metavar="N",
        help="used in at least N entries (default 2)",
    )  # fmt: skip
    add_json(parser)


def cmd_undefined(notebook: Notebook, args: argparse.Namespace) -> int:
    found = notebook.undefined_terms(limit=fetch_size(args.limit), min_entries=args.min_entries)
    shown = found[: args.limit]
    if args.json:
        print_json([candidate.to_json() for candidate in shown])
    else:
        for candidate in shown:
            entries = f"{candidate.entries} entries, {candidate.occurrences} uses"
            print(f"{candidate.phrase}  ({entries})")
    say_if_cut(len(found), args.limit, "phrase")
    return 0


def _marked(sentence: str, span: tuple[int, int]) -> str:
    start, end = span
    return f"{sentence[:start]}«{sentence[start:end]}»{sentence[end:]}"


COMMANDS: tuple[Command, ...] = (
    Command("backlinks", "entries linking to ID, then those mentioning it unlinked",
            cmd_backlinks, backlinks_arguments),
    Command("terms-used", "glossary terms the entry ID mentions", cmd_terms_used,
            terms_used_arguments),
    Command("undefined", "candidate jargon entries use often that the glossary lacks",
            cmd_undefined, undefined_arguments),
)  # fmt: skip
