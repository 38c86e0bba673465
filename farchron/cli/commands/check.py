"""`farchron check`: every problem of the data files, FILE:LINE: message."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from farchron.cli.app import App, pass_app
from farchron.cli.stdio import say

if TYPE_CHECKING:
    from pathlib import Path

    from farchron.errors import Problem

#: Problems that mean a file could not be read at all: `check` exits 2 for these.
UNREADABLE = frozenset({"missing-file", "unreadable"})


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: one FILE:LINE: message per line; json: one array of objects.")
@click.option("--strict", is_flag=True,
              help="Warnings (unknown fields, works never cited) fail the check too.")
@click.option("--fmt", "layout", is_flag=True,
              help="Also fail (exit 1) if a file is not in canonical order and layout "
                   "(farchron fmt).")
@pass_app
def check(app: App, fmt: str, strict: bool, layout: bool) -> None:
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
        ledger, problems = open_checked(app.folder, app.use_cache)
    except DataError as exc:  # a data file that must not be read (a FIFO, over the cap)
        ledger, problems = None, list(exc.problems)
    if layout:
        problems = problems + _layout_problems(app.data_dir)
    view.write_problems(fmt.lower(), problems)
    sys.stdout.flush()  # the list first, then the summary, when both reach one terminal
    say(view.check_summary(ledger, problems, app.folder))
    errors = sum(p.severity == "error" for p in problems)
    if any(p.code in UNREADABLE for p in problems):
        raise click.exceptions.Exit(2)
    if errors or (strict and len(problems) > errors):
        raise click.exceptions.Exit(1)


def _layout_problems(data_dir: Path) -> list[Problem]:
    """A problem for each ledger file that `farchron fmt` would change."""
    from farchron.authoring.layout import canonical
    from farchron.errors import Problem
    from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE

    out = []
    for name in (EVENTS_FILE, SOURCES_FILE):
        path = data_dir / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if canonical(text) != text:
            out.append(Problem(str(path), None, None, "layout",
                               "not in canonical order and layout; run farchron fmt"))
    return out
