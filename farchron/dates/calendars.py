"""Other calendars: Julian (Old Style), Japanese era years and Chinese Republic (Minguo) years.

Pure day-number arithmetic on (year, month, day) tuples like dates.YMD, so every year works:
BC (astronomical numbering, 0 = 1 BC), and beyond 9999, where `datetime` cannot go.
Nothing here imports click or rich; the module is loaded only when a command needs it.

Japanese eras: Meiji 6 (1873) onward the Japanese calendar is Gregorian, so era years map to
exact days (Taishō 15 is 1926-01-01..1926-12-24, Shōwa 1 is 1926-12-25..1926-12-31). Before
that (Meiji 1–5 and the late-Edo eras) the calendar was lunisolar: a year began in late January
or February, so only the year is converted, marked approximate, and the note says why.
"""

from __future__ import annotations

import re
from typing import NamedTuple

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

#: What parse_era_text reads: (Gregorian EDTF, approximate, note)
EraReading = tuple[str, bool, str]

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


# --- Japanese eras ------------------------------------------------------------------------------

class Era(NamedTuple):
    """One Japanese era. Years before `exact_from` (a Gregorian year) are lunisolar."""

    name: str            # with macrons: "Shōwa"
    kanji: str           # "昭和"
    letter: str          # "S" for the modern eras, "" before Meiji
    first_year: int      # Gregorian year of era year 1 (lunisolar eras: the year it mostly is)
    start: YMD           # first Gregorian day (exact eras) — for lunisolar eras Jan 1 of first_year
    end: YMD | None      # last Gregorian day, None for the current era
    last: int            # last era year, 0 for the current era


# Ordered oldest first. Lunisolar eras: era year N ≈ Gregorian first_year + N - 1.
ERAS: tuple[Era, ...] = (
    Era("Tenpō", "天保", "", 1830, (1830, 1, 1), (1844, 12, 31), 15),
    Era("Kōka", "弘化", "", 1844, (1844, 1, 1), (1848, 12, 31), 5),
    Era("Kaei", "嘉永", "", 1848, (1848, 1, 1), (1854, 12, 31), 7),
    Era("Ansei", "安政", "", 1854, (1854, 1, 1), (1860, 12, 31), 7),
    Era("Man'en", "万延", "", 1860, (1860, 1, 1), (1861, 12, 31), 2),
    Era("Bunkyū", "文久", "", 1861, (1861, 1, 1), (1864, 12, 31), 4),
    Era("Genji", "元治", "", 1864, (1864, 1, 1), (1865, 12, 31), 2),
    Era("Keiō", "慶応", "", 1865, (1865, 1, 1), (1868, 12, 31), 4),
    Era("Meiji", "明治", "M", 1868, (1868, 1, 1), (1912, 7, 29), 45),
    Era("Taishō", "大正", "T", 1912, (1912, 7, 30), (1926, 12, 24), 15),
    Era("Shōwa", "昭和", "S", 1926, (1926, 12, 25), (1989, 1, 7), 64),
    Era("Heisei", "平成", "H", 1989, (1989, 1, 8), (2019, 4, 30), 31),
    Era("Reiwa", "令和", "R", 2019, (2019, 5, 1), None, 0),
)
#: First Gregorian year in which Japanese dates are Gregorian (Meiji 6).
JAPAN_GREGORIAN_FROM = 1873

LUNISOLAR_NOTE = ("{era} {n} is a lunisolar year (Japan used the Gregorian calendar from "
                  "Meiji 6, 1873): it began in late January or February, so only the year is "
                  "converted, approximately ({year})")


def era_by_name(name: str) -> Era | None:
    """The era for a name as people type it: 'Shōwa', 'showa', 'Shouwa', '昭和', 'S'."""
    key = _fold(name)
    for e in ERAS:
        if key in (_fold(e.name), e.kanji, e.letter.lower()) and key:
            return e
    return _ERA_ALIASES.get(key)


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s.strip().lower())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return s.replace("ou", "o").replace("uu", "u") if s.isascii() else s


