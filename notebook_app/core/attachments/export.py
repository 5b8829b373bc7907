"""Attachments in an export: each stored file written back at its vault path, through the
export's own staging and manifest (``export_folder``): a file of the user's at that path is
never overwritten (it is reported as kept), a file an earlier export wrote and the user changed
since is a conflict like any other, and a file an earlier export wrote that is no longer
exported is removed. Nothing is written through a link.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterable
from pathlib import Path

from notebook_app.core.formats.export_folder import Staging, Survey, digest, read_manifest


def _safe_path(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts


def _through_link(folder: Path, path: str) -> bool:
    """Whether a folder on the way to ``path`` is a link or not a folder (never written into)."""
    where = folder
    for part in path.split("/")[:-1]:
        where = where / part
        try:
            mode = os.lstat(where).st_mode
        except FileNotFoundError:
            return False
        if not stat.S_ISDIR(mode):
            return True
    return False


def _file_hash(path: Path) -> str | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return "-"  # a link, a folder...: the user's, never replaced
    return digest(path.read_bytes())


def stage_attachments(
    staging: Staging, found: Survey, files: Iterable[tuple[str, bytes]], subfolders: list[str]
) -> list[str]:
    """Add the attachment files to the export; returns the paths kept as the user's."""
    folder = staging.folder
    manifest = {} if found.is_new else (read_manifest(folder) or ({}, False))[0]
    # Files an earlier export wrote that the survey did not look at (outside the folders it
    # surveys, or deeper than their first level: a vault's ``projects/img/x.png``): ours while
    # unchanged.
    surveyed = set(found.ours) | set(found.changed) | set(found.yours)
    for path, known in manifest.items():
        if path in surveyed or not _safe_path(path):
            continue
        if "/" not in path.partition("/")[2] and path.split("/")[0] in subfolders:
            continue  # a surveyed folder's own file: the survey said all there is
        if _through_link(folder, path):
            continue
        current = _file_hash(folder / path)
        if current == known:
            found.ours[path] = known
        elif current is not None:
            found.changed.append(path)
    kept: list[str] = []
    for path, data in files:
        if not _safe_path(path):
            continue
        ours = path in found.ours or path in found.changed
        if not found.is_new and not ours:
            if _through_link(folder, path):
                kept.append(path)
                continue
            current = _file_hash(folder / path)
            if current is not None:
                if current != digest(data):
                    kept.append(path)  # the user's own file at that path
                continue
        parent = posixpath.dirname(path)
        if parent:
            os.makedirs(staging.root / parent, exist_ok=True)
        staging.add(path, data)
    return kept
