"""The core commands: capture, list, search, show, tags, trash, restore, purge, history,
tag-rename, import and export. Each is an ``arguments`` function and a ``cmd_`` function, one
row of :data:`COMMANDS`; the package (``notebook_app/cli/__init__.py``) joins these rows with
the other modules' and runs the command line.

``export`` writes every output it is asked for (DIR, ``--combined``, ``--bibtex``, ``--anki``),
after checking every file output's place.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from notebook_app.cli import learning, papers
from notebook_app.cli.parsing import (
    PROG,
    Command,
    Parser,
    add_json,
    add_limit,
    add_scope,
    always,
    fetch_size,
    parse_revision,
    parse_sort,
    print_json,
    say_if_cut,
)
from notebook_app.cli.window import open_capture_window
from notebook_app.core.api import (
    Entry,
    EntrySummary,
    Notebook,
    NotebookError,
    Revision,
    Scope,
    Sort,
    TagCount,
    format_timestamp,
    normalize_tag,
    parse_kind,
    plural,
)

# What a listing shows when no --limit is given; a cut listing says so on standard error.
LIST_LIMIT = 1000
SEARCH_LIMIT = 50


# --- output ------------------------------------------------------------------------------------


def _print_summaries(summaries: Sequence[EntrySummary], as_json: bool) -> None:
    if as_json:
        print_json([summary.to_json() for summary in summaries])
        return
    for summary in summaries:
        tags = " ".join(f"#{tag}" for tag in summary.tags)
        line = f"{summary.id[:8]}  {summary.day.isoformat()}  {summary.kind.value:<7}  "
        print(f"{line}{summary.title}" + (f"  {tags}" if tags else ""))
        if summary.snippet is not None and summary.snippet.text:
            print(f"          {summary.snippet.marked('«', '»')}")


def _print_listing(
    notebook: Notebook,
    args: argparse.Namespace,
    query: str = "",
    scope: Scope | None = None,
    sort: Sort | None = None,
) -> None:
    """One listing, cut at ``--limit`` with a notice on standard error when it was cut."""
    limit: int | None = args.limit
    # One more than asked tells whether there are more, without counting every match.
    summaries = notebook.search(query, scope=scope, sort=sort, limit=fetch_size(limit))
    _print_summaries(summaries[:limit], args.json)
    if limit is not None and len(summaries) > limit:  # counted only when cut
        say_if_cut(len(summaries), limit, "entry", notebook.count(query, scope=scope))


def _entry_json(entry: Entry) -> dict[str, Any]:
    return entry.to_json()


def _shown(value: Any) -> str:
    """A JSON value as ``show`` prints it (lists joined; numbers are already 17, not 17.0)."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _revision_json(revision: Revision) -> dict[str, Any]:
    """A ``history --json`` item: the keys the README documents, always all of them."""
    return {
        "revision": revision.id,
        "version": revision.version,
        "saved": format_timestamp(revision.saved),
        "recorded": format_timestamp(revision.recorded),
        "title": revision.title,
        "kind": revision.entry.kind.value,
    }


def _tag_json(tag: TagCount) -> dict[str, Any]:
    """A ``tags --json`` item: the tag as stored, direct count, count with nested tags."""
    return {"tag": tag.name, "count": tag.count, "total": tag.total}


# --- commands ----------------------------------------------------------------------------------


