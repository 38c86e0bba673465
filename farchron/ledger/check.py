"""Validation of each file on its own: every record through the Checker (checker.py), and
the fast path beside it that must accept only what the Checker passes in silence. The
field lists are model/fields.py's; the cross-checks between the two files are crossfile.py's."""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Iterable
from typing import Any

from farchron.dates import edtf as dates
from farchron.dates.names import GREGORIAN, JULIAN
from farchron.errors import Problem
from farchron.ledger import evidence
from farchron.ledger.checker import Checker, nearest, type_name
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE
from farchron.ledger.locate import Locator
from farchron.model.csl import CSL_TYPES, nearest_type
from farchron.model.fields import (
    CALENDARS,
    CITATION_FIELDS,
    EVENT_FIELDS,
    NOTE_FIELDS,
    SOURCE_FIELDS,
    SOURCE_LIST_FIELDS,
)
from farchron.model.ids import ID_RE
from farchron.model.records import Citation, Event, Note, Source

PAPER_ID = "hanada-far-eastern-strategy"

#: Dates are immutable and a large ledger repeats many: parse each text once.
parse_date = functools.lru_cache(maxsize=1 << 16)(dates.parse)
_CITATION_KEYS = frozenset(CITATION_FIELDS)


def _event_date(value: object) -> dates.Date:
    if isinstance(value, str):
        return parse_date(value)
    import datetime as _dt  # TOML dates only; start-up of a cached load skips the import

    if isinstance(value, _dt.datetime):
        if value.microsecond:  # EDTF dates here stop at the second: refuse, never round
            raise dates.DateError(
                f"fractional seconds are not kept ({value.isoformat()}); give the time "
                "to the second")
        # Not strftime: it writes year 5 as "5", which is no EDTF year.
        off = value.utcoffset()
        zone = ""
        if off is not None:  # the offset is kept: 08:15+09:00 is not 08:15 UTC
            mins = int(off.total_seconds()) // 60
            zone = "Z" if mins == 0 else (
                f"{'+' if mins > 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}")
        text = (f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
                f"T{value.hour:02d}:{value.minute:02d}"
                + (f":{value.second:02d}" if value.second or zone else "") + zone)
        return dates.parse(text)
    if isinstance(value, _dt.date):
        return dates.from_ymd(value.year, value.month, value.day)
    raise TypeError(type_name(value))


def _julian_date(value: object) -> dates.Date:
    """A date written in the Julian calendar: its text as printed, its Gregorian bounds."""
    from farchron.dates.calendars import julian_date

    if not isinstance(value, str):
        value = _event_date(value).text  # a TOML date: the same day, read as Julian
    return julian_date(value)


def _array(doc: dict[str, Any], name: str, loc: Locator, problems: list[Problem]) -> list[Any]:
    raw = doc.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        problems.append(Problem(loc.path, loc.top(name), None, "wrong-type",
                                f"'{name}' must be an array of tables ([[{name}]])"))
        return []
    return raw


#: The public name: the loader builds a ledger in parts with it.
array_of = _array


def stray_keys(doc: dict[str, Any], loc: Locator, known: list[str]) -> list[Problem]:
    return [Problem(loc.path, loc.top(key), None, "unknown-field",
                    f"unknown top-level key '{key}'{nearest(key, known)}", "warning")
            for key in doc if key not in known]


#: Each file's arrays of tables, its other top-level keys, and the other file's arrays.
FILE_ARRAYS = {EVENTS_FILE: ("event",), SOURCES_FILE: ("source", "note")}
FILE_KEYS = {EVENTS_FILE: ("vocabulary",), SOURCES_FILE: ()}


