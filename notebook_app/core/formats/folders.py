"""Vault folders as the sidebar shows them: how many entries each holds. Light (no YAML, no
parsing): the window counts them at start-up, on a worker."""

from __future__ import annotations

from typing import Any


def folder_counts(conn: Any, *, trashed: bool = False) -> dict[str, int]:
    """How many entries each folder holds, subfolders included (like tag counts): ``{"a": 3,
    "a/b": 1}``. Entries made in the app (no folder) are not counted."""
    rows = conn.execute(
        "SELECT folder, count(*) FROM entries WHERE folder IS NOT NULL AND folder != '' "
        f"AND trashed IS {'NOT ' if trashed else ''}NULL GROUP BY folder"
    )
    counts: dict[str, int] = {}
    for folder, number in rows:
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            counts[key] = counts.get(key, 0) + number
    return dict(sorted(counts.items(), key=lambda item: item[0].casefold()))
