"""The process's edges: which failure earns which exit code, stderr messages, a stdout
that survives pipes and odd encodings, and the fast exit after a huge ledger.

Exit codes follow grep: 0 found, 1 nothing found (or a write error), 2 bad input or
data, 70 an internal error, 130 interrupted, 141 the reader of a pipe went away.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from farchron import settings
from farchron.errors import DataError, FarchronError, NotFound

#: Exit status of a reader that went away (| head -1), as if killed by SIGPIPE.
EXIT_PIPE = 141
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70

#: Write errors reported as "write error: ..." and exit 1, like coreutils.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EBADF})


class State:
    """What the run has learnt that changes how it ends."""

    #: Set when a huge ledger was loaded: run() then ends with os._exit after flushing.
    fast_exit = False


state = State()


def request_fast_exit() -> None:
    """Skip freeing millions of objects one by one at exit (a huge ledger was loaded)."""
    state.fast_exit = True


def say(message: str) -> None:
    """One safe line on stderr, "farchron: message" (messages quote data: ids, keys)."""
    from farchron.text import clean

    try:
        sys.stderr.write(f"farchron: {clean(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def report_data_error(exc: DataError) -> None:
    """The first five errors of an invalid ledger, and where to see them all."""
    errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
    for p in errors[:5]:
        say(str(p))
    more = len(errors) - 5
    tail = f" ({more} more)" if more > 0 else ""
    say(f"the ledger is invalid{tail}: run 'farchron check' for every problem")


def stderr_is_terminal() -> bool:
    """Whether a person reads stderr (the seam tests fake): only then does an empty
    answer explain itself."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def exit_code_of(exc: BaseException) -> int | None:
    """The exit code for one of the core's errors (said on stderr first); None otherwise.

    DataError: its problems, 2. NotFound: its message if any, 1. Any other
    FarchronError: its message and its exit_code. BrokenPipeError: 141, stdout silenced.
    """
    if isinstance(exc, DataError):
        report_data_error(exc)
        return exc.exit_code
    if isinstance(exc, NotFound):
        if str(exc):
            say(str(exc))
        elif exc.hint is not None and stderr_is_terminal():
            hint = exc.hint_text()
            if hint:
                say(hint)
        return exc.exit_code
    if isinstance(exc, FarchronError):
        say(str(exc))
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):
        # Click would turn this into exit 1 ("nothing matched"); a reader that went
        # away gets the shell's SIGPIPE status, and no noise at exit.
        silence_stdout()
        return EXIT_PIPE
    return None


def silence_stdout() -> None:
    """After a broken pipe, point fd 1 at /dev/null so the exit-time flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def buffer_stdout() -> None:
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


def escape_unencodable() -> None:
    """An ASCII or Latin-1 stream gets backslash escapes, not a UnicodeEncodeError; a
    UTF-8 one replaces lone surrogates (undecodable bytes of an argument, kept by
    surrogateescape), so every output is valid in its encoding. Encodings are named by
    Python's own codec lookup (iso8859-1, koi8-r), never by string tricks."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        try:
            try:
                enc = codecs.lookup(stream.encoding or "utf-8").name
            except LookupError:
                enc = ""
            stream.reconfigure(  # type: ignore[union-attr]
                errors="replace" if enc == "utf-8" else "backslashreplace")
        except (AttributeError, ValueError):
            pass


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (temp files removed, forked workers killed by
    their `finally` blocks), then die of the same signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, _frame: Any) -> None:
    from farchron.files import remove_live_temp_files

    remove_live_temp_files()  # at once: nothing half-written outlives us
    raise Terminated(signum)


def on_termination() -> None:
    """Turn SIGTERM and SIGHUP into Terminated (see run)."""
    import signal

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                signal.signal(sig, _on_signal)


def _die_of(signum: int) -> NoReturn:
    import signal

    from farchron.files import remove_live_temp_files

    remove_live_temp_files()
    silence_stdout()
    try:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    except (ValueError, OSError):
        pass
    os._exit(128 + signum)


def _with_year_hint(exc: Any) -> Any:
    """`timeline -0215` reaches click as the short option -0: say how to write the year."""
    import re

    import click

    name = getattr(exc, "option_name", "") or ""
    if not (isinstance(exc, click.exceptions.NoSuchOption) and re.fullmatch(r"-[0-9]", name)):
        return exc
    year = next((a for a in sys.argv[1:] if a.startswith(name)), name)
    return click.UsageError(f"{exc.format_message()} A year before AD 1? Write it as people "
                            f"do ('216 BC'), or put -- before it: -- {year}", ctx=exc.ctx)


def run(invoke: Callable[[], Any]) -> NoReturn:
    """Run the command line (`invoke`, click's main in standalone_mode=False) and exit
    with one message and the exit code its outcome earns; never a traceback."""
    import click

    if sys.stdout is None:  # started with stdout closed (>&-): nothing could be printed
        say("write error: standard output is closed")
        sys.exit(2)
    buffer_stdout()
    escape_unencodable()
    on_termination()
    code = 0
    try:
        rv = invoke()
        code = rv if isinstance(rv, int) else 0
        sys.stdout.flush()
    except Terminated as exc:
        _die_of(exc.signum)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.UsageError as exc:
        _with_year_hint(exc).show()
        code = 2
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        say("aborted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        code = EXIT_PIPE
    except KeyboardInterrupt:
        silence_stdout()
        code = EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno in WRITE_ERRNOS:
            silence_stdout()
            say(f"write error: {exc.strerror or exc}")
            code = 1
        else:
            say(f"error: {exc}")
            code = 2
    except Exception as exc:  # a bug: one line, not a traceback, unless asked for
        if settings.debug():
            raise
        say(f"internal error: {type(exc).__name__}: {exc} "
            "(set FARCHRON_DEBUG=1 for a traceback, and please report it)")
        code = EXIT_INTERNAL
    if state.fast_exit:  # a huge ledger: skip freeing millions of objects one by one
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            code = code or 1
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
