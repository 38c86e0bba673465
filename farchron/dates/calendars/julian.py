"""The Julian calendar (Old Style) and English Old Style year numbering.

Pure day-number arithmetic on (year, month, day) tuples like dates.YMD, so every year works:
BC (astronomical numbering, 0 = 1 BC), and beyond 9999, where `datetime` cannot go.
Written forms read here (the " OS" marker itself is read by dates.written): English dual
dates "10 Feb 1750/1" and Lady Day years "10 Feb 1750 (Lady Day)": until 1752 the English
year began on 25 March, so 10 Feb 1750 of that reckoning is 10 Feb 1751 (Julian).
"""

from __future__ import annotations

import re

from farchron.dates.calendars.base import Reading
from farchron.dates.edtf import (
    MAX_YEAR,
    MAX_YMD,
    MIN_YEAR,
    MIN_YMD,
    YMD,
    Date,
    DateError,
    day_number,
    days_in_month,
    from_day_number,
    iso,
    parse,
    relabel,
)
from farchron.dates.names import MONTH_ABBR as _ABBR
from farchron.dates.names import MONTHS

NAME = "julian"
BASIS = ("algorithm: the Julian calendar's 4-year leap cycle, proleptic; day numbers from "
         "the Julian Day Number (Meeus, Astronomical Algorithms, ch. 7)")

# --- day numbers ------------------------------------------------------------------------------
# Julian Day Numbers (JDN): dates.day_number for the Gregorian side, and the same March-based
# 4-year cycle arithmetic for the Julian side; floor division keeps both exact for any year.

_UNIX_JDN = 2440588  # JDN of 1970-01-01


