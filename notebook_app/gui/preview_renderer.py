"""Rendering the preview off the GUI thread: typing never waits for markdown.

One worker thread owns a ``MarkdownRenderer`` (Markdown instances are not thread-safe).
``request`` only records the newest text and wakes the worker; a request made while a render
runs replaces any pending one, so a burst of keystrokes costs one render after the one under
way, and a stale result is never shown (each carries a sequence number).

The worker renders with ``render_sectioned``: only the sections of the note an edit touched are
rendered again, and the result carries each section's HTML so the preview can replace just
those (see ``PreviewBrowser.set_rendered``).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

# Above this many characters a render takes long enough to delay a keystroke (GIL): see
# _let_keystroke_finish. Below it the render is shorter than the wait would be.
_LONG_NOTE = 16_000
_SETTLE_SECONDS = 0.004


class PreviewRenderer(QObject):
    rendered = Signal(object, str, list, object)  # token, html, headings, sections (tuple)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._condition = threading.Condition()
        self._pending: tuple[int, str, object] | None = None
        self._sequence = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="preview-renderer", daemon=True)
        self._thread.start()
        self._delivered.connect(self._deliver)

    # Crosses from the worker thread to the GUI thread (a queued connection).
    _delivered = Signal(int, object, str, list, object)

    def request(self, text: str, token: object) -> None:
        with self._condition:
            self._sequence += 1
            self._pending = (self._sequence, text, token)
            self._condition.notify()

    def _work(self) -> None:
        # Imported here: Python-Markdown and Pygments load on this thread, not before the
        # window's first paint.
        from notebook_app.core.api import MarkdownRenderer

        renderer = MarkdownRenderer()
        renderer.render("# warm up\n\n```python\nx = 1\n```\n")  # load Pygments before typing
        while True:
            with self._condition:
                while self._pending is None and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                assert self._pending is not None
                if len(self._pending[1]) > _LONG_NOTE:
                    self._let_keystroke_finish()
                if self._stopping:
                    return
                sequence, text, token = self._pending
                self._pending = None
            result = renderer.render_sectioned(text)
            if not result.complete:
                # A long note: part of it is shown as plain text for now. Render more of it,
                # unless a newer text came meanwhile.
                with self._condition:
                    if self._pending is None:
                        self._pending = (sequence, text, token)
            self._delivered.emit(sequence, token, result.html, result.headings, result.sections)

    def _let_keystroke_finish(self) -> None:
        """Wait a few milliseconds (longer while requests keep coming) before a long render.

        The request comes from the keystroke's own textChanged, before the editor has
        repainted: rendering a long note at once would hold the GIL in multi-millisecond
        stretches while the GUI thread needs it to finish the keystroke. Called with the
        condition held; the wait releases it.
        """
        while not self._stopping:
            sequence = self._sequence
            self._condition.wait(_SETTLE_SECONDS)
            if sequence == self._sequence:
                return

    def _deliver(
        self, sequence: int, token: object, html: str, headings: list, sections: tuple
    ) -> None:
        if sequence == self._sequence:  # a newer request is on its way: skip this one
            self.rendered.emit(token, html, headings, sections)

    def shutdown(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()
        self._thread.join(timeout=5)
