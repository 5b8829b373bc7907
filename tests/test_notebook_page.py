"""The ML / AI-safety notebook page sample: glossary terms, learning statuses, meetings, a note."""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.notebook_page import looks_like_notebook_page, parse_notebook_page
from notebook_app.core.model.entry import Entry, Kind, LearningStatus
from notebook_app.core.storage.notebook import Notebook

PAGE = "ml-notebook-page.txt"
SampleText = Callable[[str], str]  # the sample_text fixture: a sample's text by file name
GLOSSARY_SIZE = 16  # bullets under "Terms and Concepts"
LEARNING_ONLY = 5  # learning-list items that name no glossary term
# Lines that are structure, not content: the section titles that became kinds and statuses, a
# label grouping learning items, and the two sections' prefaces.
DROPPED_LINES = {
    "What I'm Learning",
    "What I Want To Learn",
    "What I've learnt thus far",
    "Evaluation and Analysis",
    "Terms and Concepts",
    '(in a rough decreasing order of "high-levelness", these terms tend to get updated as I '
    "learn more!)",
    "People I've Met in AI Safety",
    "(anonymized - of course)",
}


@pytest.fixture
def page(sample_text: SampleText) -> list[Entry]:
    return parse_notebook_page(sample_text(PAGE))


def by_title(entries: list[Entry], title: str) -> Entry:
    (entry,) = [entry for entry in entries if entry.title == title]
    return entry


def of_kind(entries: list[Entry], kind: Kind) -> list[Entry]:
    return [entry for entry in entries if entry.kind is kind]


# --- what the page becomes -------------------------------------------------------------------


def test_the_page_becomes_terms_meetings_and_one_note(page: list[Entry]) -> None:
    counts = collections.Counter(entry.kind for entry in page)
    assert counts == {Kind.TERM: GLOSSARY_SIZE + LEARNING_ONLY, Kind.MEETING: 3, Kind.NOTE: 1}


def test_glossary_terms_keep_the_pages_order_and_definitions(page: list[Entry]) -> None:
    terms = sorted(of_kind(page, Kind.TERM), key=lambda term: term.glossary_position or 0)
    assert [term.glossary_position for term in terms] == [float(n) for n in range(1, 22)]
    assert [term.title for term in terms[:3]] == [
        "Deceit and Honesty",
        "Reinforcement learning from human feedback",
        "Mistral's 8x7B and Uncensored Models",
    ]
    assert by_title(page, "Monosemanticity").body == (
        "The fact that some neurons only do one thing, making them easier to interpret. "
        "Check this out!"
    )
    # Split at " - " when it comes before any colon.
    assert by_title(page, "Deceit and Honesty").body == (
        "See this post on LessWrong - really interesting!"
    )
    # A bullet that ends at its colon takes the bare line below it.
    assert by_title(page, "The AI Pause Debate").body == "AI Pause Debate"


def test_a_terms_further_paragraphs_belong_to_it(page: list[Entry]) -> None:
    vae = by_title(page, "Variational auto-encoder (VAE)")
    paragraphs = vae.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("A VAE is an autoencoder")
    assert paragraphs[1].startswith("It does this via")  # dedented: a paragraph, not code
    assert paragraphs[3] == "Credit for below image."
    # The next bullet is the next term, not more of this one.
    assert "autoencoder is a type of convolutional" not in vae.body
    assert by_title(page, "Auto-encoder").body.startswith("An autoencoder is a type of")


def test_learning_lists_set_statuses(page: list[Entry]) -> None:
    assert by_title(page, "Sparse Coding").learning_status is LearningStatus.WANT
    assert by_title(page, "Gemini by Google").learning_status is LearningStatus.WANT
    # "Variational Autoencoders" (learnt) is the glossary's VAE, not a second term.
    vae = by_title(page, "Variational auto-encoder (VAE)")
    assert vae.learning_status is LearningStatus.LEARNED
    assert vae.aliases == ["Variational Autoencoders"]
    assert by_title(page, "Monosemanticity").learning_status is None


def test_learning_items_without_a_term_become_terms_after_the_glossary(
    page: list[Entry],
) -> None:
    glossary_end = by_title(page, "Auto-encoder").glossary_position  # the glossary's last
    assert glossary_end == GLOSSARY_SIZE
    expected = {
        "Independent Component Analysis": LearningStatus.WANT,
        "How Gato by DeepMind truly works": LearningStatus.WANT,
        "UAE's AIS Space (or at least the most recent parts of it)": LearningStatus.LEARNED,
        "Principal Component Analysis": LearningStatus.LEARNED,
        "The underlying principle behind transformers": LearningStatus.LEARNED,
    }
    for title, status in expected.items():
        term = by_title(page, title)
        assert term.learning_status is status
        assert term.body == ""
        assert (term.glossary_position or 0) > GLOSSARY_SIZE
    # Labels between the bullets are not items.
    titles = {entry.title for entry in page}
    assert "Evaluation and Analysis" not in titles
    assert not any(title.startswith("Steering and Evaluation") for title in titles)


def test_meetings_name_who_was_met(page: list[Entry]) -> None:
    meetings = of_kind(page, Kind.MEETING)
    assert [meeting.who for meeting in meetings] == [
        "a former EA VP fellow",
        "an eval researcher",
        "a (former) Berkeley Ph.D. student",
    ]
    eval_meeting = by_title(page, "Meeting with an eval researcher")
    assert eval_meeting.body.startswith("- Incredibly useful and provided a lot of clarity")
    assert eval_meeting.body.endswith("I had posted in an AI safety workspace.")
    assert "•" not in eval_meeting.body


