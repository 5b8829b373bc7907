"""Formats: entries to and from markdown files, import, export, the formats users arrive with,
and the quick-capture grammar."""
