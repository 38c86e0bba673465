"""A verified, memory-mapped file of named sections: the layout of farchron's cache.

Why this and not one marshal blob: a warm `timeline 1939` over a million events should
touch only the bounds it filters and the events it prints. Every section carries a
crc32; sections read whole (bounds, offsets, metadata) are verified when first used,
and event rows one by one when decoded, so a damaged file is noticed before any of its
data is used (`StoreError`), never shown. Nothing is loaded with pickle: rows are
marshal data of plain tuples and are shape-checked before use, so a crafted file can
neither run code nor crash a command.

Reading data files under the size cap, the privacy check and temp files live in
farchron.files (the base), which the ledger reader and the exports share.

Pure standard library; no click, rich or farchron model imports.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import stat
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

MAGIC = b"farchron-store\x00\x02"
_PRE = struct.Struct("<16sQI")  # magic, header length, crc32 of the header
_ALIGN = 8
class StoreError(Exception):
    """The file is damaged, truncated, of another layout, or its contents do not fit."""


def write(path: str | os.PathLike[str], meta: Any, sections: Mapping[str, Any]) -> None:
    """Write a store: `meta` (marshal-able plain data) and named byte sections.

    Written through `replacing` (0600), so a reader sees the old file or the new one,
    whole. Sections are bytes-like (bytes, bytearray, array).
    """
    table = []
    offset = 0
    views = []
    for name, data in sections.items():
        mv = memoryview(data).cast("B")
        table.append((name, offset, mv.nbytes, zlib.crc32(mv)))
        views.append(mv)
        offset += mv.nbytes + (-mv.nbytes) % _ALIGN
    header = marshal.dumps((meta, tuple(table)))
    base = _PRE.size + len(header)
    base += (-base) % _ALIGN
    # offsets stored relative to `base`, so the header need not know its own length
    from farchron.files import replacing  # only a write needs it: a warm read does not

    with replacing(path) as f:
        f.write(_PRE.pack(MAGIC, len(header), zlib.crc32(header)))
        f.write(header)
        f.write(b"\0" * (base - _PRE.size - len(header)))
        for mv in views:
            f.write(mv)
            f.write(b"\0" * ((-mv.nbytes) % _ALIGN))


# --------------------------------------------------------------------------- reading


class Store:
    """An open store: its metadata and its sections as zero-copy views, verified on use."""

    __slots__ = ("_base", "_fd", "_map", "_mv", "_table", "_verified", "meta", "path", "size")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Open and map `path`; StoreError if it is not a whole store of this layout.

        FileNotFoundError propagates (no cache yet is not damage).
        """
        self.path = os.fspath(path)
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise StoreError("not a regular file")
            self.size = st.st_size
            if self.size < _PRE.size:
                raise StoreError("truncated")
            self._map = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd  # kept: sparse rows are read with pread (see Rows.raw)
        self._mv = memoryview(self._map)
        magic, hlen, hcrc = _PRE.unpack_from(self._mv, 0)
        if magic != MAGIC:
            raise StoreError("not a farchron store of this version")
        if hlen > self.size - _PRE.size:
            raise StoreError("truncated header")
        header = self._mv[_PRE.size:_PRE.size + hlen]
        if zlib.crc32(header) != hcrc:
            raise StoreError("header checksum mismatch")
        try:
            meta, table = marshal.loads(header)
        except (ValueError, EOFError, TypeError) as exc:
            raise StoreError(f"unreadable header: {exc}") from None
        base = _PRE.size + hlen
        self._base = base + (-base) % _ALIGN
        self.meta = meta
        self._table: dict[str, tuple[int, int, int]] = {}
        if not isinstance(table, tuple):
            raise StoreError("bad section table")
        for entry in table:
            if not (isinstance(entry, tuple) and len(entry) == 4
                    and isinstance(entry[0], str)
                    and all(type(x) is int and x >= 0 for x in entry[1:])):
                raise StoreError("bad section table")
            name, off, length, crc = entry
            if self._base + off + length > self.size:
                raise StoreError(f"truncated section {name}")
            self._table[name] = (self._base + off, length, crc)
        self._verified: set[str] = set()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", -1)
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
            self._fd = -1

    def has(self, name: str) -> bool:
        return name in self._table

    def offset(self, name: str) -> int:
        """Where a section starts in the file."""
        try:
            return self._table[name][0]
        except KeyError:
            raise StoreError(f"no section {name}") from None

    def pread(self, offset: int, length: int) -> bytes:
        """Bytes read with pread, not through the mapping: a few rows scattered over a
        big file then cost page-cache pages, not this process's memory."""
        if self._fd < 0:
            raise StoreError("store closed")
        return os.pread(self._fd, length, offset)

    def release(self) -> None:
        """Drop the mapping's resident pages (after a pass over all rows): they come back
        from the page cache if read again. Keeps a million-row pass under its memory cap."""
        with contextlib.suppress(AttributeError, OSError, ValueError):
            self._map.madvise(mmap.MADV_DONTNEED)

    def section(self, name: str, *, verify: bool = True) -> memoryview:
        """The bytes of one section (zero-copy); verified whole unless `verify` is False
        (then the caller verifies the parts it reads, like event rows)."""
        try:
            off, length, crc = self._table[name]
        except KeyError:
            raise StoreError(f"no section {name}") from None
        mv = self._mv[off:off + length]
        if verify and name not in self._verified:
            if zlib.crc32(mv) != crc:
                raise StoreError(f"checksum mismatch in section {name}")
            self._verified.add(name)
        return mv

    def array(self, name: str, fmt: str, count: int | None = None) -> memoryview:
        """A verified section as a typed view ('q', 'Q', 'I'); its length checked."""
        mv = self.section(name)
        size = struct.calcsize(fmt)
        if mv.nbytes % size:
            raise StoreError(f"section {name} has a partial item")
        out = mv.cast(fmt)  # type: ignore[call-overload]
        if count is not None and len(out) != count:
            raise StoreError(f"section {name} holds {len(out)} items, not {count}")
        return out

    def strings(self, name: str, count: int | None = None) -> list[str]:
        """A verified section of newline-separated UTF-8 strings."""
        mv = self.section(name)
        try:
            text = str(mv, "utf-8")
        except UnicodeDecodeError:
            raise StoreError(f"section {name} is not UTF-8") from None
        out = text.split("\n") if text else []
        if count is not None and len(out) != count:
            raise StoreError(f"section {name} holds {len(out)} strings, not {count}")
        return out


