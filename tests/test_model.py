from __future__ import annotations

import datetime as dt

import pytest

from notebook_app.core.errors import InvalidEntryError
from notebook_app.core.model.entry import (
    Entry,
    Kind,
    LearningStatus,
    ReadingStatus,
    format_timestamp,
    normalize_tag,
    normalize_tags,
    parse_status,
    parse_timestamp,
)


def test_tags_are_cleaned_and_deduplicated_case_insensitively() -> None:
    assert normalize_tag("  #ML / Interpretability ") == "ML/Interpretability"
    assert normalize_tags(["ml", "ML", "#ml", "safety", "한국어"]) == ["ml", "safety", "한국어"]


@pytest.mark.parametrize("bad", ["", "#", "a//b", "a b/!c", "/"])
def test_invalid_tags_are_refused(bad: str) -> None:
    with pytest.raises(InvalidEntryError):
        normalize_tag(bad)


def test_entry_refuses_fields_of_another_kind() -> None:
    with pytest.raises(InvalidEntryError, match="has no field 'who'"):
        Entry(kind=Kind.NOTE, title="x", who="someone").validate()
    with pytest.raises(InvalidEntryError, match="title"):
        Entry(kind=Kind.NOTE, title="   ").validate()
    with pytest.raises(InvalidEntryError, match="one line"):
        Entry(kind=Kind.NOTE, title="two\nlines").validate()


def test_statuses_accept_what_users_type() -> None:
    assert parse_status("to read") is ReadingStatus.TO_READ
    assert parse_status("Learnt") is LearningStatus.LEARNED
    with pytest.raises(InvalidEntryError, match="unknown status"):
        parse_status("someday")


def test_timestamps_are_utc_iso_and_round_trip() -> None:
    moment = dt.datetime(2024, 11, 18, 13, 40, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    text = format_timestamp(moment)
    assert text == "2024-11-18T04:40:00.000000Z"
    assert parse_timestamp(text) == moment


def test_entry_dict_round_trip() -> None:
    entry = Entry(
        kind=Kind.TERM,
        title="Superposition",
        body="More features than dimensions.",
        tags=["mechinterp"],
        aliases=["polysemanticity"],
        learning_status=LearningStatus.LEARNING,
        glossary_position=2.5,
    )
    assert Entry.from_dict(entry.to_dict()) == entry


def test_a_dict_missing_or_nulling_fields_gives_their_defaults() -> None:
    entry = Entry.from_dict({"kind": "note", "title": "x", "body": None, "tags": None})
    assert (entry.body, entry.tags, entry.aliases, entry.version) == ("", [], [], 0)
    assert entry.updated == entry.created


def test_json_numbers_are_whole_when_they_can_be() -> None:
    from notebook_app.core.model.fields import json_number

    assert [json_number(v) for v in (17.0, 2.5, -3.0, None)] == [17, 2.5, -3, None]
    assert isinstance(json_number(17.0), int)
    assert json_number(float("inf")) == float("inf")
