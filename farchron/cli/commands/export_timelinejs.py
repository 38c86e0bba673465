"""`farchron export timelinejs`."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import App, events_in, pass_app
from farchron.cli.commands.export import OUTPUT, write_file
from farchron.cli.options import calendar_options, filter_options, period_options
from farchron.exporters.timelinejs import GROUP_BY, MAX_GROUPS


@click.command("timelinejs")
@period_options
@filter_options
@OUTPUT
@calendar_options
@click.option("--title", metavar="TEXT", help="Title slide headline [default: none].")
@click.option("--group-by", type=click.Choice(GROUP_BY), default="tag",
              show_default=True, help="Rows of the time navigator: first tag, or none.")
@click.option("--max-groups", type=click.IntRange(min=1), default=MAX_GROUPS,
              show_default=True,
              metavar="N", help="At most N rows; the least common tags fold into 'other'.")
@pass_app
def export_timelinejs(app: App, period: str | None, date_from: str | None,
                      date_to: str | None, tags: Sequence[str], actors: Sequence[str],
                      places: Sequence[str], output: str, title: str | None, group_by: str,
                      max_groups: int, calendar: str, era: str | None) -> None:
    """TimelineJS 3 JSON for Knight Lab's TimelineJS (https://timeline.knightlab.com).

    \b
    Dates keep the ledger's precision; display_date carries the historian's
    form ("c. 1933", "autumn–winter 1944"); 216 BC is year -216 (TimelineJS has
    no year zero). Events are grouped by first tag into at most 8 rows (the rest
    in "other"), so the story stays readable at the usual 650 px embed height;
    *emphasis* in notes becomes <em>. --era adds the era year to display_date
    ("23 Aug 1939 (Shōwa 14)"); --calendar chooses how Old Style dates are shown.

    \b
    Examples:
      farchron export timelinejs 1918/1945 -o timeline.json
      farchron export timelinejs 1939 --group-by none -o - | jq '.events | length'
      farchron export timelinejs 1904/1945 --era japanese -o japan.json
    """
    from farchron.exporters import timelinejs
    from farchron.text import json_dumps

    _, events = events_in(app, period, date_from, date_to, tags, actors, places,
                           "no events in the period: nothing written")
    doc = timelinejs.document(events, app.ledger, title or "", group_by=group_by,
                              max_groups=max_groups, calendar=calendar.lower(),
                              era=era.lower() if era else None)
    write_file(output, json_dumps(doc) + "\n")
