"""What each command prints: the columns of every listing, the `show` and `check`
layouts, the footnoted `cite` text, the `stats` bars.

Kept apart from render.py (which knows formats, not records) and the commands (which
know options, not layout); imports nothing heavy at module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farchron.model import Event, Ledger, Note, Problem, Source
from farchron.render import Column, clean, json_dumps, write_listing

if TYPE_CHECKING:
    from farchron import cite
    from farchron.search import Hit

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
    Column("When", lambda r: r["when"], min_width=10, style="cyan"),
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


# --------------------------------------------------------------------------- search


def write_hits(fmt: str, found: Sequence[tuple[Event, Hit]]) -> None:
    """Search hits, best first: the timeline's columns plus the score."""
    records = [event_record(e, score=h.score, when=e.date.display()) for e, h in found]
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["when"]
        write_listing(fmt, records, ())
        return
    cols: tuple[Column, ...]
    if fmt == "table":
        cols = (Column("Score", lambda r: f"{r['score']:.0f}", min_width=5, style="green"),
                Column("When", lambda r: r["when"], min_width=10, style="cyan"),
                Column("Event", lambda r: r["title"], min_width=12, ratio=3),
                Column("Id", lambda r: r["id"], style="dim", no_wrap=True))
    else:  # the timeline's columns, so `cut -f1` is the id, then the score
        cols = tuple(Column(h, _field(h))
                     for h in ("id", "date", "start", "end", "when", "title", "score"))
    write_listing(fmt, records, cols)


def _field(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r[key]


# --------------------------------------------------------------------------- show


def write_show(fmt: str, event: Event, ledger: Ledger) -> None:
    """One event in full, each citation resolved to its works (text or JSON)."""
    from farchron import cite

    notes = cite.LedgerNotes(ledger)
    resolved = []
    for c in event.citations:
        for work in notes.resolve(c):
            resolved.append({**c.to_json(), "source": work.source, "pages": work.pages,
                             "section": work.section,
                             "text": notes.citation_text(work)})
    if fmt == "json":
        rec = event.to_json()
        rec["citations"] = resolved
        sys.stdout.write(json_dumps(rec) + "\n")
        return
    lines = [clean(event.title), "",
             f"id:       {event.id}",
             f"date:     {clean(event.date.display())} ({clean(event.date.text)}; "
             f"{event.date.start_iso or '..'} to {event.date.end_iso or '..'})"]
    for label, values in (("aliases", event.aliases), ("tags", event.tags),
                          ("actors", event.actors), ("places", event.places)):
        if values:
            lines.append(f"{label + ':':<9} {'; '.join(clean(v) for v in values)}")
    if event.summary:
        lines += ["", clean(event.summary)]
    lines += ["", "Sources:"]
    for r in resolved:
        via = f"note {r['note']}: " if r["note"] is not None else ""
        lines.append(f"  - {via}{clean(r['text'])}")
    sys.stdout.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- check


def write_problems(fmt: str, problems: Sequence[Problem]) -> None:
    """text: one FILE:LINE: message a line; json: one array of objects."""
    if fmt == "json":
        sys.stdout.write(json_dumps([
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.message} for p in problems]) + "\n")
    else:
        for p in problems:
            sys.stdout.write(clean(str(p)) + "\n")


