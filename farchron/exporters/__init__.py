"""Other tools' formats written from the ledger: BibTeX, CSL-JSON and RIS
(bibliography), SQLite (sqlite), a self-contained HTML timeline (html), TimelineJS JSON
(timelinejs) and Word through pandoc (docx).

Floor 7, beside importers/ (neither imports the other): imports cite/ and below. Returns
text or writes files through farchron.files; the front ends print.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from farchron.model.records import Source

#: The formats `sources -f` writes works in: name -> "module:function", each function
#: taking (sources, family_first) and returning the text. A new format is one module
#: here and one line below; `sources`' choices and help come from this table.
WORK_FORMATS: dict[str, str] = {
    "bibtex": "farchron.exporters.bibliography:bibtex",
    "csl-json": "farchron.exporters.bibliography:csl_json",
    "ris": "farchron.exporters.bibliography:ris",
}


def export_works(fmt: str, sources: Iterable[Source],
                 family_first: frozenset[str] | None = None) -> str:
    """The text of one of WORK_FORMATS for these works; `family_first` the ledger's East
    Asian names (works.east_asian_names), else worked out from these works."""
    import importlib

    try:
        module, function = WORK_FORMATS[fmt].split(":")
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}") from None
    return str(getattr(importlib.import_module(module), function)(sources, family_first))
