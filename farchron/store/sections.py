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


class Pieces:
    """A section given as pieces (bytes, or spans (fd, offset, length) of an open file,
    copied by the kernel) with its length and crc32 known beforehand: a row put in the
    middle of a big store is written without reading the rows around it."""

    __slots__ = ("crc", "nbytes", "parts")

    def __init__(self, parts: list[Any], nbytes: int, crc: int) -> None:
        self.parts, self.nbytes, self.crc = parts, nbytes, crc


def write(path: str | os.PathLike[str], meta: Any, sections: Mapping[str, Any], *,
          durable: bool = True) -> None:
    """Write a store: `meta` (marshal-able plain data) and named byte sections.

    Written through `replacing` (0600), so a reader sees the old file or the new one,
    whole. Sections are bytes-like (bytes, bytearray, array) or Pieces. `durable=False`
    skips the fsync (files.replacing): a store is verified when read and rebuilt when
    damaged, so a power cut can cost a rebuild, never a wrong answer.
    """
    table = []
    offset = 0
    views: list[Any] = []
    for name, data in sections.items():
        if isinstance(data, Pieces):
            table.append((name, offset, data.nbytes, data.crc))
            views.append(data)
            offset += data.nbytes + (-data.nbytes) % _ALIGN
            continue
        mv = memoryview(data).cast("B")
        table.append((name, offset, mv.nbytes, zlib.crc32(mv)))
        views.append(mv)
        offset += mv.nbytes + (-mv.nbytes) % _ALIGN
    header = marshal.dumps((meta, tuple(table)))
    base = _PRE.size + len(header)
    base += (-base) % _ALIGN
    # offsets stored relative to `base`, so the header need not know its own length
    from farchron.files import put_pieces, replacing  # only a write needs them

    with replacing(path, durable=durable) as f:
        f.write(_PRE.pack(MAGIC, len(header), zlib.crc32(header)))
        f.write(header)
        f.write(b"\0" * (base - _PRE.size - len(header)))
        for mv in views:
            if isinstance(mv, Pieces):
                put_pieces(f, mv.parts)
            else:
                f.write(mv)
            f.write(b"\0" * ((-mv.nbytes) % _ALIGN))


def plus(items: Any, k: int, typecode: str = "q") -> Any:
    """array(typecode, (x + k for x in items)) for 8-byte items that stay in range, at
    C speed: on a little-endian machine the items' bytes read as one big integer, to
    which k is added in every 8-byte lane at once (no lane overflows, so none carries
    into the next)."""
    import sys
    from array import array

    out = array(typecode)
    n = len(items)
    if not n:
        return out
    try:
        raw = memoryview(items).cast("B")
    except TypeError:  # a list
        raw = None
    if raw is None or sys.byteorder != "little" or out.itemsize != 8 or k < 0:
        out.extend(map(k.__add__, items))
        return out
    lanes = int.from_bytes(b"\x01\0\0\0\0\0\0\0" * n, "little")
    big = int.from_bytes(raw, "little") + k * lanes
    out.frombytes(big.to_bytes(8 * n, "little"))
    return out


# --------------------------------------------------------------------------- crc32 arithmetic
# zlib's crc32_combine (crc32.c, multmodp and x2nmodp), which Python's zlib does not
# offer: the crc32 of a text with bytes put in its middle, from the crc32 of the old text
# and of its shorter side, so a 45 MB file changed by one record is not read whole.

_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a times b modulo the CRC-32 polynomial (bit-reflected)."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _x2n_table() -> list[int]:
    p, out = 1 << 30, []  # x^1
    for _ in range(32):
        out.append(p)
        p = _multmodp(p, p)
    return out


_X2N = _x2n_table()


def crc32_shift(crc: int, nbytes: int) -> int:
    """The crc32 `crc` carried over `nbytes` zero-crc bytes: crc32(A + B) is
    crc32_shift(crc32(A), len(B)) ^ crc32(B)."""
    p, k, n = 1 << 31, 3, nbytes  # x^0; 2^3 bits a byte
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc) if crc else 0


def crc32_spliced(crc: int, size: int, at: int, inserted: bytes,
                  crc_of: Any) -> int:
    """The crc32 of old[:at] + inserted + old[at:], where crc32(old) is `crc` and
    len(old) `size`; `crc_of(offset, length)` gives the crc32 of a run of old, and only
    the shorter side of `at` is asked for."""
    head, tail = at, size - at
    ins = zlib.crc32(inserted)
    if tail <= head:
        crc_tail = crc_of(at, tail) if tail else 0
        shifted_head = crc ^ crc_tail  # crc32_shift(crc32(head), tail)
        return crc32_shift(shifted_head, len(inserted)) ^ crc32_shift(ins, tail) ^ crc_tail
    crc_head = crc_of(0, head) if head else 0
    crc_tail = crc ^ crc32_shift(crc_head, tail)
    return (crc32_shift(crc_head, len(inserted) + tail) ^ crc32_shift(ins, tail)
            ^ crc_tail)


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

    def span(self, name: str) -> tuple[int, int, int, int]:
        """(file descriptor, offset in the file, length, recorded crc32) of a section, for
        copying it (or runs of it) into a new store without reading it."""
        try:
            off, length, crc = self._table[name]
        except KeyError:
            raise StoreError(f"no section {name}") from None
        if self._fd < 0:
            raise StoreError("store closed")
        return self._fd, off, length, crc

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
