"""Front matter is emitted as YAML events (fast); it must read back exactly, and be the YAML
PyYAML's own representer would have written."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from notebook_app.core.formats.front_matter_yaml import front_matter_yaml

# Any text, including what YAML treats specially: booleans, numbers, dates, null, indicators,
# line breaks of every kind, control characters, emoji.
_tricky = st.sampled_from(["yes", "No", "ON", "null", "~", "", " ", "1.5", "0x1F", "1:20",
                           "2024-06-01", "- item", "a: b", "#tag", "'q'", '"q"', "x\n", "\n",
                           "a\u2028b", "a\x85b", "\ufeffx", "tab\tin", "📜 paper", "ʻokina",
                           "trailing ", "- [ ] a\n- [x] b", "  lead\nline"])  # fmt: skip
_text = st.text() | _tricky
_value = _text | st.lists(_text, max_size=3) | st.floats(allow_nan=False) | st.integers()


def _literal_blocks(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)  # fmt: skip


class _Reference(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """PyYAML's representer path, same emitter, same literal-block choice for multi-line text."""


class _PythonReference(yaml.SafeDumper):
    """The same with PyYAML's Python emitter (used for text beyond U+FFFF)."""


_Reference.add_representer(str, _literal_blocks)
_PythonReference.add_representer(str, _literal_blocks)
# U+0085, U+2028 and U+2029 are double-quoted on purpose (see front_matter_yaml): left out here.
# Text the app can hold: valid Unicode (a lone surrogate cannot come from a UTF-8 file or be saved).
_plain_text = st.text(
    alphabet=st.characters(codec="utf-8", blacklist_characters="\x85\u2028\u2029")
)
_plain_value = (_plain_text | _tricky.filter(lambda t: not ({"\x85", "\u2028"} & set(t)))
                | st.lists(_plain_text, max_size=3) | st.floats(allow_nan=False)
                | st.integers())  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["title", "tags", "who", "glossary_position",
                                              "authors", "url"]), _value, max_size=6))  # fmt: skip
def test_front_matter_reads_back_exactly(data: dict[str, Any]) -> None:
    text = front_matter_yaml(data)
    assert (yaml.safe_load(text) or {}) == data


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["title", "tags", "status"]), _plain_value,
                            max_size=3))  # fmt: skip
def test_front_matter_is_what_pyyaml_writes(data: dict[str, Any]) -> None:
    texts = [v for value in data.values() for v in (value if isinstance(value, list) else [value])
             if isinstance(v, str)]  # fmt: skip
    dumper = _PythonReference if any(t and max(t) > "\uffff" for t in texts) else _Reference
    expected = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    assert front_matter_yaml(data) == expected


def _read(text: str) -> Any:
    """What the importer reads from front matter text."""
    from notebook_app.core.formats.front_matter_yaml import _load_yaml

    return _load_yaml(text)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["title", "tags", "who", "glossary_position"]),
                            _value, max_size=4))  # fmt: skip
def test_the_importer_reads_what_the_exporter_writes(data: dict[str, Any]) -> None:
    assert (_read(front_matter_yaml(data)) or {}) == data


# Front matter as people write it by hand or other tools write it: every value form YAML has.
_scalars = st.sampled_from(["x", "Hello world", "yes", "No", "on", "null", "~", "", "12", "-3",
                            "1.5", "1e3", ".inf", "0x1F", "0o17", "1:20", "2024-06-01",
                            "2024-06-01 10:00:00", "'quoted: yes'", '"dq \\u00e9"', "[a, b]",
                            "[1, 'two']", "{a: 1}", "&anchor x", "*anchor", "!!str 12",
                            "! tagged", "|\n  block\n  text", ">\n  folded\n  text",
                            "a: b", "#comment", "- item", "%", "@at", "`tick"])  # fmt: skip
_lines = st.lists(st.tuples(st.sampled_from(["title", "tags", "aliases", "created", "x y"]),
                            _scalars), min_size=1, max_size=5)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(lines=_lines, as_list=st.booleans())
def test_reading_front_matter_is_pyyamls_reading(
    lines: list[tuple[str, str]], as_list: bool
) -> None:
    if as_list:
        text = "tags:\n" + "".join(f"- {value}\n" for _key, value in lines)
    else:
        text = "".join(f"{key}: {value}\n" for key, value in lines)
    try:
        expected: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        expected = yaml.YAMLError
    try:
        got: Any = _read(text)
    except yaml.YAMLError:
        got = yaml.YAMLError
    assert got == expected
