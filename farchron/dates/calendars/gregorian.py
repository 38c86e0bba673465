"""The Gregorian calendar written in CJK form: 1939年8月23日, 一九三九年 (a Western year).

The proleptic Gregorian calendar is farchron's own (every bound is Gregorian); this module
only reads its CJK written form.
"""

from __future__ import annotations

import re

from farchron.dates.calendars.base import EraReading, Reading, check_edtf, gregorian, year_edtf
from farchron.dates.edtf import YMD
from farchron.dates.names import CJK_NUMBER, kanji_number

NAME = "gregorian"
BASIS = "algorithm: the proleptic Gregorian calendar (ISO 8601), farchron's own"

_KNUM = CJK_NUMBER
_CJK_YEAR = re.compile(rf"([0-9]{{3,4}}|[〇零一二三四五六七八九]{{3,4}})\s*年(?:\s*({_KNUM})\s*月"
                       rf"(?:\s*({_KNUM})\s*日)?)?")


def read_era(t: str, text: str) -> EraReading | None:
    m = _CJK_YEAR.fullmatch(t)
    if m is None:
        return None
    y, mo, d = kanji_number(m[1]), m[2], m[3]
    edtf = year_edtf(y) + (f"-{kanji_number(mo):02d}" if mo is not None else "") + (
        f"-{kanji_number(d):02d}" if d is not None else "")
    check_edtf(edtf, text)
    return edtf, False, ""


def read(t: str, text: str) -> Reading | None:
    found = read_era(t, text)
    return None if found is None else gregorian(text, found[0], found[2])


def labels(start: YMD, end: YMD) -> dict[str, str]:
    return {}
