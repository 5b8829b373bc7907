"""The table of fields: everything that handles fields one by one is derived from it or agrees
with it, so adding a field to a kind is one declaration plus a migration."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from notebook_app.cli import main
from notebook_app.core.formats.markdown_files import entry_to_markdown, markdown_to_entry
from notebook_app.core.model import entry as entry_module
from notebook_app.core.model.entry import (
    ENTRY_JSON_KEYS,
    FIELD,
    FIELDS,
    KIND_FIELDS,
    Entry,
    Kind,
    LearningStatus,
)
from notebook_app.core.model.fields import Codec, Field
from notebook_app.core.model.listing import SUMMARY_FIELDS, SUMMARY_JSON_KEYS, EntrySummary, Scope
from notebook_app.core.storage import migrations, rows
from notebook_app.core.storage.notebook import Notebook

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "notebook_app"


def sample(field: Field) -> Any:
    """A non-empty value for a field, from its codec alone (so a new field gets one too)."""
    values: dict[Codec, Any] = {
        Codec.TEXT: f"{field.name} text 경력",
        Codec.LINES: f"- [ ] {field.name}\n- [x] done",
        Codec.DAY: dt.date(2024, 5, 6),
        Codec.MOMENT: dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC),
        Codec.NUMBER: 17.0,
        Codec.INTEGER: 3,
        Codec.NAMES: ["alpha", "beta/gamma"],
    }
    if field.codec is Codec.CHOICE:
        assert field.choices is not None
        return list(field.choices)[-1]
    return values[field.codec]


def full_entry(kind: Kind) -> Entry:
    """An entry of ``kind`` with every one of its fields set (but the version and the id)."""
    values = {f.name: sample(f) for f in FIELDS if f.belongs_to(kind) and f.name != "version"}
    values.update(kind=kind, title=f"A {kind.value}", id=Entry(kind=kind, title="x").id)
    return Entry(**values)


def test_each_kind_has_its_own_fields_and_one_front_matter_key_for_each() -> None:
    assert {
        kind: tuple(f.name for f in FIELDS if f.kinds == {kind}) for kind in Kind
    } == KIND_FIELDS
    for kind in Kind:
        keys = [key for f in FIELDS if f.belongs_to(kind) and f.front_matter
                for key in (f.front_matter, *f.front_matter_aliases)]  # fmt: skip
        assert len(keys) == len(set(keys)), kind
    # Only the body (the file's text), the version (the notebook's own counter) and where the
    # file lives (its folder, name, original front matter and how it spells line ends: the file
    # itself) are not in front matter; an export that left out a field would lose it.
    assert {f.name for f in FIELDS if f.front_matter is None} == {
        "body",
        "version",
        "folder",
        "file_name",
        "front_matter",
        "file_style",
    }


def test_every_field_has_its_column_in_a_migrated_notebook(notebook: Notebook) -> None:
    info = notebook.conn.execute("PRAGMA table_xinfo(entries)").fetchall()
    columns = {row[1]: row[2] for row in info}
    affinity = {Codec.NUMBER: "REAL", Codec.INTEGER: "INTEGER"}
    for field in FIELDS:
        if field.column is not None:
            assert columns.get(field.column) == affinity.get(field.codec, "TEXT"), field.name
    stored = {f.column for f in FIELDS if f.column}
    # The rest are the notebook's own: the row key, the day it computes, the CJK index text,
    # the reading queue's order (bookkeeping of this notebook: not exported).
    assert set(columns) - stored == {
        "seq",
        "day",
        "search_cjk",
        "title_cjk",
        "search_url",
        "queue_position",
    }
    assert [f.name for f in FIELDS if f.column is None] == ["tags"]  # in their own tables


def test_the_searched_fields_are_the_ones_the_index_holds() -> None:
    title_part, body_part, _cjk = re.split(r", (?=\{row\})", migrations.FTS_VALUES)

    def columns(sql: str) -> set[str]:
        return set(re.findall(r"\{row\}\.(\w+)", sql))

    assert columns(title_part) == columns(migrations.TITLE_FTS_VALUES_0002)
    assert columns(title_part) == {f.column for f in FIELDS if f.search == "title"}
    # Beside the fields, the body holds what the notebook derives from the URL (its arXiv id).
    assert columns(body_part) - {rows.SEARCH_URL} == {
        f.column for f in FIELDS if f.search == "body"
    }


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_of_a_kind_survives_every_layer(notebook: Notebook, kind: Kind) -> None:
    entry = full_entry(kind)
    assert all(getattr(entry, f.name) != f.empty for f in FIELDS
               if f.belongs_to(kind) and f.name != "version")  # fmt: skip
    stored = notebook.add(entry.replace())
    assert notebook.get(entry.id) == stored == entry.replace(version=1)
    assert Entry.from_dict(stored.to_dict()) == stored
    # Where a file lives (folder, name, its original front matter, its line ends) is the file,
    # not its text.
    assert markdown_to_entry(entry_to_markdown(stored)) == entry.replace(
        folder=None, file_name=None, front_matter=None, file_style=None
    )
    shown = stored.to_json()
    assert list(shown) == list(ENTRY_JSON_KEYS)
    assert {key for key, value in shown.items() if value is None} == {
        f.name for f in FIELDS if not f.belongs_to(kind) and f.in_json
    }
    (summary,) = notebook.search("", scope=Scope(trashed=True))
    for field in SUMMARY_FIELDS:
        expected = getattr(stored, field.name)
        assert getattr(summary, field.name) == (
            tuple(expected) if field.name == "tags" else expected
        )
    # Every searched field is found by a word of its own.
    for field in FIELDS:
        if field.search and field.belongs_to(kind) and field.codec in (Codec.TEXT, Codec.LINES):
            word = field.name.replace("_", "")
            notebook.update(entry.id, notebook.get(entry.id).version, **{field.name: f"{word} x"})
            hits = notebook.search(word, scope=Scope(trashed=True))
            assert [hit.id for hit in hits] == [entry.id], field.name


def test_our_files_list_every_tag_even_none() -> None:
    """``tags: []`` marks a file as ours: a ``#word`` in its body is then text, not a tag."""
    entry = Entry(kind=Kind.NOTE, title="Issue #12", body="See #12 and #notatag.")
    text = entry_to_markdown(entry)
    assert "tags: []" in text
    assert markdown_to_entry(text).tags == []


