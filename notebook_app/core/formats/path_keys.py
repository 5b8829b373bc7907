"""When two spellings of a path in a vault name the same file.

A vault travels between machines: macOS hands file names out decomposed (NFD: ``e`` + a
combining accent), Linux and Windows as they were written (usually NFC), and git or a sync
tool may carry either. On macOS and Windows a folder ignores case as well. So a recorded path
and a file found now are compared by a *key*: the path in NFC, and case-folded where the
folder's file system ignores case (found out once per pass by :func:`ignores_case`).

The exact spelling is always tried first (:class:`PathIndex`): on Linux two files whose names
differ only in normalisation or case are two files, and each keeps its own entry; a key match
is taken only for a recorded path that no file holds any more under its own spelling.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
KeyOf = Callable[[str], str]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(path: str) -> str:
    """A path as a file system that ignores case and normalisation would see it (names in
    use are kept this way, so that no new file lands on an existing one anywhere)."""
    return nfc(path).casefold()


def ignores_case(folder: Path, paths: Iterable[str]) -> bool:
    """Whether ``folder``'s file system ignores case: the first path with a cased letter is
    looked up with its case swapped (nothing is written; a folder without such a name cannot
    tell, and then case does not matter to it)."""
    for path in paths:
        swapped = path.swapcase()
        if swapped == path or swapped.swapcase() != path:
            continue  # no cased letter, or one whose other case is not one letter ("ß")
        try:
            here = os.lstat(os.path.join(folder, path))
            there = os.lstat(os.path.join(folder, swapped))
        except (OSError, ValueError):
            return False
        return os.path.samestat(here, there)
    return False


def key_of(folder: Path, paths: Iterable[str]) -> KeyOf:
    """The key paths of ``folder`` are compared by in this pass."""
    return fold if ignores_case(folder, paths) else nfc


class PathIndex(Generic[T]):
    """Values by recorded path, found by a file's path: the exact spelling first, else the
    same key (if the recorded spelling is not itself a file now)."""

    def __init__(self, key: KeyOf, present: set[str]) -> None:
        self.key = key
        self.present = present  # the paths found in the folder, as spelled there
        self.exact: dict[str, T] = {}
        self.keyed: dict[str, list[tuple[str, T]]] = {}

    def add(self, path: str, value: T) -> None:
        self.exact[path] = value
        self.keyed.setdefault(self.key(path), []).append((path, value))

    def find(self, path: str) -> tuple[str, T] | None:
        """(the recorded path, its value) for the file at ``path``, or None."""
        if path in self.exact:
            return path, self.exact[path]
        for recorded, value in self.keyed.get(self.key(path), ()):
            if recorded not in self.present:
                return recorded, value
        return None
