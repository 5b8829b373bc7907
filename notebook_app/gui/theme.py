"""Look: the Fusion style with a light or dark palette, the app stylesheet, icons, preview CSS.

Everything comes from the compiled Qt resources (``generated/resources_rc.py``), so a source
checkout, an installed wheel and the frozen binary show the same thing with no files to find.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QFile, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from notebook_app.core.api import Kind, SourceType
from notebook_app.gui.generated import resources_rc  # noqa: F401  (registers the resources)

KIND_ICON_FILES = {Kind.NOTE: "note", Kind.TERM: "term", Kind.MEETING: "meeting"}
# A note with a source type shows that type's icon in the list (a note without one, the note's).
SOURCE_ICON_FILES = {source: f"source-{source.value}" for source in SourceType}


def resource_text(path: str) -> str:
    file = QFile(path)
    if not file.open(QFile.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"missing Qt resource {path}")
    try:
        return bytes(file.readAll().data()).decode("utf-8")
    finally:
        file.close()


def icon(name: str) -> QIcon:
    return QIcon(f":/icons/{name}.svg")


def kind_icons() -> dict[Kind, QIcon]:
    return {kind: icon(name) for kind, name in KIND_ICON_FILES.items()}


def source_icons() -> dict[SourceType, QIcon]:
    return {source: icon(name) for source, name in SOURCE_ICON_FILES.items()}


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def preview_css(widget: QWidget | None = None) -> str:
    """The preview's CSS for the current palette (the same files the core renders for)."""
    return _preview_css_for("dark" if is_dark(widget) else "light")


@functools.cache
def _preview_css_for(theme: str) -> str:
    # Asked for on every preview refresh (each keystroke): read the resources once. The
    # compiled resources never change while the app runs.
    # The layout both themes share, then the theme's colours, then its code colours.
    return "\n".join(
        resource_text(path)
        for path in (
            ":/preview/preview.css",
            f":/preview/preview-{theme}.css",
            f":/preview/pygments-{theme}.css",
        )
    )


def show_unset_as_hint(combo: QComboBox) -> None:
    """While ``combo`` holds its first, empty choice ("Source type", "No status"), draw it in
    the placeholder colour, as a line edit draws its hint: never mistaken for a value."""

    def update(_index: int = 0) -> None:
        unset = combo.currentData() is None
        if combo.property("unset") != unset:
            combo.setProperty("unset", unset)
            combo.style().unpolish(combo)  # the app sheet's QComboBox[unset="true"] rule
            combo.style().polish(combo)

    combo.currentIndexChanged.connect(update)
    update()


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26272b",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2c30",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#5b5bd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2c30",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        # Dimmer than the text (#e8eaed) by far, so an empty field's hint never reads as a
        # value; still 4.6:1 on the fields' #17181a.
        QPalette.ColorRole.PlaceholderText: "#80868b",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Mid: "#3c4043",
        QPalette.ColorRole.Midlight: "#303134",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    return palette


def light_palette() -> QPalette:
    palette = QApplication.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#5b5bd6"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """``light``, ``dark`` or ``system`` (the desktop's colour scheme, where Qt can tell)."""
    app.setStyle("Fusion")
    if theme == "system":
        scheme = app.styleHints().colorScheme()
        theme = "dark" if scheme == Qt.ColorScheme.Dark else "light"
    palette = dark_palette() if theme == "dark" else light_palette()
    app.setPalette(palette)
    # Combo boxes are fields too: drawn on the fields' colour, not the lighter button colour
    # (in the dark theme a combo box stood out brighter than the line edits beside it).
    combo = QPalette(palette)
    combo.setColor(QPalette.ColorRole.Button, palette.color(QPalette.ColorRole.Base))
    app.setPalette(combo, "QComboBox")  # type: ignore[arg-type]  # (the stubs say bytes)
    app.setStyleSheet(resource_text(":/styles/app.qss"))
    app.setWindowIcon(icon("notebook-app"))
