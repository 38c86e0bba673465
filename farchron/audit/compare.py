"""Read a draft back against the ledger: every dated claim, the event it is about, and
whether the ledger's evidence agrees with the date written.

Pure core (no click, no rich): `audit_text` takes the text, the ledger's events, their
search index and a date scanner, and returns the claims it read and the findings worth
reporting. The command layer reads files and prints.

How a date is tied to an event: the words of its sentence (and the one before, at a
distance) are matched against each event's title, aliases, actors and places, as the
search index normalises them (any script, accents folded). A name scores the share of its
distinctive words found, weighed by how rare each word is in the ledger and by how near
the words stand to the date. The event scoring best wins, but an event whose date agrees
gets a head start (`AGREE_BONUS`, more for a day than for a year): a sentence naming two
events dates whichever it fits, and only a date that fits no well-named event is a
contradiction. A name another date of the sentence fits is that date's, unless the two
dates are one claim (the second written without a year, next to the first) and the name
stands nearest before this one: "began in May 1938 and ended in September" are both the
Incident's.
"""

from __future__ import annotations

import functools
import math
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from farchron.audit.document import Convention, Plain, plain_text, sentences
from farchron.audit.names import Matcher
from farchron.audit.readings import Bounds, CalendarHint, readings, yyyymmdd
from farchron.dates import edtf as dates
from farchron.dates.inprose import REFERENCE

if TYPE_CHECKING:
    from farchron.model.records import Event, Ledger
    from farchron.query.search import SearchIndex


#: find_dates(text) -> [(start, end, matched_text, result)]; offsets into `text`, dates
#: without a year (or "that same day") already resolved against the dates before them.
Scanner = Callable[[str], Sequence[tuple[int, int, str, Any]]]

#: Points an event whose date agrees with the claim gets over one whose date does not,
#: by the days the wider of the two dates spans: agreeing on a day is rarely chance.
AGREE_BONUS = ((1, 35.0), (31, 25.0), (366, 12.0), (math.inf, 5.0))
#: Days an event may span and still be hit by a date written without its year that fits
#: it only in another year than the context gave.
MOVED_YEAR_WIDTH = 31
#: Names scoring within this of the best are "named nearly as well".
CLOSE_NAMES = 5.0
#: Candidates below this share of --min-score are not considered at all.
FLOOR_SHARE = 0.6
def default_scanner() -> Scanner:
    """humandates' scanner, with its resolver: "on July 17" takes the year before it."""
    from farchron.dates.inprose import find_dates, resolve_dates

    def scan(text: str) -> list[tuple[int, int, str, Any]]:
        found = resolve_dates(find_dates(text))
        return [(m.start, m.end, m.text, m.result) for m in found]

    return scan


# --------------------------------------------------------------------------- matching

def _day_number(ymd: dates.YMD) -> int:
    """Days since a fixed epoch, proleptic Gregorian, any year (Howard Hinnant's formula)."""
    y, m, d = ymd
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy


_SPANS: dict[tuple[Any, ...], tuple[float, float]] = {}


def _span(d: dates.Date) -> tuple[float, float]:
    """Day-number bounds, widened by about one unit of precision when approximate
    (memoised by bounds and text: hashing a frozen Date costs more than the sum)."""
    key = (d.start, d.end, d.text)
    got = _SPANS.get(key)
    if got is not None:
        return got
    lo = -math.inf if d.start == dates.MIN_YMD else _day_number(d.start)
    hi = math.inf if d.end == dates.MAX_YMD else _day_number(d.end)
    if "~" in d.text or "%" in d.text:
        width = hi - lo + 1
        slack = 3 if width <= 1 else 31 if width <= 31 else 366
        lo, hi = lo - slack, hi + slack
    if len(_SPANS) > 1 << 16:
        _SPANS.clear()
    _SPANS[key] = (lo, hi)
    return lo, hi


def agrees(claim: dates.Date, date: dates.Date) -> bool:
    """Could the written date and the ledger's be the same? Bounds overlap, with
    approximate dates ("~") widened by about one unit of their precision."""
    a, b = _span(claim), _span(date)
    return a[0] <= b[1] and b[0] <= a[1]


# --------------------------------------------------------------------------- claims