_ERA_ALIASES = {"tempo": ERAS[0], "manen": ERAS[4], "bunkyu": ERAS[5], "keio": ERAS[7],
                "syowa": ERAS[10], "taisyo": ERAS[9]}


def era_year_is_exact(era: Era, n: int) -> bool:
    """True when era year n maps to exact Gregorian days (Meiji 6 = 1873 onward)."""
    return era.first_year + n - 1 >= JAPAN_GREGORIAN_FROM


def era_year_bounds(era: Era, n: int) -> tuple[YMD, YMD]:
    """Gregorian first and last day of era year n; raises ValueError if the era has no year n.

    For lunisolar years these are the bounds of the Gregorian year it mostly falls in
    (see era_year_is_exact).
    """
    if n < 1:
        raise ValueError(f"{era.name} years start at 1 (元年, gannen)")
    if era.last and n > era.last:
        nxt = ERAS[ERAS.index(era) + 1]
        y = era.first_year + n - 1
        raise ValueError(f"{era.name} ended in its year {era.last} ({era.first_year + era.last - 1}"
                         f"); {y} is {japanese_label((y, 12, 31)) or nxt.name}")
    y = era.first_year + n - 1
    start = max(era.start, (y, 1, 1))
    end = (y, 12, 31) if era.end is None else min(era.end, (y, 12, 31))
    return start, end


def _era_at(ymd: YMD) -> tuple[Era, int] | None:
    """Era and era year of a Gregorian day (the later era when lunisolar years overlap)."""
    if ymd < ERAS[0].start:
        return None
    for e in reversed(ERAS):
        if ymd >= e.start:
            return e, ymd[0] - e.first_year + 1
    return None


def japanese_era(ymd: YMD) -> tuple[str, int, bool] | None:
    """(era name, era year, exact) of a Gregorian day, None before Tenpō (1830)."""
    found = _era_at(ymd)
    if found is None:
        return None
    e, n = found
    return e.name, n, era_year_is_exact(e, n)


def _kanji_year(n: int) -> str:
    return "元年" if n == 1 else f"{n}年"


def japanese_label(start: YMD, end: YMD | None = None, *, kanji: bool = False) -> str:
    """Era label of a Gregorian day or span: 'Shōwa 14', 'Shōwa 14–16', 'Taishō 15–Shōwa 1'.

    kanji=True gives '昭和14年' ('令和元年' for year 1). Lunisolar years get 'c. ' (they are
    approximate). '' when the span starts before the eras known here (1830) or is open.
    """
    end = start if end is None else end
    a, b = _era_at(start), _era_at(end)
    if a is None or b is None or end[0] > 999999 - 1:
        return ""
    (ea, na), (eb, nb) = a, b
    approx = not era_year_is_exact(ea, na)
    if kanji:
        left = f"{ea.kanji}{_kanji_year(na)}"
        if (ea, na) == (eb, nb):
            text = left
        elif ea == eb:
            text = f"{left}–{_kanji_year(nb)}"
        else:
            text = f"{left}–{eb.kanji}{_kanji_year(nb)}"
        return ("約" + text) if approx else text
    if (ea, na) == (eb, nb):
        text = f"{ea.name} {na}"
    elif ea == eb:
        text = f"{ea.name} {na}–{nb}"
    else:
        text = f"{ea.name} {na}–{eb.name} {nb}"
    return ("c. " + text) if approx else text


# --- Minguo (Republic of China) years ---------------------------------------------------------

MINGUO_EPOCH = 1911  # Minguo 1 = 1912 (Gregorian since the Republic's founding, 1912-01-01)


def minguo_to_gregorian_year(n: int) -> int:
    """Gregorian year of Minguo year n (民國28年 = 1939)."""
    if n < 1:
        raise ValueError("Minguo years start at 1 (民國元年 = 1912)")
    return MINGUO_EPOCH + n