def capture_arguments(parser: Parser) -> None:
    parser.add_argument(
        "--kind", type=parse_kind, help="note (default), term or meeting; wins over t:/m:"
    )
    parser.add_argument(
        "--tag", action="append", default=[], type=normalize_tag, help="a tag (repeatable)"
    )
    parser.add_argument(
        "--window", action="store_true", help="open the capture box alone (bind it to a hotkey)"
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the text, or - for stdin")


def capture_missing(args: argparse.Namespace) -> str | None:
    if args.text is None and not args.window:
        return "give the text to capture, or - to read it from standard input"
    return None


def cmd_capture(notebook: Notebook, args: argparse.Namespace) -> int:
    if args.window:
        return open_capture_window(notebook.path)
    text = _read_stdin() if args.text == "-" else args.text
    from notebook_app.core.api import capture_entry  # the grammar loads for this command only

    entry = notebook.add(capture_entry(text, kind=args.kind, extra_tags=args.tag))
    print(entry.id)
    return 0


def _read_stdin() -> str:
    """Standard input as UTF-8 text (a BOM and Windows line ends are fine, other bytes not)."""
    if sys.stdin is None:  # started with standard input closed (`<&-`, some schedulers)
        raise NotebookError("standard input is closed; nothing was captured")
    from notebook_app.core.api import LIMIT_TEXT, MAX_FILE_BYTES

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a text stream (tests, embedding)
        return sys.stdin.read()
    # At most what an import reads of a file: `yes | capture -` must not fill the memory.
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise NotebookError(
            f"standard input is too large for a note (the limit is {LIMIT_TEXT}); "
            "nothing was captured"
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise NotebookError(
            f"standard input is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); nothing was captured"
        ) from None


def list_arguments(parser: Parser) -> None:
    add_scope(parser)
    known = ", ".join(s.value for s in Sort if s is not Sort.RELEVANCE)
    parser.add_argument("--sort", type=parse_sort, help=f"{known} (default: updated)")
    add_limit(parser, LIST_LIMIT)
    add_json(parser)


def cmd_list(notebook: Notebook, args: argparse.Namespace) -> int:
    scope = Scope(kinds=frozenset({args.kind} if args.kind else ()), tags=tuple(args.tag))
    _print_listing(notebook, args, scope=scope, sort=args.sort)
    return 0


def search_arguments(parser: Parser) -> None:
    parser.add_argument(
        "query", nargs="+", metavar="QUERY", help="words and filters; -word excludes a word"
    )
    add_limit(parser, SEARCH_LIMIT)
    add_json(parser)


def cmd_search(notebook: Notebook, args: argparse.Namespace) -> int:
    _print_listing(notebook, args, query=" ".join(args.query))
    return 0


def show_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")
    add_json(parser, "one JSON object")


def cmd_show(notebook: Notebook, args: argparse.Namespace) -> int:
    entry = notebook.get(notebook.resolve_id(args.id))
    data = _entry_json(entry)
    if args.json:
        print_json(data)
        return 0
    print(f"# {entry.title}")
    for key, value in data.items():
        if key not in ("title", "body") and value not in (None, [], ""):
            print(f"{key}: {_shown(value)}")
    if entry.body:
        print()
        print(entry.body)
    return 0


def cmd_tags(notebook: Notebook, args: argparse.Namespace) -> int:
    counts = notebook.tag_counts()
    if args.json:
        print_json([_tag_json(tag) for tag in counts])
        return 0
    for tag in counts:
        print(f"{'  ' * tag.name.count('/')}{tag.leaf}  {tag.total}")
    return 0


def trash_arguments(parser: Parser) -> None:
    parser.add_argument("id", nargs="?", metavar="ID", help="the entry; without it, list the trash")
    add_limit(parser, LIST_LIMIT)
    add_json(parser)


def trash_json_with_id(args: argparse.Namespace) -> str | None:
    """``--json`` is the listing's; moving one entry would print its line and ignore it."""
    if args.id is not None and args.json:
        return "--json goes with the trash's listing (no ID); moving an entry prints one line"
    return None


def cmd_trash(notebook: Notebook, args: argparse.Namespace) -> int:
    if args.id is None:
        _print_listing(notebook, args, scope=Scope(trashed=True))
        return 0
    entry_id = notebook.resolve_id(args.id)
    notebook.trash(entry_id)
    print(f"moved {entry_id} to the trash ({PROG} restore {entry_id[:8]} brings it back)")
    return 0


def id_argument(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")


def cmd_restore(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    notebook.restore(entry_id)
    print(f"restored {entry_id}")
    return 0


def cmd_purge(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    notebook.purge(entry_id)
    print(f"deleted {entry_id} for good")
    return 0


def history_arguments(parser: Parser) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("--restore", type=parse_revision, metavar="REVISION", help="restore it")
    add_json(parser)


def cmd_history(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    if args.restore is not None:
        entry = notebook.restore_revision(entry_id, args.restore)
        print(f"restored revision {args.restore} of {entry_id} (now version {entry.version})")
        return 0
    revisions = notebook.history(entry_id)
    if args.json:
        print_json([_revision_json(revision) for revision in revisions])
        return 0
    if not revisions:
        print("no earlier revisions")
    for revision in revisions:
        print(f"{revision.id:>6}  saved {format_timestamp(revision.saved)}  {revision.title}")
    return 0


def tag_rename_arguments(parser: Parser) -> None:
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")


def cmd_tag_rename(notebook: Notebook, args: argparse.Namespace) -> int:
    result = notebook.rename_tag(args.old, args.new)
    merged = " (merged)" if result.merged else ""
    print(f"renamed {result.old} to {result.new}{merged} on {plural(result.entries, 'entry')}")
    return 0


def import_arguments(parser: Parser) -> None:
    parser.add_argument("path", type=Path, metavar="PATH", help="a file or a folder")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; change nothing"
    )


def import_source_missing(args: argparse.Namespace) -> str | None:
    from notebook_app.core.api import missing_source

    return missing_source(args.path)


def cmd_import(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import apply_import, plan_import

    plan = plan_import(notebook, args.path)
    if args.dry_run:
        print(plan.summary())
        print("(dry run: nothing was changed)")
    if not plan.ok:  # the file named cannot be imported (in a folder, such files are skipped)
        failure = plan.failures[0]
        raise NotebookError(f"{failure.path}: {failure.reason}; nothing was imported")
    if not args.dry_run:
        print(apply_import(notebook, plan).summary())
    return 0


def export_arguments(parser: Parser) -> None:
    parser.add_argument("folder", type=Path, nargs="?", metavar="DIR", help="the folder to write")
    parser.add_argument("--combined", type=Path, metavar="FILE", help="also one combined file")
    parser.add_argument(
        "--bibtex", type=Path, metavar="FILE", help="also the papers among them as BibTeX"
    )
    parser.add_argument(
        "--anki", type=Path, metavar="FILE",
        help="also the glossary as an Anki deck (.apkg; only --tag selects its terms)",
    )  # fmt: skip
    add_scope(parser)
    parser.add_argument("--query", default="", help="only entries matching this search")
    parser.add_argument(
        "--anonymise", action="store_true", help="replace people's names by Person A, B..."
    )
    parser.add_argument(
        "--anonymise-name", action="append", default=[], metavar="NAME",
        help="also anonymise this name (repeatable; implies --anonymise)",
    )  # fmt: skip
    parser.add_argument(
        "--force", action="store_true", help="overwrite exported files edited since the last export"
    )


# What each of export's one-file outputs holds, as its messages say it.
EXPORT_FILES = {"combined": "the combined file", "bibtex": "the BibTeX", "anki": "the deck"}


def _check_export_files(args: argparse.Namespace) -> None:
    """Refuse, before anything is written, a file output that cannot be written where it is
    asked for, or two outputs asked into one file: every output asked for is written, or none."""
    seen: dict[Path, str] = {}
    for option, what in EXPORT_FILES.items():
        path: Path | None = getattr(args, option)
        if path is None:
            continue
        if path.resolve() in seen:
            raise NotebookError(
                f"--{seen[path.resolve()]} and --{option} name the same file {path}"
            )
        seen[path.resolve()] = option
        if path.is_dir():
            raise NotebookError(f"cannot write {what} to {path}: it is a folder")
        if not path.parent.is_dir():
            raise NotebookError(f"cannot write {what} to {path}: no folder {path.parent}")


def cmd_export(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import combined_document, export_vault, select_entries

    if args.folder is None and all(getattr(args, option) is None for option in EXPORT_FILES):
        raise NotebookError(
            "give a folder to export to, or --combined FILE, --bibtex FILE or --anki FILE"
        )
    _check_export_files(args)
    entries: list[Entry] = []
    if args.folder is not None or args.combined is not None or args.bibtex is not None:
        scope = Scope(kinds=frozenset({args.kind} if args.kind else ()), tags=tuple(args.tag))
        entries = list(select_entries(notebook, args.query, scope))
    anonymise = args.anonymise or bool(args.anonymise_name)
    if args.folder is not None:
        from notebook_app.core.api import attachment_files, review_front_matter

        everything = not (args.query.strip() or args.kind or args.tag)
        report = export_vault(
            entries, args.folder, force=args.force, anonymise=anonymise,
            anonymise_names=args.anonymise_name,
            extra_front_matter=review_front_matter(notebook),
            attachments=attachment_files(notebook, None if everything else [e.id for e in entries]),
        )  # fmt: skip
        kinds = ", ".join(plural(n, kind) for kind, n in report.by_kind.items())
        print(f"exported {plural(report.files, 'entry')} ({kinds}) to {report.folder}")
        for notice in report.notices():
            print(notice)
    if args.combined is not None:
        text = combined_document(entries, anonymise=anonymise, anonymise_names=args.anonymise_name)
        args.combined.write_text(text, encoding="utf-8")
        print(f"wrote {plural(len(entries), 'entry')} to {args.combined}")
    if args.bibtex is not None:
        papers.write_bibtex(entries, args.bibtex)
    if args.anki is not None:
        learning.write_anki(notebook, args.anki, args.tag)
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("capture", "add an entry: first line title, rest body (t: term, m: meeting, #tags)",
            cmd_capture, capture_arguments, always, missing=capture_missing),
    Command("list", "list entries, newest first", cmd_list, list_arguments),
    Command("search", "search with the query language (see README)", cmd_search,
            search_arguments),
    Command("show", "print one entry", cmd_show, show_arguments),
    Command("tags", "list tags with counts", cmd_tags, add_json),
    Command("trash", "move an entry to the trash, or list the trash", cmd_trash,
            trash_arguments, lambda args: args.id is not None, creates=False,
            missing=trash_json_with_id),
    Command("restore", "bring an entry back from the trash", cmd_restore, id_argument, always,
            creates=False),
    Command("purge", "delete a trashed entry for good", cmd_purge, id_argument, always,
            creates=False),
    Command("history", "list an entry's earlier revisions, or restore one", cmd_history,
            history_arguments, lambda args: args.restore is not None, creates=False),
    Command("import", "import markdown or text files, a folder (vault), a reading log or a Notion "
            "page",
            cmd_import, import_arguments, lambda args: not args.dry_run,
            refused=import_source_missing),
    Command("export", "export entries as a markdown folder, one combined file, BibTeX or an "
            "Anki deck (any of them at once)",
            cmd_export, export_arguments),
    Command("tag-rename", "rename a tag and its nested tags (merging if NEW exists)",
            cmd_tag_rename, tag_rename_arguments, always, creates=False),
)  # fmt: skip
