"""Counting events: per year or month of a period, or per tag or actor.

The rule for time: an event counts once in every year (or month) that its bounds
overlap, so the Nomonhan Incident (May–Sep 1939) counts once in 1939, and the
Japanese occupation of Northern Sakhalin (1920/1925) once in each of 1920 to 1925.
An event known only to a year ("1936") counts in that year; an open end runs to
the edge of the period. Tags and actors: an event counts once under each of its
tags (actors); events without any are counted under "(none)".
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from farchron.dates import edtf as dates
from farchron.dates.edtf import year_label
from farchron.frozen import Frozen
from farchron.model.records import Event

BY = ("year", "month", "tag", "actor")
NONE_KEY = "(none)"


class Bin(Frozen):
    """One bar of the histogram: a key as data ("1939", "1939-08", "battle") and its count."""

    __slots__ = _fields = ("key", "label", "count")
    key: str
    label: str  # as a reader writes it: "216 BC", "Aug 1939"
    count: int

    def __init__(self, key: str, label: str, count: int) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "count", count)


def _month_key(y: int, m: int) -> str:
    return f"-{-y:04d}-{m:02d}" if y < 0 else f"{y:04d}-{m:02d}"


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: Most bins a count by year or month may have: a ledger reaching year 999998 would
#: otherwise print two million lines (and by month run out of memory). Past it, the
#: user is asked for a PERIOD.
MAX_BINS = 250_000


class TooManyBins(ValueError):
    """The period holds more years (months) than MAX_BINS: the message suggests a PERIOD."""


def _day(ymd: dates.YMD) -> int:
    return ymd[0] * 10000 + ymd[1] * 100 + ymd[2]


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
    return count_days([_day(e.date.start) for e in events],
                      [_day(e.date.end) for e in events], by, start, end)


def _extent(starts: Sequence[int], ends: Sequence[int]) -> tuple[dates.YMD, dates.YMD] | None:
    """chart.extent over day numbers: first and last real day, open ends ignored."""
    lo_s, hi_s = _day(dates.MIN_YMD), _day(dates.MAX_YMD)
    real = [d for d in itertools.chain(starts, ends) if d != lo_s and d != hi_s]
    if not real:
        return None
    a, b = min(real), max(real)
    return (a // 10000, a // 100 % 100, a % 100), (b // 10000, b // 100 % 100, b % 100)


def count_days(starts: Sequence[int], ends: Sequence[int], by: str = "year",
               start: dates.YMD = dates.MIN_YMD, end: dates.YMD = dates.MAX_YMD) -> list[Bin]:
    """Counts per year or month from the events' bounds as day numbers (y*10000+m*100+d).

    A difference array: each event adds 1 where its clipped span begins and -1 after it
    ends, so the cost is events + units, not events x units (an open end no longer walks
    every year to the ledger's edge). TooManyBins past MAX_BINS units.
    """
    if by not in ("year", "month"):
        raise ValueError(f"cannot count by {by!r}")
    if not starts:
        return []
    lo, hi = chart_period_days(starts, ends, start, end)
    lo_d, hi_d = _day(lo), _day(hi)
    if by == "year":
        first, last = lo[0], hi[0]
        unit, label = "years", "1939/1945"
    else:
        first, last = lo[0] * 12 + lo[1] - 1, hi[0] * 12 + hi[1] - 1
        unit, label = "months", "1939-01/1940-12"
    n = last - first + 1
    if n > MAX_BINS:
        raise TooManyBins(f"the period spans {n:,} {unit}, more than the {MAX_BINS:,} "
                          f"counted at once; give a PERIOD (e.g. {label}) or --from/--to")
    diff = [0] * (n + 1)
    for a, b in zip(starts, ends, strict=True):
        a = lo_d if a < lo_d else a
        b = hi_d if b > hi_d else b
        if a > b:
            continue
        if by == "year":
            i, j = a // 10000 - first, b // 10000 - first
        else:
            i = (a // 10000) * 12 + a // 100 % 100 - 1 - first
            j = (b // 10000) * 12 + b // 100 % 100 - 1 - first
        diff[i] += 1
        diff[j + 1] -= 1
    per = list(itertools.accumulate(diff[:n]))
    if by == "year":
        return [Bin(str(first + i), year_label(first + i), c) for i, c in enumerate(per)]
    out = []
    for i, c in enumerate(per):
        y, m = divmod(first + i, 12)
        out.append(Bin(_month_key(y, m + 1), f"{_MONTHS[m + 1]} {year_label(y)}", c))
    return out


def chart_period_days(starts: Sequence[int], ends: Sequence[int],
                      start: dates.YMD = dates.MIN_YMD, end: dates.YMD = dates.MAX_YMD
                      ) -> tuple[dates.YMD, dates.YMD]:
    """chart.chart_period computed from day numbers, so no event need be decoded."""
    ext = _extent(starts, ends) or ((1, 1, 1), (1, 12, 31))
    lo = ext[0] if start == dates.MIN_YMD else start
    hi = ext[1] if end == dates.MAX_YMD else end
    if lo > hi:
        lo, hi = hi, lo
    if start == dates.MIN_YMD or end == dates.MAX_YMD:
        years = hi[0] - lo[0]
        if start == dates.MIN_YMD:
            lo = (lo[0], 1, 1) if years >= 3 else (lo[0], lo[1], 1)
        if end == dates.MAX_YMD:
            hi = ((hi[0], 12, 31) if years >= 3
                  else (hi[0], hi[1], dates.days_in_month(hi[0], hi[1])))
    return lo, hi


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
    from farchron.text import cells, truncate

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
