"""Where the app's bundled, read-only resources (preview CSS, icons, ...) live on disk.

The same code runs from three layouts, tried in this order:

1. an installed wheel, which ships them inside the package as ``notebook_app/_resources``
   (this also covers a PyInstaller build that collects that folder with the package);
2. a PyInstaller frozen app, which unpacks data next to the code in ``sys._MEIPASS``, as
   ``_resources`` or ``resources``;
3. a source checkout, where they are ``<repo>/resources`` beside the ``notebook_app`` package.

No Qt here: callers get a plain :class:`pathlib.Path`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../notebook_app


def _candidates() -> Iterator[Path]:
    yield _PACKAGE_DIR / "_resources"
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        yield Path(meipass) / "_resources"
        yield Path(meipass) / "resources"
    # Only trust <parent>/resources when the parent really is our checkout: in site-packages a
    # stray top-level "resources" folder could belong to any other distribution.
    checkout = _PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file():
        yield checkout / "resources"


@functools.cache
def resources_dir() -> Path:
    """Return the directory holding the app's resources (see the module docstring).

    Raises FileNotFoundError, naming every place looked at, when none exists: a broken install
    should fail loudly rather than show an unstyled preview.
    """
    tried: list[Path] = []
    for candidate in _candidates():
        if candidate.is_dir():
            return candidate
        tried.append(candidate)
    raise FileNotFoundError(
        "notebook-app resources not found; looked in: " + ", ".join(str(p) for p in tried)
    )
