"""One way to write a file so that a reader (or a crash) sees the old file or the new, whole.

Used by the cache, the exports, and (soon) the commands that write the ledger. Temp file
in the same folder, fsync, os.replace, fsync of the folder; a symlink is followed and
the target's mode kept (os.replace onto a link would put a 0600 regular file in its
place). `locked` serialises writers on a separate .lock file: a lock on the data file
itself is lost when os.replace swaps the file away.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from farchron.store import sections as store

__all__ = ["OutputError", "locked", "write_atomic", "write_output"]

#: Names that mean standard output for -o, besides "-".
STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


class OutputError(Exception):
    """An output path farchron will not write (a loop, a folder, read-only without
    --force): the message says why and what to do."""


def write_output(path: str, data: bytes | str, *, force: bool = False,
                 note: Callable[[str], None] | None = None) -> str | None:
    """Write an export to `path` the way its kind of file needs; the path written, or
    None for standard output.

    A regular file (or a new one) is replaced atomically, keeping its mode; a read-only
    one only with `force`. Anything else that exists (a FIFO, /dev/null, a terminal) is
    written in place: replacing it would put a regular file where a device was. "-" and
    /dev/stdout are standard output. A symlink is followed to its target (and `note`
    says so); a loop is an OutputError. Other failures raise OSError.
    """
    import errno
    import stat
    import sys

    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if path in STDOUT_NAMES:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return None
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


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 mode: int | None = None,
                 before_replace: Callable[[], object] | None = None) -> Path:
    """Replace `path` with `data` (str is written as UTF-8, newlines untouched).

    `mode`: the new file's permissions; by default the existing file's, else what the
    umask allows for a new file (0666 & ~umask). `before_replace` runs once the temp file
    is complete, just before the rename (a test's hook). Returns the path written (the link's
    target for a symlink). Raises OSError (the temp file is removed).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    folder = target.parent
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    # Named .farchron-tmp.PID.*: removed on SIGTERM/SIGHUP (stdio.run), and swept by a
    # later run when PID is gone (kill -9, power cut).
    with store.replacing(target, mode=mode, before_replace=before_replace) as f:
        f.write(raw)
    with contextlib.suppress(OSError):  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return target


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on `path` + '.lock' (created if need be) for the block."""
    import fcntl

    lock = Path(path)
    fd = os.open(lock.with_name(lock.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
