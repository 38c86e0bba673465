"""EDTF dates (levels 0 and 1) parsed to day bounds, with historian-style display, and
all date geometry: day numbers, year labels, the sides of a date with their Precision.

A small regex parser: the `edtf` package costs milliseconds per parse, this costs microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from farchron.dates.daycount import day_number as day_number  # re-exported: dates' geometry
from farchron.dates.daycount import days_in_month
from farchron.dates.daycount import from_day_number as from_day_number
from farchron.dates.daycount import is_leap as is_leap
from farchron.dates.names import MONTH_ABBR as _MONTH_ABBR
from farchron.dates.names import MONTH_NAME as _MONTH_NAME
from farchron.dates.names import SEASONS as _SEASONS
from farchron.frozen import Frozen

YMD = tuple[int, int, int]

# Sentinels for open or unknown interval ends: they sort before/after every
# real date, so overlap tests and ordering need no special cases.
MIN_YEAR = -999999
MAX_YEAR = 999999
MIN_YMD: YMD = (MIN_YEAR, 1, 1)
MAX_YMD: YMD = (MAX_YEAR, 12, 31)

# Precisions of one side of an expression.
_YEAR, _MONTH, _DAY, _SEASON = 0, 1, 2, 3

#: One side of an expression (compiled on first use: a warm run may parse no date).
_SIDE = (
    r"(?:Y(?P<long>-?[1-9][0-9]{4,})"
    r"|(?P<year>-?[0-9]{4}|[0-9]{3}[Xx]|[0-9]{2}[Xx]{2}|[0-9][Xx]{3})"
    r"(?:-(?P<month>[0-9]{2}|[Xx]{2})"
    r"(?:-(?P<day>[0-9]{2}|[Xx]{2})"
    r"(?:T(?P<hh>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<ss>[0-9]{2}))?"
    r"(?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?)?)?)"
    r"(?P<qual>[~?%])?"
)
#: Command-line eras (216 BC); compiled on first use by re's cache, not at start-up.
_ERA_RE = (
    r"(?:(?P<n1>[0-9]+)\s*(?P<era1>B\.?C\.?(?:E\.?)?|A\.?D\.?|C\.?E\.?)"
    r"|(?P<era2>A\.?D\.?|C\.?E\.?)\s*(?P<n2>[0-9]+)|(?P<plain>-?[0-9]{5,}))"
)


class DateError(ValueError):
    """A date text that is not valid EDTF (or PERIOD); the message quotes it."""


class _Side(NamedTuple):
    """One parsed date of an expression; kept only to build display()."""

    year: int          # astronomical; for unspecified digits the lowest year (193X -> 1930)
    month: int         # 1..12, or season code 21..24, 0 if absent or unspecified
    day: int           # 0 if absent or unspecified
    prec: int          # _YEAR, _MONTH, _DAY or _SEASON (unspecified parts lower it)
    xdigits: int       # count of unspecified (X) year digits
    qual: str          # "", "~", "?" or "%"
    time: str          # display form of a time of day, "" if none


def iso(ymd: YMD) -> str:
    """Bound as ISO text: 4-digit zero-padded year, '-' before negative ones."""
    y, m, d = ymd
    if y < 0:
        return f"-{-y:04d}-{m:02d}-{d:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _year_label(y: int) -> str:
    """Human year number without era ('216' for -0215)."""
    return str(1 - y) if y <= 0 else str(y)


def _side_bounds(s: _Side) -> tuple[YMD, YMD]:
    y = s.year
    if s.prec == _DAY:
        return (y, s.month, s.day), (y, s.month, s.day)
    if s.prec == _MONTH:
        return (y, s.month, 1), (y, s.month, days_in_month(y, s.month))
    if s.prec == _SEASON:
        _, first, last = _SEASONS[s.month]
        if s.month == 24:
            return (y, 12, 1), (y + 1, 2, days_in_month(y + 1, 2))
        return (y, first, 1), (y, last, days_in_month(y, last))
    span = 10 ** s.xdigits - 1  # 193X covers 1930..1939
    return (y, 1, 1), (y + span, 12, 31)


def _fail(text: str, why: str) -> DateError:
    return DateError(f"invalid EDTF date '{text}': {why}")


def _plain_side(p: str) -> _Side | None:
    """YYYY, YYYY-MM (or a season) or YYYY-MM-DD, valid, read without the regex (a warm run
    then compiles none); None for anything else, which the regex path reads or words."""
    n = len(p)
    if n not in (4, 7, 10) or not p.isascii() or not p[:4].isdigit():
        return None
    y = int(p[:4])
    if n == 4:
        return _Side(y, 0, 0, _YEAR, 0, "", "")
    mo = int(p[5:7]) if p[4] == "-" and p[5:7].isdigit() else 0
    if n == 7 and (1 <= mo <= 12 or 21 <= mo <= 24):
        return _Side(y, mo, 0, _SEASON if mo > 12 else _MONTH, 0, "", "")
    if n == 10 and 1 <= mo <= 12 and p[7] == "-" and p[8:].isdigit() \
            and 1 <= int(p[8:]) <= days_in_month(y, mo):
        return _Side(y, mo, int(p[8:]), _DAY, 0, "", "")
    return None


def _parse_side(part: str, text: str) -> _Side:
    """Parse one date (no '/'); `text` is the whole expression for messages."""
    plain = _plain_side(part)
    if plain is not None:
        return plain
    m = re.fullmatch(_SIDE, part)  # compiled on first use by re's cache
    if m is None:
        digits = part[1:].lstrip("-")
        if part.startswith("Y") and digits.isascii() and digits.isdigit():
            if len(digits) > 4:
                raise _fail(text, "a Y-prefixed year has no leading zeros")
            raise _fail(text, "the Y prefix is only for years of more than 4 digits")
        raise _fail(text, "not a date (expected e.g. 1939, 1939-08, 1939-08-23, 1944-23, 193X)")
    g = m.group
    qual = g("qual") or ""
    long = g("long")
    if long is not None:
        y = int(long)
        if not MIN_YEAR < y < MAX_YEAR:
            raise _fail(text, f"year {y} is out of range")
        return _Side(y, 0, 0, _YEAR, 0, qual, "")
    ys = g("year")
    if ys == "-0000":
        raise _fail(text, "year -0000 does not exist (use 0000 for 1 BC)")
    xdigits = 0
    if ys[-1] in "Xx":
        xdigits = 4 - len(ys.rstrip("Xx"))
        ys = ys.rstrip("Xx") + "0" * xdigits
    y = int(ys)
    ms = g("month")
    if ms is None:
        return _Side(y, 0, 0, _YEAR, xdigits, qual, "")
    if xdigits:
        raise _fail(text, "a year with unspecified digits cannot have a month or day")
    ds = g("day")
    if ms in ("XX", "xx", "Xx", "xX"):
        if ds is not None and ds[0] not in "Xx":
            raise _fail(text, "a day cannot be given when the month is unspecified")
        return _Side(y, 0, 0, _YEAR, 0, qual, "")
    mo = int(ms)
    if 21 <= mo <= 24:
        if ds is not None:
            raise _fail(text, "a season cannot have a day")
        return _Side(y, mo, 0, _SEASON, 0, qual, "")
    if not 1 <= mo <= 12:
        raise _fail(text, f"month {ms} is not 01-12 (or a season 21-24)")
    if ds is None:
        return _Side(y, mo, 0, _MONTH, 0, qual, "")
    if ds[0] in "Xx":
        return _Side(y, mo, 0, _MONTH, 0, qual, "")
    day = int(ds)
    dim = days_in_month(y, mo)
    if not 1 <= day <= dim:
        raise _fail(text, f"{_MONTH_NAME[mo]} {g('year')} has {dim} days")
    hh = g("hh")
    if hh is None:
        return _Side(y, mo, day, _DAY, 0, qual, "")
    mi, ss, tz = g("mi"), g("ss"), g("tz")
    if int(hh) > 23 or int(mi) > 59 or (ss is not None and int(ss) > 59):
        raise _fail(text, f"time {hh}:{mi}{':' + ss if ss else ''} is not a valid time of day")
    t = f"{hh}:{mi}:{ss}" if ss is not None else f"{hh}:{mi}"
    if tz == "Z":
        t += " UTC"
    elif tz:
        if int(tz[1:3]) > 14 or (len(tz) > 3 and int(tz[-2:]) > 59):
            raise _fail(text, f"time zone {tz} is not valid")
        t += " UTC" + tz
    return _Side(y, mo, day, _DAY, 0, qual, t)


class Date(Frozen):
    """A parsed EDTF expression (single date or interval) with its day bounds.

    Equal, hashed and shown by (text, start, end); immutable.
    """

    __slots__ = ("_parts", "end", "start", "text")
    _fields = ("text", "start", "end")
    _init_args = ("text", "start", "end", "_parts")
    __match_args__ = ("text", "start", "end")

    text: str
    start: YMD
    end: YMD
    # Display data: (side,) for a single date, (lo, hi) for an interval, where
    # an end may be ".." (open) or "" (unknown) instead of a side.
    # None: restored from a cache without parsing; display() parses the text on first use.
    _parts: tuple[_Side | str, ...] | None

    def __init__(self, text: str, start: YMD, end: YMD,
                 _parts: tuple[_Side | str, ...] | None = ()) -> None:
        _SET_TEXT(self, text)
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_PARTS(self, _parts)

    def __str__(self) -> str:
        return self.text

    def overlaps(self, other: Date) -> bool:
        """True if the bounds intersect (inclusive): the two could share a day."""
        return self.start <= other.end and other.start <= self.end

    def within(self, other: Date) -> bool:
        """True if every day self can mean lies inside other's bounds."""
        return other.start <= self.start and self.end <= other.end

    @property
    def sort_key(self) -> tuple[YMD, YMD]:
        """Chronological order: by start, then end (callers append an id)."""
        return (self.start, self.end)

    @property
    def start_iso(self) -> str:
        """First day as ISO text, or '' for an open or unknown start."""
        return "" if self.start == MIN_YMD else iso(self.start)

    @property
    def end_iso(self) -> str:
        """Last day as ISO text, or '' for an open or unknown end."""
        return "" if self.end == MAX_YMD else iso(self.end)

    def display(self) -> str:
        """Short human form, as a historian would write it ('May–Sep 1939')."""
        if self._parts is None:
            _SET_PARTS(self, parse(self.text)._parts)
        assert self._parts is not None
        if len(self._parts) != 2:
            only = self._parts[0] if self._parts else self.text
            return only if isinstance(only, str) else _show(only)
        lo, hi = self._parts
        if isinstance(lo, str):
            assert not isinstance(hi, str)
            return ("until " if lo == ".." else "?–") + _show(hi)
        if isinstance(hi, str):
            return "from " + _show(lo) if hi == ".." else _show(lo) + "–?"
        return _show_interval(lo, hi)

    def sides(self) -> tuple[Side, ...]:
        """The one or two sides, each with its bounds, Precision and qualifier."""
        return sides(self)

    @property
    def precision(self) -> str:
        """The Precision of a single date; of the start of an interval ('' if open)."""
        return sides(self)[0].precision

    @property
    def shape(self) -> str:
        """'point', 'window' or 'span' (see shape())."""
        return shape(self)


