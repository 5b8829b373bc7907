"""The Python-Markdown extension: task lists, the image policy, raw HTML off, and the fast path.

* **Safety.** Raw HTML in a note is shown as text, never passed through; images may only come
  from ``nbres:``, ``attachment:``, ``data:image/...`` or relative paths (anything that could
  reach the network or an arbitrary local file becomes a ``span.blocked-image`` with the alt
  text). Link targets are kept as written: what a click does is the Qt layer's decision.
* **Task lists** (``- [ ]`` / ``- [x]``) become ☐ / ☑ glyphs, since QTextBrowser has no inputs.
* **Slugs** are noted as the toc extension makes them, so a sectioned render can make heading
  ids unique across sections exactly as one whole render does.
* **Line breaks**: a hard break (two spaces, newline) and, unless strict CommonMark is chosen,
  any newline in a paragraph become ``<br>``, in one pass over the tree after inline parsing.

The CommonMark-style line structure is done before Python-Markdown sees the text (normalizer.py),
once per note, not by a preprocessor here. No Qt.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from notebook_app.core.markdown.syntax import INLINE_SYNTAX_RE, TASK_BOX_RE

__all__ = ["TASK_SCHEME", "NotebookExtension", "image_source_allowed"]

TASK_SCHEME = "task"
_TASK_GLYPHS = {" ": "\u2610", "x": "\u2611", "X": "\u2611"}  # ☐ ☑
_ALT_RE = re.compile(r'\balt="([^"]*)"')
_TAG_RE = re.compile(r"<[^>]*>")


class _TaskListTreeprocessor(Treeprocessor):
    """``- [ ] x`` / ``- [x] x`` items get a ☐ / ☑ glyph and classes the stylesheet can use."""

    def run(self, root: etree.Element) -> None:
        for lst in root.iter():
            if lst.tag not in ("ul", "ol"):
                continue
            marked = [self._mark(li) for li in lst.findall("li")]
            if marked and all(marked):
                # Only a list of nothing but tasks drops its bullets (CSS): in a mixed list
                # the plain items need theirs.
                lst.set("class", "task-list")

    def _mark(self, li: etree.Element) -> bool:
        # Tight items hold their text directly; loose ones wrap it in a first <p>.
        holder = li
        if not (li.text or "").strip() and len(li) and li[0].tag == "p":
            holder = li[0]
        match = TASK_BOX_RE.match(holder.text or "")
        if match is None:
            return False
        done = match.group("state") != " "
        rest = (holder.text or "")[match.end() :]
        # A link the preview hands to the window, which toggles the box in the text: it names
        # the item by its first line as written (the window finds that line in the editor).
        first = self._as_written(rest.split("\n", 1)[0].strip())
        href = f"{TASK_SCHEME}:{quote(first, safe='')}"
        glyph = etree.Element("a", {"class": "task-box", "href": href})
        glyph.text = markdown.util.AtomicString(_TASK_GLYPHS[match.group("state")])
        glyph.tail = " " + rest
        holder.text = None
        holder.insert(0, glyph)
        li.set("class", "task-item task-done" if done else "task-item")
        return True

    def _as_written(self, line: str) -> str:
        """``line`` with each stash placeholder (a formula, stashed before parsing) back as
        the text it stands for: its image's alt text, which is the formula as written."""

        def written(match: re.Match[str]) -> str:
            index = int(match.group(1))
            blocks = self.md.htmlStash.rawHtmlBlocks
            block = blocks[index] if index < len(blocks) else None
            if not isinstance(block, str):
                return match.group(0)
            alt = _ALT_RE.search(block)
            return html.unescape(alt.group(1) if alt else _TAG_RE.sub("", block))

        return markdown.util.HTML_PLACEHOLDER_RE.sub(written, line)


class _PlainTextTreeprocessor(Treeprocessor):
    """Mark text with no inline syntax as atomic so the inline processor skips it.

    Most text in long notes is plain, and trying the ~14 inline patterns on every text node is
    about a third of the render time of a big note; the result is the same either way.
    """

    def run(self, root: etree.Element) -> None:
        atomic = markdown.util.AtomicString
        syntax = INLINE_SYNTAX_RE.search
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, atomic) and syntax(text) is None:
                element.text = atomic(text)
            tail = element.tail
            if tail and not isinstance(tail, atomic) and syntax(tail) is None:
                element.tail = atomic(tail)


