"""Ids for new records, and the works and events the ledger (or the import) has already."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from farchron.importers.common import (
    EVENT_ORDER,
    ID_RE,
    SOURCE_ORDER,
    Record,
    family_of,
    normalise,
    ordered,
    particle_free,
)


def isbn13(text: str) -> str:
    """An ISBN's 13 digits (an ISBN-10 converted), so both forms of one book match."""
    digits = re.sub(r"[^0-9Xx]", "", text).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core))
        return core + str((10 - total % 10) % 10)
    return digits


def work_keys(fields: Mapping[str, Any]) -> list[str]:
    """What makes two works the same: DOI, ISBN, or first author + title + year."""
    keys = []
    doi = str(fields.get("doi") or "").strip().lower()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi)
    if doi:
        keys.append("doi:" + doi)
    isbn = isbn13(str(fields.get("isbn") or ""))
    if isbn:
        keys.append("isbn:" + isbn)
    # The names as printed and their romanisation (a CSL export writes the romanised ones)
    firsts = {normalise(family_of(names[0])) for names in (
        fields.get("authors") or fields.get("editors") or (),
        fields.get("authors-romanised") or fields.get("editors-romanised") or ()) if names}
    # A family-first literal ("Hara Teruyuki", as the CSL export writes East Asian names)
    firsts |= {f.split()[0] for f in list(firsts) if " " in f}
    year = str(fields.get("issued") or "")[:4]
    titles = {normalise(str(fields[k])) for k in ("title", "original-title")
              if fields.get(k)}
    keys += [f"work:{first}|{t}|{year}" for first in sorted(firsts or {""}) for t in titles
             if t]
    return keys


def event_keys(fields: Mapping[str, Any]) -> list[str]:
    """An event already there: same id, or same title and date."""
    keys = [f"event:{normalise(str(fields.get('title', '')))}|{fields.get('date')}"]
    if fields.get("id"):
        keys.append(f"id:{fields['id']}")
    return keys


def source_id_base(fields: Mapping[str, Any], key: str | None) -> tuple[str, bool]:
    """The id to start from and whether clashes take letters (family-year-a)."""
    from farchron.model.ids import slugify
    from farchron.model.romanise import japanese_work

    if key and ID_RE.match(key):
        return key, False
    japanese = japanese_work(fields)
    # romanised names first: `import --romanise` wrote them (ALA-LC, Hepburn)
    names = (fields.get("authors-romanised") or fields.get("authors")
             or fields.get("editors-romanised") or fields.get("editors") or ())
    if names:
        first = names[0]
        family = particle_free(family_of(first))
        stem = slugify(family, 40, japanese)
        if japanese and " " not in family:  # one family name read in several words: 井竿
            stem = stem.replace("-", "")
        if "," not in first:  # an institution: its first three words are enough
            stem = "-".join(stem.split("-")[:3])
    else:
        stem = "-".join(slugify(str(fields.get("title", "")), 40, japanese).split("-")[:3])
    year = str(fields.get("issued") or "")
    m = re.match(r"-?\d{4}", year)
    return (f"{stem}-{m.group(0).lstrip('-')}" if m else stem), True


class Skipped:
    """A record not added, and why (a duplicate of what is there, or of an earlier row)."""

    __slots__ = ("reason", "record")

    def __init__(self, record: Record, reason: str) -> None:
        self.record = record
        self.reason = reason


def plan(records: Iterable[Record], ledger: Any, origins: list[Record] | None = None,
         ) -> tuple[list[tuple[str, dict[str, Any]]], list[Skipped]]:
    """Ids for the new records and the duplicates to skip, against `ledger` (a Ledger or
    None) and the records before each one in the same import.

    Returns ([(table, fields)...] in input order, [Skipped...]); `origins`, if given,
    receives the Record each added entry came from (to point messages at its input line).
    """
    from farchron.model.ids import FreshIds, slugify

    seen: dict[str, str] = {}
    source_ids: set[str] = set()
    event_ids: set[str] = set()
    notes: set[int] = set()
    if ledger is not None:
        for s in ledger.sources.values():
            fields = dict(s.fields)
            fields.update(authors=s.authors, title=s.title, issued=s.issued)
            for k in work_keys(fields):
                seen.setdefault(k, f"'{s.id}' in the ledger")
        source_ids = set(ledger.sources)
        notes = set(ledger.notes)

    def event_taken(eid: str) -> bool:
        return eid in event_ids or (ledger is not None and ledger.event(eid) is not None)

    if ledger is not None and any(r.kind == "event" for r in records):
        for e in ledger.events:
            seen.setdefault(f"event:{normalise(e.title)}|{e.date.text}", f"'{e.id}' in the ledger")

    new_source_id = FreshIds(source_ids)
    new_event_id = FreshIds(event_taken)
    out: list[tuple[str, dict[str, Any]]] = []
    skipped: list[Skipped] = []
    for rec in records:
        fields = dict(rec.fields)
        if rec.kind == "source":
            keys = work_keys(fields)
            dup = next((seen[k] for k in keys if k in seen), None)
            if dup is None and fields.get("id") in source_ids:
                dup = f"'{fields['id']}' in the ledger"
            if dup:
                skipped.append(Skipped(rec, f"already there as {dup}"))
                continue
            base, letters = source_id_base(fields, rec.key if rec.key else fields.get("id"))
            sid = new_source_id(base, letters)
            source_ids.add(sid)
            fields["id"] = sid
            for k in keys:
                seen[k] = f"'{sid}' earlier in this import"
            out.append(("source", ordered(fields, SOURCE_ORDER)))
            if origins is not None:
                origins.append(rec)
        elif rec.kind == "event":
            keys = event_keys(fields)
            dup = next((seen[k] for k in keys if k in seen), None)
            if dup is None and fields.get("id") and event_taken(str(fields["id"])):
                dup = f"'{fields['id']}' in the ledger"
            if dup:
                skipped.append(Skipped(rec, f"already there as {dup}"))
                continue
            eid = fields.get("id")
            if not (isinstance(eid, str) and ID_RE.match(eid)):
                eid = new_event_id(slugify(str(fields["title"])))
            event_ids.add(eid)
            fields["id"] = eid
            for k in event_keys(fields):
                seen[k] = f"'{eid}' earlier in this import"
            out.append(("event", ordered(fields, EVENT_ORDER)))
            if origins is not None:
                origins.append(rec)
        else:
            number = fields.get("number")
            if number in notes:
                skipped.append(Skipped(rec, f"note {number} is already there"))
                continue
            if isinstance(number, int):
                notes.add(number)
            out.append(("note", fields))
            if origins is not None:
                origins.append(rec)
    return out, skipped