# Fast constructor for parse(): object.__setattr__ per field costs ~1.3 µs a Date;
# the slot descriptors directly ~0.4 µs.
_SET_TEXT = vars(Date)["text"].__set__
_SET_START = vars(Date)["start"].__set__
_SET_END = vars(Date)["end"].__set__
_SET_PARTS = vars(Date)["_parts"].__set__


def _new_date(text: str, start: YMD, end: YMD, parts: tuple[_Side | str, ...] | None) -> Date:
    d = object.__new__(Date)
    _SET_TEXT(d, text)
    _SET_START(d, start)
    _SET_END(d, end)
    _SET_PARTS(d, parts)
    return d


def restore(text: str, start: YMD, end: YMD) -> Date:
    """A Date from what a cache keeps (canonical text and bounds), without parsing.

    Loading a large cached ledger must not re-parse every date; the display
    form is worked out from the text only when it is first asked for.
    """
    return _new_date(text, start, end, None)


def relabel(date: Date, text: str) -> Date:
    """The same days, display and geometry under another text.

    Why: a date the ledger keeps in the Julian calendar ("1904-12-20") is sorted, drawn and
    shown by its Gregorian equivalent, while its text stays as the source prints it.
    """
    parts = date._parts if date._parts is not None else parse(date.text)._parts
    return _new_date(text, date.start, date.end, parts)


