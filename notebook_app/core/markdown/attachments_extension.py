"""A Python-Markdown extension that shows a note's files through the app's own scheme.

* ``![[x.png]]``, ``![[x.png|300]]``, ``![[x.png|300x200]]`` (Obsidian's embeds of a file)
  become ``<img src="attachment:x.png" alt="x.png" width="300">``;
* ``![alt](img/x.png)``, ``![alt](<with space.png>)``, ``![alt](../assets/x.png)``: the
  relative source becomes ``attachment:img/x.png`` (decoded, then percent-encoded once); the
  resolver joins it to the note's folder, so Logseq's ``../assets/`` images show.

``attachment:NAME`` is the note's own name for the file, never a file path to open: the
preview's ``loadResource`` asks the notebook for the file that name resolves to for the open
entry (``core.attachments.store.Resolver``, as Obsidian resolves it) and shows its bytes, or a
placeholder with the name. So the HTML depends on the text alone and the renderer's section
cache stays valid when a file is added. An embed of a note (``![[Other note]]``) and sources
with a scheme are left alone (the image policy blocks the ones that could reach out).

Plugged in with ``AttachmentExtension()`` in the renderer's extension list; its treeprocessor
runs before the image policy (15), its inline pattern before links (160) and after code spans
(190), so nothing in code is touched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from notebook_app.core.attachments.references import clean_target, is_file_name
from notebook_app.core.markdown.extensions import image_source_allowed

ATTACHMENT_SCHEME = "attachment"
_EMBED_RE = (
    r"!\[\[(?P<target>[^\[\]|#^\n]+)(?P<anchor>[#^][^\[\]|\n]*)?(?:\|(?P<alias>[^\[\]\n]*))?\]\]"
)
_SIZE_RE = re.compile(r"^\s*(\d{1,5})(?:\s*x\s*(\d{1,5}))?\s*$")


def attachment_url(target: str) -> str:
    """The preview's URL for a note's target (``attachment:img/with%20space.png``)."""
    return f"{ATTACHMENT_SCHEME}:{quote(target, safe='/')}"


class _EmbedProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        target = clean_target(m.group("target"), folder=None)
        if target is None or not is_file_name(target):
            return None, None, None  # a note's embed: not ours
        img = etree.Element("img", {"src": attachment_url(target), "alt": target})
        size = _SIZE_RE.match(m.group("alias") or "")
        if size:
            img.set("width", size.group(1))
            if size.group(2):
                img.set("height", size.group(2))
        return img, m.start(0), m.end(0)


class _RelativeImages(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for img in root.iter("img"):
            src = img.get("src", "")
            if src.startswith(f"{ATTACHMENT_SCHEME}:"):
                continue
            target = clean_target(src, folder=None)  # ../assets/x.png from pages/ (Logseq)
            # Only a source the image policy would let through becomes ours: one it blocks
            # (``&#104;ttps://...`` decodes to an address) stays blocked.
            if (target is not None and not src.lower().startswith("data:")
                    and image_source_allowed(src)):  # fmt: skip
                img.set("src", attachment_url(target))


class AttachmentExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.inlinePatterns.register(_EmbedProcessor(_EMBED_RE, md), "notebook_embeds", 175)
        md.treeprocessors.register(_RelativeImages(md), "notebook_attachments", 16)
