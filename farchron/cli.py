"""Click commands only: parse options, call one core function, hand the result to render.

Errors become exit codes in one place, main(), following grep: 0 found, 1 none, 2 error.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from farchron import __version__
from farchron.errors import DataError, FarchronError, NotFound, UsageError
from farchron.options import filter_options, format_option, period_options


class App:
    """What every command shares: where the data is, and the ledger once loaded."""

    def __init__(self, data: str | None) -> None:
        self.data_option = data
        self._ledger: Any = None

    @property
    def data_dir(self) -> Path:
        from farchron.ledger import find_data_dir

        return find_data_dir(self.data_option)

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from farchron.ledger import load

            self._ledger = load(self.data_dir)
        return self._ledger


pass_app = click.make_pass_decorator(App)


def _period(period: str | None, date_from: str | None, date_to: str | None) -> Any:
    from farchron.dates import DateError
    from farchron.query import Period

    try:
        return Period.build(period, date_from, date_to)
    except DateError as exc:
        raise UsageError(str(exc)) from None


def _fmt(fmt: str | None) -> str:
    from farchron.render import default_format

    return fmt.lower() if fmt else default_format()


EPILOG = """\b
Examples:
  farchron timeline 1939
  farchron timeline 1939-05/1939-09 --tag battle
  farchron timeline --from 1945-08 --to 1945-09 -f json | jq length
  farchron timeline -- -0215          (216 BC; or: farchron timeline 216BC)
"""


class Group(click.Group):
    """Turns the core's errors into a message and grep's exit codes, for main and tests alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            _data_error(exc)
            ctx.exit(exc.exit_code)
        except NotFound as exc:
            if str(exc):
                _say(str(exc))
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # Click would turn this into exit 1 ("nothing matched"); a reader that went
            # away (| head -1) gets the shell's SIGPIPE status, and no noise at exit.
            _silence_stdout()
            ctx.exit(141)
        except FarchronError as exc:
            _say(str(exc))
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EPILOG)
@click.option("--data", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder holding events.toml and sources.toml "
                   "[default: $FARCHRON_DATA, the current folder, or the shipped ledger].")
@click.version_option(__version__, "-V", "--version", prog_name="farchron",
                      message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data: str | None) -> None:
    """A chronology and citation tool for historians.

    Reads an event ledger (events.toml) and the bibliography and notes of the
    paper it was built from (sources.toml). Dates are EDTF: 1939, 1939-08,
    1939-08-23, 1939-05/1939-09, 1944-23 (autumn), 1933~, 193X, -0215.
    """
    ctx.obj = App(data)


@cli.command()
@period_options
@filter_options
@click.option("--match", type=click.Choice(["overlap", "within"]), default="overlap",
              show_default=True,
              help="overlap: events touching the period; within: wholly inside it.")
@format_option()
@pass_app
def timeline(app: App, period: str | None, date_from: str | None, date_to: str | None,
             tags: Sequence[str], actors: Sequence[str], places: Sequence[str], match: str,
             fmt: str | None) -> None:
    """Events in PERIOD, in chronological order.

    \b
    PERIOD is an EDTF date or interval (1939, 1939-08, 1939-05/1939-09, 1944-23,
    ../1920), or 216BC, or 1939..1941. Without it: the whole ledger.

    \b
    Examples:
      farchron timeline 1939
      farchron timeline 1945-08 --tag occupation -f json
      farchron timeline --from 1937 --to 1939 --actor Zhukov
      farchron timeline -- -0215
    """
    from farchron import query, views

    p = _period(period, date_from, date_to)
    events = query.select(app.ledger.events, p, tags=tags, actors=actors, places=places,
                          within=match == "within")
    if not events:
        raise NotFound()
    views.write_events(_fmt(fmt), events)


# --- check ---

#: Problems that mean a file could not be read at all: `check` exits 2 for these.
_UNREADABLE = frozenset({"missing-file", "unreadable"})


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: one FILE:LINE: message per line; json: one array of objects.")
@click.option("--strict", is_flag=True,
              help="Warnings (unknown fields, works never cited) fail the check too.")
@pass_app
def check(app: App, fmt: str, strict: bool) -> None:
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
    from farchron.ledger import collect
    from farchron.render import clean, json_dumps

    ledger, problems = collect(app.data_dir)
    if fmt.lower() == "json":
        sys.stdout.write(json_dumps([
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.message} for p in problems]) + "\n")
    else:
        for p in problems:
            sys.stdout.write(clean(str(p)) + "\n")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(f"{n} {word}{'' if n == 1 else 's'}"
                       for n, word in ((errors, "error"), (warnings, "warning")) if n)
    sys.stdout.flush()  # the list first, then the summary, when both reach one terminal
    if ledger is not None and not errors:
        _say(f"ok: {len(ledger.events)} events, {len(ledger.sources)} sources, "
             f"{len(ledger.notes)} notes" + (f" ({counts})" if counts else ""))
    else:
        _say(f"{counts} in {app.data_dir}")
    if any(p.code in _UNREADABLE for p in problems):
        raise click.exceptions.Exit(2)
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)


# --------------------------------------------------------------------------- error handling


def _say(message: str) -> None:
    from farchron.render import clean  # messages quote data (ids, keys): keep them one safe line

    try:
        sys.stderr.write(f"farchron: {clean(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _data_error(exc: DataError) -> None:
    errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
    for p in errors[:5]:
        _say(str(p))
    more = len(errors) - 5
    tail = f" ({more} more)" if more > 0 else ""
    _say(f"the ledger is invalid{tail}: run 'farchron check' for every problem")


def _silence_stdout() -> None:
    """After a broken pipe, point fd 1 at /dev/null so the exit-time flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EBADF}


def _buffer_stdout() -> None:
    """Give stdout a real buffer again when PYTHONUNBUFFERED=1 took it away.

    Unbuffered, stdout writes straight to a raw FileIO whose short writes
    TextIOWrapper ignores: when the reader of a pipe leaves, the rest of the
    output is dropped without an error and we would exit 0. A BufferedWriter
    retries short writes, so a broken pipe is always seen (exit 141).
    """
    import io

    out = sys.stdout
    if not isinstance(getattr(out, "buffer", None), io.FileIO):
        return
    try:
        fd = out.fileno()
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(fd, "w", closefd=False)), encoding=out.encoding,
            errors=out.errors, line_buffering=out.isatty())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point: run the command, map every failure to one message and an exit code."""
    if sys.stdout is None:  # started with stdout closed (>&-): nothing could be printed
        _say("write error: standard output is closed")
        sys.exit(2)
    _buffer_stdout()
    try:  # an ASCII or Latin-1 terminal gets escapes, not a UnicodeEncodeError
        if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        if (sys.stderr.encoding or "").lower().replace("-", "") != "utf8":
            sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    code = 0
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="farchron",
                      standalone_mode=False)
        code = rv if isinstance(rv, int) else 0
        sys.stdout.flush()
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.UsageError as exc:
        exc.show()
        code = 2
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        _say("aborted")
        code = 130
    except BrokenPipeError:
        _silence_stdout()
        code = 141  # as if killed by SIGPIPE, like coreutils in a pipe
    except KeyboardInterrupt:
        _silence_stdout()
        code = 130
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            _silence_stdout()
            _say(f"write error: {exc.strerror or exc}")
            code = 1
        else:
            _say(f"error: {exc}")
            code = 2
    except Exception as exc:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("FARCHRON_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} "
             "(set FARCHRON_DEBUG=1 for a traceback, and please report it)")
        code = 70
    sys.exit(code)
