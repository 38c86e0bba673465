"""Chunked and forked parsing of a big events.toml, equal to the whole-file parse.

See chunked_events for why the result equals parsing the whole file, and
parallel_events for how the forked workers share the work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any, cast

from farchron.errors import Problem
from farchron.ledger import evidence
from farchron.ledger.check import Cites, check_events, stray_keys, valid_event
from farchron.ledger.locate import Locator
from farchron.model.records import Citation, Event, EventRow, event_from_row, event_row
from farchron.settings import workers, workers_chosen

__all__ = ["CHUNK_CHARS", "CHUNK_MIN", "chunk_events", "chunked_events", "event_spans",
           "parallel_events", "workers"]

#: An events.toml of at least this many bytes is parsed in chunks (chunked_events):
#: tomli's tree of a whole 450 MB file is over 2.5 GB; chunk by chunk it is never held.
CHUNK_MIN = 8 << 20
#: About 9k events of the usual size per chunk.
CHUNK_CHARS = 4 << 20


def event_spans(data: str | bytes, size: int) -> list[tuple[int, int]]:
    """(start, end) of chunks of about `size` characters (or bytes), each starting at a
    line that starts with `[[event]]`; the first span is what comes before the first."""
    header: Any = "\n[[event]]" if isinstance(data, str) else b"\n[[event]]"
    if data.startswith(header[1:]):
        first = 0
    else:
        first = data.find(header) + 1
        if first == 0:
            return []
    spans = [(0, first)]
    pos, n = first, len(data)
    while pos < n:
        cut = data.find(header, pos + size) + 1 if pos + size < n else 0
        end = cut if cut > 0 else n
        spans.append((pos, end))
        pos = end
    return spans


def chunked_events(data: str | bytes, loc: Locator
                    ) -> tuple[list[Event], Cites, list[Problem]] | None:
    """check_events of a big events.toml, parsed chunk by chunk; None if that cannot be trusted.

    The file's bytes (or text) are cut before lines that start with `[[event]]`; each
    chunk is decoded and parsed by tomli, its records are validated and built, and its
    dicts are dropped before the next chunk, so a million events never exist as one
    tree of dicts, nor the file as one str (2 bytes a character once it holds kana).

    Why the result equals parsing the whole file: a cut that falls inside a multi-line
    string leaves the chunk before it with an unterminated string, which is a parse
    error; so if EVERY chunk parses, every cut was a real table header, and each
    chunk's [[event]] tables are the whole file's, in order. The part before the first
    header must not define `event` (a static array that a header would append to is an
    error in the whole file), and every later chunk must define nothing but `event` (a
    stray [table] between events, possibly redefined later, is left to the whole
    parse). On any parse error or other key this returns None and the caller parses the
    whole file as usual, so error messages and positions stay exactly as they are.
    """
    from farchron.ledger import native

    def parse(a: int, b: int) -> dict[str, Any]:
        part = data[a:b]
        if isinstance(part, str):
            return native.loads(part)
        return native.loads(part.decode("utf-8"), part)

    spans = event_spans(data, CHUNK_CHARS)
    if not spans:
        return None
    try:
        head = parse(*spans[0])
    except (ValueError, RecursionError):  # TOMLDecodeError, bad UTF-8, 4,300+ digits
        return None
    if "event" in head:
        return None
    failed = False

    def records() -> Iterator[Any]:
        nonlocal failed
        for a, b in spans[1:]:
            try:
                doc = parse(a, b)
            except (ValueError, RecursionError):  # TOMLDecodeError, bad UTF-8, 4,300+ digits
                failed = True
                return
            if doc.keys() != {"event"}:
                failed = True
                return
            yield from doc.pop("event")
            del doc

    # With toml-rs, one process costs less CPU than the split (0.93x of it at 100k,
    # measured): the forked helper then only when FARCHRON_WORKERS asks for it.
    split = workers() > 1 and (workers_chosen() or not native.native_ok())
    if split and not head:  # a [vocabulary] or stray table: the checker's path
        events = parallel_events(data)
        if events is not None:  # every record valid, no id twice: what the serial path gives
            cites: Cites = []
            for i, e in enumerate(events):  # in check_events' order, record by record
                cites.append((i, f"event '{e.id}'", e.citations))
                if e.other_dates:
                    cites.append((i, f"event '{e.id}' (other-dates)",
                                  evidence.other_citations(e)))
            problems = stray_keys(head, loc, ["event"])
            problems += evidence.check_parts(events, {e.id: i for i, e in enumerate(events)},
                                             loc)
            return events, cites, problems
    built = check_events(head, loc, records())
    return None if failed else built


def parallel_events(data: str | bytes) -> list[Event] | None:
    """The events of a big events.toml parsed and validated by this process and forked
    workers together; None when that cannot be done or is not clean (then the caller
    takes the serial path, which finds and words every problem exactly as before).

    Why: parsing and validating 100k events is ~6 s of one core. With N = workers(),
    the chunks are cut into N runs of about equal bytes: this process does the first
    itself, N - 1 forked workers one each. A worker inherits the bytes through fork,
    gets only a range of chunks, and sends back plain tuples (marshal), or nothing if
    a chunk fails to parse, holds another key, or a record is not one valid_event
    accepts. Ids repeated across runs are found here. Workers ignore SIGINT (this
    process kills and reaps them on any exit), write nothing (stdout and stderr point
    at /dev/null) and leave with os._exit.
    """
    import marshal
    import signal

    try:
        import multiprocessing as mp
        from multiprocessing.connection import wait

        ctx = mp.get_context("fork")
    except (ImportError, ValueError):  # no fork on this platform
        return None
    n = workers()
    spans = event_spans(data, min(CHUNK_CHARS, len(data) // (8 * n) + 1))[1:]
    total = sum(b - a for a, b in spans)
    bounds = [0]
    acc = 0
    for i, (a, b) in enumerate(spans):
        acc += b - a
        if acc * n >= total * len(bounds) and len(bounds) < n:
            bounds.append(i + 1)
    if bounds[-1] != len(spans):
        bounds.append(len(spans))
    if len(bounds) < 3:
        return None
    runs = [spans[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]
    procs: list[Any] = []
    conns: list[Any] = []
    results: dict[int, list[EventRow]] = {}
    try:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until each ignores it
        try:
            for run in runs[1:]:
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_chunk_worker,
                                args=(data, run, w, [*conns, r], os.getpid()),
                                daemon=True)
                p.start()
                w.close()
                procs.append(p)
                conns.append(r)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        events = chunk_events(data, runs[0])
        if events is None:
            return None
        pending = {c: k for k, c in enumerate(conns)}
        while pending:
            for c in cast("list[Any]", wait(list(pending))):
                k = pending.pop(c)
                try:
                    rows = marshal.loads(c.recv_bytes())
                except (EOFError, OSError, ValueError):
                    rows = None
                if rows is None:
                    return None
                results[k] = rows
    except OSError:  # cannot fork (process limit, memory): serially then
        return None
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
            p.join()
        for c in conns:
            c.close()
    memo: dict[tuple[Any, ...], Citation] = {}
    seen_dates: dict[tuple[Any, ...], Any] = {}
    for k in range(len(results)):
        events.extend(event_from_row(row, seen_dates, memo) for row in results.pop(k))
    if len({e.id for e in events}) != len(events):  # an id in two runs: serially it is worded
        return None
    return events


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this (forked) process when its parent dies, even by kill -9
    (prctl PR_SET_PDEATHSIG); elsewhere the parent's SIGTERM handler and `finally` kill
    it. If the parent is already gone, exit now."""
    import signal

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)


