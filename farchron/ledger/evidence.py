"""Evidence beyond one date: `part-of` links between events, and the `other-dates` that
other sources give for an event, each with its own evidence.

validate.py calls in here for both of its paths: `other_dates_fast` accepts only what
`other_dates_checked` passes in silence (keep the two in step, as valid_event and the
Checker), and `check_parts` looks at the whole ledger once every event is built:
an unknown whole or a cycle is an error, a part outside its whole a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from farchron.dates import edtf as dates
from farchron.dates.names import JULIAN
from farchron.errors import Problem
from farchron.model.fields import CALENDARS, OTHER_DATE_FIELDS
from farchron.model.records import Citation, Event, OtherDate

if TYPE_CHECKING:
    from farchron.ledger.checker import Checker
    from farchron.ledger.locate import Locator

_OTHER_KEYS = frozenset(OTHER_DATE_FIELDS)


# --------------------------------------------------------------------------- calendars

def julian(d: dates.Date) -> dates.Date:
    """A date written in the Julian calendar, with Gregorian bounds (its text unchanged)."""
    from farchron.dates.calendars import julian_edtf_bounds

    start, end = julian_edtf_bounds(d.text)
    return dates.restore(d.text, start, end)


# --------------------------------------------------------------------------- other-dates

def _date(text: str, calendar: str | None) -> dates.Date:
    d = dates.parse(text)
    return julian(d) if calendar == JULIAN else d


def other_dates_fast(raw: Any, memo: dict[tuple[Any, ...], Citation]
                     ) -> tuple[OtherDate, ...] | None:
    """The other-dates of a record when every entry is plainly right, else None."""
    if raw is None:
        return ()
    if type(raw) is not list:
        return None
    out = []
    for o in raw:
        if type(o) is not dict or not o.keys() <= _OTHER_KEYS:
            return None
        text, basis, calendar = o.get("date"), o.get("basis"), o.get("calendar")
        ckey = (o.get("source"), o.get("note"), o.get("pages"), o.get("section"))
        source, note, pages, section = ckey
        if (type(text) is not str
                or (source is not None and type(source) is not str)
                or (note is not None and type(note) is not int)
                or (pages is not None and type(pages) is not str)
                or (section is not None and type(section) is not str)
                or (basis is not None and (type(basis) is not str or not basis.strip()))
                or (calendar is not None and calendar not in CALENDARS)
                or (source is None and note is None and basis is None)
                or (source is None and note is None and (pages or section))):
            return None
        try:
            d = _date(text, calendar)
        except dates.DateError:
            return None
        cit = None
        if source is not None or note is not None:
            cit = memo.get(ckey)
            if cit is None:
                cit = memo[ckey] = Citation(source, note, pages, section)
        out.append(OtherDate(d, cit, basis, calendar))
    return tuple(out)


def other_dates_checked(chk: Checker, rec: dict[str, Any], index: int, label: str
                        ) -> tuple[OtherDate, ...]:
    """The other-dates of a record, every fault reported through the Checker."""
    from farchron.ledger.checker import nearest, type_name

    raw = rec.get("other-dates")
    if raw is None:
        return ()
    key = "other-dates"
    if not isinstance(raw, list) or not all(isinstance(o, dict) for o in raw):
        chk.add(index, "wrong-type", "'other-dates' must be an array of tables "
                "(other-dates = [{ date = \"1940-07-27\", basis = \"commonly given\" }])", key)
        return ()
    out = []
    for n, o in enumerate(raw, 1):
        what = f"{label}: other-dates entry {n}"
        for k in o:
            if k not in _OTHER_KEYS:
                chk.add(index, "unknown-field",
                        f"unknown field '{k}' in {what}{nearest(k, OTHER_DATE_FIELDS)}", key,
                        severity="warning")
        ok = True
        text = o.get("date")
        if text is None:
            chk.add(index, "missing-field", f"{what} has no 'date'", key)
            ok = False
        elif not isinstance(text, str):
            chk.add(index, "wrong-type",
                    f"{what}: 'date' must be an EDTF string, not {type_name(text)}", key)
            ok = False
        pages = o.get("pages")
        if isinstance(pages, int) and not isinstance(pages, bool):
            pages = str(pages)  # as in citations: pages = 347 means "347"
        elif pages is not None and not isinstance(pages, str):
            chk.add(index, "wrong-type", f"{what}: 'pages' must be a string", key)
            ok = False
        for k, typ, name in (("source", str, "a string"),
                             ("section", str, "a string"), ("basis", str, "a string"),
                             ("note", int, "an integer")):
            v = o.get(k)
            if v is not None and (not isinstance(v, typ) or isinstance(v, bool)):
                chk.add(index, "wrong-type", f"{what}: '{k}' must be {name}", key)
                ok = False
        basis, calendar = o.get("basis"), o.get("calendar")
        if isinstance(basis, str) and not basis.strip():
            chk.add(index, "empty-field", f"{what}: 'basis' is empty", key)
            ok = False
        if calendar is not None and calendar not in CALENDARS:
            chk.add(index, "bad-value", f"{what}: 'calendar' must be one of "
                    f"{', '.join(CALENDARS)}, not {calendar!r}", key)
            ok = False
        source, note = o.get("source"), o.get("note")
        if source is None and note is None:
            if basis is None:
                chk.add(index, "missing-field", f"{what} needs its evidence: a citation "
                        "('source' with 'pages', or 'note') or a 'basis' such as "
                        "\"commonly given\"", key)
                ok = False
            elif pages is not None or o.get("section") is not None:
                chk.add(index, "missing-field", f"{what} gives 'pages' but no 'source'", key)
                ok = False
        d = None
        if ok:
            try:
                d = _date(text, calendar)
            except dates.DateError as exc:
                chk.add(index, "invalid-date", f"{what}: {exc}", key)
        if d is not None:
            cit = None
            if source is not None or note is not None:
                cit = Citation(source, note, pages, o.get("section"))
            out.append(OtherDate(d, cit, basis, calendar))
    return tuple(out)


def other_citations(e: Event) -> tuple[Citation, ...]:
    """The citations behind an event's other dates, for the cross-checks."""
    return tuple(o.citation for o in e.other_dates if o.citation is not None)


