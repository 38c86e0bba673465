"""farchron: a chronology and citation tool for historians.

Loads a TOML event ledger and the bibliography of the paper it was built from.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
