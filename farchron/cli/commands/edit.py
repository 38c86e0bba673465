"""`farchron edit`: the visudo pattern for one record of the ledger."""

from __future__ import annotations

import sys

import click

from farchron.cli.app import App, pass_app
from farchron.cli.options import complete_record_ids


@click.command()
@click.argument("record_id", metavar="ID", shell_complete=complete_record_ids)
@pass_app
def edit(app: App, record_id: str) -> None:
    """Edit one event, work (by id) or note (note:N) in $VISUAL / $EDITOR.

    \b
    The editor opens a copy of the file at the record's line (`EDITOR +LINE FILE`);
    the copy replaces the ledger file only if the whole ledger still checks. If it
    does not: on a terminal the problems are shown and you may edit again or
    discard; otherwise the ledger is kept, the copy's path is printed, exit 1.

    \b
    Examples:
      farchron edit battle-of-mukden
      EDITOR="code --wait" farchron edit esthus-1988
    """
    from farchron.authoring.operations import EditSession
    from farchron.cli.commands.writing import ledger_to_write
    from farchron.cli.stdio import say
    from farchron.text import clean

    session = EditSession(ledger_to_write(app), record_id)
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    while True:
        code = session.run_editor()
        if code != 0:
            say(f"the editor exited with status {code}; the ledger is unchanged "
                f"(your copy: {session.copy})")
            raise click.exceptions.Exit(1)
        if not session.changed():
            session.discard()
            say(f"no changes to {record_id}")
            return
        problems = session.problems()
        if not problems:
            session.install()
            say(f"{session.name}: {record_id} saved")
            click.echo(record_id)
            return
        for p in problems:
            sys.stderr.write(clean(str(p)) + "\n")
        if interactive:
            choice = click.prompt("(e)dit again or (d)iscard your changes?",
                                  type=click.Choice(["e", "d"]), default="e",
                                  err=True)
            if choice == "e":
                continue
            session.discard()
            say("discarded; the ledger is unchanged")
            raise click.exceptions.Exit(1)
        say(f"the ledger is unchanged; your edited copy is {session.copy}")
        raise click.exceptions.Exit(1)
