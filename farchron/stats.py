"""Counting events: per year or month of a period, or per tag or actor.

The rule for time: an event counts once in every year (or month) that its bounds
overlap, so the Nomonhan Incident (May–Sep 1939) counts once in 1939, and the
Japanese occupation of Northern Sakhalin (1920/1925) once in each of 1920 to 1925.
An event known only to a year ("1936") counts in that year; an open end runs to
the edge of the period. Tags and actors: an event counts once under each of its
tags (actors); events without any are counted under "(none)".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from farchron import dates
from farchron.dates import year_label
from farchron.model import Event

BY = ("year", "month", "tag", "actor")
NONE_KEY = "(none)"


@dataclass(frozen=True, slots=True)
class Bin:
    """One bar of the histogram: a key as data ("1939", "1939-08", "battle") and its count."""

    key: str
    label: str  # as a reader writes it: "216 BC", "Aug 1939"
    count: int


def _month_key(y: int, m: int) -> str:
    return f"-{-y:04d}-{m:02d}" if y < 0 else f"{y:04d}-{m:02d}"


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def count(events: Sequence[Event], by: str = "year", start: dates.YMD = dates.MIN_YMD,
          end: dates.YMD = dates.MAX_YMD) -> list[Bin]:
    """Counts per unit; for year and month every unit of the period, empty ones too."""
    if by in ("tag", "actor"):
        c: Counter[str] = Counter()
        for e in events:
            values = e.tags if by == "tag" else e.actors
            c.update(set(values) or {NONE_KEY})
        ordered = sorted(c.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
        return [Bin(k, k, n) for k, n in ordered]
    if by not in ("year", "month"):
        raise ValueError(f"cannot count by {by!r}")
    if not events:
        return []
    lo, hi = dates.frame((e.date for e in events), start, end)
    if by == "year":
        first, last = lo[0], hi[0]
        per = [0] * (last - first + 1)
        for e in events:
            a = max(e.date.start, lo)[0]
            b = min(e.date.end, hi)[0]
            for y in range(a, b + 1):
                per[y - first] += 1
        return [Bin(str(first + i), year_label(first + i), n) for i, n in enumerate(per)]
    base = lo[0] * 12 + lo[1] - 1
    per = [0] * (hi[0] * 12 + hi[1] - 1 - base + 1)
    for e in events:
        s, t = max(e.date.start, lo), min(e.date.end, hi)
        for i in range(s[0] * 12 + s[1] - 1 - base, t[0] * 12 + t[1] - 1 - base + 1):
            per[i] += 1
    out = []
    for i, n in enumerate(per):
        y, m = divmod(base + i, 12)
        out.append(Bin(_month_key(y, m + 1), f"{_MONTHS[m + 1]} {year_label(y)}", n))
    return out


def records(bins: Sequence[Bin], by: str) -> list[dict[str, object]]:
    """JSON rows: {"year": 1939, "count": 12}; years as astronomical integers."""
    return [{by: int(b.key) if by == "year" else b.key, "count": b.count} for b in bins]


# --------------------------------------------------------------------------- the bar chart

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, top: int, width: int, *, ascii: bool = False) -> str:
    """A horizontal bar of value/top of `width` cells, in eighths of a cell."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / top))
    if ascii:
        return "#" * max(1, round(eighths / 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def chart_lines(bins: Sequence[Bin], width: int, *, ascii: bool = False,
                collapse: int = 3) -> list[tuple[str, str, str]]:
    """(label, bar, count) lines fitting `width` cells; runs of `collapse`+ empty bins
    become one line, so a ledger reaching back to 216 BC stays readable."""
    from farchron.render import cells, truncate

    rows: list[tuple[str, int]] = []
    i = 0
    while i < len(bins):
        j = i
        while j < len(bins) and bins[j].count == 0:
            j += 1
        if j - i >= collapse:
            rows.append((f"{bins[i].label} – {bins[j - 1].label}", -(j - i)))
            i = j
            continue
        rows.append((bins[i].label, bins[i].count))
        i += 1
    top = max((n for _, n in rows), default=0)
    num_w = max((len(str(n)) for _, n in rows if n >= 0), default=1)
    label_w = min(max((cells(lab) for lab, n in rows if n >= 0), default=1),
                  max(4, width // 3))
    bar_w = max(1, width - label_w - num_w - 2)
    out = []
    for lab, n in rows:
        if n < 0:
            out.append((truncate(f"{lab}: {-n} empty", width), "", ""))
            continue
        text = truncate(lab, label_w)
        text += " " * (label_w - cells(text))
        out.append((text, bar(n, top, bar_w, ascii=ascii), str(n).rjust(num_w)))
    return out
