"""TimelineJS 3 JSON (Knight Lab) for a set of events.

TimelineJS renders headline and text as HTML, so every text is HTML-escaped here.
Dates carry the precision the ledger gives (a year stays a year); display_date
keeps the historian's form ("c. 1933", "autumn–winter 1944", "Aug 216 BC").

TimelineJS numbers years with no year zero (-216 is 216 BC, shown "216 BCE"), while
the ledger's EDTF is astronomical (-0215 is 216 BC): years up to 0 are shifted by one.
Groups (the rows of the time navigator) are few, at most MAX_GROUPS by default: each
row costs the story panel height, and at the usual 650 px embed 18 rows left it 75 px.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from farchron.cite.chicago import LedgerNotes
from farchron.dates.edtf import Side, sides
from farchron.exporters.html import era_label, footnotes
from farchron.model.records import Event, Ledger
from farchron.text import clean

_TIME = re.compile(r"T(\d{2}):(\d{2})(?::(\d{2}))?")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")

#: Rows of the time navigator, by default; the rest fold into OTHER.
MAX_GROUPS = 8
OTHER = "other"
GROUP_BY = ("tag", "none")


def tl_year(year: int) -> int:
    """An astronomical year (0 = 1 BC) as TimelineJS numbers it (-1 = 1 BC, no zero)."""
    return year - 1 if year <= 0 else year


def html_text(text: str) -> str:
    """Data text as TimelineJS HTML: escaped, Markdown *emphasis* as <em> (titles of works
    in the notes as printed)."""
    return _EMPHASIS.sub(r"<em>\1</em>", html.escape(clean(text)))


def _date_obj(side: Side, *, last: bool) -> dict[str, Any]:
    """A TimelineJS date at the side's precision; `last` takes the side's last unit.

    A season becomes the months it starts and ends in (autumn 1944: Sep to Nov).
    """
    ymd = side.end if last else side.start
    y, m, d = ymd
    out: dict[str, Any] = {"year": tl_year(y)}
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
        parts.append(f"<p>{html_text(e.summary)}</p>")
    notes = footnotes(e, ledger, book)
    if notes:
        items = []
        for n in notes:
            label = f"<strong>{html.escape(n['label'])}:</strong> " if n["label"] else ""
            works = "".join(f"<br>→ {html_text(w)}" for w in n["works"])
            items.append(f"<li>{label}{html_text(n['text'])}{works}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    return "".join(parts)


def display_date(e: Event, calendar: str = "both", era: str | None = None) -> str:
    """The date as the slide shows it: '23 Aug 1939', with --era '23 Aug 1939 (Shōwa 14)'."""
    text = clean(e.display(calendar))
    label = clean(era_label(e, era))
    return f"{text} ({label})" if label else text


def slide(e: Event, ledger: Ledger, book: LedgerNotes | None = None,
          group: str | None = None, *, calendar: str = "both",
          era: str | None = None) -> dict[str, Any]:
    """One TimelineJS event (a "slide"), in `group` if given; its display_date in
    `calendar`, with the era year when `era` is given."""
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
    shown = display_date(e, calendar, era)
    start["display_date"] = shown
    out: dict[str, Any] = {
        "unique_id": e.id,
        "start_date": start,
        "display_date": shown,
        "text": {"headline": html.escape(clean(e.title)), "text": _text(e, ledger, book)},
    }
    if end is not None and end != {k: v for k, v in start.items() if k != "display_date"}:
        out["end_date"] = end
    if group:
        out["group"] = html.escape(clean(group))
    return out


def groups(events: Sequence[Event], group_by: str = "tag",
           max_groups: int = MAX_GROUPS) -> list[str | None]:
    """Each event's group: its first tag, the least common folded into "other" so there
    are at most `max_groups`; None for all with group_by "none"."""
    if group_by == "none" or max_groups < 1:
        return [None] * len(events)
    from collections import Counter

    first = [e.tags[0] if e.tags else OTHER for e in events]
    counts = Counter(first)
    if len(counts) > max_groups:
        named = [t for t, _n in counts.most_common() if t != OTHER]
        keep = set(named[: max_groups - 1])
        first = [t if t in keep else OTHER for t in first]
    return list(first)


def document(events: Sequence[Event], ledger: Ledger, title: str = "", *,
             group_by: str = "tag", max_groups: int = MAX_GROUPS, calendar: str = "both",
             era: str | None = None) -> dict[str, Any]:
    """The whole TimelineJS JSON document."""
    book = LedgerNotes(ledger)
    rows = groups(events, group_by, max_groups)
    doc: dict[str, Any] = {"events": [slide(e, ledger, book, g, calendar=calendar, era=era)
                                      for e, g in zip(events, rows, strict=True)]}
    if title:
        doc["title"] = {"text": {"headline": html.escape(clean(title)), "text": ""}}
    return doc