@dataclass(slots=True)
class Claim:
    """One date expression of the draft and what the audit made of it."""

    start: int              # offsets in the plain text
    end: int
    line: int               # position in the original
    column: int
    found: str              # the date as written
    date: dates.Date        # what it was read as
    verdict: str            # "ok", "contradiction", "other-date" or "unmatched"
    event: Event | None = None   # the event it is about (None when unmatched)
    score: float = 0.0
    events: tuple[str, ...] = ()  # every well-named event the date agrees with
    quote: str = ""         # the passage quoted in messages
    other: Any = None       # the other-dates entry it matches, for "other-date"
    candidates: list[tuple[str, float, bool]] = field(default_factory=list)  # for debugging
    in_note: bool = False   # in a note: unmatched years there are publication years
    calendar: str = "gregorian"  # how it was read: "julian" when marked O.S. or by the
                                 # document's convention
    hint: str = ""          # why the other calendar's reading fits, for the message
    convention: Convention | None = None  # the document's, when it decided the reading


@dataclass(frozen=True, slots=True)
class Finding:
    """A reported claim, in `check`'s shape plus the event and the two dates."""

    file: str
    line: int
    column: int
    code: str
    severity: str           # "error", "warning" or "info"
    message: str
    event: str | None
    found: str
    expected: str | None = field(default=None)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column,
                "code": self.code, "severity": self.severity, "message": self.message,
                "event": self.event, "found": self.found, "expected": self.expected}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _evidence(e: Event) -> str:
    """The event's citations, short: "note 20; hata-2014 p. 347; paper §1(3), §2"."""
    parts: dict[str, list[str]] = {}
    for c in e.citations:
        if c.note is not None:
            parts.setdefault(f"note {c.note}", [])
        elif c.source:
            where = f"p. {c.pages}" if c.pages else f"§{c.section}" if c.section else ""
            got = parts.setdefault(c.source, [])
            if where and where not in got:
                got.append(where)
    return "; ".join(f"{k} {', '.join(v)}" if v else k for k, v in parts.items())


def _other_label(o: Any) -> str:
    """How an other-dates entry is supported: "commonly given", "note 7", "paper p. 12"."""
    return getattr(o, "evidence", "") or str(getattr(o, "basis", "") or "another source")


def _other_match(claim: dates.Date, e: Event, year_written: bool) -> Any:
    for o in getattr(e, "other_dates", ()) or ():
        d = getattr(o, "date", None)
        if isinstance(d, dates.Date) and agrees_as_written(claim, d, year_written):
            return o
    return None


_LEAD = re.compile(r"(?:on|in|at|by)\s+", re.IGNORECASE)
#: Words between a date and a name that make the name another event, set against it.
_RELATION = re.compile(r"\b(?:before|after|since|until|till|prior|following|preceding|"
                       r"earlier|later|neither|nor|not|never|then)\b", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?:in |from |of )?[0-9]{3,4}(?:\s*[-–]\s*[0-9]{2,4})?")
_YEAR_TEXT = re.compile(r"(?<![0-9])[0-9]{3,4}(?![0-9])")
_EDTF_YEAR = re.compile(r"(?<![0-9-])(-?[0-9]{4})(?=-|/|$|[~?%])")
#: Years of an event tried for a date written without one (beyond this: not compared).
_MAX_YEARS = 60


@functools.lru_cache(maxsize=4096)
def _parse_or_none(text: str) -> dates.Date | None:
    try:
        return dates.parse(text)
    except dates.DateError:
        return None


def agrees_as_written(claim: dates.Date, date: dates.Date, year_written: bool) -> bool:
    """`agrees`, but a date written without its year ("on July 17", "that same day")
    is compared by what was written: it agrees if it fits any year of the event's span.
    The year a scanner supplied from context is a guess the draft never states."""
    if agrees(claim, date):
        return True
    if year_written or date.start[0] <= dates.MIN_YEAR or date.end[0] >= dates.MAX_YEAR:
        return False
    years = {int(y) for y in _EDTF_YEAR.findall(claim.text)}
    if len(years) != 1 or date.end[0] - date.start[0] > _MAX_YEARS:
        return False
    for y in range(date.start[0] - 1, date.end[0] + 1):
        year = f"{y:04d}" if y >= 0 else f"-{-y:04d}"
        moved = _parse_or_none(_EDTF_YEAR.sub(year, claim.text))
        if moved is None:
            continue
        if agrees(moved, date):
            return True
    return False


