"""Dates in running prose (for `farchron audit`): find them, then resolve what needs context.

`find_dates` returns every date expression with its offsets: absolute dates parsed by
humandates.parse_human, month-days without a year ("on July 17", "on the 17th", "in July") as
PARTIAL, and phrases such as "that same day", "the following day", "in the middle of that
month", "that year" as RELATIVE. `resolve_dates` fills those in from the date before them.
Page and note numbers are not dates: a bare number counts only as a year 1000–2099.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from farchron.dates import calendars
from farchron.dates.edtf import MAX_YMD, MIN_YMD, YMD, Date, DateError, iso, parse
from farchron.dates.written import (
    ABSOLUTE,
    MONTHS,
    ORDINAL_WORDS,
    PARTIAL,
    RELATIVE,
    HumanDate,
    is_approx,
    parse_human,
    year_edtf,
)

#: The note of a date that is the reference point of a phrase before it ("the day after
#: 31 January became 14 February"): context for what follows, not a claim.
REFERENCE = "reference point"
#: "the day after", "the week before": relative to the date written next, not the last.
_ANCHORED = re.compile(r"(?:the\s+)?(?:day|week|month|year)\s+(?:after|before)$", re.IGNORECASE)


class Mention(NamedTuple):
    """One date expression found in prose: offsets into the text, its words, what it means."""

    start: int
    end: int
    text: str
    result: HumanDate


_RELATIONS = (
    (r"that same day|the same day|that day", "same-day"),
    (r"the following day|the next day|the day after", "next-day"),
    (r"the previous day|the preceding day|the day before", "previous-day"),
    (r"(?:in )?the middle of (?:that|the same) month", "mid-month"),
    (r"that same month|that month|the same month", "same-month"),
    (r"the following month|the next month", "next-month"),
    (r"the previous month|the preceding month", "previous-month"),
    (r"that same year|that year|the same year", "same-year"),
    (r"the following year|the next year", "next-year"),
    (r"the previous year|the preceding year", "previous-year"),
)
_PROSE: re.Pattern[str] | None = None
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:\bpp?\.|\bpages?|\bnos?\.|\bsec\.|\bvol\.|\bnotes?|\bfig\.|§|#)\s*"
    r"(?:[0-9]+\s?[–-]\s?)?$", re.IGNORECASE)


def _prose_re() -> re.Pattern[str]:
    """The scanner's pattern, built on first use (month names must be capitalised: 'may')."""
    global _PROSE
    if _PROSE is not None:
        return _PROSE
    mon = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
           r"|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?(?![A-Za-z])")
    day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![0-9])"
    yr = r"(?<![0-9.,])(?:1[0-9]{3}|20[0-9]{2})(?![0-9])"
    erayr = (r"(?:(?<![0-9.,])[0-9]{1,4}\s?(?:BCE?|B\.C\.(?:E\.)?|AD|A\.D\.|CE)(?![A-Za-z])"
             r"|(?:AD|A\.D\.)\s?[0-9]{1,4}(?![0-9]))")
    y = rf"(?:{erayr}|{yr})"
    sea = r"(?i:spring|summer|autumn|fall|winter)"
    qual = r"(?i:early|mid|late)[\s-]"
    dec = r"(?<![0-9])(?:1[0-9]|20)[0-9]0'?s(?![a-z])"
    ordw = "|".join(ORDINAL_WORDS)
    cent = (rf"(?i:(?:[0-9]{{1,2}}(?:st|nd|rd|th)|{ordw})\s+century"
            r"(?:\s+(?:BCE?|B\.C\.|AD|CE))?)")
    isod = r"(?<![0-9-])-?[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?(?![0-9])"
    dash = r"\s?[–—-]\s?"
    side = (rf"(?:{day}\s(?:of\s)?{mon},?\s{y}|{mon}\s{day},?\s{y}|{mon},?\s{y}"
            rf"|{sea}\s(?:of\s)?{y}|(?:{qual})?{dec}|{qual}{y}|(?:{qual})?{cent}|{isod}|{y})")
    # ranges inside one year; ranges of two full dates are joined by find_dates
    ranges = (rf"{day}{dash}{day}\s{mon}\s{y}|{day}\s{mon}{dash}{day}\s{mon}\s{y}"
              rf"|{mon}\s{day}{dash}{day},?\s{y}|{mon}{dash}{mon}\s{y}|{sea}{dash}{sea}\s{y}"
              rf"|(?i:winter)\s{yr}[–/-][0-9]{{2}}(?![0-9])|{yr}[–-][0-9]{{2}}(?![0-9])")
    approx = r"(?:(?i:c\.|ca\.|circa|about)\s?)?"
    old_style = r"(?:\s?(?:\(\s?)?(?:O\.\s?S\.|OS|Old Style|N\.\s?S\.|New Style)(?![A-Za-z])\)?)?"
    east = (r"(?:明治|大正|昭和|平成|令和|慶応|慶應|元治|文久|万延|安政|嘉永|弘化|天保"
            r"|(?:中華)?民[國国])"
            r"\s?(?:元|[0-9０-９]+|[〇零一二三四五六七八九十百]+)\s?年"
            r"(?:\s?(?:[0-9０-９]+|[〇零一二三四五六七八九十]+)\s?月"
            r"(?:\s?(?:[0-9０-９]+|[〇零一二三四五六七八九十]+)\s?日)?)?"
            r"|\b(?:Meiji|Taish[oō]|Sh[oō]wa|Heisei|Reiwa)\s[0-9]{1,2}(?![0-9])")
    rel = "|".join(f"(?P<rel{i}>{pat})" for i, (pat, _) in enumerate(_RELATIONS))
    partial = (rf"(?:(?i:on)\s)?(?P<md>{mon}\s{day})(?!\s?[–—-]|,?\s[0-9])"
               rf"|(?:(?i:on)\s)?(?P<dm>{day}\s(?:of\s)?{mon})(?!,?\s?[0-9])"
               rf"|(?i:on\sthe\s)(?P<d>[0-9]{{1,2}}(?:st|nd|rd|th))(?![A-Za-z])"
               rf"(?!\s(?:of\s)?{mon})"
               rf"|(?i:in\s)(?P<m>{mon})(?!\s?[0-9])")
    _PROSE = re.compile(
        rf"(?<![\w.])(?:(?i:{rel})\b|(?P<abs>{approx}(?:{ranges}|{side}){old_style})|{partial})"
        rf"|(?=[明大昭平令慶元文万安嘉弘天中民MTSHR])(?P<east>{east})")
    return _PROSE


