"""`farchron check`: every problem of the data files, FILE:LINE: message."""

from __future__ import annotations

import sys

import click

from farchron.cli.app import App, pass_app
from farchron.cli.stdio import say

#: Problems that mean a file could not be read at all: `check` exits 2 for these.
UNREADABLE = frozenset({"missing-file", "unreadable"})


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: one FILE:LINE: message per line; json: one array of objects.")
@click.option("--strict", is_flag=True,
              help="Warnings (unknown fields, works never cited) fail the check too.")
@pass_app
def check(app: App, fmt: str, strict: bool) -> None:
    """Validate events.toml and sources.toml, listing every problem at once.

    \b
    Each problem is one line, FILE:LINE: message (FILE:LINE:COL: for TOML syntax
    and encoding errors), errors and warnings in file order. A summary goes to
    stderr. Exit status: 0 no errors (warnings alone pass unless --strict),
    1 problems found, 2 a file could not be read.

    \b
    Examples:
      farchron check
      farchron --data ~/my-ledger check --strict
      farchron check -f json | jq '.[] | select(.severity == "error")'
    """
    from farchron.errors import DataError
    from farchron.render import problems as view
    from farchron.store.cache import open_checked

    try:  # unchanged files: the problems stored with the cache, no parse
        ledger, problems = open_checked(app.data_dir, app.use_cache)
    except DataError as exc:  # a data file that must not be read (a FIFO, over the cap)
        ledger, problems = None, list(exc.problems)
    view.write_problems(fmt.lower(), problems)
    sys.stdout.flush()  # the list first, then the summary, when both reach one terminal
    say(view.check_summary(ledger, problems, app.data_dir))
    errors = sum(p.severity == "error" for p in problems)
    if any(p.code in UNREADABLE for p in problems):
        raise click.exceptions.Exit(2)
    if errors or (strict and len(problems) > errors):
        raise click.exceptions.Exit(1)
