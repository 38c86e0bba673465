"""The Islamic (Hijri) calendar: tabular (arithmetical) and Umm al-Qura.

A Hijri date in a source rests on one of several bases: the tabular calendar (a 30-year
cycle), the Umm al-Qura table of Saudi Arabia (1343–1500 AH, 1924–2077), or the sighting of
the new moon, which can fall a day or two either side of both. A date marked "(tabular)" or
"(Umm al-Qura)" is converted exactly; an unmarked one, whose basis is unknown, becomes the
interval that covers both bases widened by one day (two outside the Umm al-Qura years).
"""

from __future__ import annotations

import re
import unicodedata

from farchron.dates.calendars.base import Reading, gregorian, span_edtf
from farchron.dates.edtf import YMD, DateError, iso

NAME = "islamic"
TABULAR, UMM_AL_QURA = "tabular", "Umm al-Qura"
BASIS = ("algorithm: tabular Islamic calendar (30-year cycle, leap years 2, 5, 7, 10, 13, 16, "
         "18, 21, 24, 26, 29; epoch 16 July 622 Julian), as the convertdate package computes it; "
         "table: Umm al-Qura 1343–1500 AH (1924–2077), from the hijridate package; basis "
         "unknown: both, ±1 day (±2 outside the Umm al-Qura years)")

MONTHS = ("", "Muharram", "Safar", "Rabi' al-Awwal", "Rabi' al-Thani", "Jumada al-Ula",
          "Jumada al-Akhira", "Rajab", "Sha'ban", "Ramadan", "Shawwal", "Dhu al-Qa'da",
          "Dhu al-Hijja")
_ALIASES = {
    "muharram": 1, "safar": 2, "rabialawwal": 3, "rabiulawwal": 3, "rabii": 3, "rabi1": 3,
    "rabialthani": 4, "rabialakhir": 4, "rabiuthani": 4, "rabiusani": 4, "rabiii": 4,
    "rabi2": 4, "jumadaalula": 5, "jumadaalawwal": 5, "jumadai": 5, "jumada1": 5,
    "jumadaluula": 5, "jumadaalakhira": 6, "jumadaalthani": 6, "jumadaii": 6, "jumada2": 6,
    "jumadalakhirah": 6, "jumadaalakhirah": 6, "rajab": 7, "shaban": 8, "ramadan": 9,
    "ramazan": 9, "ramadhan": 9, "shawwal": 10, "dhualqada": 11, "dhulqada": 11,
    "dhualqadah": 11, "dhulqadah": 11, "zulqada": 11, "dhualqida": 11, "dhulqidah": 11,
    "dhualqidah": 11, "dhulqida": 11, "dhualhijja": 12, "dhulhijja": 12, "dhualhijjah": 12,
    "dhulhijjah": 12, "zulhijja": 12, "zilhijja": 12,
}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", s)


def month_number(word: str) -> int | None:
    """'Ramadan', 'Ramaḍān', "Dhu al-Qi'dah", 'Rabi I' → 1..12; None for no Hijri month."""
    return _ALIASES.get(_fold(word))


# --- conversions --------------------------------------------------------------------------------

def _jdn_to_ymd(jdn: int) -> YMD:
    from farchron.dates.calendars.julian import jdn_to_gregorian

    return jdn_to_gregorian(jdn)


#: The Julian Day Number before 1 Muharram 1 AH (16 July 622 Julian), as convertdate counts.
_EPOCH = 1948439


def _tabular_jdn(y: int, m: int, d: int) -> int:
    """convertdate.islamic.to_jd in whole days (its arithmetic: the package's import loads
    every calendar it has, ~10 ms of `farchron date`; tests check the two agree)."""
    return d + (59 * (m - 1) + 1) // 2 + (y - 1) * 354 + (3 + 11 * y) // 30 + _EPOCH


def tabular_to_gregorian(y: int, m: int, d: int) -> YMD:
    return _jdn_to_ymd(_tabular_jdn(y, m, d))


def tabular_month_days(y: int, m: int) -> int:
    return 30 if m % 2 == 1 or (m == 12 and (11 * y + 14) % 30 < 11) else 29


