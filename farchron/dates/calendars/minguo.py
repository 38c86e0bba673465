"""Minguo (Republic of China) years: 民國28年 = Minguo 28 = 1939.

The Republic used the Gregorian calendar from its founding (1912-01-01), so Minguo year n is
the Gregorian year 1911 + n, months and days unchanged.
"""

from __future__ import annotations

import re

from farchron.dates.calendars.base import EraReading, Reading, check_edtf, gregorian, year_edtf
from farchron.dates.edtf import YMD, DateError
from farchron.dates.names import CJK_NUMBER, kanji_number

NAME = "minguo"
BASIS = "algorithm: Minguo n = Gregorian year 1911 + n (Gregorian since 1912-01-01)"

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


def _minguo_date(text: str, n: int, mo: int | None, d: int | None) -> EraReading:
    if n < 1:
        raise DateError(f"invalid date '{text}': Minguo years start at 1 (民國元年 = 1912)")
    y = minguo_to_gregorian_year(n)
    edtf = year_edtf(y)
    if mo is not None:
        edtf += f"-{mo:02d}" + (f"-{d:02d}" if d is not None else "")
    check_edtf(edtf, text)
    return edtf, False, f"Minguo {n} = {y}"



_KNUM = CJK_NUMBER
_MINGUO = re.compile(rf"(?:中華)?民[國国]\s*({_KNUM})\s*年(?:\s*({_KNUM})\s*月"
                     rf"(?:\s*({_KNUM})\s*日)?)?")
_MINGUO_LATIN = re.compile(r"(?:minguo|min-?kuo|roc|republic(?: of china)?)\s*(?:year\s*)?"
                           r"([0-9]+)", re.IGNORECASE)


def read_era(t: str, text: str) -> EraReading | None:
    def num(g: str | None) -> int | None:
        return None if g is None else kanji_number(g)

    m = _MINGUO.fullmatch(t)
    if m:
        return _minguo_date(text, kanji_number(m[1]), num(m[2]), num(m[3]))
    m = _MINGUO_LATIN.fullmatch(t)
    if m:
        return _minguo_date(text, int(m[1]), None, None)
    return None


def read(t: str, text: str) -> Reading | None:
    found = read_era(t, text)
    return None if found is None else gregorian(text, found[0], found[2], basis=NAME)


def labels(start: YMD, end: YMD) -> dict[str, str]:
    return {"minguo": minguo_label(start, end),
            "minguo_hanzi": minguo_label(start, end, hanzi=True)}
