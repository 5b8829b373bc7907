"""Links between entries, glossary terms in text, and candidate jargon (no Qt, no SQL here:
storage/links.py keeps the link table, storage/linking.py answers the questions)."""