class _LineBreakTreeprocessor(Treeprocessor):
    """Line breaks, made after inline parsing in one pass over the tree (code aside): a hard
    break (two spaces, newline) always; with ``breaks``, any newline in a paragraph.

    This is what Python-Markdown's nl2br and its "linebreak" pattern do, but they are inline
    patterns, and each inline match copies the rest of its paragraph: a paragraph of 40,000
    short lines (a pasted log or word list) took seconds. One pass over the tree is linear. It
    runs right after inline parsing, so every later step sees the breaks as they left them.
    """

    def __init__(self, md: markdown.Markdown, breaks: bool) -> None:
        super().__init__(md)
        self.breaks = breaks

    def run(self, root: etree.Element) -> None:
        stack = [root]
        while stack:
            element = stack.pop()
            if element.tag in ("code", "pre"):
                continue  # code keeps its newlines (its tail is its parent's text)
            children = list(element)
            stack.extend(children)
            text = element.text
            if not (text and "\n" in text) and not any(
                child.tail and "\n" in child.tail for child in children
            ):
                continue
            rebuilt: list[etree.Element] = []
            if text and "\n" in text:
                element.text, breaks = self._split(text)
                rebuilt.extend(breaks)
            for child in children:
                rebuilt.append(child)
                tail = child.tail
                if tail and "\n" in tail:
                    child.tail, breaks = self._split(tail)
                    rebuilt.extend(breaks)
            element[:] = rebuilt

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """``text`` up to its first break, and a ``<br>`` carrying the text after each break
        as its tail. A hard break's two spaces go, as Python-Markdown's pattern took them."""
        lines: list[list[str]] = []  # the lines between breaks (joined once: linear)
        for line in text.split("\n"):
            if not lines:
                lines.append([line])
            elif lines[-1][-1].endswith("  "):
                lines[-1][-1] = lines[-1][-1][:-2]
                lines.append([line])
            elif self.breaks:
                lines.append([line])
            else:
                lines[-1].append(line)
        kind = type(text)  # an AtomicString stays one: no later step may read it as markdown
        breaks = []
        for rest in lines[1:]:
            br = etree.Element("br")
            br.tail = kind("\n".join(rest))
            breaks.append(br)
        return kind("\n".join(lines[0])), breaks


_ALLOWED_IMAGE_SCHEMES = ("nbres:", "attachment:", "data:image/")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ESCAPED_CHAR_RE = re.compile("\u0002(\\d+)\u0003")  # Python-Markdown's backslash-escape stash
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")  # what URL parsers drop before reading a scheme


def image_source_allowed(src: str) -> bool:
    """True for image sources the preview may load: our own schemes, inline data, relative paths.

    Everything else (http, https, file:, absolute paths such as ``/etc/...`` or ``C:\\...``,
    protocol-relative ``//host``) could reach the network or read any local file.
    """
    src = _ESCAPED_CHAR_RE.sub(lambda m: chr(int(m.group(1))), src)
    # Python-Markdown writes entities in attributes through as they are, and the HTML reader
    # decodes them: judge "&#104;ttps://..." as the "https://..." it will become.
    src = html.unescape(src)
    src = _URL_NOISE_RE.sub("", src)
    lowered = src.lower()
    if lowered.startswith(_ALLOWED_IMAGE_SCHEMES):
        return True
    if _SCHEME_RE.match(src):  # any other scheme, and Windows drives ("c:") too
        return False
    return not src.startswith(("/", "\\"))


class _ImagePolicyTreeprocessor(Treeprocessor):
    """Replace disallowed images with their alt text in a ``span.blocked-image``."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img" and not image_source_allowed(child.get("src", "")):
                    parent[index] = self._placeholder(child)

    @staticmethod
    def _placeholder(img: etree.Element) -> etree.Element:
        span = etree.Element("span", {"class": "blocked-image", "title": "Image not loaded"})
        span.text = img.get("alt") or "image"
        span.tail = img.tail
        return span


class NotebookExtension(Extension):
    """Wires the pieces above into a Markdown instance and notes each render's slugs."""

    def __init__(self, *, breaks: bool = False) -> None:
        """``breaks``: a single newline in a paragraph is a line break."""
        super().__init__()
        self.breaks = breaks
        self.slugs: list[str] = []  # each heading's slug before de-duplication, in order

    def slugify(self, value: str, separator: str) -> str:
        """The toc extension's slugify, noting each slug so that a sectioned render can make
        the ids unique across sections exactly as one whole-document render does."""
        slug = slugify_unicode(value, separator)
        self.slugs.append(slug)
        return slug

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)  # so md.reset() calls our reset()
        # Raw HTML is shown as text: no HTML blocks, no inline tags or comments. The
        # serializer then escapes '<' in that text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # "\$" is a literal dollar (a price in a paragraph that holds a formula: the formulas'
        # rule, math_spans.py): shown without its backslash, as CommonMark escapes punctuation.
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")
        # Task glyphs before inline parsing (20): "[x]" must not be read as a link reference.
        md.treeprocessors.register(_TaskListTreeprocessor(md), "notebook_tasks", 25)
        md.treeprocessors.register(_PlainTextTreeprocessor(md), "notebook_plain_text", 21)
        # Hard breaks as well as newlines (see _LineBreakTreeprocessor), right after inline
        # parsing (20): the attachments (16), the image policy (15) and prettify (10, a newline
        # after each <br>) see the breaks as the inline patterns left them.
        md.inlinePatterns.deregister("linebreak")
        breaks = _LineBreakTreeprocessor(md, self.breaks)
        md.treeprocessors.register(breaks, "notebook_line_breaks", 19)
        # Image policy after inline parsing (20) created the <img> elements.
        md.treeprocessors.register(_ImagePolicyTreeprocessor(md), "notebook_images", 15)

    def reset(self) -> None:
        self.slugs = []