def minguo_label(start: YMD, end: YMD | None = None, *, hanzi: bool = False) -> str:
    """'Minguo 28' / '民國28年' for a Gregorian day or span; '' before 1912."""
    end = start if end is None else end
    a, b = start[0] - MINGUO_EPOCH, end[0] - MINGUO_EPOCH
    if a < 1 or b > 999999 - MINGUO_EPOCH - 1:
        return ""
    if hanzi:
        ya = "元年" if a == 1 else f"{a}年"
        return f"民國{ya}" if a == b else f"民國{ya}–{b}年"
    return f"Minguo {a}" if a == b else f"Minguo {a}–{b}"


# --- Julian display -----------------------------------------------------------------------------

_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


# --- reading Japanese and Chinese era dates ---------------------------------------------------

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_KNUM = r"元|[0-9]+|[〇零一二三四五六七八九十百]+"
_JA_KANJI = re.compile(
    r"(明治|大正|昭和|平成|令和|天保|弘化|嘉永|安政|万延|文久|元治|慶応|慶應)\s*"
    rf"({_KNUM})\s*年(?:\s*({_KNUM})\s*月(?:\s*({_KNUM})\s*日)?)?")
_JA_LATIN = re.compile(r"([a-zāēīōū'’]+)\.?\s*([0-9]+|gannen)(?:\s*年)?", re.IGNORECASE)
_MINGUO = re.compile(rf"(?:中華)?民[國国]\s*({_KNUM})\s*年(?:\s*({_KNUM})\s*月"
                     rf"(?:\s*({_KNUM})\s*日)?)?")
_CJK_YEAR = re.compile(rf"([0-9]{{3,4}}|[〇零一二三四五六七八九]{{3,4}})\s*年(?:\s*({_KNUM})\s*月"
                       rf"(?:\s*({_KNUM})\s*日)?)?")
_MINGUO_LATIN = re.compile(r"(?:minguo|min-?kuo|roc|republic(?: of china)?)\s*(?:year\s*)?"
                           r"([0-9]+)", re.IGNORECASE)


def kanji_number(s: str) -> int:
    """'十四' → 14, '六十四' → 64, '一九三九' → 1939, '元' → 1 (the first year of an era)."""
    if s == "元":
        return 1
    if s.isascii() and s.isdigit():
        return int(s)
    if "十" not in s and "百" not in s:
        n = 0
        for ch in s:
            n = n * 10 + _KANJI_DIGITS[ch]
        return n
    total = cur = 0
    for ch in s:
        if ch == "十":
            total, cur = total + (cur or 1) * 10, 0
        elif ch == "百":
            total, cur = total + (cur or 1) * 100, 0
        else:
            cur = _KANJI_DIGITS[ch]
    return total + cur


