"""`farchron timeline`: the events of a period, in date order."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import (
    App,
    build_period,
    julian_hint,
    output_format,
    pass_app,
    period_label,
    why_no_events,
)
from farchron.cli.options import (
    calendar_options,
    complete_notes,
    complete_source_ids,
    complete_tags,
    filter_options,
    format_option,
    period_options,
)
from farchron.dates.names import JULIAN
from farchron.errors import NotFound


@click.command()
@period_options
@filter_options
@click.option("--exclude-tag", "exclude_tags", multiple=True, metavar="TAG",
              shell_complete=complete_tags, help="Leave out events with this tag (repeatable).")
@click.option("--note", "notes", multiple=True, type=click.IntRange(min=1), metavar="N",
              shell_complete=complete_notes,
              help="Only events citing note N of the paper (repeat for any of several).")
@click.option("--source", "sources", multiple=True, metavar="ID",
              shell_complete=complete_source_ids,
              help="Only events citing work ID, directly or through a note (repeatable).")
@click.option("--match", type=click.Choice(["overlap", "within"]), default="overlap",
              show_default=True,
              help="overlap: events touching the period; within: wholly inside it.")
@click.option("-n", "--limit", type=click.IntRange(min=1), metavar="N",
              help="At most the first N events.")
@format_option("chart")
@calendar_options
@pass_app
def timeline(app: App, period: str | None, date_from: str | None, date_to: str | None,
             tags: Sequence[str], actors: Sequence[str], places: Sequence[str],
             exclude_tags: Sequence[str], notes: Sequence[int], sources: Sequence[str],
             match: str, limit: int | None, fmt: str | None, calendar: str,
             era: str | None) -> None:
    """Events in PERIOD, in chronological order.

    \b
    PERIOD is an EDTF date or interval (1939, 1939-08, 1939-05/1939-09, 1944-23,
    ../1920), or 216BC, or 1939..1941, or a date as people write it: "summer 1945",
    "23 Aug 1939", "1939–1941", "c. 1933", "1930s", "Shōwa 14", "20 Dec 1904 OS"
    (see `farchron date`). Without it: the whole ledger.

    \b
    Examples:
      farchron timeline 1939
      farchron timeline 1945-08 --tag occupation -f json
      farchron timeline --from 1937 --to 1939 --actor Zhukov
      farchron timeline --note 22 --source hata-2014
      farchron timeline -- -0215
      farchron timeline "summer 1945" --era japanese
    """
    from farchron.query import selection as query
    from farchron.render import listings

    p = build_period(period, date_from, date_to, calendar.lower())
    ids = None
    if notes or sources:  # the reverse of the citations
        by_note, by_source = query.cited_by(app.ledger)
        ids = {i for n in notes for i in by_note.get(n, ())}
        ids |= {i for s in sources for i in by_source.get(s, ())}
    events = query.select(app.ledger.events, p, tags=tags, actors=actors, places=places,
                          within=match == "within", exclude_tags=exclude_tags, ids=ids)
    if not events:
        raise NotFound(hint=lambda: why_no_events(
            app, p, period_label(period, date_from, date_to), match == "within", tags=tags,
            actors=actors,
            places=places, exclude_tags=exclude_tags, notes=[str(n) for n in notes],
            sources=sources))
    if calendar.lower() != JULIAN and period:
        julian_hint(app, period, p, events)
    if limit is not None:
        events = events[:limit]
    if fmt and fmt.lower() == "chart":  # the Gantt view of `farchron chart`
        from farchron.render import chart as charts

        charts.write(events, p.start, p.end)
        return
    listings.write_events(output_format(fmt), events, calendar=calendar.lower(),
                       era=era.lower() if era else None)
