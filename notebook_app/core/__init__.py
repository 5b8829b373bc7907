"""The notebook core: entries, storage, search, markdown, import and export. No Qt here.

Its rooms: ``model`` (entries, kinds, their fields, listings), ``storage`` (the database,
migrations, the notebook API, tags), ``search`` (the query language, SQL, the text the index
sees), ``markdown`` (the one renderer), ``formats`` (markdown files, import, export, the formats
users arrive with, quick capture). Callers outside the core import from
:mod:`notebook_app.core.api`.
"""
