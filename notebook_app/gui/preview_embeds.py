"""A note embedded in the preview: ``![[Title]]`` shows the other entry's body in a frame.

One level deep: the embedded body is rendered on its own (its embeds stay links, so embeds that
point at each other cannot recurse), at most ``MAX_EMBED_CHARS`` of it. An embed of the open
entry itself shows a notice instead, and so does an embedded body that embeds the open entry
back (a cycle), beside its frame. The body is read on the "read" lane and rendered on the
"render" lane by the note's own renderer (``PreviewRenderer.render_embed``), so its formulas
are drawn as the note's are (their images held by the preview while it shows the note, and
drawn again in the new colour after a theme switch); until both lanes have answered, the
embed is shown as its link.

Inside the frame, the embedded note's [[links]] are marked as the note's own are, a
``[[#Heading]]`` of it names the embedded entry (not the open one), and its foldable callouts
fold like the note's (gui/preview_folds.py). Glossary terms are marked only in the note's own
text: the terms are those the open note uses, and the frame shows another note.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from notebook_app.gui.preview_math import MathStyle, math_style

if TYPE_CHECKING:
    from notebook_app.core.api import LinkTarget
    from notebook_app.gui.main_window import MainWindow
    from notebook_app.gui.preview_folds import CalloutFolds
    from notebook_app.gui.preview_math import Rendered

MAX_EMBED_CHARS = 20_000
_EMBED_RE = re.compile(
    r'(<a class="wikilink embed wikilink-resolved" href="wiki:([^"#]*)(?:#([^"]*))?"[^>]*>.*?</a>)'
)
_MISSING = object()  # an embedded heading or block the note does not hold
_OWN_HEADING = 'href="wiki:#'  # [[#Heading]]: a heading of the note the link is in


class Embeds(QObject):
    changed = Signal()

    def __init__(
        self, window: MainWindow, folds: CalloutFolds, mark_links: Callable[[str], str]
    ) -> None:
        """``mark_links``: an embedded body's HTML with its [[links]] marked (preview_links)."""
        super().__init__(window)
        self.window, self.folds, self._mark_links = window, folds, mark_links
        # (entry id, heading or None) -> (its HTML, or None when the heading or block is not
        # in it; whether it embeds the open entry back; the style it was drawn in), for the
        # open entry. ``![[Note#Heading]]`` shows that part of the note alone (places.py).
        self._html: dict[tuple[str, str | None], tuple[str | None, bool, MathStyle]] = {}
        self._asked: dict[tuple[str, str | None], MathStyle] = {}  # fetched since a change
        self._for: str | None = None  # the open entry these were made for

    def forget(self) -> None:
        """The notebook changed: bodies are read again when next shown (kept until then)."""
        self._asked.clear()

    def expand(self, parts: list[str], targets: dict[str, LinkTarget]) -> list[str]:
        """``parts`` with each resolved embed followed by its entry's body in a frame."""
        from urllib.parse import unquote

        from notebook_app.core.api import name_key

        current_id = self.window.editing.current_id
        preview = self.window.ui.preview
        if current_id != self._for:
            self._html.clear()
            self._asked.clear()
            preview.release_math_images()
            self._for = current_id
        style: list[MathStyle] = []  # read once, when the first embed needs it

        def framed(match: re.Match[str]) -> str:
            target = targets.get(name_key(unquote(match.group(2))))
            if target is None or target.entry_id is None:
                return match.group(0)
            entry_id = target.entry_id
            if entry_id == current_id:
                return match.group(1) + _notice("this note itself: not embedded")
            if not style:
                style.append(math_style(preview))
            heading = unquote(match.group(3)) if match.group(3) else None
            key = (entry_id, heading)
            if self._asked.get(key) != style[0]:  # (new style: the theme or font changed)
                self._fetch(key, current_id, style[0])
            found = self._html.get(key)
            if found is None:
                return match.group(0)
            body, cycle, _drawn = found
            if body is None:
                place = "block" if heading and heading.startswith("^") else "heading"
                return match.group(1) + _notice(f"no {place} “{heading}” in it")
            # A [[#Heading]] in it is a heading of the embedded note, by the name embedded.
            body = body.replace(_OWN_HEADING, f'href="wiki:{match.group(2)}#')
            body = self.folds.apply_embedded(self._mark_links(body), entry_id)
            notice = _notice("it embeds this note back: shown one level deep") if cycle else ""
            return (
                f"{match.group(1)}{notice}</p>"
                '<table class="embed" border="1" cellspacing="0" cellpadding="8" width="100%">'
                f"<tr><td>{body}</td></tr></table><p>"
            )

        return [_EMBED_RE.sub(framed, part) if "embed" in part else part for part in parts]

    def _fetch(self, key: tuple[str, str | None], current_id: str | None, style: MathStyle) -> None:
        self._asked[key] = style
        entry_id, heading = key
        runner = self.window.runner
        preview = self.window.ui.preview
        have = preview.math_image_keys(style.ratio)

        def read(notebook: Any) -> tuple[str | None, bool]:
            from notebook_app.core.api import linked_part, links_in

            body: str | None = notebook.get(entry_id).body
            if heading and body is not None:
                body = linked_part(body, heading)
            if body is None:
                return None, False
            names = [link.target for link in links_in(body) if link.embed and link.target]
            resolved = notebook.resolve_names(names) if names else {}
            cycle = any(target.entry_id == current_id for target in resolved.values())
            return body, cycle

        def rendered(made: Rendered, cycle: bool) -> None:
            if self._for != current_id:
                return
            owner = entry_id if heading is None else f"{entry_id}#{heading}"
            preview.hold_math_images(owner, made.keys, made.images, style.ratio)
            shown(made.result.html, cycle)

        def shown(html: str | None, cycle: bool) -> None:
            found = (html, cycle, style)
            if self._html.get(key) != found:
                self._html[key] = found
                self.changed.emit()

        def got(found: tuple[str | None, bool]) -> None:
            body, cycle = found
            if body is None:
                shown(None, False)
                return
            cut = body[:MAX_EMBED_CHARS]
            if len(body) > MAX_EMBED_CHARS:
                cut += f"\n\n*… {len(body) - MAX_EMBED_CHARS:,} more characters not embedded.*"
            runner.submit("render", lambda context: context.render_embed(cut, style, have),
                          done=lambda made: rendered(made, cycle),
                          failed=lambda _error: None)  # fmt: skip

        runner.submit("read", read, done=got, failed=lambda _error: None)


def _notice(text: str) -> str:
    return f' <span class="embed-notice"><i>({html.escape(text)})</i></span>'
