"""Text as every front end must treat it: the one fold for matching, and data text made
safe to print (terminal, TSV, JSON, HTML, editor) and measured in terminal cells.

The base of the packages: pure standard library, imported by dates, cite, exporters,
render and the front ends alike, so that "Tōgō" folds one way and a control character
is cleaned one way everywhere.
"""

from __future__ import annotations

from typing import Any

# Line and field breaks become one space in every line-oriented format.
_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Bidi overrides and isolates can reorder what a reader sees (U+202E "Trojan Source").
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# Zero-width and invisible format characters: they hide text from a reader's eyes.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    flat: dict[int, str] = {}
    for ch in _BREAKS:
        flat[ord(ch)] = " "
    for c in range(0x20):
        flat.setdefault(c, chr(0x2400 + c))  # visible control pictures: ␛ for ESC
    flat[0x7F] = "\u2421"
    for c in range(0x80, 0xA0):
        flat.setdefault(c, "\ufffd")
    for ch in _BIDI:
        flat[ord(ch)] = "\ufffd"
    # JSON escapes C0 itself; C1, bidi and the two JS line separators it would print raw.
    # Zero-width and other invisible format characters are escaped too (lossless in JSON).
    js = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *map(ord, _BIDI), 0x2028, 0x2029,
                                      *map(ord, _INVISIBLE)]}
    return flat, js


_FLAT, _JSON_ESC = _build_tables()


def _odd(ch: str) -> str:
    """What a character left non-printable after _FLAT becomes: spaces stay; format
    characters (zero-width space and joiners, word joiner, BOM, tag characters) vanish;
    lone surrogates (undecodable bytes of an argument), private use and unassigned
    code points become U+FFFD, so every output is valid in its encoding."""
    import unicodedata

    cat = unicodedata.category(ch)
    if cat == "Zs":
        return ch
    if cat == "Cf":
        return ""
    return "\ufffd"


def clean(value: object) -> str:
    """One safe line: no control characters, tabs, newlines, bidi overrides, zero-width
    characters or lone surrogates."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # fast path: nothing to replace
        return text
    flat = text.translate(_FLAT)
    if not flat.isprintable():
        flat = "".join(ch if ch.isprintable() else _odd(ch) for ch in flat)
    # A multi-line TOML string reads as one paragraph: fold its line breaks and indents.
    return " ".join(flat.split()) if ("\n" in text or "\r" in text) else flat



def cells(text: str) -> int:
    """Terminal cells `text` takes (CJK counts double), as Rich measures it."""
    if text.isascii() and text.isprintable():  # one cell each
        return len(text)
    # Not rich.cells: a chart into a pipe should not import Rich. The same rule: wide
    # and fullwidth characters take two cells, combining marks and format characters none.
    import unicodedata

    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Me", "Mn", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def truncate(text: str, width: int) -> str:
    """Cut text to `width` terminal cells, with an ellipsis; CJK counts double."""
    text = clean(text)
    if cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cells(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" if width >= 1 else ""


def json_dumps(data: Any, *, indent: int | None = 2) -> str:
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.translate(_JSON_ESC)


def fold(text: str) -> str:
    """Case- and accent-insensitive key (Tōgō = togo): the one fold of the package."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


#: Typographic punctuation as anyascii writes it (tests/query/test_typography_fold.py checks
#: each against anyascii): the search key of a page whose only non-ASCII is its quotes and
#: dashes needs no anyascii (~4.5 ms with its importlib.resources and zipfile; issue 28).
TYPOGRAPHY = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
              "‐": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "«": "<<", "»": ">>",
              "‹": "<", "›": ">", "·": "-", "•": "*", "¿": "?", "¡": "!"}
TYPOGRAPHY_TABLE = str.maketrans(TYPOGRAPHY)
