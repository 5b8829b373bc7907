"""The window's parts on their own: editor, preview, background renderer, list and tag models."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from notebook_app.core.model.entry import Entry, Kind
from notebook_app.core.search.sql import Scope, Sort
from notebook_app.core.storage.notebook import Notebook
from notebook_app.gui.entry_list_model import PAGE_SIZE, EntryListModel, EntryRoles
from notebook_app.gui.markdown_editor import MarkdownEditor
from notebook_app.gui.preview_browser import PreviewBrowser
from notebook_app.gui.tag_tree_model import TAG_NAME_ROLE, TagTreeModel


def editor_with(qtbot, text: str) -> MarkdownEditor:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    return editor


def after_enter(qtbot, text: str, *, at_line_start: bool = False) -> str:  # type: ignore[no-untyped-def]
    """The editor's text after Enter at the end of ``text`` (or at its last line's start)."""
    editor = editor_with(qtbot, text)
    if at_line_start:
        editor.moveCursor(editor.textCursor().MoveOperation.StartOfBlock)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    return editor.toPlainText()


def test_enter_continues_lists_and_ends_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_with(qtbot, "- item")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "- item\n- "
    QTest.keyClick(editor, Qt.Key.Key_Return)  # Enter on an empty item ends the list
    assert editor.toPlainText() == "- item\n"
    assert after_enter(qtbot, "  3. third") == "  3. third\n  4. "
    tasks = editor_with(qtbot, "- [x] done")
    QTest.keyClick(tasks, Qt.Key.Key_Return)
    assert tasks.toPlainText() == "- [x] done\n- [ ] "
    tasks.undo()  # one undo step takes the continuation back
    assert tasks.toPlainText() == "- [x] done"
    assert after_enter(qtbot, "just text") == "just text\n"


def after_enter_at(qtbot, text: str, column: int) -> str:  # type: ignore[no-untyped-def]
    """The editor's text after Enter at ``column`` of its last line."""
    editor = editor_with(qtbot, text)
    cursor = editor.textCursor()
    cursor.setPosition(cursor.block().position() + column)
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    return editor.toPlainText()


def test_enter_inside_an_items_text_splits_it_without_doubled_spaces(qtbot) -> None:  # type: ignore[no-untyped-def]
    # "- split| here": the space at the split goes, as in Obsidian and VS Code.
    assert after_enter_at(qtbot, "- split here", 7) == "- split\n- here"
    assert after_enter_at(qtbot, "- split here", 8) == "- split\n- here"
    assert after_enter_at(qtbot, "1. one  two", 6) == "1. one\n2. two"
    assert after_enter_at(qtbot, "- [x] done now", 10) == "- [x] done\n- [ ] now"
    assert after_enter_at(qtbot, "> a quote", 3) == "> a\n> quote"
    # Right after the marker or the task box, their own space stays.
    assert after_enter_at(qtbot, "- [ ] task", 6) == "- [ ] \n- [ ] task"
    assert after_enter_at(qtbot, "> text", 2) == "> \n> text"
    # Qt counts an emoji as two places; the split is still at the cursor.
    assert after_enter_at(qtbot, "- 🤖 bot #🌲 tree", 12) == "- 🤖 bot #🌲\n- tree"
    # Inside a word, nothing but the new line and marker.
    assert after_enter_at(qtbot, "- splitting", 7) == "- split\n- ting"


def test_enter_continues_quotes_and_the_lists_in_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    # As in Obsidian: a callout or quote goes on line after line; an empty line of it ends it.
    editor = editor_with(qtbot, "> [!note] Title")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "> [!note] Title\n> "
    QTest.keyClicks(editor, "- item")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "> [!note] Title\n> - item\n> - "
    QTest.keyClick(editor, Qt.Key.Key_Return)  # an empty item ends the list, not the quote
    assert editor.toPlainText() == "> [!note] Title\n> - item\n> "
    QTest.keyClick(editor, Qt.Key.Key_Return)  # an empty quoted line ends the quote
    assert editor.toPlainText() == "> [!note] Title\n> - item\n\n"  # and what follows is out
    editor.undo()  # each Enter was one undo step
    assert editor.toPlainText() == "> [!note] Title\n> - item\n> "
    nested = editor_with(qtbot, "> > deep")
    QTest.keyClick(nested, Qt.Key.Key_Return)
    assert nested.toPlainText() == "> > deep\n> > "
    QTest.keyClick(nested, Qt.Key.Key_Return)  # out of the inner quote, into the outer
    assert nested.toPlainText() == "> > deep\n> "
    assert after_enter(qtbot, ">text") == ">text\n> "
    # Before the marks: an ordinary new line.
    assert after_enter(qtbot, "> two words", at_line_start=True) == "\n> two words"
    # In fenced code, "- " and "> " are code: Enter is a new line, or a quoted fence's marks.
    code = "```\n>>> x = 1\n- not an item"
    assert after_enter(qtbot, code) == code + "\n"
    assert after_enter(qtbot, "> ```\n> - code") == "> ```\n> - code\n> "
    tab = editor_with(qtbot, "> - item")
    QTest.keyClick(tab, Qt.Key.Key_Tab)
    assert tab.toPlainText() == ">   - item"
    QTest.keyClick(tab, Qt.Key.Key_Backtab)
    assert tab.toPlainText() == "> - item"


