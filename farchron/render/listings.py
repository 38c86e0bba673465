"""What the listings print: the columns of events, search hits, works, notes, counts and
`date`, each through render/output.py's one writer per format.

TSV/CSV column order is part of the interface (`cut -f`); imports nothing heavy at
module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from farchron.dates.names import JULIAN
from farchron.model.records import Event, Note, era_of
from farchron.render.output import Column, write_listing
from farchron.text import clean, json_dumps

if TYPE_CHECKING:
    from farchron.query.search import Hit

# TSV/CSV column order is part of the interface (`cut -f`): id, date, start, end, when, title.
EVENT_COLUMNS_FLAT = (
    Column("id", lambda r: r["id"]),
    Column("date", lambda r: r["date"]),
    Column("start", lambda r: r["start"]),
    Column("end", lambda r: r["end"]),
    Column("when", lambda r: r["when"]),
    Column("title", lambda r: r["title"]),
)
EVENT_COLUMNS_TABLE = (
    Column("When", lambda r: r["when"], min_width=10, style="cyan", wrap="parts"),
    Column("Event", lambda r: r["title"], min_width=12, ratio=3),
    Column("Id", lambda r: r["id"], style="dim", no_wrap=True),
)


def event_record(e: Event, **extra: Any) -> dict[str, Any]:
    """The contract's JSON object for an event, plus `when` for the flat formats."""
    rec = e.to_json()
    rec.update(extra)
    return rec


def when(e: Event, calendar: str = "both") -> str:
    """An event's date for people, in the calendar asked for (see Event.display)."""
    return e.display(calendar)


def write_events(fmt: str, events: Sequence[Event], *, title: str | None = None,
                 calendar: str = "both", era: str | None = None) -> None:
    records = [event_record(e) for e in events]
    if era:
        for rec, e in zip(records, events, strict=True):
            rec["era"] = era_of(e, era)
    if fmt in ("json", "jsonl"):
        write_listing(fmt, records, ())
        return
    for rec, e in zip(records, events, strict=True):
        rec["when"] = when(e, calendar)
    cols = EVENT_COLUMNS_TABLE if fmt == "table" else EVENT_COLUMNS_FLAT
    if era:  # beside the date in a table; last in TSV/CSV, so `cut -f` keeps its columns
        era_col = Column("Era" if fmt == "table" else "era", lambda r: r["era"], min_width=8,
                         no_wrap=True)
        cols = (cols[0], era_col, *cols[1:]) if fmt == "table" else (*cols, era_col)
    write_listing(fmt, records, cols, title=title)


# --------------------------------------------------------------------------- search


def write_hits(fmt: str, found: Sequence[tuple[Event, Hit]], *, calendar: str = "both",
               era: str | None = None) -> None:
    """Search hits, best first: the timeline's columns plus the score (and the era)."""
    records = [event_record(e, score=h.score, when=when(e, calendar)) for e, h in found]
    if era:
        for rec, (e, _) in zip(records, found, strict=True):
            rec["era"] = era_of(e, era)
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["when"]
        write_listing(fmt, records, ())
        return
    cols: tuple[Column, ...]
    if fmt == "table":
        cols = (Column("Score", lambda r: f"{r['score']:.0f}", min_width=5, style="green"),
                Column("When", lambda r: r["when"], min_width=10, style="cyan", wrap="parts"),
                *((Column("Era", lambda r: r["era"], min_width=8, no_wrap=True),)
                  if era else ()),
                Column("Event", lambda r: r["title"], min_width=12, ratio=3),
                Column("Id", lambda r: r["id"], style="dim", no_wrap=True))
    else:  # the timeline's columns, so `cut -f1` is the id, then the score
        cols = tuple(Column(h, _field(h))
                     for h in ("id", "date", "start", "end", "when", "title", "score",
                               *(("era",) if era else ())))
    write_listing(fmt, records, cols)


