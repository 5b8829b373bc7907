"""Spell checking in the editor: misspelt words underlined, never corrected.

The checker is pyspellchecker (pure Python, its dictionaries are word lists): it is loaded on
a lane of its own (``spell-LANG``) when spell checking is first switched on, never at start-up.
Nothing is checked on a keystroke: the highlighter underlines the words already known to be
misspelt and notes the words it has not seen; once typing pauses (``IDLE_MS``) those are
looked up on the lane in one batch, and only the lines holding a misspelt one are highlighted
again. So a keystroke costs a regex over its line and a few dictionary look-ups.

Not checked: code (spans and fenced blocks), links and URLs, ``#tags``, words with digits,
ALL-CAPS and camelCase words (acronyms, names of things), one-letter words, and any word with
Hangul in it (Korean text is never flagged: the dictionaries offered have no Korean).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QPalette, QTextBlock, QTextCharFormat, QTextDocument

from notebook_app.core.api import code_spans, links_in_line, tag_matches
from notebook_app.gui.markdown_highlighter import MarkdownHighlighter

if TYPE_CHECKING:
    from notebook_app.gui.tasks import TaskRunner

# The languages offered, by the code pyspellchecker names its dictionaries with. Only these
# are bundled in the frozen app (packaging/notebook-app.spec), each as a word list.
LANGUAGES = {"en": "English"}
IDLE_MS = 400  # after the last keystroke, the words not seen yet are looked up
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HIDDEN = re.compile(
    r"\]\([^)\n]*\)"  # a markdown link's or image's target (its text is prose: checked)
    r"|<https?://[^>\s]+>|https?://\S+|www\.\S+"
    r"|\S+@\S+\.\w+"  # an email address
)
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_MAX_CACHED = 200_000
_UNDERLINE = QColor("#e0443e")  # reads on the light and the dark editor background


def bundled_words(language: str) -> Path | None:
    """The frozen app's word list for ``language`` (packaging/notebook-app.spec writes it), or
    None when running from source (pyspellchecker's own dictionary is used then)."""
    base = getattr(sys, "_MEIPASS", None)
    if base is None:
        return None
    path = Path(base) / "spelling" / f"{language}.words.xz"
    return path if path.is_file() else None


def load_checker(language: str) -> Any:
    """A pyspellchecker ``SpellChecker`` for ``language`` (on a worker: it reads a dictionary
    of ~160,000 words, 0.1-0.5 s)."""
    import lzma

    from spellchecker import SpellChecker

    words = bundled_words(language)
    if words is None:
        return SpellChecker(language=language)
    checker = SpellChecker(language=None)
    checker.word_frequency.load_words(lzma.decompress(words.read_bytes()).decode().split("\n"))
    return checker


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Maps a Python index in ``text`` to Qt's (UTF-16) index: they differ after an emoji
    outside the Basic Multilingual Plane, which Qt counts as two."""
    if all(ord(char) <= 0xFFFF for char in text):
        return lambda index: index
    prefix = [0]
    for char in text:
        prefix.append(prefix[-1] + (2 if ord(char) > 0xFFFF else 1))
    return lambda index: prefix[index]


def words_to_check(line: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word of one markdown line that spell checking looks at."""
    hidden = [m.span() for m in _HIDDEN.finditer(line)] if any(c in line for c in "(:@.<") else []
    hidden += code_spans(line)
    hidden += [(link.start, link.end) for link in links_in_line(line)]
    hidden += [m.span() for m in tag_matches(line)] if "#" in line else []
    if hidden:
        chars = list(line)
        for start, end in hidden:
            chars[start:end] = " " * (end - start)
        line = "".join(chars)
    hangul = _HANGUL.search(line) is not None
    for match in _WORD.finditer(line):
        word = match.group()
        rest = word[1:]
        # One letter; camelCase, McKinsey, GPTs, ALL-CAPS (names and acronyms); a script
        # without capitals (no dictionary offered has one); Hangul.
        if not rest or not rest.islower() or (hangul and _HANGUL.search(word)):
            continue
        yield match.start(), match.end(), word


def check_text(checker: Any, text: str) -> tuple[list[str], set[str], list[int]]:
    """On the lane: the words of ``text`` spell checking looks at (casefolded), those of
    them the checker does not know, and the numbers of the lines holding one."""
    lines = [{w.casefold() for _s, _e, w in words_to_check(line)} for line in text.split("\n")]
    words = sorted(set().union(*lines))
    unknown = checker.unknown(words)
    return words, unknown, [number for number, seen in enumerate(lines) if seen & unknown]


class Spelling(QObject):
    """What is known of the words seen, the batch waiting to be looked up, and the checker's
    lane. One per editor."""

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.language = ""  # "" while off
        self.ready = False  # the checker of ``language`` is loaded
        self._known: dict[str, bool] = {}  # casefolded word -> spelt right
        self._waiting: set[str] = set()
        self._idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle.timeout.connect(self._look_up)
        self.highlighter: SpellingHighlighter | None = None
        self._lanes: set[str] = set()  # the checkers' lanes made so far

    @property
    def enabled(self) -> bool:
        return bool(self.language)

    def set_language(self, language: str) -> None:
        """Check in ``language`` ("" switches checking off); loads its checker on a worker."""
        if language == self.language:
            return
        underlined = {word for word, right in self._known.items() if not right}
        self.language = language
        self.ready = False
        self._known.clear()
        self._waiting.clear()
        if not language:
            if underlined and self.highlighter is not None:
                self.highlighter.rehighlight_words(underlined)  # only the lines underlined
            return
        lane = f"spell-{language}"
        if lane not in self._lanes:
            self._lanes.add(lane)
            self.runner.add_lane(lane, lambda: load_checker(language))
        self.runner.submit(lane, lambda _checker: None, done=lambda _: self._loaded(language))

    def _loaded(self, language: str) -> None:
        """The checker is there: look up every word of the note now (listed and looked up on
        the lane), then highlight again only the lines with a misspelt one (highlighting the
        whole podcast sample again would hold the GUI thread for ~120-170 ms)."""
        if language != self.language or self.highlighter is None:
            return
        self.ready = True
        document = self.highlighter.document()
        if document is None:
            return
        text = document.toPlainText()
        self.runner.submit(
            f"spell-{language}",
            lambda checker: check_text(checker, text),
            done=lambda result: self._looked_up(language, *result),
        )

    def verdict(self, word: str) -> bool | None:
        """True when spelt right, False when not, None when not known yet (it will be)."""
        key = word.casefold()
        known = self._known.get(key)
        if known is None:
            self._waiting.add(key)
            self._idle.start()  # restarted by each keystroke: looked up once typing pauses
        return known

    def _look_up(self) -> None:
        self._idle.stop()
        if not self._waiting or not self.ready:
            return
        words, self._waiting = sorted(self._waiting), set()
        language = self.language
        self.runner.submit(
            f"spell-{language}",
            lambda checker: checker.unknown(words),
            done=lambda unknown: self._looked_up(language, words, unknown),
        )

    def _looked_up(
        self, language: str, words: list[str], unknown: set[str], lines: list[int] | None = None
    ) -> None:
        """Verdicts arrived: the lines that noted one of ``words`` are highlighted again
        (``lines``: those of the whole note, when it was checked at once)."""
        if language != self.language:
            return
        if len(self._known) > _MAX_CACHED:
            self._known.clear()
        for word in words:
            self._known[word] = word not in unknown
        if self.highlighter is not None:
            self.highlighter.rehighlight_noted(unknown, lines)


class SpellingHighlighter(MarkdownHighlighter):
    """The markdown highlighter, with misspelt words underlined (a wavy red line added to
    whatever format the markdown gave them)."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        self.spelling: Spelling | None = None
        # True while the note is highlighted again with its text unchanged: the document
        # says its contents changed all the same, and the form must not take that for an edit.
        self.quiet = False
        self._noted: list[QTextBlock] = []  # lines with words sent to be looked up
        super().__init__(document, palette)

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        was, self.quiet = self.quiet, True
        try:
            yield
        finally:
            self.quiet = was

    def set_palette(self, palette: QPalette) -> None:
        with self._quietly():
            super().set_palette(palette)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().highlightBlock(text)
        spelling = self.spelling
        if spelling is None or not spelling.ready or self.code_line:
            return
        offset: Callable[[int], int] | None = None
        noted = False
        for start, end, word in words_to_check(text):
            verdict = spelling.verdict(word)
            if verdict is None and not noted:
                self._noted.append(self.currentBlock())  # highlighted again once known
                noted = True
            elif verdict is False:
                if offset is None:
                    offset = utf16_offsets(text)
                # The word's markdown format (bold, a heading…) from its first letter, plus
                # the underline (a word formatted two ways is rare: "**wo**rd").
                first, last = offset(start), offset(end)
                char = QTextCharFormat(self.format(first))
                char.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                char.setUnderlineColor(_UNDERLINE)
                self.setFormat(first, last - first, char)

    def rehighlight_noted(self, unknown: set[str], lines: list[int] | None) -> None:
        """Highlight again the lines that had words not known yet and hold a misspelt one
        (or, with ``lines``, those lines of the note): only those, never the whole note."""
        blocks, self._noted = self._noted, []
        document = self.document()
        if document is None or not unknown:
            return
        listed = [document.findBlockByNumber(number) for number in lines or ()]
        seen: set[int] = set()
        for block, sure in [(b, True) for b in listed] + [(b, False) for b in blocks]:
            if not block.isValid() or block.blockNumber() in seen:
                continue
            if sure or any(word in block.text().casefold() for word in unknown):
                seen.add(block.blockNumber())
                with self._quietly():
                    self.rehighlightBlock(block)

    def rehighlight_words(self, words: set[str]) -> None:
        """Highlight again the lines holding one of ``words`` (when checking is switched off,
        the words underlined); the form knows no text changed (see EntryForm._editor_changed)."""
        document = self.document()
        if document is None or not words:
            return
        # Whole words only: a short one ("dr") as a substring would take in most lines.
        pattern = re.compile(
            r"(?<![^\W\d_])(?:"
            + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
            + r")(?![^\W\d_])",
            re.IGNORECASE,
        )
        block = document.begin()
        while block.isValid():
            if pattern.search(block.text()):
                with self._quietly():
                    self.rehighlightBlock(block)
            block = block.next()


def misspelt_ranges(highlighter: SpellingHighlighter, block_number: int) -> list[tuple[int, int]]:
    """(start, length) of the underlined ranges in one line (for tests and the benchmark)."""
    document = highlighter.document()
    assert document is not None
    block = document.findBlockByNumber(block_number)
    spell = QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    return [
        (f.start, f.length) for f in block.layout().formats() if f.format.underlineStyle() == spell
    ]
