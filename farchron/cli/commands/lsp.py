"""`farchron lsp`: the Language Server, over stdio."""

from __future__ import annotations

import click

from farchron.cli.app import App, pass_app


@click.command()
@pass_app
def lsp(app: App) -> None:
    """A Language Server on stdio: a draft's dates checked as you type, citation keys.

    \b
    Speaks the Language Server Protocol on stdin/stdout, for any editor with an LSP
    client (Neovim, Helix, Emacs eglot, VS Code; see docs/howto/editors.md).
    In a draft (Markdown, text): audit's findings as diagnostics, hover on a date
    (every calendar, the event its sentence names and its citations), pandoc citation
    keys [@id] completed, hovered, followed to their record, unknown ones flagged;
    code actions to record an event or use the ledger's date. In events.toml and
    sources.toml: check's problems, completion of tags, work ids and event ids, and
    every calendar of a date. The ledger is found as the other commands find it
    (initializationOptions.data, then --data) and reloaded when its files change.

    \b
    Examples:
      farchron lsp                       (what an editor runs)
      farchron --data ~/my-ledger lsp   (a ledger the editor does not name)
    """
    from farchron.lsp.server import main

    main(data=app.data_option)
