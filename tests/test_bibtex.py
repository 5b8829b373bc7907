"""BibTeX out and in: the paper notes as a .bib file, a .bib file as notes, and back."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.errors import ImportProblem
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.model.entry import EDITABLE_FIELDS, Entry, Kind, SourceType
from notebook_app.core.papers.bibtex import (
    bibtex_document,
    citation_key,
    latex_escape,
    parse_bibtex,
    split_authors,
)
from notebook_app.core.storage.notebook import Notebook

PAPERS = [
    Entry(kind=Kind.NOTE, title="Attention Is All You Need", authors="Ashish Vaswani, Noam Shazeer",
          url="https://arxiv.org/abs/1706.03762v7", source_type=SourceType.PAPER,
          read_on=dt.date(2024, 5, 2)),
    Entry(kind=Kind.NOTE, title="Deep learning & the 50% rule: $x_1$ {braces} #1 ~ ^",
          authors="LeCun, Yann and Bengio, Yoshua", url="https://doi.org/10.1038/nature14539",
          read_on=dt.date(2015, 5, 1)),
    Entry(kind=Kind.NOTE, title="Old-style paper", authors="Juan Maldacena",
          url="https://arxiv.org/abs/hep-th/9711200", read_on=dt.date(2020, 1, 1)),
    Entry(kind=Kind.NOTE, title="Attention sinks", authors="Guangxuan Xiao",
          url="https://arxiv.org/pdf/2309.17453", source_type=SourceType.PAPER),
    Entry(kind=Kind.NOTE, title="A paper without a link", source_type=SourceType.PAPER,
          authors="Ann Author; Bob Writer", read_on=dt.date(2023, 7, 9)),
]  # fmt: skip
NOT_PAPERS = [
    Entry(kind=Kind.NOTE, title="A talk", url="https://www.youtube.com/watch?v=x",
          source_type=SourceType.VIDEO),
    Entry(kind=Kind.TERM, title="Superposition", body="More features than dimensions."),
]  # fmt: skip
BIB_FIELDS = ("title", "authors", "url", "source_type")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notes_by_title(notebook: Notebook) -> dict[str, Entry]:
    return {hit.title: notebook.get(hit.id) for hit in notebook.search("", limit=1000)}


@pytest.fixture
def papers(notebook: Notebook) -> Notebook:
    notebook.add_many([p.replace() for p in PAPERS] + [n.replace() for n in NOT_PAPERS])
    return notebook


def test_export_writes_one_entry_per_paper(papers: Notebook) -> None:
    text, count = bibtex_document(papers.iter_entries())
    assert count == len(PAPERS) == text.count("\n@") + 1
    assert "@misc{vaswani2017attention," in text
    assert "eprint = {1706.03762}," in text and "archivePrefix = {arXiv}," in text
    assert "eprint = {hep-th/9711200}," in text
    assert "@article{lecun2015deep," in text and "doi = {10.1038/nature14539}," in text
    assert r"Deep learning \& the 50\% rule: \$x\_1\$ \{braces\} \#1" in text
    assert "author = {Ann Author and Bob Writer}," in text
    assert "month = {jun}," in text  # 1706: June 2017, not the day read
    assert "youtube" not in text and "Superposition" not in text
    assert parse_bibtex(text)  # what it writes, it reads


def test_keys_are_unique() -> None:
    taken: set[str] = set()
    entry = Entry(kind=Kind.NOTE, title="The Same", authors="Jo Smith", read_on=dt.date(2020, 1, 1))
    keys = [citation_key(entry, taken) for _ in range(3)]
    assert keys == ["smith2020same", "smith2020samea", "smith2020sameb"]
    assert citation_key(Entry(kind=Kind.NOTE, title="?"), set()) == "anon"


def test_authors_are_split_every_way_they_are_written() -> None:
    assert split_authors("A. One, B. Two and C. Three") == ["A. One", "B. Two", "C. Three"]
    assert split_authors("One, Ann and Two, Bob") == ["One, Ann", "Two, Bob"]
    assert split_authors("Ann One; Bob Two") == ["Ann One", "Bob Two"]
    assert split_authors("Ann One & Bob Two, et al.") == ["Ann One", "Bob Two"]
    assert split_authors(None) == [] and split_authors("  ") == []
    assert latex_escape("a_b & c") == r"a\_b \& c"


def test_round_trip(papers: Notebook, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(bibtex_document(papers.iter_entries())[0], encoding="utf-8")
    with Notebook.open(tmp_path / "other.db") as other:
        report = apply_import(other, plan_import(other, bib))
        assert report.imported == len(PAPERS)
        back = notes_by_title(other)
        for paper in PAPERS:
            got = back[paper.title]
            for name in ("title", "url"):
                assert getattr(got, name) == getattr(paper, name), (paper.title, name)
            assert split_authors(got.authors) == split_authors(paper.authors)
            assert got.source_type in (paper.source_type, SourceType.PAPER)
        # The arXiv paper without a day read: its month, from the id.
        assert back["Attention sinks"].read_on == dt.date(2023, 9, 1)
        # Exporting what was imported gives the same file.
        assert bibtex_document(other.iter_entries())[0] == bib.read_text(encoding="utf-8")


def test_reimport_updates_instead_of_duplicating(papers: Notebook, tmp_path: Path) -> None:
    original = notes_by_title(papers)["Attention Is All You Need"]
    papers.update(original.id, original.version, body="my own summary", tags=["mine"])
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{v, title = {Attention Is All You Need (revised)}, author = {Vaswani, Ashish},\n"
        "  eprint = {1706.03762}, archivePrefix = {arXiv}, year = 2017}\n"
        "@article{l, title = {Deep learning}, author = {LeCun, Yann},\n"
        "  doi = {10.1038/NATURE14539}, year = 2015}\n"
        "@misc{n, title = {Brand new}, url = {https://arxiv.org/abs/2409.13373v2},\n"
        "  abstract = {An abstract.}, keywords = {ml, sparse autoencoders, ???}}\n",
        encoding="utf-8",
    )
    count = papers.count_entries()
    report = apply_import(papers, plan_import(papers, bib))
    assert (report.imported, report.updated) == (1, 2)
    assert papers.count_entries() == count + 1
    now = papers.get(original.id)
    assert now.title == "Attention Is All You Need (revised)"
    assert (now.body, now.tags, now.read_on) == ("my own summary", ["mine"], dt.date(2024, 5, 2))
    new = notes_by_title(papers)["Brand new"]
    assert (new.body, new.tags, new.read_on) == ("An abstract.", ["ml", "sparse-autoencoders"],
                                                 dt.date(2024, 9, 1))  # fmt: skip
    # A third time: nothing changes.
    again = apply_import(papers, plan_import(papers, bib))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    unchanged = {name: getattr(now, name) for name in EDITABLE_FIELDS}
    assert {name: getattr(papers.get(original.id), name) for name in EDITABLE_FIELDS} == unchanged


MALFORMED = """@misc{good, title = {Fine}}

