"""Sections read piece by piece: checked blocks, lazy strings, postings, character buckets.

A warm search over a million events must touch the few records it ranks, not map and
verify every section whole. So the sections here carry one crc32 per 64 KiB block
(the `.crc` section beside each; a section read record by record may use smaller ones),
checked the first time a block is read: a damaged file is still noticed before any of
its data is used (`StoreError`), and a search reads and verifies a few hundred blocks,
not hundreds of megabytes.

`Table` is a sorted list of distinct strings grouped into buckets by how many spaces,
digits and other characters they hold, each string with a posting list of records.
The counts bound the longest common subsequence of two strings (see `lcs_bound`),
which is what a fuzzy ratio is made of, so a caller can skip whole buckets that
cannot reach its cut-off and scan only the rest. Pure standard library.
"""

from __future__ import annotations

import operator
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any

from farchron.store.sections import Store, StoreError

BLOCK = 1 << 16
#: Sections larger than this may be checked in smaller blocks (`block_of`).
FINE_FROM = 1 << 20


def block_of(nbytes: int, fine: int) -> int:
    """The block a section of `nbytes` is checked in: `fine` when it is over FINE_FROM (one
    read record by record, whose records lie all over it), else BLOCK (a small section is
    checked whole at the cost of one block)."""
    return fine if nbytes > FINE_FROM else BLOCK


def checked_sections(name: str, data: bytes, block: int = BLOCK) -> dict[str, bytes]:
    """`data` as section `name` with its block crc32s as `name.crc`: blocks of
    block_of(len(data), block) bytes (a reader gives Checked the same `block`)."""
    block = block_of(len(data), block)
    crcs = struct.pack(f"={-(-len(data) // block)}I", *(
        zlib.crc32(data[b:b + block]) for b in range(0, len(data), block)))
    return {name: data, f"{name}.crc": crcs}


