"""TimelineJS 3 JSON (Knight Lab) for a set of events.

TimelineJS renders headline and text as HTML, so every text is HTML-escaped here.
Dates carry the precision the ledger gives (a year stays a year); display_date
keeps the historian's form ("c. 1933", "autumn–winter 1944", "Aug 216 BC"), and
BCE years are negative years, as TimelineJS expects (astronomical numbering).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from farchron.cite import LedgerNotes
from farchron.dates import Side, sides
from farchron.html import footnotes
from farchron.model import Event, Ledger
from farchron.render import clean

_TIME = re.compile(r"T(\d{2}):(\d{2})(?::(\d{2}))?")


def _date_obj(side: Side, *, last: bool) -> dict[str, Any]:
    """A TimelineJS date at the side's precision; `last` takes the side's last unit.

    A season becomes the months it starts and ends in (autumn 1944: Sep to Nov).
    """
    ymd = side.end if last else side.start
    y, m, d = ymd
    out: dict[str, Any] = {"year": y}
    if side.precision in ("month", "season", "day", "time"):
        out["month"] = m
    if side.precision in ("day", "time"):
        out["day"] = d
    if side.precision == "time":
        t = _TIME.search(side.text)
        if t:
            out["hour"], out["minute"] = int(t.group(1)), int(t.group(2))
            if t.group(3):
                out["second"] = int(t.group(3))
    return out


def _text(e: Event, ledger: Ledger, book: LedgerNotes | None) -> str:
    parts = []
    if e.summary:
        parts.append(f"<p>{html.escape(clean(e.summary))}</p>")
    notes = footnotes(e, ledger, book)
    if notes:
        items = []
        for n in notes:
            label = f"<strong>{html.escape(n['label'])}:</strong> " if n["label"] else ""
            works = "".join(f"<br>→ {html.escape(w)}" for w in n["works"])
            items.append(f"<li>{label}{html.escape(n['text'])}{works}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    return "".join(parts)


def slide(e: Event, ledger: Ledger, book: LedgerNotes | None = None) -> dict[str, Any]:
    """One TimelineJS event (a "slide")."""
    ss = sides(e.date)
    lo, hi = ss[0], ss[-1]
    if len(ss) == 1:
        start = _date_obj(lo, last=False)
        end = (_date_obj(lo, last=True)
               if lo.precision not in ("day", "time", "year") or lo.end[0] != lo.start[0]
               else None)
    elif lo.kind != "date":  # ../1945: TimelineJS needs a start; the end is all we know
        start, end = _date_obj(hi, last=True), None
    else:
        start = _date_obj(lo, last=False)
        end = _date_obj(hi, last=True) if hi.kind == "date" else None
    start["display_date"] = clean(e.date.display())
    out: dict[str, Any] = {
        "unique_id": e.id,
        "start_date": start,
        "display_date": clean(e.date.display()),
        "text": {"headline": html.escape(clean(e.title)), "text": _text(e, ledger, book)},
    }
    if end is not None and end != {k: v for k, v in start.items() if k != "display_date"}:
        out["end_date"] = end
    if e.tags:
        out["group"] = html.escape(clean(e.tags[0]))
    return out


def document(events: Sequence[Event], ledger: Ledger, title: str = "") -> dict[str, Any]:
    """The whole TimelineJS JSON document."""
    book = LedgerNotes(ledger)
    doc: dict[str, Any] = {"events": [slide(e, ledger, book) for e in events]}
    if title:
        doc["title"] = {"text": {"headline": html.escape(clean(title)), "text": ""}}
    return doc
