"""`cite`: a footnoted summary of events in text, Rich, Markdown or JSON, and the
bibliography of the works cited.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from farchron.model.records import Event, Ledger, Source, era_of
from farchron.render.listings import when
from farchron.render.output import Column, write_listing
from farchron.text import clean, json_dumps

if TYPE_CHECKING:
    from farchron.cite import chicago as cite

# --------------------------------------------------------------------------- cite


class DateForm:
    """How `cite` writes an event's date: the calendar, the era year beside it, and
    whether the date as the source printed it follows."""

    def __init__(self, calendar: str = "both", era: str | None = None,
                 as_printed: bool = False) -> None:
        self.calendar, self.era, self.as_printed = calendar, era, as_printed

    def text(self, e: Event) -> str:
        """'23 Aug 1939', '23 Aug 1939 (Shōwa 14)', or with as_printed '20 Dec 1904 OS
        (2 Jan 1905; as printed: 20 декабря 1904 г.)': one parenthesis, never two."""
        shown = when(e, self.calendar)
        extra = []
        if self.era:
            label = era_of(e, self.era)
            if label:
                extra.append(label)
        printed = e.date_as_printed.strip()
        if self.as_printed and printed and printed != shown:
            extra.append(f"as printed: {printed}")
        if not extra:
            return shown
        if shown.endswith(")"):
            return f"{shown[:-1]}; {'; '.join(extra)})"
        return f"{shown} ({'; '.join(extra)})"


def write_cite(fmt: str, events: Sequence[Event], ledger: Ledger, *,
               with_bibliography: bool = False, out: Any = None, edition: int = 17,
               form: DateForm | None = None) -> None:
    """A footnoted summary: text (Rich on a terminal), markdown or json; the
    bibliography of the works cited after the notes when asked."""
    from farchron.cite import chicago as c

    out = out or sys.stdout
    form = form or DateForm()
    book = c.Notes(ledger.sources, edition=edition)
    cited, notes = c.footnoted(events, ledger, book)
    bib = book.bibliography() if with_bibliography else []
    if fmt == "json":
        data = cite_json(cited, notes, form)
        if with_bibliography:
            data["bibliography"] = [c.plain(e) for e in bib]
        out.write(json_dumps(data) + "\n")
    elif fmt == "markdown":
        write_cite_markdown(cited, notes, out, bib, form)
    elif out is sys.stdout and sys.stdout.isatty():
        from farchron.render.output import console

        write_cite_rich(cited, notes, console(), bib, form)
    else:
        write_cite_text(cited, notes, out, bib, form)


def event_sentence(e: Event, form: DateForm | None = None) -> tuple[str, str, str]:
    """(date, title, summary) as the summary prints them; the dates other sources give
    close the summary ("Other sources: 27 Jul 1940 (commonly given).")."""
    summary = e.summary
    if e.other_dates:
        from farchron.ledger.evidence import other_dates_text

        summary = f"{summary} Other sources: {other_dates_text(e)}.".strip()
    return (form or DateForm()).text(e), e.title, summary


def _marks(markers: Sequence[int], fmt: str) -> str:
    return "".join(fmt.format(m) for m in markers)


def write_cite_text(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote],
                    out: Any, bib: Sequence[Sequence[cite.Run]] = (),
                    form: DateForm | None = None) -> None:
    """Plain text: one paragraph per event ending in its [n] marker, then the notes."""
    from farchron.cite.chicago import plain, smart

    for c in cited:
        when, title, summary = event_sentence(c.event, form)
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
                    console: Any, bib: Sequence[Sequence[cite.Run]] = (),
                    form: DateForm | None = None) -> None:
    """On a terminal: the same text, with dates in bold and titles of works in italics."""
    from rich.text import Text

    from farchron.cite.chicago import smart

    def runs_text(runs: Sequence[cite.Run], t: Any) -> Any:
        prev = ""
        for text, italic in runs:
            t.append(smart(clean(text), prev), style="italic" if italic else "")
            prev = text[-1:] or prev
        return t

    for c in cited:
        when, title, summary = event_sentence(c.event, form)
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
                        out: Any, bib: Sequence[Sequence[cite.Run]] = (),
                        form: DateForm | None = None) -> None:
    """Pandoc Markdown with real footnotes ([^1]) that pandoc sets as notes."""
    from farchron.cite.chicago import markdown, md_escape

    for c in cited:
        when, title, summary = event_sentence(c.event, form)
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
    from farchron.cite.chicago import bibliography, markdown, plain

    out = out or sys.stdout
    entries = bibliography(works, family_first, edition)
    if fmt == "chicago-markdown":
        out.write("".join(markdown(e) + "\n\n" for e in entries))
    elif out is sys.stdout and sys.stdout.isatty():
        from rich.text import Text

        from farchron.cite.chicago import smart
        from farchron.render.output import console

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


def cite_json(cited: Sequence[cite.Cited], notes: Sequence[cite.FootNote],
              form: DateForm | None = None) -> dict[str, Any]:
    """The events (each with its "date-as-printed" when it has one, and "era" with --era)
    and their notes."""
    events = []
    for c in cited:
        rec = c.event.to_json()
        if form is not None and form.era:
            rec["era"] = era_of(c.event, form.era)
        rec["markers"] = list(c.markers)
        events.append(rec)
    return {"events": events, "notes": [n.to_json() for n in notes]}


# --------------------------------------------------------------------------- sources

SOURCE_COLUMNS_TABLE = (
    Column("Id", lambda r: r["id"], style="dim", no_wrap=True),
    Column("Author", lambda r: r["authors_text"], min_width=10, ratio=1),
    Column("Year", lambda r: r["issued"], min_width=4, style="cyan"),
    Column("Title", lambda r: r["title"], min_width=12, ratio=3),
    Column("Events", lambda r: len(r["events"]), min_width=6),  # how many; ids in TSV/JSON
)
SOURCE_COLUMNS_FLAT = (
    Column("id", lambda r: r["id"]), Column("type", lambda r: r["type"]),
    Column("authors", lambda r: r["authors_text"]),
    Column("issued", lambda r: r["issued"]), Column("title", lambda r: r["title"]),
    Column("events", lambda r: " ".join(r["events"])),
)


def write_sources(fmt: str, works: Sequence[Source],
                  citing: Mapping[str, Sequence[str]] | None = None,
                  family_first: frozenset[str] | None = None) -> None:
    """The works as a listing (with the events citing each), exported (bibtex, csl-json,
    ris), or a Chicago bibliography.

    `family_first`: the ledger's East Asian names (works.east_asian_names), so a
    selection of works orders names as the whole ledger does.
    """
    if fmt in ("chicago", "chicago-markdown"):
        from farchron.cite.works import east_asian_names

        write_bibliography(fmt, works, family_first if family_first is not None
                           else east_asian_names(works))
        return
    from farchron.exporters import WORK_FORMATS, export_works

    if fmt in WORK_FORMATS:
        sys.stdout.write(export_works(fmt, works, family_first))
        return
    citing = citing or {}
    records = [s.to_json() for s in works]
    for r in records:
        r["authors_text"] = "; ".join(r["authors"] or r.get("editors") or [])
        r["events"] = list(citing.get(r["id"], ()))
    cols = SOURCE_COLUMNS_TABLE if fmt == "table" else SOURCE_COLUMNS_FLAT
    if fmt in ("json", "jsonl"):
        for r in records:
            del r["authors_text"]
    write_listing(fmt, records, cols)
