"""`farchron notes`: the paper's numbered notes."""

from __future__ import annotations

from collections.abc import Sequence

import click

from farchron.cli.app import App, output_format, pass_app
from farchron.cli.options import complete_notes, format_option
from farchron.cli.stdio import say
from farchron.errors import NotFound


@click.command()
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1), metavar="[N]...",
                shell_complete=complete_notes)
@format_option()
@pass_app
def notes(app: App, numbers: Sequence[int], fmt: str | None) -> None:
    """The paper's numbered notes, each resolved to its works and pages.

    \b
    Each note lists the events citing it (a column of tables and TSV, `events`
    in JSON); `farchron timeline --note N` lists them as events.

    \b
    Examples:
      farchron notes 22 23
      farchron notes -f json | jq '.[] | select(.citations | length > 1)'
    """
    from farchron.render import listings

    ledger = app.ledger
    wanted = list(numbers) or list(ledger.notes)
    missing = [n for n in wanted if n not in ledger.notes]
    found = [ledger.notes[n] for n in wanted if n in ledger.notes]
    if missing:
        last = max(ledger.notes) if ledger.notes else 0
        say(f"no note {', '.join(map(str, missing))} (the paper has notes 1-{last})")
    if not found:
        raise NotFound()
    from farchron.query.selection import cited_by

    listings.write_notes(output_format(fmt), found, cited_by(ledger)[0])
