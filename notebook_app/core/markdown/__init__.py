"""Markdown: the one renderer (the preview) and the one definition of the syntax it reads."""
