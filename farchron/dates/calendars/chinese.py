"""Chinese reign years: the Qing (Shunzhi 1644 to Xuantong 1911) on the lunisolar calendar,
and Manchukuo (Datong 1932, Kangde 1934–1945) on the Gregorian one.

A Qing reign year is a lunisolar year: 光緒二十一年 runs from its new year (1895-01-26) to the
day before the next (1896-02-13), so a year alone is that interval of days, never a guessed
Western year. Months and days, leap months (閏/闰) included, come from the lunisolar table of
the lunar-python package. Manchukuo counted its reign years on the Gregorian calendar from its
founding on 1 March 1932 (大同元年3月1日); Kangde 1 began on 1 March 1934.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from farchron.dates.calendars.base import Reading, check_edtf, gregorian, span_edtf, year_edtf
from farchron.dates.edtf import YMD, DateError, days_in_month, iso
from farchron.dates.names import CJK_MONTH_WORDS, CJK_NUMBER, cjk_numeral, kanji_number

NAME = "chinese"
BASIS = ("table: the lunisolar calendar of the lunar-python package (new moons and solar "
         "terms, leap months included) for Qing reign years from 1644; Manchukuo reign years "
         "on the Gregorian calendar (Datong from 1932-03-01, Kangde from 1934-03-01)")


class Reign(NamedTuple):
    """One reign period (nianhao)."""

    name: str                 # pinyin: "Guangxu"
    hanzi: str                # traditional: "光緒"
    simplified: str           # "光绪"
    first_year: int           # Western year in which reign year 1 began
    last: int                 # last reign year
    lunisolar: bool           # Qing: lunisolar years; Manchukuo: Gregorian years
    start: YMD | None = None  # Gregorian reigns: first and last day
    end: YMD | None = None
    wade: str = ""            # Wade–Giles, as older Western books print it


#: Qing reigns from the standard tables (first year = the lunisolar year after the accession,
#: as the Qing counted them), then Manchukuo.
REIGNS: tuple[Reign, ...] = (
    Reign("Shunzhi", "順治", "顺治", 1644, 18, True, wade="Shun-chih"),
    Reign("Kangxi", "康熙", "康熙", 1662, 61, True, wade="K'ang-hsi"),
    Reign("Yongzheng", "雍正", "雍正", 1723, 13, True, wade="Yung-cheng"),
    Reign("Qianlong", "乾隆", "乾隆", 1736, 60, True, wade="Ch'ien-lung"),
    Reign("Jiaqing", "嘉慶", "嘉庆", 1796, 25, True, wade="Chia-ch'ing"),
    Reign("Daoguang", "道光", "道光", 1821, 30, True, wade="Tao-kuang"),
    Reign("Xianfeng", "咸豐", "咸丰", 1851, 11, True, wade="Hsien-feng"),
    Reign("Tongzhi", "同治", "同治", 1862, 13, True, wade="T'ung-chih"),
    Reign("Guangxu", "光緒", "光绪", 1875, 34, True, wade="Kuang-hsü"),
    Reign("Xuantong", "宣統", "宣统", 1909, 3, True, wade="Hsüan-t'ung"),
    Reign("Datong", "大同", "大同", 1932, 3, False, (1932, 3, 1), (1934, 2, 28), "Ta-t'ung"),
    Reign("Kangde", "康德", "康德", 1934, 12, False, (1934, 3, 1), (1945, 8, 18), "K'ang-te"),
)
#: reign names that are also Japanese eras: the note says how to ask for the other one
_ALSO_JAPANESE = {"嘉慶": "Kakyō (1387–1389)", "大同": "Daidō (806–810)"}


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s.strip().lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"['’ʻ`\s-]", "", s)


@cache
def _names() -> dict[str, Reign]:
    out: dict[str, Reign] = {}
    for r in REIGNS:
        for key in (r.name, r.hanzi, r.simplified, r.wade):
            out[_fold(key)] = r
    out[_fold("Kang-te")] = out[_fold("Kangde")]
    return out


def reign_by_name(name: str) -> Reign | None:
    """The reign for 'Guangxu', 'Kuang-hsü', '光緒' or '光绪'."""
    return _names().get(_fold(name))


# --- the lunisolar table ------------------------------------------------------------------------

def _solar(lunar_year: int, month: int, day: int) -> YMD:
    from lunar_python import Lunar

    s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return int(s.getYear()), int(s.getMonth()), int(s.getDay())


def _month_days(lunar_year: int, month: int) -> int | None:
    """Days of lunisolar month `month` (negative: the leap month after it); None if absent."""
    from lunar_python import LunarMonth

    m = LunarMonth.fromYm(lunar_year, month)
    return None if m is None else int(m.getDayCount())


def leap_month(lunar_year: int) -> int:
    """The month a year's leap month follows (0: none): 1900 → 8 (閏八月)."""
    from lunar_python import LunarYear

    return int(LunarYear.fromYear(lunar_year).getLeapMonth())


