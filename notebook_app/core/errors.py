"""The errors the core raises. Each carries a message written for the user, not a traceback.

Callers (the CLI, the window) catch :class:`NotebookError` and show ``str(error)``.
"""


class NotebookError(Exception):
    """Base of every error the core reports to a user."""


class NotANotebookError(NotebookError):
    """The file exists but is not a notebook database (or not SQLite at all)."""


class NewerSchemaError(NotebookError):
    """The notebook was written by a newer version of the app; opening it could damage it."""


class EntryNotFoundError(NotebookError):
    """No entry has the given id (or the id prefix is ambiguous)."""


class StaleEntryError(NotebookError):
    """An update was based on a version of the entry that is no longer the current one."""


class InvalidEntryError(NotebookError):
    """An entry or a field value is not acceptable (empty title, unknown status...)."""


class QueryError(NotebookError):
    """A search query cannot be understood (unknown filter, bad date...)."""


class ImportProblem(NotebookError):
    """Material to import is unreadable or malformed; nothing was imported."""


class OperationCancelled(NotebookError):
    """A long operation was cancelled by the user; nothing was changed."""


class NoNotebookError(NotebookError):
    """There is no notebook at the path, and the command would not create one."""


class ReadOnlyNotebookError(NotebookError):
    """The notebook (or its folder) cannot be written: it opens for reading only."""


class DamagedNotebookError(NotebookError):
    """SQLite found the notebook file damaged; ``notebook-app check`` / ``recover`` help."""

    detail = ""  # what SQLite said, when the error came from SQLite


class NotebookBusyError(NotebookError):
    """Another program kept the notebook locked for longer than the busy timeout."""
