"""The Hebrew calendar: 15 Nisan 5705 = 29 Mar 1945.

The fixed (arithmetical) calendar of Hillel II, as the convertdate package computes it.
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


def _jdn(y: int, m: int, d: int) -> int:
    from convertdate import hebrew

    return int(hebrew.to_jd(y, m, d) + 0.5)


def to_gregorian(y: int, m: int, d: int) -> YMD:
    from farchron.dates.calendars.julian import jdn_to_gregorian

    return jdn_to_gregorian(_jdn(y, m, d))


def from_gregorian(ymd: YMD) -> tuple[int, int, int]:
    from convertdate import hebrew

    from farchron.dates.calendars.julian import gregorian_to_jdn

    y, m, d = hebrew.from_jd(gregorian_to_jdn(ymd) - 0.5)
    return int(y), int(m), int(d)


def is_leap(y: int) -> bool:
    from convertdate import hebrew

    return bool(hebrew.leap(y))


def month_days(y: int, m: int) -> int:
    from convertdate import hebrew

    return int(hebrew.month_length(y, m))


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
