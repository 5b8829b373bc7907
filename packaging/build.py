"""Build the one-folder binary: ``python packaging/build.py`` → ``dist/notebook-app/``.

Checks the generated Qt modules are current, runs PyInstaller with ``notebook-app.spec`` and
prints the size of the result. Needs ``pip install -e ".[package]"``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


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
    return dist / "notebook-app"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    folder = build(args.dist, args.work)
    print(f"built {folder} ({folder_size(folder) / 1e6:.0f} MB unpacked)")
    print(f"run it: {folder / 'notebook-app'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
