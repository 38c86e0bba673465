"""`farchron cite --keys FILE...`: the citation keys of a manuscript and what each names
in the ledger (event, work, unknown: left for citeproc, both: an error), for a Makefile
or an editor. One line a key, at its first use: `key<TAB>kind<TAB>FILE:LINE`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from farchron.cite.keys import find_keys
from farchron.errors import NotFound, UsageError
from farchron.pandoc.notes import Citer

if TYPE_CHECKING:
    from farchron.model.records import Ledger


def key_records(ledger: Ledger, files: Sequence[str]) -> list[dict[str, Any]]:
    """One record a key, in order of first use: key, kind, file, line, column, uses."""
    citer = Citer(ledger)
    found: dict[str, dict[str, Any]] = {}
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            raise UsageError(f"{name}: cannot read it as UTF-8 text: {why}") from None
        for use in find_keys(text):
            rec = found.get(use.key)
            if rec is None:
                found[use.key] = {"key": use.key, "kind": citer.kind(use.key), "file": name,
                                  "line": use.line, "column": use.column, "uses": 1}
            else:
                rec["uses"] += 1
    return list(found.values())


def write_keys(ledger: Ledger, files: Sequence[str], fmt: str = "text",
               out: IO[str] | None = None) -> None:
    """The keys as TSV (`text`) or a JSON array; none at all is grep's exit 1."""
    from farchron.text import clean

    out = out or sys.stdout
    records = key_records(ledger, files)
    if not records:
        raise NotFound(hint="no citation keys (@key) in " + ", ".join(files))
    if fmt == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    for r in records:
        out.write(f"{clean(r['key'])}\t{r['kind']}\t{clean(r['file'])}:{r['line']}\n")
