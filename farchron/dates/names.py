"""Month and season names and the CJK numerals: the one home of the words dates are written in.

edtf (display), written (reading), inprose and the calendars all take their names from here.
Pure data and one small number reader; cheap to import (the timeline path imports it).
"""

from __future__ import annotations

# --- calendar names: the one home of these strings (the registry, dates/calendars/, maps
# each to its module; they live here so the ledger's model can compare a date's calendar
# without importing the registry on a warm run)
GREGORIAN = "gregorian"
JULIAN = "julian"
JAPANESE = "japanese"
MINGUO = "minguo"
CHINESE = "chinese"
ISLAMIC = "islamic"
FRENCH_REPUBLICAN = "french-republican"
HEBREW = "hebrew"
#: the calendars --era can show beside a date (the registry maps each to its module)
ERA_CHOICES = (JAPANESE, MINGUO, CHINESE, ISLAMIC, FRENCH_REPUBLICAN, HEBREW)

#: English month abbreviations and full names, indexed 1..12 ("" at 0).
MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAME = ("", "January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")

#: EDTF season code -> (name, first month, last month); winter's last month is in the next year
SEASONS = {
    21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 2),
}
#: season words as typed -> EDTF season code
SEASON_WORDS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}

#: month words as typed (lower case) -> month number: English names and abbreviations,
#: Russian (genitive as in "23 августа 1939 г.", nominative and abbreviated)
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
for _i, _names in enumerate((
        "января январь янв", "февраля февраль фев", "марта март мар", "апреля апрель апр",
        "мая май", "июня июнь июн", "июля июль июл", "августа август авг",
        "сентября сентябрь сен сент", "октября октябрь окт", "ноября ноябрь ноя",
        "декабря декабрь дек"), start=1):
    MONTHS.update(dict.fromkeys(_names.split(), _i))

# --- CJK numerals -------------------------------------------------------------------------------

CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
#: tens written as one character: 廿 20, 卅 30 (Chinese day numbers: 廿三 = 23)
CJK_TENS = {"十": 10, "廿": 20, "卅": 30}
#: a number as CJK sources print it: 元 (first year), Arabic digits, or CJK numerals
CJK_NUMBER = r"元|[0-9]+|初?[〇零一二三四五六七八九十廿卅百]+"
#: month names with no numeral: 正月 the first, 冬月 the eleventh, 臘月/腊月 the twelfth
CJK_MONTH_WORDS = {"正": 1, "冬": 11, "臘": 12, "腊": 12}


def kanji_number(s: str) -> int:
    """'十四' → 14, '六十四' → 64, '一九三九' → 1939, '元' → 1 (the first year of an era),
    '初三' → 3 and '廿三' → 23 (Chinese day numbers)."""
    if s == "元":
        return 1
    if s.isascii() and s.isdigit():
        return int(s)
    s = s.removeprefix("初")
    if not any(c in s for c in "十廿卅百"):
        n = 0
        for ch in s:
            n = n * 10 + CJK_DIGITS[ch]
        return n
    total = cur = 0
    for ch in s:
        if ch in CJK_TENS:
            total, cur = total + (cur or 1) * CJK_TENS[ch], 0
        elif ch == "百":
            total, cur = total + (cur or 1) * 100, 0
        else:
            cur = CJK_DIGITS[ch]
    return total + cur


def cjk_numeral(n: int) -> str:
    """14 → '十四', 21 → '二十一', 1 → '一' (as Chinese reign years and lunar days print)."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return "".join(digits[int(c)] for c in str(n))