def find_dates(text: str) -> list[Mention]:
    """Every date expression in running prose, in order.

    Absolute dates come back parsed (kind ABSOLUTE); a month-day without a year ("on July 17",
    "17 July", "on the 17th", "in July") as kind PARTIAL (it needs context), and "that same day",
    "the following day", "in the middle of that month", "that month", "that year"... as kind
    RELATIVE. Page and note numbers are skipped: a bare number counts only as a year 1000–2099,
    and not after "p.", "pp.", "no.", "sec.", "vol.", "note".
    """
    raw: list[tuple[re.Match[str], HumanDate]] = []
    for m in _prose_re().finditer(text):
        words = m[0]
        res: HumanDate | None = None
        if m["abs"] is not None:
            if re.fullmatch(r"[0-9–—-]+", words) and _NOT_A_YEAR_BEFORE.search(
                    text, max(0, m.start() - 24), m.start()):
                continue
            try:
                res = parse_human(words)
            except DateError:
                continue
        elif m["east"] is not None:
            try:
                res = parse_human(words)
            except DateError:
                continue
        elif m["md"] is not None or m["dm"] is not None or m["d"] is not None \
                or m["m"] is not None:
            res = _partial(words, m)
        else:
            for i, (_, relation) in enumerate(_RELATIONS):
                if m[f"rel{i}"] is not None:
                    res = HumanDate(words, "", kind=RELATIVE, relation=relation)
                    break
        if res is not None:
            raw.append((m, res))
    return _anchor(text, _join_ranges(text, raw))


def _anchor(text: str, found: list[Mention]) -> list[Mention]:
    """"the day after 31 January": the phrase is dated from the date right after it, which
    is its reference point (kept as context, marked REFERENCE), and the phrase itself is
    no date of the text's story; dropped."""
    out: list[Mention] = []
    skip = False
    for k, men in enumerate(found):
        if skip:
            skip = False
            out.append(men._replace(result=replace(men.result, note=REFERENCE)))
            continue
        nxt = found[k + 1] if k + 1 < len(found) else None
        if (men.result.kind == RELATIVE and nxt is not None and _ANCHORED.search(men.text)
                and not text[men.end:nxt.start].strip()):
            skip = True
            continue
        out.append(men)
    return out