def _pieces(s: _Side, era: str) -> tuple[str, str]:
    """Split a side into (lead, year text) so intervals can share the year.

    era: "auto" writes BC after years <= 0; "none" writes no era (left side of
    an all-BC interval); "ad" writes AD before positive years (mixed eras).
    """
    y = s.year

    def yt(year: int) -> str:
        if year <= 0:
            return _year_label(year) if era == "none" else f"{1 - year} BC"
        return f"AD {year}" if era == "ad" else str(year)

    if s.xdigits:
        return "", f"{y}s" if era != "ad" else f"AD {y}s"
    if s.prec == _DAY:
        return f"{s.day} {_MONTH_ABBR[s.month]}", yt(y)
    if s.prec == _MONTH:
        return _MONTH_ABBR[s.month], yt(y)
    if s.prec == _SEASON:
        name = _SEASONS[s.month][0]
        if s.month != 24:
            return name, yt(y)
        n = y + 1
        if y <= 0 and n <= 0:
            return name, f"{_year_label(y)}–{yt(n)}"
        if y <= 0:
            return name, f"{1 - y} BC–AD {n}" if era != "none" else f"{1 - y}–{n}"
        short = f"{n % 100:02d}" if y >= 100 and y // 100 == n // 100 else str(n)
        return name, f"{yt(y)}–{short}"
    return "", yt(y)


