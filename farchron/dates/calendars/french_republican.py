"""The French Republican calendar: an I (22 Sep 1792) to an XIV (31 Dec 1805), and the Paris
Commune's an LXXIX (1871).

Twelve months of 30 days and five or six complementary days (sans-culottides); each year
began at the autumn equinox at Paris, the rule of the 1793 decree, which gave the sextile
years III, VII and XI. The convertdate package computes it ("equinox" method).
"""

from __future__ import annotations

import re
import unicodedata

from farchron.dates.calendars.base import Reading, gregorian, span_edtf
from farchron.dates.edtf import YMD, DateError, iso

NAME = "french-republican"
BASIS = ("algorithm: the year begins at the autumn equinox at Paris (decree of 24 Oct 1793; "
         "sextile years III, VII, XI), as the convertdate package computes it")

MONTHS = ("", "Vendémiaire", "Brumaire", "Frimaire", "Nivôse", "Pluviôse", "Ventôse",
          "Germinal", "Floréal", "Prairial", "Messidor", "Thermidor", "Fructidor",
          "jour complémentaire")
_WORDS = {"vendemiaire": 1, "brumaire": 2, "frimaire": 3, "nivose": 4, "pluviose": 5,
          "ventose": 6, "germinal": 7, "floreal": 8, "prairial": 9, "messidor": 10,
          "thermidor": 11, "fructidor": 12, "jourcomplementaire": 13,
          "jourscomplementaires": 13, "sansculottide": 13, "sansculottides": 13}
#: the years it was in use: an I–XIV, and the Commune's an LXXIX
YEARS = (*range(1, 15), 79)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman(s: str) -> int:
    """'XIV' → 14, 'LXXIX' → 79, '8' → 8."""
    if s.isdigit():
        return int(s)
    vals = [_ROMAN[c] for c in s.lower()]
    return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))


def to_roman(n: int) -> str:
    out = ""
    for v, r in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", s)


def to_gregorian(an: int, mois: int, jour: int) -> YMD:
    from convertdate import french_republican

    from farchron.dates.calendars.julian import jdn_to_gregorian

    return jdn_to_gregorian(int(french_republican.to_jd(an, mois, jour) + 0.5))


def from_gregorian(ymd: YMD) -> tuple[int, int, int]:
    from convertdate import french_republican

    from farchron.dates.calendars.julian import gregorian_to_jdn

    an, mois, jour = french_republican.from_jd(gregorian_to_jdn(ymd) - 0.5)
    return int(an), int(mois), int(jour)


def month_days(an: int, mois: int) -> int:
    """30, or for the complementary days 5 (6 in a sextile year)."""
    if mois < 13:
        return 30
    from farchron.dates.calendars.julian import gregorian_to_jdn

    return (gregorian_to_jdn(to_gregorian(an + 1, 1, 1))
            - gregorian_to_jdn(to_gregorian(an, 13, 1)))


_AN = r"an\s+([ivxlc]+|[0-9]{1,2})"
_DATE = re.compile(rf"(?:(1er|[0-9]{{1,2}})\s+)?([a-zéèêôûç'’ -]+?)\s+{_AN}", re.IGNORECASE)
_YEAR = re.compile(rf"{_AN}(?:\s+de la r[ée]publique)?", re.IGNORECASE)


def read(t: str, text: str) -> Reading | None:
    """'18 Brumaire an VIII', '1er vendémiaire an III', 'Thermidor an II', 'an II',
    '3 jour complémentaire an II'; None when t is not Republican."""
    m = _YEAR.fullmatch(t)
    mois = jour = None
    if m:
        an_text = m[1]
    else:
        m = _DATE.fullmatch(t)
        if m is None:
            return None
        mois = _WORDS.get(_fold(m[2]))
        if mois is None:
            return None
        an_text = m[3]
        jour = None if m[1] is None else (1 if m[1].lower() == "1er" else int(m[1]))
    try:
        an = roman(an_text)
    except KeyError:
        return None
    if an not in YEARS:
        raise DateError(f"invalid date '{text}': the Republican calendar was used in the years "
                        "I to XIV (1792–1805) and LXXIX (1871)")
    from farchron.dates.calendars.julian import add_days

    if mois is None:
        lo, hi = to_gregorian(an, 1, 1), add_days(to_gregorian(an + 1, 1, 1), -1)
        shown = f"an {to_roman(an)}"
    else:
        dim = month_days(an, mois)
        if jour is None:
            lo, hi = to_gregorian(an, mois, 1), to_gregorian(an, mois, dim)
            shown = f"{MONTHS[mois]} an {to_roman(an)}"
        else:
            if not 1 <= jour <= dim:
                raise DateError(f"invalid date '{text}': {MONTHS[mois]} an {to_roman(an)} has "
                                f"{dim} days")
            lo = hi = to_gregorian(an, mois, jour)
            shown = f"{jour} {MONTHS[mois]} an {to_roman(an)}"
    if hi > (1805, 12, 31) and an == 14:
        hi = max(lo, (1805, 12, 31))
    note = f"{shown} = {iso(lo)}" + ("" if lo == hi else f" to {iso(hi)}")
    if an == 14 and (mois is None or mois >= 4):
        note += " (the calendar ended on 10 Nivôse an XIV, 31 Dec 1805)"
    return gregorian(text, span_edtf(lo, hi), note, basis=NAME)


def label(ymd: YMD) -> str:
    an, mois, jour = from_gregorian(ymd)
    return f"{jour} {MONTHS[mois]} an {to_roman(an)}"


def labels(start: YMD, end: YMD) -> dict[str, str]:
    def used(d: YMD) -> bool:
        return (1792, 9, 22) <= d <= (1805, 12, 31) or (1871, 3, 18) <= d <= (1871, 5, 28)

    if not (used(start) and used(end)):
        return {"french_republican": ""}
    a, b = label(start), label(end)
    return {"french_republican": a if a == b else f"{a}–{b}"}
