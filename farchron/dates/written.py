"""Dates as historians write them, turned into canonical EDTF (the form the ledger stores).

One parser, `parse_human`, for every place a person types a date. It first tries the exact
EDTF/PERIOD parser (dates.parse_period), so plain EDTF passes through unchanged and this module
need not even be imported for it: callers try dates.parse_period and import this lazily only
when that fails. Accepted beyond EDTF (case-insensitive; en dash, hyphen, "to", "from … to",
"between … and", "until" for ranges):

- days and months: ``23 Aug 1939``, ``August 23, 1939``, ``23rd of August 1939``, ``Aug. 1939``;
  ranges ``20–25 Aug 1945``, ``20 Aug–2 Sep 1945``, ``Aug 20–25, 1945``, ``May–Sep 1939``;
- seasons (northern-hemisphere meteorological, EDTF codes 21 spring, 22 summer, 23 autumn,
  24 winter): ``summer 1945`` = 1945-22, ``fall 1944``, ``autumn–winter 1944``,
  ``winter 1944–45``;
- years and spans: ``1939–1941``, ``1939-1941``, ``1939–41``, ``1939 to 1941``,
  ``from 1939 to 1941``, ``from 1939`` (open), ``until 1920``; ``216 BC``, ``AD 9``, ``9 CE``;
- approximate: ``c. 1933``, ``ca. 1933``, ``circa 1933``, ``about 1933`` = 1933~;
- decades ``1930s`` = 193X, and parts of them, always approximate intervals: early = years
  0–3 of the decade (``early 1930s`` = 1930~/1933~), mid = 4–6, late = 7–9; parts of a year:
  early = Jan–Apr, mid = May–Aug, late = Sep–Dec; of a month: early = days 1–10, mid =
  11–20, late = 21–end; of a century: the first, middle and last third (1–33, 34–66, 67–100);
- centuries ``20th century`` = 1901/2000, ``3rd century BC`` = -0299/-0200;
- Russian: ``23 августа 1939 г.``, ``август 1939``;
- Old Style: ``1917-10-25 OS``, ``20 Dec 1904 O.S.``, ``(Old Style)``, ``(Julian)``,
  ``25 октября 1917 г. (ст. ст.)``: the result
  keeps the EDTF as printed with calendar "julian" and gives the Gregorian equivalent
  (``N.S.``/``New Style`` just says the date is Gregorian). Old Style years begin on 1 January;
- Japanese era years ``Meiji 37``, ``Taishō 15``/``Taisho 15``/``T15``, ``Shōwa 14``/``S14``,
  ``昭和14年``, ``昭和十四年``, ``昭和14年8月23日``, ``令和元年``, ``H1``; exact days from Meiji 6
  (1873), year-level and approximate before (lunisolar calendar);
- Chinese Republic years ``民國28年``/``民国28年``/``Minguo 28``/``ROC 28`` = 1939.

The Japanese and Chinese era forms are read by calendars.parse_era_text; prose is scanned by
prosedates.find_dates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from farchron.dates import calendars
from farchron.dates.edtf import (
    MAX_DATE_CHARS,
    MAX_YMD,
    MIN_YMD,
    Date,
    DateError,
    parse,
    parse_period,
)
from farchron.dates.names import GREGORIAN, JULIAN, MONTH_ABBR, MONTHS
from farchron.dates.names import SEASON_WORDS as _SEASONS

#: kinds of HumanDate: a full date; a month-day without year (needs context); a relative phrase
ABSOLUTE, PARTIAL, RELATIVE = "absolute", "partial", "relative"


@dataclass(frozen=True, slots=True)
class HumanDate:
    """What a typed date means.

    edtf is the date as printed, in `calendar`; gregorian is the same date as (proleptic)
    Gregorian EDTF, the form bounds and the ledger's sorting use. Partial and relative
    results (only from find_dates) have no edtf until resolve_dates fills it.
    """

    text: str                   # the original text
    edtf: str                   # canonical EDTF as printed ("" for partial/relative)
    calendar: str = GREGORIAN   # "gregorian" or "julian"
    gregorian: str = ""         # the Gregorian EDTF (same as edtf for Gregorian dates)
    approximate: bool = False   # c., early/mid/late, lunisolar years
    note: str = ""              # how it was read, when that is not obvious
    kind: str = ABSOLUTE        # ABSOLUTE, PARTIAL (needs context) or RELATIVE
    month: int = 0              # PARTIAL: the month given (0 if only a day, "on the 17th")
    day: int = 0                # PARTIAL: the day given (0 if only a month)
    relation: str = ""          # RELATIVE: same-day, next-day, previous-day, same-month,
                                # mid-month, next-month, previous-month, same-year, next-year,
                                # previous-year
    written_in: str = ""        # the calendar the text was written in ("chinese", "hebrew", ...)

    def date(self) -> Date:
        """The Gregorian Date (bounds) of an absolute result."""
        if self.kind != ABSOLUTE:
            raise DateError(f"'{self.text}' needs context: it has no year")
        return parse(self.gregorian or self.edtf)

    @property
    def needs_context(self) -> bool:
        return self.kind != ABSOLUTE


def _gregorian(text: str, edtf: str, *, approximate: bool = False, note: str = "") -> HumanDate:
    return HumanDate(text, edtf, GREGORIAN, edtf, approximate or is_approx(edtf), note)


def is_approx(edtf: str) -> bool:
    return "~" in edtf or "%" in edtf


class _LazyPattern:
    """A pattern compiled on its first use: `farchron date 1939-08-23` (EDTF, read before any
    written form) spent ~2 ms compiling the eight patterns below at import (issue 28)."""

    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._rx: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(*self._args)
        return getattr(rx, name)


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


# --- vocabulary ---------------------------------------------------------------------------------

_PARTS = {"early": 0, "mid": 1, "middle": 1, "late": 2}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}
_FILLER = {"the", "of", "in", "on", "г", "года", "год"}
#: words a misspelling is matched against for "did you mean"
_VOCAB = sorted({*MONTHS, *_SEASONS, *_PARTS, "century", "circa", "about", "from", "to",
                 "until", "between", "and", "bc", "bce", "ad", "ce", "meiji", "taisho", "showa",
                 "heisei", "reiwa", "minguo"})
_NUMERAL_HINT = ("write e.g. 1939-08-23, 23 Aug 1939, Aug 1939, summer 1945 (= 1945-22; the "
                 "season codes are 21 spring, 22 summer, 23 autumn, 24 winter), 1939–1941, "
                 "c. 1933, 1930s, 216 BC, 20 Dec 1904 OS, Shōwa 14, 昭和14年")


class _Side(NamedTuple):
    """One side of a typed date; None where the text did not say."""

    year: int | None = None
    month: int | None = None        # 1..12 or a season 21..24
    day: int | None = None
    era: str = ""                   # "bc", "ad" or ""
    qual: str = ""                  # "~" or ""
    bare: bool = False              # a lone number: a year, or a day in "20–25 Aug 1945"
    ndigits: int = 0                # digits of a bare number (for "1939–41")
    span: tuple[str, str] | None = None  # decade/century/part: finished (lo, hi) EDTF sides


class _Unreadable(Exception):
    """The grammar does not fit; parse_human turns this into a DateError with hints."""


def year_edtf(y: int) -> str:
    if -9999 <= y <= 9999:
        return f"-{-y:04d}" if y < 0 else f"{y:04d}"
    return f"Y{y}"


def _astro(n: int, era: str, text: str) -> int:
    if era and n == 0:
        raise DateError(f"invalid date '{text}': there is no year 0 {era.upper()}")
    return 1 - n if era == "bc" else n


# --- tokens and one side ------------------------------------------------------------------------

_TOKEN = _lazy(r"[0-9]+(?:st|nd|rd|th|s)?|[a-z][a-z'\-]*\.?|[а-яё]+\.?|\S")


def _tokens(s: str) -> list[tuple[str, int, int]]:
    """Classify the words of one side as (kind, value, digits): N number, O ordinal,
    D decade, M month, S season, B BC, A AD, Q early/mid/late, C century."""
    out: list[tuple[str, int, int]] = []
    for raw in _TOKEN.findall(s):
        w = raw.rstrip(".")
        if w.isdigit():
            out.append(("N", int(w), len(w)))
        elif re.fullmatch(r"[0-9]+(st|nd|rd|th)", w):
            out.append(("O", int(w[:-2]), 0))
        elif re.fullmatch(r"[0-9]+s", w):
            out.append(("D", int(w[:-1]), 0))
        elif w in MONTHS:
            out.append(("M", MONTHS[w], 0))
        elif w in _SEASONS:
            out.append(("S", _SEASONS[w], 0))
        elif w in ("bc", "bce"):
            out.append(("B", 0, 0))
        elif w in ("ad", "ce"):
            out.append(("A", 0, 0))
        elif w in _PARTS:
            out.append(("Q", _PARTS[w], 0))
        elif w in ("century", "c"):
            out.append(("C", 0, 0))
        elif w in ORDINAL_WORDS:
            out.append(("O", ORDINAL_WORDS[w], 0))
        elif w in _FILLER or raw in (",", "'"):
            continue
        else:
            raise _Unreadable(raw)
    return out


def _norm_side(s: str) -> str:
    s = s.strip().lower()
    s = re.sub(r"\bb\.\s?c\.\s?e\.?", "bce", s)
    s = re.sub(r"\bb\.\s?c\.?", "bc", s)
    s = re.sub(r"\ba\.\s?d\.?", "ad", s)
    s = re.sub(r"\bc\.\s?e\.?(?=\s|$)", "ce", s)
    s = re.sub(r"([0-9])'s\b", r"\1s", s)
    s = re.sub(r"\b(early|mid|middle|late)-", r"\1 ", s)
    return s.replace(",", " ")


_APPROX = _lazy(r"^(?:c\.|ca\.?|circa|about|around|approx\.?|approximately|"
                     r"c(?=\s*[0-9]))\s*")


_WINTER_SIDE = _lazy(r"winter\s+(ad\s+)?([0-9]{1,4})(\s*bce?)?\s*[–/-]\s*(ad\s+)?"
                          r"([0-9]{1,4})(\s*bce?)?")


def _side(s: str, text: str) -> _Side:
    """Parse one side ('23 Aug 1939', 'Aug', '20', 'summer 1945', '1930s', '3rd century BC')."""
    s = _norm_side(s)
    qual = ""
    m = _APPROX.match(s)
    if m:
        qual, s = "~", s[m.end():]
    s = s.strip()
    if s.endswith("?"):  # "c. 1933?" is 1933% (approximate and uncertain)
        qual, s = ("%" if qual else "?"), s[:-1].rstrip()
    elif s.endswith(("~", "%")):
        qual, s = s[-1], s[:-1].rstrip()
    m = _WINTER_SIDE.fullmatch(s)
    if m:  # "winter 1944–45", "winter 216–215 BC", "winter 1 BC–AD 1": across a new year
        a, bc_a, b, bc_b = int(m[2]), bool(m[3]), m[5], bool(m[6])
        y = 1 - a if bc_a or (bc_b and not m[1]) else a
        nxt = 1 - int(b) if bc_b else int(b)
        if len(b) == 2 and not (bc_a or bc_b) and len(m[2]) >= 3:
            nxt = a // 100 * 100 + int(b)
        if nxt != y + 1:
            raise _Unreadable(s)
        return _Side(y, 24, None, "bc" if y <= 0 else "", qual)
    toks = _tokens(s)
    eras = {k for k, _, _ in toks if k in "AB"}
    if len(eras) > 1 or sum(k in "AB" for k, _, _ in toks) > 1:
        raise _Unreadable(s)
    era = {"B": "bc", "A": "ad"}[eras.pop()] if eras else ""
    toks = [t for t in toks if t[0] not in "AB"]
    kinds = "".join(k for k, _, _ in toks)
    vals = [v for _, v, _ in toks]
    nds = [nd for _, _, nd in toks]

    def year(i: int) -> int:
        return _astro(vals[i], era, text)

    def small(i: int) -> int:  # a day written as a number
        if nds[i] > 2 or not 1 <= vals[i] <= 31:
            raise _Unreadable(str(vals[i]))
        return vals[i]

    if kinds == "N":
        return _Side(year=year(0), era=era, qual=qual, bare=not era, ndigits=nds[0])
    if kinds in ("NMN", "OMN"):
        d = small(0) if kinds[0] == "N" else vals[0]
        return _Side(year(2), vals[1], d, era, qual)
    if kinds in ("MNN", "MON"):
        d = small(1) if kinds[1] == "N" else vals[1]
        return _Side(year(2), vals[0], d, era, qual)
    if kinds == "MN":
        if nds[1] >= 3 or era:
            return _Side(year(1), vals[0], None, era, qual)
        return _Side(None, vals[0], small(1), era, qual)
    if kinds == "MO":
        return _Side(None, vals[0], vals[1], era, qual)
    if kinds in ("NM", "OM"):
        return _Side(None, vals[1], small(0) if kinds == "NM" else vals[0], era, qual)
    if kinds in ("M", "S"):
        return _Side(None, vals[0], None, era, qual)
    if kinds == "SN":
        return _Side(year(1), vals[0], None, era, qual)
    if kinds == "NN":  # "25, 1945" after "Aug 20–"
        return _Side(year(1), None, small(0), era, qual)
    if kinds == "O":
        return _Side(None, None, vals[0], era, qual)
    if kinds in ("D", "QD"):
        return _decade(vals[-1], None if kinds == "D" else vals[0], era, qual)
    if kinds == "QN":
        y = year(1)
        lo, hi = ((1, 4), (5, 8), (9, 12))[vals[0]]
        return _Side(span=(f"{year_edtf(y)}-{lo:02d}~", f"{year_edtf(y)}-{hi:02d}~"))
    if kinds == "QMN":
        y, mo = year(2), vals[1]
        lo, hi = ((1, 10), (11, 20), (21, calendars.days_in_month(y, mo)))[vals[0]]
        ym = f"{year_edtf(y)}-{mo:02d}"
        return _Side(span=(f"{ym}-{lo:02d}~", f"{ym}-{hi:02d}~"))
    if kinds in ("OC", "QOC"):
        return _century(vals[-2], None if kinds == "OC" else vals[0], era, qual)
    raise _Unreadable(s)


def _decade(n: int, part: int | None, era: str, qual: str) -> _Side:
    if n % 10 or era == "bc":
        raise _Unreadable(f"{n}s")
    if part is None:
        base = year_edtf(n)[:-1] + "X"
        return _Side(span=(base + qual, base + qual))
    lo, hi = ((0, 3), (4, 6), (7, 9))[part]
    return _Side(span=(f"{year_edtf(n + lo)}~", f"{year_edtf(n + hi)}~"))


def _century(n: int, part: int | None, era: str, qual: str) -> _Side:
    if n < 1:
        raise _Unreadable(str(n))
    if era == "bc":
        first, last = 1 - n * 100, -(n - 1) * 100  # 3rd c. BC: 300 BC .. 201 BC
    else:
        first, last = (n - 1) * 100 + 1, n * 100
    q = qual
    if part is not None:
        first, last = ((first, first + 32), (first + 33, first + 65), (first + 66, last))[part]
        q = "~"
    return _Side(span=(year_edtf(first) + q, year_edtf(last) + q))


def _merge(q1: str, q2: str) -> str:
    """Two qualifiers as one: approximate and uncertain together is '%'."""
    return "%" if {q1, q2} == {"~", "?"} else q1 or q2


def _side_edtf(s: _Side, text: str) -> tuple[str, str]:
    """(first, last) EDTF of a complete side; DateError when it lacks a year."""
    if s.span is not None:
        return s.span
    if s.year is None or (s.day is not None and s.month is None):
        raise DateError(f"invalid date '{text}': it needs a year and month (e.g. "
                        "'23 Aug 1939'); a day or month alone is not a date")
    out = year_edtf(s.year)
    if s.month is not None:
        out += f"-{s.month:02d}"
        if s.day is not None:
            out += f"-{s.day:02d}"
    return out + s.qual, out + s.qual


def _range(a: str, b: str, text: str, hyphen: bool, qual: str) -> str:
    """EDTF interval of 'a–b', where a may leave out what b says (year, month, era)."""
    left, right = _side(a, text), _side(b, text)
    if right.span is None and right.month is None and right.day is not None:
        if left.month is None or left.day is None:  # "25, 1945" needs "Aug 20" before it
            raise _Unreadable(b)
        right = right._replace(month=left.month)
    if right.bare and right.ndigits <= 2:
        # "1939–41": the same century; with a bare hyphen only when it cannot be a month
        if not (left.bare and left.ndigits == 4 and right.year is not None):
            raise _Unreadable(b)
        assert left.year is not None
        y = left.year // 100 * 100 + right.year
        if y <= left.year or (hyphen and right.year < 25):
            raise _Unreadable(b)
        right = right._replace(year=y, bare=False)
    if right.span is None and right.year is None:
        raise _Unreadable(b)
    if left.span is None:
        if left.bare and right.day is not None and left.ndigits <= 2 and left.year:
            left = _Side(right.year, right.month, left.year, qual=left.qual)  # "20–25 Aug 1945"
        elif not left.era and right.era == "bc" and left.year is not None:
            left = left._replace(year=_astro(left.year, "bc", text))  # "300–201 BC"
        elif left.bare and left.ndigits < 3 and right.span is None and right.month is not None:
            raise _Unreadable(a)
        if left.year is None:
            month = left.month
            if month is None and left.day is not None:
                month = right.month
            left = left._replace(year=right.year, month=month)
    if qual:
        left = left._replace(qual=_merge(left.qual, qual))
        right = right._replace(qual=_merge(right.qual, qual))
    lo, hi = _side_edtf(left, text)[0], _side_edtf(right, text)[1]
    if qual and left.span is not None and not lo.endswith(("~", "?", "%")):
        lo += qual
    if qual and right.span is not None and not hi.endswith(("~", "?", "%")):
        hi += qual
    return f"{lo}/{hi}"


_SEP = _lazy(r"\s+(?:to|until|till|through|thru)\s+|\s*–\s*|\s+-\s+|-")
_WINTER = _lazy(r"(.*?)winter\s+(-?[0-9]{3,4})\s*[–/-]\s*([0-9]{2}|[0-9]{4})")


def _grammar(s: str, text: str) -> str:
    """EDTF for the lower-cased, dash-normalised text s (raises _Unreadable or DateError)."""
    s = s.strip()
    m = re.fullmatch(r"(?:from\s+)(.+?)\s+(?:to|until|till|through)\s+(.+)", s) or \
        re.fullmatch(r"between\s+(.+?)\s+and\s+(.+)", s)
    if m:
        return _range(m[1], m[2], text, False, "")
    m = re.fullmatch(r"(?:from|since)\s+(.+)", s)
    if m:
        return _side_edtf(_side(m[1], text), text)[0] + "/.."
    m = re.fullmatch(r"(?:until|till|up to)\s+(.+)", s)
    if m:
        return "../" + _side_edtf(_side(m[1], text), text)[1]
    m = re.fullmatch(r"(.+?)\s*–\s*\?", s)
    if m:
        return _side_edtf(_side(m[1], text), text)[0] + "/"
    m = re.fullmatch(r"\?\s*–\s*(.+)", s)
    if m:
        return "/" + _side_edtf(_side(m[1], text), text)[1]
    m = _WINTER.fullmatch(s)
    if m and (_APPROX.fullmatch(m[1].strip() + " ") or not m[1].strip()):
        y, nxt = int(m[2]), m[3]
        if (len(nxt) == 2 and (y + 1) % 100 == int(nxt)) or (len(nxt) == 4 and int(nxt) == y + 1):
            return year_edtf(y) + "-24" + ("~" if m[1].strip() else "")
    qual = ""
    m = _APPROX.match(s)
    if m:
        qual, s = "~", s[m.end():]
    incomplete: DateError | None = None
    try:
        side = _side(s, text)
        lo, hi = _side_edtf(side._replace(qual=_merge(side.qual, qual)), text)
        if side.span is not None and qual:
            lo, hi = lo.rstrip("~") + "~", hi.rstrip("~") + "~"
        return lo if lo == hi else f"{lo}/{hi}"
    except _Unreadable:
        pass
    except DateError as err:
        incomplete = err
    for sep in _SEP.finditer(s):
        try:
            return _range(s[:sep.start()], s[sep.end():], text, sep[0] == "-", qual)
        except (_Unreadable, DateError):
            continue
    if incomplete is not None:
        raise incomplete
    raise _Unreadable(s)


# --- calendar markers ---------------------------------------------------------------------------

_OLD_STYLE = _lazy(r"\s*[(\[]?\s*(?<![\w.])(?:o\.\s?s\.?|os|old style|julian(?: calendar)?"
                        r"|(?:по\s)?ст\.\s?ст\.|(?:по\s)?старому стилю)"
                        r"\s*[)\]]?\s*$", re.IGNORECASE)
_NEW_STYLE = _lazy(r"\s*[(\[]?\s*(?<![\w.])(?:n\.\s?s\.?|ns|new style|gregorian"
                        r"(?: calendar)?)\s*[)\]]?\s*$", re.IGNORECASE)
_EDTFISH = _lazy(r"[0-9X?~%./\s\-Y]+", re.IGNORECASE)


def _normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).strip()
    t = re.sub(r"[‐‑‒—―−]", "–", t)
    return re.sub(r"\s+", " ", t)


def _parse(text: str, t: str) -> HumanDate:
    """The human grammar on normalised text t (raises _Unreadable or DateError)."""
    julian = False
    m = _OLD_STYLE.search(t)
    if m and m.start() > 0:
        julian, t = True, t[:m.start()].strip()
    else:
        m = _NEW_STYLE.search(t)
        if m and m.start() > 0:
            t = t[:m.start()].strip()
            try:
                return _gregorian(text, parse_period(t).text, note="New Style (Gregorian)")
            except DateError:
                pass
    found = calendars.read(t, text)
    if found is not None:
        if julian and found.calendar != JULIAN:
            kind = ("Japanese and Chinese era" if found.basis in ("", "japanese", "minguo",
                                                                  "chinese") else found.basis)
            raise DateError(f"invalid date '{text}': {kind} dates are not Old Style")
        return HumanDate(text, found.edtf, found.calendar, found.gregorian, found.approximate,
                         found.note, written_in=found.basis)
    if julian:
        edtf = t.replace(" ", "") if _EDTFISH.fullmatch(t) else _grammar(t.lower(), text)
        try:
            greg = calendars.julian_edtf_to_gregorian(edtf)
        except DateError as err:
            raise DateError(f"invalid date '{text}': {str(err).partition(': ')[2]} "
                            "(Old Style)") from None
        return HumanDate(text, edtf, JULIAN, greg, is_approx(edtf),
                         f"Old Style (Julian) {edtf} = {greg} Gregorian", written_in=JULIAN)
    edtf = _grammar(t.lower(), text)
    try:
        parse(edtf)
    except DateError as err:
        raise DateError(f"invalid date '{text}': {str(err).partition(': ')[2]}") from None
    note = ""
    if re.search(r"\b(?:early|mid|middle|late)\b", t, re.IGNORECASE):
        note = "early/mid/late: approximate thirds (a decade: years 0–3, 4–6, 7–9)"
    return _gregorian(text, edtf, note=note)


def _suggest(t: str) -> tuple[str, HumanDate] | None:
    """The nearest readable form of t: misspelt words corrected, or EDTF zero-padded."""
    import difflib

    numeric = re.fullmatch(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})", t)
    if numeric:  # 23.08.1939, 23/08/1939, 8/23/1939: only when the day cannot be the month
        a, b, y = int(numeric[1]), int(numeric[2]), numeric[3]
        if a == b or (a <= 12 and b <= 12):
            return None
        day, month = (a, b) if a > 12 else (b, a)
        cand = f"{y}-{month:02d}-{day:02d}"
    elif _EDTFISH.fullmatch(t):
        cand = re.sub(r"(?<=[0-9]-)([0-9])(?![0-9])", r"0\1", t)
    else:
        def fix(m: re.Match[str]) -> str:
            w = m[0]
            lw = w.lower().rstrip(".")
            if lw in _VOCAB or lw in MONTHS or lw in _FILLER or lw in ORDINAL_WORDS:
                return w
            close = difflib.get_close_matches(lw, _VOCAB, n=1, cutoff=0.75)
            if not close:
                return w
            return close[0].capitalize() if w[0].isupper() else close[0]
        cand = re.sub(r"[A-Za-z]{3,}\.?", fix, t)
    if cand == t:
        return None
    try:
        return cand, _try(cand, cand)
    except (DateError, _Unreadable):
        return None


def _try(text: str, t: str) -> HumanDate:
    try:
        return _gregorian(text, parse_period(t).text)
    except DateError:
        return _parse(text, t)


def parse_human(text: str) -> HumanDate:
    """Read a date as people write it (see the module docstring); raise DateError if unreadable.

    Plain EDTF and every PERIOD form of dates.parse_period pass through unchanged. The error
    suggests the nearest valid form: 'sumer 1945' → did you mean "summer 1945" (1945-22)?
    """
    if not isinstance(text, str):
        raise DateError(f"invalid date {text!r}: not a string")
    try:
        return _gregorian(text, parse_period(text).text)
    except DateError as err:
        edtf_err = err
    if len(text.strip()) > MAX_DATE_CHARS:  # parse_period's "too long": no written date is
        raise edtf_err                       # either (and int() refuses 4,300+ digits)
    t = _normalise(text)
    if not t:
        raise edtf_err
    try:
        return _parse(text, t)
    except _Unreadable:
        pass
    except DateError:
        if not _EDTFISH.fullmatch(t):
            raise
    found = _suggest(t)
    if found is not None:
        cand, res = found
        shown = res.date().display() if res.edtf == cand else res.edtf
        raise DateError(f"invalid date '{text}': did you mean \"{cand}\" ({shown})?")
    numeric = re.fullmatch(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})", t)
    if numeric and 1 <= int(numeric[1]) <= 12 and 1 <= int(numeric[2]) <= 12:
        a, b, y = int(numeric[1]), int(numeric[2]), numeric[3]
        ab = MONTH_ABBR
        raise DateError(f"invalid date '{text}': day and month cannot be told apart; write "
                        f"{y}-{b:02d}-{a:02d} ({a} {ab[b]} {y}) or {y}-{a:02d}-{b:02d} "
                        f"({b} {ab[a]} {y})")
    if _EDTFISH.fullmatch(t):
        if "not a date (expected" in str(edtf_err):
            raise DateError(f"{edtf_err}; seasons are 21 spring, 22 summer, 23 autumn, "
                            "24 winter (1944-23 = autumn 1944)") from None
        raise edtf_err
    raise DateError(f"invalid date '{text}': not a date farchron can read; {_NUMERAL_HINT}")


def period(text: str) -> Date:
    """A PERIOD as a Gregorian Date: exact EDTF first, then the human parser."""
    return parse_human(text).date()


# --- one date in every calendar (`farchron date`) ----------------------------------------------

def describe(r: HumanDate) -> dict[str, object]:
    """What `farchron date` prints: the date's EDTF, bounds, English display and the same days
    in every calendar of the registry ('' where a calendar does not reach), with the basis of
    each conversion.

    Keys: text, edtf, calendar, gregorian, start, end, display, julian, japanese,
    japanese_kanji, minguo, minguo_hanzi, chinese, chinese_hanzi, islamic,
    islamic_umm_al_qura, french_republican, hebrew, approximate, note, written_in, bases
    ({calendar: basis} for the calendar it was written in and every one shown).
    """
    d = r.date()
    s, e = d.start, d.end
    open_ = s == MIN_YMD or e == MAX_YMD
    if r.calendar == JULIAN:
        display = calendars.julian_display(r.edtf, "both")
        julian = calendars.julian_display(r.edtf, JULIAN)
    else:
        display = d.display()
        julian = "" if open_ else calendars.julian_label(s, e)
    shown = {} if open_ else calendars.labels(s, e)
    shown["julian"] = julian
    out: dict[str, object] = {
        "text": r.text,
        "edtf": r.edtf,
        "calendar": r.calendar,
        GREGORIAN: r.gregorian,
        "start": d.start_iso or None,
        "end": d.end_iso or None,
        "display": display,
    }
    for key in CALENDAR_KEYS:
        out[key] = shown.get(key, "")
    used = {r.written_in} if r.written_in else set()
    for cal in calendars.CALENDARS:
        if any(out.get(k) for k in CALENDAR_KEYS if k.startswith(cal.name.replace("-", "_"))):
            used.add(cal.name)
    out.update(approximate=r.approximate, note=r.note, written_in=r.written_in,
               bases={c.name: calendars.basis(c.name) for c in calendars.CALENDARS
                      if c.name in used})
    return out


#: `farchron date`'s calendar lines: (key, name shown, key of the same in its own script)
CALENDAR_LINES = ((JULIAN, JULIAN, ""), ("japanese", "japanese", "japanese_kanji"),
                  ("minguo", "minguo", "minguo_hanzi"), ("chinese", "chinese", "chinese_hanzi"),
                  ("islamic", "hijri (tabular)", ""),
                  ("islamic_umm_al_qura", "hijri (umm al-qura)", ""),
                  ("french_republican", "republican", ""), ("hebrew", "hebrew", ""))
#: describe()'s calendar keys, in the order `farchron date` shows them
CALENDAR_KEYS = tuple(k for line in CALENDAR_LINES for k in (line[0], line[2]) if k)
