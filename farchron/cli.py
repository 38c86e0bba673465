"""Click commands only: parse options, call one core function, hand the result to render.

Errors become exit codes in one place, main(), following grep: 0 found, 1 none, 2 error.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from farchron import __version__
from farchron.errors import DataError, FarchronError, NotFound, UsageError
from farchron.options import filter_options, format_option, period_options


class App:
    """What every command shares: where the data is, and the ledger once loaded."""

    def __init__(self, data: str | None, use_cache: bool = True) -> None:
        self.data_option = data
        self.use_cache = use_cache
        self._ledger: Any = None

    @property
    def data_dir(self) -> Path:
        from farchron.ledger import find_data_dir

        return find_data_dir(self.data_option)

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from farchron.cache import BIG, load_cached

            self._ledger = load_cached(self.data_dir, self.use_cache)
            if len(self._ledger.events) >= BIG:
                global _FAST_EXIT
                _FAST_EXIT = True
        return self._ledger


pass_app = click.make_pass_decorator(App)

#: Set when a huge ledger was loaded: main() then ends with os._exit after flushing.
_FAST_EXIT = False


def _period(period: str | None, date_from: str | None, date_to: str | None) -> Any:
    from farchron.dates import DateError
    from farchron.query import Period

    try:
        return Period.build(period, date_from, date_to)
    except DateError as exc:
        raise UsageError(str(exc)) from None


def _fmt(fmt: str | None) -> str:
    from farchron.render import default_format

    return fmt.lower() if fmt else default_format()


EPILOG = """\b
Examples:
  farchron timeline 1939
  farchron timeline 1939-05/1939-09 --tag battle
  farchron timeline --from 1945-08 --to 1945-09 -f json | jq length
  farchron timeline -- -0215          (216 BC; or: farchron timeline 216BC)
"""


class Group(click.Group):
    """Turns the core's errors into a message and grep's exit codes, for main and tests alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            _data_error(exc)
            ctx.exit(exc.exit_code)
        except NotFound as exc:
            if str(exc):
                _say(str(exc))
            ctx.exit(exc.exit_code)
        except FarchronError as exc:
            _say(str(exc))
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # Click would turn this into exit 1 ("nothing matched"); a reader that went
            # away (| head -1) gets the shell's SIGPIPE status, and no noise at exit.
            _silence_stdout()
            ctx.exit(141)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EPILOG)
@click.option("--data", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder holding events.toml and sources.toml "
                   "[default: $FARCHRON_DATA, the current folder, or the shipped ledger].")
@click.option("--no-cache", is_flag=True,
              help="Parse the data files even if a cached copy matches them "
                   "[also: FARCHRON_NO_CACHE=1].")
@click.version_option(__version__, "-V", "--version", prog_name="farchron",
                      message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data: str | None, no_cache: bool) -> None:
    """A chronology and citation tool for historians.

    Reads an event ledger (events.toml) and the bibliography and notes of the
    paper it was built from (sources.toml). Dates are EDTF: 1939, 1939-08,
    1939-08-23, 1939-05/1939-09, 1944-23 (autumn), 1933~, 193X, -0215.
    """
    if no_cache:  # also for caches derived from the ledger (search's index)
        os.environ["FARCHRON_NO_CACHE"] = "1"
    ctx.obj = App(data, use_cache=not no_cache)


@cli.command()
@period_options
@filter_options
@click.option("--match", type=click.Choice(["overlap", "within"]), default="overlap",
              show_default=True,
              help="overlap: events touching the period; within: wholly inside it.")
@format_option("chart")
@pass_app
def timeline(app: App, period: str | None, date_from: str | None, date_to: str | None,
             tags: Sequence[str], actors: Sequence[str], places: Sequence[str], match: str,
             fmt: str | None) -> None:
    """Events in PERIOD, in chronological order.

    \b
    PERIOD is an EDTF date or interval (1939, 1939-08, 1939-05/1939-09, 1944-23,
    ../1920), or 216BC, or 1939..1941. Without it: the whole ledger.

    \b
    Examples:
      farchron timeline 1939
      farchron timeline 1945-08 --tag occupation -f json
      farchron timeline --from 1937 --to 1939 --actor Zhukov
      farchron timeline -- -0215
    """
    from farchron import query, views

    p = _period(period, date_from, date_to)
    events = query.select(app.ledger.events, p, tags=tags, actors=actors, places=places,
                          within=match == "within")
    if not events:
        raise NotFound()
    if fmt and fmt.lower() == "chart":  # the Gantt view of `farchron chart`
        from farchron import chart as charts

        charts.write(events, p.start, p.end)
        return
    views.write_events(_fmt(fmt), events)