@misc{broken, title = {Never closed
  author = {Someone}

@misc{also_good, title = {Also fine}}
"""


def test_a_malformed_file_is_refused_with_its_line(notebook: Notebook, tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match=r"line 3"):
        parse_bibtex(MALFORMED)
    with pytest.raises(ImportProblem, match=r"line 2: entry 'x' has no title"):
        parse_bibtex("\n@misc{x, author = {A}}\n")


def test_the_command_line_refuses_it_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nb.db"
    with Notebook.open(db) as notebook:
        notebook.add_many([p.replace() for p in PAPERS])
        notebook.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = sha256(db)
    bib = tmp_path / "bad.bib"
    bib.write_text(MALFORMED, encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(bib)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "nothing was imported" in err
    with Notebook.open(db) as notebook:
        assert notebook.count_entries() == len(PAPERS)
        notebook.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert sha256(db) == before


def test_export_bibtex_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nb.db"
    with Notebook.open(db) as notebook:
        notebook.add_many([p.replace(tags=["papers"]) for p in PAPERS[:2]])
        notebook.add_many([p.replace() for p in PAPERS[2:]])
    out = tmp_path / "refs.bib"
    assert main(["--db", str(db), "export", "--bibtex", str(out), "--tag", "papers"]) == 0
    assert out.read_text().count("@") == 2
    assert "wrote 2 papers" in capsys.readouterr().out
    assert main(["--db", str(db), "export", "--bibtex", str(tmp_path / "no" / "x.bib")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_urls_and_dois_are_read_verbatim_not_as_latex() -> None:
    # As LaTeX, "%" would start a comment, "~" be a space and "&" vanish.
    text = r"""@misc{u,
  title = {Caf{\'e} 50\% \& more},
  url = {https://example.org/~user/a_b%20c.pdf?x=1&y=2},
  doi = {10.1000/ABC\_def}
}
"""
    (record,) = parse_bibtex(text)
    assert record.url == "https://example.org/~user/a_b%20c.pdf?x=1&y=2"
    assert record.doi == "10.1000/ABC_def"
    assert record.title == "Café 50% & more"  # the other fields are still LaTeX


def test_one_author_written_family_first_stays_one_author() -> None:
    text = r"""@misc{w, title = {M}, author = {Witten, Edward}}
@misc{m, title = {N}, author = {Witten, Edward and Juan Maldacena and King, Jr, Martin}}
@misc{k, title = {O}, author = {LeCun, Yann and Bengio, Yoshua}}
"""
    one, mixed, both = (record.authors for record in parse_bibtex(text))
    assert one == "Witten, Edward" and split_authors(one) == ["Witten, Edward"]  # as written
    assert split_authors(mixed) == ["Edward Witten", "Juan Maldacena", "Martin King Jr"]
    assert both == "LeCun, Yann and Bengio, Yoshua"  # read back the same: kept as written
    entry = Entry(
        kind=Kind.NOTE, title="M", authors=one, url="https://arxiv.org/abs/hep-th/9901001"
    )
    assert "author = {Witten, Edward}," in bibtex_document([entry])[0]


def test_entries_repeating_a_key_are_all_imported(notebook: Notebook, tmp_path: Path) -> None:
    bib = tmp_path / "merged.bib"
    bib.write_text(
        "@string{lg = {Learning}}\n"
        "@misc{smith2020, title = {First {P}aper}, author = {Ann Smith}, year = 2020}\n"
        "@misc{smith2020, title = lg, eprint = {2409.13373v2}, archivePrefix = {arXiv}}\n",
        encoding="utf-8",
    )
    first, second = parse_bibtex(bib.read_text(encoding="utf-8"))
    assert (first.key, first.title, first.line) == ("smith2020", "First Paper", 2)
    assert (second.key, second.title, second.line) == ("smith2020", "Learning", 3)
    assert second.arxiv == "2409.13373"
    assert apply_import(notebook, plan_import(notebook, bib)).imported == 2


def test_a_lone_author_written_family_first_is_one_name_wherever_it_comes_from() -> None:
    # Typed in the authors field, or one item of a literature note's authors: list.
    from notebook_app.core.formats.markdown_files import joined_names

    for name in ["Witten, Edward", "Le, Quoc V.", "O'Neil, J. R.", "손, 흥민"]:
        assert split_authors(name) == [name]
    assert split_authors("Ashish Vaswani, Noam Shazeer") == ["Ashish Vaswani", "Noam Shazeer"]
    assert split_authors("Vaswani, Shazeer, Parmar") == ["Vaswani", "Shazeer", "Parmar"]
    assert split_authors("Vaswani, Ashish and Shazeer, Noam") == [
        "Vaswani, Ashish",
        "Shazeer, Noam",
    ]
    assert joined_names(["Vaswani, Ashish"]) == "Vaswani, Ashish"
    assert split_authors(joined_names(["Vaswani, Ashish"])) == ["Vaswani, Ashish"]
    entry = Entry(kind=Kind.NOTE, title="Attention", authors="Vaswani, Ashish",
                  url="https://arxiv.org/abs/1706.03762")  # fmt: skip
    assert "author = {Vaswani, Ashish}" in bibtex_document([entry])[0]
