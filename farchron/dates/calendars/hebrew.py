"""The Hebrew calendar: 15 Nisan 5705 = 29 Mar 1945.

The fixed (arithmetical) calendar of Hillel II, as the convertdate package computes it (its
arithmetic, here: importing the package costs ~10 ms; the tests hold the two together).
A Hebrew day begins at sunset: 15 Nisan 5705 began on the evening of 28 March 1945; the
Gregorian day given is the one most of the Hebrew day falls in, as calendars print it.
"""

from __future__ import annotations

import re
import unicodedata

from farchron.dates.calendars.base import Reading, gregorian, span_edtf
from farchron.dates.edtf import YMD, DateError, iso

NAME = "hebrew"
BASIS = ("algorithm: the fixed Hebrew calendar (molad and postponement rules), as the "
         "convertdate package computes it; the day begins at the sunset before")

#: convertdate's month numbers: Nisan 1 ... Adar 12 (Adar I in a leap year), Adar II 13
MONTHS = ("", "Nisan", "Iyar", "Sivan", "Tammuz", "Av", "Elul", "Tishrei", "Cheshvan",
          "Kislev", "Tevet", "Shevat", "Adar", "Adar II")
_WORDS = {"nisan": 1, "nissan": 1, "iyar": 2, "iyyar": 2, "sivan": 3, "tammuz": 4, "tamuz": 4,
          "av": 5, "menachemav": 5, "ab": 5, "elul": 6, "tishrei": 7, "tishri": 7, "cheshvan": 8,
          "heshvan": 8, "marcheshvan": 8, "marheshvan": 8, "kislev": 9, "tevet": 10,
          "teveth": 10, "tebeth": 10, "shevat": 11, "shvat": 11, "shebat": 11, "adar": 12,
          "adari": 12, "adar1": 12, "adarrishon": 12, "adarii": 13, "adar2": 13,
          "adarsheni": 13, "adarbet": 13, "veadar": 13}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", s)


# convertdate.hebrew's arithmetic in whole days (the package's import loads every calendar
# it has, ~10 ms of `farchron date`; tests check the two agree day by day).

def _delay_1(y: int) -> int:
    """Days from the epoch to the molad of Tishrei of year y, moved off Sun, Wed, Fri."""
    months = (235 * y - 234) // 19
    day = months * 29 + (12084 + 13753 * months) // 25920
    return day + 1 if (3 * (day + 1)) % 7 < 3 else day


def _delay_2(y: int) -> int:
    """The postponements for the lengths of the years around y (0, 1 or 2 days)."""
    last, present, next_ = _delay_1(y - 1), _delay_1(y), _delay_1(y + 1)
    return 2 if next_ - present == 356 else 1 if present - last == 382 else 0


def _jdn(y: int, m: int, d: int) -> int:
    jdn = 347997 + _delay_1(y) + _delay_2(y) + d
    if m < 7:
        jdn += sum(month_days(y, k) for k in range(7, (13 if is_leap(y) else 12) + 1))
        jdn += sum(month_days(y, k) for k in range(1, m))
    else:
        jdn += sum(month_days(y, k) for k in range(7, m))
    return jdn


def to_gregorian(y: int, m: int, d: int) -> YMD:
    from farchron.dates.calendars.julian import jdn_to_gregorian

    return jdn_to_gregorian(_jdn(y, m, d))


def from_gregorian(ymd: YMD) -> tuple[int, int, int]:
    from farchron.dates.calendars.julian import gregorian_to_jdn

    jdn = gregorian_to_jdn(ymd)
    y = (jdn - 347996) * 98496 // 35975351 - 1
    while jdn >= _jdn(y + 1, 7, 1):
        y += 1
    m = 7 if jdn < _jdn(y, 1, 1) else 1
    while jdn > _jdn(y, m, month_days(y, m)):
        m += 1
    return y, m, jdn - _jdn(y, m, 1) + 1


def is_leap(y: int) -> bool:
    return (7 * y + 1) % 19 < 7


def month_days(y: int, m: int) -> int:
    if m in (2, 4, 6, 10, 13) or (m == 12 and not is_leap(y)):
        return 29
    if m in (8, 9):
        year_days = _jdn(y + 1, 7, 1) - _jdn(y, 7, 1)
        if (m == 8 and year_days % 10 != 5) or (m == 9 and year_days % 10 == 3):
            return 29
    return 30


def month_name(y: int, m: int) -> str:
    return "Adar I" if m == 12 and is_leap(y) else MONTHS[m]


_DATE = re.compile(r"(?:([0-9]{1,2})\s+)?([a-z' ]+?)\s+([0-9]{4})(?:\s*a\.?\s?m\.?)?",
                   re.IGNORECASE)
_YEAR = re.compile(r"(?:([0-9]{4})\s*a\.?\s?m\.?|a\.?\s?m\.?\s*([0-9]{4}))", re.IGNORECASE)


def read(t: str, text: str) -> Reading | None:
    """'15 Nisan 5705', 'Tishrei 5700', '5705 AM'; None when t is not a Hebrew date."""
    from farchron.dates.calendars.julian import add_days

    m = _YEAR.fullmatch(t)
    if m:
        y = int(m[1] or m[2])
        lo, hi = to_gregorian(y, 7, 1), add_days(to_gregorian(y + 1, 7, 1), -1)
        return gregorian(text, span_edtf(lo, hi), f"{y} AM = 1 Tishrei {y} ({iso(lo)}) to "
                         f"{iso(hi)}", basis=NAME)
    m = _DATE.fullmatch(t)
    if m is None:
        return None
    mo = _WORDS.get(_fold(m[2]))
    if mo is None:
        return None
    y, day = int(m[3]), (int(m[1]) if m[1] else None)
    note = ""
    if mo == 13 and not is_leap(y):
        raise DateError(f"invalid date '{text}': {y} is not a leap year: it has one Adar")
    if mo == 12 and is_leap(y) and _fold(m[2]) == "adar":
        note = f"; {y} is a leap year: 'Adar' read as Adar I (write 'Adar II' for the other)"
    name = month_name(y, mo)
    dim = month_days(y, mo)
    if day is None:
        lo, hi = to_gregorian(y, mo, 1), to_gregorian(y, mo, dim)
        return gregorian(text, span_edtf(lo, hi), f"{name} {y} = {iso(lo)} to {iso(hi)}{note}",
                         basis=NAME)
    if not 1 <= day <= dim:
        raise DateError(f"invalid date '{text}': {name} {y} has {dim} days")
    g = to_gregorian(y, mo, day)
    return gregorian(text, iso(g), f"{day} {name} {y} = {iso(g)} (from sunset the evening "
                     f"before){note}", basis=NAME)


def label(ymd: YMD) -> str:
    y, m, d = from_gregorian(ymd)
    return f"{d} {month_name(y, m)} {y}"


def labels(start: YMD, end: YMD) -> dict[str, str]:
    if start < (-3760, 9, 7) or end[0] > 9999:
        return {"hebrew": ""}
    a, b = label(start), label(end)
    return {"hebrew": a if a == b else f"{a}–{b}"}
