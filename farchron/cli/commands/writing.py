"""What the commands that write the ledger share: which folder they may write to."""

from __future__ import annotations

from pathlib import Path

from farchron.cli.app import App
from farchron.errors import UsageError


def ledger_to_write(app: App) -> Path:
    """The data folder, refusing the shipped ledger and folders that hold no ledger."""
    from farchron.ledger.folder import shipped_data_dir

    folder = app.data_dir
    if app.data_option is None and folder == shipped_data_dir():
        raise UsageError("no ledger here (no events.toml in this folder): start one with "
                         "`farchron init`, or name one with --data DIR")
    if not folder.is_dir():
        raise UsageError(f"--data: no folder {folder} (farchron init {folder} makes a ledger)")
    if not (folder / "events.toml").is_file():
        raise UsageError(f"no events.toml in {folder} (farchron init {folder} makes one)")
    return folder


def report_rejected(exc: Exception) -> None:
    """The problems of records that would not check, and that nothing was written: the
    ledger itself is fine, so not stdio's "the ledger is invalid"."""
    from farchron.cli.stdio import say

    problems = getattr(exc, "problems", [])
    for p in problems[:10]:
        say(str(p))
    more = f" ({len(problems) - 10} more problems)" if len(problems) > 10 else ""
    say(f"nothing written: the ledger would not check{more}")
