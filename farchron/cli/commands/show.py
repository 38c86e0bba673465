"""`farchron show`: events in full, their citations resolved."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from farchron.cli.app import App, pass_app
from farchron.cli.options import calendar_options, complete_event_ids
from farchron.errors import NotFound


def ids_from(args: Sequence[str]) -> list[str]:
    """The ids asked for; "-" reads more from stdin, one a line (the first TSV column, so
    `farchron search x | farchron show -` works); blank lines are skipped."""
    out: list[str] = []
    for a in args:
        if a != "-":
            out.append(a)
            continue
        for line in sys.stdin:
            first = line.split("\t", 1)[0].strip()
            if first:
                out.append(first)
    return out


@click.command()
@click.argument("event_ids", nargs=-1, required=True, metavar="ID...|-",
                shell_complete=complete_event_ids)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: wrapped to the terminal ($FZF_PREVIEW_COLUMNS in an fzf preview), "
                   "coloured there; json: one object, or an array for several ids.")
@calendar_options
@pass_app
def show(app: App, event_ids: Sequence[str], fmt: str, calendar: str, era: str | None) -> None:
    """Events in full, with their citations resolved to works and pages.

    \b
    ID is an event id; several ids show several events, and "-" reads ids from
    standard input, one a line (the first tab-separated column is taken), so a
    listing can be piped in. An unknown id is named on stderr (with the nearest
    ones) and makes the exit status 1, after the others are shown.

    \b
    Examples:
      farchron show nomonhan-incident
      farchron show nomonhan-incident -f json | jq '.citations'
      farchron search Khalkhin Gol | cut -f1 | xargs farchron show
      farchron timeline 1939-08 | farchron show -
    """
    from farchron.cli.stdio import say
    from farchron.render import show
    from farchron.text import clean

    ledger = app.ledger
    wanted = ids_from(event_ids)
    events, missing = [], []
    for eid in wanted:
        event = ledger.event(eid)
        if event is None:
            missing.append(eid)
        else:
            events.append(event)
    if events:
        show.write_show(fmt.lower(), events, ledger, many=len(wanted) > 1,
                         calendar=calendar.lower(), era=era.lower() if era else None)
    for eid in missing:
        from farchron.query.search import nearest

        ids = getattr(ledger.events, "ids", None)  # a cached ledger: no event decoded
        close = nearest(eid, ids() if ids is not None else [e.id for e in ledger.events])
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        msg = f"no event '{clean(eid)}'{hint}"
        if not events and eid == missing[-1]:
            raise NotFound(msg)
        say(msg)
    if missing or not wanted:
        raise NotFound("" if wanted else "no ids on standard input")