# --- check ---

#: Problems that mean a file could not be read at all: `check` exits 2 for these.
_UNREADABLE = frozenset({"missing-file", "unreadable"})


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: one FILE:LINE: message per line; json: one array of objects.")
@click.option("--strict", is_flag=True,
              help="Warnings (unknown fields, works never cited) fail the check too.")
@pass_app
def check(app: App, fmt: str, strict: bool) -> None:
    """Validate events.toml and sources.toml, listing every problem at once.

    \b
    Each problem is one line, FILE:LINE: message (FILE:LINE:COL: for TOML syntax
    and encoding errors), errors and warnings in file order. A summary goes to
    stderr. Exit status: 0 no errors (warnings alone pass unless --strict),
    1 problems found, 2 a file could not be read.

    \b
    Examples:
      farchron check
      farchron --data ~/my-ledger check --strict
      farchron check -f json | jq '.[] | select(.severity == "error")'
    """
    from farchron.ledger import collect
    from farchron.render import clean, json_dumps

    ledger, problems = collect(app.data_dir)
    if fmt.lower() == "json":
        sys.stdout.write(json_dumps([
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.message} for p in problems]) + "\n")
    else:
        for p in problems:
            sys.stdout.write(clean(str(p)) + "\n")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(f"{n} {word}{'' if n == 1 else 's'}"
                       for n, word in ((errors, "error"), (warnings, "warning")) if n)
    sys.stdout.flush()  # the list first, then the summary, when both reach one terminal
    if ledger is not None and not errors:
        _say(f"ok: {len(ledger.events)} events, {len(ledger.sources)} sources, "
             f"{len(ledger.notes)} notes" + (f" ({counts})" if counts else ""))
    else:
        _say(f"{counts} in {app.data_dir}")
    if any(p.code in _UNREADABLE for p in problems):
        raise click.exceptions.Exit(2)
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)


# --- search and citations ---


def _event_index(app: App) -> Any:
    """The search index of the ledger's events, kept in the cache beside the ledger.

    Normalising every field and numbering the tokens of 100k events costs seconds;
    with the cache warm a search reads them (flat lists of strings and byte arrays,
    ~0.1 s at 100k) instead, and decodes only the events it prints. A cached layout
    that no longer fits SearchIndex is simply rebuilt.
    """
    from farchron.cache import cached_index
    from farchron.search import SearchIndex

    if not app.use_cache:
        return SearchIndex.build(app.ledger.events)
    try:
        return SearchIndex.from_plain(cached_index(
            app.ledger, "search-events-3",
            lambda led: SearchIndex.build(getattr(led.events, "stream", led.events.__iter__)())
            .to_plain()))
    except (TypeError, ValueError):
        return SearchIndex.build(app.ledger.events)


def _search_events(app: App, query: str, period: str | None, date_from: str | None,
                   date_to: str | None, tags: Sequence[str], limit: int | None,
                   min_score: float) -> list[tuple[Any, Any]]:
    """(event, hit) pairs, best first, within the period and tags asked for."""
    from farchron import query as q
    from farchron.search import split_dates

    events = app.ledger.events
    p = _period(period, date_from, date_to)
    allowed = keep = None
    words, when = split_dates(query)
    if when and words:  # "Nomonhan 1939": the year narrows the period, unless it is empty
        narrowed = _narrow(p, when)
        if narrowed is not None:
            kept = q.select(events, narrowed, tags=tags)
            if kept:
                query, p, keep = words, narrowed, {e.id for e in kept}
    if keep is None and (tags or not p.is_all):
        keep = {e.id for e in q.select(events, p, tags=tags)}
    index = _event_index(app)
    if keep is not None:  # by id, so events outside the period are never decoded
        allowed = {i for i, eid in enumerate(index.ids) if eid in keep}
    hits = index.search(query, limit, min_score, only=allowed)
    return [(events[h.index], h) for h in hits]


def _narrow(p: Any, when: Sequence[str]) -> Any:
    """The period p within the span of the dates a query names; None if they are no dates
    or the span misses p."""
    from farchron import dates
    from farchron.query import Period

    try:
        spans = [dates.parse_period(w) for w in when]
    except dates.DateError:
        return None
    start = max(p.start, min(d.start for d in spans))
    end = min(p.end, max(d.end for d in spans))
    return Period(start, end) if start <= end else None


