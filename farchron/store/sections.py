"""A verified, memory-mapped file of named sections: the layout of farchron's cache.

Why this and not one marshal blob: a warm `timeline 1939` over a million events should
touch only the bounds it filters and the events it prints. Every section carries a
crc32; sections read whole (bounds, offsets, metadata) are verified when first used,
and event rows one by one when decoded, so a damaged file is noticed before any of its
data is used (`StoreError`), never shown. Nothing is loaded with pickle: rows are
marshal data of plain tuples and are shape-checked before use, so a crafted file can
neither run code nor crash a command.

Also here, because every reader needs them: reading data files with the size cap
applied before any byte (`read_capped`), the privacy check of the cache folder and
file (`unsafe_reason`), and temp files that are swept when their writer is gone.

Pure standard library; no click, rich or farchron model imports.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import stat
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO

MAGIC = b"farchron-store\x00\x02"
_PRE = struct.Struct("<16sQI")  # magic, header length, crc32 of the header
_ALIGN = 8
#: In the name of every temp file farchron writes (".NAME.farchron-tmp.PID.RAND.tmp"):
#: the next run sweeps those whose writer is gone.
TMP_MARK = ".farchron-tmp."


class StoreError(Exception):
    """The file is damaged, truncated, of another layout, or its contents do not fit."""


class DataFileError(Exception):
    """A data file that must not be read (missing, not a regular file, over the cap)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------- data files


def _open_regular(path: str | os.PathLike[str], cap: int) -> tuple[int, os.stat_result]:
    """An fd of `path` checked to be a regular file of at most `cap` bytes, and its stat.

    Opened non-blocking so a FIFO cannot hang the open itself; the checks run on the
    open fd, so the file checked is the file read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataFileError("missing-file", "no such file") from None
    except IsADirectoryError:
        raise DataFileError("unreadable", "is a directory") from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise DataFileError("unreadable", "too many levels of symbolic links") from None
        raise DataFileError("unreadable", exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataFileError("unreadable", "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise DataFileError("unreadable", "not a regular file (a device, FIFO or "
                                "socket); give the path of a TOML file")
        if st.st_size > cap:
            raise DataFileError("too-large", f"file is over the {cap}-byte limit "
                                "(set FARCHRON_MAX_BYTES to raise it)")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_capped(path: str | os.PathLike[str], cap: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and the stat they were read under.

    The cap is applied before any byte is read (stat of the open fd), and reading stops
    at cap + 1 bytes anyway, so a file growing while read is still refused.
    """
    fd, st = _open_regular(path, cap)
    try:
        with os.fdopen(fd, "rb", closefd=True) as f:
            raw = f.read(cap + 1)
    except OSError as exc:
        raise DataFileError("unreadable", exc.strerror or str(exc)) from None
    if len(raw) > cap:
        raise DataFileError("too-large", f"file is over the {cap}-byte limit "
                            "(set FARCHRON_MAX_BYTES to raise it)")
    return raw, st


def stat_capped(path: str | os.PathLike[str], cap: int) -> os.stat_result:
    """The stat of a data file, with the same refusals as read_capped, reading nothing."""
    fd, st = _open_regular(path, cap)
    os.close(fd)
    return st


def file_id(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes whenever the file's contents may have: size, mtime, ctime, inode, device.

    ctime cannot be set back by a user (touch -r sets mtime only), so an edit that
    restores size and mtime still shows.
    """
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


#: A file changed within this long of the cache being built may have changed again in
#: the same timestamp tick (2 s on FAT; coarse clocks elsewhere): its bytes are checked.
RACY_NS = 3_000_000_000


def racy(st: os.stat_result, built_ns: int) -> bool:
    """Whether stat alone cannot tell this version of the file from a later one (git's
    "racily clean" rule): then the caller compares a checksum of the bytes."""
    return max(st.st_mtime_ns, st.st_ctime_ns) >= built_ns - RACY_NS


# --------------------------------------------------------------------------- privacy


def unsafe_reason(path: str | os.PathLike[str], *, folder: bool) -> str | None:
    """Why a cache folder or file must not be trusted, or None.

    Another user's, or writable by group or others: someone else could plant data
    there. A cache file must also be a regular file, not a link.
    """
    try:
        st = os.stat(path) if folder else os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    if folder and not stat.S_ISDIR(st.st_mode):
        return "not a folder"
    if not folder and not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return "owned by another user"
    if st.st_mode & 0o022:
        return "writable by group or others"
    return None


# --------------------------------------------------------------------------- temp files

_LIVE_TMP: set[str] = set()


def live_temp_files() -> set[str]:
    """Temp files this process is writing now (a signal handler removes them)."""
    return _LIVE_TMP


def remove_live_temp_files() -> None:
    """Remove this process's temp files: for SIGTERM/SIGHUP handlers and atexit."""
    for p in list(_LIVE_TMP):
        with contextlib.suppress(OSError):
            os.unlink(p)
        _LIVE_TMP.discard(p)


def temp_name(folder: str | os.PathLike[str], target_name: str) -> str:
    """A fresh temp path in `folder`: the prefix and our pid let a later run sweep it."""
    return os.path.join(os.fspath(folder), f".{target_name}{TMP_MARK}{os.getpid()}."
                        f"{os.urandom(4).hex()}.tmp")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, not ours
    return True


def sweep_temp_files(folder: str | os.PathLike[str], older_than: float = 3600.0) -> int:
    """Remove temp files left in `folder` by writers that died (kill -9, power cut).

    A file is stale when its writer's pid is gone, or it is over `older_than` seconds
    old (a pid may be reused). Returns how many were removed.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for ent in entries:
        if TMP_MARK not in ent.name or not ent.name.endswith(".tmp"):
            continue
        try:
            pid = int(ent.name.rsplit(TMP_MARK, 1)[1].split(".", 1)[0])
        except ValueError:
            pid = -1
        if pid == os.getpid() and ent.path in _LIVE_TMP:
            continue
        try:
            st = ent.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                continue
            if (pid > 0 and _pid_alive(pid)) and now - st.st_mtime < older_than:
                continue
            os.unlink(ent.path)
            removed += 1
        except OSError:
            pass
    return removed


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], *, mode: int | None = None,
              before_replace: Callable[[], object] | None = None) -> Iterator[BinaryIO]:
    """A temp file beside `path` to write into: on a clean exit it is fsynced, given `mode`
    (else it stays 0600) and renamed over `path`, so a reader sees the old file or the
    new one, whole; on any error, or SIGTERM/SIGHUP (see live_temp_files), it is removed.
    Temp files of dead writers in the folder are swept first. The one place farchron
    writes a file atomically: the store here, everything else through atomic.py.
    """
    folder = os.path.dirname(os.fspath(path)) or "."
    sweep_temp_files(folder)
    tmp = temp_name(folder, os.path.basename(os.fspath(path)))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                 0o600)
    _LIVE_TMP.add(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        _LIVE_TMP.discard(tmp)


# --------------------------------------------------------------------------- writing


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
