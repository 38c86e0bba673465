"""`show`: one event in full, its citations resolved, as a page on a terminal, or as
records in the listing formats.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from farchron.dates.names import JULIAN
from farchron.model.records import Event, Ledger, era_of
from farchron.render.listings import when
from farchron.text import clean, json_dumps

if TYPE_CHECKING:
    pass

# --------------------------------------------------------------------------- show


def write_show(fmt: str, events: Sequence[Event], ledger: Ledger, *, many: bool = False,
               calendar: str = "both", era: str | None = None) -> None:
    """Events in full, each citation resolved to its works: text, or JSON (one object;
    an array when several ids were asked for)."""
    from farchron.cite import chicago as cite

    notes = cite.LedgerNotes(ledger)
    resolved_all = []
    for event in events:
        resolved = []
        for c in event.citations:
            for work in notes.resolve(c):
                resolved.append({**c.to_json(), "source": work.source, "pages": work.pages,
                                 "section": work.section,
                                 "text": notes.citation_text(work)})
        resolved_all.append(resolved)
    if fmt == "json":
        recs = []
        for event, resolved in zip(events, resolved_all, strict=True):
            rec = event.to_json()
            rec["citations"] = resolved
            if era:
                rec["era"] = era_of(event, era)
            own_parts = [e.id for e in ledger.parts_of(event.id)]
            if own_parts:
                rec["parts"] = own_parts
            recs.append(rec)
        sys.stdout.write(json_dumps(recs if many else recs[0]) + "\n")
        return
    width, con = _show_target()
    lines: list[list[tuple[str, str]]] = []
    for n, (event, resolved) in enumerate(zip(events, resolved_all, strict=True)):
        if n:
            lines += [[], [("─" * min(width or 40, 40), "dim")], []]
        lines += _show_lines(event, resolved, width, ledger, calendar=calendar, era=era)
    if con is None:
        sys.stdout.write("".join("".join(t for t, _s in segs) + "\n" for segs in lines))
        return
    from rich.text import Text

    for segs in lines:
        text = Text()
        for t, style in segs:
            text.append(t, style=style)
        con.print(text, soft_wrap=True)


def _show_target() -> tuple[int | None, Any]:
    """(width to wrap to, a colour Console or None). A terminal: its width, in colour. An
    fzf preview (FZF_PREVIEW_COLUMNS, which renders colour): its width, in colour. A
    pipe: unwrapped lines (grep them), plain. NO_COLOR: never colour."""
    from farchron.render.output import console, no_color
    from farchron.settings import fzf_preview_columns

    fzf = fzf_preview_columns()
    if fzf:
        if no_color():
            return fzf, None
        from rich.console import Console

        return fzf, Console(file=sys.stdout, force_terminal=True, width=fzf,
                            markup=False, emoji=False, highlight=False)
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return None, None
    con = console()
    return max(con.width, 20), (None if no_color() else con)


def _show_lines(event: Event, resolved: Sequence[dict[str, Any]], width: int | None,
                ledger: Ledger, *, calendar: str = "both", era: str | None = None
                ) -> list[list[tuple[str, str]]]:
    """One event as styled lines, wrapped to `width` with hanging indents (None: as is)."""
    if width is not None:  # into a pipe nothing is wrapped: no widths module (issue 28)
        from farchron.render.widths import wrap

    out: list[list[tuple[str, str]]] = []

    def add(label: str, body: str, style: str = "", label_style: str = "dim",
            indent: int | None = None) -> None:
        pad = len(label) if indent is None else indent
        if width is None or not body:
            parts = [body]
        else:
            first = wrap(body, max(width - len(label), 10))
            rest = body[len(first[0]):].lstrip()
            parts = [first[0], *(wrap(rest, max(width - pad, 10)) if rest else [])]
        out.append([(label, label_style), (parts[0], style)])
        out.extend([[(" " * pad, ""), (p, style)] for p in parts[1:]])

    add("", clean(event.title), "bold")
    out.append([])
    add("id:       ", event.id)
    old_style = " Julian" if event.calendar == JULIAN else ""
    add("date:     ", f"{clean(when(event, calendar))} ({clean(event.date.text)}{old_style}; "
        f"{event.date.start_iso or '..'} to {event.date.end_iso or '..'})", "cyan")
    if event.date_as_printed:
        add("printed:  ", clean(event.date_as_printed))
    if era:
        add("era:      ", clean(era_of(event, era)))
    for label, values in (("aliases", event.aliases), ("tags", event.tags),
                          ("actors", event.actors), ("places", event.places)):
        if values:
            add(f"{label + ':':<9} ", "; ".join(clean(v) for v in values))
    whole = ledger.event(event.part_of) if event.part_of else None
    own_parts = ledger.parts_of(event.id)
    if whole is not None:
        add("part of:  ", f"{clean(whole.id)} ({clean(whole.date.display())}): "
            f"{clean(whole.title)}")
    if own_parts:
        add("parts:    ", "; ".join(f"{clean(e.id)} ({clean(e.date.display())})"
                                    for e in own_parts))
    if event.other_dates:
        from farchron.ledger.evidence import other_dates_text

        add("other sources: ", clean(other_dates_text(event)))
    if event.summary:
        out.append([])
        add("", clean(event.summary))
    out += [[], [("Sources:", "bold")]]
    for r in resolved:
        via = f"note {r['note']}: " if r["note"] is not None else ""
        add("  - ", f"{via}{clean(r['text'])}", indent=4, label_style="")
    return out
