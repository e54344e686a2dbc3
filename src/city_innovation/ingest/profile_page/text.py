"""Stage 1 of reading a profile page: the text itself.

Decoding a file's bytes (:func:`decode`), cleaning the text into lines (:func:`normalise`),
finding the line a cut-off page stops in (:func:`cut_line`; most published copies stop
mid-sentence), and splitting prose into sentences and written lists into items. Nothing here
knows the page's sections; the later stages use these helpers on the lines of each section.
"""

from __future__ import annotations

import re

from ...errors import ParseError
from ...survey import options

MAX_BYTES = 1_000_000
"""Largest profile text accepted (a published profile is about 10 kB)."""

_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u2028": "\n", "\u2029": "\n",
})
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
_BULLET = re.compile(r"^[\u2022\u00b7\u2023\u25e6\u25aa\u25cf\u2013*-] +")


def normalise(text: str) -> list[str]:
    """Lines of the text without copy-paste artefacts: line endings, odd spaces and quotes,
    bullets (•, -, *), indentation."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHARS)
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text))
    return [_BULLET.sub("", line.strip()) for line in text.split("\n")]


SENTENCE_END = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+(?=[A-Z\"*(])")
_LOOKS_SENTENCE = re.compile(r"[.!?][\"')*]*$|\. ")


def is_sentence(line: str) -> bool:
    """Prose rather than a label: long, or with a full stop."""
    return len(line) > 120 or bool(_LOOKS_SENTENCE.search(line))


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += (ch == "(") - (ch == ")")
    return out


def _split_top(text: str, sep: re.Pattern[str]) -> list[str]:
    """Split at the separators that are outside parentheses."""
    depth = _depths(text)
    parts, start = [], 0
    for m in sep.finditer(text):
        if depth[m.start()] == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


_COMMA = re.compile(r",")
_SEMICOLON = re.compile(r";")
_ALSO = re.compile(r"\s+(?:and\s+with|as\s+well\s+as(?:\s+with)?)\s+")
_AND = re.compile(r"\s+and\s+")
_LEAD = re.compile(r"^(?:(?:and|as well as|with|also)\s+)+", re.IGNORECASE)


def _clean_item(text: str) -> str:
    return _LEAD.sub("", text.strip()).strip(" .;,*")


def split_list(text: str) -> list[str]:
    """Items of a written list: "a, b (e.g. x, y), c and d" -> a, b (e.g. x, y), c, d."""
    pieces = [p for part in _split_top(text, _COMMA) for p in _split_top(part, _ALSO)]
    if pieces:
        last = _split_top(pieces[-1], _AND)
        pieces[-1:] = [" and ".join(last[:-1]), last[-1]] if len(last) > 1 else last
    return [c for p in pieces if (c := _clean_item(p))]


def split_examples(text: str) -> list[str]:
    """Examples of an "e.g." line: separated by semicolons, else by commas."""
    sep = _SEMICOLON if ";" in text else _COMMA
    return [c for p in _split_top(text, sep) if (c := _clean_item(p))]


_WITH_EXAMPLES = re.compile(
    r"^(?P<name>[^(]{1,200}?)\s*\((?:e\.g\.|i\.e\.|such as|including|for example)\s*"
    r"(?P<ex>[^()]{0,400})\)$", re.IGNORECASE)


def split_named(item: str) -> tuple[str, list[str]]:
    """Split "name (e.g. x, y)" into the name and its examples."""
    m = _WITH_EXAMPLES.match(item)
    return (m["name"].strip(), split_examples(m["ex"])) if m else (item, [])


def capitalise(text: str) -> str:
    """The text with its first letter upper case."""
    return text[:1].upper() + text[1:]


EG = re.compile(r"^(?:e\.\s?g\.|eg\.)\s*:?\s*(.+)$", re.IGNORECASE)
"""An "e.g." line: the examples of the item printed before it."""

# --- the cut-off line ----------------------------------------------------------------------

_ENDS_COMPLETE = re.compile(r"[.!?:)\"'*]$")


def cut_line(text: str, lines: list[str]) -> int | None:
    """Index of the line the page stops in, when it stops mid-line (else None).

    A copied page that ends without a line break and without closing punctuation stops in its
    last line: that item or sentence is incomplete.
    """
    if text.endswith(("\n", "\r")) or not lines:
        return None
    last = max((i for i, line in enumerate(lines) if line), default=None)
    if last is None or _ENDS_COMPLETE.search(lines[last]) or options.is_label(lines[last]):
        return None
    return last


def complete_part(line: str) -> str:
    """What a cut line says before its incomplete last word."""
    return re.sub(r"\s*\S*$", "", line.rstrip()) if " " in line.strip() else ""


# --- a file's bytes ------------------------------------------------------------------------


def decode(raw: bytes, name: str = "profile text") -> str:
    """The text of a file's bytes; refuses empty, binary, UTF-16 and non-UTF-8 input."""
    if len(raw) > MAX_BYTES:
        raise ParseError(f"{name}: {len(raw) / 1e6:.1f} MB is over the limit of "
                         f"{MAX_BYTES / 1e6:.0f} MB for a profile text (a published profile is "
                         "about 10 kB)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"{name}: the file is UTF-16 text; save it as UTF-8 and try again")
    head = raw[:8192]
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    if b"\x00" in raw or controls > len(head) // 20:
        raise ParseError(f"{name}: a binary file, not text (expected a profile page copied "
                         "as text)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                         f"{exc.start}); save the page as UTF-8 and try again") from None
    if not text.strip():
        raise ParseError(f"{name}: the file is empty (expected a profile page copied as text)")
    return text
