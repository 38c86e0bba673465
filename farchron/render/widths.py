"""Fitting a table to the terminal without losing a character.

A table that truncates an id breaks `show ID`, and one that folds "8 Feb 1904" into
"8 Feb / 1904" makes a second date appear. So widths are chosen here, before anything
is drawn, by rules Rich's Table cannot be told: keys (ids) never break, dates break only
between their parts ("8 Feb 1904–" / "5 Sep 1905"), the main text column (the title)
gets the spare width first, and when a title would drop under TITLE_FLOOR columns the
ids move to a line of their own, and below that each record is stacked field by field.
Widths are display cells (rich.cells: CJK counts double); no line exceeds the width.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Spaces between two columns.
GAP = 2
#: The main column (titles) never gets fewer cells than this while a table is drawn.
TITLE_FLOOR = 24
#: The main column grows to this many cells before the other columns stop wrapping.
COMFORT = 40
#: A word longer than this does not widen its column's minimum; it is split instead.
LONG_WORD = 20

# Where a date may break: after an en dash ("8 Feb 1904–"), after ", " ("12 Jul 1945, ").
_DATE_BREAK = re.compile(r"(?<=–)|(?<=, )")
# Where an over-long word may break: after a hyphen or a dash.
_WORD_BREAK = re.compile(r"(?<=[-–—/])")


def _cells() -> Callable[[str], int]:
    from rich.cells import cell_len

    return cell_len


@dataclass(frozen=True, slots=True)
class Spec:
    """What the fitter needs to know of a column: its header and how it may wrap.

    wrap is "never" (ids: one line whatever it costs), "parts" (dates: only between
    parts) or "words"; main marks the column that gets the width first.
    """

    header: str
    wrap: str = "words"
    main: bool = False
    min_width: int = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """mode "table" (every column), "idline" (the key column's value on its own line
    under the main column's text) or "stacked" (one "Header: value" line per field)."""

    mode: str
    widths: tuple[int, ...] = ()
    shown: tuple[int, ...] = ()  # column indexes drawn, in order
    key: int | None = None  # the column moved into the main one (idline)
    main: int | None = None


def _pieces(text: str, how: str) -> list[str]:
    """The unbreakable pieces of a cell; words keep their trailing space."""
    if how == "never":
        return [text]
    if how == "parts":
        return [p for p in _DATE_BREAK.split(text) if p]
    return [w + " " for w in text.split(" ")] if text else []


def _split_long(word: str, width: int, cell_len: Callable[[str], int]) -> list[str]:
    """A word wider than the column: after its hyphens, then cell by cell, each line as
    full as it goes (not one hyphen-part a line)."""
    from rich.cells import chop_cells

    out: list[str] = []
    cur = ""
    for part in (p for p in _WORD_BREAK.split(word) if p):
        for piece in [part] if cell_len(part) <= width else chop_cells(part, width):
            if cur and cell_len(cur + piece) <= width:
                cur += piece
            else:
                if cur:
                    out.append(cur)
                cur = piece
    if cur:
        out.append(cur)
    return out


def wrap(text: str, width: int, how: str = "words") -> list[str]:
    """Lines of at most `width` cells (a "never" cell is one line, whatever its width)."""
    cell_len = _cells()
    if how == "never" or cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    cur = ""
    for piece in _pieces(text, how):
        if cell_len((cur + piece).rstrip()) <= width:
            cur += piece
            continue
        if cur.strip():
            lines.append(cur.rstrip())
        cur = ""
        if cell_len(piece.rstrip()) > width:  # only an over-long word (or date part)
            parts = _split_long(piece.rstrip(), width, cell_len)
            lines.extend(parts[:-1])
            cur = parts[-1] + (" " if piece.endswith(" ") else "")
        else:
            cur = piece
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines


def _min_width(spec: Spec, values: Sequence[str], cell_len: Callable[[str], int]) -> int:
    least = max(cell_len(spec.header), spec.min_width if spec.wrap != "never" else 0, 1)
    for v in values:
        for p in _pieces(v, spec.wrap):
            w = cell_len(p.rstrip())
            if spec.wrap == "words":
                w = min(w, LONG_WORD)
            least = max(least, w)
    return least


def fit(specs: Sequence[Spec], rows: Sequence[Sequence[str]], width: int) -> Layout:
    """The widest layout that keeps every character and fits `width` cells."""
    cell_len = _cells()
    n = len(specs)
    cols = [[r[i] for r in rows] for i in range(n)]
    nat = [max([cell_len(s.header), *map(cell_len, c)]) for s, c in zip(specs, cols, strict=True)]
    gaps = GAP * (n - 1)
    every = tuple(range(n))
    if sum(nat) + gaps <= width:
        return Layout("table", tuple(nat), every)
    least = [_min_width(s, c, cell_len) for s, c in zip(specs, cols, strict=True)]
    main = next((i for i, s in enumerate(specs) if s.main), None)
    if main is not None:
        least[main] = min(nat[main], max(least[main], TITLE_FLOOR))

    def spread(shown: tuple[int, ...], mins: list[int], wanted: list[int]) -> Layout | None:
        room = width - GAP * (len(shown) - 1) - sum(mins[i] for i in shown)
        if room < 0:
            return None
        w = {i: mins[i] for i in shown}
        # The main column first up to COMFORT, then the others (a date unwrapped)
        # left to right, then the main column again.
        steps = [(i, min(wanted[i], COMFORT) if i == main else wanted[i])
                 for i in ([main] if main in shown else []) + [i for i in shown if i != main]]
        if main in shown:
            steps.append((main, wanted[main]))
        for i, upto in steps:
            extra = min(room, upto - w[i])
            if extra > 0:
                w[i] += extra
                room -= extra
        return Layout("table", tuple(w[i] for i in shown), shown)

    table = spread(every, least, nat)
    key = next((i for i, s in enumerate(specs) if s.wrap == "never"), None)
    idline = None
    if key is not None and main is not None:
        shown = tuple(i for i in every if i != key)
        mins, wanted = list(least), list(nat)
        mins[main] = max(least[main], nat[key], cell_len(idline_header(specs, main, key)))
        wanted[main] = max(nat[main], nat[key])
        lay = spread(shown, mins, wanted)
        if lay is not None:
            idline = Layout("idline", lay.widths, shown, key, main)
    if table is not None and idline is not None:
        # Both fit: the ids under the titles when that takes fewer lines (long ids at
        # 80 columns squeeze titles into three lines each; under them, titles fit).
        if len(table_lines(specs, rows, idline)) < len(table_lines(specs, rows, table)):
            return idline
        return table
    return table or idline or Layout("stacked")


def table_lines(specs: Sequence[Spec], rows: Sequence[Sequence[str]], layout: Layout
                ) -> list[list[tuple[str, int]]]:
    """The drawn body: per output line, (text, column index) segments already padded.

    Column index -1 is padding; the key column's own line (idline) carries its index.
    """
    cell_len = _cells()
    out: list[list[tuple[str, int]]] = []
    widths = dict(zip(layout.shown, layout.widths, strict=True))
    for row in rows:
        cells: dict[int, list[tuple[str, int]]] = {}
        for i in layout.shown:
            lines = [(t, i) for t in wrap(row[i], widths[i], specs[i].wrap)]
            if layout.mode == "idline" and i == layout.main and layout.key is not None:
                lines.append((row[layout.key], layout.key))
            cells[i] = lines
        height = max(len(v) for v in cells.values())
        for k in range(height):
            segs: list[tuple[str, int]] = []
            for n, i in enumerate(layout.shown):
                if n:
                    segs.append((" " * GAP, -1))
                text, col = cells[i][k] if k < len(cells[i]) else ("", -1)
                segs.append((text, col))
                pad = widths[i] - cell_len(text)
                if pad > 0:
                    segs.append((" " * pad, -1))
            while segs and segs[-1][0].strip() == "":  # no trailing spaces
                segs.pop()
            out.append(segs)
    return out


def idline_header(specs: Sequence[Spec], main: int, key: int) -> str:
    """The main column's header when the ids sit under its text: "Event / Id"."""
    return f"{specs[main].header} / {specs[key].header}"


def header_line(specs: Sequence[Spec], layout: Layout) -> str:
    cell_len = _cells()
    parts = []
    for i, w in zip(layout.shown, layout.widths, strict=True):
        h = specs[i].header
        if layout.mode == "idline" and i == layout.main and layout.key is not None:
            h = idline_header(specs, i, layout.key)
        parts.append(h + " " * (w - cell_len(h)))
    return (" " * GAP).join(parts).rstrip()


def stacked_lines(specs: Sequence[Spec], row: Sequence[str], width: int
                  ) -> list[list[tuple[str, int]]]:
    """One record as "Header: value" lines; continuation lines indented by two spaces."""
    cell_len = _cells()
    out: list[list[tuple[str, int]]] = []
    for i, spec in enumerate(specs):
        label, value = spec.header + ": ", row[i]
        if spec.wrap == "never":
            if cell_len(label + value) <= width:
                out.append([(label, -1), (value, i)])
            else:  # the id on a line of its own; folded only if wider than the terminal
                out.append([(label.rstrip(), -1)])
                out.extend([[(part, i)] for part in _split_long(value, width, cell_len)]
                           if cell_len(value) > width else [[(value, i)]])
            continue
        first = width - cell_len(label)
        lines = wrap(value, max(first, 1), spec.wrap)
        if len(lines) > 1:  # rewrap the rest to the indented width
            rest = value[len(lines[0]):].lstrip()
            lines = [lines[0], *wrap(rest, max(width - 2, 1), spec.wrap)]
        out.append([(label, -1), (lines[0], i)])
        out.extend([[("  ", -1), (t, i)] for t in lines[1:]])
    return out
