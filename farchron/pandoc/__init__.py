"""farchron in a pandoc pipeline: a JSON filter that turns `[@event-id]` and
`[@work-id, 159]` in a manuscript into Chicago notes, and the reading of citation keys
from a Markdown source (shared with `cite --keys` and a future language server).

A front end beside the command line, not under it: it may import the base (settings,
errors, model), dates, the ledger loaders (datadir, cache) and the citation style (cite,
works, typeset, render.clean); never click, rich or farchron.cli.commands / farchron.cli.
Nothing outside this package imports it except `farchron/commands/cite.py` (--keys).

- `keys.py`      citation keys in Markdown text, with their lines (no farchron imports)
- `locators.py`  a pandoc citation's suffix split into Chicago locator and the rest
- `tree.py`      pandoc's JSON AST: inlines from runs, metadata as text, any API version
- `notes.py`     `Citer`: ledger keys to notes, in-text dates and the bibliography
- `filter.py`    `main()`, the `farchron-pandoc` console script
"""