def misnamed(doc: dict[str, Any], loc: Locator, file: str
             ) -> tuple[dict[str, list[Any]], list[Problem]]:
    """Arrays of tables under an unknown name (`[[events]]`, `[[sources]]`): an error each,
    never a silent skip. One that names a known array closely enough is merged into it, in
    file order (the locator learns the alias, so lines stay right), and checked as if it
    had been named right. Returns {known array: its records, misnamed ones merged in}
    for the arrays that had any, and the problems (other stray keys: the usual warning).
    """
    arrays = FILE_ARRAYS[file]
    other = SOURCES_FILE if file == EVENTS_FILE else EVENTS_FILE
    problems: list[Problem] = []
    merged: dict[str, list[str]] = {}
    for key, value in doc.items():
        if key in arrays or key in FILE_KEYS[file]:
            continue
        if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
            problems += stray_keys({key: value}, loc, [*arrays, *FILE_KEYS[file]])
            continue
        hint = nearest(key.lower(), arrays)
        n = f"{len(value)} record{'s are' if len(value) != 1 else ' is'}"
        if key in FILE_ARRAYS[other]:
            msg = f"[[{key}]] belongs in {other}: its {n} not read here"
        elif hint:
            target = hint.split("'")[1]
            merged.setdefault(target, []).append(key)
            msg = (f"unknown table [[{key}]] (did you mean [[{target}]]?): its {n} "
                   f"checked as [[{target}]] but not read until the table is renamed")
        elif nearest(key.lower(), FILE_ARRAYS[other]):
            target = nearest(key.lower(), FILE_ARRAYS[other]).split("'")[1]
            msg = (f"unknown table [[{key}]] (did you mean [[{target}]], in {other}?): "
                   f"its {n} not read")
        else:
            msg = (f"unknown table [[{key}]]: its {n} not read "
                   f"({file} holds {', '.join(f'[[{a}]]' for a in arrays)})")
        problems.append(Problem(loc.path, loc.top(key), None, "unknown-table", msg))
    out: dict[str, list[Any]] = {}
    for target, names in merged.items():
        loc.alias(target, names)
        keyed: list[tuple[int, int, str, Any]] = []
        for name in (target, *names):
            raw = doc.get(name, [])
            if not isinstance(raw, list):
                continue
            heads = loc.headers_of(name)
            lines = heads if len(heads) == len(raw) else [10**9 + i for i in range(len(raw))]
            keyed += zip(lines, range(len(raw)), [name] * len(raw), raw, strict=True)
        keyed.sort(key=lambda t: (t[0], t[2] != target, t[1]))
        out[target] = [rec for *_, rec in keyed]
    return out, problems


def check_vocabulary(doc: dict[str, Any], loc: Locator) -> tuple[frozenset[str] | None,
                                                                  list[Problem]]:
    """The tags declared in `[vocabulary] tags = [...]`, if any (then only they may be used)."""
    vocab = doc.get("vocabulary")
    if vocab is None:
        return None, []
    tags = vocab.get("tags") if isinstance(vocab, dict) else None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return None, [Problem(loc.path, loc.top("vocabulary"), None, "wrong-type",
                              "[vocabulary] must hold tags = [\"...\", ...], an array of "
                              "strings")]
    extra = [k for k in vocab if k != "tags"]
    problems = [Problem(loc.path, loc.top("vocabulary"), None, "unknown-field",
                        f"unknown key '{k}' in [vocabulary] (only 'tags' is read)", "warning")
                for k in extra]
    return frozenset(tags), problems


def build_events(doc: dict[str, Any], loc: Locator) -> tuple[list[Event], list[Problem]]:
    """Turn the parsed events.toml into Events; problems for everything wrong."""
    events, _, problems = check_events(doc, loc)
    return events, problems


#: (index of the record's table in its file, label, the record's citations)
Cites = list[tuple[int, str, tuple[Citation, ...]]]


_EVENT_KEYS = frozenset(EVENT_FIELDS)
_STRING_LISTS = ("aliases", "tags", "actors", "places")