def _join(lead: str, year: str, s: _Side) -> str:
    body = f"{lead} {year}" if lead and year else lead or year
    if s.time:
        body += ", " + s.time
    if s.qual in ("~", "%"):
        body = "c. " + body
    if s.qual in ("?", "%"):
        body += "?"
    return body


def _show(s: _Side, era: str = "auto") -> str:
    lead, year = _pieces(s, era)
    return _join(lead, year, s)


def _show_interval(lo: _Side, hi: _Side) -> str:
    plain = not (lo.qual or hi.qual or lo.time or hi.time or lo.xdigits or hi.xdigits)
    if plain and lo.prec == hi.prec and lo.year == hi.year and lo.prec != _YEAR:
        _, year = _pieces(hi, "auto")
        if lo.prec == _DAY:
            if lo.month == hi.month:
                return f"{lo.day}–{hi.day} {_MONTH_ABBR[hi.month]} {year}"
            return f"{lo.day} {_MONTH_ABBR[lo.month]}–{hi.day} {_MONTH_ABBR[hi.month]} {year}"
        if lo.prec == _MONTH:
            return f"{_MONTH_ABBR[lo.month]}–{_MONTH_ABBR[hi.month]} {year}"
        return f"{_SEASONS[lo.month][0]}–{_SEASONS[hi.month][0]} {_season_year(hi)}"
    hi_crosses = hi.prec == _SEASON and hi.month == 24 and hi.year == 0  # winter 1 BC–AD 1
    if lo.year <= 0 and hi.year <= 0 and not hi_crosses:
        return f"{_show(lo, 'none')}–{_show(hi)}"
    if lo.year <= 0 < hi.year:
        return f"{_show(lo)}–{_show(hi, 'ad')}"
    return f"{_show(lo)}–{_show(hi)}"


def _season_year(s: _Side) -> str:
    """Year of a season as written after a season range ('autumn–winter 1944')."""
    return f"{1 - s.year} BC" if s.year <= 0 else str(s.year)


