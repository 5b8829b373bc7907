"""A note embedded in the preview: ``![[Title]]`` shows the other entry's body in a frame.

One level deep: the embedded body is rendered on its own (its embeds stay links, so embeds that
point at each other cannot recurse), at most ``MAX_EMBED_CHARS`` of it. An embed of the open
entry itself shows a notice instead, and so does an embedded body that embeds the open entry
back (a cycle), beside its frame. The body is read on the "read" lane and rendered on the
"render" lane (``PreviewRenderer.render_embed``); until both have answered, the embed is shown
as its link.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from notebook_app.core.links.results import LinkTarget
    from notebook_app.gui.main_window import MainWindow

MAX_EMBED_CHARS = 20_000
_EMBED_RE = re.compile(
    r'(<a class="wikilink embed wikilink-resolved" href="wiki:([^"#]*)[^"]*"[^>]*>.*?</a>)'
)


class Embeds(QObject):
    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        # entry id -> (its HTML, whether it embeds the open entry back), for the open entry
        self._html: dict[str, tuple[str, bool]] = {}
        self._asked: set[str] = set()
        self._for: str | None = None  # the open entry these were made for

    def forget(self) -> None:
        """The notebook changed: bodies are read again when next shown (kept until then)."""
        self._asked.clear()

    def expand(self, parts: list[str], targets: dict[str, LinkTarget]) -> list[str]:
        """``parts`` with each resolved embed followed by its entry's body in a frame."""
        from urllib.parse import unquote

        from notebook_app.core.links.wikilinks import name_key

        current = self.window.editing.current
        current_id = current.id if current is not None else None
        if current_id != self._for:
            self._html.clear()
            self._asked.clear()
            self._for = current_id

        def framed(match: re.Match[str]) -> str:
            target = targets.get(name_key(unquote(match.group(2))))
            if target is None or target.entry_id is None:
                return match.group(0)
            if target.entry_id == current_id:
                return match.group(1) + _notice("this note itself: not embedded")
            if target.entry_id not in self._asked:
                self._fetch(target.entry_id, current_id)
            found = self._html.get(target.entry_id)
            if found is None:
                return match.group(0)
            body, cycle = found
            notice = _notice("it embeds this note back: shown one level deep") if cycle else ""
            return (
                f"{match.group(1)}{notice}</p>"
                '<table class="embed" border="1" cellspacing="0" cellpadding="8" width="100%">'
                f"<tr><td>{body}</td></tr></table><p>"
            )

        return [_EMBED_RE.sub(framed, part) if "embed" in part else part for part in parts]

    def _fetch(self, entry_id: str, current_id: str | None) -> None:
        self._asked.add(entry_id)
        runner = self.window.runner

        def read(notebook: Any) -> tuple[str, bool]:
            from notebook_app.core.links.wikilinks import links_in

            body = notebook.get(entry_id).body
            names = [link.target for link in links_in(body) if link.embed and link.target]
            resolved = notebook.resolve_names(names) if names else {}
            cycle = any(target.entry_id == current_id for target in resolved.values())
            return body, cycle

        def rendered(entry_html: str, cycle: bool) -> None:
            if self._for != current_id:
                return
            if self._html.get(entry_id) != (entry_html, cycle):
                self._html[entry_id] = (entry_html, cycle)
                self.changed.emit()

        def got(found: tuple[str, bool]) -> None:
            body, cycle = found
            cut = body[:MAX_EMBED_CHARS]
            if len(body) > MAX_EMBED_CHARS:
                cut += f"\n\n*… {len(body) - MAX_EMBED_CHARS:,} more characters not embedded.*"
            runner.submit("render", lambda context: context.render_embed(cut),
                          done=lambda made: rendered(made, cycle),
                          failed=lambda _error: None)  # fmt: skip

        runner.submit("read", read, done=got, failed=lambda _error: None)


def _notice(text: str) -> str:
    return f' <span class="embed-notice"><i>({html.escape(text)})</i></span>'
