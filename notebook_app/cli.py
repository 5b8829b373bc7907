"""The ``notebook-app`` command line: a contract scripts and tests rely on.

    notebook-app [--db PATH]                      open the window
    notebook-app [--db PATH] capture [--kind K] [--tag T]... [TEXT | - | --window]
    notebook-app [--db PATH] list [--kind K] [--tag T] [--sort S] [--limit N] [--json]
    notebook-app [--db PATH] search QUERY [--limit N] [--json]
    notebook-app [--db PATH] show ID [--json]
    notebook-app [--db PATH] tags [--json]
    notebook-app [--db PATH] trash [ID]           move ID to the trash, or list the trash
    notebook-app [--db PATH] restore ID
    notebook-app [--db PATH] purge ID
    notebook-app [--db PATH] history ID [--restore REVISION] [--json]
    notebook-app [--db PATH] tag-rename OLD NEW
    notebook-app [--db PATH] import PATH [--dry-run]
    notebook-app [--db PATH] export [DIR] [--combined FILE] [--kind K] [--tag T] [--force]
                                    [--anonymise] [--anonymise-name NAME]...
    notebook-app [--db PATH] check [--json]           is the notebook file sound?
    notebook-app [--db PATH] recover OUT              copy what can be read into a new notebook
    notebook-app [--db PATH] backups [--json]         list the backups
    notebook-app [--db PATH] restore-backup NAME|latest
    notebook-app [--db PATH] move ID --before ID2|--after ID2|--position N   glossary order
    notebook-app [--db PATH] due [--limit N] [--json]     the terms to review now
    notebook-app [--db PATH] review-log ID [--json]       a term's reviews
    notebook-app [--db PATH] suspend ID | unsuspend ID    keep a term out of reviews, or not
    notebook-app [--db PATH] export --anki FILE.apkg [--tag T]   the glossary as an Anki deck
    notebook-app [--db PATH] backlinks ID [--limit N] [--json]   links and unlinked mentions
    notebook-app [--db PATH] terms-used ID [--json]              glossary terms ID mentions
    notebook-app [--db PATH] undefined [--limit N] [--json]      candidate jargon

Only a path that does not exist becomes a new notebook, only for a command that writes, and only
in an existing folder (``--create`` makes the folders). Reading commands do not write the notebook
(one written by an earlier version is updated first, after a backup). Writing commands make the
day's backup first; ``import`` makes one before every import.

Errors go to standard error as one line, with exit status 1 (2 for a usage error), never a
traceback. IDs may be abbreviated to a unique prefix of four characters or more.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from notebook_app import (
    __version__,
    cli_attachments,
    cli_file,
    cli_learning,
    cli_links,
    cli_papers,
)
from notebook_app.core.api import (
    Entry,
    EntrySummary,
    Notebook,
    NotebookError,
    Scope,
    Sort,
    default_database_path,
    format_timestamp,
    parse_kind,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notebook-app",
        description="A research notebook: reading notes, glossary terms and meeting logs.",
    )
    parser.add_argument("--version", action="version", version=f"notebook-app {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        help="the notebook file (default: $NOTEBOOK_APP_DB, else the user data directory)",
    )
    parser.add_argument(
        "--create", action="store_true", help="make the notebook's folders if they are missing"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    capture = commands.add_parser(
        "capture", help="add an entry: first line title, rest body (t: term, m: meeting, #tags)"
    )
    capture.add_argument("--kind", help="note (default), term or meeting; wins over a t:/m: prefix")
    capture.add_argument(
        "--window", action="store_true", help="open the capture box alone (bind it to a hotkey)"
    )
    capture.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    capture.add_argument("text", nargs="?", help="the text, or - to read standard input")
    capture.set_defaults(handler=cmd_capture)

    listing = commands.add_parser("list", help="list entries, newest first")
    listing.add_argument("--kind", help="only this kind")
    listing.add_argument("--tag", action="append", default=[], help="only this tag (repeatable)")
    listing.add_argument(
        "--sort", default=None, choices=[s.value for s in Sort if s is not Sort.RELEVANCE]
    )
    listing.add_argument("--limit", type=int, default=1000)
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=cmd_list)

    search = commands.add_parser("search", help="search with the query language (see README)")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true", help="print a JSON array")
    search.set_defaults(handler=cmd_search)

    show = commands.add_parser("show", help="print one entry")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    tags = commands.add_parser("tags", help="list tags with counts")
    tags.add_argument("--json", action="store_true")
    tags.set_defaults(handler=cmd_tags)

    trash = commands.add_parser("trash", help="move an entry to the trash, or list the trash")
    trash.add_argument("id", nargs="?")
    trash.add_argument("--json", action="store_true")
    trash.set_defaults(handler=cmd_trash)

    restore = commands.add_parser("restore", help="bring an entry back from the trash")
    restore.add_argument("id")
    restore.set_defaults(handler=cmd_restore)

    purge = commands.add_parser("purge", help="delete a trashed entry for good")
    purge.add_argument("id")
    purge.set_defaults(handler=cmd_purge)

    history = commands.add_parser("history", help="list an entry's earlier revisions")
    history.add_argument("id")
    history.add_argument("--restore", type=int, metavar="REVISION", help="restore a revision")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=cmd_history)

    importer = commands.add_parser(
        "import", help="import markdown files, a folder (vault), a reading log or a Notion page"
    )
    importer.add_argument("path", type=Path)
    importer.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; change nothing"
    )
    importer.set_defaults(handler=cmd_import)

    exporter = commands.add_parser("export", help="export entries as a markdown folder")
    exporter.add_argument("folder", type=Path, nargs="?", help="the folder (vault) to write")
    exporter.add_argument("--combined", type=Path, metavar="FILE", help="also one combined file")
    exporter.add_argument("--kind", help="only this kind")
    exporter.add_argument("--tag", action="append", default=[], help="only this tag")
    exporter.add_argument("--query", default="", help="only entries matching this search")
    exporter.add_argument(
        "--anonymise", action="store_true", help="replace people's names by Person A, B..."
    )
    exporter.add_argument(
        "--anonymise-name", action="append", default=[], metavar="NAME",
        help="also anonymise this name (repeatable; implies --anonymise)",
    )  # fmt: skip
    exporter.add_argument(
        "--force", action="store_true", help="overwrite exported files edited since the last export"
    )
    exporter.set_defaults(handler=cmd_export)

    rename = commands.add_parser("tag-rename", help="rename a tag (merging if NEW exists)")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=cmd_tag_rename)
    cli_file.add_commands(commands)
    cli_learning.add_commands(commands)
    cli_papers.add_commands(commands)
    cli_links.add_commands(commands)
    cli_attachments.add_commands(commands)
    return parser


# --- output ------------------------------------------------------------------------------------


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_summaries(summaries: Sequence[EntrySummary], as_json: bool) -> None:
    if as_json:
        _print_json([summary.to_json() for summary in summaries])
        return
    for summary in summaries:
        tags = " ".join(f"#{tag}" for tag in summary.tags)
        line = f"{summary.id[:8]}  {summary.day.isoformat()}  {summary.kind.value:<7}  "
        print(f"{line}{summary.title}" + (f"  {tags}" if tags else ""))
        if summary.snippet is not None and summary.snippet.text:
            print(f"          {summary.snippet.marked('«', '»')}")


def _entry_json(entry: Entry) -> dict[str, Any]:
    return entry.to_json()


# --- commands ----------------------------------------------------------------------------------


def cmd_capture(notebook: Notebook, args: argparse.Namespace) -> int:
    if args.window:
        return open_capture_window(notebook.path)
    if args.text is None:
        raise NotebookError("give the text to capture, or - to read it from standard input")
    text = sys.stdin.read() if args.text == "-" else args.text
    from notebook_app.core.api import capture_entry  # the grammar loads for this command only

    kind = parse_kind(args.kind) if args.kind else None
    entry = notebook.add(capture_entry(text, kind=kind, extra_tags=args.tag))
    print(entry.id)
    return 0


def cmd_list(notebook: Notebook, args: argparse.Namespace) -> int:
    scope = Scope(
        kinds=frozenset({parse_kind(args.kind)}) if args.kind else frozenset(),
        tags=tuple(args.tag),
    )
    sort = Sort(args.sort) if args.sort else None
    _print_summaries(notebook.search("", scope=scope, sort=sort, limit=args.limit), args.json)
    return 0


def cmd_search(notebook: Notebook, args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    _print_summaries(notebook.search(query, limit=args.limit), args.json)
    return 0


def cmd_show(notebook: Notebook, args: argparse.Namespace) -> int:
    entry = notebook.get(notebook.resolve_id(args.id))
    if args.json:
        _print_json(_entry_json(entry))
        return 0
    print(f"# {entry.title}")
    details = {k: v for k, v in _entry_json(entry).items() if k not in ("title", "body")}
    for key, value in details.items():
        if value not in (None, [], ""):
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{key}: {shown}")
    if entry.body:
        print()
        print(entry.body)
    return 0


def cmd_tags(notebook: Notebook, args: argparse.Namespace) -> int:
    counts = notebook.tag_counts()
    if args.json:
        _print_json([{"name": t.name, "count": t.count, "total": t.total} for t in counts])
        return 0
    for tag in counts:
        depth = tag.name.count("/")
        print(f"{'  ' * depth}{tag.leaf}  {tag.total}")
    return 0


def cmd_trash(notebook: Notebook, args: argparse.Namespace) -> int:
    if args.id is None:
        _print_summaries(notebook.search("", scope=Scope(trashed=True), limit=100_000), args.json)
        return 0
    entry_id = notebook.resolve_id(args.id)
    notebook.trash(entry_id)
    print(f"moved {entry_id} to the trash (notebook-app restore {entry_id[:8]} brings it back)")
    return 0


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


def cmd_history(notebook: Notebook, args: argparse.Namespace) -> int:
    entry_id = notebook.resolve_id(args.id)
    if args.restore is not None:
        entry = notebook.restore_revision(entry_id, args.restore)
        print(f"restored revision {args.restore} of {entry_id} (now version {entry.version})")
        return 0
    revisions = notebook.history(entry_id)
    if args.json:
        _print_json(
            [
                {
                    "revision": r.id,
                    "version": r.version,
                    "saved": format_timestamp(r.saved),
                    "replaced": format_timestamp(r.recorded),
                    "title": r.title,
                }
                for r in revisions
            ]
        )
        return 0
    if not revisions:
        print("no earlier revisions")
    for r in revisions:
        print(f"{r.id:>6}  saved {format_timestamp(r.saved)}  {r.title}")
    return 0


def cmd_tag_rename(notebook: Notebook, args: argparse.Namespace) -> int:
    changed = notebook.rename_tag(args.old, args.new)
    print(f"renamed {args.old} to {args.new} on {changed} entries")
    return 0


def cmd_import(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import apply_import, plan_import

    plan = plan_import(notebook, args.path)
    if not plan.ok:
        *others, last = plan.failures
        for failure in others:
            print(f"notebook-app: {failure.path}: {failure.reason}", file=sys.stderr)
        print(f"notebook-app: {last.path}: {last.reason}; nothing was imported", file=sys.stderr)
        return 1
    if args.dry_run:
        print(plan.summary())
        print("(dry run: nothing was changed)")
        return 0
    report = apply_import(notebook, plan)
    print(report.summary())
    return 0


def cmd_export(notebook: Notebook, args: argparse.Namespace) -> int:
    from notebook_app.core.api import combined_document, export_vault, select_entries

    if args.folder is None and args.combined is None:
        raise NotebookError("give a folder to export to, or --combined FILE")
    scope = Scope(
        kinds=frozenset({parse_kind(args.kind)}) if args.kind else frozenset(),
        tags=tuple(args.tag),
    )
    entries = list(select_entries(notebook, args.query, scope))
    anonymise = args.anonymise or bool(args.anonymise_name)
    if args.folder is not None:
        from notebook_app.core.api import attachment_files
        from notebook_app.core.learning.front_matter import review_front_matter

        everything = not (args.query.strip() or args.kind or args.tag)
        report = export_vault(
            entries, args.folder, force=args.force, anonymise=anonymise,
            anonymise_names=args.anonymise_name,
            extra_front_matter=review_front_matter(notebook),
            attachments=attachment_files(notebook, None if everything else [e.id for e in entries]),
        )  # fmt: skip
        kinds = ", ".join(
            f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in report.by_kind.items()
        )
        entries_word = "entry" if report.files == 1 else "entries"
        print(f"exported {report.files} {entries_word} ({kinds}) to {report.folder}")
        for notice in report.notices():
            print(notice)
    if args.combined is not None:
        text = combined_document(entries, anonymise=anonymise, anonymise_names=args.anonymise_name)
        args.combined.write_text(text, encoding="utf-8")
        print(f"wrote {len(entries)} entries to {args.combined}")
    return 0


def no_display_reason() -> str | None:
    """Why a window cannot open here, said before Qt aborts the process over it."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is "
        "set); the commands work without one: notebook-app --help"
    )