def valid_event(rec: dict[str, Any], seen: dict[str, int],
                 memo: dict[tuple[Any, ...], Citation]) -> Event | None:
    """The Event for a record that passes every check below, else None (then the
    checker goes through it field by field and says what is wrong).

    Why: on 100k events the field-by-field checker cost as much as parsing the TOML.
    This accepts only what the checker would accept without a word; keep the two in step.
    """
    if not rec.keys() <= _EVENT_KEYS:
        return None
    eid, title, text = rec.get("id"), rec.get("title"), rec.get("date")
    if type(eid) is not str or type(title) is not str or type(text) is not str:
        return None
    if eid in seen or not ID_RE.match(eid) or not title.strip():
        return None
    summary = rec.get("summary", "")
    if type(summary) is not str:
        return None
    lists: list[tuple[str, ...]] = []
    for key in _STRING_LISTS:
        v = rec.get(key)
        if v is None:
            lists.append(())
            continue
        if type(v) is not list:
            return None
        try:
            "".join(v)
        except TypeError:
            return None
        # tags, actors and places recur: one str each (1M events: ~0.3 GB less)
        lists.append(tuple(v) if key == "aliases" else tuple(map(sys.intern, v)))
    raw = rec.get("citations")
    if type(raw) is not list or not raw:
        return None
    cits: list[Citation] = []
    for c in raw:
        if type(c) is not dict or not c.keys() <= _CITATION_KEYS:
            return None
        ckey = (c.get("source"), c.get("note"), c.get("pages"), c.get("section"))
        source, note, pages, section = ckey
        if ((source is None and note is None)
                or (source is not None and type(source) is not str)
                or (note is not None and type(note) is not int)
                or (pages is not None and type(pages) is not str)
                or (section is not None and type(section) is not str)):
            return None
        cit = memo.get(ckey)
        if cit is None:
            cit = memo[ckey] = Citation(source, note, pages, section)
        cits.append(cit)
    calendar = rec.get("calendar", "")
    printed = rec.get("date-as-printed", "")
    if type(calendar) is not str or type(printed) is not str:
        return None
    part_of = rec.get("part-of")
    if not evidence.part_of_ok(part_of, eid):
        return None
    others = evidence.other_dates_fast(rec.get("other-dates"), memo)
    if others is None:
        return None
    try:
        if not calendar:
            date = parse_date(text)
        elif calendar == JULIAN:
            date = _julian_date(text)
        elif calendar == GREGORIAN:
            date = parse_date(text)
        else:
            return None
    except dates.DateError:
        return None
    return Event(eid, title, date, summary, lists[0], lists[1], lists[2], lists[3], tuple(cits),
                 calendar, printed, part_of, others)


