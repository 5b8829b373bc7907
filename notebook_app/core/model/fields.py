"""The kinds of entry and the one table of their fields.

Each field is declared once, as an attribute of :class:`~notebook_app.core.model.entry.Entry`
whose default is :func:`declare` (which kinds it belongs to, its SQL column, its front matter key,
its label and widget in the entry form). :func:`read_table` turns those declarations and the
attributes' types into :class:`Field` rows, and everything that handles entries field by field
reads that table instead of naming fields: the model's dicts and JSON, the storage rows and SQL,
the summary columns, the front matter, the form. Adding a field to a kind is one declaration plus
a migration that adds its column (``tests/test_fields.py`` checks that nothing else is needed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from typing import Any


class Kind(enum.StrEnum):
    NOTE = "note"
    TERM = "term"
    MEETING = "meeting"


class Codec(enum.Enum):
    """What a field holds, which decides how it is stored, written, read and edited."""

    TEXT = "text"  # one line of text
    LINES = "lines"  # text of several lines (line ends stored as "\n")
    DAY = "day"  # a date, written YYYY-MM-DD
    MOMENT = "moment"  # a time in UTC, written as fixed-width ISO 8601
    NUMBER = "number"  # a float
    INTEGER = "integer"
    CHOICE = "choice"  # a member of an enum, written as its value
    NAMES = "names"  # a list of text


SAME = "same as the name"  # ``declare``'s default for the column and front matter key
_DECLARATION = "notebook_app.field"


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One field of an entry, as declared on :class:`Entry`."""

    name: str
    kinds: frozenset[Kind]  # the kinds that have it (every kind for the common fields)
    codec: Codec
    choices: type[enum.Enum] | None  # the enum of a CHOICE field
    column: str | None  # in the ``entries`` table (None: stored elsewhere, e.g. tags)
    front_matter: str | None  # the key in a markdown file's front matter (None: not there)
    front_matter_aliases: tuple[str, ...]  # other keys read for it (other tools' spellings)
    # Text that other tools' front matter may give as a list of names (``authors:`` with a line
    # per author): read as the field's text, written back as a list where the file had one.
    names_list: bool
    label: str | None  # how the form names it (the widget's accessible name)
    widget: str | None  # the object name of its widget in the entry form (None: not in it)
    hint: str | None  # what the form shows while it is empty
    search: str | None  # the full-text column it is indexed in ("title" or "body"), if any
    empty: Any  # its value when unset (None, or [] for lists)
    required: bool  # no default: every entry is built with it (kind, title)
    editable: bool  # changed by ``Notebook.update`` (not the notebook's own bookkeeping)
    in_json: bool  # part of the command line's ``--json`` objects
    always_written: bool  # front matter: written even when empty

    @property
    def common(self) -> bool:
        return self.kinds == ALL_KINDS

    def belongs_to(self, kind: Kind) -> bool:
        return kind in self.kinds


ALL_KINDS = frozenset(Kind)


def declare(
    *kinds: Kind,
    column: str | None = SAME,
    front_matter: str | None = SAME,
    front_matter_aliases: tuple[str, ...] = (),
    names_list: bool = False,
    label: str | None = None,
    widget: str | None = None,
    hint: str | None = None,
    search: str | None = None,
    lines: bool = False,
    editable: bool = True,
    in_json: bool = True,
    always_written: bool = False,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
    required: bool = False,
) -> Any:
    """Declare a field of ``kinds`` (all kinds when none are named) on the ``Entry`` dataclass.

    An optional field defaults to None (a list to ``[]``: pass ``default_factory=list``);
    ``required`` fields have no default. ``lines`` marks text of several lines.
    """
    if search not in (None, "title", "body"):
        raise ValueError(f"search goes in the 'title' or 'body' column, not {search!r}")
    # The declaration is kept in the dataclass field's metadata until read_table makes it a Field.
    declaration = {
        "kinds": frozenset(kinds) or ALL_KINDS,
        "column": column,
        "front_matter": front_matter,
        "front_matter_aliases": front_matter_aliases,
        "names_list": names_list,
        "label": label,
        "widget": widget,
        "hint": hint,
        "search": search,
        "lines": lines,
        "editable": editable,
        "in_json": in_json,
        "always_written": always_written,
    }
    metadata = {_DECLARATION: declaration}
    if required:
        return dataclasses.field(metadata=metadata)
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=None if default is dataclasses.MISSING else default,
                             metadata=metadata)  # fmt: skip


def _codec(annotation: Any, lines: bool) -> tuple[Codec, type[enum.Enum] | None]:
    """The codec of a field from its type (``X | None`` is X's)."""
    if isinstance(annotation, types.UnionType):
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) is list:
        return Codec.NAMES, None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Codec.CHOICE, annotation
    simple = {str: Codec.LINES if lines else Codec.TEXT, dt.datetime: Codec.MOMENT,
              dt.date: Codec.DAY, float: Codec.NUMBER, int: Codec.INTEGER}  # fmt: skip
    if annotation not in simple:
        raise TypeError(f"no codec for a field of type {annotation!r}")
    return simple[annotation], None


def read_table(cls: type) -> tuple[Field, ...]:
    """The fields declared on the dataclass ``cls``, in declaration order."""
    hints = typing.get_type_hints(cls)
    table = []
    for field in dataclasses.fields(cls):
        if _DECLARATION not in field.metadata:
            raise TypeError(f"{cls.__name__}.{field.name} is not declared with declare()")
        declaration = dict(field.metadata[_DECLARATION])
        lines = declaration.pop("lines")
        codec, choices = _codec(hints[field.name], lines)
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if field.default_factory is list:
            empty: Any = []
        else:
            empty = None if field.default is dataclasses.MISSING else field.default
        for key in ("column", "front_matter"):
            if declaration[key] == SAME:
                declaration[key] = field.name
        table.append(Field(name=field.name, codec=codec, choices=choices, empty=empty,
                           required=required, **declaration))  # fmt: skip
    return tuple(table)


def json_number(value: float | None) -> float | int | None:
    """A number as JSON shows it: 17, not 17.0, when it is whole."""
    if value is not None and float(value).is_integer():  # False for inf and nan
        return int(value)
    return value
