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


# --------------------------------------------------------------------------- punctuation


def title_runs(title: str, original: str | None, translated: str | None,
                italic: bool) -> list[Run]:
    """Romanised title, the original script, then [translation] (CMOS 17 11.89, 14.98).

    A quoted title closes its quotation mark before the bracketed translation:
    “Stalin no Nihonzo” [Stalin’s Image of Japan]. No trailing punctuation here:
    _comma() and _period() put it inside or outside the quotation mark.
    """
    script = f" {original}" if original and original != title else ""
    runs: list[Run] = [(title, True), (script, False)] if italic else [
        (f"“{inner_quotes(title)}{inner_quotes(script)}”", False)]
    if translated:
        runs.append((f" [{translated}]", False))
    return [r for r in runs if r[0]]


def inner_quotes(text: str) -> str:
    """Quotation marks inside a quoted title turn single (CMOS 17 13.30, 14.94):
    “““A Great Disobedience”: …” becomes “‘A Great Disobedience’: …”."""
    if '"' not in text and "“" not in text and "”" not in text:
        return text
    return smart(text).replace("“", "‘").replace("”", "’")


#: A title that ends in its own question or exclamation mark takes no comma or period
#: after it (CMOS 17 6.119, 14.90).
OWN_STOP = ("?", "!", "?”", "!”", "?’”", "!’”")


def comma(runs: list[Run], then: str) -> None:
    """A comma before `then`; American style puts it inside a closing quotation mark."""
    text, italic = runs[-1]
    if text.endswith(OWN_STOP):
        runs.append((then if then.startswith(" ") else " " + then, False))
    elif text.endswith("”"):
        runs[-1] = (text[:-1] + ",”", italic)
        runs.append((then if then.startswith(" ") else " " + then, False))
    else:
        runs.append(("," + (then if then.startswith(" ") else " " + then), False))


def period(runs: list[Run]) -> list[Run]:
    """End with one period, inside a closing quotation mark."""
    text, italic = runs[-1]
    if text.endswith((".”", *OWN_STOP)):
        return runs
    if text.endswith("”"):
        runs[-1] = (text[:-1] + ".”", italic)
    elif not text.endswith("."):
        runs.append((".", False))
    return runs
