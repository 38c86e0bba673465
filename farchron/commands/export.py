"""`farchron export`: the group of exports, each a module (see EXPORT_COMMANDS)."""

from __future__ import annotations

import click

from farchron.commands import EXPORT_COMMANDS, LazyGroup
from farchron.errors import UsageError
from farchron.stdio import say

#: -o/--output FILE, shared by every export.
OUTPUT = click.option("-o", "--output", required=True, metavar="FILE",
                      help="File to write, replaced atomically ('-': standard output).")


@click.group(cls=LazyGroup, lazy=EXPORT_COMMANDS)
def export() -> None:
    """Write the events as one file for another program or a browser.

    \b
    Examples:
      farchron export html 1918/1945 -o timeline.html
      farchron export timelinejs 1939 -o nomonhan.json
      farchron export sqlite -o ledger.db
    """



def write_file(output: str, text: str) -> None:
    """Write an export atomically ('-': stdout); a missing or read-only folder is exit 2."""
    from farchron import html

    try:
        html.write_output(output, text)
    except OSError as exc:
        if output == "-":
            raise
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    if output != "-":
        say(f"wrote {output}")
