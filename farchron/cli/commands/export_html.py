"""`farchron export html`."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import App, events_in, pass_app
from farchron.cli.commands.export import OUTPUT, write_file
from farchron.cli.options import calendar_options, filter_options, period_options


@click.command("html")
@period_options
@filter_options
@OUTPUT
@calendar_options
@click.option("--title", metavar="TEXT", help="Page title [default: Timeline PERIOD].")
@pass_app
def export_html(app: App, period: str | None, date_from: str | None, date_to: str | None,
                tags: Sequence[str], actors: Sequence[str], places: Sequence[str], output: str,
                title: str | None, calendar: str, era: str | None) -> None:
    """A self-contained interactive HTML timeline (no network, no server needed).

    \b
    Zoom and pan over the years, events in lanes by tag, a search box, and a
    click on an event shows its summary and its notes in full. Opens straight
    from disk; prints on paper as the chart plus the list of events with notes.
    --era adds the Japanese era or Minguo year beside each date (in the details
    and the printed list); --calendar chooses how Old Style dates are shown.

    \b
    Examples:
      farchron export html 1918/1945 -o timeline.html
      farchron export html 1945-08 --tag war --title "August 1945" -o aug45.html
      farchron export html 1931/1945 --era japanese -o showa.html
    """
    from farchron.exporters import html

    p, events = events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing written")
    write_file(output, html.render_page(events, app.ledger, p.start, p.end, title,
                                        calendar=calendar.lower(),
                                        era=era.lower() if era else None))
