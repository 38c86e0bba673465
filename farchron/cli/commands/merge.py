"""`farchron merge BASE OURS THEIRS`: git's merge driver for the ledger files."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.option("--path", "shown", metavar="NAME", help="The file's name in messages (git's %P).")
def merge(base: str, ours: str, theirs: str, shown: str | None) -> None:
    """Merge two versions of a ledger file per record and field, into OURS.

    \b
    git runs it as a merge driver (farchron init --git registers it: git's %O %A %B):
    records added on either side are kept at their place in date order; a field changed
    on one side is taken from it; a field changed differently on both sides is a
    conflict, written as a readable, still-parseable record (our value in place and a
    `merge-conflict` line naming both values) that `farchron check` then points at.
    A version that is not readable TOML is merged line by line, with git's markers.
    Exit status: 0 merged cleanly, 1 conflicts left in OURS, 2 a file cannot be read.

    \b
    Examples:
      git config merge.farchron.driver "farchron merge %O %A %B --path %P"
      farchron merge base.toml mine.toml theirs.toml
    """
    from farchron.authoring.merge import Unmergeable, merge_texts
    from farchron.cli.stdio import say
    from farchron.files import write_atomic

    texts = []
    for name in (base, ours, theirs):
        try:
            texts.append(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            say(f"farchron merge: {name}: cannot read: {exc}")
            raise click.exceptions.Exit(2) from None
    label = shown or ours
    try:
        out = merge_texts(*texts)
    except Unmergeable as exc:
        say(f"{label}: not merged per record ({exc}); merged line by line, with conflict "
            "markers: resolve them, then farchron check")
        _merge_lines(base, ours, theirs, label)
        raise click.exceptions.Exit(1) from None
    write_atomic(Path(ours), out.text.encode("utf-8"))
    for rid, fld in out.conflicts:
        what = "the record" if fld == "(record)" else f"'{fld}'"
        say(f"{label}: conflict in '{rid}': {what} changed on both sides "
            "(see its merge-conflict line; farchron check lists them)")
    if out.conflicts:
        raise click.exceptions.Exit(1)


def _merge_lines(base: str, ours: str, theirs: str, label: str) -> None:
    """git merge-file: the line merge git itself would have done, markers and all."""
    import subprocess

    try:
        subprocess.run(["git", "merge-file", "-L", f"{label} (ours)", "-L", "base",
                        "-L", f"{label} (theirs)", ours, base, theirs],
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        raise click.exceptions.Exit(2) from None
