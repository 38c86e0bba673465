"""The ledger's works as the cache keeps them: one marshal row each, decoded when asked for.

Why: `sources QUERY` on a ledger of 10k works prints a few of them, yet unmarshalling
every work and building its `Source` took ~55 ms of each warm run (issue 28). The rows
travel in the store's metadata as one opaque value (`pack`: ids, offsets, rows), which
`add` carries over without reading it; the metadata's crc32 covers them.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from farchron.model.records import Source
from farchron.store.sections import StoreError


def pack(sources: Iterable[Source]) -> tuple[str, bytes, bytes]:
    """(the ids joined by newlines, uint32 offsets of the rows, the rows end to end)."""
    ids: list[str] = []
    offs = array("I", [0])
    rows: list[bytes] = []
    at = 0
    for s in sources:
        row = marshal.dumps((s.id, s.type, s.title, s.authors, s.issued,
                             tuple(s.fields.items())))
        ids.append(s.id)
        rows.append(row)
        at += len(row)
        offs.append(at)
    return "\n".join(ids), offs.tobytes(), b"".join(rows)


def _strs(t: Any) -> bool:
    return type(t) is tuple and all(type(x) is str for x in t)


class Works(Mapping[str, Source]):
    """The works by id, in ledger order, each decoded (and shape-checked) the first time
    it is read. Behaves like the dict `Ledger.sources` is for a ledger read from TOML."""

    __slots__ = ("_done", "_ids", "_offs", "_path", "_pos", "_rows")

    def __init__(self, packed: Any, path: str) -> None:
        self._path = path
        try:
            text, offs, rows = packed
            if type(text) is not str or type(offs) is not bytes or type(rows) is not bytes:
                raise TypeError
            self._ids = text.split("\n") if text else []
            self._offs = memoryview(offs).cast("I")
        except (TypeError, ValueError):
            raise self._error("the works of another shape") from None
        n = len(self._ids)
        self._rows = rows
        self._pos = dict(zip(self._ids, range(n), strict=True))
        if (len(self._offs) != n + 1 or len(self._pos) != n or self._offs[0] != 0
                or self._offs[n] != len(rows)):
            raise self._error("the works do not fit their offsets")
        self._done: list[Source | None] = [None] * n

    def _error(self, message: str) -> StoreError:
        exc = StoreError(message)
        exc.path = self._path  # type: ignore[attr-defined]  # for cache.recover
        return exc

    def _decode(self, i: int) -> Source:
        s = self._done[i]
        if s is None:
            a, b = self._offs[i], self._offs[i + 1]
            try:
                if not a < b:
                    raise ValueError
                sid, stype, title, authors, issued, fields = marshal.loads(self._rows[a:b])
                if not (sid == self._ids[i] and type(stype) is str and type(title) is str
                        and _strs(authors) and (issued is None or type(issued) is str)
                        and type(fields) is tuple):
                    raise TypeError
                s = self._done[i] = Source(sid, stype, title, authors, issued, dict(fields))
            except Exception as exc:  # any row that does not unpack: damage, not a bug
                raise self._error(f"work row {i} of another shape ({type(exc).__name__})"
                                  ) from None
        return s

    def __getitem__(self, key: str) -> Source:
        return self._decode(self._pos[key])

    def __contains__(self, key: object) -> bool:
        return key in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"Works({len(self._ids)} works)"
