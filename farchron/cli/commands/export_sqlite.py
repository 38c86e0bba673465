"""`farchron export sqlite`."""

from __future__ import annotations

import click

from farchron.cli.app import App, pass_app
from farchron.cli.stdio import say
from farchron.errors import UsageError


@click.command("sqlite")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Database file to write: a regular file is replaced atomically, a FIFO "
                   "or device written in place.")
@click.option("--force", is_flag=True, help="Replace FILE even if it is read-only.")
@pass_app
def export_sqlite(app: App, output: str, force: bool) -> None:
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
    from farchron.exporters import sqlite as sqlite_export
    from farchron.files import STDOUT_NAMES, OutputError, write_output

    if output in STDOUT_NAMES:
        raise UsageError("a database cannot go to standard output: give a file with -o FILE")
    ledger = app.ledger
    try:  # one writer for every export: FIFOs, devices, read-only files, links (issue 16)
        written = write_output(output, sqlite_export.to_bytes(ledger), force=force, note=say)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    say(f"wrote {written or output}: {len(ledger.events)} events, "
        f"{len(ledger.sources)} sources, {len(ledger.notes)} notes")
