"""`farchron search`: events ranked by a fuzzy match, in any script."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.app import App, build_period, output_format, pass_app
from farchron.errors import NotFound
from farchron.options import format_option, search_options


@click.command()
@search_options(70.0, 20)
@format_option()
@pass_app
def search(app: App, query: str, period: str | None, date_from: str | None,
           date_to: str | None, tags: Sequence[str], limit: int, min_score: float,
           fmt: str | None) -> None:
    """Events ranked by a fuzzy match of QUERY, in any script or spelling.

    \b
    Title, aliases, actors, places and summary are searched; a hit on the title
    or an alias outranks one in the summary. Accents, case and punctuation are
    ignored and Cyrillic or kana are transliterated, so Tōgō = Togo and
    Халхин-Гол = Khalkhin Gol. Exit 1 when nothing scores --min-score.

    \b
    Examples:
      farchron search "Khalkin Gol"
      farchron search Кривошеев
      farchron search togo 1941..1945 -f json | jq '.[].score'
    """
    from farchron import views
    from farchron.query import search_events

    found = search_events(app.ledger, app.event_index(), query,
                          build_period(period, date_from, date_to), tags=tags, limit=limit,
                          min_score=min_score)
    if not found:
        raise NotFound()
    views.write_hits(output_format(fmt), found)
