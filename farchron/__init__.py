"""farchron: a chronology and citation tool for historians.

Loads a TOML event ledger and the bibliography of the paper it was built from. The
packages are stages of one flow (files → load → model → query → views → render); see
docs/architecture.md and FLOORS below.
"""

import sys as _sys

__version__ = "0.1.0"


def _pathlib_without_urllib() -> None:
    """Import pathlib without urllib.parse and ipaddress (~3 ms of every start-up, issue 28):
    pathlib (3.11, 3.12) imports urllib.parse only for `Path.as_uri`'s quote_from_bytes.
    While pathlib loads, a stand-in module offers that name as a function importing the
    real one on first call; the stand-in leaves sys.modules at once, so any later
    `import urllib.parse` gets the real module. Anything unexpected: the plain import."""
    if "pathlib" in _sys.modules or "urllib.parse" in _sys.modules:
        return
    import types

    def quote_from_bytes(*args: object, **kw: object) -> str:
        from urllib.parse import quote_from_bytes as real

        return real(*args, **kw)  # type: ignore[arg-type]

    stand_in = types.ModuleType("urllib.parse")
    stand_in.quote_from_bytes = quote_from_bytes  # type: ignore[attr-defined]
    _sys.modules["urllib.parse"] = stand_in
    try:
        import pathlib
    except ImportError:
        pass
    finally:
        if _sys.modules.get("urllib.parse") is stand_in:
            del _sys.modules["urllib.parse"]
    if "pathlib" not in _sys.modules:  # pathlib wanted another name: import it plainly
        import pathlib  # noqa: F401


_pathlib_without_urllib()

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
