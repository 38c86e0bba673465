"""`farchron show`: one event in full, its citations resolved."""

from __future__ import annotations

import click

from farchron.app import App, pass_app
from farchron.errors import NotFound


@click.command()
@click.argument("event_id", metavar="ID")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True)
@pass_app
def show(app: App, event_id: str, fmt: str) -> None:
    """One event in full, with its citations resolved to works and pages.

    \b
    Examples:
      farchron show nomonhan-incident
      farchron show nomonhan-incident -f json | jq '.citations'
    """
    from farchron import views
    from farchron.render import clean
    from farchron.search import nearest

    ledger = app.ledger
    event = ledger.event(event_id)
    if event is None:
        close = nearest(event_id, [e.id for e in ledger.events])
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise NotFound(f"no event '{clean(event_id)}'{hint}")
    views.write_show(fmt.lower(), event, ledger)