def _field(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r[key]


# --------------------------------------------------------------------------- sources, notes

def write_notes(fmt: str, found: Sequence[Note],
                citing: Mapping[int, Sequence[str]] | None = None) -> None:
    """The paper's notes: number, works and pages, text, and the events citing each."""
    citing = citing or {}
    records = []
    for n in found:
        rec = n.to_json()
        rec["works"] = "; ".join(
            c["source"] + (f" {c['pages']}" if c["pages"] else "") for c in rec["citations"])
        rec["events"] = list(citing.get(n.number, ()))
        records.append(rec)
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["works"]
    table = fmt == "table"
    cols = (Column("No." if table else "number", lambda r: r["number"], min_width=3),
            Column("Works" if table else "works", lambda r: r["works"], min_width=12,
                   ratio=1, style="cyan"),
            Column("Note" if table else "text", lambda r: r["text"], min_width=12, ratio=3),
            Column("Events" if table else "events", _ids_cell(table), style="dim",
                   wrap="parts"))
    write_listing(fmt, records, cols)


def _ids_cell(table: bool) -> Callable[[dict[str, Any]], str]:
    """Event ids in one cell: "a, b" in a table (which breaks only after a comma, so an
    id stays whole), "a b" in TSV (`cut -f4 | tr ' ' '\\n'`)."""
    sep = ", " if table else " "
    return lambda r: sep.join(r["events"])


# --------------------------------------------------------------------------- stats


def write_stats(fmt: str, bins: Sequence[Any], by: str) -> None:
    """Counts per key: a bar chart, or a listing of (key, count)."""
    from farchron.query import counts as counting

    if fmt == "chart":
        _stats_chart(bins)
        return
    if fmt == "tsv" and by in ("year", "month"):  # keys we made: nothing to clean
        sys.stdout.write("".join([f"{b.key}\t{b.count}\n" for b in bins]))
        return
    records = counting.records(bins, by)
    table = fmt == "table"
    cols = (Column(by.capitalize() if table else by, _field(by), min_width=8),
            Column("Events" if table else "count", lambda r: r["count"], min_width=6))
    write_listing(fmt, records, cols)


def _stats_chart(bins: Sequence[Any]) -> None:
    from farchron.query import counts as counting
    from farchron.render.output import console, is_unicode, no_color

    con = console()
    ascii_ = not is_unicode(sys.stdout)
    plain = no_color() or not con.is_terminal
    for label, bar, count in counting.chart_lines(bins, con.width, ascii=ascii_):
        line = f"{label} {count} {bar}".rstrip() if count else label
        if plain:
            sys.stdout.write(clean(line) + "\n")
            continue
        from rich.text import Text

        text = Text(clean(label), style="dim" if not count else "")
        if count:
            text.append(f" {count} ")
            text.append(bar, style="cyan")
        con.print(text, soft_wrap=True)


# --------------------------------------------------------------------------- date


def write_date(fmt: str, info: dict[str, Any]) -> None:
    """`farchron date`: the JSON object of humandates.describe, or its lines as text."""
    if fmt == "json":
        sys.stdout.write(json_dumps(info) + "\n")
        return
    lines = [clean(info["display"]), f"  edtf:      {clean(info['edtf'])}"
             + (" (Julian calendar)" if info["calendar"] == JULIAN else "")]
    if info["calendar"] == JULIAN:
        lines.append(f"  gregorian: {clean(info['gregorian'])}")
    lines.append(f"  start:     {info['start'] or '..'}")
    lines.append(f"  end:       {info['end'] or '..'}")
    from farchron.dates.written import CALENDAR_LINES

    for key, name, script in CALENDAR_LINES:
        if info.get(key):
            extra = f" ({info[script]})" if script and info[script] else ""
            lines.append(f"  {name + ':':<10} {clean(info[key])}{extra}")
    if info["approximate"]:
        lines.append("  approximate")
    if info["note"]:
        lines.append(f"  note:      {clean(info['note'])}")
    lines += [f"  basis of {k}: {clean(v)}" for k, v in (info.get("bases") or {}).items()]
    sys.stdout.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- diff


def write_changes(fmt: str, changes: Sequence[Any]) -> None:
    """`farchron diff`: one row per change (kind, id, change, old, new)."""
    from farchron.render.output import Column

    records = [c.to_json() for c in changes]
    table = fmt == "table"
    cols = (Column("Kind" if table else "kind", _field("kind"), min_width=4),
            Column("Id" if table else "id", _field("id"), min_width=8, no_wrap=True,
                   style="cyan"),
            Column("Change" if table else "change", _field("change"), min_width=10, ratio=1),
            Column("Old" if table else "old", _field("old"), min_width=8, ratio=2),
            Column("New" if table else "new", _field("new"), min_width=8, ratio=2))
    write_listing(fmt, records, cols)
