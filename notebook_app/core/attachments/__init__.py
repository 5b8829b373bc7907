"""Attachments: images, PDFs and other files that notes name, kept in the notebook.

* ``references``: where a note's text names a file (``![[x.png]]``, ``![](img/x.png)``,
  ``[[paper.pdf]]``...), read the same way by import, export, the preview and the listing.
* ``store``: the tables (migration 0004): blobs by SHA-256 (once each, however many files or
  entries use them), the vault files that hold them, and which entry names which file.
* ``vault``: import (resolved as Obsidian does, in the import's transaction) and export (back
  at the paths they came from).
"""