def _search_options(min_default: float, limit_default: int | None) -> Any:
    def deco(f: Any) -> Any:
        f = click.option("--min-score", type=click.FloatRange(0, 100), default=min_default,
                         show_default=True, metavar="S",
                         help="Cut-off, 0-100 (a perfect title or alias hit is 100, "
                              "a mention in the summary at most 85).")(f)
        f = click.option("-n", "--limit", type=click.IntRange(min=1), default=limit_default,
                         show_default=True, metavar="N", help="At most N events.")(f)
        f = click.option("--tag", "tags", multiple=True, metavar="TAG",
                         help="Only events with this tag (repeat for any of several).")(f)
        f = period_options(f)
        return click.argument("query")(f)

    return deco


@cli.command()
@_search_options(70.0, 20)
@format_option()
@pass_app
def search(app: App, query: str, period: str | None, date_from: str | None,
           date_to: str | None, tags: Sequence[str], limit: int, min_score: float,
           fmt: str | None) -> None:
    """Events ranked by a fuzzy match of QUERY, in any script or spelling.

    \b
    Title, aliases, actors, places, id and summary are searched; a hit on the
    title or an alias outranks one in the summary. Accents, case and punctuation
    are ignored and Cyrillic or kana are transliterated, so Tōgō = Togo and
    Халхин-Гол = Khalkhin Gol. A year, month or period in QUERY narrows the
    search to it ("Nomonhan 1939"). Exit 1 when nothing scores --min-score.

    \b
    Examples:
      farchron search "Khalkin Gol"
      farchron search Кривошеев
      farchron search togo 1941..1945 -f json | jq '.[].score'
    """
    from farchron.render import Column, write_listing
    from farchron.views import event_record

    found = _search_events(app, query, period, date_from, date_to, tags, limit, min_score)
    if not found:
        raise NotFound()
    f = _fmt(fmt)
    records = [event_record(e, score=h.score, when=e.date.display()) for e, h in found]
    if f in ("json", "jsonl"):
        for r in records:
            del r["when"]
        write_listing(f, records, ())
        return
    if f == "table":
        cols = (Column("Score", lambda r: f"{r['score']:.0f}", min_width=5, style="green"),
                Column("When", lambda r: r["when"], min_width=10, style="cyan", wrap="parts"),
                Column("Event", lambda r: r["title"], min_width=12, ratio=3),
                Column("Id", lambda r: r["id"], style="dim", no_wrap=True))
    else:  # the timeline's columns, so `cut -f1` is the id, then the score
        cols = tuple(Column(h, (lambda k: lambda r: r[k])(h))
                     for h in ("id", "date", "start", "end", "when", "title", "score"))
    write_listing(f, records, cols)


@cli.command()
@click.argument("event_id", metavar="ID")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True)
@pass_app
def show(app: App, event_id: str, fmt: str) -> None:
    """One event in full, with its citations resolved to works and pages.

    \b
    Examples:
      farchron show nomonhan-incident
      farchron show nomonhan-incident -f json | jq '.citations'
    """
    from farchron import cite
    from farchron.render import clean, json_dumps
    from farchron.search import nearest

    ledger = app.ledger
    event = ledger.event(event_id)
    if event is None:
        close = nearest(event_id, [e.id for e in ledger.events])
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise NotFound(f"no event '{clean(event_id)}'{hint}")
    resolved = []
    for c in event.citations:
        for work in cite.resolve(c, ledger):
            resolved.append({**c.to_json(), "source": work.source, "pages": work.pages,
                             "section": work.section,
                             "text": cite.note_citation_text(work, ledger)})
    if fmt.lower() == "json":
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


