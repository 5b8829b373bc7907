"""The subprocess side of ``bench_gui.py``'s start-up, capture-box and memory measures.

    python benchmarks/start_driver.py start|memory|capture NOTEBOOK
    python benchmarks/start_driver.py bare -       # baseline: a bare PySide6 window
    python benchmarks/start_driver.py form NOTEBOOK  # the window's form alone (its floor)
    python benchmarks/start_driver.py widgets -      # the form's Qt widgets alone, no app code


It starts the app the way the ``notebook-app`` command does (the console script imports
``notebook_app.cli`` and calls ``main`` with the command line), watches for the first paint,
prints one JSON line and quits. It is a file of its own so that the timed process imports only
what the app imports, not the benchmark's own modules; the parent points ``XDG_CONFIG_HOME`` at
an empty folder, so each run is a first start with no saved settings.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_rss_kb() -> float:
    """This process's peak resident memory in KiB.

    Linux's ``ru_maxrss`` survives ``exec``: a process started by a parent that had grown large
    (the benchmark, after building a 100,000-entry notebook) reports the parent's size. The
    memory map's own high-water mark (VmHWM) starts afresh at ``exec``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def after_first_frame(application, window_class: str, then) -> object:  # type: ignore[no-untyped-def]
    """Calls ``then(window)`` once the first frame of a ``window_class`` window is painted:
    the first paint of any of its widgets sets a zero timer, which fires when the frame (every
    widget's paint) is done. Returns the event filter; keep it alive."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and type(watched.window()).__name__ == window_class
            ):
                self.seen = True
                window = watched.window()
                QTimer.singleShot(0, lambda: then(window))
            return False

    watcher = FirstPaint()
    application.installEventFilter(watcher)
    return watcher


def report(result: dict[str, float]) -> None:
    print(json.dumps(result), flush=True)


def bare_window() -> None:
    """The baseline: a QMainWindow holding a QPlainTextEdit, to its first frame (what any
    PySide6 window costs here: the interpreter, Qt's libraries, the platform, fonts)."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    application = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QPlainTextEdit("text"))
    window.resize(1200, 800)
    watcher = after_first_frame(  # noqa: F841 (kept alive while the loop runs)
        application, "QMainWindow", lambda _: (report({"painted": time.time()}), application.quit())
    )
    window.show()
    application.exec()


def widgets_window() -> None:
    """What PySide6 alone costs for the window's form: the same widget tree (the generated
    ``ui_main_window``, with the editor and preview as their Qt classes, QPlainTextEdit and
    QTextBrowser), a Python list model of 50 rows drawn by a Python delegate, and a Python
    highlighter over a page of text, as any PySide6 app with this form has; no notebook code
    (no core, no theme, none of the app's widget classes). The part of the window's start
    that no code of ours can remove: only the rest of the window's start is ours to shrink."""
    import types

    from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QSyntaxHighlighter, QTextCharFormat
    from PySide6.QtWidgets import (
        QApplication,
        QMainWindow,
        QPlainTextEdit,
        QStyle,
        QStyledItemDelegate,
        QStyleOptionViewItem,
        QTextBrowser,
    )

    # The generated form imports the app's editor and preview classes; here, their Qt bases.
    for module, name, widget in (
        ("markdown_editor", "MarkdownEditor", QPlainTextEdit),
        ("preview_browser", "PreviewBrowser", QTextBrowser),
    ):
        stand_in = types.ModuleType(f"notebook_app.gui.{module}")
        setattr(stand_in, name, widget)
        sys.modules[stand_in.__name__] = stand_in
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow

    Index = QModelIndex | QPersistentModelIndex

    class Rows(QAbstractListModel):
        def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
            return 50

        def data(self, index: Index, role: int = 0) -> object:
            return f"Entry {index.row()}" if role == Qt.ItemDataRole.DisplayRole else None

    class RowPainter(QStyledItemDelegate):
        def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
            return QSize(200, 40)

        def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
            rect = option.rect  # type: ignore[attr-defined]
            if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
                painter.fillRect(rect, option.palette.highlight())  # type: ignore[attr-defined]
            painter.drawText(rect.adjusted(6, 2, -6, -20), 0, str(index.data()))
            painter.drawText(rect.adjusted(6, 20, -6, 0), 0, "2026-11-26 · arxiv.org  #tag")

    class Headings(QSyntaxHighlighter):
        def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
            if text.startswith("#"):
                bold = QTextCharFormat()
                bold.setFontWeight(QFont.Weight.Bold)
                bold.setForeground(QColor("#335"))
                self.setFormat(0, len(text), bold)

    application = QApplication(sys.argv[:1])
    window = QMainWindow()
    form = Ui_MainWindow()
    form.setupUi(window)
    form.entryList.setModel(Rows(window))
    form.entryList.setItemDelegate(RowPainter(form.entryList))
    highlighter = Headings(form.editor.document())  # noqa: F841 (lives with the document)
    form.titleEdit.setText("A title")
    form.editor.setPlainText("# A title\n" + "A line of a note, as long as lines are.\n" * 60)
    window.resize(1280, 800)
    watcher = after_first_frame(  # noqa: F841 (kept alive while the loop runs)
        application, "QMainWindow", lambda _: (report({"painted": time.time()}), application.quit())
    )
    window.show()
    application.exec()


def form_window(db: str) -> None:
    """The floor of the window's start: the window's form (every widget it shows, from
    ``ui/main_window.ui``, with the editor and preview classes it names), in the app's theme,
    with the list's first page and the first entry open; none of the window's own code (menus
    and actions, the panes' logic, settings, docks' contents, what it defers). What the window
    would cost if all of its logic were free."""
    import gc

    gc.disable()  # as the window's start does (cli/window.py)
    from notebook_app.core.api import Notebook

    # isort: split
    from PySide6.QtWidgets import QMainWindow

    from notebook_app.gui.application import make_application
    from notebook_app.gui.entry_delegate import EntryDelegate
    from notebook_app.gui.entry_list_model import EntryListModel
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.theme import apply_theme, kind_icons

    application = make_application()
    apply_theme(application, "light")
    notebook = Notebook.open(Path(db))
    window = QMainWindow()
    form = Ui_MainWindow()
    form.setupUi(window)
    rows = EntryListModel(notebook, kind_icons(), window)
    form.entryList.setModel(rows)
    form.entryList.setItemDelegate(EntryDelegate(form.entryList))
    first_page = notebook.search("", limit=50)
    rows.show_rows("", rows.scope, None, first_page)
    if first_page:
        entry = notebook.get(first_page[0].id)
        form.titleEdit.setText(entry.title)
        form.editor.setPlainText(entry.body)
    watcher = after_first_frame(  # noqa: F841 (kept alive while the loop runs)
        application, "QMainWindow", lambda _: (report({"painted": time.time()}), application.quit())
    )
    window.show()
    application.exec()
    notebook.close()


def main() -> None:
    mode, db = sys.argv[1], sys.argv[2]
    if mode == "bare":
        bare_window()
        return
    if mode == "form":
        form_window(db)
        return
    if mode == "widgets":
        widgets_window()
        return
    from notebook_app import cli  # the console script's one import, first as there

    # isort: split
    from PySide6.QtWidgets import QWidget

    from notebook_app.gui.application import make_application

    # The same application ``run_window`` would build (it reuses an existing one); made here
    # first only so the paint watcher can be installed on it.
    application = make_application()

    def finish(window: QWidget) -> None:
        result = {"painted": time.time()}
        if mode == "memory":
            settle(window)
            result = {"rss_mb": peak_rss_kb() / 1024}
        report(result)
        if mode == "capture":
            window.reject()  # type: ignore[attr-defined]
        else:
            application.quit()

    def settle(window: QWidget) -> None:
        """For memory: let the first preview and result count arrive, as a user would see."""
        deadline = time.perf_counter() + 3
        while time.perf_counter() < deadline and not window.ui.resultLabel.text():  # type: ignore[attr-defined]
            application.processEvents()
            time.sleep(0.01)

    window_class = "CaptureBox" if mode == "capture" else "MainWindow"
    watcher = after_first_frame(application, window_class, finish)  # noqa: F841 (kept alive)
    argv = ["--db", db, "capture", "--window"] if mode == "capture" else ["--db", db]
    cli.main(argv)


if __name__ == "__main__":
    main()