def parse(text: str) -> Date:
    """Parse an EDTF level 0/1 date or interval; raise DateError saying what is wrong."""
    if not isinstance(text, str):
        raise DateError(f"invalid EDTF date {text!r}: not a string")
    t = text.strip()
    if not t:
        raise DateError("invalid EDTF date '': empty")
    _not_too_long(t)
    canon = t.replace("x", "X") if "x" in t else t  # EDTF writes unspecified digits as X
    if "/" not in t:
        s = _parse_side(t, t)
        start, end = _side_bounds(s)
        return _new_date(canon, start, end, (s,))
    a, _, b = t.partition("/")
    if "/" in b:
        raise _fail(t, "an interval has exactly one '/'")
    lo: _Side | str
    hi: _Side | str
    if a in ("", ".."):
        lo, start = a, MIN_YMD
    else:
        lo = _parse_side(a, t)
        start = _side_bounds(lo)[0]
    if b in ("", ".."):
        if isinstance(lo, str):
            raise _fail(t, "an interval needs at least one date")
        hi, end = b, MAX_YMD
    else:
        hi = _parse_side(b, t)
        end = _side_bounds(hi)[1]
    if start > end:
        raise _fail(t, "interval ends before it starts")
    return _new_date(canon, start, end, (lo, hi))


def from_ymd(y: int, m: int, d: int) -> Date:
    """Date for a TOML calendar date (same as the EDTF day it names)."""
    return parse(iso((y, m, d)))


def _year_edtf(y: int) -> str:
    """EDTF text for an astronomical year: 4 digits, or Y prefix beyond that."""
    if -9999 <= y <= 9999:
        return f"-{-y:04d}" if y < 0 else f"{y:04d}"
    return f"Y{y}"


def _convenient(side: str) -> str:
    """Rewrite one command-line date ('216 BC', 'AD 476', '12345') as EDTF."""
    m = re.fullmatch(_ERA_RE, side, re.IGNORECASE)
    if m is None:
        return side
    if m.group("plain"):
        return _year_edtf(int(m.group("plain")))
    n = int(m.group("n1") or m.group("n2"))
    era = (m.group("era1") or m.group("era2")).upper()
    if n == 0:
        raise DateError(f"invalid date '{side}': there is no year 0 {era.replace('.', '')}")
    return _year_edtf(1 - n if era.startswith("B") else n)


#: No date or period is longer than this; longer input (a 5,000-digit year) is refused
#: before any digit is converted (Python refuses int() of over 4,300 digits).
MAX_DATE_CHARS = 100


def _not_too_long(t: str) -> None:
    if len(t) > MAX_DATE_CHARS:
        raise DateError(f"invalid date '{t[:12]}…': too long ({len(t):,} characters; "
                        f"a date has at most {MAX_DATE_CHARS})")


def parse_period(text: str) -> Date:
    """Parse a command-line PERIOD: EDTF, plus '216 BC', 'AD 1939', '1939..1941', 5+ digit years."""
    if isinstance(text, str):
        _not_too_long(text.strip())
    try:
        return parse(text)
    except DateError as err:
        first = err
    t = text.strip() if isinstance(text, str) else ""
    if "/" in t:
        a, _, b = t.partition("/")
        sides = [a.strip(), b.strip()]
    elif ".." in t:
        a, _, b = t.partition("..")
        sides = [a.strip() or "..", b.strip() or ".."]
    else:
        sides = [t]
    candidate = "/".join(s if s in ("", "..") else _convenient(s) for s in sides)
    if candidate == t:
        raise first
    try:
        return parse(candidate)
    except DateError as err:
        raise DateError(f"invalid date '{t}': {str(err).partition(': ')[2]}") from None


def parse_bound(text: str, *, end: bool) -> YMD:
    """--from/--to value: first (end=False) or last (end=True) day of a DATE."""
    d = parse_period(text)
    return d.end if end else d.start


# --------------------------------------------------------------------------- geometry
# Day numbers, year labels and the precision of each side of a date: what the chart,
# the HTML page, TimelineJS and the counts all draw from, kept here with the parser
# that already knows each date's precision (no renderer re-parses date text).


def year_label(y: int) -> str:
    """A year as a reader writes it: 1939, 216 BC (astronomical -215)."""
    return f"{1 - y} BC" if y <= 0 else str(y)


class Precision(StrEnum):
    """How finely one side of a date is known (equal to its name as a str)."""

    TIME = "time"
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    MILLENNIUM = "millennium"