@cli.command()
@_search_options(90.0, None)
@click.option("-f", "--format", "fmt",
              type=click.Choice(["text", "markdown", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text (Rich on a terminal), markdown (pandoc footnotes), json.")
@pass_app
def cite(app: App, query: str, period: str | None, date_from: str | None,
         date_to: str | None, tags: Sequence[str], limit: int | None, min_score: float,
         fmt: str) -> None:
    """A footnoted summary of the events matching QUERY, in date order.

    \b
    Each event's date, title and summary end in note markers; the notes follow in
    Chicago notes-bibliography style: a work in full the first time, then in short
    form, "Ibid." only for the same work as the note just before. The default
    --min-score 90 keeps the events QUERY names (title, alias, actor, place);
    --min-score 70 adds those that only mention it.

    \b
    Examples:
      farchron cite nomonhan
      farchron cite nomonhan -f markdown | pandoc -t plain
      farchron cite togo 1945 -f json | jq '.notes[].text'
    """
    from farchron import cite as c

    found = _search_events(app, query, period, date_from, date_to, tags, limit, min_score)
    if not found:
        raise NotFound()
    cited, notes = c.footnoted([e for e, _h in found], app.ledger)
    f = fmt.lower()
    if f == "json":
        from farchron.render import json_dumps

        sys.stdout.write(json_dumps(c.cite_json(cited, notes)) + "\n")
    elif f == "markdown":
        c.write_markdown(cited, notes, sys.stdout)
    elif sys.stdout.isatty():
        from farchron.render import console

        c.write_rich(cited, notes, console())
    else:
        c.write_text(cited, notes, sys.stdout)


_SOURCE_COLUMNS_FLAT = ("id", "type", "authors", "issued", "title")


@cli.command()
@click.argument("query", required=False)
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True,
              metavar="S", help="Cut-off for QUERY, 0-100.")
@format_option("bibtex", "csl-json", "ris")
@pass_app
def sources(app: App, query: str | None, min_score: float, fmt: str | None) -> None:
    """The works cited, or those matching QUERY; exported as BibTeX, CSL-JSON or RIS.

    \b
    QUERY is matched like search: titles in any script, authors, editors,
    container, id. Non-Latin titles are kept in every export.

    \b
    Examples:
      farchron sources
      farchron sources Кривошеев
      farchron sources -f bibtex > hanada.bib
      farchron sources -f csl-json > hanada.json && pandoc --citeproc --bibliography hanada.json
    """
    from farchron.render import Column, write_listing

    works = list(app.ledger.sources.values())
    if query is not None:
        from farchron.search import SearchIndex

        hits = SearchIndex.build_sources(works).search(query, None, min_score)
        works = [works[h.index] for h in hits]
    if not works:
        raise NotFound()
    f = _fmt(fmt)
    if f in ("bibtex", "csl-json", "ris"):
        from farchron.export import export

        sys.stdout.write(export(f, works))
        return
    records = [s.to_json() for s in works]
    for r in records:
        r["authors_text"] = "; ".join(r["authors"] or r.get("editors") or [])
    if f == "table":
        cols: tuple[Column, ...] = (
            Column("Id", lambda r: r["id"], style="dim", no_wrap=True),
            Column("Author", lambda r: r["authors_text"], min_width=10, ratio=1),
            Column("Year", lambda r: r["issued"], min_width=4, style="cyan"),
            Column("Title", lambda r: r["title"], min_width=12, ratio=3))
    else:
        cols = (Column("id", lambda r: r["id"]), Column("type", lambda r: r["type"]),
                Column("authors", lambda r: r["authors_text"]),
                Column("issued", lambda r: r["issued"]), Column("title", lambda r: r["title"]))
    if f in ("json", "jsonl"):
        for r in records:
            del r["authors_text"]
    write_listing(f, records, cols)


@cli.command()
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1), metavar="[N]...")
@format_option()
@pass_app
def notes(app: App, numbers: Sequence[int], fmt: str | None) -> None:
    """The paper's numbered notes, each resolved to its works and pages.

    \b
    Examples:
      farchron notes 22 23
      farchron notes -f json | jq '.[] | select(.citations | length > 1)'
    """
    from farchron.render import Column, write_listing

    ledger = app.ledger
    wanted = list(numbers) or list(ledger.notes)
    missing = [n for n in wanted if n not in ledger.notes]
    found = [ledger.notes[n] for n in wanted if n in ledger.notes]
    if missing:
        last = max(ledger.notes) if ledger.notes else 0
        _say(f"no note {', '.join(map(str, missing))} (the paper has notes 1-{last})")
    if not found:
        raise NotFound()
    records = []
    for n in found:
        rec = n.to_json()
        rec["works"] = "; ".join(
            c["source"] + (f" {c['pages']}" if c["pages"] else "") for c in rec["citations"])
        records.append(rec)
    f = _fmt(fmt)
    if f in ("json", "jsonl"):
        for r in records:
            del r["works"]
    cols = (Column("number" if f != "table" else "No.", lambda r: r["number"], min_width=3),
            Column("works" if f != "table" else "Works", lambda r: r["works"], min_width=12,
                   ratio=1, style="cyan"),
            Column("text" if f != "table" else "Note", lambda r: r["text"], min_width=12,
                   ratio=3))
    write_listing(f, records, cols)