def _width(d: dates.Date) -> float:
    lo, hi = _span(d)
    return hi - lo


def _bonus(claim: dates.Date, date: dates.Date) -> float:
    """The head start of an event whose date agrees: larger the more telling the
    agreement (the same day is rarely chance; the same year often is)."""
    lo, hi = _span(claim)
    elo, ehi = _span(date)
    width = max(hi - lo, ehi - elo) + 1
    return next(b for w, b in AGREE_BONUS if width <= w)


@dataclass(slots=True)
class _Read:
    """One date of the draft before its verdict."""

    start: int
    end: int
    found: str
    written: dates.Date
    year_written: bool
    sentence: int
    scores: dict[int, tuple[float, int, int, float]]
    summary: dict[int, float]
    alt: dates.Date | None
    alt_kind: str
    calendar: str
    marked: bool


def read_claims(text: str, events: Sequence[Event], index: SearchIndex | None, scanner: Scanner,
                *, markdown: bool = True, min_score: float = 70.0,
                matcher: Matcher | None = None, calendar: str | None = None,
                until: dates.YMD | None = None, plain: Plain | None = None) -> list[Claim]:
    """Every date expression of `text`, tied to the event it is about, and judged.

    `calendar` "julian" reads unmarked dates before `until` as Old Style, "gregorian"
    as New Style; None leaves it to the document (its front matter, or a sentence such as
    "dates before February 1918 are Old Style")."""
    import bisect

    plain = plain or plain_text(text, markdown)
    pt = plain.text
    convention = plain.convention
    if calendar == "gregorian":
        convention = None
    elif calendar == "julian":
        convention = Convention("julian", until or (
            convention.until if convention else Convention().until), "--calendar julian")
    elif until is not None and convention is not None:
        convention = Convention(convention.calendar, until, convention.where)
    matcher = matcher or Matcher(index)
    bounds = Bounds(events)
    spans = sentences(pt)
    found_dates = [r for r in scanner(pt)]
    tokens = matcher.tokens(pt, [(a, b) for a, b, _f, _r in found_dates])
    tok_starts = [t.start for t in tokens]
    sent_starts = [s for s, _e in spans]
    floor = min_score * FLOOR_SHARE
    decoded: dict[int, Event] = {}

    def event(i: int) -> Event:
        e = decoded.get(i)
        if e is None:
            e = decoded[i] = events[i]
        return e

    # first pass: each date, its sentence, and the names around it
    read: list[_Read] = []
    for start, end, found, result in found_dates:
        if getattr(result, "note", "") == REFERENCE or plain.skipped(start):
            continue
        lead = _LEAD.match(found)  # "on July 17": the date is "July 17"
        if lead and lead.end() < len(found):
            start, found = start + lead.end(), found[lead.end():]
        got = readings(found, result, convention)
        if got is None:
            continue  # a month-day the scanner could not resolve
        written, alt, alt_kind, how, marked = got
        if plain.in_note(start) and _BARE_YEAR.fullmatch(found.strip()):
            continue  # a bare year in a note is a publication year, not a claim
        # the year was written unless the scanner took it from the context
        year_written = not str(getattr(result, "note", "")).startswith("from context")
        n = max(bisect.bisect_right(sent_starts, start) - 1, 0)
        s_start, s_end = spans[n] if spans else (0, len(pt))
        # the sentence before counts too, unless a paragraph ends between them
        w_start = s_start
        if n > 0 and "\n\n" not in pt[spans[n - 1][0]:s_start]:
            w_start = spans[n - 1][0]
        window = tokens[bisect.bisect_left(tok_starts, w_start):
                        bisect.bisect_left(tok_starts, s_end)]
        # candidates: a name strong enough to be contradicted, or a weaker one whose
        # bounds come near the date (integer bounds, before anything is decoded)
        lo = yyyymmdd(written.start) - 20000 if written.start != dates.MIN_YMD else -(1 << 62)
        hi = yyyymmdd(written.end) + 20000 if written.end != dates.MAX_YMD else 1 << 62
        md = None if year_written else (written.start[1] * 100 + written.start[2],
                                        written.end[1] * 100 + written.end[2])
        if md is not None and written.start[0] != written.end[0]:
            md = (101, 1231)
        scores = {i: v for i, v in matcher.score(window, start, end, s_start).items()
                  if v[0] >= min_score or (v[0] >= floor and bounds.near(i, lo, hi, md))}
        summary = {i: v for i, v in matcher.summary_scores(window).items()
                   if v >= floor and bounds.near(i, lo, hi, md)}
        read.append(_Read(start, end, found, written, year_written, n, scores, summary,
                          alt, alt_kind, how, marked))

    by_sentence: dict[int, list[int]] = {}
    for k, r in enumerate(read):
        by_sentence.setdefault(r.sentence, []).append(k)
    agree_memo: dict[tuple[int, int], bool] = {}

    def fits(k: int, i: int) -> bool:
        v = agree_memo.get((k, i))
        if v is None:
            r = read[k]
            v = agree_memo[(k, i)] = agrees_as_written(r.written, event(i).date,
                                                       r.year_written)
        return v

    def governs(k: int, i: int) -> bool:
        """Is event i's name the one nearest before date k, in its sentence and not in
        a parenthesis closed before it?"""
        r = read[k]
        start, n, scores = r.start, r.sentence, r.scores
        _s, a, b, _raw = scores[i]
        if b > start or (spans and a < spans[n][0]):
            return False
        between = pt[b:start]
        if between.count(")") > between.count("(") or "\n\n" in between:
            return False
        return not any(j != i and v[0] >= min_score and b <= v[1] and v[2] <= start
                       for j, v in scores.items())

    def shares(k: int, k2: int, i: int) -> bool:
        """Do dates k and k2 share event i's name, so that k2 fitting it cannot excuse
        k? So when the name stands nearest before k and one of the two is the other's
        continuation, written without a year and next to it ("the Nomonhan Incident
        began in May 1938 and ended in September": both dates are the Incident's). A
        second year written ("in May 1939; in 1941 Japan turned south") is taken for
        another step of the story, and the name stays the date's that fits it; one
        marked O.S. or N.S. restates the first in the other calendar ("on 26 November
        1917; in the Western calendar 7 November 1917 (N.S.)")."""
        later = read[max(k, k2)]
        return abs(k - k2) == 1 and (not later.year_written or later.marked) \
            and governs(k, i)

    # second pass: the verdicts
    claims = []
    for k, r in enumerate(read):
        start, end, found, written, year_written = (r.start, r.end, r.found, r.written,
                                                    r.year_written)
        scores = r.scores
        line, col = plain.position(start)
        claim = Claim(start, end, line, col, found, written, "unmatched",
                      quote=_one_line(found), in_note=plain.in_note(start),
                      calendar=r.calendar,
                      convention=convention if r.calendar == "julian" and not r.marked
                      else None)
        ranked = []
        mislabelled: dict[int, str] = {}
        for i, v in r.summary.items():  # a summary may confirm a date, never contradict it
            if v > scores.get(i, (0.0,))[0] and fits(k, i):
                scores = {**scores, i: (v, start, end, v)}
        for i, (s, a, b, raw) in scores.items():
            e = event(i)
            ok = fits(k, i)
            other = None if ok else _other_match(written, e, year_written)
            if not ok and other is None and r.alt is not None and agrees_as_written(
                    r.alt, e.date, year_written):
                if r.marked:  # "22 January 1905 (O.S.)": the New Style day, marked O.S.
                    mislabelled[i] = r.alt_kind
                elif r.alt_kind == "new-style" and getattr(e, "calendar", "") != "julian":
                    ok = True  # the convention is for Old Style sources; this one is not
                else:
                    other = CalendarHint(r.alt_kind, r.alt)
            if not ok and other is None and _RELATION.search(
                    pt, min(b, end), max(a, start)):
                continue  # "in April 1941, before the Attack on Pearl Harbor": not its date
            if not ok and other is None and any(
                    k2 != k and read[k2].scores.get(i, (0.0,))[0] >= min_score
                    and fits(k2, i) and not shares(k, k2, i) for k2 in by_sentence[r.sentence]):
                continue  # another date of the sentence is this event's, and fits it
            # a date without its year that fits only in another year than the one the
            # scanner took from context gets a head start only for hitting the very day
            # or month of a precise event ("on August 23" for a pact of 23 Aug 1939); "on
            # July 17" in a passage on 1937 does not name a war of 1929 any better
            bonus = (_bonus(written, e.date)
                     if ok and (year_written or agrees(written, e.date)
                                or _width(e.date) <= MOVED_YEAR_WIDTH)
                     else 0.0 if ok
                     else _bonus(written, other.date) / 2 if other is not None else 0.0)
            ranked.append((s + bonus, s, -i, e, ok, other, a, b, raw + bonus))
        if ranked:
            ranked.sort(key=lambda r: r[:3], reverse=True)
            claim.candidates = [(r[3].id, round(r[1], 1), r[4]) for r in ranked[:5]]
            if ranked[0][4]:
                # a better-named event inside the one the date fits is the one meant:
                # "the Kuril invasion opened with the Battle of Shumshu on August 28"
                # is about Shumshu, though the 28th falls within the invasion; of several,
                # the narrowest ("the ceasefire ending the Nomonhan Incident")
                top = ranked[0]
                inner = sorted((r for r in ranked if not r[4] and r[5] is None
                                and r[1] >= min_score and r[1] > top[1]
                                and r[3].date.within(top[3].date)
                                and r[3].date != top[3].date),
                               key=lambda r: (_width(r[3].date), -r[1]))
                if inner:
                    ranked.insert(0, inner[0])
            elif not ranked[0][4] and ranked[0][5] is None:
                # a contradiction is reported against the most specific event named
                # nearly as well: the ceasefire ending the Nomonhan Incident, not the
                # Incident
                top = ranked[0]
                close = [r for r in ranked if not r[4] and r[5] is None
                         and r[1] >= max(min_score, top[1] - CLOSE_NAMES)]
                if close:
                    ranked.insert(0, min(close, key=lambda r: (_width(r[3].date), -r[1])))
            _eff, s, i_neg, e, ok, other, a, b, _raw = ranked[0]
            if ok or other is not None or s >= min_score:
                claim.event, claim.score = e, round(s, 1)
                claim.verdict = ("ok" if ok else "other-date" if other is not None
                                 else "contradiction")
                claim.other = other
                if claim.verdict == "contradiction" and -i_neg in mislabelled:
                    claim.hint = mislabelled[-i_neg]
                # also about: events whose date fits, named well, or named in this
                # sentence however far from the date ("152 skirmishes ..., 113 in 1937")
                claim.events = tuple(dict.fromkeys([e.id] + [
                    r[3].id for r in ranked if r[4] and max(r[0], r[8]) >= min_score]))
                # the name, then the date ("the Pact was signed on August 13"), or the
                # date, then the name ("On July 26, the Potsdam Declaration")
                lo_, hi_ = (a, end) if a < start else (start, b)
                if hi_ - lo_ <= 120 and "\n\n" not in pt[lo_:hi_]:
                    claim.quote = _one_line(pt[lo_:hi_])
        claims.append(claim)
    return claims


