"""`farchron cite`: a footnoted summary of the events matching a query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from farchron.cite.chicago import EDITIONS
from farchron.cli.app import (
    App,
    build_period,
    pass_app,
    period_label,
    query_and_period,
    why_no_hits,
)
from farchron.cli.options import calendar_options, search_options
from farchron.errors import NotFound, UsageError

if TYPE_CHECKING:
    from farchron.model.records import Event
    from farchron.render import citations


@click.command()
@search_options(90.0, None)
@click.option("-f", "--format", "fmt",
              type=click.Choice(["text", "markdown", "json", "docx"], case_sensitive=False),
              default="text", show_default=True,
              help="text (Rich on a terminal), markdown (pandoc footnotes), json, "
                   "docx (Word, through pandoc; needs -o).")
@click.option("--bibliography", "with_bibliography", is_flag=True,
              help="Add the bibliography of the works cited, alphabetised.")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE, replaced atomically (required for docx).")
@click.option("--edition", type=click.Choice([str(e) for e in EDITIONS]), default="17",
              show_default=True,
              help="Chicago Manual of Style edition (18: short forms instead of Ibid., "
                   "no place of publication, three authors as 'A et al.').")
@click.option("--as-printed", is_flag=True,
              help="After each date, the date as the source prints it, where the event "
                   "records one (date-as-printed): '20 Dec 1904 OS (2 Jan 1905; as printed: "
                   "20 декабря 1904 г.)'. JSON always carries it.")
@click.option("--keys", "keys", is_flag=True,
              help="QUERY names Markdown files ('-': stdin): list their citation keys, "
                   "one a line (key, event|work|unknown|both, FILE:LINE), for a Makefile "
                   "or the pandoc filter farchron-pandoc.")
@calendar_options
@pass_app
def cite(app: App, query: Sequence[str], period: str | None, date_from: str | None,
         date_to: str | None, tags: Sequence[str], actors: Sequence[str],
         places: Sequence[str], limit: int | None, min_score: float, fmt: str,
         with_bibliography: bool, output: str | None, edition: str, as_printed: bool,
         calendar: str, era: str | None, keys: bool) -> None:
    """A footnoted summary of the events matching QUERY, in date order.

    \b
    Each event's date, title and summary end in one note marker; the notes follow in
    the notes-bibliography style of The Chicago Manual of Style, 17th edition: one
    note at a place with its works joined by semicolons, a work in full the first
    time, then in short form, "Ibid." only after a note citing that work alone.
    Quotes and apostrophes are typographic. --edition 18 follows the 18th edition
    (2024) where it differs. QUERY is words (no quotes needed), or event ids:
    `cite nomonhan-incident` cites exactly that event, several ids several. The
    default --min-score 90 keeps the events QUERY names (title, alias, actor,
    place); --min-score 70 adds those that only mention it. Dates are as `timeline`
    shows them (an Old Style date with its Gregorian day); --as-printed adds the form
    the source printed, for checking a draft against its sources or quoting it, and
    --era the Japanese era or Minguo year.

    \b
    Examples:
      farchron cite nomonhan
      farchron cite nomonhan-incident nomonhan-ceasefire-agreement
      farchron cite nomonhan --bibliography -f markdown | pandoc -t plain
      farchron cite nomonhan --bibliography -f docx -o nomonhan.docx
      farchron cite nomonhan --edition 18
      farchron cite port-arthur --as-printed --era japanese
      farchron cite togo 1945 -f json | jq '.notes[].text'
      farchron cite --keys chapter.md | grep -w unknown
    """
    from farchron.query import selection as q
    from farchron.render.citations import DateForm

    f = fmt.lower()
    if keys:
        from farchron.pandoc.listing import write_keys

        write_keys(app.ledger, query, f)
        return
    form = DateForm(calendar.lower(), era.lower() if era else None, as_printed)
    if f == "docx" and not output:
        raise UsageError("-f docx writes a file: give it with -o FILE")
    ledger = app.ledger
    words = [w for w in query if w.strip()]
    if words and all(ledger.event(w) is not None for w in words):  # exact ids
        wanted = set(words)
        when = build_period(period, date_from, date_to)
        events = q.select([e for e in ledger.events if e.id in wanted], when, tags=tags,
                          actors=actors, places=places)
        if not events:
            raise NotFound(hint="the events named are not in the period or filters asked for")
        _write(app, f, events, with_bibliography, output, int(edition), form)
        return
    text, period = query_and_period(query, period)
    when = build_period(period, date_from, date_to)
    found = q.search_events(ledger, app.event_index(), text, when, limit=limit,
                            min_score=min_score, tags=tags, actors=actors, places=places)
    if not found:
        raise NotFound(hint=lambda: why_no_hits(
            app, text, when, period_label(period, date_from, date_to), min_score, tags=tags,
            actors=actors, places=places))
    _write(app, f, [e for e, _h in found], with_bibliography, output, int(edition), form)


def _write(app: App, f: str, events: Sequence[Event], with_bibliography: bool,
           output: str | None, edition: int, form: citations.DateForm) -> None:
    """The summary to stdout, or to FILE (docx through pandoc)."""
    from farchron.render import citations

    if f == "docx" or output:
        import io

        from farchron.cli.commands.export import write_file

        buf = io.StringIO()
        citations.write_cite("markdown" if f == "docx" else f, events, app.ledger,
                         with_bibliography=with_bibliography, out=buf, edition=edition,
                         form=form)
        if f == "docx":
            from farchron.exporters.docx import write_docx

            write_docx(buf.getvalue(), str(output))
            from farchron.cli.stdio import say

            say(f"wrote {output}")
        else:
            write_file(str(output), buf.getvalue())
        return
    citations.write_cite(f, events, app.ledger, with_bibliography=with_bibliography,
                     edition=edition, form=form)