def join_strings(items: Iterable[str]) -> bytes:
    """The `strings` section of `items` (none may hold a newline)."""
    return "\n".join(items).encode("utf-8", "surrogatepass")


class Rows:
    """Variable-length marshal rows (one per event) with their offsets and crc32s.

    Row i is checked against its own crc32 when read, so reading 50k rows of a
    million verifies those 50k, not the whole file.
    """

    __slots__ = ("_base", "_blobs", "_crcs", "_offs", "_store", "n")

    def __init__(self, store: Store, prefix: str, n: int) -> None:
        self.n = n
        self._store = store
        self._offs = store.array(f"{prefix}.offs", "Q", n + 1)
        self._crcs = store.array(f"{prefix}.crcs", "I", n)
        self._blobs = store.section(f"{prefix}.blobs", verify=False)
        self._base = store.offset(f"{prefix}.blobs")
        if n and (self._offs[0] != 0 or self._offs[n] != self._blobs.nbytes):
            raise StoreError(f"{prefix}: offsets do not fit the rows")

    def raw(self, i: int, *, mapped: bool = False) -> bytes | memoryview:
        """Row i's bytes, checked against its crc32: by pread (a few scattered rows), or
        through the mapping when `mapped` (a pass over all of them)."""
        a, b = self._offs[i], self._offs[i + 1]
        if not a <= b <= self._blobs.nbytes:
            raise StoreError("row offsets out of order")
        blob = self._blobs[a:b] if mapped else self._store.pread(self._base + a, b - a)
        if len(blob) != b - a or zlib.crc32(blob) != self._crcs[i]:
            raise StoreError(f"checksum mismatch in row {i}")
        return blob

    def crc(self, i: int) -> int:
        return int(self._crcs[i])

    def get(self, i: int, *, mapped: bool = False) -> Any:
        try:
            return marshal.loads(self.raw(i, mapped=mapped))
        except (ValueError, EOFError, TypeError) as exc:
            raise StoreError(f"unreadable row {i}: {exc}") from None

    def __iter__(self) -> Iterator[Any]:
        for i in range(self.n):
            yield self.get(i)


class RowsWriter:
    """Builds the three sections of Rows: one growing buffer, not a list of blobs."""

    __slots__ = ("blobs", "crcs", "offs")

    def __init__(self) -> None:
        from array import array

        self.blobs = bytearray()
        self.offs = array("Q", [0])
        self.crcs = array("I")

    def add(self, row: Any) -> None:
        blob = marshal.dumps(row)
        self.blobs += blob
        self.offs.append(len(self.blobs))
        self.crcs.append(zlib.crc32(blob))

    def add_raw(self, blob: bytes | memoryview, crc: int) -> None:
        self.blobs += blob
        self.offs.append(len(self.blobs))
        self.crcs.append(crc)

    def sections(self, prefix: str) -> dict[str, Any]:
        return {f"{prefix}.offs": self.offs, f"{prefix}.crcs": self.crcs,
                f"{prefix}.blobs": self.blobs}
