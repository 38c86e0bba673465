"""`farchron timeline`: the events of a period, in date order."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, build_period, output_format, pass_app
from farchron.errors import NotFound
from farchron.options import filter_options, format_option, period_options


@click.command()
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

    p = build_period(period, date_from, date_to)
    events = query.select(app.ledger.events, p, tags=tags, actors=actors, places=places,
                          within=match == "within")
    if not events:
        raise NotFound()
    if fmt and fmt.lower() == "chart":  # the Gantt view of `farchron chart`
        from farchron import chart as charts

        charts.write(events, p.start, p.end)
        return
    views.write_events(output_format(fmt), events)
