"""Small helpers for the words of messages, shared by the command line, import and export."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one: "1 file", "2 files", "0 entries".

    The plural is ``noun + "s"``, ``-ies`` for a consonant and ``y`` ("entry"), or
    ``plural_form`` when given (irregular words).
    """
    if count == 1:
        return f"{count} {noun}"
    if plural_form is None:
        if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
            plural_form = noun[:-1] + "ies"
        else:
            plural_form = noun + "s"
    return f"{count} {plural_form}"
