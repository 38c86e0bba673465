"""The command line's wiring: the root group, its options, and the entry point.

Each command lives in its own module under farchron/cli/commands/ and is imported only
when invoked (the registry is farchron.cli.commands.COMMANDS). What a command prints is in
render/; how failures become exit codes, and stdout's plumbing, in cli/stdio.py.

The top floor with the other front ends (lsp/, pandoc/): may import every stage; the
only package that imports click.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

import click

from farchron import __version__
from farchron.cli.app import App
from farchron.cli.commands import COMMANDS, LazyGroup

EPILOG = """\b
Examples:
  farchron timeline 1939
  farchron timeline 1939-05/1939-09 --tag battle
  farchron timeline --from 1945-08 --to 1945-09 -f json | jq length
  farchron timeline -- -0215          (216 BC; or: farchron timeline 216BC)
"""


class Group(LazyGroup):
    """Turns the core's errors into a message and grep's exit codes, for main and tests alike."""

    def invoke(self, ctx: click.Context) -> Any:
        from farchron.errors import FarchronError
        from farchron.store.sections import StoreError

        saved = (list(ctx._protected_args), list(ctx.args))
        try:
            try:
                return super().invoke(ctx)
            except StoreError as exc:
                # Damage found while reading the cache (a row's checksum or shape): before
                # anything was printed, as rows are decoded when selected. Rebuild, rerun.
                from farchron.store.cache import recover

                recover(exc)
                ctx._protected_args, ctx.args = saved
                return super().invoke(ctx)
        except (FarchronError, BrokenPipeError) as exc:
            from farchron.cli.stdio import exit_code_of

            code = exit_code_of(exc)
            if code is None:
                raise
            ctx.exit(code)


@click.group(cls=Group, lazy=COMMANDS, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", metavar="DIR", type=click.Path(file_okay=False),
              envvar="FARCHRON_DATA",
              help="Folder holding events.toml and sources.toml "
                   "[default: $FARCHRON_DATA, the current folder, or the shipped ledger].")
@click.option("--no-cache", is_flag=True,
              help="Parse the data files even if a cached copy matches them "
                   "[also: FARCHRON_NO_CACHE=1].")
@click.version_option(__version__, "-V", "--version", prog_name="farchron",
                      message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data: str | None, no_cache: bool) -> None:
    """A chronology and citation tool for historians.

    Reads an event ledger (events.toml) and the bibliography and notes of the
    paper it was built from (sources.toml). Dates are EDTF: 1939, 1939-08,
    1939-08-23, 1939-05/1939-09, 1944-23 (autumn), 1933~, 193X, -0215.
    """
    ctx.obj = App(data, use_cache=not no_cache)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point: run the command, map every failure to one message and an exit code."""
    from farchron.cli.stdio import run

    run(lambda: cli.main(args=list(argv) if argv is not None else None, prog_name="farchron",
                         standalone_mode=False))
