"""Shared fixtures. Tests run offscreen: no display is needed or used.

Tests that read a sample notebook run on the project's own sample-shaped fixtures
(tests/fixtures/samples) always, and on the real samples as well when ``../shared/samples``
sits beside the repository: a bare clone passes on its own, and the real samples keep
checking what the fixtures cannot (their size, their quirks).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

# Set before any Qt import, so the window tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from notebook_app.core.storage.notebook import Notebook  # noqa: E402

FIXTURE_SAMPLES_DIR = Path(__file__).resolve().parent / "fixtures" / "samples"
REAL_SAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Samples:
    """One set of the four sample notebooks (same file names): the fixtures or the real ones."""

    path: Path
    real: bool

    def text(self, name: str) -> str:
        """A sample's text by file name (read-only: the samples are never written)."""
        return (self.path / name).read_text(encoding="utf-8")

    def known(self, *, real: T, fixture: T) -> T:
        """What this set is known to hold: the real samples' figure, or the fixtures' own."""
        return real if self.real else fixture


def _sample_sets() -> list[object]:
    sets = [pytest.param(Samples(FIXTURE_SAMPLES_DIR, real=False), id="fixtures")]
    if REAL_SAMPLES_DIR.is_dir():
        sets.append(pytest.param(Samples(REAL_SAMPLES_DIR, real=True), id="samples"))
    return sets


def pytest_report_header() -> str:
    if REAL_SAMPLES_DIR.is_dir():
        return f"samples: tests/fixtures/samples and {REAL_SAMPLES_DIR}"
    return f"samples: tests/fixtures/samples only ({REAL_SAMPLES_DIR} is absent)"


@pytest.fixture(scope="session", params=_sample_sets())
def samples(request: pytest.FixtureRequest) -> Samples:
    """Each available set of samples in turn: a test using it runs once per set."""
    chosen: Samples = request.param
    return chosen


@pytest.fixture(scope="session")
def samples_dir(samples: Samples) -> Path:
    return samples.path


@pytest.fixture(scope="session")
def sample_text(samples: Samples) -> Callable[[str], str]:
    """Read a sample by file name (read-only: the samples are never written)."""
    return samples.text


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "notebook.db"


@pytest.fixture
def notebook(db_path: Path) -> Iterator[Notebook]:
    with Notebook.open(db_path) as opened:
        yield opened


@pytest.fixture
def opened_urls() -> list[object]:
    """The links a window handed to the desktop's browser (QUrl), in order."""
    return []


@pytest.fixture
def make_window(qtbot, tmp_path: Path, db_path: Path, opened_urls: list[object]) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Build (and later close) windows on the same notebook and settings files: "restarting"
    is closing a window and making another."""
    from PySide6.QtCore import QSettings

    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.settings import Settings

    windows: list[tuple[MainWindow, Notebook]] = []
    settings_path = tmp_path / "settings.ini"

    def make() -> MainWindow:
        notebook = Notebook.open(db_path)
        settings = Settings(QSettings(str(settings_path), QSettings.Format.IniFormat))
        window = MainWindow(notebook, settings, open_url=opened_urls.append)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        # What the window builds right after its first frame (links, learning, sync) is there.
        qtbot.waitUntil(lambda: window.preview.started)
        windows.append((window, notebook))
        return window

    yield make
    for window, notebook in windows:
        if window.isVisible():
            window.close()
        notebook.close()