def _precision(s: _Side) -> Precision:
    if s.time:
        return Precision.TIME
    if s.prec == _DAY:
        return Precision.DAY
    if s.prec == _MONTH:
        return Precision.MONTH
    if s.prec == _SEASON:
        return Precision.SEASON
    return (Precision.YEAR, Precision.DECADE, Precision.CENTURY,
            Precision.MILLENNIUM)[min(s.xdigits, 3)]


class Side(Frozen):
    """One end of an EDTF expression: a date, an open end (..) or an unknown end ('')."""

    __slots__ = ("end", "kind", "precision", "qualifier", "start", "text")
    _fields = ("kind", "start", "end", "precision", "qualifier", "text")
    __match_args__ = ("kind", "start", "end", "precision", "qualifier", "text")

    kind: str             # "date", "open" or "unknown"
    start: YMD
    end: YMD
    precision: str        # a Precision; "" for an open or unknown end
    qualifier: str        # "", "~" approximate, "?" uncertain, "%" both
    text: str

    def __init__(self, kind: str, start: YMD = MIN_YMD, end: YMD = MAX_YMD,
                 precision: str = "", qualifier: str = "", text: str = "") -> None:
        _set = object.__setattr__
        _set(self, "kind", kind)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "precision", precision)
        _set(self, "qualifier", qualifier)
        _set(self, "text", text)

    @property
    def approximate(self) -> bool:
        return bool(self.qualifier)


def _parts_of(date: Date) -> tuple[_Side | str, ...]:
    parts = date._parts
    if not parts:  # restored from a cache (None) or built by hand (()): parse once
        parts = parse(date.text)._parts or ()
        if date._parts is None:
            _SET_PARTS(date, parts)
    return parts


def _end_side(part: _Side | str, text: str) -> Side:
    if part == "..":
        return Side("open", text=text)
    if isinstance(part, str):
        return Side("unknown", text=text)
    start, end = _side_bounds(part)
    return Side("date", start, end, _precision(part), part.qual, text)


def sides(date: Date) -> tuple[Side, ...]:
    """The one or two sides of a date, with the precision and qualifier the parser found."""
    parts = _parts_of(date)
    if len(parts) == 2:
        lo, _, hi = date.text.partition("/")
        return (_end_side(parts[0], lo), _end_side(parts[1], hi))
    only = parts[0]
    assert not isinstance(only, str)
    return (Side("date", date.start, date.end, _precision(only), only.qual, date.text),)


def shape(date: Date) -> str:
    """'point' (one day), 'window' (one date known only to a month, year...) or 'span'."""
    s = sides(date)
    if len(s) == 2:
        return "span"
    return "point" if s[0].precision in (Precision.DAY, Precision.TIME) else "window"


def extent(ds: Iterable[Date]) -> tuple[YMD, YMD] | None:
    """First and last real day of the dates (open ends ignored), or None."""
    bounds = [b for d in ds for b in (d.start, d.end) if b not in (MIN_YMD, MAX_YMD)]
    if not bounds:
        return None
    return min(bounds), max(bounds)


def frame(ds: Iterable[Date], start: YMD = MIN_YMD, end: YMD = MAX_YMD) -> tuple[YMD, YMD]:
    """The period a picture of these dates shows: the one asked for, with open sides
    closed by the dates' span.

    A period taken from the dates is widened to whole years (whole months when it is
    shorter than three years), so an axis starts and ends on a label.
    """
    ext = extent(ds) or ((1, 1, 1), (1, 12, 31))
    lo = ext[0] if start == MIN_YMD else start
    hi = ext[1] if end == MAX_YMD else end
    if lo > hi:
        lo, hi = hi, lo
    if start == MIN_YMD or end == MAX_YMD:
        years = hi[0] - lo[0]
        if start == MIN_YMD:
            lo = (lo[0], 1, 1) if years >= 3 else (lo[0], lo[1], 1)
        if end == MAX_YMD:
            hi = ((hi[0], 12, 31) if years >= 3
                  else (hi[0], hi[1], days_in_month(hi[0], hi[1])))
    return lo, hi