def new_year(lunar_year: int) -> YMD:
    """Gregorian day of the lunisolar new year (Chinese New Year): 1895 → 1895-01-26."""
    return _solar(lunar_year, 1, 1)


def lunar_year_bounds(lunar_year: int) -> tuple[YMD, YMD]:
    """Gregorian first and last day of a lunisolar year."""
    from farchron.dates.calendars.julian import add_days

    return new_year(lunar_year), add_days(new_year(lunar_year + 1), -1)


def lunar_month_bounds(lunar_year: int, month: int) -> tuple[YMD, YMD]:
    from farchron.dates.calendars.julian import add_days

    days = _month_days(lunar_year, month)
    if days is None:
        raise ValueError(f"no month {month} in lunisolar year {lunar_year}")
    first = _solar(lunar_year, month, 1)
    return first, add_days(first, days - 1)


def to_lunar(ymd: YMD) -> tuple[int, int, int]:
    """(lunisolar year, month (negative: leap), day) of a Gregorian day."""
    from lunar_python import Solar

    lu = Solar.fromYmd(*ymd).getLunar()
    return int(lu.getYear()), int(lu.getMonth()), int(lu.getDay())


# --- reading ------------------------------------------------------------------------------------

_KNUM = CJK_NUMBER
_MONTH = rf"(閏|闰)?\s*({_KNUM}|[正冬臘腊])\s*月"
_HANZI = re.compile(rf"(?:大清|清|滿洲國|满洲国|大滿洲帝國|大满洲帝国)?\s*([\u3400-\u9fff]{{2}})\s*"
                    rf"({_KNUM})\s*年(?:\s*{_MONTH}(?:\s*({_KNUM})\s*日?)?)?")
_LATIN = re.compile(r"([a-zü'’ʻ-]+)\.?\s*([0-9]+)(?:\s*年(?:\s*(閏|闰)?\s*([0-9]+)\s*月"
                    r"(?:\s*([0-9]+)\s*日)?)?)?", re.IGNORECASE)


def _month_number(g: str) -> int:
    return CJK_MONTH_WORDS[g] if g in CJK_MONTH_WORDS else kanji_number(g)


def _hanzi_label(r: Reign, n: int) -> str:
    return f"{r.hanzi}{'元' if n == 1 else cjk_numeral(n)}年"


def read(t: str, text: str) -> Reading | None:
    """'光緒二十一年三月二十三日', '光绪21年', '光緒二十六年閏八月', 'Guangxu 21', 'Kangde 6',
    '康德6年8月15日'; None when t names no reign."""
    m = _HANZI.fullmatch(t)
    if m:
        reign = reign_by_name(m[1])
        if reign is None:
            return None
        mo = None if m[4] is None else _month_number(m[4])
        day = None if m[5] is None else kanji_number(m[5])
        return _reign_date(text, reign, kanji_number(m[2]), mo, bool(m[3]), day)
    m = _LATIN.fullmatch(t)
    if m:
        reign = reign_by_name(m[1])
        if reign is None:
            return None
        mo = None if m[4] is None else int(m[4])
        day = None if m[5] is None else int(m[5])
        return _reign_date(text, reign, int(m[2]), mo, bool(m[3]), day)
    return None


def _reign_date(text: str, r: Reign, n: int, mo: int | None, leap: bool,
                day: int | None) -> Reading:
    if not 1 <= n <= r.last:
        raise DateError(f"invalid date '{text}': {r.name} ({r.hanzi}) has years 1 to {r.last} "
                        f"({r.first_year}–{r.first_year + r.last - 1})")
    y = r.first_year + n - 1
    label = f"{r.name} {n}"
    also = _ALSO_JAPANESE.get(r.hanzi)
    tail = f"; {r.hanzi} is also the Japanese era {also}: write its romanised name for it" \
        if also else ""
    if not r.lunisolar:
        return _gregorian_reign(text, r, n, y, mo, leap, day, label, tail)
    if mo is None:
        lo, hi = lunar_year_bounds(y)
        return gregorian(text, span_edtf(lo, hi), f"{label} = lunisolar year {y}: "
                         f"{iso(lo)} to {iso(hi)}{tail}", basis=NAME)
    if not 1 <= mo <= 12:
        raise DateError(f"invalid date '{text}': month {mo} is not 1-12")
    month = -mo if leap else mo
    days = _month_days(y, month)
    if days is None:
        lm = leap_month(y)
        has = f"its leap month follows month {lm}" if lm else "it has no leap month"
        raise DateError(f"invalid date '{text}': {label} ({y}) has no leap month {mo}; {has}")
    shown = f"{'leap ' if leap else ''}month {mo}"
    if day is None:
        lo, hi = lunar_month_bounds(y, month)
        return gregorian(text, span_edtf(lo, hi), f"{label}, {shown} = {iso(lo)} to "
                         f"{iso(hi)}{tail}", basis=NAME)
    if not 1 <= day <= days:
        raise DateError(f"invalid date '{text}': {label}, {shown} has {days} days")
    ymd = _solar(y, month, day)
    return gregorian(text, iso(ymd), f"{label}, {shown}, day {day} = {iso(ymd)}{tail}",
                     basis=NAME)


