"""Markdown: the one renderer (preview and combined export) and the syntax it reads."""
