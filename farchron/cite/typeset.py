"""Runs of (text, italic) set as plain text or pandoc Markdown, with typographic quotes.

cite.py builds every citation as runs; this is how they reach the page: smart quotes
and apostrophes (a draft is pasted as it is), Markdown italics and escapes.
"""

from __future__ import annotations

from collections.abc import Iterable

Run = tuple[str, bool]  # (text, italic)

_OPENS_AFTER = frozenset(" \t\n([{“‘—–-/")


def smart(text: str, before: str = "") -> str:
    """Typographic quotes and apostrophes: poter' → poter’, 'plan' → ‘plan’, "x" → “x”.

    `before` is the character preceding `text` (the end of the previous run), so a
    quotation split over runs still opens and closes right.
    """
    if "'" not in text and '"' not in text:
        return text
    out = []
    prev = before[-1:] if before else ""
    for ch in text:
        if ch == "'":
            ch = "‘" if (not prev or prev in _OPENS_AFTER) else "’"
        elif ch == '"':
            ch = "“" if (not prev or prev in _OPENS_AFTER) else "”"
        out.append(ch)
        prev = ch
    return "".join(out)


def plain(runs: Iterable[Run]) -> str:
    from farchron.text import clean

    return clean(smart("".join(t for t, _i in runs)))


# Pandoc Markdown specials; quotes are already typographic (see smart()), so none is
# escaped and pandoc's own smart typography has nothing left to undo.
_MD_ESCAPE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#$@^~"})


def md_escape(text: str, before: str = "") -> str:
    from farchron.text import clean

    return smart(clean(text), before).translate(_MD_ESCAPE)


def markdown(runs: Iterable[Run]) -> str:
    """Pandoc Markdown: italics as *...*, every data character escaped."""
    out = []
    prev = ""
    for text, italic in runs:
        esc = md_escape(text, prev)
        prev = text[-1:] or prev
        if italic and esc.strip():
            lead, core, trail = _edges(esc)
            out.append(f"{lead}*{core}*{trail}")
        else:
            out.append(esc)
    return "".join(out)


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core):]