def gregorian_to_tabular(ymd: YMD) -> tuple[int, int, int]:
    from farchron.dates.calendars.julian import gregorian_to_jdn

    jdn = gregorian_to_jdn(ymd)
    y = (30 * (jdn - _EPOCH - 1) + 10646) // 10631
    m = min(12, -((2 * (29 + _tabular_jdn(y, 1, 1) - jdn)) // 59) + 1)
    return y, m, jdn - _tabular_jdn(y, m, 1) + 1


def uq_to_gregorian(y: int, m: int, d: int) -> YMD | None:
    """The Umm al-Qura day, None outside its table (or an impossible day)."""
    from hijridate import Hijri

    try:
        return _jdn_to_ymd(int(Hijri(y, m, d).to_julian()))
    except (ValueError, OverflowError):
        return None


def uq_month_days(y: int, m: int) -> int | None:
    from hijridate import Hijri

    try:
        return int(Hijri(y, m, 1).month_length())
    except (ValueError, OverflowError):
        return None


def gregorian_to_uq(ymd: YMD) -> tuple[int, int, int] | None:
    from hijridate import Gregorian

    try:
        h = Gregorian(*ymd).to_hijri()
    except (ValueError, OverflowError):
        return None
    return int(h.year), int(h.month), int(h.day)


def _bounds(basis: str, y: int, mo: int | None, d: int | None, text: str
            ) -> tuple[YMD, YMD] | None:
    """Gregorian first and last day of a Hijri year, month or day on one basis."""
    from farchron.dates.calendars.julian import add_days

    first_m, last_m = (mo, mo) if mo is not None else (1, 12)
    if basis == TABULAR:
        to, dim = tabular_to_gregorian, tabular_month_days
    else:
        to, dim = uq_to_gregorian, uq_month_days  # type: ignore[assignment]
    last_len = dim(y, last_m)
    if last_len is None:
        return None
    if d is not None:
        if not 1 <= d <= last_len:
            raise DateError(f"invalid date '{text}': {MONTHS[last_m]} {y} AH has {last_len} "
                            f"days ({basis})")
        day = to(y, last_m, d)
        return None if day is None else (day, day)
    lo = to(y, first_m, 1)
    hi = to(y, last_m, 1)
    if lo is None or hi is None:
        return None
    return lo, add_days(hi, last_len - 1)


# --- reading ------------------------------------------------------------------------------------

_AH = r"(?:a\.?\s?h\.?|h\.|hijri|ah)"
_BASIS_MARK = re.compile(r"\s*[(\[]?\s*(tabular|arithmetic(?:al)?|umm\s*al[- ]?qura|uaq|uq)"
                         r"\s*[)\]]?\s*$", re.IGNORECASE)
_DATE = re.compile(rf"(?:([0-9]{{1,2}})\s+)?([a-zāīūḍḥṣṭẓʿʾ'’ .-]+?)\s+([0-9]{{1,4}})(?:\s*{_AH})?",
                   re.IGNORECASE)
_YEAR = re.compile(rf"(?:([0-9]{{1,4}})\s*{_AH}|{_AH}\s*([0-9]{{1,4}}))", re.IGNORECASE)


def read(t: str, text: str) -> Reading | None:
    """'15 Ramadan 1363 AH', 'Ramadan 1363', '1363 AH', '1 Muharram 1445 AH (Umm al-Qura)',
    '... (tabular)'; None when t is no Hijri date."""
    basis = ""
    mark = _BASIS_MARK.search(t)
    body = t
    if mark and mark.start() > 0:
        basis = TABULAR if mark[1].lower().startswith(("tab", "arith")) else UMM_AL_QURA
        body = t[:mark.start()].strip()
    mo = day = None
    m = _YEAR.fullmatch(body)
    if m:
        y = int(m[1] or m[2])
    else:
        m = _DATE.fullmatch(body)
        if m is None:
            return None
        mo = month_number(m[2])
        if mo is None:
            return None
        y, day = int(m[3]), (int(m[1]) if m[1] else None)
    if y < 1:
        raise DateError(f"invalid date '{text}': Hijri years start at 1 AH (622)")
    shown = " ".join(p for p in (str(day) if day else "", MONTHS[mo] if mo else "", f"{y} AH")
                     if p)
    if basis:
        found = _bounds(basis, y, mo, day, text)
        if found is None:
            raise DateError(f"invalid date '{text}': the Umm al-Qura table covers 1343–1500 AH "
                            "(1924–2077); write '(tabular)' or leave the basis out")
        return gregorian(text, span_edtf(*found), f"{shown} ({basis}) = "
                         f"{_span_text(*found)}", basis=NAME)
    from farchron.dates.calendars.julian import add_days

    tab = _bounds(TABULAR, y, mo, day, text)
    assert tab is not None
    uq = _bounds(UMM_AL_QURA, y, mo, day, text)
    widen = 1 if uq is not None else 2
    lo = min(tab[0], uq[0]) if uq else tab[0]
    hi = max(tab[1], uq[1]) if uq else tab[1]
    lo, hi = add_days(lo, -widen), add_days(hi, widen)
    both = f"tabular {_span_text(*tab)}" + (f", Umm al-Qura {_span_text(*uq)}" if uq else "")
    return gregorian(text, span_edtf(lo, hi),
                     f"{shown}, basis not stated: {both}; ±{widen} day{'s' * (widen > 1)} "
                     "for the sighting of the moon (write '(tabular)' or '(Umm al-Qura)' for "
                     "one day)", approximate=True, basis=NAME)


def _span_text(lo: YMD, hi: YMD) -> str:
    return iso(lo) if lo == hi else f"{iso(lo)}..{iso(hi)}"


# --- display ------------------------------------------------------------------------------------

def _day_text(h: tuple[int, int, int]) -> str:
    return f"{h[2]} {MONTHS[h[1]]} {h[0]} AH"


def _label(conv: object, start: YMD, end: YMD) -> str:
    a = conv(start)  # type: ignore[operator]
    b = conv(end)  # type: ignore[operator]
    if a is None or b is None or a[0] < 1:
        return ""
    if a == b:
        return _day_text(a)
    return f"{_day_text(a)}–{_day_text(b)}"


def labels(start: YMD, end: YMD) -> dict[str, str]:
    if start < (622, 7, 19) or end[0] > 9999:
        return {"islamic": "", "islamic_umm_al_qura": ""}
    return {"islamic": _label(gregorian_to_tabular, start, end),
            "islamic_umm_al_qura": _label(gregorian_to_uq, start, end)}
