"""Japanese era years (nengō), from Taika (645) to Reiwa.

Meiji 6 (1873) onward the Japanese calendar is Gregorian, so era years map to exact days
(Taishō 15 is 1926-01-01..1926-12-24, Shōwa 1 is 1926-12-25..1926-12-31). Before that the
calendar was lunisolar: a year began in late January or February, so only the year is
converted, marked approximate, and the note says why. No lunisolar table of the Japanese
calendar (which differed from the Chinese one in some years) is used, so Japanese lunisolar
months and days are not converted. The eras before Tenpō (1830), the Northern and Southern
Courts' included, come from the japanera package (its table of era start days).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from farchron.dates.calendars.base import EraReading, Reading, gregorian, year_edtf
from farchron.dates.edtf import YMD, DateError, days_in_month, iso
from farchron.dates.names import CJK_NUMBER, MONTH_NAME, MONTHS, SEASON_WORDS, kanji_number

NAME = "japanese"
BASIS = ("table: era start days (Meiji 6 = 1873 on: exact Gregorian days; before: the "
         "lunisolar year, approximate; eras before 1830 from the japanera package)")

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
    """The era for a name as people type it: 'Shōwa', 'showa', 'Shouwa', '昭和', 'S',
    and the eras before 1830: 'Taika', 'Tenpyō-shōhō', 'Genroku', '元禄'."""
    key = _fold(name)
    if not key:
        return None
    for e in ERAS:
        if key in (_fold(e.name), e.kanji, e.letter.lower()):
            return e
    if key in _ERA_ALIASES:
        return _ERA_ALIASES[key]
    if key in _month_words():  # "May 1939" is read as an era date first: no era is so named
        return None
    return _premodern_names().get(key)


@cache
def _month_words() -> frozenset[str]:
    """Month and season words, folded: no era before 1830 bears one (a test checks it), and
    looking one up built the table of those eras (~200 ms with japanera and lunar_python)
    for every "May 1939" that `date` or `audit` read (issue 28)."""
    return frozenset(_fold(w) for w in (*MONTHS, *SEASON_WORDS))


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s.strip().lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['’\s-]", "", s)
    if not s.isascii():
        return s
    s = s.replace("ou", "o").replace("uu", "u").replace("sy", "sh").replace("zy", "j")
    s = s.replace("nn", "n")  # Genna = Gen'a, Kannsei = Kansei
    return re.sub(r"m(?=[bpm])", "n", s)


@cache
def premodern_eras() -> tuple[Era, ...]:
    """The eras before Tenpō, oldest first (both courts of 1331–1392), from japanera's table.

    Era year 1 is the lunisolar year in which the era began, so `first_year` is the Gregorian
    year in which that lunisolar year began (an era proclaimed in January may belong to the
    year before)."""
    from datetime import date

    from japanera.japanera import ERA_DATA_DAIKAKUJI, ERA_DATA_GENERAL, ERA_DATA_JIMYOUIN

    out = []
    for e in (*ERA_DATA_GENERAL, *ERA_DATA_DAIKAKUJI, *ERA_DATA_JIMYOUIN):
        if e._kanji is None or e.until is None or e.since.year >= 1830:
            continue
        first = _lunar_year(e.since.year, e.since.month, e.since.day)
        ld = date.fromordinal(e.until.toordinal() - 1)  # japanera's `until` is the next start
        last = _lunar_year(ld.year, ld.month, ld.day) - first + 1
        name = _romanise(e._english or "")
        out.append(Era(name, e._kanji, "", first, (e.since.year, e.since.month, e.since.day),
                       (ld.year, ld.month, ld.day), last))
    out.sort(key=lambda e: e.start)
    return tuple(out)


def _romanise(s: str) -> str:
    """japanera's spelling in Hepburn with macrons: 'TempyouSyouhou' → 'Tempyō-Shōhō',
    'Kannsei' → 'Kansei', 'Tennou' → "Ten'ō"."""
    s = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", s)
    s = s.replace("Sy", "Sh").replace("sy", "sh").replace("Zy", "J").replace("zy", "j")
    s = re.sub(r"nn(?=[aeiouy])", "n'", s).replace("nn", "n")
    return s.replace("ou", "ō").replace("uu", "ū").replace("oo", "ō")


def premodern_era_at(ymd: YMD) -> tuple[Era, int] | None:
    """Era and (approximate, lunisolar) era year of a Gregorian day before Tenpō (1830);
    the later of two overlapping eras (1331–1392: the Northern Court's) when both courts
    counted."""
    if ymd >= ERAS[0].start or ymd < (645, 7, 20):
        return None
    found = None
    for e in premodern_eras():
        if e.start <= ymd and (e.end is None or ymd <= e.end):
            found = e
    if found is None:
        return None
    return found, _lunar_year(*ymd) - found.first_year + 1


def _lunar_year(y: int, m: int, d: int) -> int:
    """The Chinese lunisolar year in which a day falls (a close stand-in for the Japanese one).
    A lunisolar new year falls between 21 January and 20 February: only a day in that window
    needs the table (which costs ~10 ms a day)."""
    if (m, d) < (1, 21):
        return y - 1
    if (m, d) > (2, 20):
        return y
    from lunar_python import Solar

    return int(Solar.fromYmd(y, m, d).getLunar().getYear())


@cache
def _premodern_names() -> dict[str, Era]:
    out: dict[str, Era] = {}
    for e in premodern_eras():
        out.setdefault(_fold(e.name), e)
        out.setdefault(e.kanji, e)
    return out


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
        y = era.first_year + n - 1
        after = japanese_label((y, 12, 31)) if era in ERAS else ""
        raise ValueError(f"{era.name} ended in its year {era.last} ({era.first_year + era.last - 1}"
                         f")" + (f"; {y} is {after}" if after else ""))
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
    """(era name, era year, exact) of a Gregorian day, None before Taika (645) and in the
    years between eras (654–686, 686–701)."""
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
    approximate). '' when the span starts before Taika (645) or outside an era, or is open.
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
                            f"{MONTH_NAME[mo]} {y} is not in it")
        edtf = f"{_year_edtf(y)}-{mo:02d}" if (lo, hi) == (ms, me) else f"{iso(lo)}/{iso(hi)}"
        return _exact(edtf, note=f"{label} = {y}")
    if not 1 <= d <= dim:
        raise DateError(f"invalid date '{text}': {MONTH_NAME[mo]} {y} has {dim} days")
    ymd = (y, mo, d)
    if not start <= ymd <= end:
        raise DateError(f"invalid date '{text}': {label} is {span}; {iso(ymd)} is "
                        f"{japanese_label(ymd)}")
    return _exact(iso(ymd), note=f"{label} = {y}")



_KNUM = CJK_NUMBER
_JA_KANJI = re.compile(
    rf"([\u3400-\u9fff]{{2,4}}?)\s*({_KNUM})\s*年(?:\s*({_KNUM})\s*月(?:\s*({_KNUM})\s*日)?)?")
_JA_LATIN = re.compile(r"([a-zāēīōū'’]+(?:[- ][a-zāēīōū'’]+)?)\.?\s*([0-9]+|gannen|元)"
                       r"(?:\s*年(?:\s*([0-9]+)\s*月(?:\s*([0-9]+)\s*日)?)?)?", re.IGNORECASE)
_KANJI_VARIANTS = {"慶應": "慶応"}


def _exact(edtf: str, note: str) -> EraReading:
    return edtf, False, note


def _year_edtf(y: int) -> str:
    return year_edtf(y)


def read_era(t: str, text: str) -> EraReading | None:
    """(Gregorian EDTF, approximate, note) of a Japanese era date in t ('昭和14年8月23日',
    'Shōwa 14', 'Taishō 11年10月25日'), None when t is not one."""
    def num(g: str | None) -> int | None:
        return None if g is None else kanji_number(g)

    m = _JA_KANJI.fullmatch(t)
    if m:
        era = era_by_name(_KANJI_VARIANTS.get(m[1], m[1]))
        if era is None:
            return None
        return _era_date(text, era, kanji_number(m[2]), num(m[3]), num(m[4]))
    m = _JA_LATIN.fullmatch(t)
    if m:
        era = era_by_name(m[1])
        if era is None:
            return None
        n = 1 if m[2].lower() in ("gannen", "元") else int(m[2])
        return _era_date(text, era, n, num(m[3]), num(m[4]))
    return None


def read(t: str, text: str) -> Reading | None:
    found = read_era(t, text)
    if found is None:
        return None
    edtf, approximate, note = found
    return gregorian(text, edtf, note, approximate=approximate, basis=NAME)


def labels(start: YMD, end: YMD) -> dict[str, str]:
    if start < ERAS[0].start:
        a, b = premodern_era_at(start), premodern_era_at(min(end, (1830, 12, 31)))
        if a is None or b is None:
            return {"japanese": "", "japanese_kanji": ""}
        (ea, na), (eb, nb) = a, b
        if (ea, na) == (eb, nb):
            return {"japanese": f"c. {ea.name} {na}",
                    "japanese_kanji": f"約{ea.kanji}{_kanji_year(na)}"}
        return {"japanese": f"c. {ea.name} {na}–{eb.name} {nb}",
                "japanese_kanji": f"約{ea.kanji}{_kanji_year(na)}–{eb.kanji}{_kanji_year(nb)}"}
    return {"japanese": japanese_label(start, end),
            "japanese_kanji": japanese_label(start, end, kanji=True)}
