"""Files as every stage meets them: read under a size cap, written so that a reader (or a
crash) sees the old file or the new, whole, and temp files swept when their writer is gone.

Used by the ledger reader, the cache, the exports and the commands that write the ledger. Temp file
in the same folder, fsync, os.replace, fsync of the folder; a symlink is followed and
the target's mode kept (os.replace onto a link would put a 0600 regular file in its
place). `locked` serialises writers on a separate .lock file: a lock on the data file
itself is lost when os.replace swaps the file away.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # imported where a Path is made: a warm run reads with str paths
    from pathlib import Path

#: Names that mean standard output for -o, besides "-".
STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


class OutputError(Exception):
    """An output path farchron will not write (a loop, a folder, read-only without
    --force): the message says why and what to do."""


def write_output(path: str, data: bytes | str, *, force: bool = False,
                 note: Callable[[str], None] | None = None) -> str | None:
    """Write an export to `path` the way its kind of file needs; the path written.

    A regular file (or a new one) is replaced atomically, keeping its mode; a read-only
    one only with `force`. Anything else that exists (a FIFO, /dev/null, a terminal) is
    written in place: replacing it would put a regular file where a device was. "-" and
    /dev/stdout (STDOUT_NAMES) are the caller's to write. A symlink is followed to its
    target (and `note` says so); a loop is an OutputError. Other failures raise OSError.
    """
    import errno
    import stat

    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if path in STDOUT_NAMES:  # the front end writes standard output, not the base
        raise ValueError(f"{path!r} is standard output: write it in the front end")
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"cannot write {path}: a loop of symbolic links") from None
        raise
    if os.path.islink(path):
        real = os.path.realpath(path)
        if note:
            note(f"{path} is a symbolic link: writing its target {real}")
        path = real
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "wb") as f:  # a FIFO or device: in place, never replaced
            f.write(raw)
        return path
    if st is not None:
        if (not (st.st_mode & 0o222) or not os.access(path, os.W_OK)) and not force:
            raise OutputError(f"{path} is read-only; add --force to replace it")
        if st.st_nlink > 1 and note:
            note(f"{path} had {st.st_nlink - 1} other hard link(s): they keep the old "
                 "contents")
    write_atomic(path, raw, mode=None if st is None else st.st_mode & 0o7777)
    return path


def mode_for(target: Path) -> int:
    """The mode a new version of `target` gets: the file's own, or for a new file what
    open() would give it under the umask (a temp file is made 0600, then set to this)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 mode: int | None = None,
                 before_replace: Callable[[], object] | None = None) -> Path:
    """Replace `path` with `data` (str is written as UTF-8, newlines untouched).

    `mode`: the new file's permissions; by default the existing file's, else what the
    umask allows for a new file (0666 & ~umask). `before_replace` runs once the temp file
    is complete, just before the rename (a test's hook). Returns the path written (the link's
    target for a symlink). Raises OSError (the temp file is removed).
    """
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    return write_pieces(path, [raw], mode=mode, before_replace=before_replace)


#: A run of bytes of an open file: (file descriptor, offset, length).
Span = tuple[int, int, int]


def write_pieces(path: str | os.PathLike[str], pieces: Sequence[bytes | Span], *,
                 mode: int | None = None,
                 before_replace: Callable[[], object] | None = None) -> Path:
    """write_atomic of the pieces one after another: bytes, or spans of an open file
    copied by the kernel (copy_range), so a big file with a few bytes put in the middle
    is written without passing through this process."""
    from pathlib import Path

    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    folder = target.parent
    if mode is None:
        mode = mode_for(target)
    # Named .farchron-tmp.PID.*: removed on SIGTERM/SIGHUP (stdio.run), and swept by a
    # later run when PID is gone (kill -9, power cut).
    with replacing(target, mode=mode, before_replace=before_replace) as f:
        put_pieces(f, pieces)
    with contextlib.suppress(OSError):  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return target


def put_pieces(f: BinaryIO, pieces: Iterable[bytes | Span]) -> None:
    """Write bytes and copied spans of other files to `f`, in order."""
    for piece in pieces:
        if isinstance(piece, tuple):
            f.flush()
            copy_range(piece[0], f.fileno(), piece[1], piece[2])
            f.seek(0, os.SEEK_END)
        else:
            f.write(piece)


