"""The ML / AI-safety notebook page sample: glossary terms, learning statuses, meetings, a note."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from notebook_app.cli import main
from notebook_app.core.formats.importing import apply_import, plan_import
from notebook_app.core.formats.notebook_page import looks_like_notebook_page, parse_notebook_page
from notebook_app.core.model.entry import Entry, Kind, LearningStatus
from notebook_app.core.storage.notebook import Notebook

from conftest import Samples

PAGE = "ml-notebook-page.txt"
SampleText = Callable[[str], str]  # the sample_text fixture: a sample's text by file name


@dataclasses.dataclass(frozen=True)
class KnownPage:
    """What one notebook page is known to hold (the real sample, or the fixture in its shape)."""

    title: str
    glossary_size: int  # bullets under "Terms and Concepts"
    first_terms: list[str]
    definitions: dict[str, str]  # plain; split at " - "; a bare line under "Title:"
    long_term: str  # a term with four paragraphs: the first starts with its definition
    long_term_starts: tuple[str, str]  # how its first two paragraphs start
    long_term_ends: str  # its last paragraph
    next_term: tuple[str, str, str]  # the term after it: title, body start, text not in long_term
    last_term: str  # the glossary's last
    statuses: dict[str, LearningStatus | None]
    alias: tuple[str, str, LearningStatus]  # a term, the learning item naming it, its status
    learning_only: dict[str, LearningStatus]  # learning-list items that name no glossary term
    labels: tuple[str, str]  # a label between learning bullets; the line that ends the lists
    meetings: list[str]  # who was met
    meeting: tuple[str, str, str]  # a meeting: title, body start, body end
    note_start: str
    note_headings: tuple[str, ...]
    note_items: tuple[str, ...]
    not_in_note: tuple[str, ...]
    # Lines that are structure, not content: the section titles that became kinds and
    # statuses, a label grouping learning items, and the two sections' prefaces.
    dropped_lines: set[str]
    id_edit: tuple[str, str]  # an edit to a definition that must not change any id
    edit: tuple[str, str, str, float]  # an edited definition: old, new, its term, its position


SAMPLE_PAGE = KnownPage(
    title="Arjun Yadav",
    glossary_size=16,
    first_terms=[
        "Deceit and Honesty",
        "Reinforcement learning from human feedback",
        "Mistral's 8x7B and Uncensored Models",
    ],
    definitions={
        "Monosemanticity": "The fact that some neurons only do one thing, making them easier to "
        "interpret. Check this out!",
        "Deceit and Honesty": "See this post on LessWrong - really interesting!",
        "The AI Pause Debate": "AI Pause Debate",
    },
    long_term="Variational auto-encoder (VAE)",
    long_term_starts=("A VAE is an autoencoder", "It does this via"),
    long_term_ends="Credit for below image.",
    next_term=(
        "Auto-encoder",
        "An autoencoder is a type of",
        "autoencoder is a type of convolutional",
    ),
    last_term="Auto-encoder",
    statuses={
        "Sparse Coding": LearningStatus.WANT,
        "Gemini by Google": LearningStatus.WANT,
        "Monosemanticity": None,
    },
    alias=("Variational auto-encoder (VAE)", "Variational Autoencoders", LearningStatus.LEARNED),
    learning_only={
        "Independent Component Analysis": LearningStatus.WANT,
        "How Gato by DeepMind truly works": LearningStatus.WANT,
        "UAE's AIS Space (or at least the most recent parts of it)": LearningStatus.LEARNED,
        "Principal Component Analysis": LearningStatus.LEARNED,
        "The underlying principle behind transformers": LearningStatus.LEARNED,
    },
    labels=("Evaluation and Analysis", "Steering and Evaluation"),
    meetings=["a former EA VP fellow", "an eval researcher", "a (former) Berkeley Ph.D. student"],
    meeting=(
        "Meeting with an eval researcher",
        "- Incredibly useful and provided a lot of clarity",
        "I had posted in an AI safety workspace.",
    ),
    note_start="This page serves as my machine learning/AI safety notebook",
    note_headings=(
        "Steering and Evaluation Research + Large Language Models (LLMs)",
        "Key Readings and Lectures",
        "Jan-Feb 2024",
        "Summer 2023",
        "Papers + Notes (if open access)",
        "Related Projects and Posts",
    ),
    note_items=(
        "Finished with my work for Dioptra!",
        "EfficientFormer: Vision Transformers at MobileNet:",
    ),
    not_in_note=("Monosemanticity", "Meeting with"),
    dropped_lines={
        "What I'm Learning",
        "What I Want To Learn",
        "What I've learnt thus far",
        "Terms and Concepts",
        "People I've Met in AI Safety",
        "Evaluation and Analysis",
        '(in a rough decreasing order of "high-levelness", these terms tend to get updated as I '
        "learn more!)",
        "(anonymized - of course)",
    },
    id_edit=("making them easier to interpret", "so easier to read"),
    edit=("Check this out!", "Neat.", "Monosemanticity", 6.0),
)
FIXTURE_PAGE = KnownPage(
    title="Dana Okafor",
    glossary_size=8,
    first_terms=["Goodhart's law", "Reward hacking", "Scalable oversight"],
    definitions={
        "Polysemantic neuron": "A neuron that responds to several unrelated things at once, "
        "which makes it hard to name. Worth a second read.",
        "Goodhart's law": "when a measure becomes a target, it stops being a good measure: the "
        "classic warning for benchmarks.",
        "Scalable oversight": "Scalable oversight reading list",
    },
    long_term="Sparse autoencoder (SAE)",
    long_term_starts=("An autoencoder with a wide hidden layer", "The penalty pushes"),
    long_term_ends="Diagram to add later.",
    next_term=("Linear probe", "A logistic regression on hidden", "logistic regression"),
    last_term="Autoencoder",
    statuses={
        "Reward hacking": LearningStatus.WANT,
        "Linear probe": LearningStatus.WANT,
        "Activation patching": None,
    },
    alias=("Sparse autoencoder (SAE)", "Sparse Autoencoders", LearningStatus.LEARNED),
    learning_only={
        "Kernel methods": LearningStatus.WANT,
        "Category theory for ML": LearningStatus.WANT,
        "Backpropagation by hand": LearningStatus.LEARNED,
        "Gradient checkpointing": LearningStatus.LEARNED,
    },
    labels=("Theory", "Interpretability + Evaluations"),
    meetings=["a policy researcher", "an interpretability engineer", "a (former) startup founder"],
    meeting=(
        "Meeting with an interpretability engineer",
        "- Very practical advice on keeping experiments small",
        "then decide whether to go on.",
    ),
    note_start="A scratchpad for everything I pick up",
    note_headings=(
        "Interpretability + Evaluations",
        "Readings and Talks",
        "Oct 2024",
        "Summer 2024",
        "Papers I Took Notes On",
        "Side Projects",
    ),
    note_items=("Started a reading group on interpretability papers!", "Held-out Evaluation Sets:"),
    not_in_note=("Polysemantic", "Meeting with"),
    dropped_lines={
        "What I am currently learning",
        "What I Would Like To Learn",
        "What I have learned so far",
        "Glossary",
        "People I have met",
        "Theory",
        "(sorted from the broadest idea to the narrowest; I move things around as I learn more)",
        "(names left out on purpose)",
    },
    id_edit=("which makes it hard to name", "so hard to name"),
    edit=("Worth a second read.", "Neat.", "Polysemantic neuron", 4.0),
)


@pytest.fixture
def known(samples: Samples) -> KnownPage:
    return samples.known(real=SAMPLE_PAGE, fixture=FIXTURE_PAGE)


@pytest.fixture
def page(sample_text: SampleText) -> list[Entry]:
    return parse_notebook_page(sample_text(PAGE))


def by_title(entries: list[Entry], title: str) -> Entry:
    (entry,) = [entry for entry in entries if entry.title == title]
    return entry


def of_kind(entries: list[Entry], kind: Kind) -> list[Entry]:
    return [entry for entry in entries if entry.kind is kind]


# --- what the page becomes -------------------------------------------------------------------


def test_the_page_becomes_terms_meetings_and_one_note(page: list[Entry], known: KnownPage) -> None:
    counts = collections.Counter(entry.kind for entry in page)
    terms = known.glossary_size + len(known.learning_only)
    assert counts == {Kind.TERM: terms, Kind.MEETING: 3, Kind.NOTE: 1}


def test_glossary_terms_keep_the_pages_order_and_definitions(
    page: list[Entry], known: KnownPage
) -> None:
    terms = sorted(of_kind(page, Kind.TERM), key=lambda term: term.glossary_position or 0)
    assert [term.glossary_position for term in terms] == [
        float(n) for n in range(1, known.glossary_size + len(known.learning_only) + 1)
    ]
    assert [term.title for term in terms[:3]] == known.first_terms
    # As written; split at " - " when it comes before any colon; a bullet that ends at its
    # colon takes the bare line below it.
    assert {title: by_title(page, title).body for title in known.definitions} == known.definitions


def test_a_terms_further_paragraphs_belong_to_it(page: list[Entry], known: KnownPage) -> None:
    term = by_title(page, known.long_term)
    paragraphs = term.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith(known.long_term_starts[0])
    assert paragraphs[1].startswith(known.long_term_starts[1])  # dedented: not code
    assert paragraphs[3] == known.long_term_ends
    # The next bullet is the next term, not more of this one.
    next_title, next_start, next_text = known.next_term
    assert next_text not in term.body
    assert by_title(page, next_title).body.startswith(next_start)


def test_learning_lists_set_statuses(page: list[Entry], known: KnownPage) -> None:
    for title, status in known.statuses.items():
        assert by_title(page, title).learning_status is status, title
    # A learning item that names a glossary term with another spelling ("Variational
    # Autoencoders", learnt, is the glossary's VAE) is that term, not a second one.
    title, item, status = known.alias
    term = by_title(page, title)
    assert term.learning_status is status
    assert term.aliases == [item]


def test_learning_items_without_a_term_become_terms_after_the_glossary(
    page: list[Entry], known: KnownPage
) -> None:
    glossary_end = by_title(page, known.last_term).glossary_position  # the glossary's last
    assert glossary_end == known.glossary_size
    for title, status in known.learning_only.items():
        term = by_title(page, title)
        assert term.learning_status is status
        assert term.body == ""
        assert (term.glossary_position or 0) > known.glossary_size
    # Labels between the bullets are not items, nor is the line that ends the lists.
    titles = {entry.title for entry in page}
    label, end = known.labels
    assert label not in titles
    assert not any(title.startswith(end) for title in titles)


def test_meetings_name_who_was_met(page: list[Entry], known: KnownPage) -> None:
    meetings = of_kind(page, Kind.MEETING)
    assert [meeting.who for meeting in meetings] == known.meetings
    title, start, end = known.meeting
    meeting = by_title(page, title)
    assert meeting.body.startswith(start)
    assert meeting.body.endswith(end)
    assert "•" not in meeting.body


def test_the_rest_is_one_note_with_headings_and_a_list(page: list[Entry], known: KnownPage) -> None:
    (note,) = of_kind(page, Kind.NOTE)
    assert note.title == known.title
    assert note.body.startswith(known.note_start)
    for heading in known.note_headings:
        assert f"\n## {heading}\n" in note.body + "\n"
    for item in known.note_items:
        assert f"\n- {item}\n" in note.body
    assert "•" not in note.body
    # What became terms and meetings is not repeated in the note.
    for text in known.not_in_note:
        assert text not in note.body


def test_every_entry_shares_the_pages_tag(page: list[Entry], known: KnownPage) -> None:
    assert {tuple(entry.tags) for entry in page} == {(known.title.replace(" ", "-"),)}


def test_no_text_is_lost_but_the_structure_lines(samples: Samples, known: KnownPage) -> None:
    text = samples.text(PAGE)
    entries = parse_notebook_page(text)
    kept = " ".join(
        " ".join([entry.title, entry.body, *entry.aliases]) for entry in entries
    ).split()
    content = [line for line in text.split("\n") if line.strip() not in known.dropped_lines]
    missing = {word.strip(":") for word in " ".join(content).split() if word != "•"}
    missing -= {word.strip(":") for word in kept}
    assert missing == set()
    assert all(line in text.split("\n") for line in known.dropped_lines)


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


def test_ids_follow_kind_and_title_not_the_text(samples: Samples, known: KnownPage) -> None:
    text = samples.text(PAGE)
    first = {entry.title: entry.id for entry in parse_notebook_page(text)}
    old, new = known.id_edit
    assert old in text
    again = {entry.title: entry.id for entry in parse_notebook_page(text.replace(old, new))}
    assert first == again
    assert len(set(first.values())) == len(first)


def test_importing_the_page_twice_adds_nothing(
    samples_dir: Path, tmp_path: Path, notebook: Notebook, known: KnownPage
) -> None:
    plan = plan_import(notebook, samples_dir / PAGE)
    assert plan.ok and not plan.duplicates
    terms = known.glossary_size + len(known.learning_only)
    total = 1 + terms + 3
    assert plan.counts_by_kind() == {"note": 1, "term": terms, "meeting": 3}
    report = apply_import(notebook, plan)
    assert report.imported == notebook.count_entries() == total

    again = plan_import(notebook, samples_dir / PAGE)
    assert len(again.new) == 0 and len(again.updates) == 0 and again.unchanged == total
    apply_import(notebook, again)
    assert notebook.count_entries() == total

    # The user edits a definition on the page: re-importing updates that term only.
    old, new, title, position = known.edit
    edited = tmp_path / PAGE
    edited.write_text(
        (samples_dir / PAGE).read_text(encoding="utf-8").replace(old, new), encoding="utf-8"
    )
    changed = plan_import(notebook, edited)
    assert [entry.title for entry in changed.updates] == [title]
    assert len(changed.new) == 0
    apply_import(notebook, changed)
    assert notebook.count_entries() == total
    term = next(e for e in notebook.iter_entries() if e.title == title)
    assert term.body.endswith(new)
    assert term.glossary_position == position


def test_cli_import_reports_the_counts(
    samples_dir: Path, db_path: Path, capsys: pytest.CaptureFixture[str], known: KnownPage
) -> None:
    terms = known.glossary_size + len(known.learning_only)
    total = 1 + terms + 3
    db = ["--db", str(db_path)]
    assert main([*db, "import", str(samples_dir / PAGE)]) == 0
    out = capsys.readouterr().out
    assert f"imported {total} entries" in out and f"(1 note, {terms} terms, 3 meetings)" in out
    assert main([*db, "import", str(samples_dir / PAGE)]) == 0
    assert f"imported 0 entries, updated 0, {total} unchanged" in capsys.readouterr().out
