"""The ledger's value classes, and the one storage row of an event.

Everything a command reads is one of these immutable values: Event, Citation, Source,
Note, the Ledger holding them, and Problem (a finding about a data file). They import
nothing heavy and nothing of the CLI, so the core stays a library.

`event_row` / `event_from_row` are the only place an event's storage tuple is spelt
out: the cache stores it and the chunked parser's workers send it. Adding a field to
Event means adding it to `_fields`, `__init__`, and these two functions
(tests/test_layout.py checks they agree).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farchron.frozen import Frozen, FrozenInstanceError

if TYPE_CHECKING:
    from farchron import dates

__all__ = [
    "Citation", "Event", "Frozen", "FrozenInstanceError", "Ledger", "Note", "Problem",
    "Source", "citation_from_row", "citation_row", "event_from_row", "event_row",
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


class Event(Frozen):
    """One dated happening of the ledger."""

    __slots__ = ("actors", "aliases", "citations", "date", "id", "places", "summary", "tags",
                 "title")
    _fields = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
               "citations")
    __match_args__ = ("id", "title", "date", "summary", "aliases", "tags", "actors", "places",
                      "citations")

    id: str
    title: str
    date: dates.Date
    summary: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    actors: tuple[str, ...]
    places: tuple[str, ...]
    citations: tuple[Citation, ...]

    def __init__(self, id: str, title: str, date: dates.Date, summary: str = "",
                 aliases: tuple[str, ...] = (), tags: tuple[str, ...] = (),
                 actors: tuple[str, ...] = (), places: tuple[str, ...] = (),
                 citations: tuple[Citation, ...] = ()) -> None:
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

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.date.start, self.date.end, self.id)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape; open interval ends are null."""
        d = self.date
        return {
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
        }


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

    __slots__ = ("citations", "number", "text")
    _fields = ("number", "text", "citations")
    __match_args__ = ("number", "text", "citations")

    number: int
    text: str
    citations: tuple[Citation, ...]

    def __init__(self, number: int, text: str, citations: tuple[Citation, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "number", number)
        _set(self, "text", text)
        _set(self, "citations", citations)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "citations": [{"source": c.source, "pages": c.pages} for c in self.citations],
            "text": self.text,
        }


class Ledger(Frozen):
    """The whole validated ledger; events are kept in chronological order.

    `events` is a tuple, or for a ledger loaded from the cache a lazy sequence
    (farchron.cache.EventSeq) that decodes events as they are read.
    """

    __slots__ = ("data_dir", "events", "notes", "sources", "warnings")
    _fields = ("events", "sources", "notes", "data_dir", "warnings")
    __match_args__ = ("events", "sources", "notes", "data_dir", "warnings")

    events: tuple[Event, ...]
    sources: Mapping[str, Source]
    notes: Mapping[int, Note]
    data_dir: Path
    warnings: tuple[Problem, ...]

    def __init__(self, events: tuple[Event, ...], sources: Mapping[str, Source],
                 notes: Mapping[int, Note], data_dir: Path,
                 warnings: tuple[Problem, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "events", events)
        _set(self, "sources", sources)
        _set(self, "notes", notes)
        _set(self, "data_dir", data_dir)
        _set(self, "warnings", warnings)

    def event(self, event_id: str) -> Event | None:
        for e in self.events:
            if e.id == event_id:
                return e
        return None


class Problem(Frozen):
    """One finding about a data file, positioned as precisely as we can."""

    __slots__ = ("code", "column", "file", "line", "message", "severity")
    _fields = ("file", "line", "column", "code", "message", "severity")
    __match_args__ = ("file", "line", "column", "code", "message", "severity")

    file: str
    line: int | None
    column: int | None
    code: str
    message: str
    severity: str  # "error" or "warning"

    def __init__(self, file: str, line: int | None, column: int | None, code: str,
                 message: str, severity: str = "error") -> None:
        _set = object.__setattr__
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "code", code)
        _set(self, "message", message)
        _set(self, "severity", severity)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


# --------------------------------------------------------------------------- storage rows

#: One citation as stored: (source, note, pages, section), Citation's fields in order.
CitationRow = tuple[str | None, int | None, str | None, str | None]
#: One event as stored: id, title, date text, start, end, summary, aliases, tags, actors,
#: places, citation rows. Only plain tuples, str and int: marshal writes and reads it.
EventRow = tuple[Any, ...]


def citation_row(c: Citation) -> CitationRow:
    return (c.source, c.note, c.pages, c.section)


def citation_from_row(row: tuple[Any, ...]) -> Citation:
    return Citation(*row)


def event_row(e: Event) -> EventRow:
    """The event as a tuple of plain values (the date as its text and its two bounds)."""
    d = e.date
    return (e.id, e.title, d.text, d.start, d.end, e.summary, e.aliases, e.tags, e.actors,
            e.places, tuple((c.source, c.note, c.pages, c.section) for c in e.citations))


def event_from_row(row: tuple[Any, ...],
                   date_memo: dict[tuple[Any, ...], dates.Date] | None = None,
                   citation_memo: dict[tuple[Any, ...], Citation] | None = None) -> Event:
    """The Event back from event_row's tuple.

    The memos, when given, let equal dates and citations share one object across many
    events (a million events repeat most of them): less memory and less time.
    """
    (eid, title, text, start, end, summary, aliases, tags, actors, places, cits) = row
    key = (text, start, end)
    d = None if date_memo is None else date_memo.get(key)
    if d is None:
        d = _restore(text, start, end)
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
    return Event(eid, title, d, summary, aliases, tags, actors, places, cs)


def _restore(text: str, start: Any, end: Any) -> dates.Date:
    # Imported at call time: dates imports frozen, and model must stay importable first.
    from farchron.dates import restore

    return restore(text, start, end)