def check_events(doc: dict[str, Any], loc: Locator, records: Iterable[Any] | None = None,
                  ) -> tuple[list[Event], Cites, list[Problem]]:
    """Events, the citations of every [[event]] table (valid or not), and the problems.

    Citations of records dropped for another fault are kept, so that a typo in a
    date does not hide a citation to a missing note. `records` (else doc["event"])
    may be an iterator, so that they are built chunk by chunk.
    """
    chk = Checker(loc, "event")
    events: list[Event] = []
    cites: Cites = []
    seen: dict[str, int] = {}
    found, chk.problems = misnamed(doc, loc, EVENTS_FILE)
    vocab, vocab_problems = check_vocabulary(doc, loc)
    chk.problems += vocab_problems
    memo = chk._citations
    if records is None:
        records = found.get("event") or _array(doc, "event", loc, chk.problems)
    elif "event" in found:  # chunked: the misnamed tables are all in the head, before these
        records = itertools.chain(found["event"], records)
    for i, rec in enumerate(records):
        if vocab is not None:
            _check_tags(chk, rec, i, vocab)
        ev = valid_event(rec, seen, memo)
        if ev is not None:  # the usual case, in one pass; anything odd goes the long way
            seen[ev.id] = i
            cites.append((i, f"event '{ev.id}'", ev.citations))
            if ev.other_dates:
                cites.append((i, f"event '{ev.id}' (other-dates)",
                              evidence.other_citations(ev)))
            events.append(ev)
            continue
        eid = chk.text(rec, i, "id", f"event #{i + 1}", required=True)
        label = f"event '{eid}'" if eid else f"event #{i + 1}"
        if eid is not None:
            if not ID_RE.match(eid):
                chk.add(i, "bad-id", f"id '{eid}' must be lowercase letters, digits and "
                        "single hyphens ([a-z0-9-])", "id")
            if eid in seen:
                chk.add(i, "duplicate-id",
                        f"duplicate id '{eid}' (first used by "
                        f"{loc.first_use('event', seen[eid], 'id')})", "id")
            else:
                seen[eid] = i
        title = chk.text(rec, i, "title", label, required=True)
        calendar = chk.text(rec, i, "calendar", label) or ""
        if calendar and calendar not in CALENDARS:
            chk.add(i, "bad-calendar", f"'calendar' must be \"julian\" (Old Style) or "
                    f"\"gregorian\", not \"{calendar}\"", "calendar")
        printed = chk.text(rec, i, "date-as-printed", label) or ""
        date = None
        if "date" not in rec:
            chk.add(i, "missing-field", f"{label} has no 'date'")
        else:
            try:
                date = (_julian_date(rec["date"]) if calendar == JULIAN
                        else _event_date(rec["date"]))
            except dates.DateError as exc:
                chk.add(i, "invalid-date", str(exc), "date")
            except TypeError as exc:
                chk.add(i, "wrong-type",
                        f"'date' must be an EDTF string such as \"1939-08-23\", not {exc}",
                        "date")
        summary = chk.text(rec, i, "summary", label) or ""
        aliases = chk.strings(rec, i, "aliases")
        tags = chk.strings(rec, i, "tags")
        actors = chk.strings(rec, i, "actors")
        places = chk.strings(rec, i, "places")
        cits = chk.citations(rec, i, label, required=True)
        cites.append((i, label, cits))
        part_of = evidence.part_of_checked(chk, rec, i, eid)
        others = evidence.other_dates_checked(chk, rec, i, label)
        if others:
            cites.append((i, f"{label} (other-dates)",
                          tuple(o.citation for o in others if o.citation is not None)))
        chk.unknown(rec, i, EVENT_FIELDS, label)
        if eid and title is not None and date is not None:
            events.append(Event(eid, title, date, summary, aliases, tags, actors, places, cits,
                                calendar, printed, part_of, others))
    chk.problems += evidence.check_parts(events, seen, loc)
    return events, cites, chk.problems


def build_sources(doc: dict[str, Any], loc: Locator
                  ) -> tuple[dict[str, Source], dict[int, Note], list[Problem]]:
    """Turn the parsed sources.toml into Sources and Notes."""
    sources, notes, _, problems, _ = check_sources(doc, loc)
    return sources, notes, problems


def _check_tags(chk: Checker, rec: Any, i: int, vocab: frozenset[str]) -> None:
    tags = rec.get("tags") if isinstance(rec, dict) else None
    if not isinstance(tags, list):
        return
    for tag in tags:
        if isinstance(tag, str) and tag not in vocab:
            chk.add(i, "unknown-tag", f"tag '{tag}' is not in the [vocabulary] of this "
                    f"ledger{nearest(tag, vocab)}", "tags", tag)


