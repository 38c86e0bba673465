"""Cross-checks between events.toml and sources.toml: every citation points at something
that exists, every work is cited, and Old Style slips are flagged. They run after both
files have been validated on their own (validate.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from farchron.dates import edtf as dates
from farchron.errors import Problem
from farchron.ledger.check import PAPER_ID, Cites
from farchron.ledger.checker import nearest
from farchron.ledger.folder import SOURCES_FILE
from farchron.ledger.locate import Locator
from farchron.model.records import Event, Note, Source


def cross_check(ev_cites: Cites, ev_loc: Locator, notes: Mapping[int, Note],
                where: Mapping[str, int], src_loc: Locator) -> list[Problem]:
    """Every citation points at something that exists; every work is cited.

    `ev_cites` holds the citations of every [[event]] table, `notes` every numbered
    note and `where` every source id and note number found, valid or not, so that
    one fault is reported once and lines stay right.
    """
    problems: list[Problem] = []
    cited: set[str] = set()
    known = [k[7:] for k in where if k.startswith("source:")]

    def unknown(sid: str) -> bool:
        return f"source:{sid}" not in where

    for i, label, cits in ev_cites:
        key = "other-dates" if label.endswith("(other-dates)") else "citations"
        for c in cits:
            if c.note is not None:
                if c.note not in notes:
                    problems.append(ev_loc.problem(
                        "unknown-note", f"{label} cites note {c.note}, which "
                        f"{SOURCES_FILE} does not have", "event", i, key,
                        re.compile(rf"\bnote\s*=\s*{c.note}\b")))
                else:
                    cited.update(x.source for x in notes[c.note].citations if x.source)
            if c.source is not None:
                cited.add(c.source)
                if unknown(c.source):
                    problems.append(ev_loc.problem(
                        "unknown-source", f"{label} cites unknown source "
                        f"'{c.source}'{nearest(c.source, known)}", "event", i,
                        key, c.source))
    for n in notes.values():
        for c in n.citations:
            if c.source is None:
                continue
            cited.add(c.source)
            if unknown(c.source):
                problems.append(src_loc.problem(
                    "unknown-source", f"note {n.number} cites unknown source "
                    f"'{c.source}'{nearest(c.source, known)}", "note",
                    where[f"note:{n.number}"], "citations", c.source))
    for sid in known:
        if sid not in cited and sid != PAPER_ID:
            problems.append(src_loc.problem(
                "unused-source", f"source '{sid}' is never cited", "source",
                where[f"source:{sid}"], "id", severity="warning"))
    return problems


#: Russia's last Julian day was 1918-01-31 OS; the next day was 1918-02-14 (Gregorian).
RUSSIA_GREGORIAN_FROM: dates.YMD = (1918, 2, 14)


def old_style_warnings(events: Iterable[Event], ev_cites: Cites, sources: Mapping[str, Source],
                       notes: Mapping[int, Note], ev_loc: Locator) -> list[Problem]:
    """The classic slip: an event before Russia's calendar reform dated from Russian-language
    works only, that does not say its calendar (an Old Style date read as Gregorian is
    12–13 days early in the 1900s, and sits silently inside the siege it ended)."""
    where = {label: i for i, label, _ in ev_cites}

    def russian(sid: str) -> bool:
        src = sources.get(sid)
        lang = src.get("language") if src is not None else None
        return isinstance(lang, str) and lang.lower().split("-")[0] == "ru"

    out: list[Problem] = []
    for e in events:
        if e.calendar or not dates.MIN_YMD < e.date.start < RUSSIA_GREGORIAN_FROM:
            continue
        works = [c.source for c in e.citations if c.source]
        for c in e.citations:
            if c.note is not None and c.note in notes:
                works += [x.source for x in notes[c.note].citations if x.source]
        i = where.get(f"event '{e.id}'")
        if works and i is not None and all(russian(w) for w in works):
            out.append(ev_loc.problem(
                "no-calendar", f"event '{e.id}' is dated {e.date.text}, before Russia took "
                "the Gregorian calendar (1918-02-14), from Russian-language works only: say "
                "calendar = \"julian\" if the date is Old Style, else calendar = \"gregorian\"",
                "event", i, "date", severity="warning"))
    return out


def ambiguous_date_warnings(events: Iterable[Event], ev_cites: Cites, ev_loc: Locator
                            ) -> list[Problem]:
    """An event whose `date` is EDTF and a range of years alike ('1918-22': summer 1918, or
    1918 to 1922 as a historian writes it) and that has no date-as-printed saying which: the
    ledger reads it as EDTF, the warning says so once."""
    from farchron.dates.ambiguity import ambiguous_reading

    where = {label: i for i, label, _ in ev_cites}
    out: list[Problem] = []
    for e in events:
        if e.calendar or e.date_as_printed:
            continue
        why = ambiguous_reading(e.date.text)
        i = where.get(f"event '{e.id}'")
        if why is None or i is None:
            continue
        reading = why.split("; ", 1)[1].split(": write", 1)[0]
        out.append(ev_loc.problem(
            "ambiguous-date", f"event '{e.id}': date '{e.date.text}' is ambiguous; it is read "
            f"as EDTF ({reading}); if the source means a range of years write "
            f"{why.split(' for ', 1)[0].split(': ', 1)[1]}, else say date-as-printed",
            "event", i, "date", severity="warning"))
    return out
