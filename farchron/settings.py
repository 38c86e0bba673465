"""Every environment variable farchron reads, declared once and read at call time.

Read at call time (not import time) so that a test's monkeypatch.setenv, or a library
caller changing os.environ, takes effect in a running process. Click options that map
to one of these declare `envvar=` with the same name (see ENV).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pathlib costs a warm run ~3 ms (urllib.parse, ipaddress): lazily
    from pathlib import Path

#: The variables, and what each does (for --help texts and the README).
ENV = {
    "FARCHRON_DATA": "folder holding events.toml and sources.toml",
    "FARCHRON_NO_CACHE": "anything but '' or '0' turns the parsed-ledger cache off",
    "FARCHRON_MAX_BYTES": "refuse data files above this many bytes (default 1 GiB; "
                          "256 MiB for files given to import)",
    "FARCHRON_WORKERS": "processes parsing a big events.toml (1: this one only)",
    "FARCHRON_DEBUG": "set: an internal error prints its traceback",
    "XDG_CACHE_HOME": "the cache lives in $XDG_CACHE_HOME/farchron (default ~/.cache)",
    "NO_COLOR": "set and non-empty: no colour (https://no-color.org)",
    "FORCE_COLOR": "set and non-empty: colour even into a pipe (NO_COLOR still wins)",
    "COLUMNS": "output width (clamped to 1000; 0 or junk: ask the terminal)",
    "VISUAL": "the editor `farchron edit` runs (then $EDITOR, then vi)",
    "EDITOR": "the editor `farchron edit` runs when $VISUAL is not set",
    "FZF_PREVIEW_COLUMNS": "set by fzf in a preview: `show` wraps to it, in colour",
    "FARCHRON_TEST_WRITE_PAUSE": "tests only: seconds a writer sleeps between writing its "
                                 "temp file and renaming it over the ledger",
}

#: Files above this size are refused before parsing (a typo'd path to a disk image, say).
MAX_BYTES = 1 << 30


#: Files given to `import` above this size are refused unless FARCHRON_MAX_BYTES says
#: otherwise: 256 MiB is about a million RIS records, a few minutes of work.
MAX_IMPORT_BYTES = 256 << 20


def max_import_bytes() -> int:
    """The size cap of an import file: $FARCHRON_MAX_BYTES when set, else MAX_IMPORT_BYTES."""
    try:
        return int(os.environ.get("FARCHRON_MAX_BYTES", "") or MAX_IMPORT_BYTES)
    except ValueError:
        return MAX_IMPORT_BYTES


def data_dir() -> Path | None:
    """$FARCHRON_DATA, if set and non-empty."""
    from pathlib import Path

    env = data_folder()
    return Path(env) if env else None


def data_folder() -> str | None:
    """$FARCHRON_DATA as a str, if set and non-empty (the warm path imports no pathlib)."""
    return os.environ.get("FARCHRON_DATA") or None


def editor() -> str:
    """The editor command line `farchron edit` runs: $VISUAL, else $EDITOR, else vi."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


def fzf_preview_columns() -> int | None:
    """The width of an fzf preview window ($FZF_PREVIEW_COLUMNS), if we are in one."""
    cols = os.environ.get("FZF_PREVIEW_COLUMNS", "")
    return int(cols) if cols.isdigit() and int(cols) > 0 else None


_CACHE_OFF: list[bool] = []  # turned off for the rest of this process (see cache_off)


def no_cache() -> bool:
    """FARCHRON_NO_CACHE set to anything but '' or '0' turns the cache off (and so does
    cache_off(), for the rest of the process)."""
    return bool(_CACHE_OFF) or os.environ.get("FARCHRON_NO_CACHE", "") not in ("", "0")


def cache_off() -> None:
    """No cache for the rest of this process (a damaged one that cannot be removed), without
    writing os.environ, which child processes would inherit."""
    _CACHE_OFF.append(True)


def force_color() -> bool:
    """FORCE_COLOR set and non-empty: colour even into a pipe (NO_COLOR still wins)."""
    return bool(os.environ.get("FORCE_COLOR"))


def cache_home() -> Path:
    """$XDG_CACHE_HOME, or ~/.cache (the XDG spec says relative values are ignored)."""
    from pathlib import Path

    return Path(cache_base())


def cache_base() -> str:
    """cache_home() as a str, for the warm path (which imports no pathlib)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return base


def max_bytes() -> int:
    """The size cap: $FARCHRON_MAX_BYTES, else MAX_BYTES."""
    try:
        return int(os.environ.get("FARCHRON_MAX_BYTES", "") or MAX_BYTES)
    except ValueError:
        return MAX_BYTES


_ONE_PROCESS: list[bool] = []  # see one_process


def one_process() -> None:
    """Parse in this process only, for the rest of it: a process with threads (the
    language server) must not fork parse workers, which can inherit a lock held by
    another thread and hang."""
    _ONE_PROCESS.append(True)


def workers() -> int:
    """How many processes parse a chunked events.toml: $FARCHRON_WORKERS (1 keeps it in
    this process, for tests and debugging), else 2 when this process may use 2 cores;
    1 after one_process()."""
    if _ONE_PROCESS:
        return 1
    try:
        n = int(os.environ.get("FARCHRON_WORKERS", ""))
    except ValueError:
        try:
            n = min(2, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            n = min(2, os.cpu_count() or 1)
    return max(1, min(n, 16))


def workers_chosen() -> bool:
    """Whether $FARCHRON_WORKERS names a number of processes (else workers() is a default)."""
    try:
        int(os.environ.get("FARCHRON_WORKERS", ""))
    except ValueError:
        return False
    return True


def tomli_only() -> bool:
    """FARCHRON_TOML=tomli: parse with tomli alone, never toml-rs (to compare the two, or
    as a way out should a toml-rs wheel misbehave)."""
    return os.environ.get("FARCHRON_TOML", "").strip().lower() == "tomli"


def debug() -> bool:
    """FARCHRON_DEBUG: show tracebacks of internal errors."""
    return bool(os.environ.get("FARCHRON_DEBUG"))


def no_color() -> bool:
    """NO_COLOR set and non-empty."""
    return bool(os.environ.get("NO_COLOR"))


def columns() -> str:
    """$COLUMNS as written (stripped); render.env_width says what it means."""
    return os.environ.get("COLUMNS", "").strip()


def write_pause() -> float:
    """Seconds to sleep before an atomic rename ($FARCHRON_TEST_WRITE_PAUSE): lets a test
    kill a writer at the worst moment and see the old file survive."""
    try:
        return float(os.environ.get("FARCHRON_TEST_WRITE_PAUSE", "") or 0)
    except ValueError:
        return 0.0
