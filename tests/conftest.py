"""Shared fixtures. Tests run offscreen: no display is needed or used."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before any Qt import, so the window tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from notebook_app.core.storage.notebook import Notebook  # noqa: E402

SAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        pytest.fail(f"the samples are missing: {SAMPLES_DIR}")
    return SAMPLES_DIR


@pytest.fixture
def sample_text(samples_dir: Path):  # type: ignore[no-untyped-def]
    """Read a sample by file name (read-only: the samples are never written)."""

    def read(name: str) -> str:
        return (samples_dir / name).read_text(encoding="utf-8")

    return read


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "notebook.db"


@pytest.fixture
def notebook(db_path: Path) -> Iterator[Notebook]:
    with Notebook.open(db_path) as opened:
        yield opened
