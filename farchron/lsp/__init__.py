"""`farchron lsp`: a Language Server for drafts and ledger files, over stdio.

A front end beside `cli/`: it imports the core (audit, prose, query, search, cite,
humandates, ledger, cache, authoring/ledgerwrite) and never the command line (click,
`farchron.cli.app`, `farchron.cli.commands`). pygls and lsprotocol are imported by `server.py`
only, and `server.py` only by `farchron/commands/lsp.py`: no other command pays for them.

- `positions.py`  offsets <-> LSP positions (UTF-16 by default), line starts
- `state.py`      which ledger, loaded through the verified cache, reloaded on change
- `drafts.py`     a draft audited paragraph by paragraph (only changed ones again), its
                  citation keys `[@id]`, what stands at a position
- `hovers.py`     hover texts: a date in every calendar, an event, a work
- `actions.py`    code actions: record an event, use the ledger's date
- `ledgerfiles.py` events.toml / sources.toml: problems, completion, hover on dates
- `server.py`     the pygls wiring
"""
