"""Writing the ledger's files safely: the lock, one file atomically, several all or nothing.

One lock per real data file (farchron.files.locked_files), held by every writer for the
whole read-check-write cycle. One file: temp file, fsync, os.replace (farchron.files).
Several: staged beside their targets, a journal, renames in order; a run killed midway is
finished or rolled back by the next writer (recover). A read-only file, or one over
`ulimit -f`, is refused before anything is written; every failure names its file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from farchron.errors import FarchronError
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE


class WriteError(FarchronError):
    """The ledger could not be written (no lock, a read-only folder...): exit 2."""


@contextlib.contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the ledger's locks for a whole read-check-write cycle: one per real data file
    (farchron.files.locked_files, keyed on the file's identity after symlinks), both files
    always, so a writer of events.toml and one of sources.toml exclude each other, and two
    folders linking to one ledger share its locks. A write that an earlier run left half
    done is finished (or rolled back) first, so what is read under the lock is whole."""
    from farchron.files import locked_files

    data_dir = Path(data_dir)
    lock = locked_files([data_dir / EVENTS_FILE, data_dir / SOURCES_FILE])
    try:
        lock.__enter__()
    except OSError as exc:
        where = exc.filename or data_dir
        raise WriteError(f"{where}: cannot lock the ledger: {exc.strerror}; the ledger is "
                         "unchanged") from exc
    try:
        recover(data_dir)
        yield
    finally:
        lock.__exit__(None, None, None)


def _pause() -> None:
    """The test hook: sleep before a rename (FARCHRON_TEST_WRITE_PAUSE)."""
    from farchron.settings import write_pause

    pause = write_pause()
    if pause:
        import time

        time.sleep(pause)


def _failed(path: Path | str, exc: OSError) -> WriteError:
    import errno

    why = exc.strerror or str(exc)
    if exc.errno == errno.EFBIG:
        why += " (over the file size limit, ulimit -f)"
    return WriteError(f"{path}: cannot write: {why}; the ledger is unchanged")


def refuse_unwritable(paths: Iterable[Path], sizes: Mapping[Path, int] | None = None) -> None:
    """WriteError, before anything is written, for a read-only file among `paths` or one
    whose new size is over this process's file size limit (ulimit -f)."""
    from farchron.files import size_limit, writable_reason

    limit = size_limit()
    for path in paths:
        why = writable_reason(path)
        if why:
            raise WriteError(f"{path}: {why}; nothing written")
        size = (sizes or {}).get(path)
        if limit is not None and size is not None and size > limit:
            raise WriteError(f"{path}: cannot write {size} bytes: over the file size limit "
                             f"of {limit} bytes (ulimit -f); nothing written")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace path's contents so a reader (or a crash) sees old or new, never half
    (farchron.files: temp file, fsync, os.replace; a symlink followed, the mode kept).
    A read-only file is refused; any failure is a WriteError naming the file."""
    from farchron.files import write_atomic

    refuse_unwritable([path], {path: len(data)})
    try:
        write_atomic(path, data, before_replace=_pause)
    except OSError as exc:
        raise _failed(path, exc) from exc


def atomic_pieces(path: Path, pieces: Sequence[bytes | tuple[int, int, int]]) -> None:
    """atomic_write of bytes and spans (fd, offset, length) of open files, the spans
    copied by the kernel (farchron.files.write_pieces); the caller has refused an
    unwritable file (refuse_unwritable) with the new size."""
    from farchron.files import write_pieces

    try:
        write_pieces(path, pieces, before_replace=_pause)
    except OSError as exc:
        raise _failed(path, exc) from exc


# --------------------------------------------------------------------------- several files at once

#: Beside each real target of a multi-file write: its new contents, complete and fsynced.
STAGED_SUFFIX = ".farchron-staged"


def _real(path: Path) -> Path:
    import os

    return Path(os.path.realpath(path))


def journal_path(data_dir: Path) -> Path:
    """Where a multi-file write lists its renames: beside the real events.toml."""
    real = _real(Path(data_dir) / EVENTS_FILE)
    return real.with_name(f".{real.name}.journal")


def staged_path(target: Path) -> Path:
    real = _real(target)
    return real.with_name(f".{real.name}{STAGED_SUFFIX}")


def _fsync_folder(folder: Path) -> None:
    import os

    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` beside the real target, fsynced, with the target's mode."""
    import os

    from farchron.files import mode_for

    real = _real(target)
    staged = staged_path(real)
    mode = mode_for(real)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0),
                 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return staged


def commit(data_dir: Path, changes: Sequence[tuple[Path, bytes]]) -> None:
    """Write new contents to several files, all or nothing (the caller holds the lock).

    One file: an atomic replace. Several: each new file is written beside its target
    and fsynced; then a journal listing the renames is written (atomically); then the
    files are renamed in the order given and the journal removed. A run killed before
    the journal leaves only staged files, which the next writer removes (rolled back);
    killed after it, the next writer finishes the renames (see recover). Order matters
    to readers, who take no lock: sources first, so an event never cites a work that
    is not there yet.
    """
    import json
    import os

    from farchron.files import write_atomic

    changes = [(Path(p), d) for p, d in changes]
    if len(changes) == 1:
        atomic_write(*changes[0])
        return
    refuse_unwritable([p for p, _ in changes], {p: len(d) for p, d in changes})
    staged: list[tuple[Path, Path]] = []
    journal = journal_path(data_dir)
    current: Path = journal
    try:
        for target, data in changes:
            current = target
            staged.append((_stage(target, data), _real(target)))
        for folder in {t.parent for _, t in staged}:
            _fsync_folder(folder)
        current = journal
        write_atomic(journal, json.dumps([[str(s), str(t)] for s, t in staged]))
    except OSError as exc:
        for s, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(s)
        with contextlib.suppress(OSError):
            os.unlink(staged_path(current))
        raise _failed(current, exc) from exc
    _finish(journal)


def _finish(journal: Path) -> None:
    """Rename what the journal lists (those not renamed yet), then remove it."""
    import json
    import os

    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pairs = []
    for staged, target in pairs:
        if os.path.exists(staged):
            _pause()
            try:
                os.replace(staged, target)
            except OSError as exc:
                raise _failed(target, exc) from exc
            _fsync_folder(Path(target).parent)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)
    _fsync_folder(journal.parent)


def recover(data_dir: Path) -> str | None:
    """Finish a multi-file write that a killed run left with its journal written, or roll
    back one killed before (remove its staged files). Called under the lock; returns what
    was done ("finished", "rolled back") or None."""
    import os

    journal = journal_path(data_dir)
    if journal.exists():
        _finish(journal)
        return "finished"
    done = None
    for name in (EVENTS_FILE, SOURCES_FILE):
        staged = staged_path(Path(data_dir) / name)
        if staged.exists():
            with contextlib.suppress(OSError):
                os.unlink(staged)
            done = "rolled back"
    return done
