"""What a window start loads before its first frame: only what that frame shows.

The start is timed against a bare PySide6 window (benchmarks/bench_gui.py); every module the
first frame does not need (the renderer, import and export, learning, papers, backups, the
dialogs and the capture box) must wait for the command that uses it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.storage.notebook import Notebook

ROOT = Path(__file__).resolve().parent.parent

# Runs the `notebook-app --db PATH` code path (as benchmarks/start_driver.py does) and prints
# the loaded modules when the window's first frame is painted, before the work it defers.
DRIVER = """
import json, sys
sys.path.insert(0, "benchmarks")
from start_driver import after_first_frame
from notebook_app import cli
from notebook_app.gui.application import make_application

application = make_application()

def finish(window):
    print(json.dumps(sorted(sys.modules)), flush=True)
    application.quit()

watcher = after_first_frame(application, "MainWindow", finish)
cli.main(["--db", sys.argv[1]])
"""

# Third-party libraries loaded on first use only.
LIBRARIES = {"markdown", "pygments", "yaml", "sqlite_utils", "fsrs", "genanki", "bibtexparser"}

# Standard-library modules the first frame does not need (new ids, the quit signals' pipe,
# HTML escapes: the welcome page, the preview).
STANDARD = {"html", "socket", "uuid"}

# Qt modules only some later work needs (SVG: the preview's formulas, on the render lane).
QT_MODULES = {"PySide6.QtSvg"}

# The app's own modules that no part of the first frame uses.
DEFERRED = {
    "notebook_app.core.formats.capture",
    "notebook_app.core.formats.exporting",
    "notebook_app.core.formats.importing",
    "notebook_app.core.learning",
    "notebook_app.core.links.jargon",
    "notebook_app.core.links.terms",
    "notebook_app.core.markdown.renderer",
    "notebook_app.core.papers.arxiv",
    "notebook_app.core.papers.bibtex",
    "notebook_app.core.papers.related",
    "notebook_app.core.papers.stats",
    "notebook_app.core.storage.backups",
    "notebook_app.core.storage.check",
    "notebook_app.core.storage.recover",
    "notebook_app.gui.backups_dialog",
    "notebook_app.gui.capture_window",
    "notebook_app.gui.learning",
    "notebook_app.gui.link_completion",
    "notebook_app.gui.links",
    "notebook_app.gui.preview_embeds",
    "notebook_app.gui.preview_links",
    "notebook_app.gui.quick_switcher",
    "notebook_app.gui.shortcut_sheet",
    "notebook_app.gui.sync_control",
    "notebook_app.gui.transfer",
    "notebook_app.gui.welcome_page",
}


def _start(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``args`` (a Python command line) on a one-entry notebook (its path appended), as a
    first start with no saved settings."""
    db = tmp_path / "notebook.db"
    with Notebook.open(db) as notebook:
        notebook.add(Entry(kind=Kind.NOTE, title="Attention", body="# Heading\n\n- a #tag"))
    (tmp_path / "config").mkdir()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, *args, str(db)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def test_first_frame_loads_only_what_it_shows(tmp_path: Path) -> None:
    done = _start(tmp_path, "-c", DRIVER)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "notebook_app.gui.main_window" in loaded  # the driver did reach the window
    assert not {name.split(".")[0] for name in loaded} & LIBRARIES
    early = {
        name for name in loaded if any(name == d or name.startswith(d + ".") for d in DEFERRED)
    }
    assert not early, f"loaded before the first frame: {sorted(early)}"
    assert not loaded & STANDARD
    assert not loaded & QT_MODULES


@pytest.mark.parametrize("floor", ["form", "widgets"])
def test_the_benchmarks_floors_still_start(tmp_path: Path, floor: str) -> None:
    """benchmarks/start_driver.py's floors, which bench_gui.py compares the window with, run
    against today's form: "form" (the window's form, list and open entry) and "widgets" (the
    same Qt widgets with the app's editor and preview classes stood in for by their Qt bases;
    a custom widget added to ui/main_window.ui needs its stand-in there)."""
    done = _start(tmp_path, "benchmarks/start_driver.py", floor)
    assert "painted" in json.loads(done.stdout.strip().splitlines()[-1])


def test_the_collector_rests_during_a_start_and_is_on_after_it(tmp_path: Path) -> None:
    """cli/window.py pauses Python's cycle collector while the window starts; it is on again
    once the window shows (with the start's objects frozen), and when the start fails."""
    import gc

    import pytest

    from notebook_app.cli.window import open_window
    from notebook_app.core.api import NotebookError
    from notebook_app.gui.app import start_collector

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    not_a_notebook = tmp_path / "notes.txt"
    not_a_notebook.write_text("plain text, not a notebook", encoding="utf-8")
    try:
        with pytest.raises(NotebookError):
            open_window(not_a_notebook)
        assert gc.isenabled()
        gc.disable()
        start_collector()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
