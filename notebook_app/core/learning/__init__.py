"""Learning the glossary: spaced repetition of terms (FSRS) and export to Anki. No Qt.

* ``cards``: a term's review card and its log, as stored (migration 0005).
* ``scheduling``: a rating moves a card on (``fsrs``), in one transaction, once.
* ``queue``: which terms are due, the next card to show, the counts of the day.
* ``front_matter``: review state and log in an exported file's front matter, and back.
* ``anki``: the glossary as an Anki deck (``genanki``).

``fsrs`` and ``genanki`` are imported only by ``scheduling`` and ``anki``, when first used.
"""