def _shown(e: Event, claim: Claim) -> str:
    """The ledger's date in both calendars where either is in play: an Old Style event
    as '9 Jan 1905 OS (22 Jan 1905)', a New Style one compared with an Old Style claim
    as '5 Sep 1905 (23 Aug 1905 OS)'."""
    if getattr(e, "calendar", "") == "julian":
        return e.display("both")
    shown = e.date.display()
    if claim.calendar == "julian" or claim.hint or isinstance(claim.other, CalendarHint):
        from farchron.dates.calendars import julian_label

        old = julian_label(e.date.start, e.date.end)
        if old:
            shown = f"{shown} ({old})"
    return shown


def _expected(e: Event) -> str:
    """The ledger's date for JSON, with its calendar: EDTF as the ledger stores it, and
    ' OS' after a date kept in the Julian calendar (`farchron date` reads it back)."""
    return e.date.text + (" OS" if getattr(e, "calendar", "") == "julian" else "")


_ERA_WORD = re.compile(r"(?i)\b(?:meiji|taish|sh[oō]wa|heisei|reiwa|minguo|min-?kuo)")


def _reading(c: Claim) -> str:
    """How the claim was read, where the draft does not say it in Western digits: by
    the document's convention, or from an era year ("Taishō 5 is 1916") or a phrase
    ("the next day is 18 Apr 1895")."""
    if c.convention is None:
        year = f"{c.date.start[0]:04d}" if c.date.start[0] > 0 else ""
        if ((year and year in c.found) or c.date.start[0] != c.date.end[0]
                or (c.found.isascii() and re.search("[0-9]", c.found)
                    and not _ERA_WORD.search(c.found))):
            return ""  # "July 17": its year is the context's guess, not worth a word
        return f"; {c.found} is {c.date.display()}"
    return (f"; read as Old Style ({c.date.display()}) by the draft's convention "
            f"({c.convention.where})")


