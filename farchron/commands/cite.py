"""`farchron cite`: a footnoted summary of the events matching a query."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, build_period, pass_app
from farchron.errors import NotFound
from farchron.options import search_options


@click.command()
@search_options(90.0, None)
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
    from farchron import views
    from farchron.query import search_events

    found = search_events(app.ledger, app.event_index(), query,
                          build_period(period, date_from, date_to), tags=tags, limit=limit,
                          min_score=min_score)
    if not found:
        raise NotFound()
    views.write_cite(fmt.lower(), [e for e, _h in found], app.ledger)