def test_tab_indents_list_items_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_with(qtbot, "- item")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "  - item"
    QTest.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "- item"
    text = editor_with(qtbot, "text")
    QTest.keyClick(text, Qt.Key.Key_Tab)
    assert text.toPlainText() == "text\t"


def test_highlighter_formats_headings(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_with(qtbot, "# Title\n\nplain")
    editor.highlighter.rehighlight()
    formats = editor.document().firstBlock().layout().formats()
    assert formats and formats[0].format.fontWeight() >= 600
    assert not editor.document().lastBlock().layout().formats()


def test_preview_loads_no_local_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    for url in (secret.as_uri(), str(secret), "/etc/passwd", "https://example.com/a.png"):
        answer = preview.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert answer is not None and answer.isNull()  # an empty image: nothing to show
    assert (
        preview.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("qrc:/icons/note.svg")
        )
        is not None
    )


def test_preview_shows_no_local_file_a_note_names(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """End to end: QTextDocument reads a file from disk itself when the browser's
    loadResource answers nothing, so the answer must be an empty image, not None."""
    from PySide6.QtGui import QColor, QImage

    secret = tmp_path / "secret.png"
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(secret))
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    preview.show()
    names = [secret.as_uri(), str(secret)]
    first = "".join(f'<p><img src="{name}"></p>' for name in names)
    preview.set_rendered(first, "", [first])
    # And through the incremental path, with a second section added after the first.
    preview.set_rendered(first + "\n<p>more</p>", "", [first, "<p>more</p>"])
    for name in names:
        loaded = preview.document().resource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(name)
        )
        assert loaded is None or loaded.isNull(), name
    icon = '<p><img src="qrc:/icons/note.svg"></p>'
    preview.set_rendered(icon, "", [icon])
    shown = preview.document().resource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("qrc:/icons/note.svg")
    )
    assert shown is not None and not shown.isNull()  # the app's own images do show


def test_preview_links_become_signals_not_navigation(qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = PreviewBrowser()
    qtbot.addWidget(preview)
    preview.set_rendered("<p>text</p>", "")
    before = preview.toHtml()
    with qtbot.waitSignal(preview.externalLinkActivated) as external:
        preview.anchorClicked.emit(QUrl("https://arxiv.org"))
    assert external.args[0].toString() == "https://arxiv.org"
    with qtbot.waitSignal(preview.entryLinkActivated) as entry:
        preview.anchorClicked.emit(QUrl("entry:abc"))
    assert entry.args == ["abc"]
    with qtbot.assertNotEmitted(preview.externalLinkActivated):
        preview.anchorClicked.emit(QUrl("javascript:alert(1)"))
        preview.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert preview.toHtml() == before


def test_preview_pane_renders_off_the_gui_thread_and_shows_only_the_newest(qtbot, samples) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.preview_pane import PreviewPane
    from notebook_app.gui.tasks import TaskRunner

    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    runner = TaskRunner()
    token = ["long"]
    pane = PreviewPane(window, ui, runner, lambda _url: None, lambda: token[0])
    shown: list[object] = []
    pane.rendered.connect(shown.append)
    try:
        pane.start()
        ui.editor.setPlainText(samples.text("podcast-summary.txt"))
        assert shown == []  # the request returned before any render was delivered
        token[0] = "short"
        ui.editor.setPlainText("# Short\n\ntext")
        qtbot.waitUntil(lambda: "short" in shown, timeout=5000)
        assert runner.wait(5)
        assert shown[-1] == "short" and "long" not in shown[shown.index("short") :]
        assert ui.outline.topLevelItem(0).text(0) == "Short"
        token[0] = "long again"
        ui.editor.setPlainText(samples.text("podcast-summary.txt"))
        qtbot.waitUntil(lambda: shown[-1] == "long again", timeout=5000)
        assert ui.preview.toHtml().count("<li") > samples.known(real=500, fixture=50)
    finally:
        runner.shutdown()


def test_entry_list_model_pages(qtbot, qtmodeltester, notebook: Notebook) -> None:  # type: ignore[no-untyped-def]
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    notebook.add_many(
        Entry(
            kind=Kind.NOTE,
            title=f"entry {i:03}",
            tags=["ml/rl"] if i % 2 else ["misc"],
            created=base + dt.timedelta(minutes=i),
        )  # fmt: skip
        for i in range(250)
    )
    model = EntryListModel(notebook, {})
    model.set_query("", Scope(), None)
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):  # page after page, as the view scrolls
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 250 and not model.canFetchMore(QModelIndex())
    assert len({model.entry_id(r) for r in range(250)}) == 250
    qtmodeltester.check(model)
    model = EntryListModel(notebook, {})
    model.set_query("", Scope(tags=("ml",)), Sort.TITLE)
    # 125 entries carry ml/rl: one page of them is loaded first.
    assert model.rowCount() == PAGE_SIZE and model.data(model.index(0, 0)) == "entry 001"
    assert model.data(model.index(0, 0), EntryRoles.TAGS) == ("ml/rl",)
    model.set_query("entry", Scope(kinds=frozenset({Kind.TERM})), None)
    assert model.rowCount() == 0