def findings(claims: Sequence[Claim], name: str) -> list[Finding]:
    """What is worth reporting: contradictions (error), dates other sources give or the
    other calendar gives (warning) and dated passages that match no event (info)."""
    out = []
    for c in claims:
        e = c.event
        if c.verdict == "contradiction" and e is not None:
            hint = ""
            if c.hint == "new-style":
                hint = (f"; {c.found} is the New Style date marked Old Style: drop the "
                        "marker")
            elif c.hint == "old-style":
                hint = f"; {c.found} is the Old Style date marked New Style: mark it O.S."
            out.append(Finding(
                name, c.line, c.column, "date-contradicts", "error",
                f"'{c.quote}' — the ledger dates {e.id} {_shown(e, c)} ({_evidence(e)})"
                f"{hint or _reading(c)}", e.id, c.found, _expected(e)))
        elif c.verdict == "other-date" and e is not None and isinstance(c.other, CalendarHint):
            if c.other.kind == "old-style":
                what = f"{c.found} matches the Old Style date; mark it O.S."
            else:
                where = f" ({c.convention.where})" if c.convention else ""
                what = (f"{c.found} matches the New Style date, but the draft's dates "
                        f"before {_until(c.convention)} are Old Style{where}; mark it N.S.")
            out.append(Finding(
                name, c.line, c.column, "date-calendar", "warning",
                f"'{c.quote}' — the ledger dates {e.id} {_shown(e, c)} ({_evidence(e)}); "
                + what, e.id, c.found, _expected(e)))
        elif c.verdict == "other-date" and e is not None:
            out.append(Finding(
                name, c.line, c.column, "date-other-source", "warning",
                f"'{c.quote}' — the ledger dates {e.id} {_shown(e, c)} "
                f"({_evidence(e)}); {c.found} matches the date other sources give "
                f"({_other_label(c.other)})", e.id, c.found, _expected(e)))
        elif c.verdict == "unmatched" and not c.in_note:
            out.append(Finding(
                name, c.line, c.column, "no-event", "info",
                f"'{c.quote}' matches no event; to record it: farchron add event "
                f"--title TITLE --date {shlex.quote(c.date.text)} --cite SOURCE",
                None, c.found, None))
    return out


