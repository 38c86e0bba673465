"""What each command prints: the columns of every listing, the `show` and `check`
layouts, the footnoted `cite` text, the `stats` bars.

Kept apart from render.py (which knows formats, not records) and the commands (which
know options, not layout); imports nothing heavy at module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farchron.model.records import Event, Ledger, Note, Problem, Source
from farchron.render.output import Column, clean, json_dumps, write_listing

if TYPE_CHECKING:
    from farchron.audit.compare import Finding
    from farchron.cite import chicago as cite
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


def era_of(e: Event, era: str) -> str:
    """'Shōwa 14' (era="japanese") or 'Minguo 28' (era="minguo") for an event; '' if none."""
    from farchron.dates.calendars import japanese_label, minguo_label
    from farchron.dates.edtf import MAX_YMD, MIN_YMD

    s, end = e.date.start, e.date.end
    if s == MIN_YMD or end == MAX_YMD:
        return ""
    return japanese_label(s, end) if era == "japanese" else minguo_label(s, end)


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
    old_style = " Julian" if event.calendar == "julian" else ""
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
    where = ledger_name(data_dir)
    if ledger is not None and not errors:
        sizes = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in (
            (len(ledger.events), "event"), (len(ledger.sources), "source"),
            (len(ledger.notes), "note")))
        return f"ok: {sizes} in {where}" + (f" ({counts})" if counts else "")
    return f"{counts} in {where}"


def ledger_name(data_dir: Path) -> str:
    """How a message names a ledger: "the shipped ledger", "./rjw" below the current
    folder, else its path (so `check` in an empty folder says which one it checked)."""
    import os

    from farchron.ledger.folder import shipped_data_dir

    try:
        if data_dir.resolve() == shipped_data_dir().resolve():
            return "the shipped ledger"
        rel = os.path.relpath(data_dir.resolve(), Path.cwd().resolve())
    except (OSError, ValueError):
        return str(data_dir)
    if rel == ".":
        return "."
    return str(data_dir) if rel.startswith("..") else f".{os.sep}{rel}"


def write_findings(fmt: str, findings: Sequence[Finding]) -> None:
    """audit's findings: text like check's, or one JSON array."""
    if fmt == "json":
        sys.stdout.write(json_dumps([f.to_json() for f in findings]) + "\n")
    else:
        for f in findings:
            sys.stdout.write(clean(str(f)) + "\n")


def audit_summary(findings: Sequence[Finding], claims: int, files: int,
                  unreadable: int = 0) -> str:
    """The line `audit` says on stderr after the list (never "ok" when a file was not read)."""
    kinds = (("date-contradicts", "contradiction", "contradictions"),
             ("date-other-source", "date other sources give", "dates other sources give"),
             ("date-calendar", "date in the other calendar", "dates in the other calendar"),
             ("no-event", "date matching no event", "dates matching no event"))
    counts = [(sum(f.code == c for f in findings), one, many) for c, one, many in kinds]
    counts.append((unreadable, "file unreadable", "files unreadable"))
    said = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n)
    where = f"{claims} date{'' if claims == 1 else 's'} in {files} file{'' if files == 1 else 's'}"
    return f"{said or 'ok'}: {where}"


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


# --------------------------------------------------------------------------- sources, notes

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
    if fmt in ("bibtex", "csl-json", "ris"):
        from farchron.exporters.bibliography import export

        sys.stdout.write(export(fmt, works, family_first))
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
             + (" (Julian calendar)" if info["calendar"] == "julian" else "")]
    if info["calendar"] == "julian":
        lines.append(f"  gregorian: {clean(info['gregorian'])}")
    lines.append(f"  start:     {info['start'] or '..'}")
    lines.append(f"  end:       {info['end'] or '..'}")
    for key, script in (("julian", ""), ("japanese", "japanese_kanji"),
                        ("minguo", "minguo_hanzi")):
        if info[key]:
            extra = f" ({info[script]})" if script and info[script] else ""
            lines.append(f"  {key + ':':<10} {clean(info[key])}{extra}")
    if info["approximate"]:
        lines.append("  approximate")
    if info["note"]:
        lines.append(f"  note:      {clean(info['note'])}")
    sys.stdout.write("\n".join(lines) + "\n")
