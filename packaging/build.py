"""Build the one-folder binary: ``python packaging/build.py`` → ``dist/notebook-app/``.

Checks the generated Qt modules are current, runs PyInstaller with ``notebook-app.spec``, adds
the desktop entry and icon under ``dist/notebook-app/share/`` (laid out like ``~/.local/share``,
so installing is a copy) and prints the size of the result. Needs ``pip install -e ".[package]"``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(folder: Path) -> int:
    """Bytes the folder's files take. PyInstaller links the Qt libraries into ``_internal/``;
    a symbolic link costs nothing, so only the file it points to is counted."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def add_desktop_files(folder: Path) -> None:
    """The freedesktop.org menu entry and the icon it names, where ``~/.local/share`` has them."""
    share = folder / "share"
    for source, target in [
        (ROOT / "packaging" / "notebook-app.desktop", share / "applications"),
        (ROOT / "resources" / "icons" / "notebook-app.svg",
         share / "icons" / "hicolor" / "scalable" / "apps"),
    ]:  # fmt: skip
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / source.name)


def build(dist: Path, work: Path) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "generate_qt_modules.py"), "--check"],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work),
         str(ROOT / "packaging" / "notebook-app.spec")],
        check=True,
    )  # fmt: skip
    folder = dist / "notebook-app"
    add_desktop_files(folder)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    folder = build(args.dist, args.work)
    print(f"built {folder} ({folder_size(folder) / 1e6:.0f} MB unpacked)")
    print(f"run it: {folder / 'notebook-app'}")
    print("install for this user (the menu entry runs `notebook-app` from PATH):")
    print(f"  ln -s {folder / 'notebook-app'} ~/.local/bin/notebook-app")
    print(f"  cp -r {folder / 'share'}/. ~/.local/share/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
