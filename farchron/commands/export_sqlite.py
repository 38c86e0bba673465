"""`farchron export sqlite`."""

from __future__ import annotations

import click

from farchron.app import App, pass_app
from farchron.errors import UsageError
from farchron.stdio import say


@click.command("sqlite")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Database file to write, replaced atomically.")
@pass_app
def export_sqlite(app: App, output: str) -> None:
    """The whole ledger as a documented SQLite database (Datasette, sqlite-utils, SQL).

    \b
    Tables events, sources, notes, citations, note_citations, and aliases, tags,
    actors and places (one row an item); foreign keys between them; full-text
    search (FTS5) in events_fts (titles, aliases, summaries) and sources_fts
    (titles in every script, authors); the schema described in _farchron_meta
    and in the CREATE statements. An existing FILE is replaced whole.

    \b
    Examples:
      farchron export sqlite -o ledger.db
      datasette ledger.db
      sqlite-utils search ledger.db events Khalkhin
    """
    from farchron import sqlite_export

    if output == "-":
        raise UsageError("a database cannot go to standard output: give a file with -o FILE")
    ledger = app.ledger
    try:
        sqlite_export.write(ledger, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    say(f"wrote {output}: {len(ledger.events)} events, {len(ledger.sources)} sources, "
        f"{len(ledger.notes)} notes")