def _era_date(text: str, era: Era, n: int, mo: int | None, d: int | None
              ) -> EraReading:
    label = f"{era.name} {n}"
    if not era_year_is_exact(era, n):
        if n < 1 or (era.last and n > era.last):
            raise DateError(f"invalid date '{text}': {era.name} has years 1 to {era.last}")
        y = era.first_year + n - 1
        note = LUNISOLAR_NOTE.format(era=era.name, n=n, year=y)
        if mo is not None:
            note += "; its lunisolar month and day are not converted"
        return f"{y}~", True, note
    try:
        start, end = era_year_bounds(era, n)
    except ValueError as err:
        raise DateError(f"invalid date '{text}': {err}") from None
    y = start[0]
    span = f"{iso(start)}..{iso(end)}"
    if mo is None:
        edtf = _year_edtf(y) if (start, end) == ((y, 1, 1), (y, 12, 31)) \
            else f"{iso(start)}/{iso(end)}"
        return _exact(edtf, note=f"{label} = {edtf}")
    if not 1 <= mo <= 12:
        raise DateError(f"invalid date '{text}': month {mo} is not 1-12")
    dim = days_in_month(y, mo)
    if d is None:
        ms, me = (y, mo, 1), (y, mo, dim)
        lo, hi = max(ms, start), min(me, end)
        if lo > hi:
            raise DateError(f"invalid date '{text}': {label} is {span}; "
                            f"{_MONTH_NAMES[mo]} {y} is not in it")
        edtf = f"{_year_edtf(y)}-{mo:02d}" if (lo, hi) == (ms, me) else f"{iso(lo)}/{iso(hi)}"
        return _exact(edtf, note=f"{label} = {y}")
    if not 1 <= d <= dim:
        raise DateError(f"invalid date '{text}': {_MONTH_NAMES[mo]} {y} has {dim} days")
    ymd = (y, mo, d)
    if not start <= ymd <= end:
        raise DateError(f"invalid date '{text}': {label} is {span}; {iso(ymd)} is "
                        f"{japanese_label(ymd)}")
    return _exact(iso(ymd), note=f"{label} = {y}")


_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")


def _minguo_date(text: str, n: int, mo: int | None, d: int | None) -> EraReading:
    if n < 1:
        raise DateError(f"invalid date '{text}': Minguo years start at 1 (民國元年 = 1912)")
    y = minguo_to_gregorian_year(n)
    edtf = _year_edtf(y)
    if mo is not None:
        edtf += f"-{mo:02d}" + (f"-{d:02d}" if d is not None else "")
    try:
        _parse_edtf(edtf)
    except DateError as err:
        raise DateError(f"invalid date '{text}': {str(err).partition(': ')[2]}") from None
    return _exact(edtf, note=f"Minguo {n} = {y}")


def _western_date(text: str, y: int, mo: int | None, d: int | None) -> EraReading:
    edtf = _year_edtf(y) + (f"-{mo:02d}" if mo is not None else "") + (
        f"-{d:02d}" if d is not None else "")
    try:
        _parse_edtf(edtf)
    except DateError as err:
        raise DateError(f"invalid date '{text}': {str(err).partition(': ')[2]}") from None
    return _exact(edtf, note="")


def parse_era_text(t: str, text: str) -> EraReading | None:
    """(Gregorian EDTF, approximate, note) of a Japanese era or Minguo date in t (NFKC
    normalised), None when t is neither; DateError quoting `text` for an impossible one
    ('Taishō 16', '昭和元年12月1日')."""
    def num(g: str | None) -> int | None:
        return None if g is None else kanji_number(g)

    m = _JA_KANJI.fullmatch(t)
    if m:
        era = era_by_name("慶応" if m[1] == "慶應" else m[1])
        assert era is not None
        return _era_date(text, era, kanji_number(m[2]), num(m[3]), num(m[4]))
    m = _MINGUO.fullmatch(t)
    if m:
        return _minguo_date(text, kanji_number(m[1]), num(m[2]), num(m[3]))
    m = _MINGUO_LATIN.fullmatch(t)
    if m:
        return _minguo_date(text, int(m[1]), None, None)
    m = _CJK_YEAR.fullmatch(t)
    if m:  # 1939年8月23日: a Western year in Japanese or Chinese
        return _western_date(text, kanji_number(m[1]), num(m[2]), num(m[3]))
    m = _JA_LATIN.fullmatch(t)
    if m:
        era = era_by_name(m[1])
        if era is not None:
            n = 1 if m[2].lower() in ("gannen", "元") else int(m[2])
            return _era_date(text, era, n, None, None)
    return None


def _exact(edtf: str, note: str) -> EraReading:
    return edtf, False, note


def _year_edtf(y: int) -> str:
    return f"-{-y:04d}" if y < 0 else f"{y:04d}"


def _parse_edtf(text: str) -> None:
    parse(text)
