"""Front matter as YAML: the block at the top of a markdown file between ``---`` lines.

Writing turns a flat mapping (text, lists of text, numbers) into a YAML block; reading splits a
file into its front matter and its body, refusing YAML that is invalid, not a mapping or nested
too deeply with :class:`ImportProblem`. Which keys hold which entry fields is
``markdown_files.py``'s job; this module only speaks YAML, fast (libyaml's events) where it can.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from notebook_app.core.errors import ImportProblem

FENCE = "---\n"
"""The line that opens and closes front matter."""


# Front matter is written as YAML events straight to PyYAML's emitter (libyaml's where PyYAML
# has it): the emitter still decides every quote and escape, but PyYAML's Python representer,
# which resolved the type of every key and value of every file, took most of an export's time.
_STR_TAG = "tag:yaml.org,2002:str"
_EMITTER: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Words YAML 1.1 reads as booleans or null when unquoted; other text starting with a letter is
# always a string. Compared in lower case: a few strings ("yEs") take the exact check for nothing.
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}
_RESOLVER = yaml.resolver.Resolver()
_UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> Any:
    """A date or time, or the text as written when it is no real one (``2024-13-45``, a typo
    a vault may hold for years): the safe loaders would raise ValueError and stop the import."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


def _lenient(base: type) -> type:
    """``base``, a safe loader, reading an impossible date as text (see above)."""
    loader: Any = type(f"Lenient{base.__name__}", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    return loader


# libyaml (bundled with PyYAML's wheels) also reads front matter about ten times faster than the
# pure-Python classes; those stay as the fallback for what libyaml cannot read.
SAFE_LOADER: type = _lenient(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_FastLoader = SAFE_LOADER
_PythonLoader: type = _lenient(yaml.SafeLoader)


def _plain_reads_as_text(value: str) -> bool:
    """Whether ``value`` written unquoted would read back as this text (not a bool, a number,
    a date or null): then the emitter may leave it plain if nothing else needs quotes."""
    if value[:1].isalpha() and value.lower() not in _YAML_WORDS:
        return True
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


def _scalar_events(value: Any, flow_lists: bool = False) -> list[yaml.Event]:
    if isinstance(value, str):
        # Multi-line text as a literal block (readable action items); the emitter quotes it
        # instead where a block cannot hold it exactly. Text with the other line breaks
        # (U+0085, U+2028, U+2029) is double-quoted, where they are escaped: PyYAML's Python
        # emitter writes them raw in single quotes, and they read back as spaces.
        style = '"' if _UNICODE_BREAKS.search(value) else "|" if "\n" in value else None
        implicit = (_plain_reads_as_text(value), True)
        return [yaml.ScalarEvent(None, _STR_TAG, implicit, value, style=style)]
    if isinstance(value, list):
        return [
            yaml.SequenceStartEvent(None, None, True, flow_style=flow_lists),
            *(event for item in value for event in _scalar_events(item)),
            yaml.SequenceEndEvent(),
        ]
    if isinstance(value, float):
        tag = "tag:yaml.org,2002:float"
        return [yaml.ScalarEvent(None, tag, (True, False), _float_text(value))]
    if isinstance(value, int) and not isinstance(value, bool):
        return [yaml.ScalarEvent(None, "tag:yaml.org,2002:int", (True, False), str(value))]
    raise TypeError(f"no front matter form for {type(value).__name__}")


def _float_text(value: float) -> str:
    """As PyYAML's SafeRepresenter writes a float (``3.0``, ``1.0e+20``, ``.inf``)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _beyond_bmp(data: dict[str, Any]) -> bool:
    """Whether any text holds a character above U+FFFF (emoji): libyaml would escape it as
    ``\\U0001F4DC`` even with ``allow_unicode``, unreadable in other tools."""
    for value in data.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and text and max(text) > "\uffff":
                return True
    return False


def front_matter_yaml(data: dict[str, Any], flow_lists: bool = False) -> str:
    """``data`` (text, lists of text, numbers) as a YAML block mapping, keys in order; its
    lists an item a line, or in brackets (``[a, b]``) with ``flow_lists``."""
    events: list[yaml.Event] = [
        yaml.StreamStartEvent(),
        yaml.DocumentStartEvent(explicit=False),
        yaml.MappingStartEvent(None, None, True, flow_style=False),
    ]
    for key, value in data.items():
        events.append(yaml.ScalarEvent(None, None, (True, False), key))
        events += _scalar_events(value, flow_lists)
    events += [yaml.MappingEndEvent(), yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    emitter = yaml.SafeDumper if _beyond_bmp(data) else _EMITTER
    return yaml.emit(events, Dumper=emitter, allow_unicode=True, width=100)


# --- reading -----------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """The front matter (None if the file has none) and the body exactly as it follows it."""
    if not text.startswith(FENCE):
        return None, text
    end = text.find("\n---\n", len(FENCE) - 1)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ImportProblem("front matter is not closed (no line '---' after it)")
    yaml_text = text[len(FENCE) : end + 1]
    body = text[end + len("\n---\n") :]
    try:
        data = _load_yaml(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "invalid"
        raise ImportProblem(f"front matter is not valid YAML{line}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportProblem("front matter is not a set of key: value lines")
    return data, body


class _NotFlat(Exception):
    """Front matter that is more than keys with text, numbers or lists of them."""


_QUOTED_STYLES = {"'", '"', "|", ">"}


def _flat_mapping(text: str) -> dict[str, Any]:
    """Front matter read from the parser's events (libyaml's): keys with scalars or lists of
    scalars, which is all ours and most other tools' front matter holds. PyYAML's Python
    composer and constructor, which it saves, took most of a 10,000-file import's reading.
    Anything else (nesting, anchors, tags, errors) raises :class:`_NotFlat`."""
    try:
        events = iter(yaml.parse(text, Loader=_FastLoader))
        if not isinstance(next(events), yaml.StreamStartEvent):
            raise _NotFlat
        if not isinstance(next(events), yaml.DocumentStartEvent):
            raise _NotFlat
        if not isinstance(next(events), yaml.MappingStartEvent):
            raise _NotFlat
        data: dict[str, Any] = {}
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                return data
            key = _scalar_value(event)
            if not isinstance(key, str):
                raise _NotFlat
            value_event = next(events)
            if isinstance(value_event, yaml.SequenceStartEvent) and value_event.anchor is None \
                    and value_event.tag is None:  # fmt: skip
                items = []
                for item in events:
                    if isinstance(item, yaml.SequenceEndEvent):
                        break
                    items.append(_scalar_value(item))
                data[key] = items
            else:
                data[key] = _scalar_value(value_event)
        raise _NotFlat
    except (yaml.YAMLError, StopIteration):
        raise _NotFlat from None


def _scalar_value(event: yaml.Event) -> Any:
    if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None:
        raise _NotFlat
    if event.tag is not None and event.tag != "!":  # "!" marks a quoted scalar: text
        raise _NotFlat
    value = event.value
    if event.style in _QUOTED_STYLES or _plain_reads_as_text(value):
        return value
    # The common plain scalars read directly (a vault has thousands); what these patterns do
    # not cover exactly as YAML 1.1 does (octal, sexagesimal, times...) is PyYAML's to read.
    if value in _PLAIN_WORDS:
        return _PLAIN_WORDS[value]
    if _DECIMAL.fullmatch(value):
        return int(value)
    if _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return yaml.load(value, Loader=_FastLoader)


_PLAIN_WORDS: dict[str, Any] = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
                                "true": True, "True": True, "TRUE": True,
                                "false": False, "False": False, "FALSE": False}  # fmt: skip
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# Front matter nested deeper than this is refused: PyYAML composes nodes recursively, and a
# few thousand brackets would exhaust Python's stack (RecursionError). No tool writes more than
# a few levels.
MAX_FRONT_MATTER_DEPTH = 64


def _check_depth(text: str) -> None:
    """Refuse front matter nested deeper than :data:`MAX_FRONT_MATTER_DEPTH`, read from the
    parser's events (libyaml's parser keeps its own stack: it does not recurse). Text the
    parser cannot read is left to the loaders, which report it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_FRONT_MATTER_DEPTH:
                    raise _too_deep()
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as error:
        # libyaml scans a run of "[[[[" to its end before the first event, and stops at its
        # own limit (1,000 levels) with this error.
        if "nesting depth" in str(error):
            raise _too_deep() from None


def _too_deep() -> ImportProblem:
    return ImportProblem(
        f"front matter is nested too deeply (more than {MAX_FRONT_MATTER_DEPTH} levels)"
    )


def _load_yaml(text: str) -> Any:
    try:
        return _flat_mapping(text)
    except _NotFlat:
        pass
    _check_depth(text)
    try:
        return yaml.load(text, Loader=_FastLoader)  # a safe loader: CSafeLoader or SafeLoader
    except yaml.YAMLError:
        # Broken front matter: let the pure-Python parser decide, so the refusal (and its line
        # number) is the one users have always seen, and what it accepts is still accepted.
        try:
            return yaml.load(text, Loader=_PythonLoader)  # a safe loader, as above
        except RecursionError:  # its composer recurses; a backstop to the depth check
            raise _too_deep() from None