def _chunk_worker(data: str | bytes, spans: list[tuple[int, int]], conn: Any,
                  inherited: list[Any], parent: int = 0) -> None:
    """In a forked child: the rows of `spans` to `conn` (nothing if not clean), then exit."""
    import marshal
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's unwinding handler
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    die_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        for c in inherited:  # the parent's read ends: a child must not keep them open
            c.close()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        sys.stdout = sys.stderr = open(null, "w", closefd=False)  # noqa: SIM115
        events = chunk_events(data, spans)
        if events is not None:
            conn.send_bytes(marshal.dumps([event_row(e) for e in events]))
    except BaseException:  # the parent reads EOF and takes the serial path
        pass
    finally:
        os._exit(0)  # no teardown of a million objects, no atexit of the parent's


def chunk_events(data: str | bytes, spans: list[tuple[int, int]]) -> list[Event] | None:
    """The events of the chunks, if all parse and every record passes valid_event."""
    from farchron.ledger import native

    seen: dict[str, int] = {}
    memo: dict[tuple[Any, ...], Citation] = {}
    events: list[Event] = []
    for a, b in spans:
        part = data[a:b]
        try:
            doc = (native.loads(part) if isinstance(part, str)
                   else native.loads(part.decode("utf-8"), part))
        except (ValueError, RecursionError):  # TOMLDecodeError, bad UTF-8, 4,300+ digits
            return None
        if doc.keys() != {"event"}:
            return None
        for rec in doc.pop("event"):
            ev = valid_event(rec, seen, memo)
            if ev is None:
                return None
            seen[ev.id] = 0
            events.append(ev)
        del doc
    return events
