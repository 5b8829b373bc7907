"""The notebook core: entries, storage, search, rendering, import and export. No Qt here.

A script uses it as::

    from notebook_app.core.notebook import Notebook
    with Notebook.open("notebook.db") as notebook:
        for hit in notebook.search("tag:ml sparse autoencoder"):
            print(hit.title)
"""
