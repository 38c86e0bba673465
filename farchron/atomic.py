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
from collections.abc import Iterator
from pathlib import Path

__all__ = ["locked", "write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 mode: int | None = None) -> Path:
    """Replace `path` with `data` (str is written as UTF-8, newlines untouched).

    `mode`: the new file's permissions; by default the existing file's, else what the
    umask allows for a new file (0666 & ~umask). Returns the path written (the link's
    target for a symlink). Raises OSError (the temp file is removed).
    """
    import tempfile  # here: it imports shutil, random, bz2, lzma (~5 ms) a read never needs

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
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
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
