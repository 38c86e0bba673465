"""A self-contained HTML timeline (CSS, script and data inline) and safe file output.

The page must open from disk with no server and make no network request, so
the template lives in the package (templates/timeline.html) and the events go
in as JSON inside <script type="application/json">, with every "<" escaped.
Text reaches the page only through textContent, never innerHTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from farchron.cite.chicago import LedgerNotes
from farchron.dates import edtf as dates
from farchron.dates.edtf import day_number, shape, sides, year_label
from farchron.model.records import Citation, Event, Ledger
from farchron.text import clean

TEMPLATE = Path(__file__).resolve().parent / "templates" / "timeline.html"
NO_TAG = "(no tag)"


def decimal_year(ymd: dates.YMD, *, after: bool = False) -> float:
    """A day as a fractional year (1939.5 is early July 1939); `after`: the day's end."""
    y = ymd[0]
    first, nxt = day_number((y, 1, 1)), day_number((y + 1, 1, 1))
    return y + (day_number(ymd) - first + (1 if after else 0)) / (nxt - first)


def _locator(c: Citation) -> str:
    parts = []
    if c.pages:
        parts.append(("pp. " if any(ch in c.pages for ch in "-–,") else "p. ") + c.pages)
    if c.section:
        parts.append(f"section {c.section}")
    return ", ".join(parts)


def _work(c: Citation, notes: LedgerNotes) -> str:
    """A work and locator in Chicago form; title + locator if formatting fails."""
    try:
        text = notes.citation_text(c)
        if text:
            return str(text)
    except Exception:  # a formatting gap must not lose the footnote
        pass
    src = notes.ledger.sources.get(c.source or "")
    title = src.title if src is not None else (c.source or "")
    loc = _locator(c)
    return f"{title}, {loc}" if loc else title


def footnotes(e: Event, ledger: Ledger, notes: LedgerNotes | None = None
              ) -> list[dict[str, Any]]:
    """Each citation of an event in full: a note's printed text and the works it names."""
    book = notes or LedgerNotes(ledger)
    out: list[dict[str, Any]] = []
    for c in e.citations:
        if c.note is not None:
            note = ledger.notes.get(c.note)
            works = [_work(w, book) for w in book.resolve(c)]
            text = note.text if note is not None else "(this note is not in sources.toml)"
            label = f"Note {c.note}" + (f", {_locator(c)}" if c.pages or c.section else "")
            out.append({"label": clean(label), "text": clean(text),
                        "works": [clean(w) for w in works]})
        else:
            out.append({"label": "", "text": clean(_work(c, book)), "works": []})
    return out


def event_data(e: Event, ledger: Ledger, notes: LedgerNotes | None = None, *,
               calendar: str = "both", era: str | None = None,
               known: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """What the page needs of one event; positions as fractional years. `when` is the
    date in `calendar`; `era` the era year beside it ('Shōwa 14'), '' without --era;
    `known` the ledger's cached keys of its texts outside ASCII (query.scripts.text_keys)."""
    from farchron.query.scripts import search_words

    d = e.date
    ss = sides(d)
    open_lo = d.start == dates.MIN_YMD
    open_hi = d.end == dates.MAX_YMD
    return {
        "id": e.id,
        "title": clean(e.title),
        "date": clean(d.text),
        "when": clean(e.display(calendar)),
        "era": clean(era_label(e, era)),
        "start": d.start_iso or None,
        "end": d.end_iso or None,
        "t0": None if open_lo else decimal_year(d.start),
        "t1": None if open_hi else decimal_year(d.end, after=True),
        "shape": shape(d),
        "approx": [ss[0].approximate, ss[-1].approximate],
        "lane": clean(e.tags[0]) if e.tags else NO_TAG,
        "tags": [clean(t) for t in e.tags],
        "actors": [clean(a) for a in e.actors],
        "places": [clean(p) for p in e.places],
        "aliases": [clean(a) for a in e.aliases],
        "summary": clean(e.summary),
        "notes": footnotes(e, ledger, notes),
        # what the search box matches beside the texts: the CLI's search keys (Cyrillic and
        # kana romanised, Japanese by its reading) and the Latin words in Cyrillic
        "keys": clean(search_words((e.title, *e.aliases, *e.actors, *e.places), known)),
    }


def era_label(e: Event, era: str | None) -> str:
    """'Shōwa 14' (era "japanese") or 'Minguo 28' ("minguo"); '' without one (records.era_of)."""
    if not era:
        return ""
    from farchron.model.records import era_of

    return era_of(e, era)


def page_data(events: Sequence[Event], ledger: Ledger, start: dates.YMD = dates.MIN_YMD,
              end: dates.YMD = dates.MAX_YMD, title: str = "", *, calendar: str = "both",
              era: str | None = None) -> dict[str, Any]:
    from farchron.query.scripts import text_keys

    lo, hi = dates.frame((e.date for e in events), start, end)
    book = LedgerNotes(ledger)
    known = text_keys(ledger) if events else None
    return {
        "title": clean(title),
        "period": [decimal_year(lo), decimal_year(hi, after=True)],
        "periodLabel": _period_label(lo, hi),
        "events": [event_data(e, ledger, book, calendar=calendar, era=era, known=known)
                   for e in events],
    }


def _period_label(lo: dates.YMD, hi: dates.YMD) -> str:
    a, b = year_label(lo[0]), year_label(hi[0])
    return a if a == b else f"{a}–{b}"


def script_json(data: Any) -> str:
    """JSON that cannot end its <script> element or open a comment: every '<' escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_page(events: Sequence[Event], ledger: Ledger, start: dates.YMD = dates.MIN_YMD,
                end: dates.YMD = dates.MAX_YMD, title: str | None = None, *,
                calendar: str = "both", era: str | None = None) -> str:
    """The whole page as one string."""
    data = page_data(events, ledger, start, end, "", calendar=calendar, era=era)
    data["title"] = clean(title) if title else f"Timeline {data['periodLabel']}"
    values = {
        "TITLE": html.escape(data["title"]),
        "DATA": script_json(data),
    }
    template = TEMPLATE.read_text(encoding="utf-8")
    # One pass: text substituted in is never scanned for markers again.
    return re.sub(r"\{\{(TITLE|DATA)\}\}", lambda m: values[m.group(1)], template)


# --------------------------------------------------------------------------- writing files


def write_output(path: str, text: str) -> None:
    """Write text to `path` atomically ('-' is stdout): a reader sees the old file or the new.

    A symlink is followed and the target's mode kept (see farchron.files).
    """
    from farchron.files import write_output as write

    write(path, text)
