"""The committed Qt modules must match their sources in ui/ and resources/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_modules_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "generate_qt_modules.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_resource_file_is_compiled_in() -> None:
    """An icon or stylesheet added to resources/ but not to the .qrc would be missing from the
    wheel and the binary."""
    qrc = (ROOT / "resources" / "resources.qrc").read_text(encoding="utf-8")
    for folder in ("icons", "styles", "preview"):
        for path in (ROOT / "resources" / folder).iterdir():
            if path.suffix in {".svg", ".qss", ".css"}:
                assert f"<file>{folder}/{path.name}</file>" in qrc, path.name


def test_widgets_carry_the_object_names_tests_and_styles_use() -> None:
    form = (ROOT / "ui" / "main_window.ui").read_text(encoding="utf-8")
    for name in ("entryList", "editor", "preview", "searchBox", "tagTree", "kindList",
                 "outline", "titleEdit", "tagsEdit"):  # fmt: skip
        assert f'name="{name}"' in form, name
