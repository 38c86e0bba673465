"""Findings about files: `check` problems and `audit` findings in every format, and the
summary lines that close them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from farchron.errors import Problem
from farchron.model.records import Ledger
from farchron.text import clean, json_dumps

if TYPE_CHECKING:
    from farchron.audit.compare import Finding

# --------------------------------------------------------------------------- check


def write_problems(fmt: str, problems: Sequence[Problem]) -> None:
    """text: one FILE:LINE: message a line; json: one array of objects."""
    if fmt == "json":
        sys.stdout.write(json_dumps([
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.message} for p in problems]) + "\n")
    else:
        for p in problems:
            sys.stdout.write(clean(str(p)) + "\n")


def check_summary(ledger: Ledger | None, problems: Sequence[Problem],
                  data_dir: str | os.PathLike[str]) -> str:
    """The line `check` says on stderr after the list."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(f"{n} {word}{'' if n == 1 else 's'}"
                       for n, word in ((errors, "error"), (warnings, "warning")) if n)
    where = ledger_name(data_dir)
    if ledger is not None and not errors:
        sizes = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in (
            (len(ledger.events), "event"), (len(ledger.sources), "source"),
            (len(ledger.notes), "note")))
        return f"ok: {sizes} in {where}" + (f" ({counts})" if counts else "")
    return f"{counts} in {where}"


def ledger_name(data_dir: str | os.PathLike[str]) -> str:
    """How a message names a ledger: "the shipped ledger", "./rjw" below the current
    folder, else its path (so `check` in an empty folder says which one it checked).
    With os.path, not pathlib: `check` is a warm command (issue 28)."""
    from farchron.ledger.folder import shipped_folder, tidy

    shown = tidy(os.fspath(data_dir))
    try:
        real = os.path.realpath(data_dir)
        if real == os.path.realpath(shipped_folder()):
            return "the shipped ledger"
        rel = os.path.relpath(real, os.path.realpath(os.getcwd()))
    except (OSError, ValueError):
        return shown
    if rel == ".":
        return "."
    return shown if rel.startswith("..") else f".{os.sep}{rel}"


def write_findings(fmt: str, findings: Sequence[Finding]) -> None:
    """audit's findings: text like check's, or one JSON array."""
    if fmt == "json":
        sys.stdout.write(json_dumps([f.to_json() for f in findings]) + "\n")
    else:
        for f in findings:
            sys.stdout.write(clean(str(f)) + "\n")


def audit_summary(findings: Sequence[Finding], claims: int, files: int,
                  unreadable: int = 0) -> str:
    """The line `audit` says on stderr after the list (never "ok" when a file was not read)."""
    kinds = (("date-contradicts", "contradiction", "contradictions"),
             ("date-other-source", "date other sources give", "dates other sources give"),
             ("date-calendar", "date in the other calendar", "dates in the other calendar"),
             ("no-event", "date matching no event", "dates matching no event"))
    counts = [(sum(f.code == c for f in findings), one, many) for c, one, many in kinds]
    counts.append((unreadable, "file unreadable", "files unreadable"))
    said = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n)
    where = f"{claims} date{'' if claims == 1 else 's'} in {files} file{'' if files == 1 else 's'}"
    return f"{said or 'ok'}: {where}"