class Checked:
    """A section as a typed sequence ('B' or 'I'), each block verified when first read."""

    __slots__ = ("_block", "_crcs", "_ok", "_path", "_raw", "_size", "_view", "name")

    def __init__(self, st: Store, name: str, fmt: str, count: int | None = None,
                 block: int = BLOCK) -> None:
        self.name, self._path = name, st.path
        self._raw = st.section(name, verify=False)
        self._block = block = block_of(self._raw.nbytes, block)
        self._crcs = st.array(f"{name}.crc", "I")
        self._size = struct.calcsize(fmt)
        if len(self._crcs) != -(-self._raw.nbytes // block) or self._raw.nbytes % self._size:
            raise StoreError(f"section {name} does not fit its checksums")
        self._view = self._raw.cast(fmt)  # type: ignore[call-overload]
        self._ok = bytearray(len(self._crcs))
        if count is not None and len(self._view) != count:
            raise StoreError(f"section {name} holds {len(self._view)} items, not {count}")

    def _check(self, lo: int, hi: int) -> None:
        """Verify the blocks holding bytes lo..hi-1."""
        ok, block = self._ok, self._block
        for b in range(lo // block, (hi - 1) // block + 1):
            if not ok[b]:
                if zlib.crc32(self._raw[b * block:(b + 1) * block]) != self._crcs[b]:
                    exc = StoreError(f"checksum mismatch in the search index's {self.name}")
                    exc.path = self._path  # type: ignore[attr-defined]  # for cache.recover
                    raise exc
                ok[b] = 1

    def __len__(self) -> int:
        return len(self._view)

    def whole(self) -> Any:
        """The typed view, every block verified now: for sections read all over."""
        if self._view.nbytes:
            self._check(0, self._view.nbytes)
        return self._view

    def __getitem__(self, i: Any) -> Any:
        if i.__class__ is slice:
            lo, hi = i.start, i.stop
            # the common case, a plain slice within one or two verified blocks: a search
            # reads tens of thousands of fields' tokens, so each read costs ~1 µs less
            if lo.__class__ is int and hi.__class__ is int and i.step is None \
                    and 0 <= lo < hi <= len(self._view):
                a, b = lo * self._size // self._block, (hi * self._size - 1) // self._block
                if b - a <= 1 and self._ok[a] and self._ok[b]:
                    return self._view[lo:hi]
            lo, hi, _ = i.indices(len(self._view))
            if hi > lo:
                self._check(lo * self._size, hi * self._size)
            return self._view[lo:hi]
        if not 0 <= i < len(self._view):
            raise IndexError(f"{self.name}: {i} out of range")
        self._check(i * self._size, (i + 1) * self._size)
        return self._view[i]


def strings_sections(name: str, items: Iterable[str], block: int = BLOCK) -> dict[str, bytes]:
    """Strings (none holding a newline) as a blob of newline-ended UTF-8 (checked per
    `block` bytes) and offsets."""
    items = items if isinstance(items, list) else list(items)
    offs = array("I")
    try:  # one blob, no bytes object per string: a million events have ten million fields
        offs.extend(accumulate(((len(s) if s.isascii() else len(s.encode(
            "utf-8", "surrogatepass"))) + 1 for s in items), initial=0))
    except OverflowError:
        raise ValueError("strings too large for the index") from None
    blob = ("\n".join(items) + "\n").encode("utf-8", "surrogatepass") if items else b""
    return {**checked_sections(name, blob, block),
            **checked_sections(f"{name}.off", offs.tobytes())}


class Strings(Sequence[str]):
    """Strings of a `strings_sections` pair, decoded one by one or a run at a time."""

    def __init__(self, st: Store, name: str, count: int | None = None,
                 block: int = BLOCK) -> None:
        self._blob = Checked(st, name, "B", block=block)
        self._off = Checked(st, f"{name}.off", "I",
                            None if count is None else count + 1).whole()
        self._n = len(self._off) - 1
        if self._n < 0:
            raise StoreError(f"section {name}.off is empty")
        self._end = len(self._blob)

    def __len__(self) -> int:
        return self._n

    def _decode(self, mv: Any) -> str:
        try:
            return str(mv, "utf-8")
        except UnicodeDecodeError:
            raise StoreError(f"section {self._blob.name} is not UTF-8") from None

    def __getitem__(self, i: Any) -> Any:
        if i.__class__ is not int:
            if isinstance(i, slice):
                lo, hi, step = i.indices(self._n)
                return self.span(lo, hi)[::step] if step != 1 else self.span(lo, hi)
            i = operator.index(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("string index out of range")
        a, b = self._off[i], self._off[i + 1]
        if not a < b <= self._end:
            raise StoreError(f"section {self._blob.name}.off is out of order")
        return self._decode(self._blob[a:b - 1])

    def span(self, lo: int, hi: int) -> list[str]:
        """Strings lo..hi-1 in one decode."""
        if hi <= lo:
            return []
        a, b = self._off[lo], self._off[hi]
        if not a < b <= self._end:
            raise StoreError(f"section {self._blob.name}.off is out of order")
        out = self._decode(self._blob[a:b - 1]).split("\n")
        if len(out) != hi - lo:
            raise StoreError(f"section {self._blob.name} does not fit its offsets")
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self.span(0, self._n))


def lcs_bound(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    """The most characters two strings with these (spaces, digits, others) counts can have
    in common, in order or not: a longest common subsequence pairs equal characters, and
    equal characters are of the same class."""
    return min(a[0], b[0]) + min(a[1], b[1]) + min(a[2], b[2])


def classes(s: str) -> tuple[int, int, int]:
    """(spaces, digits, others) in s."""
    sp = s.count(" ")
    dg = sum(map(s.count, "0123456789"))
    return sp, dg, len(s) - sp - dg


class Table:
    """Distinct strings sorted by `classes`, each with the sorted records that hold it.

    Sections NAME.keys (bucket starts and counts, four uint32 a bucket), NAME (the
    strings), NAME.post and NAME.postoff (the posting lists).
    """

    def __init__(self, st: Store, name: str) -> None:
        keys = st.array(f"{name}.keys", "I")
        if len(keys) % 4:
            raise StoreError(f"section {name}.keys has a partial bucket")
        self.buckets = [(tuple(keys[k + 1:k + 4]), keys[k]) for k in range(0, len(keys), 4)]
        self.strings = Strings(st, name)
        n = len(self.strings)
        self._post = Checked(st, f"{name}.post", "I")
        self._off = Checked(st, f"{name}.postoff", "I", n + 1)
        self.ends = [s for _k, s in self.buckets[1:]] + [n]
        if any(not 0 <= s <= e <= n for (_k, s), e in zip(self.buckets, self.ends, strict=True)):
            raise StoreError(f"section {name}.keys is out of order")

    def spans(self, keep: Any) -> Iterator[tuple[int, int]]:
        """(first, end) of every bucket whose (spaces, digits, others) `keep` accepts."""
        for (key, start), end in zip(self.buckets, self.ends, strict=True):
            if end > start and keep(key):
                yield start, end

    def postings(self, k: int) -> Any:
        """The records holding string k."""
        a, b = self._off[k], self._off[k + 1]
        if not a <= b <= len(self._post):
            raise StoreError("posting offsets out of order")
        return self._post[a:b]

    @staticmethod
    def order(strings: Sequence[str]) -> list[int]:
        """Positions of `strings` in the order a table keeps them."""
        keys = [(classes(s), s) for s in strings]
        return sorted(range(len(strings)), key=keys.__getitem__)

    @staticmethod
    def sections(name: str, ordered: Sequence[str], post: bytes,
                 postoff: bytes) -> dict[str, bytes]:
        """The sections of a table: `ordered` as `order` sorts them, their posting lists
        (uint32 records) and the offsets of each list (len(ordered) + 1 uint32)."""
        keys: list[int] = []
        last = None
        for n, s in enumerate(ordered):
            c = classes(s)
            if c != last:
                keys += [n, *c]
                last = c
        return {**strings_sections(name, ordered),
                f"{name}.keys": struct.pack(f"={len(keys)}I", *keys),
                **checked_sections(f"{name}.post", post),
                **checked_sections(f"{name}.postoff", postoff)}