def copy_range(src: int, dst: int, offset: int, count: int) -> None:
    """Copy `count` bytes of `src` from `offset` to `dst` at its position, in the kernel
    (copy_file_range, else sendfile, else read and write); OSError if `src` ends first."""
    done = 0
    how = "copy_file_range" if hasattr(os, "copy_file_range") else "sendfile"
    while done < count:
        n = min(count - done, 1 << 30)
        try:
            if how == "copy_file_range":
                got = os.copy_file_range(src, dst, n, offset + done)
            elif how == "sendfile":
                got = os.sendfile(dst, src, offset + done, n)
            else:
                data = os.pread(src, min(n, 1 << 22), offset + done)
                got = len(data)
                view = memoryview(data)
                while view:
                    view = view[os.write(dst, view):]
        except OSError as exc:
            import errno

            # Not between these files (another file system, an old kernel, a pipe...):
            # the next way, down to plain reads and writes.
            if how == "read" or exc.errno not in (
                    errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP,
                    errno.EBADF, errno.ESPIPE, errno.ENOTSOCK):
                raise
            how = "sendfile" if how == "copy_file_range" else "read"
            continue
        if got == 0:
            raise OSError(f"the file being copied ended {count - done} bytes early")
        done += got


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on `path` + '.lock' (created if need be) for the block
    (one file, named as given; the ledger's writers use `locked_files`)."""
    import fcntl
    from pathlib import Path

    lock = Path(path)
    fd = os.open(lock.with_name(lock.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def lock_key(path: str | os.PathLike[str]) -> tuple[int, int, str]:
    """What names one file however it is reached: the device and inode of its real folder
    (after every symlink, of the folder and of the file) and its real name.

    Why not the file's own inode: os.replace gives the file a new inode on every write, so
    two writers could key on two inodes of one file; the folder's identity is stable, and
    with the name it still tells apart only what is really one file.
    """
    real = os.path.realpath(path)
    st = os.stat(os.path.dirname(real) or ".")
    return (st.st_dev, st.st_ino, os.path.basename(real))


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file of a data file: `.NAME.lock` beside the real file (after symlinks)."""
    from pathlib import Path

    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.lock")


@contextlib.contextmanager
def locked_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Hold an exclusive lock for each of these files, keyed on the real file (see
    lock_key): two folders whose files are symlinks to one ledger share its locks, and a
    writer of one file of a ledger excludes a writer of the other when both lock both.

    Locks are taken in one order (by key) so that writers of overlapping sets cannot
    deadlock. Yields the lock files. OSError if one cannot be made or locked.
    """
    import fcntl

    keyed = {lock_key(p): lock_path(p) for p in paths}
    fds: list[int] = []
    try:
        for key in sorted(keyed):
            fd = os.open(keyed[key], os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
                         0o666)
            fds.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield [keyed[k] for k in sorted(keyed)]
    finally:
        for fd in reversed(fds):
            os.close(fd)  # closing releases the lock


def writable_reason(path: str | os.PathLike[str]) -> str | None:
    """Why farchron must not replace this existing file (read-only), or None.

    os.replace succeeds in a writable folder whatever the file's mode, so a 0444 file
    would be replaced without a word: a file its owner made read-only is refused.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if not (st.st_mode & 0o222) or not os.access(path, os.W_OK):
        return "read-only (chmod u+w to allow farchron to write it)"
    return None


def size_limit() -> int | None:
    """The largest file this process may write (ulimit -f), or None for no limit."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


# ----------------------------------------------------------------- reading data files, temp files


# ------------------------------------------------------------------- reading data files, temp files

#: In the name of every temp file farchron writes (".NAME.farchron-tmp.PID.RAND.tmp"):
#: the next run sweeps those whose writer is gone.
TMP_MARK = ".farchron-tmp."


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


def crc_capped(path: str | os.PathLike[str], cap: int) -> tuple[int, os.stat_result]:
    """The crc32 of a regular file's bytes and the stat they were read under, with
    read_capped's refusals: read a megabyte at a time into one buffer (a 45 MB ledger is
    never held whole, which cost more than the checksum)."""
    import zlib

    fd, st = _open_regular(path, cap)
    crc, total = 0, 0
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    try:
        while True:
            n = os.readv(fd, [buf])
            if not n:
                break
            total += n
            if total > cap:
                raise DataFileError("too-large", f"file is over the {cap}-byte limit "
                                    "(set FARCHRON_MAX_BYTES to raise it)")
            crc = zlib.crc32(view[:n], crc)
    except OSError as exc:
        raise DataFileError("unreadable", exc.strerror or str(exc)) from None
    finally:
        view.release()
        os.close(fd)
    return crc, st


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
              before_replace: Callable[[], object] | None = None,
              durable: bool = True) -> Iterator[BinaryIO]:
    """A temp file beside `path` to write into: on a clean exit it is fsynced, given `mode`
    (else it stays 0600) and renamed over `path`, so a reader sees the old file or the
    new one, whole; on any error, or SIGTERM/SIGHUP (see live_temp_files), it is removed.
    `durable=False` skips the fsync: for a file that is verified when read and rebuilt
    when damaged (the cache), where a power cut may cost a rebuild but never wrong data.
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
            if durable:
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