# --- charts, stats and HTML/TimelineJS export ---


def _events_in(app: App, period: str | None, date_from: str | None, date_to: str | None,
               tags: Sequence[str], actors: Sequence[str], places: Sequence[str],
               nothing: str) -> tuple[Any, list[Any]]:
    """The period and its selected events; none is grep's exit 1, said on stderr."""
    from farchron import query

    p = _period(period, date_from, date_to)
    events = query.select(app.ledger.events, p, tags=tags, actors=actors, places=places)
    if not events:
        raise NotFound(nothing)
    return p, events


@cli.command()
@period_options
@filter_options
@click.option("--width", type=click.IntRange(min=20), metavar="N",
              help="Columns to fill [default: the terminal's width, $COLUMNS, or 80].")
@click.option("--ascii", "ascii_", is_flag=True,
              help="ASCII characters only (# span, - sometime in, o day, ~ approximate).")
@pass_app
def chart(app: App, period: str | None, date_from: str | None, date_to: str | None,
          tags: Sequence[str], actors: Sequence[str], places: Sequence[str], width: int | None,
          ascii_: bool) -> None:
    """A Gantt chart of the events in PERIOD, one row per event in date order.

    \b
    Spans are bars (█), a date known only to a month or year is a shaded window
    (░), single days are points (●); approximate ends are drawn ▒ or ○, open
    ends ◀ ▶. The axis fits the period (default: the events' span) to the
    terminal width. Colours by first tag on a terminal; plain text in a pipe
    or with NO_COLOR.

    \b
    Examples:
      farchron chart 1939
      farchron chart 1918/1945 --tag battle --tag war
      farchron chart 1945-08 --width 100 | less
    """
    from farchron import chart as charts

    p, events = _events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing to draw")
    charts.write(events, p.start, p.end, width=width, ascii=True if ascii_ else None)


@cli.command()
@period_options
@filter_options
@click.option("--by", type=click.Choice(["year", "month", "tag", "actor"]), default="year",
              show_default=True, help="What to count events per.")
@format_option("chart")
@pass_app
def stats(app: App, period: str | None, date_from: str | None, date_to: str | None,
          tags: Sequence[str], actors: Sequence[str], places: Sequence[str], by: str,
          fmt: str | None) -> None:
    """Counts of events per year, month, tag or actor: a bar chart or TSV/JSON.

    \b
    An event counts once in every year (month) its dates overlap: the Nomonhan
    Incident (May–Sep 1939) once in 1939, an occupation 1920/1925 once in each
    of 1920 to 1925. Empty years inside the period are listed with 0 (the bar
    chart folds long empty runs into one line). By tag or actor, an event counts
    under each of its tags or actors, "(none)" if it has none.

    \b
    Default format: a bar chart on a terminal, TSV (key, count) in a pipe.

    \b
    Examples:
      farchron stats 1918/1945
      farchron stats 1945 --by month -f json
      farchron stats --by tag | sort -t$'\\t' -k2 -nr | head
    """
    from farchron import stats as counting
    from farchron.render import Column, default_format, write_listing

    p, events = _events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period")
    bins = counting.count(events, by, p.start, p.end)
    fmt = fmt.lower() if fmt else ("chart" if default_format() == "table" else "tsv")
    if fmt == "chart":
        _stats_chart(bins)
        return
    records = counting.records(bins, by)
    cols = (Column(by.capitalize() if fmt == "table" else by, lambda r: r[by], min_width=8),
            Column("Events" if fmt == "table" else "count", lambda r: r["count"], min_width=6))
    write_listing(fmt, records, cols)


def _stats_chart(bins: Sequence[Any]) -> None:
    from farchron import stats as counting
    from farchron.render import clean, console, no_color

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


@cli.group()
def export() -> None:
    """Write the events as one file for another program or a browser.

    \b
    Examples:
      farchron export html 1918/1945 -o timeline.html
      farchron export timelinejs 1939 -o nomonhan.json
    """


_OUTPUT = click.option("-o", "--output", required=True, metavar="FILE",
                       help="File to write, replaced atomically ('-': standard output).")


def _write_file(output: str, text: str) -> None:
    """Write an export atomically; a folder that is missing or read-only is exit 2."""
    from farchron import html

    try:
        html.write_output(output, text)
    except OSError as exc:
        if output == "-":
            raise
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    if output != "-":
        _say(f"wrote {output}")


