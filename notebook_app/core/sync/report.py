"""What a sync did (or, dry, would do): a one-line result and the lines behind it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from notebook_app.core.wording import plural


@dataclasses.dataclass(slots=True)
class SyncReport:
    folder: Path
    dry_run: bool
    added: list[str] = dataclasses.field(default_factory=list)  # files that became entries
    updated: list[str] = dataclasses.field(default_factory=list)  # entries updated from files
    moved: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    trashed: list[str] = dataclasses.field(default_factory=list)  # deleted in the folder
    restored: list[str] = dataclasses.field(default_factory=list)  # trashed, edited in folder
    kept: list[str] = dataclasses.field(default_factory=list)  # deleted there, edited here
    written: list[str] = dataclasses.field(default_factory=list)  # files written
    removed: list[str] = dataclasses.field(default_factory=list)  # files of trashed entries
    renamed: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # title changed
    conflicts: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file, copy)
    skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file, why)
    warnings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    later: list[str] = dataclasses.field(default_factory=list)  # changed during the sync
    conflict_copies: list[str] = dataclasses.field(default_factory=list)  # found, not read
    files_added: list[str] = dataclasses.field(default_factory=list)  # attachments stored
    files_updated: list[str] = dataclasses.field(default_factory=list)  # changed in the folder
    files_removed: list[str] = dataclasses.field(default_factory=list)  # deleted there, unused
    files_kept: list[str] = dataclasses.field(default_factory=list)  # deleted there, still used
    files_set_aside: list[str] = dataclasses.field(default_factory=list)  # deleted there, kept

    @property
    def changed(self) -> bool:
        return bool(
            self.added or self.updated or self.moved or self.trashed or self.restored
            or self.written or self.removed or self.files_added or self.files_updated
            or self.files_removed or self.files_set_aside
        )  # fmt: skip

    def line(self) -> str:
        """The one-line result (the window's status bar, the command's first line)."""
        verb = "would sync" if self.dry_run else "synced"
        if not self.changed and not self.conflicts:
            head = f"{verb} {self.folder}: nothing to do"
        else:
            into = len(self.added) + len(self.updated) + len(self.moved) + len(self.trashed)
            into += len(self.restored) + len(self.files_added) + len(self.files_updated)
            into += len(self.files_removed) + len(self.files_set_aside)
            out = len(self.written) + len(self.removed) - len(self.conflicts) - len(self.renamed)
            head = (
                f"{verb} {self.folder}: {plural(into, 'change')} in, {plural(out, 'file')} "
                f"out, {plural(len(self.conflicts), 'conflict')}"
            )
        if self.skipped:
            head += f", {len(self.skipped)} skipped"
        if self.later:
            head += f", {len(self.later)} left for the next sync"
        return head

    def lines(self) -> list[str]:
        """Every change and oddity, one line each, after :meth:`line`."""
        out: list[str] = []
        out += [f"new entry: {path}" for path in self.added]
        out += [f"updated entry: {path}" for path in self.updated]
        out += [f"moved: {old} -> {new}" for old, new in self.moved]
        out += [f"new attachment: {path}" for path in self.files_added]
        out += [
            f"updated attachment (changed in the folder): {path}" for path in self.files_updated
        ]
        out += [
            f"removed attachment (deleted in the folder, no note names it): {path}"
            for path in self.files_removed
        ]
        out += [
            f"written back (deleted in the folder, a note still names it): {path}"
            for path in self.files_kept
        ]
        out += [
            f"attachment kept in the notebook only (deleted in the folder; a revision or an "
            f"entry in the trash names it): {path}"
            for path in self.files_set_aside
        ]
        out += [f"trashed (deleted in the folder): {path}" for path in self.trashed]
        out += [f"restored from the trash (edited in the folder): {path}" for path in self.restored]
        out += [f"written back (deleted in the folder, edited here): {path}" for path in self.kept]
        conflicts = {copy for _, copy in self.conflicts}
        # A file renamed after its entry's new title is written and its old name removed: one
        # line, not a removal that reads as if the entry were in the trash.
        renamed = dict(self.renamed)
        new_names = set(renamed.values())
        out += [f"wrote: {path}" for path in self.written
                if path not in conflicts and path not in new_names]  # fmt: skip
        out += [f"renamed (its title changed here): {old} -> {new}" for old, new in self.renamed]
        out += [f"removed (in the trash here): {path}" for path in self.removed
                if path not in renamed]  # fmt: skip
        out += [
            f"conflict: {path}: changed on both sides; the notebook's version is in the file, "
            f"the folder's in {copy} and in the entry's history"
            for path, copy in self.conflicts
        ]
        out += [f"skipped: {path}: {why}" for path, why in self.skipped]
        out += [f"warning: {path}: {why}" for path, why in self.warnings]
        out += [f"changed during the sync, left for the next: {path}" for path in self.later]
        out += [f"conflict copy (not synced; merge it and delete it): {p}"
                for p in self.conflict_copies]  # fmt: skip
        return out

    def summary(self) -> str:
        return "\n".join([self.line(), *self.lines()])
