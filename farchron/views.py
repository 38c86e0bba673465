"""How each kind of record is laid out in a listing: columns for tables and TSV.

Kept apart from render.py (which knows formats, not records) and cli.py (which
knows options, not layout); imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from farchron.ledger import Event
from farchron.render import Column, write_listing

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


def write_events(fmt: str, events: Sequence[Event], *, title: str | None = None) -> None:
    records = [event_record(e) for e in events]
    if fmt in ("json", "jsonl"):
        write_listing(fmt, records, ())
        return
    for rec, e in zip(records, events, strict=True):
        rec["when"] = e.date.display()
    cols = EVENT_COLUMNS_TABLE if fmt == "table" else EVENT_COLUMNS_FLAT
    write_listing(fmt, records, cols, title=title)
