"""Selecting events: a period on the time axis and the --tag/--actor/--place filters.

Shared by timeline, search, cite and the charts so they agree on what "in 1939" means.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from farchron.dates import edtf as dates
from farchron.frozen import Frozen
from farchron.model.records import Event, Ledger
from farchron.text import fold

if TYPE_CHECKING:
    from farchron.query.search import Hit, SearchIndex


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
            p = parse_when(period)
            start, end = p.start, p.end
        if date_from:
            start = max(start, parse_when(date_from).start)
        if date_to:
            end = min(end, parse_when(date_to).end)
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


def parse_when(text: str) -> dates.Date:
    """A PERIOD or --from/--to DATE: EDTF (and 216BC, 1939..1941) first; only when that fails
    the dates people write ("summer 1945", "23 Aug 1939", "Shōwa 14", "20 Dec 1904 OS"),
    whose parser is imported then, so plain EDTF never loads it. Bounds are Gregorian.
    """
    try:
        return dates.parse_period(text)
    except dates.DateError:
        if len(text.strip()) > dates.MAX_DATE_CHARS:  # no written date is that long either
            raise
        from farchron.dates.written import parse_human

        return parse_human(text).date()



def _any_match(wanted: Sequence[str], values: Iterable[str], substring: bool) -> bool:
    have = [fold(v) for v in values]
    for w in wanted:
        for h in have:
            if (w in h) if substring else (w == h):
                return True
    return False


def select(events: Iterable[Event], period: Period | None = None, *,
           tags: Sequence[str] = (), actors: Sequence[str] = (), places: Sequence[str] = (),
           within: bool = False, exclude_tags: Sequence[str] = (),
           ids: Collection[str] | None = None) -> list[Event]:
    """Events in the period that carry any of the tags, actors and places asked for,
    none of `exclude_tags`, and (if given) an id among `ids`.

    Tags match exactly; actors and places match a part of the name ("Zhukov"
    finds "Georgy Zhukov"). Order is kept (the ledger is chronological).
    """
    if exclude_tags or ids is not None:
        ex = [fold(t) for t in exclude_tags]
        return [e for e in select(events, period, tags=tags, actors=actors, places=places,
                                  within=within)
                if (ids is None or e.id in ids) and not _any_match(ex, e.tags, False)]
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


def narrow(p: Period, when: Sequence[str]) -> Period | None:
    """p within the span of the dates a query names ("1939"); None if they are no dates
    (split_dates also takes "1939-13") or their span misses p."""
    try:
        spans = [dates.parse_period(w) for w in when]
    except dates.DateError:
        return None
    start = max(p.start, min(d.start for d in spans))
    end = min(p.end, max(d.end for d in spans))
    return Period(start, end) if start <= end else None


def search_events(ledger: Ledger, index: SearchIndex, query: str, period: Period | None = None,
                  *, tags: Sequence[str] = (), actors: Sequence[str] = (),
                  places: Sequence[str] = (), limit: int | None = 20,
                  min_score: float = 70.0) -> list[tuple[Event, Hit]]:
    """(event, hit) pairs, best first, for QUERY within the period and filters asked for.

    `index` is the SearchIndex of `ledger.events` (search.event_index gives the cached
    one). Events outside the period are filtered by id, so a lazily loaded ledger never
    decodes them.
    """
    from farchron.query.search import split_dates

    events = ledger.events
    allowed = keep = None
    words, when = split_dates(query)
    if when and words:  # "Nomonhan 1939": the year narrows the period, unless it is empty
        narrowed = narrow(period or Period(), when)
        if narrowed is not None:
            kept = select(events, narrowed, tags=tags, actors=actors, places=places)
            if kept:
                query, keep = words, {e.id for e in kept}
    if keep is None and (tags or actors or places
                         or (period is not None and not period.is_all)):
        keep = {e.id for e in select(events, period, tags=tags, actors=actors, places=places)}
    if keep is not None:
        allowed = {i for i, eid in enumerate(index.ids) if eid in keep}
    hits = index.search(query, limit, min_score, only=allowed)
    return [(events[h.index], h) for h in hits]


def cited_by(ledger: Ledger) -> tuple[dict[int, list[str]], dict[str, list[str]]]:
    """Which events cite each note, and each work (directly or through a note), in
    ledger order: the reverse of the citations, for `notes`, `sources` and `timeline
    --note/--source`."""
    by_note: dict[int, list[str]] = {}
    by_source: dict[str, list[str]] = {}
    note_works = {n.number: [c.source for c in n.citations if c.source]
                  for n in ledger.notes.values()}
    for e in ledger.events:
        works: list[str] = []
        for c in e.citations:
            if c.note is not None:
                by_note.setdefault(c.note, []).append(e.id)
                works += note_works.get(c.note, [])
            if c.source:
                works.append(c.source)
        for w in dict.fromkeys(works):
            by_source.setdefault(w, []).append(e.id)
    return by_note, by_source


def ledger_span(ledger: Ledger) -> str:
    """The years the ledger covers, as people write them: "216 BC–1946"."""
    span = dates.extent(e.date for e in ledger.events)
    if span is None:
        return "nothing"
    lo, hi = dates.year_label(span[0][0]), dates.year_label(span[1][0])
    return lo if lo == hi else f"{lo}–{hi}"
