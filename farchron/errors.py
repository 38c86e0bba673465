"""The few exception types the core raises; cli.py turns them into exit codes.

Nothing here imports click or rich, so the core stays usable as a library.
"""

from __future__ import annotations

from collections.abc import Callable

from farchron.model.records import Problem

__all__ = ["DataError", "FarchronError", "NotFound", "Problem", "UsageError"]


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
