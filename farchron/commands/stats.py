"""`farchron stats`: counts of events per year, month, tag or actor."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, events_in, pass_app
from farchron.options import filter_options, format_option, period_options


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
    from farchron import stats as counting
    from farchron import views
    from farchron.render import default_format

    p, events = events_in(app, period, date_from, date_to, tags, actors, places,
                          "no events in the period")
    bins = counting.count(events, by, p.start, p.end)
    fmt = fmt.lower() if fmt else ("chart" if default_format() == "table" else "tsv")
    views.write_stats(fmt, bins, by)
