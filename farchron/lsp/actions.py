"""Code actions on a draft's findings: *Record this event* (the `[[event]]` that
`farchron add event` would append, as a text edit of events.toml) and *Use the ledger's
date* (the ledger's date written in the draft's own style)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from farchron.dates.names import GREGORIAN, JULIAN

if TYPE_CHECKING:
    from farchron.dates.edtf import Date
    from farchron.lsp.drafts import Draft, Key, Located
    from farchron.lsp.state import LedgerState

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _year(y: int) -> str:
    return str(y) if y > 0 else f"{1 - y} BC"


def in_style(found: str, date: Date) -> str:
    """The ledger's date written as the draft wrote `found`: ISO stays ISO; "23 August
    1939" and "August 23, 1939" keep their order; "Aug" stays abbreviated; a date written
    without its year gets none when the ledger's is one day or month."""
    from farchron.dates import edtf as d

    s, e = date.start, date.end
    if re.fullmatch(r"\s*-?\d{4}(?:-\d{2}){0,2}\s*", found):
        return date.text
    if s in (d.MIN_YMD, d.MAX_YMD) or e in (d.MIN_YMD, d.MAX_YMD):
        return date.display()
    abbrev = bool(re.search(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?",
                            found)) and not re.search(
        r"January|February|March|April|June|July|August|September|October|November|"
        r"December", found)
    month_first = bool(re.match(r"\s*(?:on\s+)?[A-Z][a-z]+\.?\s+\d", found))
    has_year = bool(re.search(r"\d{3,4}|\bBC\b|\bAD\b", found))

    def mon(m: int) -> str:
        return _MONTHS[m - 1][:3] if abbrev else _MONTHS[m - 1]

    from farchron.dates.daycount import days_in_month

    last_day = days_in_month(s[0], s[1])
    if s == e:
        if month_first:
            text = f"{mon(s[1])} {s[2]}" + (f", {_year(s[0])}" if has_year else "")
        else:
            text = f"{s[2]} {mon(s[1])}" + (f" {_year(s[0])}" if has_year else "")
        return text
    if s[:2] == e[:2] and s[2] == 1 and e[2] == last_day:
        return f"{mon(s[1])}" + (f" {_year(s[0])}" if has_year else "")
    if s[0] == e[0] and (s[1], s[2]) == (1, 1) and (e[1], e[2]) == (12, 31):
        return _year(s[0])
    return date.display()


def use_ledger_date(loc: Located) -> tuple[str, str] | None:
    """(title, new text) for a contradiction: the ledger's date in the draft's style."""
    e = loc.claim.event
    if e is None or loc.claim.verdict != "contradiction":
        return None
    new = in_style(loc.claim.found, e.date)
    return f"Use the ledger's date ({new}) for {e.id}", new


def _sentence(draft_text: str, loc: Located) -> str:
    """The sentence around the date, one line, for a title."""
    start = max(draft_text.rfind(". ", 0, loc.start) + 2,
                draft_text.rfind("\n\n", 0, loc.start) + 2, 0)
    end_dot = draft_text.find(".", loc.end)
    end_par = draft_text.find("\n\n", loc.end)
    ends = [x for x in (end_dot, end_par) if x >= 0]
    end = min(ends) if ends else len(draft_text)
    return " ".join(draft_text[start:end].split())


def event_title(draft_text: str, loc: Located) -> str:
    """A title from the sentence of the date (the date's words and markup taken out)."""
    from farchron.lsp.drafts import CITE_GROUP

    sent = _sentence(draft_text, loc)
    found = loc.claim.found
    sent = CITE_GROUP.sub("", sent)
    sent = re.sub(r"\s*(?:on|in|at|by|of|from)?\s*" + re.escape(found), "", sent, count=1)
    sent = re.sub(r"[*_`#<>\[\]^]|</?sup>", "", sent)
    sent = " ".join(sent.split()).strip(" ,;:.")
    if len(sent) > 80:
        sent = sent[:80].rsplit(" ", 1)[0]
    return sent[:1].upper() + sent[1:] if sent else f"Event of {found}"


def _citation_near(state: LedgerState, draft: Draft, offset: int) -> dict[str, Any] | None:
    """The citation of the key cited nearest before the date (a work with its locator,
    or the first citation of an event cited), else None."""
    best: Key | None = None
    for k in draft.keys:
        if k.start <= offset:
            best = k
    after = [k for k in draft.keys if k.start > offset]
    for k in [*([best] if best is not None else []), *after[:1]]:
        if k.id in state.sources:
            out: dict[str, Any] = {"source": k.id}
            if k.locator:
                out["pages"] = re.sub(r"^(?:pp?\.\s*)", "", k.locator)
            return out
        e = state.event(k.id)
        if e is not None and e.citations:
            return {kk: v for kk, v in e.citations[0].to_json().items() if v is not None}
    return None


def record_event(state: LedgerState, draft: Draft, loc: Located,
                 events_text: str) -> tuple[str, str, int, str] | None:
    """For a date that matches no event: (title, the id, 0, the text to append at the end
    of events.toml), as `add event` writes it. The citation is the
    work cited nearest the date in the draft, else the ledger's first work."""
    from farchron import importers
    from farchron.authoring import writer as ledgerwrite
    from farchron.authoring.operations import read_date
    from farchron.errors import FarchronError
    from farchron.model.ids import slugify, unique_id

    if loc.claim.verdict != "unmatched" or state.ledger is None:
        return None
    cite = _citation_near(state, draft, loc.start)
    if cite is None:
        if not state.sources:
            return None
        cite = {"source": next(iter(state.sources))}
    title = event_title(draft.text, loc)
    try:
        edtf, calendar = read_date(loc.claim.found)
    except FarchronError:
        edtf, calendar = loc.claim.date.text, GREGORIAN
    ids = set(state.event_ids())
    eid = unique_id(slugify(title), lambda i: i in ids)
    rec = {"id": eid, "title": title, "date": edtf,
           "calendar": JULIAN if calendar == JULIAN else None,
           "summary": f"Recorded from a draft: {' '.join(draft.text[loc.start:loc.end].split())}",
           "citations": [cite]}
    rec = {k: v for k, v in rec.items() if v not in (None, "", [])}
    fields = importers.ordered(rec, importers.EVENT_ORDER)
    new_text, _line = ledgerwrite.append_text(events_text, "event", [fields])
    if not new_text.startswith(events_text):
        return None
    return f"Record this event ({eid}, {edtf})", eid, 0, new_text[len(events_text):]
