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
    The editor opens a copy of the record alone (`EDITOR +LINE FILE`); only that
    record is written back, into the file as it is then, and only if the whole
    ledger still checks. If it does not, or someone changed the record meanwhile:
    on a terminal you may edit again (after a change, your text is kept under the
    record's new version) or discard; otherwise the ledger is kept, the copy's
    path is printed, exit 1. An emptied or deleted copy changes nothing (on a
    terminal you are asked whether to delete the record).

    \b
    Examples:
      farchron edit battle-of-mukden
      EDITOR="code --wait" farchron edit esthus-1988
    """
    from farchron.authoring.operations import EditConflict, EditSession
    from farchron.authoring.writer import Rejected
    from farchron.cli.commands.writing import ledger_to_write
    from farchron.cli.stdio import say
    from farchron.text import clean

    session = EditSession(ledger_to_write(app), record_id)
    interactive = sys.stdin.isatty() and sys.stderr.isatty()

    def again_or_discard() -> None:
        """On a terminal: back to the editor, or discard (exit 1). In a script: keep the
        copy, say where it is (exit 1)."""
        if interactive:
            choice = click.prompt("(e)dit again or (d)iscard your changes?",
                                  type=click.Choice(["e", "d"]), default="e", err=True)
            if choice == "e":
                return
            session.discard()
            say("discarded; the ledger is unchanged")
            raise click.exceptions.Exit(1)
        say(f"the ledger is unchanged; your edited copy is {session.copy}")
        raise click.exceptions.Exit(1)

    while True:
        code = session.run_editor()
        if code != 0:
            say(f"the editor exited with status {code}; the ledger is unchanged "
                f"(your copy: {session.copy})")
            raise click.exceptions.Exit(1)
        delete = False
        if session.emptied():
            gone = "removed" if session.edited() is None else "emptied"
            if interactive and click.confirm(
                    f"the copy was {gone}: delete {record_id} from {session.name}?",
                    default=False, err=True):
                delete = True
            else:
                session.discard()
                say(f"the copy was {gone}: no change to {record_id}")
                return
        elif not session.changed():
            session.discard()
            say(f"no changes to {record_id}")
            return
        try:
            session.install(delete=delete)
        except EditConflict as exc:
            say(str(exc))
            if interactive and exc.current is not None:
                session.rebase(exc.current)
                say("your version is kept in the copy, under the record as it is now")
                again_or_discard()
                continue
            say(f"your edited copy is {session.copy}")
            raise click.exceptions.Exit(1) from None
        except Rejected as exc:
            for p in exc.problems:
                sys.stderr.write(clean(str(p)) + "\n")
            again_or_discard()
            continue
        if delete:
            say(f"{session.name}: {record_id} deleted")
        else:
            say(f"{session.name}: {record_id} saved")
            click.echo(record_id)
        return
