"""A tiny base for immutable value classes, for the classes every command imports.

Why not @dataclass(frozen=True, slots=True): it writes and compiles each class's methods
when the module is imported, about a millisecond a class; start-up is most of what a
`farchron timeline 1939 | cat` costs. These methods are ordinary code, kept in the .pyc.
"""

from __future__ import annotations

from typing import Any


class FrozenInstanceError(AttributeError):
    """Raised on assignment to a field of a frozen value (as dataclasses does)."""


class Frozen:
    """Equality, hash and repr over `_fields`; no assignment after __init__."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle call __init__ again
        return (type(self), tuple(getattr(self, f) for f in self._init_args))

    #: __init__'s parameters in order (those of _fields, unless a class says more).
    _init_args: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        if not cls._init_args:
            cls._init_args = cls._fields
