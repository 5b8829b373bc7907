"""Matching a note's source lines to its preview's blocks (gui/scroll_sync.py), without Qt."""

from __future__ import annotations

from notebook_app.gui.scroll_sync import interpolate, match_blocks, text_key


def test_keys_ignore_markup_and_link_targets() -> None:
    assert text_key("## The *Bitter* Lesson") == text_key("The Bitter Lesson")
    assert text_key("- [ ] send [the draft](https://example.com/x) today") == text_key(
        "☐ send the draft today"
    )
    assert text_key("-") == ""


def test_blocks_match_the_first_line_after_the_last_match() -> None:
    lines = ["# Notes", "", "Key Ideas", "- first idea", "", "Key Ideas", "- second idea"]
    blocks = ["Notes", "Key Ideas", "first idea", "Key Ideas", "second idea", "unknown"]
    assert match_blocks(lines, blocks) == [(0, 0), (2, 1), (3, 2), (5, 3), (6, 4)]
    # A paragraph wrapped over several source lines is known by its first line.
    assert match_blocks(["Long paragraph that", "goes on"], ["Long paragraph that goes on"]) == [
        (0, 0)
    ]


def test_interpolate_between_anchors() -> None:
    anchors = [(0.0, 0.0), (10.0, 100.0), (20.0, 1000.0)]
    assert interpolate(anchors, 5) == 50
    assert interpolate(anchors, 15) == 550
    assert interpolate(anchors, 30) == 1000