def open_capture_window(db_path: Path | None) -> int:
    """The quick-capture box alone, for a desktop-wide hotkey."""
    if db_path is None:
        raise NotebookError("the capture window needs a notebook file")
    reason = no_display_reason()
    if reason is not None:
        raise NotebookError(reason)
    from notebook_app.gui.capture_window import run_capture_window

    return int(run_capture_window(db_path))


def open_window(db_path: Path) -> int:
    """Start the desktop window (imported here: the other commands must not load Qt)."""
    reason = no_display_reason()
    if reason is not None:
        raise NotebookError(reason)
    try:
        from notebook_app.gui.app import run_window  # type: ignore[import-not-found,unused-ignore]
    except ImportError as error:
        print(
            f"notebook-app: the window is not available ({error}); "
            "the command line works: notebook-app --help",
            file=sys.stderr,
        )
        return 1
    return int(run_window(db_path))


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if not given or (len(given) == 2 and given[0] == "--db" and not given[1].startswith("-")):
        # The window's start: no need to build every command's parser (start-up time).
        args = argparse.Namespace(db=Path(given[1]) if given else None, create=False)
    else:
        args = build_parser().parse_args(given)
    db_path: Path = args.db if args.db is not None else default_database_path()
    handler: Callable[[Notebook, argparse.Namespace], int] | None = getattr(args, "handler", None)
    file_handler: Callable[[Path, argparse.Namespace], int] | None = getattr(
        args, "file_handler", None
    )
    try:
        if file_handler is not None:
            return file_handler(db_path, args)
        if handler is None:
            cli_file.refuse_window_path(db_path, args)
            return open_window(db_path)
        with cli_file.open_for(db_path, args) as notebook:
            return handler(notebook, args)
    except (NotebookError, sqlite3.Error) as error:
        print(f"notebook-app: {cli_file.problem_line(error, db_path)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`notebook-app list | head`): not an error worth a message.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        where = error.filename or db_path
        print(f"notebook-app: {error.strerror or error}: {where}", file=sys.stderr)
        return 1
    except Exception as error:  # never a traceback (NOTEBOOK_APP_DEBUG=1 shows it)
        if os.environ.get("NOTEBOOK_APP_DEBUG"):
            raise
        print(f"notebook-app: {cli_file.problem_line(error, db_path)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