def test_tag_tree_nests_and_counts(qtbot, qtmodeltester, notebook: Notebook) -> None:  # type: ignore[no-untyped-def]
    notebook.add(Entry(kind=Kind.NOTE, title="a", tags=["ml/rl", "safety"]))
    notebook.add(Entry(kind=Kind.NOTE, title="b", tags=["ml"]))
    model = TagTreeModel()
    model.reload(notebook.tag_counts())
    qtmodeltester.check(model)
    ml = model.index(0, 0)
    assert ml.data() == "ml  (2)" and ml.data(TAG_NAME_ROLE) == "ml"
    child = model.index(0, 0, ml)
    assert child.data() == "rl  (1)" and child.data(TAG_NAME_ROLE) == "ml/rl"
    assert model.tags_for_indexes([child, ml]) == ("ml/rl", "ml")
    assert [i.data(TAG_NAME_ROLE) for i in model.indexes_for_tags({"SAFETY"})] == ["safety"]


def test_list_pane_counts_on_a_worker_and_answers_the_newest_query(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    import threading

    from PySide6.QtWidgets import QMainWindow

    from notebook_app.gui.entry_list import ListPane
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.tasks import TaskRunner

    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"model {i}") for i in range(30))
        notebook.add(Entry(kind=Kind.TERM, title="other", tags=["ml", "ml/rl"]))
        notebook.add(Entry(kind=Kind.NOTE, title="b", tags=["ml/rl"]))
    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    runner = TaskRunner()
    for lane in ("read", "count"):
        runner.add_lane(lane, lambda: Notebook.open(db_path), Notebook.close)
    threads: list[str] = []
    tags: list[list] = []
    with Notebook.open(db_path) as gui_notebook:
        pane = ListPane(ui, gui_notebook, runner, {}, lambda: None)
        pane.tagsCounted.connect(
            lambda counts: (tags.append(counts), threads.append(threading.current_thread().name))
        )
        try:
            ui.searchBox.setText("model")
            pane.apply_query()
            ui.searchBox.setText("")
            pane.apply_query()  # the newest query wins: its rows and its count are shown
            pane.reload_tags()
            assert runner.wait(10)
            assert pane.entries.rowCount() == 32
            assert ui.resultLabel.text() == "32 entries"
            # ml counts each entry once although "other" carries ml and ml/rl.
            assert [(t.name, t.count, t.total) for t in tags[-1]] == [
                ("ml", 1, 2), ("ml/rl", 2, 2)
            ]  # fmt: skip
            assert threads[-1] == threading.main_thread().name  # delivered on the GUI thread
        finally:
            runner.shutdown()


def test_list_pane_reads_further_pages_on_a_worker(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    from notebook_app.gui.entry_list import ListPane
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow
    from notebook_app.gui.tasks import TaskRunner

    with Notebook.open(db_path) as notebook:
        notebook.add_many(Entry(kind=Kind.NOTE, title=f"entry {i:03}") for i in range(120))
    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    runner = TaskRunner()
    for lane in ("read", "count"):
        runner.add_lane(lane, lambda: Notebook.open(db_path), Notebook.close)
    with Notebook.open(db_path) as gui_notebook:
        pane = ListPane(ui, gui_notebook, runner, {}, lambda: None)
        try:
            pane.apply_query()
            assert runner.wait(10) and pane.entries.rowCount() == PAGE_SIZE
            pane.entries.fetchMore(QModelIndex())  # as the view does when scrolled down
            pane.entries.fetchMore(QModelIndex())  # asked again meanwhile: one page at a time
            assert pane.entries.rowCount() == PAGE_SIZE  # not read on this thread
            assert runner.wait(10) and pane.entries.rowCount() == 2 * PAGE_SIZE
            pane.select_row(2 * PAGE_SIZE - 1)
            pane.step(1)  # past the loaded rows: the next page comes, then the row is chosen
            assert runner.wait(10)
            assert pane.entries.rowCount() == 120
            assert ui.entryList.currentIndex().row() == 2 * PAGE_SIZE
        finally:
            runner.shutdown()