# --------------------------------------------------------------------------- part-of

def part_of_ok(value: Any, eid: Any) -> bool:
    """Is `value` a well-formed part-of for event `eid` (the fast path's test)?"""
    from farchron.model.ids import ID_RE

    return value is None or (type(value) is str and value != eid
                             and ID_RE.match(value) is not None)


def part_of_checked(chk: Checker, rec: dict[str, Any], index: int, eid: str | None
                    ) -> str | None:
    from farchron.ledger.checker import type_name
    from farchron.model.ids import ID_RE

    value = rec.get("part-of")
    if value is None:
        return None
    if not isinstance(value, str):
        chk.add(index, "wrong-type",
                f"'part-of' must be an event id (a string), not {type_name(value)}", "part-of")
        return None
    if not ID_RE.match(value):
        chk.add(index, "bad-id", f"part-of '{value}' is not an event id ([a-z0-9-])",
                "part-of")
        return None
    if value == eid:
        chk.add(index, "part-of-cycle", f"event '{eid}' is part of itself", "part-of")
        return None
    return value


def _span(d: dates.Date) -> str:
    return d.display()


def check_parts(events: Sequence[Event], index_of: Mapping[str, int], loc: Locator
                ) -> list[Problem]:
    """Wholes that exist, no cycles, and parts within their wholes.

    `index_of` maps every id found in the file (valid record or not) to its table's
    index, so a part of an invalid whole is not also reported as unknown.
    """
    from farchron.ledger.checker import nearest

    by_id = {e.id: e for e in events}
    problems = []

    def at(e: Event, code: str, message: str, severity: str = "error") -> None:
        problems.append(loc.problem(code, message, "event", index_of.get(e.id, 0), "part-of",
                                    None, severity))

    for e in events:
        p = e.part_of
        if p is None:
            continue
        if p not in index_of:
            at(e, "unknown-event", f"event '{e.id}' is part of '{p}', which is no event"
               f"{nearest(p, by_id)}")
            continue
        # follow the chain up: back at e is a cycle (reported at its first member)
        chain = [e.id]
        cur = by_id.get(p)
        while cur is not None and cur.part_of is not None and cur.id not in chain:
            chain.append(cur.id)
            cur = by_id.get(cur.part_of)
        if cur is not None and cur.id == e.id and len(chain) > 1:
            if min(chain, key=lambda i: index_of.get(i, 0)) == e.id:
                loop = " ⊂ ".join(f"'{i}'" for i in [*chain, e.id])
                at(e, "part-of-cycle", f"part-of goes round in a circle: {loop}")
            continue
        whole = by_id.get(p)
        if whole is not None and not e.date.within(whole.date):
            at(e, "part-outside-whole", f"'{e.id}' ({_span(e.date)}) lies outside its whole "
               f"'{whole.id}' ({_span(whole.date)})", "warning")
    return problems


def parts(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Each whole's parts, in the events' order."""
    out: dict[str, list[Event]] = {}
    for e in events:
        if e.part_of is not None:
            out.setdefault(e.part_of, []).append(e)
    return out


def nest(events: Sequence[Event]) -> list[tuple[Event, int]]:
    """The events in their order, each part moved under its whole when the whole is
    among them too, with its depth (0 for an event whose whole is not listed)."""
    ids = {e.id for e in events}
    children = parts(e for e in events if e.part_of in ids)
    out: list[tuple[Event, int]] = []
    placed: set[str] = set()

    def place(e: Event, depth: int) -> None:
        if e.id in placed:  # a cycle cannot load, but a drawing must never loop
            return
        placed.add(e.id)
        out.append((e, depth))
        for child in children.get(e.id, ()):
            place(child, depth + 1)

    for e in events:
        if e.part_of not in ids:
            place(e, 0)
    for e in events:  # parts of a cycle, never reached from a top event
        place(e, 0)
    return out


def other_dates_text(e: Event) -> str:
    """"27 Jul 1940 (commonly given); Aug 1929 (note 7)": the other dates, short."""
    out = []
    for o in e.other_dates:
        when = o.date.display() + (" (Julian)" if o.calendar == JULIAN else "")
        out.append(f"{when} ({o.evidence})" if o.evidence else when)
    return "; ".join(out)