def test_the_rest_is_one_note_with_headings_and_a_list(page: list[Entry]) -> None:
    (note,) = of_kind(page, Kind.NOTE)
    assert note.title == "Arjun Yadav"
    assert note.body.startswith("This page serves as my machine learning/AI safety notebook")
    for heading in ("Steering and Evaluation Research + Large Language Models (LLMs)",
                    "Key Readings and Lectures", "Jan-Feb 2024", "Summer 2023",
                    "Papers + Notes (if open access)", "Related Projects and Posts"):  # fmt: skip
        assert f"\n## {heading}\n" in note.body + "\n"
    assert "\n- Finished with my work for Dioptra!\n" in note.body
    assert "\n- EfficientFormer: Vision Transformers at MobileNet:\n" in note.body
    assert "•" not in note.body
    # What became terms and meetings is not repeated in the note.
    assert "Monosemanticity" not in note.body and "Meeting with" not in note.body


def test_every_entry_shares_the_pages_tag(page: list[Entry]) -> None:
    assert {tuple(entry.tags) for entry in page} == {("Arjun-Yadav",)}


def test_no_text_is_lost_but_the_structure_lines(sample_text: SampleText) -> None:
    text = sample_text(PAGE)
    entries = parse_notebook_page(text)
    kept = " ".join(
        " ".join([entry.title, entry.body, *entry.aliases]) for entry in entries
    ).split()
    content = [line for line in text.split("\n") if line.strip() not in DROPPED_LINES]
    missing = {word.strip(":") for word in " ".join(content).split() if word != "•"}
    missing -= {word.strip(":") for word in kept}
    assert missing == set()


# --- detection -------------------------------------------------------------------------------


def test_the_page_is_recognised(sample_text: SampleText) -> None:
    assert looks_like_notebook_page(sample_text(PAGE))


@pytest.mark.parametrize(
    "name", ["notion-application-page.txt", "podcast-summary.txt", "reading-log.md"]
)
def test_other_samples_are_not_notebook_pages(sample_text: SampleText, name: str) -> None:
    assert not looks_like_notebook_page(sample_text(name))


def test_detection_needs_a_real_glossary_or_meetings() -> None:
    assert not looks_like_notebook_page("Some notes\n\nI met people and learnt terms today.\n")
    # A glossary title over bullets that define nothing is just a list.
    assert not looks_like_notebook_page("Terms and Concepts\n\n  • RLHF\n  • SAE\n")
    # A title inside a sentence is not a section.
    assert not looks_like_notebook_page(
        "Key terms and concepts of the episode\n\n  • RLHF: feedback\n  • SAE: autoencoder\n"
    )
    assert looks_like_notebook_page("Me\n\nTerms and Concepts\n\n  • RLHF: a\n  • SAE: b\n")
    assert looks_like_notebook_page("Me\n\nPeople I've Met\n\nMeeting with a PI\n\n  • Nice\n")


# --- import ----------------------------------------------------------------------------------


def test_ids_follow_kind_and_title_not_the_text(sample_text: SampleText) -> None:
    text = sample_text(PAGE)
    first = {entry.title: entry.id for entry in parse_notebook_page(text)}
    edited = text.replace("making them easier to interpret", "so easier to read")
    again = {entry.title: entry.id for entry in parse_notebook_page(edited)}
    assert first == again
    assert len(set(first.values())) == len(first)


def test_importing_the_page_twice_adds_nothing(
    samples_dir: Path, tmp_path: Path, notebook: Notebook
) -> None:
    plan = plan_import(notebook, samples_dir / PAGE)
    assert plan.ok and not plan.duplicates
    assert plan.counts_by_kind() == {"note": 1, "term": 21, "meeting": 3}
    report = apply_import(notebook, plan)
    assert report.imported == notebook.count_entries() == 25

    again = plan_import(notebook, samples_dir / PAGE)
    assert len(again.new) == 0 and len(again.updates) == 0 and again.unchanged == 25
    apply_import(notebook, again)
    assert notebook.count_entries() == 25

    # The user edits a definition on the page: re-importing updates that term only.
    edited = tmp_path / PAGE
    edited.write_text(
        (samples_dir / PAGE).read_text(encoding="utf-8").replace("Check this out!", "Neat."),
        encoding="utf-8",
    )
    changed = plan_import(notebook, edited)
    assert [entry.title for entry in changed.updates] == ["Monosemanticity"]
    assert len(changed.new) == 0
    apply_import(notebook, changed)
    assert notebook.count_entries() == 25
    monosemanticity = next(e for e in notebook.iter_entries() if e.title == "Monosemanticity")
    assert monosemanticity.body.endswith("Neat.")
    assert monosemanticity.glossary_position == 6.0


def test_cli_import_reports_the_counts(
    samples_dir: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(db_path)]
    assert main([*db, "import", str(samples_dir / PAGE)]) == 0
    out = capsys.readouterr().out
    assert "imported 25 entries" in out and "(1 note, 21 terms, 3 meetings)" in out
    assert main([*db, "import", str(samples_dir / PAGE)]) == 0
    assert "imported 0 entries, updated 0, 25 unchanged" in capsys.readouterr().out
