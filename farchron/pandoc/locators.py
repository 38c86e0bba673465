"""A pandoc citation's suffix split into its locator and the rest, as citeproc splits it.

`[@krivosheev-2010, 159]`, `[@x, pp. 12--14, for the losses]`, `[@x, sec. 3(2)]`,
`[@x, {ch. 2, n. 4}]`: pandoc hands over the suffix whole (", pp. 12–14, for the
losses"); the locator is the label and numbers that open it. Chicago prints page numbers
bare in notes (14.150), so a page label is dropped; any other label stays as written.
"""

from __future__ import annotations

import re

#: Labels whose locator is a page: Chicago notes print the number alone.
PAGE_LABELS = frozenset({"p.", "pp.", "page", "pages"})
#: Other labels citeproc knows, kept in the note as written ("sec. 3", "chap. 2").
LABELS = PAGE_LABELS | frozenset({
    "sec.", "secs.", "§", "§§", "chap.", "chaps.", "ch.", "chs.", "vol.", "vols.", "n.",
    "nn.", "fig.", "figs.", "col.", "cols.", "para.", "paras.", "¶", "l.", "ll.", "fol.",
    "fols.", "f.", "ff.", "pt.", "pts.", "bk.", "bks.", "no.", "nos.", "art.", "doc.",
    "op.", "sv.", "s.v.", "vs.", "v.", "vv.", "line", "lines", "note", "notes", "section",
    "sections", "chapter", "chapters", "volume", "volumes", "folio", "folios", "part",
    "book", "number", "opus", "verse", "column", "figure", "paragraph"})

#: One number of a locator: 159, 12a, 1(3), xiv, XIV.
_TOKEN = r"(?:\d+[A-Za-z]?(?:\(\w+\))*|[ivxlcdm]+|[IVXLCDM]+)(?!\w)"
_NUMBERS = re.compile(rf"{_TOKEN}(?:\s*(?:[-–—]+|,|&|and)\s*{_TOKEN})*")
_LABEL = re.compile(r"(§§?|¶|[A-Za-z.]+\.?)[\s\u00a0]+")


def split_suffix(text: str) -> tuple[str, str]:
    """(locator, rest) of a citation suffix; ("", text) when it opens with no locator.

    >>> split_suffix(", pp. 12–14, for the losses")
    ('12–14', ', for the losses')
    """
    body = text.lstrip()
    if body.startswith(","):
        body = body[1:].lstrip()
    if body.startswith("{"):
        end = body.find("}")
        if end > 0:
            return body[1:end].strip(), body[end + 1:]
    label = ""
    m = _LABEL.match(body)
    if m and m.group(1).lower() in LABELS:
        label, body = m.group(1), body[m.end():]
    n = _NUMBERS.match(body)
    if n is None:
        return "", text
    numbers = n.group(0)
    # "12-14, for losses": a comma with no number after it ends the locator
    rest = body[n.end():]
    if label and label.lower() not in PAGE_LABELS:
        return f"{label} {numbers}", rest
    return numbers, rest
