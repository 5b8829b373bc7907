"""A user's vault imported faithfully, placed by identity on re-import, exported as it was."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notebook_app.core.errors import ImportProblem
from notebook_app.core.formats.export_folder import ExportProblem
from notebook_app.core.formats.exporting import combined_document, export_vault
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.vault_files import folder_counts
from notebook_app.core.model.entry import Entry, Kind, ReadingStatus
from notebook_app.core.storage.notebook import Notebook


def write_tree(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def read_tree(root: Path) -> dict[str, str]:
    found = {}
    for path in root.rglob("*.md"):
        found[path.relative_to(root).as_posix()] = path.read_bytes().decode("utf-8")
    return found


def run_import(notebook: Notebook, folder: Path) -> str:
    plan = plan_import(notebook, folder)
    assert plan.ok, plan.summary()
    return apply_import(notebook, plan).summary()


def by_path(notebook: Notebook) -> dict[str, Entry]:
    return {
        (f"{e.folder}/" if e.folder else "") + (e.file_name or ""): e
        for e in notebook.iter_entries()
    }


ODD_VAULT = {
    "Templates/daily.md": "---\ncreated: {{date}}\ntags: [daily]\n---\n# {{title}}\n",
    "status list.md": "---\nstatus:\n  - reading\n  - x\n---\ntext\n",
    "tree.md": "---\ntags: [0🌲, ok]\n---\n#inline and `#code` and\n\n    #indented\n",
    "draft.md": (
        "---\nstatus: draft\nkind: book\nurl:\n  - http://a\n  - 'http://b'\n"
        "date: 2024-01-02\npublish: true\ncssclasses: [a, b]\n# a comment\n"
        "nested: {a: 1, b: [1, 2.5, null]}\n---\nx\n"
    ),
    "Done.md": "---\nstatus: Done\n---\n",
    "one/Obsidian URI.md": "---\nid: 1\ntitle: Obsidian URI\n---\none\n",
    "two/Obsidian URI.md": "---\nid: 1\ntitle: Obsidian URI\n---\ntwo\n",
    "dendron.md": "---\ncreated: 1636492098123\nupdated: 1636492098\n---\nd\n",
    "same1/x.md": "same\n",
    "same2/x.md": "same\n",
    "v1.10.md": "# 1.10.3\n",
    "v1.10.3.md": "# 1.10.3\n",
    "t1.md": "#ML\n",
    "t2.md": "#ml\n",
}


def test_an_odd_vault_is_imported_whole_with_warnings(tmp_path: Path, notebook: Notebook) -> None:
    write_tree(tmp_path / "v", ODD_VAULT)
    plan = plan_import(notebook, tmp_path / "v")
    assert plan.ok and len(plan.new) == len(ODD_VAULT)
    report = plan.summary()
    assert "warning: draft.md: front matter 'kind'" in report
    assert "'draft'" in report and "url" in report
    assert "warning: Templates/daily.md: front matter is not valid YAML" in report
    assert "warning: status list.md: front matter 'status' should be text" in report
    apply_import(notebook, plan)
    entries = by_path(notebook)
    # Titles are the file names; a foreign id is a property, not the entry's id.
    assert entries["v1.10.md"].title == "v1.10" and entries["v1.10.3.md"].title == "v1.10.3"
    one, two = entries["one/Obsidian URI.md"], entries["two/Obsidian URI.md"]
    assert one.id != two.id and (one.body, two.body) == ("one\n", "two\n")
    assert (one.folder, two.folder) == ("one", "two")
    assert entries["same1/x.md"].id != entries["same2/x.md"].id
    draft = entries["draft.md"]
    assert draft.kind is Kind.NOTE and draft.url is None and draft.reading_status is None
    assert entries["Done.md"].reading_status is None
    assert entries["Templates/daily.md"].body == ODD_VAULT["Templates/daily.md"]
    assert entries["dendron.md"].created == dt.datetime(2021, 11, 9, 21, 8, 18, 123000,
                                                        tzinfo=dt.UTC)  # fmt: skip
    # Emoji tags are tags (Obsidian's rule); not in code, not indented code.
    assert entries["tree.md"].tags == ["0🌲", "ok", "inline"]
    # Unchanged: nothing updates, tags in two cases included.
    again = plan_import(notebook, tmp_path / "v")
    assert (len(again.new), len(again.updates), again.unchanged) == (0, 0, len(ODD_VAULT))
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == ODD_VAULT


def test_edited_moved_and_renamed_files_keep_their_entries(
    tmp_path: Path, notebook: Notebook
) -> None:
    vault = tmp_path / "v"
    write_tree(vault, {"a.md": "alpha\n", "b.md": "---\nx: 1\n---\nbeta\n", "c.md": "gamma\n"})
    run_import(notebook, vault)
    before = by_path(notebook)
    (vault / "a.md").write_text("alpha, edited\n", encoding="utf-8")
    (vault / "sub").mkdir()
    os.rename(vault / "b.md", vault / "sub" / "b.md")
    os.rename(vault / "c.md", vault / "renamed.md")
    plan = plan_import(notebook, vault)
    assert (len(plan.new), len(plan.updates), plan.unchanged) == (0, 3, 0)
    apply_import(notebook, plan)
    after = by_path(notebook)
    assert len(after) == 3
    assert after["a.md"].id == before["a.md"].id and after["a.md"].body == "alpha, edited\n"
    assert after["a.md"].version == 2 and notebook.history(after["a.md"].id)
    assert after["sub/b.md"].id == before["b.md"].id
    assert after["renamed.md"].id == before["c.md"].id and after["renamed.md"].title == "renamed"
    assert plan_import(notebook, vault).unchanged == 3


def test_an_edit_in_the_app_keeps_the_other_properties(tmp_path: Path, notebook: Notebook) -> None:
    text = "---\npublish: true\ndate: 2024-01-02\nstatus: reading\nextra: {a: [1]}\n---\nbody\n"
    write_tree(tmp_path / "v", {"f/n.md": text})
    run_import(notebook, tmp_path / "v")
    (entry,) = notebook.iter_entries()
    assert entry.reading_status is ReadingStatus.READING
    notebook.update(entry.id, entry.version, reading_status=ReadingStatus.DONE, tags=["new"])
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = (tmp_path / "out" / "f" / "n.md").read_text(encoding="utf-8")
    head = yaml.safe_load(written.split("---\n")[1])
    assert head == {"publish": True, "date": dt.date(2024, 1, 2), "status": "done",
                    "extra": {"a": [1]}, "tags": ["new"]}  # fmt: skip
    assert list(head)[:4] == ["publish", "date", "status", "extra"]
    assert written.endswith("---\nbody\n")


def test_a_field_set_in_the_app_keeps_properties_that_held_none_of_its_keys(
    tmp_path: Path, notebook: Notebook
) -> None:
    write_tree(tmp_path / "v", {"n.md": "---\npublish: true\n---\nbody\n", "m.md": "{x: 1}\n"})
    (tmp_path / "v" / "b.md").write_text("---\n{status: reading, x: 2}\n---\n", encoding="utf-8")
    run_import(notebook, tmp_path / "v")
    entries = by_path(notebook)
    for name in ("n.md", "b.md"):
        entry = entries[name]
        notebook.update(entry.id, entry.version, url="https://example.org")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    written = read_tree(tmp_path / "out")
    assert written["n.md"] == "---\npublish: true\nurl: https://example.org\n---\nbody\n"
    assert yaml.safe_load(written["b.md"].split("---\n")[1]) == {
        "status": "reading",
        "x": 2,
        "url": "https://example.org",
    }
    assert written["m.md"] == "{x: 1}\n"


def test_entries_made_in_the_app_go_to_their_kinds_folders(
    tmp_path: Path, notebook: Notebook
) -> None:
    write_tree(tmp_path / "v", {"Projects/p.md": "p\n"})
    run_import(notebook, tmp_path / "v")
    notebook.add(Entry(kind=Kind.TERM, title="Superposition"))
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert sorted(read_tree(tmp_path / "out")) == ["Projects/p.md", "glossary/Superposition.md"]


def test_the_apps_own_export_comes_back_by_id(tmp_path: Path, notebook: Notebook) -> None:
    entry = notebook.add(Entry(kind=Kind.NOTE, title="Mine", body="b"))
    export_vault(notebook.iter_entries(), tmp_path / "out")
    text = (tmp_path / "out" / "notes" / "Mine.md").read_text(encoding="utf-8")
    assert text.startswith(f"---\nnotebook-app-id: {entry.id}\n")
    plan = plan_import(notebook, tmp_path / "out")
    assert (len(plan.new), plan.unchanged) == (0, 1)
    # An earlier export's `id:` is still the entry's id.
    (tmp_path / "old").mkdir()
    old = text.replace("notebook-app-id:", "id:")
    (tmp_path / "old" / "Mine.md").write_text(old, encoding="utf-8")
    assert plan_import(notebook, tmp_path / "old").unchanged == 1


def test_folders_are_searched_and_counted(tmp_path: Path, notebook: Notebook) -> None:
    files = {"a/x.md": "x\n", "a/b/y.md": "y\n", "ab/z.md": "z\n", "r.md": "r\n", "s p/w.md": "w\n"}
    write_tree(tmp_path / "v", files)
    run_import(notebook, tmp_path / "v")
    notebook.add(Entry(kind=Kind.NOTE, title="made in the app"))
    assert sorted(h.title for h in notebook.search("folder:a")) == ["x", "y"]
    assert [h.title for h in notebook.search("folder:a/b")] == ["y"]
    assert [h.title for h in notebook.search('folder:"s p"')] == ["w"]
    others = ["made in the app", "r", "w", "z"]
    assert sorted(h.title for h in notebook.search("-folder:a")) == others
    assert folder_counts(notebook.conn) == {"a": 2, "a/b": 1, "ab": 1, "s p": 1}


def test_the_combined_document_is_refused_in_one_line(tmp_path: Path, notebook: Notebook) -> None:
    notebook.add(Entry(kind=Kind.NOTE, title="Read", url="https://x", body="b"))
    (tmp_path / "all.md").write_text(combined_document(notebook.iter_entries()), encoding="utf-8")
    plan = plan_import(notebook, tmp_path / "all.md")
    (failure,) = plan.failures
    assert "combined document" in failure.reason and "\n" not in failure.reason
    with pytest.raises(ImportProblem):
        apply_import(notebook, plan)


# --- round trip, property-based ------------------------------------------------------------------

_NAME = st.text(
    string.ascii_letters + string.digits + "éü한글 -_.", min_size=1, max_size=12
).filter(lambda name: name.strip(" .") == name and name.upper() not in ("CON", "NUL", "AUX", "PRN"))
_SCALAR = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_NAME, inner, max_size=3),
    max_leaves=6,
)
_STYLE = st.sampled_from([None, "'", '"'])


@st.composite
def vault_files(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 5))):
        folders = draw(st.lists(_NAME, max_size=2))
        name = draw(_NAME) + ".md"
        path = "/".join([*folders, name])
        if path.lower() in {p.lower() for p in files} or any(
            p.lower().startswith(path.lower() + "/") or path.lower().startswith(p.lower() + "/")
            for p in files
        ):
            continue
        data = draw(st.dictionaries(_NAME, _VALUE, max_size=5))
        body = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                                          exclude_characters="\r\x00"), max_size=60))  # fmt: skip
        head = ""
        if data or draw(st.booleans()):
            style = draw(_STYLE)
            dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                    default_style=style) if data else ""  # fmt: skip
            head = f"---\n{dumped}---\n"
        files[path] = head + body
    return files


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=vault_files())
def test_random_vaults_survive_import_and_export_byte_for_byte(
    tmp_path: Path, files: dict[str, str]
) -> None:
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    write_tree(work / "v", files)
    with Notebook.open(work / "nb.db") as notebook:
        run_import(notebook, work / "v")
        assert notebook.count_entries() == len(files)
        export_vault(notebook.iter_entries(), work / "out")
    assert read_tree(work / "out") == files


def test_a_reexport_knows_its_nested_and_top_files(tmp_path: Path, notebook: Notebook) -> None:
    # The survey reaches the folders an export wrote into: an unchanged re-export writes
    # nothing, and a user's edit to a nested or top-level note is a conflict, not overwritten.
    vault = tmp_path / "vault"
    (vault / "projects" / "2024").mkdir(parents=True)
    (vault / "projects" / "2024" / "deep.md").write_text("deep\n", encoding="utf-8")
    (vault / "top.md").write_text("top\n", encoding="utf-8")
    apply_import(notebook, plan_import(notebook, vault))
    out = tmp_path / "out"
    export_vault(list(notebook.iter_entries()), out)
    assert export_vault(list(notebook.iter_entries()), out).written == 0
    for path in ("projects/2024/deep.md", "top.md"):
        (out / path).write_text("edited by the user\n", encoding="utf-8")
        with pytest.raises(ExportProblem, match="changed since the last export"):
            export_vault(list(notebook.iter_entries()), out)
        assert (out / path).read_text(encoding="utf-8") == "edited by the user\n"
        (out / path).unlink()


def test_an_impossible_date_is_text_not_an_import_that_stops(
    tmp_path: Path, notebook: Notebook
) -> None:
    # A typo YAML reads as a timestamp but no calendar has (month 13, 30 February, 25 o'clock)
    # stopped the whole import with "unexpected ValueError"; it is kept as the text it is.
    typos = {
        "typo.md": "---\ncreated: 2024-13-45\nreviewed: 2024-02-30 25:00\n---\nkept\n",
        "nested.md": "---\nmeta: {due: 2024-02-30}\ncreated: 2024-01-05\n---\nx\n",
    }
    write_tree(tmp_path / "v", typos)
    plan = plan_import(notebook, tmp_path / "v")
    assert plan.ok and len(plan.new) == 2
    assert "warning: typo.md: front matter 'created' is not a date and time: '2024-13-45'" in (
        plan.summary()
    )
    apply_import(notebook, plan)
    assert by_path(notebook)["nested.md"].created == dt.datetime(2024, 1, 5, tzinfo=dt.UTC)
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == typos


def test_a_term_from_a_vault_comes_back_without_the_notebooks_glossary_order(
    tmp_path: Path, notebook: Notebook
) -> None:
    # kind: term gives the entry a place in the glossary; export and sync wrote it into the
    # file (glossary_position: 1024.0), a change the user never made. A file that holds the
    # key gets the order the notebook has now.
    files = {
        "Superposition.md": "---\nkind: term\naliases: [SP]\n---\nMore features than dims.\n",
        "Polysemantic.md": "---\nkind: term\nglossary_position: 1\n---\nMany meanings.\n",
    }
    write_tree(tmp_path / "v", files)
    run_import(notebook, tmp_path / "v")
    export_vault(notebook.iter_entries(), tmp_path / "out")
    assert read_tree(tmp_path / "out") == files
    term = by_path(notebook)["Superposition.md"]
    notebook.update(term.id, term.version, body="Edited.\n")
    poly = by_path(notebook)["Polysemantic.md"]
    notebook.move_term(poly.id, after=term.id)
    export_vault(notebook.iter_entries(), tmp_path / "again")
    again = read_tree(tmp_path / "again")
    assert again["Superposition.md"] == "---\nkind: term\naliases: [SP]\n---\nEdited.\n"
    assert "glossary_position: 1\n" not in again["Polysemantic.md"]
