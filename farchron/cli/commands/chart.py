"""`farchron chart`: a Gantt chart of the events of a period."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import App, events_in, pass_app
from farchron.cli.options import filter_options, period_options


@click.command()
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
    from farchron.render import chart as charts

    p, events = events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing to draw")
    charts.write(events, p.start, p.end, width=width, ascii=True if ascii_ else None)
