"""Where the ledger is: its two file names and the folder that holds them.

Kept apart from ledger.py (a facade over validation) so that a warm command, which the
store answers, finds its folder without importing the validation chain.
"""

from __future__ import annotations

import os
from pathlib import Path

from farchron import settings

EVENTS_FILE = "events.toml"
SOURCES_FILE = "sources.toml"


def shipped_data_dir() -> Path:
    """The ledger inside the installed package (or the repository root in a checkout)."""
    here = Path(__file__).resolve().parent.parent  # the farchron package
    packaged = here / "data"
    if (packaged / EVENTS_FILE).is_file():
        return packaged
    return here.parent


def find_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """--data DIR > $FARCHRON_DATA > the current directory if it holds events.toml > shipped."""
    if option:
        return Path(option)
    env = settings.data_dir()
    if env is not None:
        return env
    cwd = Path.cwd()
    if (cwd / EVENTS_FILE).is_file():
        return cwd
    return shipped_data_dir()