def _gregorian_reign(text: str, r: Reign, n: int, y: int, mo: int | None, leap: bool,
                     day: int | None, label: str, tail: str) -> Reading:
    assert r.start is not None and r.end is not None
    if leap:
        raise DateError(f"invalid date '{text}': {r.name} years are Gregorian: no leap month")
    lo, hi = max(r.start, (y, 1, 1)), min(r.end, (y, 12, 31))
    if mo is not None:
        if not 1 <= mo <= 12:
            raise DateError(f"invalid date '{text}': month {mo} is not 1-12")
        dim = days_in_month(y, mo)
        if day is not None:
            check_edtf(f"{year_edtf(y)}-{mo:02d}-{day:02d}", text)
            lo2 = hi2 = (y, mo, day)
        else:
            lo2, hi2 = (y, mo, 1), (y, mo, dim)
        if lo2 < lo or hi2 > hi:
            raise DateError(f"invalid date '{text}': {label} is {iso(lo)} to {iso(hi)}")
        lo, hi = lo2, hi2
        edtf = (f"{year_edtf(y)}-{mo:02d}" if day is None else iso(lo))
    else:
        edtf = year_edtf(y) if (lo, hi) == ((y, 1, 1), (y, 12, 31)) else span_edtf(lo, hi)
    return gregorian(text, edtf, f"{label} = {y} (Manchukuo, Gregorian){tail}", basis=NAME)


# --- display ------------------------------------------------------------------------------------

def _reign_at(ymd: YMD) -> tuple[Reign, int, tuple[int, int, int] | None] | None:
    """Reign, reign year and (for Qing days) the lunisolar date of a Gregorian day."""
    for r in REIGNS[-2:]:
        assert r.start is not None and r.end is not None
        if r.start <= ymd <= r.end:
            return r, ymd[0] - r.first_year + 1, None
    if not (1644, 1, 1) <= ymd <= (1912, 12, 31):
        return None
    lu = to_lunar(ymd)
    for r in REIGNS:
        if r.lunisolar and r.first_year <= lu[0] < r.first_year + r.last:
            return r, lu[0] - r.first_year + 1, lu
    return None


def chinese_label(start: YMD, end: YMD | None = None, *, hanzi: bool = False) -> str:
    """'Guangxu 21, month 3, day 23' / '光緒二十一年三月二十三日' for one day; 'Guangxu 20–21'
    for a span; '' outside the reigns known here."""
    end = start if end is None else end
    a, b = _reign_at(start), _reign_at(end)
    if a is None or b is None:
        return ""
    (ra, na, lu), (rb, nb, _) = a, b
    if start == end and lu is not None:
        mo, day = abs(lu[1]), lu[2]
        if hanzi:
            leap = "閏" if lu[1] < 0 else ""
            dn = f"初{cjk_numeral(day)}" if day <= 10 else cjk_numeral(day)
            mn = "正" if mo == 1 else cjk_numeral(mo)
            return f"{_hanzi_label(ra, na)}{leap}{mn}月{dn}日"
        return f"{ra.name} {na}, {'leap ' if lu[1] < 0 else ''}month {mo}, day {day}"
    if start == end and hanzi:
        return f"{ra.hanzi}{'元' if na == 1 else na}年{start[1]}月{start[2]}日"
    if hanzi:
        left = _hanzi_label(ra, na)
        if (ra, na) == (rb, nb):
            return left
        return f"{left}–{_hanzi_label(rb, nb) if ra != rb else cjk_numeral(nb) + '年'}"
    if (ra, na) == (rb, nb):
        return f"{ra.name} {na}"
    return f"{ra.name} {na}–{nb}" if ra == rb else f"{ra.name} {na}–{rb.name} {nb}"


def labels(start: YMD, end: YMD) -> dict[str, str]:
    return {"chinese": chinese_label(start, end), "chinese_hanzi": chinese_label(start, end,
                                                                                hanzi=True)}