def test_summaries_hold_fields_of_the_table_and_the_day() -> None:
    names = [f.name for f in dataclasses.fields(EntrySummary)]
    assert set(names) - set(FIELD) == {"day", "snippet"}
    assert [f.name for f in SUMMARY_FIELDS] == [name for name in names if name in FIELD]


# --- the --json contract -------------------------------------------------------------------------


def _json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Any:
    capsys.readouterr()
    assert main(["--db", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_entries_always_carry_the_same_keys(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    with Notebook.open(db_path) as notebook:
        term = notebook.add(Entry(kind=Kind.TERM, title="Superposition", glossary_position=17.0))
        note = notebook.add(Entry(kind=Kind.NOTE, title="A paper on superposition"))
        half = notebook.add(Entry(kind=Kind.TERM, title="Polysemanticity", glossary_position=2.5))
    shown = _json(capsys, db_path, "show", term.id)
    assert list(shown) == list(ENTRY_JSON_KEYS)
    assert shown["glossary_position"] == 17 and isinstance(shown["glossary_position"], int)
    assert shown["url"] is None and shown["trashed"] is None
    assert list(_json(capsys, db_path, "show", note.id)) == list(ENTRY_JSON_KEYS)
    assert _json(capsys, db_path, "show", half.id)["glossary_position"] == 2.5

    listed = _json(capsys, db_path, "list")
    assert [list(item) for item in listed] == [list(SUMMARY_JSON_KEYS)] * 3
    assert all(item["snippet"] is None and item["highlights"] is None for item in listed)
    positions = {item["title"]: item["glossary_position"] for item in listed}
    assert positions == {"Superposition": 17, "A paper on superposition": None,
                         "Polysemanticity": 2.5}  # fmt: skip
    found = _json(capsys, db_path, "search", "superposition")
    assert [list(item) for item in found] == [list(SUMMARY_JSON_KEYS)] * 2
    assert all(isinstance(item["snippet"], str) for item in found)
    assert "version" not in ENTRY_JSON_KEYS and "version" not in SUMMARY_JSON_KEYS


# --- no field list outside the table -------------------------------------------------------------

_KIND_NAMES = {f.name for f in FIELDS if not f.common}
_WORD = re.compile(r"\w+")


def _field_names(node: ast.AST) -> set[str]:
    """The kind fields a string or a name in the code spells out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return set(_WORD.findall(node.value)) & _KIND_NAMES
    if isinstance(node, ast.Name):
        return {node.id} & _KIND_NAMES
    if isinstance(node, ast.JoinedStr):
        return set().union(*(_field_names(value) for value in node.values))
    return set()


def field_lists(source: str) -> list[tuple[int, list[str]]]:
    """Hand-written lists of fields: a string (SQL), a tuple, list or set, the keys of a dict or
    the targets of an unpacking that name three kind fields or fields of two kinds.

    Calls are not counted (``Entry(kind=Kind.TERM, learning_status=..., ...)`` builds one entry
    from what a file format holds), nor docstrings, nor ``Entry``'s own declarations.
    """
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.ClassDef) and node.name == "Entry":
            skipped.update(id(part) for item in node.body if isinstance(item, ast.AnnAssign)
                           for part in ast.walk(item))  # fmt: skip
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            names = _field_names(node)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            names = set().union(*(_field_names(e) for e in node.elts))
        elif isinstance(node, ast.Dict):
            names = set().union(*(_field_names(k) for k in node.keys if k is not None))
        else:
            continue
        kinds = {kind for name in names for kind in FIELD[name].kinds}
        if len(names) >= 3 or len(kinds) >= 2:
            found.append((node.lineno, sorted(names)))
    return found


def test_no_module_spells_out_the_fields() -> None:
    # Migrations are history: they name the columns they add, and are never edited.
    exempt = {PACKAGE / "core" / "storage" / "migrations.py"}
    found = {
        f"{path.relative_to(ROOT)}:{line}": names
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in exempt
        for line, names in field_lists(path.read_text(encoding="utf-8"))
    }
    assert found == {}


@pytest.mark.parametrize(
    "code",
    [
        '_COLUMNS = "seq, id, kind, title, url, authors, read_on"',
        "values = {'url': e.url, 'who': e.who}",
        "for name in ('source_type', 'url', 'reading_status'): pass",
        "(_seq, entry_id, url, authors, who) = row",
        'sql = f"SELECT {x}, learning_status, met_on FROM entries"',
    ],
)
def test_the_field_list_check_finds_lists(code: str) -> None:
    assert field_lists(code)


@pytest.mark.parametrize(
    "code",
    [
        "Entry(kind=Kind.NOTE, title=t, source_type=s, url=u, read_on=d, reading_status=r)",
        "title, url, source_type = current",
        "'''The note's url, authors and read_on, the meeting's who.'''",
        "entry.met_on = dt.date.today()",
    ],
)
def test_the_field_list_check_leaves_other_code_alone(code: str) -> None:
    assert field_lists(code) == []


# --- adding a field ------------------------------------------------------------------------------

# Run in a fresh interpreter: Entry is rebuilt with one more declaration (a meeting's venue), and
# the migration adding its column is appended. Nothing else changes, and the field is stored,
# listed, written to and read from front matter, printed in JSON and edited in the form.
_NEW_FIELD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import notebook_app.core.model.fields

    path = Path(notebook_app.core.model.fields.__file__).with_name("entry.py")
    anchor = "    def __post_init__(self) -> None:"
    declaration = (
        '    venue: str | None = declare(Kind.MEETING, label="Venue", widget="venueEdit")\\n\\n'
    )
    source = path.read_text(encoding="utf-8")
    assert anchor in source
    module = type(sys)("notebook_app.core.model.entry")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    source = source.replace(anchor, declaration + anchor, 1)
    exec(compile(source, str(path), "exec"), module.__dict__)

    from notebook_app.core.storage import migrations, rows

    def add_venue(db):
        db.execute("ALTER TABLE entries ADD COLUMN venue TEXT")

    migrations.STEPS.append(("0099_meeting_venue", add_venue))

    from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

    from notebook_app.core.formats.markdown_files import entry_to_markdown, markdown_to_entry
    from notebook_app.core.model.entry import Entry, Kind
    from notebook_app.core.errors import InvalidEntryError
    from notebook_app.core.storage.notebook import Notebook
    from notebook_app.gui.entry_form import EntryForm
    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow

    with Notebook.open(sys.argv[1]) as notebook:
        meeting = notebook.add(Entry(kind=Kind.MEETING, title="Call", venue="Café Rouge"))
        assert notebook.get(meeting.id).venue == "Café Rouge"
        meeting = notebook.update(meeting.id, 1, venue="The Eagle")
        assert notebook.get(meeting.id).venue == "The Eagle"
        text = entry_to_markdown(meeting)
        assert "venue: The Eagle" in text, text
        assert markdown_to_entry(text) == meeting.replace(version=0)
        assert meeting.to_json()["venue"] == "The Eagle"
        note = notebook.add(Entry(kind=Kind.NOTE, title="A note"))
        assert note.to_json()["venue"] is None
        try:
            Entry(kind=Kind.NOTE, title="x", venue="y").validate()
            raise AssertionError("a note took a venue")
        except InvalidEntryError:
            pass

    app = QApplication([])
    window = QMainWindow()
    ui = Ui_MainWindow()
    ui.setupUi(window)
    form = EntryForm(ui)
    form.fill(meeting)
    venue = ui.meetingFields.findChild(QLineEdit, "venueEdit")
    assert venue is not None and venue.text() == "The Eagle"
    assert venue.accessibleName() == "Venue"
    venue.setText("Café Rouge")
    assert form.changes()["venue"] == "Café Rouge"
    print("venue: stored, written, read, shown, edited")
    """
)


def test_a_new_field_is_one_declaration_and_a_migration(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _NEW_FIELD, str(tmp_path / "notebook.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "venue: stored, written, read, shown, edited" in result.stdout


# --- the form ------------------------------------------------------------------------------------


@pytest.fixture
def form_ui(qtbot: Any) -> Any:
    from PySide6.QtWidgets import QMainWindow

    from notebook_app.gui.generated.ui_main_window import Ui_MainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    ui.window = window  # type: ignore[attr-defined]  # kept alive as long as its widgets
    return ui


def test_the_designer_form_has_each_declared_widget_on_its_kinds_page(form_ui: Any) -> None:
    for field in FIELDS:
        if field.widget is None:
            continue
        widget = getattr(form_ui, field.widget)
        assert widget.accessibleName() == field.label, field.name
        if not field.common:
            (kind,) = field.kinds
            assert getattr(form_ui, f"{kind.value}Fields").isAncestorOf(widget), field.name
    # Every kind field is edited in the form but the glossary position (the glossary's order).
    assert {n for names in KIND_FIELDS.values() for n in names if not FIELD[n].widget} == {
        "glossary_position"
    }


@pytest.mark.parametrize("kind", list(Kind))
def test_the_form_shows_and_gives_back_every_field_it_edits(form_ui: Any, kind: Kind) -> None:
    from notebook_app.gui.entry_form import EntryForm

    form = EntryForm(form_ui)
    entry = full_entry(kind)
    entry.trashed = None
    form.fill(entry)
    changes = form.changes()
    assert form.problems == []
    page = getattr(form_ui, f"{kind.value}Fields")
    edited = {b.field.name for b in form.bindings if kind in b.kinds}
    # A kind's fields, and the common ones whose widget is on its page (a term's aliases).
    assert edited == {
        f.name
        for f in FIELDS
        if f.widget and f.belongs_to(kind)
        and (not f.common or page.isAncestorOf(getattr(form_ui, f.widget)))
    }  # fmt: skip
    assert set(changes) == {"title", "body", "tags"} | edited  # not another kind's fields
    for name in edited:
        assert changes[name] == getattr(entry, name), name
    form.fill(None)
    assert all(form.changes().get(name) in (None, []) for name in edited)


def test_the_form_labels_choices_readably(form_ui: Any) -> None:
    from notebook_app.gui.entry_form import EntryForm

    EntryForm(form_ui)
    combo = form_ui.readingStatusCombo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "No status", "To read", "Reading", "Done"]  # fmt: skip
    combo = form_ui.learningStatusCombo
    assert combo.itemText(1) == "Want to learn"
    assert [combo.itemData(i) for i in range(combo.count())] == [None, *LearningStatus]


def test_a_table_field_is_declared_on_entry_only() -> None:
    # Nothing else in the model keeps its own copy of the fields.
    assert {f.name for f in FIELDS if f.editable} == entry_module.EDITABLE_FIELDS
    assert not hasattr(entry_module, "NOTE_FIELDS")
    assert not hasattr(Notebook, "empty_trash")


def test_rows_are_read_by_name_whatever_the_column_order(notebook: Notebook) -> None:
    """A database whose columns sit in another order (a migration may append) reads the same."""
    stored = notebook.add(full_entry(Kind.NOTE))
    shuffled = f"SELECT {', '.join(reversed(rows.ENTRY_COLUMNS))} FROM entries"
    named = rows.named_rows(notebook.conn, shuffled)
    assert named.entries(notebook.tags.of_entries(named.column("seq"))) == [stored]


@pytest.mark.parametrize("codec", list(Codec))
def test_every_codec_round_trips_through_front_matter(codec: Codec) -> None:
    """So a new field of any codec is exported and imported, not only the codecs in use."""
    from notebook_app.core.formats import front_matter_yaml, markdown_files

    field = next((f for f in FIELDS if f.codec is codec), None)
    assert field is not None, f"no field uses {codec}; give it a sample and a field to copy"
    field = dataclasses.replace(field, name="extra", front_matter="extra")
    value = sample(field)
    text = front_matter_yaml.front_matter_yaml(
        {"extra": markdown_files._TO_FRONT_MATTER[codec](value)}
    )
    data, _body = front_matter_yaml.split_front_matter(f"---\n{text}---\n")
    assert data is not None
    assert markdown_files._FROM_FRONT_MATTER[codec](field, data, "extra") == value


def test_the_form_edits_a_number_field_it_was_not_designed_with(form_ui: Any) -> None:
    from notebook_app.core.errors import InvalidEntryError
    from notebook_app.gui import entry_form

    form = entry_form.EntryForm(form_ui)
    field = dataclasses.replace(FIELD["glossary_position"], widget="positionEdit", label="Order")
    binding = form._bind(field)
    assert form_ui.termFields.isAncestorOf(binding.widget) and binding.kinds == {Kind.TERM}
    entry_form._show(binding, 17.0)
    assert binding.widget.text() == "17"
    binding.widget.setText("2.5")
    assert entry_form._read(binding) == 2.5
    binding.widget.setText("first")
    with pytest.raises(InvalidEntryError, match="not a number"):
        entry_form._read(binding)