_DASH_GAP = re.compile(r"\s?[–—-]\s?")
_TO_GAP = re.compile(r"\s+(?:to|until|till)\s+", re.IGNORECASE)
_AND_GAP = re.compile(r"\s+and\s+", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\b(from|between)\s+$", re.IGNORECASE)


def _join_ranges(text: str, raw: list[tuple[re.Match[str], HumanDate]]) -> list[Mention]:
    """Two absolute dates joined by a dash, "from … to" or "between … and" become one range."""
    out: list[Mention] = []
    i = 0
    while i < len(raw):
        m, res = raw[i]
        start, end = m.start(), m.end()
        if res.kind == ABSOLUTE and i + 1 < len(raw) and raw[i + 1][1].kind == ABSOLUTE:
            m2 = raw[i + 1][0]
            gap = text[end:m2.start()]
            lead = _FROM_BEFORE.search(text, max(0, start - 12), start)
            s2 = None
            if _DASH_GAP.fullmatch(gap):
                s2 = start
            elif lead and (_TO_GAP if lead[1].lower() == "from" else _AND_GAP).fullmatch(gap):
                s2 = lead.start()
            if s2 is not None:
                words = text[s2:m2.end()]
                try:
                    out.append(Mention(s2, m2.end(), words, parse_human(words)))
                    i += 2
                    continue
                except DateError:
                    pass
        out.append(Mention(start, end, m[0], res))
        i += 1
    return out


def _partial(words: str, m: re.Match[str]) -> HumanDate | None:
    grp = m["md"] or m["dm"] or m["d"] or m["m"]
    toks = re.findall(r"[A-Za-z]+|[0-9]+", grp)
    month = day = 0
    for tok in toks:
        if tok.isdigit():
            day = int(tok)
        elif tok.lower() in MONTHS:
            month = MONTHS[tok.lower()]
    if month and day > calendars.days_in_month(2000, month):
        return None
    return HumanDate(words, "", kind=PARTIAL, month=month, day=day)


def resolve_dates(mentions: list[Mention]) -> list[Mention]:
    """Mentions with PARTIAL and RELATIVE results resolved against the date before them.

    The reference is the previous absolute (or already resolved) date: "July 17" takes its
    year, "on the 17th" its month, "the following day" the day after it (only when that date is
    a single day), "in the middle of that month" days 11–20, approximately. A resolved result
    is ABSOLUTE with a note naming the reference; one that cannot be resolved stays as it was.
    """
    out: list[Mention] = []
    ref: Date | None = None
    for men in mentions:
        res = men.result
        if res.kind == ABSOLUTE:
            ref = res.date()
        elif ref is not None:
            edtf = _resolve(res, ref)
            if edtf is not None:
                res = replace(res, edtf=edtf, gregorian=edtf, kind=ABSOLUTE,
                              approximate=is_approx(edtf),
                              note=REFERENCE if res.note == REFERENCE
                              else f"from context: after {ref.text}")
                ref = res.date()
        out.append(men._replace(result=res))
    return out


def _resolve(res: HumanDate, ref: Date) -> str | None:
    """EDTF for a partial or relative result given the previous date, None if it cannot be."""
    s, e = ref.start, ref.end
    if s in (MIN_YMD, MAX_YMD) or e in (MIN_YMD, MAX_YMD):
        return None
    one_day, one_month, one_year = s == e, s[:2] == e[:2], s[0] == e[0]
    y, mo = s[0], s[1]
    ye = year_edtf

    def valid(ymd: YMD) -> str | None:
        try:
            return parse(iso(ymd)).text
        except DateError:
            return None

    if res.kind == PARTIAL:
        if res.month and res.day:
            return valid((y, res.month, res.day)) if one_year else None
        if res.month:
            return f"{ye(y)}-{res.month:02d}" if one_year else None
        return valid((y, mo, res.day)) if one_month else None
    rel = res.relation
    if rel.endswith("-day"):
        if not one_day:
            return None
        step = {"same-day": 0, "next-day": 1, "previous-day": -1}[rel]
        return iso(calendars.add_days(s, step))
    if rel.endswith("-month"):
        if not one_month:
            return None
        if rel == "mid-month":
            return f"{ye(y)}-{mo:02d}-11~/{ye(y)}-{mo:02d}-20~"
        step = {"same-month": 0, "next-month": 1, "previous-month": -1}[rel]
        yy, mm = divmod(y * 12 + mo - 1 + step, 12)
        return f"{ye(yy)}-{mm + 1:02d}"
    if not one_year:
        return None
    return ye(y + {"same-year": 0, "next-year": 1, "previous-year": -1}[rel])
