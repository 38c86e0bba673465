"""`farchron fmt`: the ledger files in canonical order and layout."""

from __future__ import annotations

import click

from farchron.cli.app import App, pass_app


@click.command()
@click.option("--check", "only_check", is_flag=True,
              help="Change nothing; exit 1 if a file is not in canonical form.")
@pass_app
def fmt(app: App, only_check: bool) -> None:
    """Put the ledger files in canonical order and layout (what add and import keep).

    \b
    Events in date order, works in id order then the notes by number, one blank line
    (or the file's usual number) between records; comments travel with the record
    below them, and nothing inside a record changes (field order, comments, spacing).
    Running it twice changes nothing the second time. A file that would not read the
    same afterwards is left alone. `farchron check --fmt` says whether it is needed.
    Each part of a ledger split by `include` is put in order on its own.

    \b
    Examples:
      farchron fmt
      farchron fmt --check && git commit -a
    """
    from farchron.authoring.layout import canonical
    from farchron.authoring.writer import atomic_write, check_texts, locked, read_texts
    from farchron.cli.stdio import say

    data_dir = app.data_dir
    _ = app.ledger  # an invalid ledger is refused as by every command (check lists why)
    with locked(data_dir):
        # the main files and every part their `include` names, each in its own order
        texts = {n: t for n, t in read_texts(data_dir).items() if (data_dir / n).is_file()}
        new = {n: canonical(t) for n, t in texts.items()}
        changed = [n for n in texts if new[n] != texts[n]]
        if only_check:
            for n in changed:
                say(f"{data_dir / n}: not in canonical order and layout (farchron fmt)")
            if changed:
                raise click.exceptions.Exit(1)
            return
        if not changed:
            return
        if check_texts(data_dir, new):
            say("not reformatted: the result would not check (run farchron check)")
            raise click.exceptions.Exit(2)
        for n in changed:
            atomic_write(data_dir / n, new[n].encode("utf-8"))
            say(f"reformatted {data_dir / n}")
