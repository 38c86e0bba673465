"""A Gantt chart of events for the terminal: the layout (pure) and a thin Rich renderer.

layout() returns lines of (text, role) cells measured with terminal cell widths, so
tests can check the exact picture; write() only turns roles into colours, or not.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import IO

from farchron.dates import edtf as dates
from farchron.dates.edtf import Side, day_number, from_day_number, shape, sides, year_label
from farchron.frozen import Frozen
from farchron.model.records import Event
from farchron.text import cells as cell_width
from farchron.text import truncate

YMD = dates.YMD
Cell = tuple[str, str]  # (text, role): role "" plain, "title", "axis", "legend", "tag:NAME"

# Date geometry lives in dates.py; these names are re-exported for older callers.
__all__ = ["Side", "chart_period", "day_number", "extent", "from_day_number", "layout",
           "shape", "sides", "write", "year_label"]


def extent(events: Sequence[Event]) -> tuple[YMD, YMD] | None:
    """First and last real day of the events (open ends ignored), or None."""
    return dates.extent(e.date for e in events)


def chart_period(events: Sequence[Event], start: YMD = dates.MIN_YMD,
                 end: YMD = dates.MAX_YMD) -> tuple[YMD, YMD]:
    """The period drawn (see dates.frame)."""
    return dates.frame((e.date for e in events), start, end)


# --------------------------------------------------------------------------- glyphs

GLYPHS = {
    "span": "█", "approx": "▒", "window": "░", "point": "●", "point_approx": "○",
    "open_lo": "◀", "open_hi": "▶", "unknown": "?", "tick": "┬", "rule": "─",
}
ASCII_GLYPHS = {
    "span": "#", "approx": "~", "window": "-", "point": "o", "point_approx": "*",
    "open_lo": "<", "open_hi": ">", "unknown": "?", "tick": "+", "rule": "-",
}
_LEGEND = (
    ("span", "span"), ("window", "sometime in"), ("point", "day"),
    ("point_approx", "c. day"), ("approx", "approximate"), ("open", "open end"),
    ("unknown", "unknown end"),
)
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- the axis


class Tick(Frozen):
    __slots__ = _fields = ("col", "label", "context")
    col: int
    label: str
    context: str  # the coarser unit this tick starts, if any ("1939" above "Jan")

    def __init__(self, col: int, label: str, context: str) -> None:
        object.__setattr__(self, "col", col)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "context", context)


def _tick_dates(unit: str, step: int, lo: YMD, hi: YMD) -> list[tuple[YMD, str, str]]:
    """(date, fine label, context label) for every tick of a unit inside [lo, hi]."""
    out: list[tuple[YMD, str, str]] = []
    if unit == "year":
        first, last = (lo[0] if lo[1:] == (1, 1) else lo[0] + 1), hi[0]
        years = []
        n = 1 - first  # BC ticks fall on round BC numbers (200 BC), not astronomical ones
        n -= n % step
        while n >= 1:
            years.append(1 - n)
            n -= step
        y = max(first, 1)
        y += (-y) % step
        years.extend(range(y, last + 1, step))
        out.extend(((y, 1, 1), year_label(y), "") for y in years if y <= last)
    elif unit == "month":
        y, m = lo[0], lo[1] if lo[2] == 1 else lo[1] + 1
        if m > 12:
            y, m = y + 1, 1
        while (y, m, 1) <= hi:
            if (m - 1) % step == 0:
                ctx = year_label(y) if m == 1 or not out else ""
                out.append(((y, m, 1), _MONTHS[m], ctx))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:  # day
        n, last = day_number(lo), day_number(hi)
        while n <= last:
            y, m, d = from_day_number(n)
            if (d - 1) % step == 0 and d <= 31 - step // 2:
                ctx = f"{_MONTHS[m]} {year_label(y)}" if d == 1 or not out else ""
                out.append(((y, m, d), str(d), ctx))
            n += 1
    return out


_UNITS = (
    ("day", 1), ("day", 2), ("day", 5), ("day", 10), ("month", 1), ("month", 3),
    ("month", 6), ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 20),
    ("year", 50), ("year", 100), ("year", 200), ("year", 500), ("year", 1000),
    ("year", 2000), ("year", 5000), ("year", 10000),
)


def axis(lo: YMD, hi: YMD, width: int) -> tuple[list[Tick], str]:
    """Ticks for a bar area of `width` columns: the finest unit whose labels do not collide."""
    first, days = day_number(lo), day_number(hi) - day_number(lo) + 1
    ticks: list[Tick] = []
    unit = "year"
    for unit, step in _UNITS:
        if (unit == "day" and days > 120) or (unit == "month" and days > 366 * 40):
            continue
        if unit == "year" and step * 365 * width < days * 4:
            continue  # far too fine: skip the generation
        found = _tick_dates(unit, step, lo, hi)
        if len(found) > width:
            continue
        ticks = [Tick((day_number(t) - first) * width // days, lab, ctx) for t, lab, ctx in found]
        need = max((len(t.label) for t in ticks), default=0) + 1
        gaps = [b.col - a.col for a, b in pairwise(ticks)]
        if (len(ticks) >= 2 or unit == "year") and (not gaps or min(gaps) >= need):
            return ticks, unit
    return ticks, unit


def _place(labels: Sequence[tuple[int, str]], width: int) -> str:
    """Write labels at their columns, dropping any that would touch the one before."""
    row = [" "] * width
    free = 0
    for col, text in labels:
        if not text or col < free or col + len(text) > width:
            continue
        row[col:col + len(text)] = list(text)
        free = col + len(text) + 1
    return "".join(row)


# --------------------------------------------------------------------------- the chart


class Chart(Frozen):
    """Lines of cells, each line at most `width` terminal cells wide."""

    __slots__ = _fields = ("lines", "tags", "width")
    lines: list[list[Cell]]
    tags: list[str]  # colour order: the most frequent first tag first
    width: int

    def __init__(self, lines: list[list[Cell]], tags: list[str], width: int) -> None:
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "width", width)

    def plain(self) -> str:
        return "".join("".join(t for t, _ in line).rstrip() + "\n" for line in self.lines)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def _bar(e: Event, lo: int, hi: int, cols: int, glyph: dict[str, str]) -> list[str]:
    """The bar area of one row: the event's glyphs between its clipped columns."""
    days = hi - lo + 1
    row = [" "] * cols

    def col(ymd: YMD) -> int:
        return min(cols - 1, max(0, (day_number(ymd) - lo) * cols // days))

    def clamp(ymd: YMD) -> YMD:
        n = min(hi, max(lo, day_number(ymd)))
        return from_day_number(n)

    d = e.date
    s = sides(d)
    start = d.start if d.start != dates.MIN_YMD else from_day_number(lo)
    end = d.end if d.end != dates.MAX_YMD else from_day_number(hi)
    c0, c1 = col(clamp(start)), col(clamp(end))
    if len(s) == 1:
        one = s[0]
        if one.precision in ("day", "time"):
            row[c0] = glyph["point_approx" if one.approximate else "point"]
        else:
            for c in range(c0, c1 + 1):
                row[c] = glyph["approx" if one.approximate else "window"]
        return row
    for c in range(c0, c1 + 1):
        row[c] = glyph["span"]
    for side in s:  # a qualified end: its own range drawn as approximate
        if side.kind == "date" and side.approximate:
            for c in range(col(clamp(side.start)), col(clamp(side.end)) + 1):
                row[c] = glyph["approx"]
    a, b = s
    if a.kind != "date" and d.start == dates.MIN_YMD:
        row[c0] = glyph["open_lo" if a.kind == "open" else "unknown"]
    if b.kind != "date" and d.end == dates.MAX_YMD:
        row[c1] = glyph["open_hi" if b.kind == "open" else "unknown"]
    return row


def layout(events: Sequence[Event], start: YMD = dates.MIN_YMD, end: YMD = dates.MAX_YMD,
           *, width: int = 80, ascii: bool = False, legend: bool = True) -> Chart:
    """Lay out one row per event (in the order given) against a time axis.

    The title column takes at most two fifths of the width; the bar area the rest.
    """
    glyph = ASCII_GLYPHS if ascii else GLYPHS
    lo_ymd, hi_ymd = chart_period(events, start, end)
    lo, hi = day_number(lo_ymd), day_number(hi_ymd)
    width = max(1, width)
    if any(e.part_of for e in events) or len({e.id for e in events}) != len(events):
        from farchron.ledger.evidence import nest

        rows = nest(events)  # parts under their whole, indented
    else:  # nothing to nest: evidence (and its import) is not needed
        rows = [(e, 0) for e in events]
    indent = "- " if ascii else "└ "
    names = [("  " * (depth - 1) + indent if depth else "") + e.title for e, depth in rows]
    titles = [cell_width(truncate(t, 10**6)) for t in names]
    label_w = min(max(titles, default=0), max(10, (width - 1) * 2 // 5))
    label_w = max(0, min(label_w, width - 9))
    gap = 1 if label_w else 0
    cols = max(1, width - label_w - gap)
    ticks, _unit = axis(lo_ymd, hi_ymd, cols)

    tag_order = [t for t, _ in Counter(e.tags[0] for e in events if e.tags).most_common()]
    lead = [(" " * (label_w + gap), "")]
    context = _place([(t.col, t.context) for t in ticks if t.context], cols)
    fine = _place([(t.col, t.label) for t in ticks], cols)
    rule = [glyph["rule"]] * cols
    for t in ticks:
        rule[t.col] = glyph["tick"]
    header: list[list[Cell]] = []
    if context.strip():
        header.append([*lead, (context, "axis")])
    header.append([*lead, (fine, "axis")])
    header.append([*lead, ("".join(rule), "axis")])

    lines = list(header)
    used: set[str] = set()
    for (e, _depth), name in zip(rows, names, strict=True):
        bar = _bar(e, lo, hi, cols, glyph)
        used.update(k for k, v in glyph.items() if v in bar and k not in ("tick", "rule"))
        role = f"tag:{e.tags[0]}" if e.tags else "bar"
        cells: list[Cell] = []
        if label_w:
            cells.append((_pad(truncate(name, label_w), label_w) + " " * gap, "title"))
        cells.append(("".join(bar), role))
        lines.append(cells)
    if len(events) > 20:  # a long chart repeats its axis at the foot
        lines.extend(reversed(header))
    if legend:
        lines.extend(_legend(used, glyph, width))
    return Chart(lines, tag_order, width)


def _legend(used: set[str], glyph: dict[str, str], width: int) -> list[list[Cell]]:
    items = []
    for key, words in _LEGEND:
        if key == "open":
            if used & {"open_lo", "open_hi"}:
                items.append(f"{glyph['open_lo']}{glyph['open_hi']} {words}")
        elif key in used:
            items.append(f"{glyph[key]} {words}")
    out: list[list[Cell]] = []
    line = ""
    for item in items:
        if line and cell_width(line) + 2 + cell_width(item) > width:
            out.append([(line, "legend")])
            line = ""
        line = f"{line}  {item}" if line else item
    if line and cell_width(line) <= width:
        out.append([(line, "legend")])
    return out


# --------------------------------------------------------------------------- rendering

PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan",
           "bright_magenta", "bright_green", "bright_yellow", "bright_blue", "bright_red")


def write(events: Sequence[Event], start: YMD = dates.MIN_YMD, end: YMD = dates.MAX_YMD, *,
          width: int | None = None, ascii: bool | None = None,
          out: IO[str] | None = None) -> None:
    """Print the chart: coloured by first tag on a terminal, plain text otherwise."""

    from farchron.render.output import clamp_width, console, env_width, is_unicode, no_color
    from farchron.settings import force_color

    out = out or sys.stdout
    if ascii is None:
        ascii = not is_unicode(out)
    try:
        tty = out.isatty()
    except (AttributeError, ValueError):
        tty = False
    if no_color() or not (tty or force_color()):
        # plain text: Rich is not even imported (start-up into a pipe), the width as
        # Rich would take it: --width, $COLUMNS, else 80
        w = clamp_width(width) or env_width() or 80
        out.write(layout(events, start, end, width=w, ascii=ascii).plain())
        return
    con = console(out)
    if not con.is_terminal:  # FORCE_COLOR aside, Rich agrees with isatty
        out.write(layout(events, start, end, width=clamp_width(width) or con.width,
                         ascii=ascii).plain())
        return
    chart = layout(events, start, end, width=clamp_width(width) or con.width, ascii=ascii)
    from rich.text import Text

    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(chart.tags)}
    styles = {"axis": "dim", "legend": "dim", "title": ""}
    for line in chart.lines:
        text = Text(no_wrap=True, end="\n")
        for chunk, role in line:
            style = colours.get(role[4:], "") if role.startswith("tag:") else styles.get(role, "")
            text.append(chunk, style=style)
        text.rstrip()
        con.print(text, soft_wrap=True)
    if chart.tags:
        key = Text(no_wrap=True)
        from farchron.text import clean

        for raw in chart.tags:
            t = clean(raw)  # a tag is data: no escape sequence reaches the terminal
            item = f"■ {t}"
            if key.cell_len and key.cell_len + 2 + cell_width(item) > chart.width:
                con.print(key, soft_wrap=True)
                key = Text(no_wrap=True)
            if key.cell_len:
                key.append("  ")
            key.append("■", style=colours[raw])
            key.append(f" {t}", style="dim")
        con.print(key, soft_wrap=True)
