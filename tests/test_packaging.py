"""The packaged binary: built with PyInstaller, then run as a user who never installed Python.

Slow (a minute or two): marked ``slow``; ``.ci/run`` runs it with the rest.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller")
    out = tmp_path_factory.mktemp("build")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(out / "dist"),
         "--work", str(out / "work")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    path = out / "dist" / "notebook-app" / "notebook-app"
    assert path.exists()
    return path


def clean_env(home: Path) -> dict[str, str]:
    """An environment with no Python of ours on the path and a fresh home."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    return env


def test_version(binary: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                            env=clean_env(tmp_path), timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("notebook-app ")


def test_capture_creates_the_database_in_the_user_data_directory(
    binary: Path, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    result = subprocess.run(
        [str(binary), "capture", "t: Superposition — more features than dimensions #mechinterp"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    database = tmp_path / ".local" / "share" / "notebook-app" / "notebook.db"
    assert database.exists()
    listed = subprocess.run([str(binary), "search", "kind:term", "superposition"],
                            capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert "Superposition" in listed.stdout and "#mechinterp" in listed.stdout


def test_window_opens(binary: Path, tmp_path: Path) -> None:
    """The window starts (offscreen) and keeps running until it is told to stop."""
    env = clean_env(tmp_path)
    process = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        time.sleep(6)
        assert process.poll() is None, process.communicate()[1][-3000:]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr
    assert (tmp_path / ".local" / "share" / "notebook-app" / "notebook.db").exists()


def test_bundle_excludes_what_the_app_does_not_use(binary: Path) -> None:
    names = {path.name for path in binary.parent.rglob("*")}
    unused = ("WebEngine", "Qt6Qml", "Multimedia", "Qt6Network", "Qt6OpenGL", "qgtk3", "qeglfs",
              "libssl", "libcrypto")  # fmt: skip
    assert not any(part in name for name in names for part in unused)
    assert not any(name.endswith(".qm") for name in names)  # the app installs no QTranslator
    assert any("qoffscreen" in name for name in names) and any("qxcb" in name for name in names)
    assert any("qsvg" in name for name in names) and any("qsvgicon" in name for name in names)
    # PyInstaller links the Qt libraries into _internal/: count each file once, not per link.
    size = sum(p.stat().st_size for p in binary.parent.rglob("*")
               if p.is_file() and not p.is_symlink())  # fmt: skip
    assert size <= 120e6  # the packaging target (118 MB when set); catches a runaway bundle


def test_desktop_entry_and_icon_ship_with_the_bundle(binary: Path) -> None:
    share = binary.parent / "share"
    entry = (share / "applications" / "notebook-app.desktop").read_text()
    assert "Exec=notebook-app\n" in entry and "Icon=notebook-app\n" in entry
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "notebook-app.svg"
    assert icon.read_text().lstrip().startswith("<svg")


def test_import_and_export_run_in_the_bundle(binary: Path, tmp_path: Path) -> None:
    """The bundle carries what an import decodes (UTF-16, Windows-1252) and what an export
    writes: a folder of three encodings goes in, a markdown folder comes out."""
    env = clean_env(tmp_path)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "new.md").write_text("# New\n\nutf-8 #tag\n", encoding="utf-8")
    (vault / "old.md").write_bytes("caf\xe9 \u201cquoted\u201d\n".encode("cp1252"))
    (vault / "win.txt").write_bytes("Notepad\nna\xefve\n".encode("utf-16"))
    db = tmp_path / "nb.db"
    done = subprocess.run([str(binary), "--db", str(db), "--create", "import", str(vault)],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "3 files seen: 3 to import" in done.stdout
    assert "warning: old.md: not UTF-8 text" in done.stdout
    out = tmp_path / "out"
    done = subprocess.run([str(binary), "--db", str(db), "export", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    notes = [path for path in out.rglob("*") if path.suffix in (".md", ".txt")]
    written = "".join(path.read_text(encoding="utf-8") for path in notes)  # win.txt stays .txt
    assert "caf\xe9 \u201cquoted\u201d" in written and "na\xefve" in written