def _doy(m: int, d: int) -> int:
    """Day of a March-based year (1 Mar = 0): February (and its leap day) comes last."""
    return (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1


def _md_from_doy(doy: int) -> tuple[int, int]:
    mp = (5 * doy + 2) // 153
    return (mp + 3 if mp < 10 else mp - 9), doy - (153 * mp + 2) // 5 + 1


def gregorian_to_jdn(ymd: YMD) -> int:
    """Julian Day Number of a proleptic Gregorian date (any year)."""
    return day_number(ymd) + _UNIX_JDN


def jdn_to_gregorian(jdn: int) -> YMD:
    """Proleptic Gregorian date of a Julian Day Number."""
    return from_day_number(jdn - _UNIX_JDN)


# JDN of Julian 0000-03-01 (astronomical year 0), the start of the 4-year cycles below.
_JULIAN_EPOCH = 1721118


def julian_to_jdn(ymd: YMD) -> int:
    """Julian Day Number of a proleptic Julian date (any year, astronomical numbering)."""
    y, m, d = ymd
    y -= m <= 2
    cycle = y // 4
    return _JULIAN_EPOCH + cycle * 1461 + (y - cycle * 4) * 365 + _doy(m, d)


def jdn_to_julian(jdn: int) -> YMD:
    """Proleptic Julian date of a Julian Day Number."""
    z = jdn - _JULIAN_EPOCH
    cycle = z // 1461
    doc = z - cycle * 1461
    yoc = min(doc // 365, 3)  # the leap day (day 1460) ends the cycle's last year
    m, d = _md_from_doy(doc - yoc * 365)
    return (cycle * 4 + yoc + (m <= 2), m, d)


def is_julian_leap(year: int) -> bool:
    """Julian leap year: every fourth year (astronomical numbering: 0, -4 are leap)."""
    return year % 4 == 0


def julian_days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Julian calendar (29 Feb 1900 exists)."""
    if month == 2:
        return 29 if is_julian_leap(year) else 28
    return days_in_month(1, month)


def julian_to_gregorian(ymd: YMD) -> YMD:
    """Gregorian date of a Julian (Old Style) date: 1904-12-20 → 1905-01-02."""
    return jdn_to_gregorian(julian_to_jdn(ymd))


def gregorian_to_julian(ymd: YMD) -> YMD:
    """Julian (Old Style) date of a Gregorian date: 1905-01-02 → 1904-12-20."""
    return jdn_to_julian(gregorian_to_jdn(ymd))


def add_days(ymd: YMD, n: int) -> YMD:
    """Gregorian date n days after (n < 0: before) ymd."""
    return jdn_to_gregorian(gregorian_to_jdn(ymd) + n)


def julian_month_bounds(year: int, month: int) -> tuple[YMD, YMD]:
    """Gregorian first and last day of a Julian month (Oct 1917 OS → 1917-10-14..11-13)."""
    return (julian_to_gregorian((year, month, 1)),
            julian_to_gregorian((year, month, julian_days_in_month(year, month))))


# --- Julian EDTF --------------------------------------------------------------------------------

_JSIDE = re.compile(r"(?P<y>-?[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%])?")
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}


def _julian_side(part: str, text: str) -> tuple[YMD, YMD, str]:
    """Julian bounds (first, last day, both Julian) and qualifier of one EDTF side."""
    m = _JSIDE.fullmatch(part)
    if m is None:
        raise DateError(f"invalid Julian date '{text}': expected YYYY, YYYY-MM or YYYY-MM-DD "
                        "(a season 21-24; no unspecified digits)")
    y, q = int(m["y"]), m["q"] or ""
    if m["m"] is None:
        return (y, 1, 1), (y, 12, 31), q
    mo = int(m["m"])
    if mo in _SEASON_MONTHS:
        if m["d"] is not None:
            raise DateError(f"invalid Julian date '{text}': a season cannot have a day")
        first, last = _SEASON_MONTHS[mo]
        ly = y + 1 if mo == 24 else y
        return (y, first, 1), (ly, last, julian_days_in_month(ly, last)), q
    if not 1 <= mo <= 12:
        raise DateError(f"invalid Julian date '{text}': month {m['m']} is not 01-12 "
                        "(or a season 21-24)")
    if m["d"] is None:
        return (y, mo, 1), (y, mo, julian_days_in_month(y, mo)), q
    day, dim = int(m["d"]), julian_days_in_month(y, mo)
    if not 1 <= day <= dim:
        raise DateError(f"invalid Julian date '{text}': month {mo:02d} of {m['y']} has {dim} "
                        "days in the Julian calendar")
    return (y, mo, day), (y, mo, day), q


def julian_edtf_bounds(text: str) -> tuple[YMD, YMD]:
    """Proleptic Gregorian bounds of an EDTF date or interval written in the Julian calendar.

    '1904-12-20' → (1905-01-02, 1905-01-02); '1917-10' → (1917-10-14, 1917-11-13): a Julian
    month spans its converted days. Open ends ('..', '') keep dates.MIN_YMD / MAX_YMD.
    """
    t = text.strip()
    a, slash, b = t.partition("/")
    if not slash:
        lo, hi, _ = _julian_side(t, t)
        return julian_to_gregorian(lo), julian_to_gregorian(hi)
    start = MIN_YMD if a in ("", "..") else julian_to_gregorian(_julian_side(a, t)[0])
    end = MAX_YMD if b in ("", "..") else julian_to_gregorian(_julian_side(b, t)[1])
    if start == MIN_YMD and end == MAX_YMD:
        raise DateError(f"invalid Julian date '{t}': an interval needs at least one date")
    if start > end:
        raise DateError(f"invalid Julian date '{t}': interval ends before it starts")
    return start, end


def julian_edtf_to_gregorian(text: str) -> str:
    """The Gregorian EDTF of a Julian EDTF: '1904-12-20' → '1905-01-02'.

    A day stays a day; anything longer becomes the interval of its converted days
    ('1917-10' → '1917-10-14/1917-11-13'); a qualifier stays on both ends.
    """
    t = text.strip()
    sides = t.split("/") if "/" in t else [t]
    out: list[str] = []
    for i, part in enumerate(sides):
        if part in ("", ".."):
            out.append(part)
            continue
        lo, hi, q = _julian_side(part, t)
        g_lo, g_hi = julian_to_gregorian(lo), julian_to_gregorian(hi)
        if len(sides) == 1:
            if lo == hi:
                return iso(g_lo) + q
            return f"{iso(g_lo)}{q}/{iso(g_hi)}{q}"
        out.append(iso(g_hi if i else g_lo) + q)
    julian_edtf_bounds(t)  # order and emptiness checks
    return "/".join(out)


def julian_date(text: str) -> Date:
    """A ledger date kept in the Julian calendar: `text` as printed, with the Gregorian bounds,
    display and geometry of its equivalent (so it sorts, charts and overlaps by them)."""
    t = text.strip()
    try:
        return relabel(parse(julian_edtf_to_gregorian(t)), t)
    except DateError as err:
        raise DateError(f"invalid Julian date '{t}': {str(err).partition(': ')[2]}") from None


# --- Julian display -----------------------------------------------------------------------------

def _day_text(ymd: YMD) -> str:
    y, m, d = ymd
    return f"{d} {_ABBR[m]} {y if y > 0 else f'{1 - y} BC'}"


def julian_label(start: YMD, end: YMD | None = None) -> str:
    """The Julian (Old Style) equivalent of Gregorian bounds: '20 Dec 1904 OS'.

    A span gives its first and last Julian day ('19 Jul–18 Aug 1939 OS'); '' for open bounds.
    """
    end = start if end is None else end
    if start[0] <= MIN_YEAR or end[0] >= MAX_YEAR:
        return ""
    a, b = gregorian_to_julian(start), gregorian_to_julian(end)
    if a == b:
        return _day_text(a) + " OS"
    if a[0] == b[0] and a[0] > 0:
        lead = f"{a[2]}" if a[1] == b[1] else f"{a[2]} {_ABBR[a[1]]}"
        return f"{lead}–{_day_text(b)} OS"
    return f"{_day_text(a)}–{_day_text(b)} OS"


# --- displays for dates kept in the Julian calendar --------------------------------------------

def _display(text: str) -> str:
    """dates' English display of an EDTF text; Julian-only days (29 Feb 1900) included."""
    try:
        return parse(text).display()
    except DateError:
        # a Julian leap day the Gregorian calendar lacks: show it from its neighbour
        fixed = text.replace("-02-29", "-02-28")
        if fixed == text:
            return text
        try:
            return parse(fixed).display().replace("28 Feb", "29 Feb")
        except DateError:
            return text


def julian_display(text: str, calendar: str = "both") -> str:
    """A Julian-calendar EDTF shown as 'both' ('20 Dec 1904 OS (2 Jan 1905)'), 'julian'
    ('20 Dec 1904 OS') or 'gregorian' ('2 Jan 1905')."""
    try:
        greg = _display(julian_edtf_to_gregorian(text))
    except DateError:
        greg = ""
    if calendar == "gregorian" and greg:
        return greg
    old = _display(text) + " OS"
    if calendar == "julian" or not greg:
        return old
    return f"{old} ({greg})"


def display_in(text: str, start: YMD, end: YMD, calendar: str = "both",
               source_calendar: str = "gregorian") -> str:
    """The display of a ledger date in the calendar asked for (`--calendar`).

    source_calendar is the calendar `text` is written in. A Gregorian date shown as
    'julian' gives its Julian days ('19 Jul–18 Aug 1939 OS'); 'both' leaves it as it is.
    """
    if source_calendar == "julian":
        return julian_display(text, calendar)
    if calendar == "julian":
        return julian_label(start, end) or _display(text)
    return _display(text)




# --- English Old Style year numbering ------------------------------------------------------------

_DUAL = re.compile(r"(?:([0-9]{1,2})\s+)?([a-z]+)\.?\s+([0-9]{3,4})\s*/\s*([0-9]{1,4})")
_LADY_DAY = re.compile(r"\s*[(\[]?\s*(?:lady[ -]day(?:\s+year)?|l\.\s?d\.)\s*[)\]]?$",
                       re.IGNORECASE)
_DMY = re.compile(r"(?:([0-9]{1,2})\s+)?([a-z]+)\.?\s+([0-9]{3,4})")


def _julian_day_edtf(y: int, mo: int, d: int | None, text: str) -> str:
    if d is None:
        return f"{y:04d}-{mo:02d}"
    dim = julian_days_in_month(y, mo)
    if not 1 <= d <= dim:
        raise DateError(f"invalid date '{text}': {_ABBR[mo]} {y} has {dim} days in the Julian "
                        "calendar")
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _reading(edtf: str, text: str, why: str) -> Reading:
    greg = julian_edtf_to_gregorian(edtf)
    return Reading(edtf, NAME, greg, False,
                   f"{why}; Old Style (Julian) {edtf} = {greg} Gregorian", NAME)


def read(t: str, text: str) -> Reading | None:
    """English dual dates ('10 Feb 1750/1', 'Feb 1750/51') and Lady Day years
    ('10 Feb 1750 (Lady Day)'), as Julian dates in the modern year numbering."""
    low = t.lower()
    m = _DUAL.fullmatch(low)
    if m and m[2] in MONTHS:
        y, second, mo = int(m[3]), m[4], MONTHS[m[2]]
        nxt = y + 1
        if int(second) != nxt % 10 ** len(second):
            raise DateError(f"invalid date '{text}': a dual year is the year and the next "
                            f"({y}/{str(nxt)[-len(second):]}), not {y}/{second}")
        day = int(m[1]) if m[1] else None
        if (mo, day or 1) > (3, 24):
            raise DateError(f"invalid date '{text}': dual years were written only from 1 Jan "
                            "to 24 Mar, before the Lady Day new year")
        edtf = _julian_day_edtf(nxt, mo, day, text)
        return _reading(edtf, text, f"English dual date: {y}/{str(nxt)[-len(second):]} is "
                        f"{nxt} in the modern numbering (the old year began on 25 March)")
    lady = _LADY_DAY.search(t)
    if lady and lady.start() > 0:
        m = _DMY.fullmatch(low[:lady.start()].strip())
        if m is None or m[2] not in MONTHS:
            raise DateError(f"invalid date '{text}': a Lady Day year needs a month and year "
                            "('10 Feb 1750 (Lady Day)')")
        y, mo = int(m[3]), MONTHS[m[2]]
        day = int(m[1]) if m[1] else None
        if (mo, day or 1) <= (3, 24):
            y += 1  # 1 Jan..24 Mar belong to the year that began the 25 March before
        edtf = _julian_day_edtf(y, mo, day, text)
        return _reading(edtf, text, "Lady Day year (the year began on 25 March): "
                        f"{y} in the modern numbering")
    return None


def labels(start: YMD, end: YMD) -> dict[str, str]:
    """The Julian days of Gregorian bounds: {'julian': '20 Dec 1904 OS'}."""
    return {"julian": julian_label(start, end)}
