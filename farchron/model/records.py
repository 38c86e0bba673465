"""The ledger's value classes, and the one storage row of an event.

Everything a command reads is one of these immutable values: Event, Citation, Source,
Note, the Ledger holding them (Problem, a finding about a data file, is in errors.py). They import
nothing heavy and nothing of the CLI, so the core stays a library.

`event_row` / `event_from_row` are the only place an event's storage tuple is spelt
out: the cache stores it and the chunked parser's workers send it. Adding a field to
Event means adding it to `_fields`, `__init__`, and these two functions
(tests/architecture/test_startup_imports.py checks they agree).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from farchron.dates.names import GREGORIAN, JULIAN
from farchron.errors import Problem
from farchron.frozen import Frozen, FrozenInstanceError

if TYPE_CHECKING:
    from pathlib import Path

    from farchron.dates import edtf as dates

__all__ = [
    "Citation", "Event", "Frozen", "FrozenInstanceError", "Ledger", "Note", "OtherDate",
    "Problem", "Source", "citation_from_row", "citation_row", "event_from_row", "event_row",
]


# Plain frozen classes rather than @dataclass(frozen=True, slots=True): a dataclass
# compiles its methods at import, ~1 ms a class on every run (see farchron/frozen.py).


class Citation(Frozen):
    """A pointer from an event or note to the evidence: a note, or a work and a locator."""

    __slots__ = ("note", "pages", "section", "source")
    _fields = ("source", "note", "pages", "section")
    __match_args__ = ("source", "note", "pages", "section")

    source: str | None
    note: int | None
    pages: str | None
    section: str | None

    def __init__(self, source: str | None = None, note: int | None = None,
                 pages: str | None = None, section: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "source", source)
        _set(self, "note", note)
        _set(self, "pages", pages)
        _set(self, "section", section)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "pages": self.pages, "note": self.note}
        if self.section is not None:
            out["section"] = self.section
        return out


class OtherDate(Frozen):
    """A date other sources give for an event, with its evidence: a citation, or a basis
    ("commonly given") where the evidence is the consensus rather than one work."""

    __slots__ = ("basis", "calendar", "citation", "date")
    _fields = ("date", "citation", "basis", "calendar")
    __match_args__ = ("date", "citation", "basis", "calendar")

    date: dates.Date
    citation: Citation | None
    basis: str | None
    calendar: str | None  # as the source prints it ("julian"); bounds are Gregorian

    def __init__(self, date: dates.Date, citation: Citation | None = None,
                 basis: str | None = None, calendar: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "date", date)
        _set(self, "citation", citation)
        _set(self, "basis", basis)
        _set(self, "calendar", calendar)

    @property
    def evidence(self) -> str:
        """How it is supported, short: "commonly given", "note 12", "hata-2014 p. 347"."""
        c = self.citation
        if self.basis:
            return self.basis
        if c is None:
            return ""
        if c.note is not None:
            return f"note {c.note}"
        return f"{c.source} p. {c.pages}" if c.pages else str(c.source)

    def to_json(self) -> dict[str, Any]:
        d = self.date
        c = self.citation
        return {"date": d.text, "start": d.start_iso or None, "end": d.end_iso or None,
                "source": c.source if c else None, "pages": c.pages if c else None,
                "note": c.note if c else None, "basis": self.basis,
                "calendar": self.calendar}


class Event(Frozen):
    """One dated happening of the ledger."""

    __slots__ = ("actors", "aliases", "calendar", "citations", "date", "date_as_printed", "id",
                 "other_dates", "part_of", "places", "summary", "tags", "title")
    _fields = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
               "citations", "calendar", "date_as_printed", "part_of", "other_dates")
    __match_args__ = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
                      "citations", "calendar", "date_as_printed", "part_of", "other_dates")

    id: str
    title: str
    date: dates.Date
    summary: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    actors: tuple[str, ...]
    places: tuple[str, ...]
    citations: tuple[Citation, ...]
    #: "julian": `date` is as the source prints it (Old Style) and its bounds are the
    #: Gregorian days; "gregorian" said explicitly; "" not said (Gregorian).
    calendar: str
    #: the date exactly as the source prints it ("20 декабря 1904 г."), "" if not given
    date_as_printed: str
    part_of: str | None              # the id of the larger event this one is part of
    other_dates: tuple[OtherDate, ...]

    def __init__(self, id: str, title: str, date: dates.Date, summary: str = "",
                 aliases: tuple[str, ...] = (), tags: tuple[str, ...] = (),
                 actors: tuple[str, ...] = (), places: tuple[str, ...] = (),
                 citations: tuple[Citation, ...] = (), calendar: str = "",
                 date_as_printed: str = "", part_of: str | None = None,
                 other_dates: tuple[OtherDate, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "date", date)
        _set(self, "summary", summary)
        _set(self, "aliases", aliases)
        _set(self, "tags", tags)
        _set(self, "actors", actors)
        _set(self, "places", places)
        _set(self, "citations", citations)
        _set(self, "calendar", calendar)
        _set(self, "date_as_printed", date_as_printed)
        _set(self, "part_of", part_of)
        _set(self, "other_dates", other_dates)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.date.start, self.date.end, self.id)

    def display(self, calendar: str = "both") -> str:
        """The date for people: an Old Style one with its Gregorian day by default ('20 Dec
        1904 OS (2 Jan 1905)'); calendar "gregorian" or "julian" shows just that one."""
        d = self.date
        if self.calendar == JULIAN or calendar == JULIAN:
            from farchron.dates.calendars import display_in

            return display_in(d.text, d.start, d.end, calendar, self.calendar or GREGORIAN)
        return d.display()

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape; open interval ends are null; "part-of" and
        "other-dates" only on events that have them."""
        d = self.date
        out = {
            "id": self.id,
            "title": self.title,
            "date": d.text,
            "start": d.start_iso or None,
            "end": d.end_iso or None,
            "summary": self.summary,
            "aliases": list(self.aliases),
            "tags": list(self.tags),
            "actors": list(self.actors),
            "places": list(self.places),
            "citations": [c.to_json() for c in self.citations],
            **({"calendar": self.calendar} if self.calendar else {}),
            **({"date-as-printed": self.date_as_printed} if self.date_as_printed else {}),
        }
        # only when set: the shape of every other event stays as it was
        if self.part_of is not None:
            out["part-of"] = self.part_of
        if self.other_dates:
            out["other-dates"] = [o.to_json() for o in self.other_dates]
        return out


class Source(Frozen):
    """One bibliographic work; `fields` keeps every field as written, for the exporters.

    Equal and hashed by id, type, title, authors and issued (not `fields`).
    """

    __slots__ = ("authors", "fields", "id", "issued", "title", "type")
    _fields = ("id", "type", "title", "authors", "issued")
    _init_args = (*_fields, "fields")
    __match_args__ = ("id", "type", "title", "authors", "issued", "fields")

    id: str
    type: str
    title: str
    authors: tuple[str, ...]
    issued: str | None
    fields: Mapping[str, Any]

    def __init__(self, id: str, type: str, title: str,
                 authors: tuple[str, ...] = (), issued: str | None = None,
                 fields: Mapping[str, Any] | None = None) -> None:
        _set = object.__setattr__
        _set(self, "id", id)
        _set(self, "type", type)
        _set(self, "title", title)
        _set(self, "authors", authors)
        _set(self, "issued", issued)
        _set(self, "fields", {} if fields is None else fields)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "type": self.type, "title": self.title,
            "authors": list(self.authors), "issued": self.issued,
        }
        for k, v in self.fields.items():
            if k not in out:
                out[k] = list(v) if isinstance(v, tuple) else v
        return out


class Note(Frozen):
    """One numbered note of the paper, as printed, resolved to its works."""

    __slots__ = ("citations", "date_as_printed", "number", "text")
    _fields = ("number", "text", "citations", "date_as_printed")
    __match_args__ = ("number", "text", "citations", "date_as_printed")

    number: int
    text: str
    citations: tuple[Citation, ...]
    date_as_printed: str  # the date the note prints, as printed; "" if not given

    def __init__(self, number: int, text: str, citations: tuple[Citation, ...] = (),
                 date_as_printed: str = "") -> None:
        _set = object.__setattr__
        _set(self, "number", number)
        _set(self, "text", text)
        _set(self, "citations", citations)
        _set(self, "date_as_printed", date_as_printed)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "number": self.number,
            "citations": [{"source": c.source, "pages": c.pages} for c in self.citations],
            "text": self.text,
        }
        if self.date_as_printed:
            out["date-as-printed"] = self.date_as_printed
        return out


class Ledger(Frozen):
    """The whole validated ledger; events are kept in chronological order.

    `events` is a tuple, or for a ledger loaded from the cache a lazy sequence
    (farchron.store.cache.Events) that decodes events as they are read.
    """

    __slots__ = ("_dir", "events", "notes", "sources", "warnings")
    _fields = ("events", "sources", "notes", "data_dir", "warnings")
    __match_args__ = ("events", "sources", "notes", "data_dir", "warnings")

    events: tuple[Event, ...]
    sources: Mapping[str, Source]
    notes: Mapping[int, Note]
    warnings: tuple[Problem, ...]
    _dir: str | os.PathLike[str]

    def __init__(self, events: tuple[Event, ...], sources: Mapping[str, Source],
                 notes: Mapping[int, Note], data_dir: str | os.PathLike[str],
                 warnings: tuple[Problem, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "events", events)
        _set(self, "sources", sources)
        _set(self, "notes", notes)
        _set(self, "_dir", data_dir)
        _set(self, "warnings", warnings)

    @property
    def data_dir(self) -> Path:
        """The ledger's folder. Kept as given (a warm run passes a str) and made a Path
        when asked: pathlib costs ~3 ms of a warm run's start-up (issue 28)."""
        from pathlib import Path

        return Path(self._dir)

    def event(self, event_id: str) -> Event | None:
        find = getattr(self.events, "find", None)
        if find is not None:  # a cached ledger: by its id list, decoding one event
            return find(event_id)
        for e in self.events:
            if e.id == event_id:
                return e
        return None

    def parts_of(self, event_id: str) -> list[Event]:
        """The events that are part of `event_id`, in ledger order."""
        find = getattr(self.events, "parts_of", None)
        if find is not None:  # a cached ledger: by its part-of list, decoding only those
            return list(find(event_id))
        return [e for e in self.events if e.part_of == event_id]


# --------------------------------------------------------------------------- storage rows

#: One citation as stored: (source, note, pages, section), Citation's fields in order.
CitationRow = tuple[str | None, int | None, str | None, str | None]
#: One event as stored: id, title, date text, start, end, summary, aliases, tags, actors,
#: places, citation rows, calendar, date as printed, part-of, other-dates rows (date text,
#: start, end, citation row or None, basis, calendar). Only plain tuples, str and int:
#: marshal writes and reads it.
EventRow = tuple[Any, ...]


def citation_row(c: Citation) -> CitationRow:
    return (c.source, c.note, c.pages, c.section)


def citation_from_row(row: tuple[Any, ...]) -> Citation:
    return Citation(*row)


def event_row(e: Event) -> EventRow:
    """The event as a tuple of plain values (the date as its text and its two bounds)."""
    d = e.date
    return (e.id, e.title, d.text, d.start, d.end, e.summary, e.aliases, e.tags, e.actors,
            e.places, tuple((c.source, c.note, c.pages, c.section) for c in e.citations),
            e.calendar, e.date_as_printed, e.part_of, tuple(
                (o.date.text, o.date.start, o.date.end,
                 None if o.citation is None else citation_row(o.citation), o.basis,
                 o.calendar) for o in e.other_dates))


def event_from_row(row: tuple[Any, ...],
                   date_memo: dict[tuple[Any, ...], dates.Date] | None = None,
                   citation_memo: dict[tuple[Any, ...], Citation] | None = None) -> Event:
    """The Event back from event_row's tuple.

    The memos, when given, let equal dates and citations share one object across many
    events (a million events repeat most of them): less memory and less time.
    """
    (eid, title, text, start, end, summary, aliases, tags, actors, places, cits, calendar,
     printed, part_of, others) = row
    key = (text, start, end)
    d = None if date_memo is None else date_memo.get(key)
    if d is None:
        d = _restore(text, start, end, calendar)
        if date_memo is not None:
            date_memo[key] = d
    if citation_memo is None:
        cs = tuple(Citation(*c) for c in cits)
    else:
        out = []
        for c in cits:
            cit = citation_memo.get(c)
            if cit is None:
                cit = citation_memo[c] = Citation(*c)
            out.append(cit)
        cs = tuple(out)
    return Event(eid, title, d, summary, aliases, tags, actors, places, cs, calendar, printed,
                 part_of,
                 tuple(OtherDate(_restore(ot, os, oe), None if oc is None else Citation(*oc),
                                 ob, ocal) for ot, os, oe, oc, ob, ocal in others)
                 if others else ())


def _restore(text: str, start: Any, end: Any, calendar: str = "") -> dates.Date:
    # Imported at call time: dates imports frozen, and model must stay importable first.
    if calendar == JULIAN:  # its display and geometry are those of the Gregorian days
        from farchron.dates.calendars import julian_date

        return julian_date(text)
    from farchron.dates.edtf import restore

    return restore(text, start, end)


def era_of(e: Event, era: str) -> str:
    """'Shōwa 14' (era="japanese"), 'Minguo 28', 'Guangxu 21' ("chinese"), '15 Nisan 5705'
    ("hebrew"): an event's date in a calendar of the registry; '' if none."""
    from farchron.dates.calendars import era_label
    from farchron.dates.edtf import MAX_YMD, MIN_YMD

    s, end = e.date.start, e.date.end
    return "" if s == MIN_YMD or end == MAX_YMD else era_label(era, s, end)
