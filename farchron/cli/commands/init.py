"""`farchron init`: a new, empty, valid ledger with commented skeletons."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(file_okay=False))
def init(folder: str | None) -> None:
    """Start a new ledger in DIR (default: the current folder).

    \b
    Writes events.toml and sources.toml, each with a header listing every field, and
    the JSON Schemas their `#:schema` lines point at (DIR/schema/), for editors that
    complete and check TOML (taplo, VS Code Even Better TOML). Refuses a folder that
    already holds a ledger (exit 2, nothing changed). The new ledger passes `check`.

    \b
    Examples:
      farchron init rjw
      farchron --data rjw import works.bib
    """
    from farchron.authoring.operations import init_ledger
    from farchron.cli.stdio import say

    path = Path(folder or ".")
    init_ledger(path)
    where = "." if folder is None else folder
    say(f"a new ledger in {where}: events.toml, sources.toml, schema/")
    hint = "" if folder is None else f"--data {folder} "
    say(f"next: farchron {hint}import WORKS.bib, farchron {hint}add event --help")
