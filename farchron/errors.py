"""The few exception types the core raises, and `Problem`, the finding they carry; the
command line (farchron/cli/stdio.py) turns them into exit codes.

Nothing here imports click or rich, so the core stays usable as a library.
"""

from __future__ import annotations

from collections.abc import Callable

from farchron.frozen import Frozen

__all__ = ["DataError", "FarchronError", "NotFound", "Problem", "UsageError"]


class Problem(Frozen):
    """One finding about a data file, positioned as precisely as we can."""

    __slots__ = ("code", "column", "file", "line", "message", "severity")
    _fields = ("file", "line", "column", "code", "message", "severity")
    __match_args__ = ("file", "line", "column", "code", "message", "severity")

    file: str
    line: int | None
    column: int | None
    code: str
    message: str
    severity: str  # "error" or "warning"

    def __init__(self, file: str, line: int | None, column: int | None, code: str,
                 message: str, severity: str = "error") -> None:
        _set = object.__setattr__
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "code", code)
        _set(self, "message", message)
        _set(self, "severity", severity)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class FarchronError(Exception):
    """Base class: a message meant for the user, and the exit code it earns."""

    exit_code = 2


class DataError(FarchronError):
    """The ledger cannot be read or is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid data")


class UsageError(FarchronError):
    """Bad command-line input that click itself could not catch (a bad date...)."""


class NotFound(FarchronError):
    """Nothing matched: grep's exit status 1, and nothing on stdout.

    `hint` says why and what to try; it is worked out and said only when stderr is a
    terminal (a pipe stays silent, as grep's does), so it may be a function.
    """

    exit_code = 1

    def __init__(self, message: str = "", hint: str | Callable[[], str | None] | None = None
                 ) -> None:
        super().__init__(message)
        self.hint = hint

    def hint_text(self) -> str | None:
        return self.hint() if callable(self.hint) else self.hint