def check_sources(doc: dict[str, Any], loc: Locator
                   ) -> tuple[dict[str, Source], dict[int, Note], dict[str, int], list[Problem],
                              dict[int, Note]]:
    """Sources, Notes, where each id and number is (valid record or not), the problems,
    and every numbered note including invalid ones (for the cross-checks).

    `where` maps "source:ID" and "note:N" to the index of the table in the file;
    a reference to an invalid record is not also reported as unknown.
    """
    found, problems = misnamed(doc, loc, SOURCES_FILE)
    where: dict[str, int] = {}
    chk = Checker(loc, "source")
    sources: dict[str, Source] = {}
    for i, rec in enumerate(found.get("source") or _array(doc, "source", loc, problems)):
        sid = chk.text(rec, i, "id", f"source #{i + 1}", required=True)
        label = f"source '{sid}'" if sid else f"source #{i + 1}"
        if sid is not None:
            where.setdefault(f"source:{sid}", i)
            if not ID_RE.match(sid):
                chk.add(i, "bad-id", f"id '{sid}' must be lowercase letters, digits and "
                        "single hyphens ([a-z0-9-])", "id")
            if sid in sources:
                chk.add(i, "duplicate-id", f"duplicate source id '{sid}' (first used by "
                        f"{loc.first_use('source', where[f'source:{sid}'], 'id')})", "id")
        stype = chk.text(rec, i, "type", label, required=True)
        if stype and stype not in CSL_TYPES:
            hint = nearest_type(stype)
            chk.add(i, "unknown-type", f"type '{stype}' is not a CSL item type"
                    + (f" (did you mean '{hint}'?)" if hint else "")
                    + "; footnotes and exports would drop what it says", "type")
        title = chk.text(rec, i, "title", label, required=True)
        if title:
            from farchron.model.romanise import is_latin

            if not is_latin(title):
                chk.add(i, "non-latin-title", f"{label}: 'title' is not in Latin script; put "
                        "it in 'original-title' and its romanisation in 'title' (`farchron "
                        "import --romanise` does)", "title", severity="warning")
        fields: dict[str, Any] = {}
        for k, v in rec.items():
            if k in SOURCE_LIST_FIELDS:
                fields[k] = chk.strings(rec, i, k)
            elif k in SOURCE_FIELDS:
                if isinstance(v, int) and not isinstance(v, bool):
                    v = str(v)
                if not isinstance(v, str):
                    chk.add(i, "wrong-type",
                            f"'{k}' must be a string, not {type_name(v)}", k)
                    continue
                fields[k] = v
        issued = fields.get("issued")
        if issued is not None:
            try:
                dates.parse(issued)
            except dates.DateError as exc:
                chk.add(i, "invalid-date", str(exc), "issued")
        chk.unknown(rec, i, SOURCE_FIELDS, label)
        if sid and stype and title is not None and sid not in sources:
            sources[sid] = Source(sid, stype, title, fields.get("authors", ()), issued, fields)
    problems += chk.problems

    nchk = Checker(loc, "note")
    notes: dict[int, Note] = {}
    note_cites: dict[int, tuple[Citation, ...]] = {}
    first_note: dict[int, int] = {}
    for i, rec in enumerate(found.get("note") or _array(doc, "note", loc, problems)):
        num = rec.get("number")
        if num is None:
            nchk.add(i, "missing-field", f"note #{i + 1} has no 'number'")
        elif not isinstance(num, int) or isinstance(num, bool) or num < 1:
            nchk.add(i, "wrong-type", "'number' must be a positive integer", "number")
            num = None
        elif num in first_note:
            nchk.add(i, "duplicate-id", f"duplicate note number {num} (first used by "
                     f"{loc.first_use('note', first_note[num], 'number')})", "number")
            num = None
        else:
            first_note[num] = i
        label = f"note {num}" if num is not None else f"note #{i + 1}"
        text = nchk.text(rec, i, "text", label, required=True)
        printed = nchk.text(rec, i, "date-as-printed", label) or ""
        cits = nchk.citations(rec, i, label, required=True)
        if num is not None:
            where[f"note:{num}"] = i
            note_cites[num] = cits
        for c in cits:
            if c.source is None:
                nchk.add(i, "wrong-type", f"{label}: a note's citation needs a 'source'",
                         "citations")
        nchk.unknown(rec, i, NOTE_FIELDS, label)
        if num is not None and text is not None:
            notes[num] = Note(num, text, cits, printed)
    problems += nchk.problems
    # Notes that were dropped still count for cross-checks: keep their citations.
    notes_all = {n: notes.get(n) or Note(n, "", c) for n, c in note_cites.items()}
    return sources, notes, where, problems, notes_all
