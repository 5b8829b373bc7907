"""The text of a file an import or a sync reads: its bytes decoded, and how.

* UTF-8, with or without its byte-order mark, is read as it is, and so is UTF-16 that starts
  with its mark (Windows Notepad's "Unicode"); Windows line ends become ``\\n``.
  :attr:`FileText.style` says what was taken away (the mark, line ends that were all
  ``\\r\\n``), so a vault's file can be written back as it was (``vault_files``).
* Other bytes are a legacy single-byte encoding: a note kept for years on Windows or an old
  Mac, a file saved by an editor set to Latin-1. Windows-1252 (a superset of Latin-1's letters)
  reads nearly all of them; Latin-1 reads the rest, since it gives every byte a character. What
  such a file says is kept, and :attr:`FileText.legacy` says why it was read so: an import
  warns with it (the user checks its accented letters), a sync, which writes files back,
  passes the file over rather than change the encoding other tools read it with.
* A NUL byte in the first 64 KiB means a binary file (an image or a database renamed ``.md``,
  a file a crash left full of zeros): no text to keep, refused.
"""

from __future__ import annotations

import codecs
import dataclasses

from notebook_app.core.errors import ImportProblem

_BINARY_PROBE = 64 * 1024
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclasses.dataclass(frozen=True, slots=True)
class FileText:
    text: str
    encoding: str  # "UTF-8", "UTF-16", "Windows-1252" or "Latin-1"
    # Why the file was not read as Unicode: "not UTF-8 text (invalid byte 0xe9 at offset 3)";
    # "" for UTF-8 and UTF-16.
    legacy: str = ""
    # "crlf" (every line end was "\r\n"), "bom" (UTF-8's byte-order mark), "bom crlf", or None
    style: str | None = None

    def warnings(self) -> list[str]:
        """The import's warning for a file read in a legacy encoding (none for Unicode)."""
        if not self.legacy:
            return []
        return [f"{self.legacy}; read as {self.encoding}: check its accented letters"]


def file_text(data: bytes) -> FileText:
    """``data`` as text (see the module's rules), or ImportProblem for a binary file."""
    if data.startswith(_UTF16_MARKS):
        try:
            return _read(data.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError:
            pass  # a mark by chance (Latin-1 "ÿþ"): read on as any other bytes
    if b"\x00" in data[:_BINARY_PROBE]:
        raise ImportProblem("a binary file, not text")
    try:
        return _read(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        legacy = f"not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset {error.start})"
    try:
        return _read(data.decode("cp1252"), "Windows-1252", legacy)
    except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
        return _read(data.decode("latin-1"), "Latin-1", legacy)


def _read(text: str, encoding: str, legacy: str = "") -> FileText:
    marks = []
    if text.startswith("\ufeff"):
        marks.append("bom")
        text = text[1:]
    if "\r\n" in text:
        # Line ends all "\r\n" are written back so; a file that mixes them is given "\n".
        if text.count("\r\n") == text.count("\n"):
            marks.append("crlf")
        text = text.replace("\r\n", "\n")
    return FileText(text, encoding, legacy, " ".join(marks) or None)