@export.command("html")
@period_options
@filter_options
@_OUTPUT
@click.option("--title", metavar="TEXT", help="Page title [default: Timeline PERIOD].")
@pass_app
def export_html(app: App, period: str | None, date_from: str | None, date_to: str | None,
                tags: Sequence[str], actors: Sequence[str], places: Sequence[str], output: str,
                title: str | None) -> None:
    """A self-contained interactive HTML timeline (no network, no server needed).

    \b
    Zoom and pan over the years, events in lanes by tag, a search box, and a
    click on an event shows its summary and its notes in full. Opens straight
    from disk; prints on paper as the chart plus the list of events with notes.

    \b
    Examples:
      farchron export html 1918/1945 -o timeline.html
      farchron export html 1945-08 --tag war --title "August 1945" -o aug45.html
    """
    from farchron import html

    p, events = _events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing written")
    _write_file(output, html.render_page(events, app.ledger, p.start, p.end, title))


@export.command("timelinejs")
@period_options
@filter_options
@_OUTPUT
@click.option("--title", metavar="TEXT", help="Title slide headline [default: none].")
@pass_app
def export_timelinejs(app: App, period: str | None, date_from: str | None,
                      date_to: str | None, tags: Sequence[str], actors: Sequence[str],
                      places: Sequence[str], output: str, title: str | None) -> None:
    """TimelineJS 3 JSON for Knight Lab's TimelineJS (https://timeline.knightlab.com).

    \b
    Dates keep the ledger's precision; display_date carries the historian's
    form ("c. 1933", "autumn–winter 1944"); BCE years are negative years.

    \b
    Examples:
      farchron export timelinejs 1918/1945 -o timeline.json
      farchron export timelinejs 1939 -o - | jq '.events | length'
    """
    from farchron import timelinejs
    from farchron.render import json_dumps

    _, events = _events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing written")
    doc = timelinejs.document(events, app.ledger, title or "")
    _write_file(output, json_dumps(doc) + "\n")



# --------------------------------------------------------------------------- error handling


def _say(message: str) -> None:
    from farchron.render import clean  # messages quote data (ids, keys): keep them one safe line

    try:
        sys.stderr.write(f"farchron: {clean(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _data_error(exc: DataError) -> None:
    errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
    for p in errors[:5]:
        _say(str(p))
    more = len(errors) - 5
    tail = f" ({more} more)" if more > 0 else ""
    _say(f"the ledger is invalid{tail}: run 'farchron check' for every problem")


def _silence_stdout() -> None:
    """After a broken pipe, point fd 1 at /dev/null so the exit-time flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EBADF}


def _buffer_stdout() -> None:
    """Give stdout a real buffer again when PYTHONUNBUFFERED=1 took it away.

    Unbuffered, stdout writes straight to a raw FileIO whose short writes
    TextIOWrapper ignores: when the reader of a pipe leaves, the rest of the
    output is dropped without an error and we would exit 0. A BufferedWriter
    retries short writes, so a broken pipe is always seen (exit 141).
    """
    import io

    out = sys.stdout
    if not isinstance(getattr(out, "buffer", None), io.FileIO):
        return
    try:
        fd = out.fileno()
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(fd, "w", closefd=False)), encoding=out.encoding,
            errors=out.errors, line_buffering=out.isatty())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point: run the command, map every failure to one message and an exit code."""
    if sys.stdout is None:  # started with stdout closed (>&-): nothing could be printed
        _say("write error: standard output is closed")
        sys.exit(2)
    _buffer_stdout()
    try:  # an ASCII or Latin-1 terminal gets escapes, not a UnicodeEncodeError
        if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        if (sys.stderr.encoding or "").lower().replace("-", "") != "utf8":
            sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    code = 0
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="farchron",
                      standalone_mode=False)
        code = rv if isinstance(rv, int) else 0
        sys.stdout.flush()
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.UsageError as exc:
        exc.show()
        code = 2
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        _say("aborted")
        code = 130
    except BrokenPipeError:
        _silence_stdout()
        code = 141  # as if killed by SIGPIPE, like coreutils in a pipe
    except KeyboardInterrupt:
        _silence_stdout()
        code = 130
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            _silence_stdout()
            _say(f"write error: {exc.strerror or exc}")
            code = 1
        else:
            _say(f"error: {exc}")
            code = 2
    except Exception as exc:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("FARCHRON_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} "
             "(set FARCHRON_DEBUG=1 for a traceback, and please report it)")
        code = 70
    if _FAST_EXIT:  # a huge ledger: skip freeing millions of objects one by one
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            code = code or 1
        import contextlib

        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
