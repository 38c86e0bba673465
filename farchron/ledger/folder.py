"""Where the ledger is: its two file names and the folder that holds them.

Kept apart from ledger.py (a facade over validation) so that a warm command, which the
store answers, finds its folder without importing the validation chain.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from farchron import settings

if TYPE_CHECKING:  # the warm path works with str: pathlib costs ~3 ms of start-up
    from pathlib import Path

EVENTS_FILE = "events.toml"
SOURCES_FILE = "sources.toml"


def shipped_data_dir() -> Path:
    """The ledger inside the installed package (or the repository root in a checkout)."""
    from pathlib import Path

    return Path(shipped_folder())


def shipped_folder() -> str:
    """shipped_data_dir() as a str (resolved), without importing pathlib."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the package
    packaged = os.path.join(here, "data")
    if os.path.isfile(os.path.join(packaged, EVENTS_FILE)):
        return packaged
    return os.path.dirname(here)


def find_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """--data DIR > $FARCHRON_DATA > the current directory if it holds events.toml > shipped."""
    from pathlib import Path

    return Path(find_folder(option))


def find_folder(option: str | os.PathLike[str] | None = None) -> str:
    """find_data_dir() as a str spelt as pathlib spells it, without importing pathlib."""
    if option:
        return tidy(os.fspath(option))
    env = settings.data_folder()
    if env:
        return tidy(env)
    cwd = os.getcwd()
    if os.path.isfile(os.path.join(cwd, EVENTS_FILE)):
        return cwd
    return shipped_folder()


def tidy(path: str) -> str:
    """`path` as str(pathlib.Path(path)) prints it ('a//./b/' is 'a/b', '' is '.'), for
    the warm path that imports no pathlib; elsewhere than POSIX pathlib itself says."""
    if os.sep != "/" or os.altsep:
        from pathlib import Path

        return str(Path(path))
    if path.startswith("//") and not path.startswith("///"):
        head = "//"
    else:
        head = "/" if path.startswith("/") else ""
    return head + "/".join(p for p in path.split("/") if p and p != ".") or "."
