"""`farchron cite`: a footnoted summary of the events matching a query."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, build_period, pass_app, period_label, query_and_period, why_no_hits
from farchron.errors import NotFound
from farchron.options import search_options


@click.command()
@search_options(90.0, None)
@click.option("-f", "--format", "fmt",
              type=click.Choice(["text", "markdown", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text (Rich on a terminal), markdown (pandoc footnotes), json.")
@pass_app
def cite(app: App, query: Sequence[str], period: str | None, date_from: str | None,
         date_to: str | None, tags: Sequence[str], actors: Sequence[str],
         places: Sequence[str], limit: int | None, min_score: float, fmt: str) -> None:
    """A footnoted summary of the events matching QUERY, in date order.

    \b
    Each event's date, title and summary end in note markers; the notes follow in
    Chicago notes-bibliography style: a work in full the first time, then in short
    form, "Ibid." only for the same work as the note just before. QUERY is words
    (no quotes needed), or event ids: `cite nomonhan-incident` cites exactly that
    event, several ids several. The default --min-score 90 keeps the events QUERY
    names (title, alias, actor, place); --min-score 70 adds those that only
    mention it.

    \b
    Examples:
      farchron cite nomonhan
      farchron cite nomonhan-incident nomonhan-ceasefire-agreement
      farchron cite nomonhan -f markdown | pandoc -t plain
      farchron cite togo 1945 -f json | jq '.notes[].text'
    """
    from farchron import query as q
    from farchron import views

    ledger = app.ledger
    words = [w for w in query if w.strip()]
    if words and all(ledger.event(w) is not None for w in words):  # exact ids
        wanted = set(words)
        when = build_period(period, date_from, date_to)
        events = q.select([e for e in ledger.events if e.id in wanted], when, tags=tags,
                          actors=actors, places=places)
        if not events:
            raise NotFound(hint="the events named are not in the period or filters asked for")
        views.write_cite(fmt.lower(), events, ledger)
        return
    text, period = query_and_period(query, period)
    when = build_period(period, date_from, date_to)
    found = q.search_events(ledger, app.event_index(), text, when, limit=limit,
                            min_score=min_score, tags=tags, actors=actors, places=places)
    if not found:
        raise NotFound(hint=lambda: why_no_hits(
            app, text, when, period_label(period, date_from, date_to), min_score, tags=tags,
            actors=actors, places=places))
    views.write_cite(fmt.lower(), [e for e, _h in found], ledger)
