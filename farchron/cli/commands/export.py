"""`farchron export`: the group of exports, each a module (see EXPORT_COMMANDS)."""

from __future__ import annotations

import sys
from typing import Any

import click

from farchron.cli.commands import EXPORT_COMMANDS, LazyGroup
from farchron.cli.stdio import say
from farchron.errors import UsageError


def _remember_force(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["farchron.force"] = value
    return value


_FORCE = click.option("--force", is_flag=True, expose_value=False, callback=_remember_force,
                      help="Replace the output file even if it is read-only.")
_OUTPUT = click.option(
    "-o", "--output", required=True, metavar="FILE",
    help="File to write: a regular file is replaced atomically, a FIFO or device "
         "written in place ('-' or /dev/stdout: standard output).")


def OUTPUT(f: Any) -> Any:
    """-o/--output FILE and --force, shared by every export."""
    return _OUTPUT(_FORCE(f))


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
    """Write an export (see atomic.write_output); a path that cannot be written is exit 2."""
    from farchron.files import STDOUT_NAMES, OutputError, write_output

    if output in STDOUT_NAMES:  # errors here are the pipe's: stdio.run maps them
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.buffer.flush()
        return
    ctx = click.get_current_context(silent=True)
    force = bool(ctx and ctx.find_root().meta.get("farchron.force"))
    try:
        written = write_output(output, text, force=force, note=say)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    say(f"wrote {written}")