def _until(c: Convention | None) -> str:
    return dates.parse(dates.iso(c.until)).display() if c else "14 Feb 1918"


def audit_text(text: str, name: str, events: Sequence[Event], index: SearchIndex | None,
               scanner: Scanner, *, markdown: bool = True, min_score: float = 70.0,
               matcher: Matcher | None = None, calendar: str | None = None,
               until: dates.YMD | None = None) -> tuple[list[Claim], list[Finding]]:
    """Claims read from one draft, and the findings to report about it."""
    claims = read_claims(text, events, index, scanner, markdown=markdown,
                         min_score=min_score, matcher=matcher, calendar=calendar,
                         until=until)
    return claims, findings(claims, name)


def cached_matcher(ledger: Ledger, index: SearchIndex | Callable[[], SearchIndex],
                   use_cache: bool = True) -> Matcher:
    """The Matcher of the ledger's events, kept in the cache beside the ledger as flat
    sections that a warm run maps (no unmarshalling of the whole). `index` may be a
    callable: the search index is then built or loaded only when the matcher is."""
    def build() -> Matcher:
        return Matcher(index() if callable(index) else index)

    if not use_cache:
        return build()
    from farchron.store.cache import cached_sections

    def decode(st: Any, _events: Any) -> Matcher:
        arrays = {name: st.array(name, code) for name, code in Matcher.ARRAYS}
        return Matcher.from_sections(st.strings("words"), st.strings("vocab"), arrays)

    return cached_sections(ledger, MATCHER_LAYOUT, MATCHER_LAYOUT, "cached audit matcher",
                           build, lambda m: m.to_sections(), decode)


#: The cached matcher's file suffix and layout name (bump it when the layout changes).
MATCHER_LAYOUT = "audit-matcher-3"
