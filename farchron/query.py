"""Selecting events: a period on the time axis and the --tag/--actor/--place filters.

Shared by timeline, search, cite and the charts so they agree on what "in 1939" means.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from farchron import dates
from farchron.frozen import Frozen
from farchron.model import Event, Ledger

if TYPE_CHECKING:
    from farchron.search import Hit, SearchIndex


class Period(Frozen):
    """A closed range of days; either end may be open (the MIN/MAX sentinels)."""

    __slots__ = ("end", "start")
    _fields = ("start", "end")
    __match_args__ = ("start", "end")

    start: dates.YMD
    end: dates.YMD

    def __init__(self, start: dates.YMD = dates.MIN_YMD, end: dates.YMD = dates.MAX_YMD
                 ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def build(cls, period: str | None = None, date_from: str | None = None,
              date_to: str | None = None) -> Period:
        """PERIOD intersected with --from (its first day) and --to (its last day).

        Raises dates.DateError for a bad date or an empty range.
        """
        start, end = dates.MIN_YMD, dates.MAX_YMD
        if period:
            p = dates.parse_period(period)
            start, end = p.start, p.end
        if date_from:
            start = max(start, dates.parse_bound(date_from, end=False))
        if date_to:
            end = min(end, dates.parse_bound(date_to, end=True))
        if start > end:
            raise dates.DateError(
                f"the period is empty: it starts on {dates.iso(start)} "
                f"and ends on {dates.iso(end)}")
        return cls(start, end)

    @property
    def is_all(self) -> bool:
        return self.start == dates.MIN_YMD and self.end == dates.MAX_YMD

    def admits(self, d: dates.Date, within: bool = False) -> bool:
        if within:
            return self.start <= d.start and d.end <= self.end
        return d.start <= self.end and self.start <= d.end


def fold(text: str) -> str:
    """Case- and accent-insensitive key for the exact-name filters (Tōgō = togo)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _any_match(wanted: Sequence[str], values: Iterable[str], substring: bool) -> bool:
    have = [fold(v) for v in values]
    for w in wanted:
        for h in have:
            if (w in h) if substring else (w == h):
                return True
    return False


def select(events: Iterable[Event], period: Period | None = None, *,
           tags: Sequence[str] = (), actors: Sequence[str] = (), places: Sequence[str] = (),
           within: bool = False) -> list[Event]:
    """Events in the period that carry any of the tags, actors and places asked for.

    Tags match exactly; actors and places match a part of the name ("Zhukov"
    finds "Georgy Zhukov"). Order is kept (the ledger is chronological).
    """
    tags_f = [fold(t) for t in tags]
    actors_f = [fold(a) for a in actors]
    places_f = [fold(p) for p in places]
    out = []
    check_period = period is not None and not (period.is_all and not within)
    if check_period and hasattr(events, "candidates"):  # a cached ledger's index: skip
        events = events.candidates(period.start, period.end, within)  # type: ignore
    for e in events:
        if check_period and not period.admits(e.date, within):  # type: ignore[union-attr]
            continue
        if tags_f and not _any_match(tags_f, e.tags, substring=False):
            continue
        if actors_f and not _any_match(actors_f, e.actors, substring=True):
            continue
        if places_f and not _any_match(places_f, e.places, substring=True):
            continue
        out.append(e)
    return out


def search_events(ledger: Ledger, index: SearchIndex, query: str, period: Period | None = None,
                  *, tags: Sequence[str] = (), limit: int | None = 20,
                  min_score: float = 70.0) -> list[tuple[Event, Hit]]:
    """(event, hit) pairs, best first, for QUERY within the period and tags asked for.

    `index` is the SearchIndex of `ledger.events` (search.event_index gives the cached
    one). Events outside the period are filtered by id, so a lazily loaded ledger never
    decodes them.
    """
    events = ledger.events
    allowed = keep = None
    if tags or (period is not None and not period.is_all):
        keep = {e.id for e in select(events, period, tags=tags)}
    if keep is not None:
        allowed = {i for i, eid in enumerate(index.ids) if eid in keep}
    hits = index.search(query, limit, min_score, only=allowed)
    return [(events[h.index], h) for h in hits]
