"""`farchron stats`: counts of events per year, month, tag or actor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from farchron.cli.app import App, build_period, events_in, pass_app
from farchron.cli.options import filter_options, format_option, period_options
from farchron.errors import NotFound, UsageError


@click.command()
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
    from farchron.query import counts as counting
    from farchron.render import listings
    from farchron.render.output import default_format

    try:
        bins = _bins(app, period, date_from, date_to, tags, actors, places, by)
    except counting.TooManyBins as exc:
        raise UsageError(str(exc)) from None
    fmt = fmt.lower() if fmt else ("chart" if default_format() == "table" else "tsv")
    listings.write_stats(fmt, bins, by)


def _bins(app: App, period: str | None, date_from: str | None, date_to: str | None,
          tags: Sequence[str], actors: Sequence[str], places: Sequence[str],
          by: str) -> list[Any]:
    """The counts; by year or month without filters, from the cached bounds alone (no
    event decoded: a difference array over day numbers), else from the selected events."""
    from farchron.query import counts as counting

    events: Any = app.ledger.events
    if by in ("year", "month") and not (tags or actors or places) and hasattr(
            events, "positions"):
        p = build_period(period, date_from, date_to)
        starts, ends = events.bounds()
        if not p.is_all:
            pos = list(events.positions(p.start, p.end))
            starts, ends = [starts[i] for i in pos], [ends[i] for i in pos]
        if not len(starts):
            raise NotFound("no events in the period")
        return counting.count_days(starts, ends, by, p.start, p.end)
    p, selected = events_in(app, period, date_from, date_to, tags, actors, places,
                            "no events in the period")
    return counting.count(selected, by, p.start, p.end)
