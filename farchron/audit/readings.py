"""How a date of a draft reads in each calendar, and which events' bounds come near it.

A date marked O.S. is read in the Julian calendar, one marked N.S. in the Gregorian; an
unmarked one by the document's convention (`Convention`), with the same numbers in the
other calendar kept as a second reading: a date that fits an event only so is a warning
(mark it), never an error. `Bounds` keeps or drops a candidate event by the store's
integer bounds before it is decoded. Pure: no click, no rich.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from farchron.dates import edtf as dates

if TYPE_CHECKING:
    from farchron.audit.document import Convention
    from farchron.model.records import Event


@dataclass(frozen=True, slots=True)
class CalendarHint:
    """A written date that fits the event only in the other calendar: the Old Style day
    written unmarked ("Nicholas II abdicated on 2 March" with no convention), or the New
    Style day where the document's convention says Old Style."""

    kind: str               # "old-style" or "new-style": the calendar that fits
    date: dates.Date        # the written date in that calendar (Gregorian bounds)


#: A New Style marker (the scanner reads O.S. itself; N.S. only says Gregorian).
_NEW_STYLE = re.compile(r"N\.\s?S\.|\bNS\b|New Style")
#: The Julian calendar's last day in Russia, the usual reason an unmarked date may be
#: Old Style, and the first day anyone used the Gregorian one.
_JULIAN_ENDS = (1918, 2, 13)
_GREGORIAN_BEGINS = (1582, 10, 15)


def _julian_reading(edtf: str) -> dates.Date | None:
    """The Gregorian bounds of an EDTF date read as Old Style; None if it has no month
    (a year is the same in both, give or take a fortnight) or cannot be read so."""
    m = re.match(r"-?[0-9]{4}-([0-9]{2})", edtf)
    if not m or int(m.group(1)) > 12:
        return None
    from farchron.dates.calendars import julian_edtf_to_gregorian

    try:
        return dates.parse(julian_edtf_to_gregorian(edtf))
    except (dates.DateError, ValueError):
        return None


def readings(found: str, result: Any, convention: Convention | None
              ) -> tuple[dates.Date, dates.Date | None, str, str, bool] | None:
    """(the date as read, the same numbers in the other calendar or None, which calendar
    that other reading is ("old-style"/"new-style"), how the date was read ("gregorian" /
    "julian"), whether a marker (O.S., N.S.) says so) of one scanner result."""
    edtf = getattr(result, "edtf", "") or ""
    greg = getattr(result, "gregorian", "") or edtf
    if not greg:
        return None
    try:
        as_greg = dates.parse(greg)
        printed = dates.parse(edtf) if edtf and edtf != greg else as_greg
    except dates.DateError:
        return None
    if getattr(result, "calendar", "") == "julian":  # marked O.S.: read so
        return as_greg, printed, "new-style", "julian", True
    marked_ns = bool(_NEW_STYLE.search(found))
    if marked_ns:
        return as_greg, _julian_reading(greg), "old-style", "gregorian", True
    if convention is not None and convention.applies(as_greg.start):
        jul = _julian_reading(greg)
        if jul is not None:
            return jul, as_greg, "new-style", "julian", False
        return as_greg, None, "", "gregorian", False
    alt = (_julian_reading(greg) if _GREGORIAN_BEGINS <= as_greg.start <= _JULIAN_ENDS
           else None)
    return as_greg, alt, "old-style", "gregorian", False


class Bounds:
    """Every event's bounds as integers (the store's YYYYMMDD day numbers), so that a
    candidate is kept or dropped by its date before it is decoded or compared."""

    def __init__(self, events: Sequence[Event]) -> None:
        got = getattr(events, "bounds", None)
        if callable(got):
            self.starts, self.ends = got()
        else:
            self.starts = [yyyymmdd(e.date.start) for e in events]
            self.ends = [yyyymmdd(e.date.end) for e in events]

    def near(self, i: int, lo: int, hi: int, md: tuple[int, int] | None) -> bool:
        """Could event i's date agree with a claim spanning lo..hi (widened already)?
        A claim without its year written (md = its month-day bounds) may fit any year
        of the event."""
        s, e = self.starts[i], self.ends[i]
        if s <= hi and lo <= e:
            return True
        if md is None:
            return False
        if e - s >= 10000:
            return True
        for y in {s // 10000, e // 10000}:
            if y * 10000 + md[0] - 200 <= e and s <= y * 10000 + md[1] + 200:
                return True
        return False


def yyyymmdd(ymd: dates.YMD) -> int:
    return ymd[0] * 10000 + ymd[1] * 100 + ymd[2]


