"""notebook-app: a desktop research notebook.

``notebook_app.core`` is the notebook itself (storage, entries, search, rendering, import and
export) and imports no Qt; ``notebook_app.gui`` is the Qt window, a thin client of the core.
"""

__version__ = "0.1.0"