def check_summary(ledger: Ledger | None, problems: Sequence[Problem], data_dir: Path) -> str:
    """The line `check` says on stderr after the list."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(f"{n} {word}{'' if n == 1 else 's'}"
                       for n, word in ((errors, "error"), (warnings, "warning")) if n)
    if ledger is not None and not errors:
        return (f"ok: {len(ledger.events)} events, {len(ledger.sources)} sources, "
                f"{len(ledger.notes)} notes" + (f" ({counts})" if counts else ""))
    return f"{counts} in {data_dir}"


# --------------------------------------------------------------------------- cite


def write_cite(fmt: str, events: Sequence[Event], ledger: Ledger, *,
               with_bibliography: bool = False, out: Any = None, edition: int = 17) -> None:
    """A footnoted summary: text (Rich on a terminal), markdown or json; the
    bibliography of the works cited after the notes when asked."""
    from farchron import cite as c

    out = out or sys.stdout
    book = c.Notes(ledger.sources, edition=edition)
    cited, notes = c.footnoted(events, ledger, book)
    bib = book.bibliography() if with_bibliography else []
    if fmt == "json":
        data = cite_json(cited, notes)
        if with_bibliography:
            data["bibliography"] = [c.plain(e) for e in bib]
        out.write(json_dumps(data) + "\n")
    elif fmt == "markdown":
        write_cite_markdown(cited, notes, out, bib)
    elif out is sys.stdout and sys.stdout.isatty():
        from farchron.render import console

        write_cite_rich(cited, notes, console(), bib)
    else:
        write_cite_text(cited, notes, out, bib)


def event_sentence(e: Event) -> tuple[str, str, str]:
    """(date, title, summary) as the summary prints them."""
    return e.date.display(), e.title, e.summary


def _marks(markers: Sequence[int], fmt: str) -> str:
    return "".join(fmt.format(m) for m in markers)


def write_cite_text(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote],
                    out: Any, bib: Sequence[Sequence[cite.Run]] = ()) -> None:
    """Plain text: one paragraph per event ending in its [n] marker, then the notes."""
    from farchron.cite import plain, smart

    for c in cited:
        when, title, summary = event_sentence(c.event)
        body = smart(f"{clean(when)}: {_sentence(clean(title))} {clean(summary)}".rstrip())
        out.write(f"{body}{_marks(c.markers, '[{}]')}\n\n")
    out.write("Notes\n\n")
    for n in notes:
        out.write(f"{n.marker}. {n.text}\n")
    if bib:
        out.write("\nBibliography\n\n")
        for entry in bib:
            out.write(plain(entry) + "\n")


def write_cite_rich(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote],
                    console: Any, bib: Sequence[Sequence[cite.Run]] = ()) -> None:
    """On a terminal: the same text, with dates in bold and titles of works in italics."""
    from rich.text import Text

    from farchron.cite import smart

    def runs_text(runs: Sequence[cite.Run], t: Any) -> Any:
        prev = ""
        for text, italic in runs:
            t.append(smart(clean(text), prev), style="italic" if italic else "")
            prev = text[-1:] or prev
        return t

    for c in cited:
        when, title, summary = event_sentence(c.event)
        t = Text()
        t.append(clean(when), style="bold")
        t.append(smart(f": {_sentence(clean(title))} {clean(summary)}".rstrip()))
        t.append(_marks(c.markers, "[{}]"), style="cyan")
        console.print(t)
        console.print()
    console.print(Text("Notes", style="bold"))
    console.print()
    for n in notes:
        console.print(runs_text(n.runs, Text(f"{n.marker}. ")))
    if bib:
        console.print()
        console.print(Text("Bibliography", style="bold"))
        console.print()
        for entry in bib:
            console.print(runs_text(entry, Text()))


def write_cite_markdown(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote],
                        out: Any, bib: Sequence[Sequence[cite.Run]] = ()) -> None:
    """Pandoc Markdown with real footnotes ([^1]) that pandoc sets as notes."""
    from farchron.cite import markdown, md_escape

    for c in cited:
        when, title, summary = event_sentence(c.event)
        body = f"**{md_escape(when)}**: {_sentence(md_escape(title))} {md_escape(summary)}"
        out.write(f"{body.rstrip()}{_marks(c.markers, '[^{}]')}\n\n")
    for n in notes:
        out.write(f"[^{n.marker}]: {markdown(n.runs)}\n")
    if bib:
        out.write("\n# Bibliography\n\n")
        for entry in bib:
            out.write(markdown(entry) + "\n\n")


def write_bibliography(fmt: str, works: Sequence[Source], family_first: frozenset[str],
                       out: Any = None, edition: int = 17) -> None:
    """`sources -f chicago`: the bibliography, one entry a line (Markdown italics with
    chicago-markdown; Rich italics on a terminal)."""
    from farchron.cite import bibliography, markdown, plain

    out = out or sys.stdout
    entries = bibliography(works, family_first, edition)
    if fmt == "chicago-markdown":
        out.write("".join(markdown(e) + "\n\n" for e in entries))
    elif out is sys.stdout and sys.stdout.isatty():
        from rich.text import Text

        from farchron.cite import smart
        from farchron.render import console

        con = console()
        for e in entries:
            t, prev = Text(), ""
            for text, italic in e:
                t.append(smart(clean(text), prev), style="italic" if italic else "")
                prev = text[-1:] or prev
            con.print(t)
    else:
        out.write("".join(plain(e) + "\n" for e in entries))


def _sentence(title: str) -> str:
    """A title as a sentence of the summary: ends with one full stop."""
    return title if title.endswith((".", "?", "!")) else title + "."


def cite_json(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote]
              ) -> dict[str, Any]:
    events = []
    for c in cited:
        rec = c.event.to_json()
        rec["markers"] = list(c.markers)
        events.append(rec)
    return {"events": events, "notes": [n.to_json() for n in notes]}


# --------------------------------------------------------------------------- sources, notes

SOURCE_COLUMNS_TABLE = (
    Column("Id", lambda r: r["id"], style="dim", no_wrap=True),
    Column("Author", lambda r: r["authors_text"], min_width=10, ratio=1),
    Column("Year", lambda r: r["issued"], min_width=4, style="cyan"),
    Column("Title", lambda r: r["title"], min_width=12, ratio=3),
)
SOURCE_COLUMNS_FLAT = (
    Column("id", lambda r: r["id"]), Column("type", lambda r: r["type"]),
    Column("authors", lambda r: r["authors_text"]),
    Column("issued", lambda r: r["issued"]), Column("title", lambda r: r["title"]),
)


def write_sources(fmt: str, works: Sequence[Source],
                  family_first: frozenset[str] | None = None) -> None:
    """The works as a listing, exported (bibtex, csl-json, ris), or a Chicago bibliography.

    `family_first`: the ledger's East Asian names (works.east_asian_names), so a
    selection of works orders names as the whole ledger does.
    """
    if fmt in ("chicago", "chicago-markdown"):
        from farchron.works import east_asian_names

        write_bibliography(fmt, works, family_first if family_first is not None
                           else east_asian_names(works))
        return
    if fmt in ("bibtex", "csl-json", "ris"):
        from farchron.export import export

        sys.stdout.write(export(fmt, works, family_first))
        return
    records = [s.to_json() for s in works]
    for r in records:
        r["authors_text"] = "; ".join(r["authors"] or r.get("editors") or [])
    cols = SOURCE_COLUMNS_TABLE if fmt == "table" else SOURCE_COLUMNS_FLAT
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["authors_text"]
    write_listing(fmt, records, cols)


def write_notes(fmt: str, found: Sequence[Note]) -> None:
    """The paper's notes: number, works and pages, text."""
    records = []
    for n in found:
        rec = n.to_json()
        rec["works"] = "; ".join(
            c["source"] + (f" {c['pages']}" if c["pages"] else "") for c in rec["citations"])
        records.append(rec)
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["works"]
    table = fmt == "table"
    cols = (Column("No." if table else "number", lambda r: r["number"], min_width=3),
            Column("Works" if table else "works", lambda r: r["works"], min_width=12,
                   ratio=1, style="cyan"),
            Column("Note" if table else "text", lambda r: r["text"], min_width=12, ratio=3))
    write_listing(fmt, records, cols)


# --------------------------------------------------------------------------- stats


def write_stats(fmt: str, bins: Sequence[Any], by: str) -> None:
    """Counts per key: a bar chart, or a listing of (key, count)."""
    from farchron import stats as counting

    if fmt == "chart":
        _stats_chart(bins)
        return
    records = counting.records(bins, by)
    table = fmt == "table"
    cols = (Column(by.capitalize() if table else by, _field(by), min_width=8),
            Column("Events" if table else "count", lambda r: r["count"], min_width=6))
    write_listing(fmt, records, cols)


def _stats_chart(bins: Sequence[Any]) -> None:
    from farchron import stats as counting
    from farchron.render import console, no_color

    con = console()
    ascii_ = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") != "utf8"
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
