"""farchron: a chronology and citation tool for historians.

Loads a TOML event ledger and the bibliography of the paper it was built from. The
packages are stages of one flow (files → load → model → query → views → render); see
docs/architecture.md and FLOORS below.
"""

__version__ = "0.1.0"


#: The layer rule, base first: a package imports only from packages on a lower floor (or
#: from itself); upward references only under TYPE_CHECKING. Packages sharing a floor do
#: not import each other. tests/architecture/test_layers.py enforces it (and the absence of
#: import cycles) by walking every import of every module.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("settings", "text", "frozen", "errors", "files"),  # the base
    ("dates",),
    ("model",),
    ("ledger",),
    ("store",),
    ("query",),
    ("cite",),
    ("importers", "exporters"),
    ("authoring",),
    ("audit",),
    ("render",),
    ("lsp", "pandoc"),  # the front ends for the editor and the manuscript build
    ("cli",),  # the command line, whose `lsp` command and `cite --keys` use them
    ("__main__",),  # python -m farchron
)

__all__ = ["FLOORS", "__version__"]
