"""`farchron search`: events ranked by a fuzzy match, in any script."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import (
    App,
    build_period,
    output_format,
    pass_app,
    period_label,
    query_and_period,
    why_no_hits,
)
from farchron.cli.options import calendar_options, format_option, search_options
from farchron.errors import NotFound


@click.command()
@search_options(70.0, 20)
@format_option()
@calendar_options
@pass_app
def search(app: App, query: Sequence[str], period: str | None, date_from: str | None,
           date_to: str | None, tags: Sequence[str], actors: Sequence[str],
           places: Sequence[str], limit: int, min_score: float, fmt: str | None,
           calendar: str, era: str | None) -> None:
    """Events ranked by a fuzzy match of QUERY, in any script or spelling.

    \b
    QUERY is one word or several (no quotes needed); a last word that is a date
    (1939, 1941..1945) is PERIOD. Title, aliases, actors, places, id and summary
    are searched; a hit on the title or an alias outranks one in the summary.
    Accents, case and punctuation are ignored and Cyrillic or kana are
    transliterated, so Tōgō = Togo and Халхин-Гол = Khalkhin Gol. A year, month
    or period inside QUERY narrows the search to it. Exit 1 when nothing scores
    --min-score (on a terminal, stderr says what came closest).

    \b
    Examples:
      farchron search Potsdam Declaration
      farchron search Кривошеев
      farchron search togo 1941..1945 -f json | jq '.[].score'
      farchron search Khalkhin Gol -f ids | xargs farchron show
    """
    from farchron.query.selection import search_events
    from farchron.render import listings

    text, period = query_and_period(query, period)
    when = build_period(period, date_from, date_to)
    found = search_events(app.ledger, app.event_index(), text, when, limit=limit,
                          min_score=min_score, tags=tags, actors=actors, places=places)
    if not found:
        raise NotFound(hint=lambda: why_no_hits(
            app, text, when, period_label(period, date_from, date_to), min_score, tags=tags,
            actors=actors, places=places))
    listings.write_hits(output_format(fmt), found, calendar=calendar.lower(),
                     era=era.lower() if era else None)
