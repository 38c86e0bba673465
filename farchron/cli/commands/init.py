"""`farchron init`: a new, empty, valid ledger with commented skeletons."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(file_okay=False))
@click.option("--git", "git_only", is_flag=True,
              help="Only set up git in an existing clone: .gitattributes, .gitignore and "
                   "the merge driver in the repository's config.")
def init(folder: str | None, git_only: bool) -> None:
    """Start a new ledger in DIR (default: the current folder).

    \b
    Writes events.toml and sources.toml, each with a header listing every field, and
    the JSON Schemas their `#:schema` lines point at (DIR/schema/), for editors that
    complete and check TOML (taplo, VS Code Even Better TOML). Refuses a folder that
    already holds a ledger (exit 2, nothing changed). The new ledger passes `check`.
    Also writes .gitattributes (the ledger files merged by `farchron merge`) and
    .gitignore (the lock and temp files), and inside a git repository registers the
    merge driver in its config; `init --git` does only that, in a clone of a ledger.

    \b
    Examples:
      farchron init rjw
      farchron --data rjw import works.bib
      git clone URL ledger && cd ledger && farchron init --git
    """
    from farchron.authoring import gitsetup
    from farchron.authoring.operations import init_ledger
    from farchron.cli.stdio import say

    path = Path(folder or ".")
    if git_only:
        if not path.is_dir():
            raise click.UsageError(f"{path} is not a folder")
        gitsetup.write_git_files(path)
        gitsetup.register(path)
        say(f"git set up in {folder or '.'}: .gitattributes, .gitignore, and the merge "
            "driver registered (merge.farchron)")
        return
    init_ledger(path)
    gitsetup.write_git_files(path)
    where = "." if folder is None else folder
    say(f"a new ledger in {where}: events.toml, sources.toml, schema/, .gitattributes, "
        ".gitignore")
    if gitsetup.git_dir(path):
        gitsetup.register(path)
        say("the merge driver is registered in this git repository (merge.farchron)")
    hint = "" if folder is None else f"--data {folder} "
    say(f"next: farchron {hint}import WORKS.bib, farchron {hint}add event --help")
